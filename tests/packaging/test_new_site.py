"""The README's "Add Relief to an existing Wagtail site", followed as written: a
fresh virtualenv, a site from `wagtail start`, the wheel built from this
checkout, each step the README marks, then an article made in the admin, indexed
by the README's command and found through the search API on noida-db."""

import json
import os
import re
import shutil
import subprocess
import time
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCRIPTS = Path(__file__).resolve().parent / "site_scripts"
SECTION = "## Add Relief to an existing Wagtail site"
TITLE = "Pacing your day with chronic back pain"
QUERY = "pacing"

pytestmark = pytest.mark.packaging


def readme_steps() -> list[tuple[str, str]]:
    """(target, text) of each block of the README's section marked `step`, in
    order: target "sh" runs the text in the site's folder, any other target is
    the file it is appended to."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index(SECTION) :]
    section = section[: section.index("\n## ", len(SECTION))]
    steps = []
    for info, text in re.findall(r"^```([^\n]*)\n(.*?)^```$", section, re.M | re.S):
        words = info.split()
        marks = [word for word in words[1:] if word.split("=")[0] == "step"]
        if marks:
            target = marks[0].partition("=")[2] or words[0]
            steps.append((target, text))
    return steps


def pinned_constraints(path: Path) -> Path:
    """requirements.txt as pip constraints (which take no extras), so the site
    gets the versions CI runs."""
    lines = (ROOT / "requirements.txt").read_text().splitlines()
    pins = [re.sub(r"\[.*?\]", "", line) for line in lines]
    path.write_text("\n".join(p for p in pins if p.strip() and p[0] != "#") + "\n")
    return path


def pinned(name: str) -> str:
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.lower().startswith(f"{name}=="):
            return line
    raise LookupError(name)


def site_environment(*, bin_dir: Path, wheel: Path, constraints: Path) -> dict:
    """The new virtualenv active, and nothing of this test session's own site
    (its settings module, search server, database or Python path)."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "RELIEF_", "ELASTICSEARCH_", "PYTHON"))
        and key not in {"DATABASE_URL", "REDIS_URL", "VIRTUAL_ENV"}
    }
    env.update(
        PATH=f"{bin_dir}{os.pathsep}{env.get('PATH', '')}",
        VIRTUAL_ENV=str(bin_dir.parent),
        PIP_CONSTRAINT=str(constraints),
        PIP_QUIET="1",
        RELIEF_WHEEL=str(wheel),
    )
    return env


def run(command: list[str], *, cwd: Path, env: dict) -> str:
    start = time.monotonic()
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)
    print(f"{time.monotonic() - start:6.1f} s  {command}")
    assert done.returncode == 0, (
        f"{command} failed ({done.returncode}):\n{done.stdout}\n{done.stderr}"
    )
    return done.stdout


def test_readme_steps_make_a_new_site_whose_article_is_found(wheel, tmp_path):
    steps = readme_steps()
    assert [target for target, _ in steps].count("sh") >= 2, steps
    venv.create(tmp_path / "venv", with_pip=True)
    bin_dir = tmp_path / "venv" / "bin"
    env = site_environment(
        bin_dir=bin_dir,
        wheel=wheel,
        constraints=pinned_constraints(tmp_path / "constraints.txt"),
    )
    site = tmp_path / "site"
    site.mkdir()
    run(["pip", "install", pinned("wagtail")], cwd=tmp_path, env=env)
    run(["wagtail", "start", "mysite", str(site)], cwd=tmp_path, env=env)
    # Beside manage.py, so they import the site's settings as it does.
    for script in SCRIPTS.glob("*.py"):
        shutil.copy(script, site)

    article_url = None
    for target, text in steps:
        if target != "sh":
            with (site / target).open("a") as settings_or_urls:
                settings_or_urls.write("\n" + text)
            continue
        if "search_index" in text:
            # Content the index command is to find, made before it runs.
            article_url = run(
                ["python", "create_article.py", TITLE, QUERY],
                cwd=site,
                env=env,
            ).strip()
        run(["bash", "-euxc", text], cwd=site, env=env)
    assert article_url, "the README has no step running `search_index`"

    found = json.loads(
        run(
            ["python", "-m", "search.embedded_search", "--"]
            + ["python", "find_article.py", QUERY, article_url],
            cwd=site,
            env=env,
        ).splitlines()[-1]
    )
    assert found["api_status"] == 200, found["api"]
    assert TITLE in json.dumps(found["api"])
    assert found["search_page_status"] == 200
    # The search page marks the query's words in the title it links.
    assert TITLE in re.sub(r"<[^>]+>", "", found["search_page"])
    assert f'href="{article_url}"' in found["search_page"]
    # Titled by the site's own base.html, not with the demo's name.
    title = re.search(r"<title>(.*?)</title>", found["search_page"], re.S).group(1)
    assert " ".join(title.split()) == f"Search: {QUERY}"
    assert found["article_status"] == 200
    assert TITLE in found["article"]
    assert found["sitemap_status"] == 200
    assert article_url in found["sitemap"]
