"""The index health page in the admin, as search managers and editors use it."""

import datetime
import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.test import Client
from django.utils import timezone
from django.utils.html import strip_tags
from django_tasks import default_task_backend

from blog.models import ArticlePage
from search.models import IndexOperation
from search.tasks import repair_index
from tests.factories import create_article, ensure_wagtail_root

pytestmark = pytest.mark.django_db

HEALTH_URL = "/admin/reports/search-index/"
REPAIR_URL = "/admin/reports/search-index/repair/"
DUMMY_BACKEND = "django_tasks.backends.dummy.DummyBackend"

manage_index_migration = importlib.import_module(
    "search.migrations.0009_search_managers_manage_the_index"
)


@pytest.fixture(autouse=True)
def groups_as_migrated(db):
    """Editors with admin access and Search managers with the permission, as
    the migrations leave them: a committed test's flush may have removed them."""
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    managers, _ = Group.objects.get_or_create(name="Search managers")
    managers.permissions.add(Permission.objects.get(codename="access_admin"))
    manage_index_migration.grant(apps, None)


def log_in(client, django_user_model, group: str) -> None:
    user = django_user_model.objects.create_user(
        username=group.replace(" ", "-").lower(), password="pw"
    )
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)


@pytest.fixture
def manager(client, django_user_model):
    log_in(client, django_user_model, "Search managers")
    return client


@pytest.fixture
def articles(blog_index, search_settings, after_commit):
    with after_commit():
        return [
            create_article(parent=blog_index, title=f"Article {n}") for n in range(3)
        ]


def figure(html: str, name: str) -> str:
    """The text of the page's figure `name` (a data-health element)."""
    start = html.index(f'data-health="{name}"')
    tag = html[html.rindex("<", 0, start) + 1 :].split(maxsplit=1)[0]
    element = html[html.index(">", start) + 1 : html.index(f"</{tag}>", start)]
    return " ".join(strip_tags(element).split())


@pytest.mark.search_server
def test_search_managers_see_the_engine_and_the_index_against_the_live_pages(
    manager, articles, search_engine
):
    response = manager.get(HEALTH_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "Reachable" in html and search_engine in figure(html, "engine")
    assert figure(html, "articles") == "3"
    assert figure(html, "documents") == "3"
    assert figure(html, "stale") == "0"
    assert figure(html, "pending") == "0"
    assert figure(html, "failed") == "0"
    assert figure(html, "vectors").startswith("3 of 3 documents")
    assert str(timezone.now().year) in figure(html, "built")
    assert "Search index health" in manager.get("/admin/").content.decode()


@pytest.mark.search_server
def test_repair_queues_the_sync_which_then_rewrites_a_stale_document(
    manager, articles, indexed_titles, live_titles, settings
):
    stale = articles[1]
    ArticlePage.objects.filter(pk=stale.pk).update(title="Renamed behind its back")
    html = manager.get(HEALTH_URL).content.decode()
    assert figure(html, "stale").startswith("1")
    assert f"page {stale.pk}" in html

    settings.TASKS = {"default": {"BACKEND": DUMMY_BACKEND}}
    response = manager.post(REPAIR_URL)
    assert response.status_code == 302
    [queued] = default_task_backend.results
    assert queued.task.func == repair_index.func
    html = manager.get(HEALTH_URL).content.decode()
    assert "Ready" in html and 'http-equiv="refresh"' in html
    assert indexed_titles()[stale.pk] == "Article 1"

    # What a worker does with the queued result.
    outcome = queued.task.call(*queued.args, **queued.kwargs)
    assert outcome["stale"] == 1
    assert indexed_titles() == live_titles()


@pytest.mark.search_server
def test_repair_run_at_once_shows_its_outcome(
    manager, articles, indexed_titles, live_titles
):
    """The test settings' backend runs a task as it is queued."""
    stale = articles[0]
    ArticlePage.objects.filter(pk=stale.pk).update(title="Renamed behind its back")
    html = manager.post(REPAIR_URL, follow=True).content.decode()
    assert "Successful" in figure(html, "repair")
    assert "refreshed 1 stale" in figure(html, "repair")
    assert 'http-equiv="refresh"' not in html
    assert figure(html, "stale") == "0"
    assert indexed_titles() == live_titles()


def test_a_server_that_is_down_is_said_plainly_with_the_outbox_and_failures(
    manager, search_offline
):
    an_hour_ago = timezone.now() - datetime.timedelta(hours=1)
    IndexOperation.objects.create(page_id=41, action="index", created_at=an_hour_ago)
    IndexOperation.objects.create(page_id=42, action="index")
    IndexOperation.objects.create(
        page_id=43,
        action="index",
        attempts=5,
        failed_at=timezone.now(),
        last_error="mapper_parsing_exception: failed to parse field [title]",
    )
    response = manager.get(HEALTH_URL)
    html = response.content.decode()
    assert response.status_code == 200
    assert "The search server is unreachable" in html
    assert "127.0.0.1" in figure(html, "unavailable")
    assert figure(html, "pending").startswith("2, the oldest queued")
    assert "page 41" in figure(html, "pending")
    assert figure(html, "failed") == "1"
    assert "mapper_parsing_exception: failed to parse field [title]" in html
    assert 'data-health="documents"' not in html


def test_editors_without_the_permission_get_no_page_no_repair_and_no_menu_item(
    client, django_user_model, search_offline, settings
):
    """Wagtail answers a refusal inside the admin by sending the user to the
    dashboard with its "no permission" message."""
    settings.TASKS = {"default": {"BACKEND": DUMMY_BACKEND}}
    log_in(client, django_user_model, "Editors")
    for response in (
        client.get(HEALTH_URL, follow=True),
        client.post(REPAIR_URL, follow=True),
    ):
        assert response.redirect_chain == [("/admin/", 302)]
        assert "do not have permission" in response.content.decode()
        assert "data-health" not in response.content.decode()
    assert default_task_backend.results == []
    assert "Search index health" not in client.get("/admin/").content.decode()


def test_superusers_see_the_page(admin_client, search_offline):
    # The dashboard links the page tree's root, which a committed test's flush
    # may have removed.
    ensure_wagtail_root()
    response = admin_client.get(HEALTH_URL)
    assert response.status_code == 200
    assert "Search index health" in admin_client.get("/admin/").content.decode()


def test_repair_is_a_post_with_the_csrf_token(django_user_model, search_offline):
    client = Client(enforce_csrf_checks=True)
    log_in(client, django_user_model, "Search managers")
    assert client.get(REPAIR_URL).status_code == 405
    assert client.post(REPAIR_URL).status_code == 403
    assert "csrfmiddlewaretoken" in client.get(HEALTH_URL).content.decode()
