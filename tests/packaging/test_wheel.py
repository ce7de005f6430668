"""The wheel a host site installs, built from this checkout as `python -m build`
builds it: what the plugin needs at run time is in it, the demo site is not."""

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.packaging


@pytest.fixture(scope="module")
def wheel_names(tmp_path_factory):
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--wheel", "-o", out, ROOT],
        check=True,
        capture_output=True,
    )
    (wheel,) = out.glob("relief-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


@pytest.mark.parametrize(
    "needed",
    [
        "blog/migrations/0001_initial.py",
        "search/migrations/0001_initial.py",
        "blog/templates/blog/article_page.html",
        "blog/templates/blocks/therapy_comparison.html",
        "search/templates/search/search.html",
        "search/templates/429.html",
        "blog/static/relief/css/site.css",
        "search/static/relief/js/autocomplete.js",
        "search/vocabulary/relief_abbreviations.tsv",
        "search/vocabulary/disease_ontology_abbreviations.tsv",
        "search/model/tokenizer.json",
        "search/opensearch_node/pom.xml",
        "search/opensearch_node/ReliefOpenSearchNode.java",
        "search/embedded_search.py",
    ],
)
def test_wheel_holds_what_the_plugin_runs_on(wheel_names, needed):
    assert needed in wheel_names


def test_wheel_leaves_the_demo_site_out(wheel_names):
    demo = sorted(
        name
        for name in wheel_names
        if name.split("/")[0] in {"cms", "home", "tests", "bench"}
        or "/demo/" in name
        or "load_demo_content" in name
    )
    assert demo == []
