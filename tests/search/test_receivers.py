from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from wagtail.models import PageViewRestriction

from blog.models import BlogIndexPage
from search.documents import alias_name
from search.engine import get_engine
from search.models import IndexOperation
from tests.factories import AuthorFactory, PainTopicFactory, create_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(blog_index, search_settings, after_commit):
    """One live article, already in the index."""
    with after_commit():
        return create_article(parent=blog_index, title="Pacing for fibromyalgia")


def document(page_id: int) -> dict:
    engine = get_engine()
    engine.refresh(index=alias_name())
    return engine.get_source(index=alias_name(), doc_id=str(page_id))


def test_publishing_an_article_indexes_it(published, indexed_titles):
    assert indexed_titles() == {published.pk: "Pacing for fibromyalgia"}


def test_publishing_an_edit_replaces_the_document(
    published, after_commit, indexed_titles
):
    published.title = "Pacing for fibromyalgia flares"
    with after_commit():
        published.save_revision().publish()
    assert indexed_titles() == {published.pk: "Pacing for fibromyalgia flares"}


def test_unpublishing_removes_the_document(published, after_commit, indexed_titles):
    with after_commit():
        published.unpublish()
    assert indexed_titles() == {}


def test_deleting_an_article_removes_the_document(
    published, after_commit, indexed_titles
):
    with after_commit():
        published.delete()
    assert indexed_titles() == {}


def test_deleting_the_blog_index_removes_every_article_below_it(
    published, blog_index, after_commit, indexed_titles
):
    with after_commit():
        second = create_article(parent=blog_index, title="Sleep and pain")
    assert set(indexed_titles()) == {published.pk, second.pk}
    with after_commit():
        blog_index.delete()
    assert indexed_titles() == {}


def test_moving_an_article_updates_its_url(published, site_tree, after_commit):
    home, _ = site_tree
    guides = home.add_child(instance=BlogIndexPage(title="Guides", slug="guides"))
    with after_commit():
        published.move(guides, pos="last-child")
    assert document(published.pk)["url"] == "/guides/pacing-for-fibromyalgia/"


def test_renaming_the_blog_index_slug_updates_article_urls(
    published, blog_index, after_commit
):
    blog_index.slug = "library"
    with after_commit():
        blog_index.save_revision().publish()
    assert document(published.pk)["url"] == "/library/pacing-for-fibromyalgia/"


def test_privacy_on_an_ancestor_hides_articles_until_it_is_lifted(
    published, blog_index, after_commit, indexed_titles
):
    with after_commit():
        restriction = PageViewRestriction.objects.create(
            page=blog_index,
            restriction_type=PageViewRestriction.PASSWORD,
            password="members",  # noqa: S106 - test data
        )
    assert indexed_titles() == {}
    with after_commit():
        restriction.delete()
    assert indexed_titles() == {published.pk: "Pacing for fibromyalgia"}


def test_scheduled_expiry_removes_the_article(published, after_commit, indexed_titles):
    type(published).objects.filter(pk=published.pk).update(
        expire_at=timezone.now() - timedelta(minutes=1)
    )
    with after_commit():
        call_command("publish_scheduled", verbosity=0)
    assert indexed_titles() == {}


def test_scheduled_go_live_indexes_the_article(
    blog_index, search_settings, after_commit, indexed_titles
):
    with after_commit():
        page = create_article(parent=blog_index, title="Heat or ice?", live=False)
        page.save_revision(approved_go_live_at=timezone.now() - timedelta(minutes=1))
    assert indexed_titles() == {}
    with after_commit():
        call_command("publish_scheduled", verbosity=0)
    assert indexed_titles() == {page.pk: "Heat or ice?"}


def test_renaming_an_author_updates_their_articles(
    blog_index, search_settings, after_commit
):
    author = AuthorFactory(name="Sam Rivera")
    with after_commit():
        page = create_article(parent=blog_index, title="Desk posture", authors=[author])
    author.name = "Dr Sam Rivera"
    with after_commit():
        author.save()
    assert document(page.pk)["author_names"] == ["Dr Sam Rivera"]


def test_renaming_a_parent_topic_updates_articles_of_its_subtopics(
    blog_index, search_settings, after_commit
):
    chronic = PainTopicFactory(name="Chronic pain")
    back = PainTopicFactory(name="Back pain", parent=chronic)
    with after_commit():
        page = create_article(parent=blog_index, title="Core work", topics=[back])
    chronic.slug = "persistent-pain"
    with after_commit():
        chronic.save()
    assert document(page.pk)["topic_tree_slugs"] == ["back-pain", "persistent-pain"]


def test_editing_only_topic_synonyms_queues_nothing(blog_index, search_settings):
    topic = PainTopicFactory(name="Back pain")
    create_article(parent=blog_index, title="Core work", topics=[topic])
    queued = IndexOperation.objects.count()
    topic.synonyms = "lumbago"
    topic.save()
    assert IndexOperation.objects.count() == queued


def test_draft_save_never_reaches_the_index(
    published, blog_index, after_commit, indexed_titles
):
    with after_commit():
        create_article(parent=blog_index, title="Unfinished draft", live=False)
        published.title = "Retitled in draft only"
        published.save_revision()
    assert indexed_titles() == {published.pk: "Pacing for fibromyalgia"}


# Shared snippets: boilerplate, never in the documents ---------------------------------


def test_editing_a_call_to_action_reindexes_no_article(
    blog_index, search_settings, after_commit
):
    from tests.factories import CallToActionFactory

    cta = CallToActionFactory(title="Try hydrotherapy", text="Warm pools ease joints.")
    with after_commit():
        create_article(
            parent=blog_index,
            title="Moving with arthritis",
            body=[("call_to_action", {"call_to_action": cta})],
        )
    entries = IndexOperation.objects.count()
    cta.title, cta.text = "Try aquatic exercise", "Buoyancy takes weight off joints."
    with after_commit():
        cta.save()
    assert IndexOperation.objects.count() == entries
