"""The taxonomy screens (blog/wagtail_hooks.py), driven through their admin forms."""

import pytest
from django.urls import reverse

from blog.models import Author, PainTopic, TherapyType
from tests.factories import (
    AuthorFactory,
    PainTopicFactory,
    TherapyTypeFactory,
    create_article,
)

pytestmark = pytest.mark.django_db


def url(model, action: str, *args) -> str:
    return reverse(
        f"relief_blog_{model._meta.model_name}_modeladmin_{action}", args=args
    )


def listed(response) -> str:
    """Text of the result table only, not the filter sidebar."""
    html = response.content.decode()
    start = html.find("<tbody>")
    return html[start : html.find("</tbody>", start)] if start >= 0 else ""


@pytest.fixture
def editor(client, django_user_model):
    user = django_user_model.objects.create_superuser("editor", "e@example.org", "pw")
    client.force_login(user)
    return client


def test_taxonomy_menu_lists_authors_topics_and_therapy_types(editor):
    response = editor.get(reverse("wagtailadmin_home"))
    html = response.content.decode()
    assert "Taxonomy" in html
    for model in (Author, PainTopic, TherapyType):
        assert url(model, "index") in html


def test_author_list_filters_by_kind_and_searches_by_name(editor):
    AuthorFactory(name="Dana Reyes", kind=Author.Kind.PERSON)
    AuthorFactory(name="The Clearing Team", kind=Author.Kind.TEAM)
    by_kind = listed(editor.get(url(Author, "index"), {"kind__exact": "team"}))
    assert "The Clearing Team" in by_kind
    assert "Dana Reyes" not in by_kind
    by_name = listed(editor.get(url(Author, "index"), {"q": "reyes"}))
    assert "Dana Reyes" in by_name
    assert "The Clearing Team" not in by_name


def test_topic_list_filters_by_parent(editor):
    chronic = PainTopicFactory(name="Chronic pain")
    PainTopicFactory(name="Back pain", parent=chronic)
    PainTopicFactory(name="Migraine")
    html = listed(
        editor.get(url(PainTopic, "index"), {"parent__id__exact": chronic.pk})
    )
    assert "Back pain" in html
    assert "Migraine" not in html


def test_editor_creates_and_edits_an_author(editor):
    response = editor.post(
        url(Author, "create"),
        {"name": "Sam Okafor", "slug": "sam-okafor", "kind": "person", "role": "OTR/L"},
    )
    assert response.status_code == 302
    author = Author.objects.get(slug="sam-okafor")
    assert author.role == "OTR/L"

    response = editor.post(
        url(Author, "edit", author.pk),
        {"name": "Sam Okafor", "slug": "sam-okafor", "kind": "person", "role": "OTD"},
    )
    assert response.status_code == 302
    author.refresh_from_db()
    assert author.role == "OTD"


def test_duplicate_author_slug_is_a_form_error_naming_the_holder(editor):
    AuthorFactory(name="Dana Reyes", slug="dana")
    response = editor.post(
        url(Author, "create"), {"name": "Dana Other", "slug": "dana", "kind": "person"}
    )
    assert response.status_code == 200
    assert 'The slug "dana" is already used by author "Dana Reyes"' in (
        response.content.decode().replace("&quot;", '"')
    )
    assert Author.objects.filter(slug="dana").count() == 1


def test_editor_creates_a_child_topic(editor):
    chronic = PainTopicFactory(name="Chronic pain")
    response = editor.post(
        url(PainTopic, "create"),
        {
            "name": "Neck pain",
            "slug": "neck-pain",
            "parent": chronic.pk,
            "synonyms": "cervicalgia\nstiff neck",
        },
    )
    assert response.status_code == 302
    topic = PainTopic.objects.get(slug="neck-pain")
    assert topic.parent == chronic
    assert topic.synonym_list == ["cervicalgia", "stiff neck"]


@pytest.mark.parametrize("parent_is", ["itself", "its grandchild"])
def test_topic_cannot_become_its_own_ancestor(editor, parent_is):
    top = PainTopicFactory(name="Chronic pain")
    middle = PainTopicFactory(name="Back pain", parent=top)
    bottom = PainTopicFactory(name="Sciatica", parent=middle)
    new_parent = top if parent_is == "itself" else bottom
    response = editor.post(
        url(PainTopic, "edit", top.pk),
        {"name": "Chronic pain", "slug": top.slug, "parent": new_parent.pk},
    )
    assert response.status_code == 200
    assert "A topic cannot sit under itself." in response.content.decode()
    top.refresh_from_db()
    assert top.parent is None


def test_deleting_an_unused_author_and_topic_succeeds(editor):
    author = AuthorFactory(name="Unused Author")
    topic = PainTopicFactory(name="Unused topic")
    therapy = TherapyTypeFactory(name="Unused therapy")
    for obj in (author, topic, therapy):
        confirm = editor.get(url(type(obj), "delete", obj.pk)).content.decode()
        assert "Yes, delete" in confirm
        assert editor.post(url(type(obj), "delete", obj.pk)).status_code == 302
        assert not type(obj).objects.filter(pk=obj.pk).exists()


def test_deleting_an_author_used_by_an_article_is_refused_naming_it(editor, blog_index):
    author = AuthorFactory(name="Dana Reyes")
    create_article(parent=blog_index, title="Pacing for back pain", authors=[author])
    page = editor.get(url(Author, "delete", author.pk)).content.decode()
    assert "cannot be deleted" in page
    assert "Pacing for back pain" in page
    assert "Yes, delete" not in page

    response = editor.post(url(Author, "delete", author.pk))
    assert response.status_code == 200
    assert "Pacing for back pain" in response.content.decode()
    assert Author.objects.filter(pk=author.pk).exists()


def test_deleting_a_medical_reviewer_is_refused(editor, blog_index):
    reviewer = AuthorFactory(name="Dr Lee")
    create_article(
        parent=blog_index,
        title="Sleep and fibromyalgia",
        medical_reviewer=reviewer,
        last_reviewed="2024-05-01",
    )
    response = editor.post(url(Author, "delete", reviewer.pk))
    assert "Sleep and fibromyalgia" in response.content.decode()
    assert Author.objects.filter(pk=reviewer.pk).exists()


def test_deleting_a_topic_used_only_by_a_draft_is_refused(editor, blog_index):
    topic = PainTopicFactory(name="Neuropathy")
    page = create_article(parent=blog_index, title="Burning feet, explained")
    # A later draft adds the topic; the live page does not have it yet.
    page.topics = [topic]
    page.save_revision()
    assert not topic.articles.exists()

    response = editor.post(url(PainTopic, "delete", topic.pk))
    html = response.content.decode()
    assert "Burning feet, explained" in html
    assert "with a draft" in html
    assert PainTopic.objects.filter(pk=topic.pk).exists()


def test_deleting_a_therapy_type_used_by_an_article_is_refused(editor, blog_index):
    therapy = TherapyTypeFactory(name="Acupuncture")
    create_article(
        parent=blog_index, title="Needles and nerves", therapy_types=[therapy]
    )
    response = editor.post(url(TherapyType, "delete", therapy.pk))
    assert "Needles and nerves" in response.content.decode()
    assert TherapyType.objects.filter(pk=therapy.pk).exists()


def test_deleting_a_topic_with_child_topics_is_refused(editor):
    chronic = PainTopicFactory(name="Chronic pain")
    PainTopicFactory(name="Back pain", parent=chronic)
    response = editor.post(url(PainTopic, "delete", chronic.pk))
    assert "Back pain" in response.content.decode()
    assert PainTopic.objects.filter(pk=chronic.pk).exists()
