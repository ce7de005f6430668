"""Any sequence of editor actions leaves the index equal to the database: the
same article ids, titles and topic names as ArticleDocument.get_queryset()."""

import itertools
import uuid

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from wagtail.models import PageViewRestriction

from blog.models import ArticlePage, BlogIndexPage
from home.models import HomePage
from search.documents import ArticleDocument, alias_name
from search.engine import get_engine
from tests.factories import PainTopicFactory, create_article

pytestmark = pytest.mark.django_db

ACTIONS = (
    "create",
    "edit_draft",
    "publish",
    "unpublish",
    "restrict",
    "unrestrict",
    "delete",
    "move",
    "rename_topic",
)
operations = st.lists(
    st.tuples(st.sampled_from(ACTIONS), st.integers(min_value=0, max_value=20)),
    min_size=1,
    max_size=10,
)


class Editor:
    """Carries out one action on the example's own little site."""

    def __init__(self):
        home = HomePage.objects.get()  # fresh: tree counters change per example
        tag = uuid.uuid4().hex[:6]
        self.indexes = [
            home.add_child(instance=BlogIndexPage(title=name, slug=f"{name}-{tag}"))
            for name in ("articles", "guides")
        ]
        self.topic = PainTopicFactory(name=f"Topic {tag}")
        self.article_ids: list[int] = []
        self.names = (f"{tag} {n}" for n in itertools.count())

    def article(self, n: int) -> ArticlePage | None:
        existing = list(
            ArticlePage.objects.filter(pk__in=self.article_ids).order_by("pk")
        )
        return existing[n % len(existing)] if existing else None

    def restriction_target(self, n: int):
        pages = [*self.indexes, *ArticlePage.objects.filter(pk__in=self.article_ids)]
        return pages[n % len(pages)]

    def do(self, action: str, n: int) -> None:
        if action == "create":
            page = create_article(
                parent=self.indexes[n % 2],
                title=f"Article {next(self.names)}",
                topics=[self.topic],
            )
            self.article_ids.append(page.pk)
        elif action == "rename_topic":
            self.topic.name = f"Topic {next(self.names)}"
            self.topic.save()
        elif action in ("restrict", "unrestrict"):
            target = self.restriction_target(n)
            restrictions = PageViewRestriction.objects.filter(page=target)
            if action == "unrestrict":
                restrictions.delete()
            elif not restrictions.exists():
                PageViewRestriction.objects.create(
                    page=target,
                    restriction_type=PageViewRestriction.PASSWORD,
                    password="members",  # noqa: S106 - test data
                )
        elif page := self.article(n):
            self.do_to_article(action, page)

    def do_to_article(self, action: str, page: ArticlePage) -> None:
        if action == "edit_draft":
            page.title = f"Draft {next(self.names)}"
            page.save_revision()
        elif action == "publish":
            page.title = f"Article {next(self.names)}"
            page.save_revision().publish()
        elif action == "unpublish" and page.live:
            page.unpublish()
        elif action == "delete":
            page.delete()
        elif action == "move":
            parent = page.get_parent()
            target = next(i for i in self.indexes if i.pk != parent.pk)
            page.move(BlogIndexPage.objects.get(pk=target.pk), pos="last-child")


def in_index() -> dict[int, tuple]:
    engine = get_engine()
    if not engine.alias_indexes(name=alias_name()):
        return {}
    engine.refresh(index=alias_name())
    hits = engine.search(
        index=alias_name(), body={"size": 1000, "_source": ["title", "topics"]}
    )
    return {
        int(hit["_id"]): (
            hit["_source"]["title"],
            sorted(t["name"] for t in hit["_source"]["topics"]),
        )
        for hit in hits["hits"]["hits"]
    }


def in_database() -> dict[int, tuple]:
    return {
        page.pk: (page.title, sorted(t.name for t in page.topics.all()))
        for page in ArticleDocument.get_queryset()
    }


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(steps=operations)
def test_index_matches_the_database_after_every_step(
    steps, site_tree, search_settings, after_commit, settings_fixture_for_examples
):
    with settings_fixture_for_examples(), transaction.atomic():
        editor = Editor()
        for parent in (0, 1):  # every action then has articles to act on
            with after_commit():
                editor.do("create", parent)
        for action, n in steps:
            with after_commit():
                editor.do(action, n)
            assert in_index() == in_database(), f"after {action} {n}"
        transaction.set_rollback(True)  # the next example starts from the same site


@pytest.fixture
def settings_fixture_for_examples(settings, search_settings):
    """A context giving each example an index of its own, deleted afterwards."""
    from contextlib import contextmanager

    @contextmanager
    def own_index():
        settings.RELIEF_SEARCH = {
            **search_settings,
            "INDEX_PREFIX": f"relief-test-{uuid.uuid4().hex[:10]}",
        }
        try:
            yield
        finally:
            engine = get_engine()
            for index in engine.alias_indexes(name=alias_name()):
                engine.delete_index(name=index)
            settings.RELIEF_SEARCH = search_settings

    return own_index
