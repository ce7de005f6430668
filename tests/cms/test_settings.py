"""Settings per environment: cms/settings/test.py and production.py."""

import os

import dj_database_url
import pytest
from django.db import connection


@pytest.mark.django_db
def test_suite_runs_on_the_database_that_DATABASE_URL_names():
    """CI runs the suite twice, on SQLite and on PostgreSQL; a run meant for
    PostgreSQL that silently used SQLite would prove nothing."""
    url = os.environ.get("DATABASE_URL")
    expected = dj_database_url.parse(url)["ENGINE"] if url else "sqlite3"

    assert connection.settings_dict["ENGINE"].endswith(expected)
