"""The taxonomy screens (blog/wagtail_hooks.py), driven through their admin forms."""

import re
from html import unescape

import pytest
from django.urls import reverse
from wagtail.test.utils.form_data import (
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from blog.models import ArticlePage, Author, PainTopic, TherapyType
from tests.factories import (
    AuthorFactory,
    CallToActionFactory,
    ImageFactory,
    MedicalDisclaimerFactory,
    NewsletterSignupFactory,
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


def test_parent_filter_offers_only_topics_that_have_subtopics(editor):
    chronic = PainTopicFactory(name="Chronic pain")
    PainTopicFactory(name="Back pain", parent=chronic)
    PainTopicFactory(name="Migraine")
    html = editor.get(url(PainTopic, "index")).content.decode()
    sidebar = html[html.find("changelist-filter") : html.find("result-list")]
    choices = re.findall(r'<a href="\?[^"]*">([^<]*)</a>', sidebar)
    assert choices == ["All", "Chronic pain"]


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


# Articles through the page editor ----------------------------------------------

RICH_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "h4"]
SHORT_FEATURES = ["bold", "italic", "link"]


def list_block(items: list) -> dict:
    """ListBlock form data: every item carries its own order and deleted flag."""
    data = {
        str(i): {"value": item, "deleted": "", "order": str(i)}
        for i, item in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


COLUMNS = ("first", "second", "third", "fourth")


def comparison_block(therapies: list, rows: list[tuple[str, list[str]]]) -> dict:
    """Form data of a comparison: a therapy type (by id) or a free-text name per
    column, and every row with one cell per column, as the editor posts them."""
    columns = {slot: {"therapy": "", "other_name": ""} for slot in COLUMNS}
    for slot, therapy in zip(COLUMNS, therapies, strict=False):
        if isinstance(therapy, str):
            columns[slot]["other_name"] = therapy
        else:
            columns[slot]["therapy"] = therapy.pk
    return {
        "caption": "Physical and occupational therapy compared",
        "therapies": columns,
        "rows": list_block(
            [
                {
                    "dimension": d,
                    "cells": {
                        slot: cell
                        for slot, cell in zip(
                            COLUMNS, [*cells, "", "", ""], strict=False
                        )
                    },
                }
                for d, cells in rows
            ]
        ),
        "summary": rich_text("", features=SHORT_FEATURES),
    }


PT_OT_ROWS = [
    ("Focus", ["Movement and strength", "Everyday tasks"]),
    ("Settings", ["Clinics", "Homes and workplaces"]),
]


@pytest.fixture
def taxonomy(db):
    author = AuthorFactory(name="The Clearing Team", kind=Author.Kind.TEAM)
    reviewer = AuthorFactory(name="Dr Ada Quinn", role="MD, physiatrist")
    return {
        "author": author,
        "reviewer": reviewer,
        "topic": PainTopicFactory(name="Back pain"),
        "therapy": TherapyTypeFactory(name="Physical therapy"),
        "image": ImageFactory(title="Calm gradient"),
        "signup": NewsletterSignupFactory(),
        "cta": CallToActionFactory(),
        "disclaimer": MedicalDisclaimerFactory(),
    }


def article_form(t: dict, *, body: list, **overrides) -> dict:
    data = {
        "title": "PT or OT: which one helps?",
        "slug": "pt-or-ot",
        "summary": "How the two therapies differ, and how to choose.",
        "hero_image": t["image"].pk,
        "hero_alt_text": "Soft blue and green shapes",
        "article_authors": inline_formset([{"author": t["author"].pk}], min=1),
        "topics": [t["topic"].pk],
        "therapy_types": [t["therapy"].pk],
        "body": streamfield(body),
        "medical_reviewer": t["reviewer"].pk,
        "last_reviewed": "2024-03-01",
        **overrides,
    }
    form = nested_form_data({k: v for k, v in data.items() if k not in LIST_FIELDS})
    form.update({k: v for k, v in data.items() if k in LIST_FIELDS})
    return form


# Multi-select fields post a list, which nested_form_data would flatten.
LIST_FIELDS = ("topics", "therapy_types")


def every_block(t: dict, heading: str = "What is the difference?") -> list:
    return [
        ("section_heading", {"heading": heading, "anchor": ""}),
        ("rich_text", rich_text("<p>Both help you move.</p>", features=RICH_FEATURES)),
        (
            "list",
            {
                "lead_in": "Popular exercises include:",
                "style": "numbered",
                "items": list_block(["Bridges", "Wall slides"]),
            },
        ),
        (
            "image",
            {"image": t["image"].pk, "alt_text": "A gradient", "caption": "Calm"},
        ),
        ("pull_quote", {"quote": "Small steps count.", "attribution": "A reader"}),
        ("newsletter_callout", {"signup": t["signup"].pk}),
        (
            "therapy_comparison",
            comparison_block([t["therapy"], "Occupational therapy"], PT_OT_ROWS),
        ),
        (
            "bottom_line",
            {
                "heading": "The bottom line",
                "text": rich_text("<p>Ask which fits.</p>", features=SHORT_FEATURES),
                "takeaways": list_block(["Start gently"]),
            },
        ),
        ("call_to_action", {"call_to_action": t["cta"].pk}),
        ("medical_disclaimer", {"disclaimer": t["disclaimer"].pk}),
    ]


def add_url(parent) -> str:
    return reverse(
        "wagtailadmin_pages:add", args=("relief_blog", "articlepage", parent.pk)
    )


def test_editor_creates_edits_and_publishes_an_article_with_every_block(
    editor, blog_index, taxonomy
):
    t = taxonomy
    response = editor.post(add_url(blog_index), article_form(t, body=every_block(t)))
    assert response.status_code == 302, form_errors(response)
    page = ArticlePage.objects.get(slug="pt-or-ot")
    assert not page.live
    draft = page.get_latest_revision_as_object()
    assert [child.block_type for child in draft.body] == [
        name for name, _ in every_block(t)
    ]
    assert draft.table_of_contents == [
        {"anchor": "what-is-the-difference", "title": "What is the difference?"}
    ]

    # The edit form posts back the anchor it was given and the author row's id.
    edited = every_block(t, heading="So how do they differ?")
    edited[0][1]["anchor"] = "what-is-the-difference"
    link = draft.article_authors.get()
    authors = inline_formset([{"author": t["author"].pk, "id": link.pk}], initial=1)
    response = editor.post(
        reverse("wagtailadmin_pages:edit", args=(page.pk,)),
        {
            **article_form(t, body=edited, article_authors=authors),
            "action-publish": "publish",
        },
    )
    assert response.status_code == 302, form_errors(response)

    page = ArticlePage.objects.get(pk=page.pk)
    assert page.live
    assert page.published_date is not None
    assert page.table_of_contents == [
        {"anchor": "what-is-the-difference", "title": "So how do they differ?"}
    ]
    assert page.authors == [t["author"]]
    assert list(page.topics.all()) == [t["topic"]]
    assert list(page.therapy_types.all()) == [t["therapy"]]
    assert page.medical_reviewer == t["reviewer"]
    body = {child.block_type: child.value for child in page.body}
    assert list(body["list"]["items"]) == ["Bridges", "Wall slides"]
    assert body["image"]["image"] == t["image"]
    assert body["newsletter_callout"]["signup"] == t["signup"]
    assert body["call_to_action"]["call_to_action"] == t["cta"]
    assert body["therapy_comparison"].table_rows[0] == {
        "dimension": "Focus",
        "cells": [
            ("Physical therapy", "Movement and strength"),
            ("Occupational therapy", "Everyday tasks"),
        ],
    }
    assert page.disclaimer == t["disclaimer"]


def form_errors(response) -> str:
    """The editor-visible error text, to make a failing post readable."""
    html = response.content.decode() if hasattr(response, "content") else ""
    return (
        " | ".join(
            part.split("<", 1)[0] for part in html.split('class="error-message">')[1:]
        )
        or html[:2000]
    )


@pytest.mark.parametrize(
    ("therapies", "rows", "message"),
    [
        (
            ["Massage therapy"],
            [("Focus", ["Kneading"])],
            "a comparison needs at least two",
        ),
        (
            ["Massage therapy", "massage therapy"],
            [("Focus", ["a", "b"])],
            "is already compared in another column",
        ),
        (
            ["Physical therapy", "Occupational therapy"],
            [("Focus", ["a", "b"])],
            "is in Therapy types: pick it from the list",
        ),
        (
            ["Massage therapy", "Occupational therapy"],
            [("Focus", ["Kneading"])],
            "Fill in this cell for the therapy above",
        ),
    ],
    ids=["one-therapy", "duplicate-therapy", "free-text-in-taxonomy", "empty-cell"],
)
@pytest.mark.parametrize(
    "action", [{}, {"action-publish": "publish"}], ids=["save", "publish"]
)
def test_comparison_errors_are_shown_in_the_editor(
    editor, blog_index, taxonomy, therapies, rows, message, action
):
    body = [("therapy_comparison", comparison_block(therapies, rows))]
    form = article_form(taxonomy, body=body)
    response = editor.post(add_url(blog_index), {**form, **action})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ArticlePage.objects.exists()


def test_topics_and_therapy_types_are_ticked_one_by_one(editor, blog_index, taxonomy):
    second_topic = PainTopicFactory(name="Neck pain")
    html = editor.get(add_url(blog_index)).content.decode()
    for name, options in (
        ("topics", (taxonomy["topic"], second_topic)),
        ("therapy_types", (taxonomy["therapy"],)),
    ):
        boxes = re.findall(rf'<input type="checkbox" name="{name}" value="(\d+)"', html)
        assert boxes == [str(option.pk) for option in options]
        assert f'<select name="{name}"' not in html

    form = article_form(
        taxonomy, body=[], topics=[taxonomy["topic"].pk, second_topic.pk]
    )
    response = editor.post(add_url(blog_index), form)
    assert response.status_code == 302, form_errors(response)
    draft = ArticlePage.objects.get().get_latest_revision_as_object()
    assert set(draft.topics.all()) == {taxonomy["topic"], second_topic}


def test_a_new_comparison_offers_two_therapy_columns_from_the_taxonomy(
    editor, blog_index, taxonomy
):
    # The block definitions travel HTML-escaped inside the editor's page.
    html = unescape(editor.get(add_url(blog_index)).content.decode())
    assert "First therapy" in html and "Second therapy" in html
    assert "Third therapy (optional)" in html
    therapy = taxonomy["therapy"]
    assert f'<option value=\\"{therapy.pk}\\">Physical therapy' in html
    assert "Summary under the table" in html
    assert "what the comparison means for the reader" in html


@pytest.mark.parametrize(
    ("anchors", "message"),
    [
        (["same", "same"], "already the anchor of another section"),
        (["2-bad anchor!"], "Use letters, digits, hyphens or underscores"),
    ],
    ids=["duplicate", "invalid"],
)
def test_bad_section_anchors_are_refused_in_the_editor(
    editor, blog_index, taxonomy, anchors, message
):
    body = [
        ("section_heading", {"heading": f"Heading {i}", "anchor": anchor})
        for i, anchor in enumerate(anchors)
    ]
    response = editor.post(add_url(blog_index), article_form(taxonomy, body=body))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not ArticlePage.objects.exists()


def test_the_same_author_twice_is_refused_on_the_repeated_row(
    editor, blog_index, taxonomy
):
    author = taxonomy["author"].pk
    authors = inline_formset([{"author": author}, {"author": author}], min=1)
    form = article_form(taxonomy, body=every_block(taxonomy), article_authors=authors)
    response = editor.post(add_url(blog_index), form)
    assert response.status_code == 200
    assert "could not be created due to validation errors" in response.content.decode()
    rows = response.context["form"].formsets["article_authors"].forms
    assert [row.errors.get("author") for row in rows] == [
        None,
        ["The Clearing Team is already an author of this article."],
    ]
    assert "The Clearing Team is already an author" in response.content.decode()
    assert not ArticlePage.objects.exists()


def test_admin_pages_ask_no_third_party_host(editor, site_tree):
    # Offline, the release check and Gravatar avatars were failed requests on
    # every admin page.
    html = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert "releases.wagtail.org" not in html
    assert "gravatar.com" not in html
