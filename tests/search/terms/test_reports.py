"""The search-term reports as editors and search managers use them."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from search.terms.models import SearchTermDay

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 6)


def login_in(client, django_user_model, group: str):
    user = django_user_model.objects.create_user(
        username=group.replace(" ", "-").lower(), password="pw"
    )
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)


@pytest.fixture
def week(db):
    today = timezone.localdate()
    rows = [
        ("back pain", 0, 10, 0, 4),
        ("back pain", 1, 6, 0, 2),
        ("zzqx cream", 0, 3, 3, 0),
        ("heat pads", 2, 5, 0, 0),
        ("old query", 40, 9, 9, 0),
    ]
    for query, ago, searches, zero, clicks in rows:
        SearchTermDay.objects.create(
            query=query,
            date=today - datetime.timedelta(ago),
            searches=searches,
            hits=searches * 2,
            zero_results=zero,
            clicks=clicks,
            click_positions=clicks * 2,
        )
    return today


def period(today, days):
    start = today - datetime.timedelta(days)
    return {"date_from": start.isoformat(), "date_to": today.isoformat()}


def test_editors_see_top_searches_over_a_period_with_links_and_a_chart(
    client, django_user_model, week
):
    login_in(client, django_user_model, "Editors")
    response = client.get("/admin/reports/search-terms/top/", period(week, 7))
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("back pain") < html.index("heat pads")
    assert "old query" not in html
    assert 'href="/search/?q=back+pain"' in html
    assert "<svg" in html and "Searches a day" in html
    menu = client.get("/admin/").content.decode()
    for title in ("Top searches", "Searches that found nothing", "nobody clicked"):
        assert title in menu


def test_wagtails_exact_phrase_search_terms_report_leaves_the_menu(admin_client):
    menu = admin_client.get("/admin/").content.decode()
    assert "Top searches" in menu
    assert "/admin/searchpicks/reports/search-terms/" not in menu


def test_the_csv_export_holds_the_periods_totals(client, django_user_model, week):
    login_in(client, django_user_model, "Editors")
    response = client.get(
        "/admin/reports/search-terms/top/", {**period(week, 7), "export": "csv"}
    )
    lines = b"".join(response.streaming_content).decode().splitlines()
    assert lines[0].startswith("Search,Searches,Found nothing,Results opened")
    assert "back pain,16,0,6,2.0" in lines


def test_zero_results_and_content_gaps(client, django_user_model, week):
    login_in(client, django_user_model, "Editors")
    zero = client.get("/admin/reports/search-terms/zero/", period(week, 7))
    zero_html = zero.content.decode()
    assert "zzqx cream" in zero_html and "back pain" not in zero_html
    # Only search managers are offered to promote a result.
    assert "/admin/reports/search-terms/promote/" not in zero_html
    gaps = client.get("/admin/reports/search-terms/no-clicks/", period(week, 7))
    gaps_html = gaps.content.decode()
    assert "heat pads" in gaps_html
    assert "back pain" not in gaps_html and "zzqx cream" not in gaps_html


def test_a_search_manager_promotes_straight_from_a_zero_result_row(
    client, django_user_model, week
):
    login_in(client, django_user_model, "Search managers")
    html = client.get("/admin/reports/search-terms/zero/").content.decode()
    link = "/admin/reports/search-terms/promote/?q=zzqx+cream"
    assert link in html
    form = client.get(link).content.decode()
    assert 'value="zzqx cream"' in form


def test_users_without_the_permission_are_refused(client, django_user_model, week):
    user = django_user_model.objects.create_user(username="plain", password="pw")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    client.force_login(user)
    response = client.get("/admin/reports/search-terms/top/")
    assert response.status_code in (302, 403)
    assert "back pain" not in response.content.decode()
