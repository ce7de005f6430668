"""Settings per environment: cms/settings/test.py and production.py."""

import os
import subprocess
import sys
import textwrap
from pathlib import Path

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


# Production ---------------------------------------------------------------------
# Settings are read once per process, so production runs in a child process with
# the environment a deployment gives it (the database is never connected to).

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "cms.settings.production",
    "DJANGO_SECRET_KEY": "a-production-secret-" + "x" * 50,
    "DJANGO_ALLOWED_HOSTS": "relief.example,testserver",
    "DATABASE_URL": "postgres://relief:secret@127.0.0.1:1/relief",
    "ELASTICSEARCH_URL": "http://127.0.0.1:1",
    "WAGTAILADMIN_BASE_URL": "https://relief.example",
}
ROOT = Path(__file__).resolve().parents[2]


def run_production(
    *args: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "WAGTAIL", "DATABASE_URL", "ELASTICSEARCH_"))
    }
    environment.update(PRODUCTION_ENV if env is None else env)
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_production_script(
    *, script: str, extra_env: dict[str, str] | None = None
) -> str:
    """Output of `script` run after django.setup() under production settings."""
    result = run_production(
        "-c",
        f"import django\ndjango.setup()\n{textwrap.dedent(script)}",
        env={**PRODUCTION_ENV, **(extra_env or {})},
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_production_passes_the_deployment_checklist_without_warnings():
    result = run_production("manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_its_public_address():
    """The API's absolute URLs would otherwise point at a developer's machine."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "WAGTAILADMIN_BASE_URL"}

    result = run_production("manage.py", "check", env=env)

    assert result.returncode != 0
    assert "WAGTAILADMIN_BASE_URL" in result.stderr


def test_production_refuses_to_start_without_a_search_cluster():
    """Without it every search would fall back to the database and every edit
    would pile up in the outbox, with nothing said at start-up."""
    env = {k: v for k, v in PRODUCTION_ENV.items() if k != "ELASTICSEARCH_URL"}

    result = run_production("manage.py", "check", env=env)

    assert result.returncode != 0
    assert "ELASTICSEARCH_URL must" in result.stderr


def test_production_api_urls_use_the_public_address():
    script = """
        from django.test import RequestFactory
        from wagtail.api.utils import get_base_url
        print(get_base_url(RequestFactory().get("/api/v2/pages/")))
    """
    assert run_production_script(script=script) == "https://relief.example"


FORGED_HTTPS = """
    from django.http import HttpResponse
    from django.middleware.security import SecurityMiddleware
    from django.test import RequestFactory
    request = RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https")
    print(SecurityMiddleware(lambda request: HttpResponse())(request).status_code)
"""


def test_production_ignores_a_forwarded_proto_header_it_was_not_told_to_trust():
    """A plain-HTTP client that forges the header is still sent to HTTPS."""
    assert run_production_script(script=FORGED_HTTPS) == "301"


def test_production_trusts_the_proxy_header_when_told_a_proxy_sets_it():
    status = run_production_script(
        script=FORGED_HTTPS,
        extra_env={"DJANGO_SECURE_PROXY_SSL_HEADER": "X-Forwarded-Proto"},
    )

    assert status == "200"


def test_production_does_not_expose_the_django_admin():
    script = """
        from django.urls import resolve
        print(resolve("/django-admin/").app_name or "-")
    """
    assert run_production_script(script=script) != "admin"


def test_production_queues_index_work_for_the_database_worker():
    """Not run inside the editor's request: `manage.py db_worker` picks it up."""
    script = """
        from django_tasks import task_backends
        from django_tasks_db import DatabaseBackend
        print(isinstance(task_backends["default"], DatabaseBackend))
    """
    assert run_production_script(script=script) == "True"
