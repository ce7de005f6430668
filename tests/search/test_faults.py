"""The search server going away mid-way through editing: publishing carries on,
the outbox holds the work, and one drain after the restart catches up. Killed
rather than stopped, the node and the task worker lose nothing either: the
periodic drain catches up alone."""

import contextlib
import io
import os
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.models import Q
from django.utils import timezone

from blog.models import ArticlePage
from search.embedded_search import EmbeddedServer
from search.models import CLAIM_LEASE, IndexOperation
from search.params import SearchParams
from search.query import search_articles
from tests.factories import PainTopicFactory, build_site, create_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_server(tmp_path, settings, search_settings, search_engine):
    """A server of the session's engine that this test may stop and restart (the
    session one is shared)."""
    server = EmbeddedServer(tmp_path / "search-data", engine=search_engine)
    server.start()
    settings.RELIEF_SEARCH = {**search_settings, "URL": server.url, "TIMEOUT": 2}
    yield server
    server.stop()
    # search_settings cleans up on the session server, not this stopped one.
    settings.RELIEF_SEARCH = search_settings


def test_edits_while_the_server_is_down_are_applied_after_it_returns(
    own_server, blog_index, after_commit, indexed_titles, live_titles
):
    with after_commit():
        kept = create_article(parent=blog_index, title="Kept as is")
        edited = create_article(parent=blog_index, title="Edited while down")
        withdrawn = create_article(parent=blog_index, title="Withdrawn while down")
    assert indexed_titles() == live_titles()

    own_server.stop()
    with after_commit():
        added = create_article(parent=blog_index, title="Added while down")
    with after_commit():
        edited.title = "Edited while down, v2"
        edited.save_revision().publish()
    with after_commit():
        withdrawn.unpublish()

    pending = IndexOperation.objects.pending()
    assert {op.page_id for op in pending} >= {added.pk, edited.pk, withdrawn.pk}
    assert all(op.attempts >= 1 and op.last_error for op in pending)
    # Each publish tried the dead server once and left the earlier entries to
    # their back-off, so publishing never waits on retries.
    assert [op.attempts for op in pending] == [1] * len(pending)

    restarted = EmbeddedServer(
        own_server.data_dir, port=own_server.port, engine=own_server.engine
    )
    restarted.start()
    try:
        # What the index held when the server went down survived the restart.
        assert set(indexed_titles()) == {kept.pk, edited.pk, withdrawn.pk}
        call_command("search_index", "drain")
        assert (
            indexed_titles()
            == live_titles()
            == {
                kept.pk: "Kept as is",
                edited.pk: "Edited while down, v2",
                added.pk: "Added while down",
            }
        )
        assert not IndexOperation.objects.pending().exists()
    finally:
        restarted.stop()


def test_search_down_never_fails_a_publish(own_server, blog_index, after_commit):
    own_server.stop()
    with after_commit():
        page = create_article(parent=blog_index, title="Published regardless")
    page.refresh_from_db()
    assert page.live
    [entry] = IndexOperation.objects.pending()
    assert (entry.page_id, entry.attempts) == (page.pk, 1)
    # Readers still find the article, from the database.
    results = search_articles(params=SearchParams(query="Published regardless"))
    assert (results.backend, [hit.page_id for hit in results.hits]) == (
        "database",
        [page.pk],
    )


# Killed, not stopped ------------------------------------------------------------
# The node and the task worker die by SIGKILL in the middle of a burst of edits,
# as a crash or the OOM killer ends them. The worker is a real `manage.py
# db_worker` with production settings, so it needs a database it can open.

ROOT = Path(__file__).resolve().parents[2]
DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"
WAIT_S = 60
LOG_TAIL = 40


