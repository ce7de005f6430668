"""Every model change has its migration committed."""

import io

import pytest
from django.core.management import call_command


@pytest.mark.django_db
def test_models_and_migrations_agree():
    out = io.StringIO()
    try:
        call_command("makemigrations", "--check", "--dry-run", stdout=out, stderr=out)
    except SystemExit as exit_:
        pytest.fail(
            f"makemigrations found uncommitted changes:\n{out.getvalue()}{exit_}"
        )
    assert "No changes detected" in out.getvalue()
