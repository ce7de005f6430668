"""The search server going away mid-way through editing: publishing carries on,
the outbox holds the work, and one drain after the restart catches up."""

import pytest

from cms.embedded_search import EmbeddedServer
from search.models import IndexOperation
from search.params import SearchParams
from search.query import search_articles
from tests.factories import create_article

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
        from django.core.management import call_command

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
