import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from tests.factories import ensure_wagtail_root

search_managers_migration = importlib.import_module(
    "search.terms.migrations.0002_search_managers"
)


@pytest.fixture(autouse=True)
def groups_as_migrated(db):
    """The groups and permissions migrations made, and the Wagtail root: a
    committed test's flush may have removed them."""
    ensure_wagtail_root()
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    search_managers_migration.grant(apps, None)
