"""Review dates and reading level: what readers, API clients and editors see
(blog/models.py, blog/reports.py, blog/readability.py, blog/panels.py)."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from wagtail.test.utils.form_data import inline_formset

from tests.blog.test_admin import (
    article_form,
    every_block,
    taxonomy,  # noqa: F401 - a fixture
)
from tests.factories import AuthorFactory, create_article, paragraph, section

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


@pytest.fixture
def editor_user(django_user_model):
    """A member of Wagtail's own "Editors" group, not a superuser."""
    user = django_user_model.objects.create_user("ed", "ed@example.org", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.fixture
def editor(client, editor_user):
    client.force_login(editor_user)
    return client


@pytest.fixture
def terms(request):
    """The admin tests' authors, topics, image and snippets for a full form."""
    return request.getfixturevalue("taxonomy")


def reviewed_article(blog_index, *, title, last_reviewed, **fields):
    return create_article(
        parent=blog_index,
        title=title,
        medical_reviewer=AuthorFactory(name="Dr Ada Quinn"),
        last_reviewed=last_reviewed,
        **fields,
    )


def test_next_review_defaults_to_the_configured_interval(blog_index, settings):
    settings.RELIEF_BLOG = {"REVIEW_INTERVAL_DAYS": 30}
    page = reviewed_article(
        blog_index, title="Pacing", last_reviewed=datetime.date(2030, 1, 1)
    )
    assert page.next_review_due == datetime.date(2030, 1, 31)


def test_reader_and_api_see_both_review_dates(blog_index, client):
    page = reviewed_article(
        blog_index,
        title="Pacing",
        last_reviewed=datetime.date(2030, 1, 1),
        next_review_due=datetime.date(2031, 6, 1),
    )
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    dates = soup.find("aside", class_="review-dates").get_text(" ", strip=True)
    assert "Page last reviewed: 1 January 2030" in dates
    assert "Next review due: 1 June 2031" in dates

    data = client.get(f"/api/v2/pages/{page.pk}/").json()
    assert data["last_reviewed"] == "2030-01-01"
    assert data["next_review_due"] == "2031-06-01"


def test_json_ld_has_last_reviewed_and_never_expires_an_overdue_page(
    blog_index, client
):
    page = reviewed_article(
        blog_index, title="Old advice", last_reviewed=datetime.date(2020, 1, 1)
    )
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    data = json.loads(soup.find("script", type="application/ld+json").string)
    medical = next(n for n in data["@graph"] if n["@type"] == "MedicalWebPage")
    assert medical["lastReviewed"] == "2020-01-01"
    assert all("expires" not in node for node in data["@graph"])


def test_a_new_review_date_in_the_editor_moves_the_next_one(
    admin_client,
    blog_index,
    terms,
    settings,
):
    settings.RELIEF_BLOG = {"REVIEW_INTERVAL_DAYS": 100}
    add = reverse(
        "wagtailadmin_pages:add",
        args=("relief_blog", "articlepage", blog_index.pk),
    )
    form = article_form(terms, body=every_block(terms))
    response = admin_client.post(add, {**form, "action-publish": "publish"})
    assert response.status_code == 302
    from blog.models import ArticlePage

    page = ArticlePage.objects.get(slug="pt-or-ot")
    assert page.next_review_due == datetime.date(2024, 6, 9)

    edit = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    link = page.article_authors.get()
    form = article_form(
        terms,
        body=every_block(terms),
        article_authors=inline_formset(
            [{"author": terms["author"].pk, "id": link.pk}], initial=1
        ),
        last_reviewed="2025-01-01",
        next_review_due="2024-06-09",
    )
    response = admin_client.post(edit, {**form, "action-publish": "publish"})
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.next_review_due == datetime.date(2025, 4, 11)


def test_editor_is_told_a_next_review_before_the_last_is_wrong(
    admin_client,
    blog_index,
    terms,
):
    add = reverse(
        "wagtailadmin_pages:add",
        args=("relief_blog", "articlepage", blog_index.pk),
    )
    form = article_form(terms, body=every_block(terms), next_review_due="2024-01-01")
    response = admin_client.post(add, {**form, "action-publish": "publish"})
    assert response.status_code == 200
    assert "The next review comes after the last one." in response.content.decode()


def test_editors_see_overdue_articles_in_the_report(editor, blog_index):
    today = timezone.localdate()
    reviewed_article(
        blog_index,
        title="Overdue heat therapy",
        last_reviewed=today - 400 * DAY,
        next_review_due=today - 5 * DAY,
    )
    reviewed_article(blog_index, title="Fresh pacing", last_reviewed=today - 10 * DAY)
    menu = editor.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("relief_blog_overdue_reviews") in menu

    html = editor.get(reverse("relief_blog_overdue_reviews")).content.decode()
    assert "Overdue heat therapy" in html
    assert "Fresh pacing" not in html

    csv = editor.get(reverse("relief_blog_overdue_reviews"), {"export": "csv"})
    assert "Overdue heat therapy" in b"".join(csv.streaming_content).decode()


def test_a_user_without_page_permissions_cannot_open_the_report(
    client, django_user_model
):
    user = django_user_model.objects.create_user("guest", "g@example.org", "pw")
    from django.contrib.auth.models import Permission

    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get(reverse("relief_blog_overdue_reviews"))
    assert response.status_code in (302, 403)


HARD = (
    "Multidisciplinary biopsychosocial rehabilitation programmes incorporating "
    "graded exposure methodologies demonstrate considerable effectiveness "
    "regarding functional improvement among individuals experiencing persistent "
    "musculoskeletal discomfort."
)
EASY = (
    "Walk a bit each day. Stop when it hurts more. Rest, then try again. "
    "Small steps add up. You can do this at home."
)


def test_editor_panel_shows_article_and_section_grades_against_the_target(
    editor, blog_index, settings
):
    settings.RELIEF_BLOG = {"READING_GRADE_TARGET": (5, 8)}
    page = create_article(
        parent=blog_index,
        title="Moving with pain",
        summary="Gentle ways to move.",
        body=[
            section("Start small", "start-small"),
            paragraph(EASY),
            section("What the research says", "research"),
            paragraph(HARD),
        ],
    )
    html = editor.get(reverse("wagtailadmin_pages:edit", args=(page.pk,)))
    soup = BeautifulSoup(html.content, "html.parser")
    panel = soup.find(attrs={"data-reading-grade": True})
    assert "target 5 to 8" in panel.get_text(" ", strip=True)
    assert panel.find(attrs={"data-whole-grade": True})
    easy = panel.find(attrs={"data-section-grade": "start-small"})
    hard = panel.find(attrs={"data-section-grade": "research"})
    assert "easier than target" in easy.get_text(" ", strip=True)
    assert "harder than target" in hard.get_text(" ", strip=True)


def test_a_bulleted_list_is_graded_as_short_sentences():
    from blog.readability import grade_text

    items = "\n".join(
        [
            "Use warm heat packs",
            "Take gentle short walks",
            "Stretch every single morning",
        ]
        * 5
    )
    as_lines = grade_text(label="list", text=items)
    as_one_run = grade_text(label="run", text=items.replace("\n", " "))
    assert as_lines.grade < as_one_run.grade


def test_a_wrong_target_setting_says_what_is_expected(settings):
    from django.core.exceptions import ImproperlyConfigured

    from blog.conf import reading_grade_target

    settings.RELIEF_BLOG = {"READING_GRADE_TARGET": (9, 5)}
    with pytest.raises(ImproperlyConfigured, match="lowest first"):
        reading_grade_target()
