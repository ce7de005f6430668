import os
import uuid

import pytest

from tests.factories import build_site


@pytest.fixture
def site_tree(db):
    """(home, blog_index) under the default site."""
    return build_site()


@pytest.fixture
def page_tree_root(transactional_db):
    """For tests whose rows must really commit (a live server, a worker): they
    run in transactions that are flushed afterwards, and a flush also removes
    the Wagtail root page and locale that migrations created: put them back."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Locale, Page

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))


@pytest.fixture
def blog_index(site_tree):
    return site_tree[1]


@pytest.fixture(scope="session")
def search_server_url():
    """The search server for the whole test session: ELASTICSEARCH_URL when set,
    else the embedded server, started once and stopped at the end."""
    if os.environ.get("ELASTICSEARCH_URL"):
        yield os.environ["ELASTICSEARCH_URL"]
        return
    from cms.embedded_search import EmbeddedServerError, embedded_server

    try:
        server_cm = embedded_server()
        server = server_cm.__enter__()
    except EmbeddedServerError as exc:
        pytest.fail(
            f"The embedded search server could not start: {exc} "
            "Run `make install` (it installs the noida-db package), or set "
            "ELASTICSEARCH_URL to a running Elasticsearch 8 server.",
            pytrace=False,
        )
    try:
        yield server.url
    finally:
        server_cm.__exit__(None, None, None)


@pytest.fixture
def search_settings(search_server_url, settings):
    """Point the app at the test server with an index prefix of its own, so each
    test starts from an empty index and tests never see each other's documents."""
    settings.RELIEF_SEARCH = {
        **settings.RELIEF_SEARCH,
        "URL": search_server_url,
        "INDEX_PREFIX": f"relief-test-{uuid.uuid4().hex[:10]}",
        "TIMEOUT": 10,
    }
    yield settings.RELIEF_SEARCH
    from search.client import get_client
    from search.documents import alias_name

    client = get_client()
    aliases = client.options(ignore_status=404).indices.get_alias(name=alias_name())
    for index in getattr(aliases, "body", {}) or {}:
        client.options(ignore_status=404).indices.delete(index=index)


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """`with after_commit(): ...` runs the on-commit callbacks (the outbox drain)
    the block registers, as a real commit would: tests run inside a transaction
    that never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def indexed_titles(search_settings):
    """{page_id: title} of every document behind the alias, refreshed first."""
    from search.client import get_client
    from search.documents import alias_name

    def read() -> dict[int, str]:
        client = get_client()
        if not client.indices.exists_alias(name=alias_name()):
            return {}
        client.indices.refresh(index=alias_name())
        hits = client.search(
            index=alias_name(), size=1000, _source=["title"], sort=["page_id"]
        )["hits"]["hits"]
        return {int(hit["_id"]): hit["_source"]["title"] for hit in hits}

    return read


@pytest.fixture
def live_titles(db):
    """What the index should hold: {page_id: title} of every indexable article."""
    from search.indexing import indexable_articles

    return lambda: {page.pk: page.title for page in indexable_articles()}
