"""What eval.py and speed.py share: a bench database per corpus, the site tree,
the index rebuild, percentiles, machine facts and the results history."""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
RESULTS = REPO / "bench" / "results"
VAR = REPO / "var"


def setup_django(*, name: str) -> None:
    """Point Django at var/bench-<name>.sqlite3 and index prefix relief-bench-<name>,
    then migrate. Must run before any project import."""
    VAR.mkdir(exist_ok=True)
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.bench"
    os.environ["RELIEF_BENCH_DB"] = str(VAR / f"bench-{name}.sqlite3")
    os.environ["RELIEF_SEARCH_INDEX_PREFIX"] = f"relief-bench-{name}"
    if str(REPO) not in sys.path:
        sys.path.insert(0, str(REPO))
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)


def ensure_site():
    """(home, blog index) at the default site's root, as an editor would set up."""
    from wagtail.models import Page, Site

    from blog.models import BlogIndexPage
    from home.models import HomePage

    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(instance=HomePage(title="Relief", slug="relief-home"))
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"hostname": "localhost", "root_page": home, "port": 80},
        )
        Page.objects.filter(depth=2).exclude(pk=home.pk).delete()
    index = BlogIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=BlogIndexPage(title="Articles", slug="articles")
        )
    return home, index


def rebuild_index(*, fill_vectors_too: bool = True) -> dict:
    """The project's own full rebuild (what `manage.py search_index rebuild`
    runs), timed in its two steps: the keyword load, which makes every article
    searchable with the vectors the cache already has, then the vector fill of
    the articles it reports lacking some, and the merge into one segment
    queued after it, run here as the task worker runs them, so each is timed
    alone."""
    from blog.models import ArticlePage
    from search.documents import alias_name
    from search.engine import get_engine
    from search.indexing import compact_index, fill_vectors, pages_without_vectors
    from search.rebuild import rebuild_index as rebuild

    started = time.perf_counter()
    queued = rebuild().incomplete
    seconds = time.perf_counter() - started
    count = ArticlePage.objects.live().count()
    figures = {
        "how": "search.rebuild.rebuild_index, then the vector fill it reports",
        "seconds": seconds,
        "articles": count,
        "rate": count / seconds,
    }
    if not fill_vectors_too:
        return figures
    started = time.perf_counter()
    embedded = fill_vectors(page_ids=queued)
    fill_seconds = time.perf_counter() - started
    get_engine().refresh(index=alias_name())
    without_vectors = len(pages_without_vectors())
    # The merge into one segment the rebuild queues after its vector fill.
    segments = get_engine().primary_segment_count(index=alias_name())
    started = time.perf_counter()
    compact_index()
    return {
        **figures,
        "vector_fill": {
            "seconds": fill_seconds,
            "articles": len(queued),
            "texts_embedded": embedded,
            "without_vectors_after": without_vectors,
        },
        "compaction_seconds": time.perf_counter() - started,
        "segments_before_merge": segments,
    }


def percentiles(samples_ms: list[float]) -> dict:
    import numpy as np

    if not samples_ms:
        return {"n": 0}
    values = np.asarray(samples_ms)
    return {
        "n": len(samples_ms),
        "p50": float(np.percentile(values, 50)),
        "p95": float(np.percentile(values, 95)),
        "p99": float(np.percentile(values, 99)),
        "mean": float(values.mean()),
    }


def machine() -> dict:
    import django
    import wagtail

    def version(package: str) -> str:
        from importlib.metadata import PackageNotFoundError
        from importlib.metadata import version as v

        try:
            return v(package)
        except PackageNotFoundError:
            return "-"

    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": git_commit(),
        "python": platform.python_version(),
        "os": platform.platform(),
        "cpu": cpu,
        "cores": os.cpu_count(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "elasticsearch-py": version("elasticsearch"),
        "opensearch-py": version("opensearch-py"),
        "modelsearch": version("modelsearch"),
        "search server": search_server_version(),
    }


def git_commit() -> str:
    try:
        out = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            cwd=REPO,
        )
        return out.stdout.strip() or "-"
    except OSError:
        return "-"


def search_server_version() -> str:
    try:
        from search.engine import get_engine

        return get_engine().describe()
    except Exception as exc:  # noqa: BLE001 - a report line, not control flow
        return f"unavailable ({exc.__class__.__name__})"


def append_history(*, kind: str, figures: dict) -> None:
    RESULTS.mkdir(parents=True, exist_ok=True)
    row = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "commit": git_commit(),
        "kind": kind,
        **figures,
    }
    with (RESULTS / "history.jsonl").open("a", encoding="utf-8") as out:
        out.write(json.dumps(row, sort_keys=True) + "\n")


def report_path(*, name: str) -> Path:
    RESULTS.mkdir(parents=True, exist_ok=True)
    return RESULTS / f"{datetime.now(UTC).strftime('%Y-%m-%d')}-{name}.md"


def markdown_table(header: list[str], rows: list[list]) -> str:
    def cell(value) -> str:
        if isinstance(value, float):
            return f"{value:.4f}" if abs(value) < 10 else f"{value:.1f}"
        return str(value)

    lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)
