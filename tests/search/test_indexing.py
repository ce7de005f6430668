import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from blog.models import ArticlePage
from search.documents import ArticleDocument, alias_name
from search.engine import get_engine
from search.indexing import (
    create_concrete_index,
    ensure_index,
    indexes_behind_alias,
    write_pages,
)
from search.rebuild import load_index, rebuild_index
from tests.factories import (
    PainTopicFactory,
    TherapyTypeFactory,
    comparison,
    create_article,
)

pytestmark = pytest.mark.django_db


def test_indexed_article_is_found_through_the_alias(blog_index, search_settings):
    page = create_article(parent=blog_index, title="Walking with arthritis")
    write_pages(page_ids=[page.pk], index=ensure_index(), refresh=True)
    response = get_engine().search(
        index=alias_name(), body={"query": {"match": {"title": "walk arthritis"}}}
    )
    assert [hit["_id"] for hit in response["hits"]["hits"]] == [str(page.pk)]


def test_rebuild_keeps_search_answering_and_keeps_edits_made_during_the_load(
    blog_index, search_settings, after_commit, indexed_titles, live_titles
):
    with after_commit():
        pages = [
            create_article(parent=blog_index, title=f"Guide {n}") for n in range(6)
        ]
    hits_seen_during_load = []

    def during_each_batch(loaded: int) -> None:
        get_engine().refresh(index=alias_name())
        response = get_engine().search(
            index=alias_name(), body={"query": {"match_all": {}}}
        )
        hits_seen_during_load.append(response["hits"]["total"]["value"])
        if len(hits_seen_during_load) == 1:
            # An editor publishes while the load runs; the drain writes to the
            # old index, behind the load's back.
            with after_commit():
                pages[-1].title = "Guide 5, revised during the rebuild"
                pages[-1].save_revision().publish()
                create_article(parent=blog_index, title="Published during the rebuild")
                pages[0].unpublish()

    report = rebuild_index(batch_size=2, on_batch=during_each_batch)

    assert len(hits_seen_during_load) >= 3
    assert all(hits > 0 for hits in hits_seen_during_load)
    assert indexes_behind_alias() == [report.index]
    titles = indexed_titles()
    assert titles == live_titles()
    assert titles[pages[-1].pk] == "Guide 5, revised during the rebuild"
    assert pages[0].pk not in titles


def test_rebuild_load_runs_the_same_queries_for_few_or_many_articles(
    blog_index, search_settings
):
    physio = TherapyTypeFactory(name="Physical therapy")
    occupational = TherapyTypeFactory(name="Occupational therapy")

    def load_queries(*, articles: int) -> int:
        for n in range(articles):
            create_article(
                parent=blog_index,
                title=f"Article {articles}-{n}",
                topics=[PainTopicFactory(name=f"Topic {articles}-{n}")],
                # Therapies picked from the taxonomy inside the body.
                body=[
                    comparison([physio, occupational], [("Focus", ["Moving", "Tasks"])])
                ],
            )
        index = create_concrete_index()
        with CaptureQueriesContext(connection) as queries:
            loaded, _ = load_index(index=index, batch_size=500)
        assert loaded == ArticleDocument.get_queryset().count()
        ArticlePage.objects.all().delete()
        return len(queries)

    load_queries(articles=1)  # warms the site-root-paths cache
    assert load_queries(articles=2) == load_queries(articles=12)
