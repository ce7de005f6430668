import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from search.terms.models import SearchTermDay
from search.terms.tasks import purge_old_search_terms

pytestmark = pytest.mark.django_db


def days_kept() -> list[int]:
    today = timezone.localdate()
    return sorted(
        (today - d).days for d in SearchTermDay.objects.values_list("date", flat=True)
    )


@pytest.fixture
def history():
    today = timezone.localdate()
    for ago in (0, 89, 90, 91, 200):
        SearchTermDay.objects.create(
            query="sleep", date=today - datetime.timedelta(ago), searches=1
        )


def test_the_command_keeps_90_days_by_default(history):
    out = StringIO()
    call_command("purge_search_terms", stdout=out)
    assert days_kept() == [0, 89, 90]
    assert "Deleted 2" in out.getvalue()


def test_the_task_follows_the_configured_retention(history, settings):
    settings.RELIEF_SEARCH = {
        **settings.RELIEF_SEARCH,
        "SEARCH_TERMS_RETENTION_DAYS": 7,
    }
    purge_old_search_terms.enqueue()
    assert days_kept() == [0]


def test_a_bad_retention_is_refused_and_nothing_is_deleted(history, settings):
    settings.RELIEF_SEARCH = {
        **settings.RELIEF_SEARCH,
        "SEARCH_TERMS_RETENTION_DAYS": 0,
    }
    with pytest.raises(ValueError, match="SEARCH_TERMS_RETENTION_DAYS"):
        call_command("purge_search_terms")
    assert len(days_kept()) == 5
