"""Index work through the production task backend: django-tasks' database
backend and its worker (search/tasks.py, cms/settings/production.py)."""

import pytest
from django.core.management import call_command

from tests.factories import build_site, create_article

DATABASE_BACKEND = "django_tasks_db.DatabaseBackend"


@pytest.mark.django_db(transaction=True)
def test_publish_queues_index_work_that_the_database_worker_applies(
    page_tree_root, indexed_titles, settings
):
    """The worker reads committed rows, so this test commits for real."""
    _, blog_index = build_site()
    settings.TASKS = {"default": {"BACKEND": DATABASE_BACKEND}}

    page = create_article(parent=blog_index, title="Pacing your day")
    applied_by_the_publish = indexed_titles()
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload")

    assert applied_by_the_publish == {}
    assert indexed_titles() == {page.pk: "Pacing your day"}
