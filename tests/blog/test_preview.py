"""Headless preview (blog/preview.py): a front end reads a page's latest draft
through /api/v2/page_preview/ with a token from the admin, in the pages API's
own shape, while the published page stays as it was."""

import time
from unittest import mock

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from blog.preview import create_preview_token
from tests.factories import create_article, paragraph

pytestmark = pytest.mark.django_db

PREVIEW = "/api/v2/page_preview/"
ARTICLE_TYPE = "relief_blog.articlepage"
HOUR = 3600


@pytest.fixture
def article(blog_index):
    return create_article(
        parent=blog_index,
        title="Heat or ice?",
        body=[paragraph("Ice for the first two days.")],
    )


def save_draft(page, *, title: str, text: str):
    """An editor's change saved as a draft, not published."""
    page.title = title
    page.body = [paragraph(text)]
    return page.save_revision()


def preview(client, *, token: str, content_type: str = ARTICLE_TYPE, **headers):
    return client.get(
        PREVIEW, {"content_type": content_type, "token": token}, **headers
    )


def test_a_saved_draft_shows_in_preview_while_the_live_page_stays(client, article):
    revision = save_draft(article, title="Heat, then ice", text="Heat eases stiffness.")
    response = preview(client, token=create_preview_token(revision=revision))
    assert response.status_code == 200, response.content
    draft = response.json()
    assert draft["id"] == article.pk
    assert draft["title"] == "Heat, then ice"
    assert "Heat eases stiffness." in str(draft["body"])
    live = client.get(f"/api/v2/pages/{article.pk}/").json()
    assert live["title"] == "Heat or ice?"
    assert "Heat eases stiffness." not in str(live["body"])


def test_preview_has_exactly_the_published_pages_fields(client, article):
    token = create_preview_token(revision=save_draft(article, title="T", text="B"))
    draft = preview(client, token=token).json()
    live = client.get(f"/api/v2/pages/{article.pk}/").json()
    assert draft.keys() == live.keys()
    assert draft["meta"].keys() == live["meta"].keys()
    assert draft["meta"]["detail_url"] == live["meta"]["detail_url"]


def test_a_never_published_page_can_be_previewed(client, blog_index):
    draft = create_article(parent=blog_index, title="Coming soon", live=False)
    assert client.get(f"/api/v2/pages/{draft.pk}/").status_code == 404
    token = create_preview_token(revision=draft.latest_revision)
    response = preview(client, token=token)
    assert response.status_code == 200
    assert response.json()["title"] == "Coming soon"


def test_the_detail_address_answers_as_wagtail_headless_preview_clients_call_it(
    client, article
):
    token = create_preview_token(revision=save_draft(article, title="New", text="x"))
    response = client.get(
        f"{PREVIEW}1/", {"content_type": "relief_blog.ArticlePage", "token": token}
    )
    assert response.status_code == 200
    assert response.json()["title"] == "New"


def test_preview_shows_the_revision_its_token_names(client, article):
    first = save_draft(article, title="First draft", text="x")
    save_draft(article, title="Second draft", text="y")
    token = create_preview_token(revision=first)
    assert preview(client, token=token).json()["title"] == "First draft"


def test_preview_follows_the_fields_parameter(client, article):
    token = create_preview_token(revision=article.latest_revision)
    response = client.get(
        PREVIEW,
        {"content_type": ARTICLE_TYPE, "token": token, "fields": "-body,-topics"},
    )
    assert response.status_code == 200
    assert "body" not in response.json()
    assert "summary" in response.json()


def test_preview_is_never_cached(client, article):
    response = preview(
        client, token=create_preview_token(revision=article.latest_revision)
    )
    cache_control = response["Cache-Control"]
    assert "private" in cache_control
    assert "no-store" in cache_control


def expired_token(revision) -> str:
    with mock.patch("time.time", return_value=time.time() - 2 * HOUR):
        return create_preview_token(revision=revision)


def tampered_token(revision) -> str:
    """The claim of a token for another revision under this token's signature."""
    token = create_preview_token(revision=revision)
    other = save_draft(revision.content_object, title="Other", text="x")
    forged_claim = create_preview_token(revision=other).split(":")[0]
    return ":".join([forged_claim, *token.split(":")[1:]])