@pytest.fixture
def shared_database(page_tree_root, tmp_path):
    """The test database as a URL another process can open. PostgreSQL: the test
    database itself. SQLite: the in-memory test database copied to a file, which
    this process then uses too (WAL and immediate transactions, so the two
    processes take turns instead of failing on a locked database)."""
    if connection.vendor != "sqlite":
        url = urlsplit(os.environ["DATABASE_URL"])
        yield url._replace(path=f"/{connection.settings_dict['NAME']}").geturl()
        return
    path = tmp_path / "relief.sqlite3"
    connection.ensure_connection()
    with contextlib.closing(sqlite3.connect(path)) as copy:
        connection.connection.backup(copy)
        copy.execute("PRAGMA journal_mode=WAL")
    in_memory = connections["default"]
    on_disk = type(in_memory)(
        {
            **in_memory.settings_dict,
            "NAME": str(path),
            "OPTIONS": {"transaction_mode": "IMMEDIATE"},
        },
        alias="default",
    )
    connections["default"] = on_disk
    try:
        yield f"sqlite:///{path}?transaction_mode=IMMEDIATE"
    finally:
        on_disk.close()
        connections["default"] = in_memory


class Process:
    """A child process with its output in a log file, killed at the end."""

    def __init__(self, *, command: list[str], env: dict, log_path: Path):
        self.log_path = log_path
        with open(log_path, "wb") as log:
            self.process = subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT
            )

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()

    def log_tail(self) -> str:
        lines = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(lines[-LOG_TAIL:])


@pytest.fixture
def task_worker(shared_database, own_server, settings, tmp_path):
    """`manage.py db_worker` as production runs it, against the test database and
    the test's own search node; publishing here queues the index work for it."""
    # Vectors are beside the point here, and embedding would slow the worker.
    settings.RELIEF_SEARCH = {**settings.RELIEF_SEARCH, "SEMANTIC_RERANK": False}
    config = settings.RELIEF_SEARCH
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "DATABASE_URL", "ELASTICSEARCH_", "RELIEF_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.production",
        DJANGO_SECRET_KEY="a-worker-secret-" + "x" * 50,
        DJANGO_ALLOWED_HOSTS="testserver",
        WAGTAILADMIN_BASE_URL=settings.WAGTAILADMIN_BASE_URL,
        DATABASE_URL=shared_database,
        ELASTICSEARCH_URL=config["URL"],
        ELASTICSEARCH_TIMEOUT=str(config["TIMEOUT"]),
        RELIEF_SEARCH_ENGINE=own_server.engine,
        RELIEF_SEARCH_INDEX_PREFIX=config["INDEX_PREFIX"],
        RELIEF_SEMANTIC_RERANK="false",
    )
    worker = Process(
        command=[
            sys.executable,
            "manage.py",
            "db_worker",
            "--no-reload",
            "--no-startup-delay",
            "--interval=0.05",
        ],
        env=env,
        log_path=tmp_path / "worker.log",
    )
    yield worker
    worker.kill()


def wait_for(condition, *, what: str, worker: Process):
    """Poll until condition() is true; fail saying what never happened."""
    deadline = time.monotonic() + WAIT_S
    while not (result := condition()):
        if worker.process.poll() is not None:
            pytest.fail(
                f"The task worker exited ({worker.process.returncode}) while "
                f"waiting for {what}:\n{worker.log_tail()}"
            )
        if time.monotonic() > deadline:
            pytest.fail(
                f"Waited {WAIT_S} s for {what}; worker log:\n{worker.log_tail()}"
            )
        time.sleep(0.01)
    return result


class KillableNode:
    """The test's own node, killed and started again on its data and port."""

    def __init__(self, server: EmbeddedServer):
        self.server = server

    def kill(self) -> None:
        self.server.process.kill()
        self.server.process.wait()

    def restart(self) -> None:
        old = self.server
        self.server = EmbeddedServer(old.data_dir, port=old.port, engine=old.engine)
        self.server.start()


@pytest.fixture
def opensearch_only(search_engine):
    if search_engine != "opensearch":
        pytest.skip(
            "Killed and restarted on OpenSearch only: noida-db, the Elasticsearch "
            "stand-in, is no server whose crash recovery says anything about a "
            "real cluster's"
        )


@pytest.fixture
def killable_node(opensearch_only, own_server):
    node = KillableNode(own_server)
    yield node
    node.server.stop()


