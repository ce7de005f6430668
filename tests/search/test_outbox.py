from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

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
