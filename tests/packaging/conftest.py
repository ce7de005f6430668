import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def checkout_files() -> list[str]:
    """Tracked and new files, not ignored ones: a stale build/ or egg-info left
    in the checkout would otherwise slip old files into the wheel."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=ROOT,
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return [name for name in listed.split("\0") if name]


@pytest.fixture(scope="session")
def wheel(tmp_path_factory) -> Path:
    """The wheel a host site installs, built as `python -m build` builds it, from
    a clean copy of this checkout."""
    source = tmp_path_factory.mktemp("source")
    for name in checkout_files():
        if (ROOT / name).is_file():
            (source / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, source / name)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--wheel", "-o", out, source],
        check=True,
        capture_output=True,
    )
    (built,) = out.glob("wagtail_relief-*.whl")
    return built
