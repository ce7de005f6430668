import os
import uuid

import pytest

from search.engine import ENGINES
from tests.factories import build_site, ensure_wagtail_root


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with an empty cache: page ids repeat across tests (each
    rolls back), so a related list kept by one would show in the next."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def site_tree(db):
    """(home, blog_index) under the default site."""
    return build_site()


@pytest.fixture
def page_tree_root(transactional_db):
    """For tests whose rows must really commit (a live server, a worker)."""
    ensure_wagtail_root()


@pytest.fixture
def blog_index(site_tree):
    return site_tree[1]


def engines_under_test() -> list[str]:
    """Every engine Relief supports, each started embedded; only the configured
    server when ELASTICSEARCH_URL is set; RELIEF_TEST_ENGINES narrows the list
    (e.g. `RELIEF_TEST_ENGINES=opensearch make test`)."""
    if os.environ.get("ELASTICSEARCH_URL"):
        return [os.environ.get("RELIEF_SEARCH_ENGINE") or "configured"]
    wanted = os.environ.get("RELIEF_TEST_ENGINES", ",".join(ENGINES))
    return [name.strip() for name in wanted.split(",") if name.strip()]


@pytest.fixture(scope="session", params=engines_under_test())
def search_server(request):
    """(engine, url) of the search server for every test that needs one; the
    engine is in the test id, e.g. `test_x[opensearch]`."""
    if os.environ.get("ELASTICSEARCH_URL"):
        from django.conf import settings

        from search.engine import engine_of_root, read_root

        engine, _ = engine_of_root(read_root(settings.RELIEF_SEARCH))
        yield engine, os.environ["ELASTICSEARCH_URL"]
        return
    from search.embedded_search import EmbeddedServerError, embedded_server

    try:
        server_cm = embedded_server(engine=request.param)
        server = server_cm.__enter__()
    except EmbeddedServerError as exc:
        pytest.fail(
            f"The embedded {request.param} server could not start: {exc} "
            "(or set ELASTICSEARCH_URL to a running server; RELIEF_TEST_ENGINES "
            "chooses the embedded engines).",
            pytrace=False,
        )
    try:
        yield request.param, server.url
    finally:
        server_cm.__exit__(None, None, None)


@pytest.fixture
def search_engine(search_server) -> str:
    return search_server[0]


@pytest.fixture
def search_settings(search_server, settings):
    """Point the app at the test server with an index prefix of its own, so each
    test starts from an empty index and tests never see each other's documents."""
    engine, url = search_server
    settings.RELIEF_SEARCH = {
        **settings.RELIEF_SEARCH,
        "URL": url,
        "ENGINE": engine,
        "INDEX_PREFIX": f"relief-test-{uuid.uuid4().hex[:10]}",
        "TIMEOUT": 10,
    }
    config = settings.RELIEF_SEARCH
    yield config
    from django.test import override_settings

    from search.documents import alias_name
    from search.engine import get_engine

    # The test may have changed the settings since (a wrong engine, a dead URL).
    with override_settings(RELIEF_SEARCH=config):
        engine = get_engine()
        for index in engine.alias_indexes(name=alias_name()):
            engine.delete_index(name=index)


@pytest.fixture
def after_commit(django_capture_on_commit_callbacks):
    """`with after_commit(): ...` runs the on-commit callbacks (the outbox drain)
    the block registers, as a real commit would: tests run inside a transaction
    that never commits."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def indexed_titles(search_settings):
    """{page_id: title} of every document behind the alias, refreshed first."""
    from search.documents import alias_name
    from search.engine import get_engine

    def read() -> dict[int, str]:
        engine = get_engine()
        if not engine.alias_indexes(name=alias_name()):
            return {}
        engine.refresh(index=alias_name())
        body = {"size": 1000, "_source": ["title"], "sort": ["page_id"]}
        hits = engine.search(index=alias_name(), body=body)["hits"]["hits"]
        return {int(hit["_id"]): hit["_source"]["title"] for hit in hits}

    return read


@pytest.fixture
def live_titles(db):
    """What the index should hold: {page_id: title} of every indexable article."""
    from search.documents import ArticleDocument

    return lambda: {page.pk: page.title for page in ArticleDocument.get_queryset()}
