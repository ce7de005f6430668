from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from search.documents import ArticleDocument
from search.engine import get_engine
from search.indexing import document_version, drain_outbox, ensure_index, write_pages
from search.models import IndexOperation
from tests.factories import create_article

pytestmark = pytest.mark.django_db


def test_outbox_entry_is_written_with_the_publish_and_rolled_back_with_it(blog_index):
    page = create_article(parent=blog_index, title="Breathing", live=False)
    with pytest.raises(RuntimeError), transaction.atomic():
        page.save_revision().publish()
        assert IndexOperation.objects.filter(page_id=page.pk).exists()
        raise RuntimeError("the publish transaction fails")
    assert not IndexOperation.objects.filter(page_id=page.pk).exists()


def test_drain_runs_only_after_commit(blog_index, search_settings, after_commit):
    with after_commit() as callbacks:
        page = create_article(parent=blog_index, title="Breathing")
        assert IndexOperation.objects.pending().filter(page_id=page.pk).exists()
    assert callbacks, "the publish registered no on-commit drain"
    assert not IndexOperation.objects.pending().exists()


def test_entries_wait_when_search_is_not_configured(blog_index, settings, after_commit):
    settings.RELIEF_SEARCH = {**settings.RELIEF_SEARCH, "URL": ""}
    with after_commit():
        page = create_article(parent=blog_index, title="Breathing")
    entry = IndexOperation.objects.pending().get(page_id=page.pk)
    assert entry.attempts == 0


def test_unreachable_server_postpones_entries_with_growing_back_off(
    blog_index, settings
):
    settings.RELIEF_SEARCH = {
        **settings.RELIEF_SEARCH,
        "URL": "http://127.0.0.1:9",  # discard port: nothing listens
        "INDEX_PREFIX": "relief-test-unreachable",
    }
    page = create_article(parent=blog_index, title="Breathing")
    report = drain_outbox(due_only=False)
    first = IndexOperation.objects.pending().get(page_id=page.pk)
    drain_outbox(due_only=False)
    second = IndexOperation.objects.pending().get(page_id=page.pk)
    assert report.error and report.pending == 1
    assert (first.attempts, second.attempts) == (1, 2)
    assert "Connection" in first.last_error
    assert second.next_attempt_at - timezone.now() > timedelta(seconds=15)


def test_postponed_entries_are_skipped_until_due(blog_index, search_settings):
    page = create_article(parent=blog_index, title="Breathing")
    IndexOperation.objects.update(next_attempt_at=timezone.now() + timedelta(hours=1))
    assert drain_outbox(due_only=True).applied == 0
    assert drain_outbox(due_only=False).applied == 1
    assert not IndexOperation.objects.pending().filter(page_id=page.pk).exists()


def test_applied_entries_are_pruned_after_the_retention_period(
    blog_index, search_settings
):
    create_article(parent=blog_index, title="Breathing")
    drain_outbox(due_only=False)
    IndexOperation.objects.update(done_at=timezone.now() - timedelta(days=2))
    drain_outbox(due_only=False)
    assert not IndexOperation.objects.exists()


def test_a_write_that_read_older_data_never_overwrites_a_newer_one(
    blog_index, search_settings, indexed_titles
):
    """Two drains racing: the one that read the database first loses, whatever
    order their writes arrive in."""
    page = create_article(parent=blog_index, title="Old title")
    index = ensure_index()
    version_read_before_the_edit = document_version()
    page.title = "New title"
    page.save_revision().publish()
    write_pages(page_ids=[page.pk], index=index)
    [rejected] = get_engine().bulk(
        actions=[
            {
                "_op_type": "index",
                "_index": index,
                "_id": str(page.pk),
                "_source": {"page_id": page.pk, "title": "Old title"},
                "version": version_read_before_the_edit,
                "version_type": "external",
            }
        ],
        refresh=True,
        chunk_size=1,
    )
    assert rejected["index"]["status"] == 409
    assert indexed_titles() == {page.pk: "New title"}