@pytest.mark.parametrize(
    ("make_token", "message"),
    [
        (expired_token, "expired"),
        (tampered_token, "not a valid"),
        (lambda revision: "not-a-token", "not a valid"),
        (lambda revision: "", "required"),
    ],
    ids=["expired", "tampered", "garbage", "empty"],
)
def test_a_bad_token_is_refused_as_json(client, article, make_token, message):
    response = preview(client, token=make_token(article.latest_revision))
    assert response.status_code == 400
    assert set(response.json()) == {"message"}
    assert message in response.json()["message"]
    assert "no-store" in response["Cache-Control"]


def test_a_token_whose_signature_does_not_match_is_refused(client, article):
    token = create_preview_token(revision=article.latest_revision)
    value, signature = token.rsplit(":", 1)
    response = preview(client, token=f"{value}:{signature[::-1]}")
    assert response.status_code == 400
    assert "not a valid" in response.json()["message"]


def test_the_expiry_is_a_setting(client, article, settings):
    settings.RELIEF_BLOG = {"PREVIEW_TOKEN_MAX_AGE": 3 * HOUR}
    response = preview(client, token=expired_token(article.latest_revision))
    assert response.status_code == 200


def test_another_content_type_finds_no_preview(client, article):
    token = create_preview_token(revision=article.latest_revision)
    response = preview(client, token=token, content_type="relief_blog.blogindexpage")
    assert response.status_code == 404
    assert set(response.json()) == {"message"}


def test_a_deleted_page_has_no_preview(client, article):
    token = create_preview_token(revision=article.latest_revision)
    article.delete()
    response = preview(client, token=token)
    assert response.status_code == 404
    assert set(response.json()) == {"message"}


def test_preview_without_a_token_asks_for_one(client):
    response = client.get(PREVIEW, {"content_type": ARTICLE_TYPE})
    assert response.status_code == 400
    assert "token" in response.json()["message"]


def test_preview_follows_the_apis_cors_settings(client, article, settings):
    token = create_preview_token(revision=article.latest_revision)
    origin = {"HTTP_ORIGIN": "https://app.example"}
    assert "access-control-allow-origin" not in preview(client, token=token, **origin)
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]
    response = preview(client, token=token, **origin)
    assert response.headers["access-control-allow-origin"] == "https://app.example"


# The admin's "Headless preview" ----------------------------------------------


@pytest.fixture
def editor(client, django_user_model):
    """A member of Wagtail's own "Editors" group, not a superuser."""
    user = django_user_model.objects.create_user("ed", "ed@example.org", "pw")
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return client


def admin_preview_url(page) -> str:
    return reverse("relief_blog_headless_preview", args=[page.pk])


def test_the_edit_page_offers_a_headless_preview(editor, article):
    response = editor.get(reverse("wagtailadmin_pages:edit", args=[article.pk]))
    assert admin_preview_url(article) in response.content.decode()


def test_an_editor_gets_a_working_link_to_the_latest_draft(editor, client, article):
    save_draft(article, title="Heat, then ice", text="x")
    response = editor.get(admin_preview_url(article))
    assert response.status_code == 200
    api_url = response.context["api_url"]
    assert api_url.startswith("http://testserver/api/v2/page_preview/?")
    editor.logout()
    assert client.get(api_url).json()["title"] == "Heat, then ice"


def test_the_front_ends_preview_address_is_a_setting(editor, article, settings):
    settings.RELIEF_BLOG = {
        "HEADLESS_PREVIEW_CLIENT_URL": "https://app.example/preview"
    }
    response = editor.get(admin_preview_url(article))
    client_url = response.context["client_url"]
    assert client_url.startswith(
        "https://app.example/preview?content_type=relief_blog.articlepage&token="
    )
    assert client_url in response.content.decode().replace("&amp;", "&")


def test_a_user_who_cannot_edit_the_page_gets_no_token(
    client, article, django_user_model
):
    """Into the admin, but with no permission on any page."""
    user = django_user_model.objects.create_user("viewer", "v@example.org", "pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    response = client.get(admin_preview_url(article))
    assert response.status_code in (302, 403)
    assert "token" not in (response.context or {})