def fault_title(n: int, version: int) -> str:
    """A word of its own per article and version, so a search for it finds that
    text and nothing else."""
    return f"Faultword{n}v{version} on pacing"


def run_command(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db(transaction=True)
def test_a_burst_of_edits_survives_the_node_and_the_worker_being_killed(
    killable_node, task_worker, monkeypatch, indexed_titles, live_titles
):
    _, blog_index = build_site()
    topic = PainTopicFactory(name="Pacing")
    live: dict[int, ArticlePage] = {}
    withdrawn: list[ArticlePage] = []
    outbox = IndexOperation.objects

    def publish(n: int, topics=()) -> None:
        live[n] = create_article(
            parent=blog_index, title=fault_title(n, 1), topics=topics
        )

    def edit(n: int, version: int) -> None:
        live[n].title = fault_title(n, version)
        live[n].save_revision().publish()

    def withdraw(n: int) -> None:
        withdrawn.append(live.pop(n))
        withdrawn[-1].unpublish()

    # Articles the burst leaves alone, for the batch the worker dies in.
    for n in range(20):
        publish(n, topics=[topic])
    wait_for(
        lambda: outbox.filter(done_at__isnull=False).exists(),
        what="the worker to apply the first publish",
        worker=task_worker,
    )

    killable_node.kill()
    before_kill = outbox.order_by("pk").last().pk
    for n in range(20, 26):
        publish(n)
    edit(20, version=2)
    edit(21, version=2)
    withdraw(22)
    # Settled or postponed by a drain of the worker while the node was dead.
    tried = outbox.filter(pk__gt=before_kill).exclude(claim="")
    wait_for(
        lambda: tried.filter(Q(claimed_until=None) | ~Q(done_at=None)).exists(),
        what="the worker to try the dead node",
        worker=task_worker,
    )
    with ThreadPoolExecutor(max_workers=1) as pool:
        # The burst goes on while the node starts again on its data.
        restarted = pool.submit(killable_node.restart)
        for n in range(26, 30):
            publish(n)
        edit(21, version=3)
        edit(23, version=2)
        withdraw(24)
        restarted.result()
    for n in range(30, 32):
        publish(n)
    edit(26, version=2)
    withdraw(27)

    # One change that reaches the first twenty articles' documents: a batch.
    last = outbox.order_by("pk").last().pk
    topic.name = "Pacing and rest"
    topic.save()
    batch = outbox.filter(pk__gt=last)

    def claimed_or_done():
        held = batch.filter(claimed_until__isnull=False, done_at__isnull=True)
        return held.exists() or not batch.filter(done_at__isnull=True).exists()

    wait_for(claimed_or_done, what="the worker to claim the batch", worker=task_worker)
    task_worker.kill()
    # The batch the worker died in: it may hold older entries too.
    held = outbox.filter(claimed_until__gt=timezone.now(), done_at__isnull=True)
    assert batch.filter(pk__in=held).exists(), (
        "the worker applied the whole batch before it was killed"
    )
    held_count = held.count()

    # The periodic drain while the dead worker's lease runs: the rest is applied,
    # what it held waits.
    assert f"; 0 failed; {held_count} pending;" in run_command("search_index", "drain")
    # The periodic drain once the lease has run out.
    now = timezone.now
    monkeypatch.setattr(timezone, "now", lambda: now() + CLAIM_LEASE)
    assert "; 0 failed; 0 pending;" in run_command("search_index", "drain")

    status = run_command("search_index", "status")
    assert "Drift:            0 (missing [], extra [], stale [])\n" in status
    assert "Pending outbox:   0\n" in status
    assert f"Documents:        {len(live)}\n" in status
    assert f"Live articles:    {len(live)}\n" in status
    assert indexed_titles() == live_titles()
    for page in live.values():
        results = search_articles(params=SearchParams(query=page.title.split()[0]))
        assert results.backend != "database"
        assert results.hits[0].page_id == page.pk, page.title
    for page in withdrawn:
        results = search_articles(params=SearchParams(query=page.title.split()[0]))
        assert page.pk not in {hit.page_id for hit in results.hits}
