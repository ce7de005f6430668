from io import StringIO

import pytest
from django.core.management import call_command
from django.db.models import Sum

from home.demo.search_terms import DAYS, DEMO_SEARCHES
from search.terms.models import SearchTermDay

pytestmark = pytest.mark.django_db


def test_the_demo_content_fills_a_marked_week_of_searches_once(client, admin_user):
    call_command("load_demo_content", "--skip-renditions", stdout=StringIO())
    rows = SearchTermDay.objects.all()
    assert rows.count() == DAYS * len(DEMO_SEARCHES)
    assert set(rows.values_list("is_demo", flat=True)) == {True}
    assert rows.aggregate(Sum("zero_results"))["zero_results__sum"] > 0
    call_command("load_demo_content", "--skip-renditions", stdout=StringIO())
    assert SearchTermDay.objects.count() == DAYS * len(DEMO_SEARCHES)
    client.force_login(admin_user)
    html = client.get("/admin/reports/search-terms/zero/").content.decode()
    assert "tens machine" in html and "demo" in html
