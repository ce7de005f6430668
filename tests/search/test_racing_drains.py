"""Drains from requests, cron and the worker run at the same time: each outbox
entry is applied by one of them, the index and its alias are created once, and
document versions do not depend on any host's clock."""

import contextlib
import threading
import time

import pytest
from django.db import connection, connections

from search import indexing
from search.documents import alias_name
from search.engine import get_engine
from search.indexing import drain_outbox
from search.models import IndexOperation
from tests.factories import build_site, create_article

HOUR_NS = 3600 * 10**9


def meeting_point(parties: int = 2, timeout: float = 3):
    """Wait until every drain got here, so they race; a drain alone (the other
    one held off by a lock) goes on after the timeout."""
    barrier = threading.Barrier(parties)

    def meet() -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=timeout)

    return meet


def in_threads(fn, count: int = 2) -> list:
    """Run fn in `count` threads at once, each on its own database connection."""
    results, errors = [None] * count, []

    def run(n: int) -> None:
        try:
            results[n] = fn()
        except BaseException as exc:  # noqa: BLE001 - re-raised below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise errors[0]
    return results


@pytest.fixture
def waiting_entries(page_tree_root, search_settings, settings):
    """Eight published articles whose outbox entries no drain has applied yet."""
    _, blog_index = build_site()
    settings.RELIEF_SEARCH = {**search_settings, "URL": ""}
    pages = [create_article(parent=blog_index, title=f"Article {n}") for n in range(8)]
    settings.RELIEF_SEARCH = search_settings
    assert IndexOperation.objects.pending().count() == len(pages)
    return pages


def test_two_drains_at_once_apply_each_entry_once_into_one_index(
    waiting_entries, monkeypatch, indexed_titles, live_titles
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "Racing drains need a database with concurrent writers: run with "
            "DATABASE_URL=$(.ci/postgres) (CI runs the suite on PostgreSQL too)."
        )
    written: list[int] = []
    meet_at_create, meet_at_write = meeting_point(), meeting_point()
    create_index, write_pages = (
        indexing.create_concrete_index,
        indexing.write_pages,
    )

    def racing_create(**kwargs):
        meet_at_create()
        return create_index(**kwargs)

    def racing_write(*, page_ids, **kwargs):
        written.extend(page_ids)
        meet_at_write()
        return write_pages(page_ids=page_ids, **kwargs)

    monkeypatch.setattr(indexing, "create_concrete_index", racing_create)
    monkeypatch.setattr(indexing, "write_pages", racing_write)
    reports = in_threads(lambda: drain_outbox(due_only=False, batch_size=4))

    assert sorted(written) == sorted(page.pk for page in waiting_entries)
    assert sum(report.applied for report in reports) == len(waiting_entries)
    assert len(get_engine().alias_indexes(name=alias_name())) == 1
    assert indexed_titles() == live_titles()
    assert not IndexOperation.objects.pending().exists()


def test_a_drain_on_a_host_whose_clock_runs_behind_still_writes_the_newer_page(
    waiting_entries, monkeypatch, indexed_titles, live_titles
):
    drain_outbox(due_only=False)
    ahead = time.time_ns
    monkeypatch.setattr(time, "time_ns", lambda: ahead() - HOUR_NS)
    page = waiting_entries[0]
    page.title = "Edited on a host whose clock is an hour slow"
    page.save_revision().publish()  # drained on commit, on the slow host
    drain_outbox(due_only=False)
    assert indexed_titles()[page.pk] == page.title
    assert indexed_titles() == live_titles()
