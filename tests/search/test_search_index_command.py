import os
import subprocess
import sys
from io import StringIO
from unittest import mock

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from blog.models import ArticlePage
from search.documents import alias_name
from search.embedded_search import free_port
from search.engine import get_engine
from search.indexing import compact_index, indexes_behind_alias
from search.models import IndexOperation
from tests.factories import create_article

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("search_index", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def articles(blog_index, search_settings, after_commit):
    with after_commit():
        return [
            create_article(parent=blog_index, title=f"Article {n}") for n in range(3)
        ]


def test_status_reports_counts_and_zero_drift(articles):
    output = run("status")
    assert f"Alias:            {alias_name()}" in output
    assert "Documents:        3" in output
    assert "Live articles:    3" in output
    assert "Pending outbox:   0" in output
    assert "Drift:            0 " in output
    assert "Failed pages:     0" in output


def test_sync_repairs_injected_drift(articles, indexed_titles, live_titles):
    index = indexes_behind_alias()[0]
    get_engine().bulk(
        actions=[
            {"_op_type": "delete", "_index": index, "_id": str(articles[0].pk)},
            {
                "_op_type": "index",
                "_index": index,
                "_id": "987654",
                "_source": {"page_id": 987654, "title": "Ghost"},
            },
        ],
        refresh=True,
        chunk_size=2,
    )
    assert "Drift:            2 " in run("status")
    output = run("sync")
    assert "Indexed 1 missing, deleted 1 extra" in output
    assert indexed_titles() == live_titles()
    assert "Drift:            0 " in run("status")


def test_status_and_sync_find_and_repair_stale_content(
    articles, indexed_titles, live_titles
):
    # A change that queued no index operation, as a snippet edit without its
    # receiver would: the ids still match, the content does not.
    stale = articles[1]
    ArticlePage.objects.filter(pk=stale.pk).update(title="Renamed behind its back")
    output = run("status")
    assert "Drift:            1 " in output
    assert f"stale [{stale.pk}]" in output
    assert "refreshed 1 stale" in run("sync")
    assert indexed_titles() == live_titles()
    assert "Drift:            0 " in run("status")


def test_sync_applies_the_outbox(blog_index, search_settings, indexed_titles):
    page = create_article(parent=blog_index, title="Never drained")  # no commit
    assert IndexOperation.objects.pending().filter(page_id=page.pk).exists()
    run("sync")
    assert indexed_titles() == {page.pk: "Never drained"}
    assert not IndexOperation.objects.pending().exists()


def test_drain_applies_pending_entries(blog_index, search_settings, indexed_titles):
    page = create_article(parent=blog_index, title="Waiting")
    assert "Applied 1 outbox entries" in run("drain")
    assert indexed_titles() == {page.pk: "Waiting"}


def test_rebuild_replaces_the_concrete_index(articles, indexed_titles, live_titles):
    before = indexes_behind_alias()
    output = run("rebuild", "--no-progress")
    after = indexes_behind_alias()
    assert "Loaded 3 articles" in output
    assert len(after) == 1 and after != before
    assert not get_engine().index_exists(name=before[0])
    assert indexed_titles() == live_titles()


def test_a_rebuild_ends_merged_into_one_segment(
    blog_index, search_settings, indexed_titles
):
    # Each article indexed on its own leaves a segment of its own.
    for n in range(3):
        create_article(parent=blog_index, title=f"Segment {n}")
        run("drain")
        get_engine().refresh(index=alias_name())
    before = get_engine().primary_segment_count(index=alias_name())
    compact_index()
    assert get_engine().primary_segment_count(index=alias_name()) == 1
    # noida-db, the Elasticsearch stand-in, keeps one segment however written.
    assert before == 1 or before >= 3
    # The rebuild queues the merge after the vectors it lacks (run at once by
    # the test settings' task backend).
    create_article(parent=blog_index, title="Segment 3")
    with mock.patch("search.tasks.compact_index") as merge:
        output = run("rebuild", "--no-progress")
    assert "merge of the index into one segment" in output
    merge.assert_called_once_with()
    assert "Segment 3" in indexed_titles().values()


def test_unreachable_server_is_a_one_line_error(settings):
    settings.RELIEF_SEARCH = {**settings.RELIEF_SEARCH, "URL": "http://127.0.0.1:9"}
    with pytest.raises(CommandError, match="unreachable") as error:
        run("status")
    assert "\n" not in str(error.value)


def test_unreachable_server_exits_non_zero_without_a_traceback():
    result = subprocess.run(
        [sys.executable, "manage.py", "search_index", "status"],
        cwd=django_settings.BASE_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "cms.settings.test",
            "ELASTICSEARCH_URL": f"http://127.0.0.1:{free_port()}",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().startswith("CommandError: Search server http")
    assert len(result.stderr.strip().splitlines()) == 1


def test_sync_fills_the_vectors_of_articles_indexed_while_semantic_search_was_off(
    blog_index, search_settings, after_commit, settings
):
    settings.RELIEF_SEARCH = {**search_settings, "SEMANTIC_RERANK": False}
    with after_commit():
        pages = [
            create_article(parent=blog_index, title=f"Article {n}") for n in range(2)
        ]
    assert "Vectors:          0 of 2 documents (semantic search is off)" in run(
        "status"
    )

    settings.RELIEF_SEARCH = search_settings
    assert "vectors of 2 articles queued for the task worker" in run("sync")
    assert "Vectors:          2 of 2 documents" in run("status")
    engine = get_engine()
    for page in pages:
        source = engine.get_source(index=alias_name(), doc_id=str(page.pk))
        assert len(source["embedding"]) == 384
    assert "every article has its vectors" in run("sync")


def test_a_rebuild_loads_every_article_then_queues_only_the_vectors_it_lacks(
    articles, settings
):
    # The vectors queued during the first rebuild were filled by the test
    # settings' immediate task backend; the second finds them in the cache.
    assert "every article has its vectors" in run("rebuild", "--no-progress")
