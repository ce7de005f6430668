"""The wheel a host site installs, built from this checkout as `python -m build`
builds it: what the plugin needs at run time is in it, the demo site is not."""

import subprocess
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.packaging


@pytest.fixture(scope="module")
def wheel_names(wheel):
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def plugin_files():
    """Every file of the plugin's two apps this checkout tracks."""
    listed = subprocess.run(
        ["git", "ls-files", "blog", "search"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return [name for name in listed if "/tests/" not in name]


def test_wheel_holds_every_file_of_the_plugin(wheel_names):
    files = plugin_files()
    assert "search/templates/search/search.html" in files
    assert sorted(set(files) - wheel_names) == []


def test_wheel_leaves_the_demo_site_out(wheel_names):
    demo = sorted(
        name
        for name in wheel_names
        if name.split("/")[0] in {"cms", "home", "tests", "bench"}
        or "/demo/" in name
        or "load_demo_content" in name
    )
    assert demo == []