# A page the engine keeps rejecting ---------------------------------------------


@pytest.fixture
def rejected_pages(monkeypatch):
    """Ids of pages whose documents the engine refuses (a page_id that is no
    number), as it refuses a document its mapping cannot take."""
    prepare = ArticleDocument.prepare
    rejected = set()

    def prepare_or_spoil(page) -> dict:
        document = prepare(page)
        if page.pk in rejected:
            return {**document, "page_id": "not a number"}
        return document

    monkeypatch.setattr(ArticleDocument, "prepare", staticmethod(prepare_or_spoil))
    return rejected


@pytest.fixture
def given_up_page(blog_index, search_settings, settings, rejected_pages):
    """A page the drain tried MAX_INDEX_ATTEMPTS (2) times and gave up on; the
    engine takes it again afterwards."""
    settings.RELIEF_SEARCH = {**search_settings, "MAX_INDEX_ATTEMPTS": 2}
    page = create_article(parent=blog_index, title="Rejected")
    rejected_pages.add(page.pk)
    drain_outbox(due_only=False)
    drain_outbox(due_only=False)
    rejected_pages.clear()
    return page


def search_index_status() -> str:
    out = StringIO()
    call_command("search_index", "status", stdout=out)
    return out.getvalue()


def test_a_rejected_page_is_retried_after_a_back_off(
    blog_index, search_settings, rejected_pages
):
    page = create_article(parent=blog_index, title="Rejected")
    rejected_pages.add(page.pk)

    first = drain_outbox(due_only=False)
    entry = IndexOperation.objects.pending().get(page_id=page.pk)
    too_soon = drain_outbox(due_only=True)

    assert (first.failed, too_soon.failed) == (1, 0)
    assert entry.attempts == 1 and entry.next_attempt_at > timezone.now()
    assert "page_id" in entry.last_error


def test_a_page_rejected_max_attempts_times_is_given_up_and_shown_with_its_error(
    blog_index, search_settings, settings, rejected_pages, indexed_titles, caplog
):
    settings.RELIEF_SEARCH = {**search_settings, "MAX_INDEX_ATTEMPTS": 2}
    page = create_article(parent=blog_index, title="Rejected")
    rejected_pages.add(page.pk)
    drain_outbox(due_only=False)
    drain_outbox(due_only=False)

    later = drain_outbox(due_only=False)

    assert (later.applied, later.failed, later.pending) == (0, 0, 0)
    assert page.pk not in indexed_titles()
    [gave_up] = [r for r in caplog.records if r.levelname == "ERROR"]
    assert f"page {page.pk}" in gave_up.getMessage()
    status = search_index_status()
    assert "Failed pages:     1" in status
    failure = next(line for line in status.splitlines() if "page_id" in line)
    assert f"page {page.pk} (2 attempts" in failure


def test_a_new_edit_clears_the_failure_and_tries_again(
    given_up_page, after_commit, indexed_titles
):
    with after_commit():
        given_up_page.title = "Accepted now"
        given_up_page.save_revision().publish()

    assert indexed_titles()[given_up_page.pk] == "Accepted now"
    assert "Failed pages:     0" in search_index_status()


@pytest.mark.parametrize("action", [["sync"], ["rebuild", "--no-progress"]])
def test_a_sync_or_rebuild_clears_the_failure_and_tries_again(
    given_up_page, indexed_titles, action
):
    call_command("search_index", *action, stdout=StringIO())

    assert indexed_titles()[given_up_page.pk] == "Rejected"
    assert "Failed pages:     0" in search_index_status()


def test_a_sync_that_is_still_rejected_keeps_the_failure(given_up_page, rejected_pages):
    rejected_pages.add(given_up_page.pk)

    with pytest.raises(Exception, match="rejected"):
        call_command("search_index", "sync", stdout=StringIO())

    assert "Failed pages:     1" in search_index_status()
