import socket

import pytest

from search.engine import get_engine
from search.indexing import ensure_index, fill_vectors, write_pages


@pytest.fixture
def index_articles(search_settings):
    """Put pages in the test index through the write side as the drain and the
    vector fill do, refreshed so the next search sees them."""

    def index(*pages) -> None:
        index = ensure_index()
        report = write_pages(page_ids=[page.pk for page in pages], index=index)
        fill_vectors(page_ids=report.incomplete)
        get_engine().refresh(index=index)

    return index


@pytest.fixture
def search_offline(settings):
    """The search server configured but nothing listening."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.RELIEF_SEARCH = {
        **settings.RELIEF_SEARCH,
        "URL": f"http://127.0.0.1:{port}",
        "TIMEOUT": 1,
    }


@pytest.fixture
def seeded_abbreviations(db):
    """The shipped abbreviation lists in the database, as the migration loads
    them: a committed test's flush may have emptied the table."""
    from search.abbreviations import seed_abbreviations

    seed_abbreviations()


@pytest.fixture
def engine_rescores(search_settings):
    """For tests of the fused window (a rescore) and of the sections' cosine
    (script fields of inner hits): the embedded Elasticsearch stand-in,
    noida-db, scores a rescore query apart from the search it rescores and
    ignores script fields of inner hits, so these run on OpenSearch and on a
    real Elasticsearch (ELASTICSEARCH_URL) only."""
    root = get_engine().info()
    if root.get("version", {}).get("build_hash") == "noida":
        pytest.skip(
            "noida-db scores rescore queries and inner-hit script fields unlike "
            "Elasticsearch 8; covered on OpenSearch and a real Elasticsearch"
        )


@pytest.fixture
def admin_user_in(db, django_user_model):
    """A user in one of the admin groups, with the permissions the migrations
    grant it (a committed test's flush may have removed them)."""
    import importlib

    from django.apps import apps
    from django.contrib.auth.models import Group, Permission

    synonym_permissions = importlib.import_module(
        "search.migrations.0011_synonym_permissions"
    )
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(Permission.objects.get(codename="access_admin"))
    synonym_permissions.grant(apps, None)

    def user_in(group: str):
        user = django_user_model.objects.create_user(
            username=group.replace(" ", "-").lower(), password="pw"
        )
        user.groups.add(Group.objects.get(name=group))
        return user

    return user_in
