"""Anonymous readers share a budget of search, autocomplete and related-article
requests per address; beyond it they get a 429 saying when to come back."""

import json
import shutil
import subprocess
import time
import warnings

import pytest
from django.core.cache import caches
from django.core.cache.backends.base import CacheKeyWarning

from search.embedded_search import free_port
from tests.cms.test_settings import run_production_script
from tests.factories import create_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_throttles(settings, search_offline):
    settings.RELIEF_THROTTLES = {
        "search": "3/minute",
        "autocomplete": "3/minute",
        "related": "3/minute",
    }
    counts = caches[settings.RELIEF_THROTTLE_CACHE]
    counts.clear()
    yield
    counts.clear()


@pytest.fixture
def article(blog_index):
    return create_article(parent=blog_index, title="Pacing")


def urls(article) -> dict[str, str]:
    return {
        "search": "/api/v2/search/?q=pacing",
        "autocomplete": "/api/v2/search/autocomplete/?q=pa",
        "related": f"/api/v2/pages/{article.pk}/related/",
    }


@pytest.mark.usefixtures("tight_throttles")
@pytest.mark.parametrize("scope", ["search", "autocomplete", "related"])
def test_an_address_over_its_budget_gets_a_429_with_retry_after(client, article, scope):
    url = urls(article)[scope]
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(url)
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert list(response.json()) == ["message"]
    assert "Too many" in response.json()["message"]
    # Another address, and the other APIs, still have their budget.
    assert client.get(url, REMOTE_ADDR="203.0.113.9").status_code == 200
    other = next(u for name, u in urls(article).items() if name != scope)
    assert client.get(other).status_code == 200


@pytest.mark.usefixtures("tight_throttles")
def test_the_search_page_shares_the_search_budget(client, article):
    for _ in range(3):
        assert client.get("/api/v2/search/", {"q": "pacing"}).status_code == 200
    response = client.get("/search/", {"q": "pacing"})
    assert response.status_code == 429
    wait = int(response["Retry-After"])
    assert 0 < wait <= 60
    # The site's own page, header and footer included, saying when to come back.
    assert response["Content-Type"].startswith("text/html")
    page = response.content.decode()
    assert '<main id="main"' in page and "RSS feed" in page
    assert f"Try again in {wait} second" in page


@pytest.mark.usefixtures("tight_throttles")
def test_signed_in_editors_are_not_throttled(admin_client, article):
    statuses = {admin_client.get(urls(article)["search"]).status_code for _ in range(5)}
    assert statuses == {200}


@pytest.mark.usefixtures("tight_throttles")
def test_behind_a_proxy_the_named_header_tells_readers_apart(settings, client, article):
    settings.RELIEF_CLIENT_IP_HEADER = "X-Forwarded-For"
    url = urls(article)["search"]
    for _ in range(3):
        client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.1, 192.0.2.1")
    # The proxy appends the address it saw; what a client wrote before it is
    # not trusted.
    spoofed = client.get(url, HTTP_X_FORWARDED_FOR="198.51.100.2, 192.0.2.1")
    assert spoofed.status_code == 429
    assert client.get(url, HTTP_X_FORWARDED_FOR="192.0.2.2").status_code == 200


@pytest.mark.usefixtures("tight_throttles")
def test_ipv6_readers_are_counted_by_their_64_prefix(client, article):
    """One IPv6 host or home network holds a whole /64; counting each of its
    addresses apart would give it billions of budgets."""
    url = urls(article)["search"]
    for host in range(1, 4):
        assert client.get(url, REMOTE_ADDR=f"2001:db8:1:2::{host}").status_code == 200
    same_network = client.get(url, REMOTE_ADDR="2001:db8:1:2:ffff:ffff:ffff:ffff")
    assert same_network.status_code == 429
    assert client.get(url, REMOTE_ADDR="2001:db8:1:3::1").status_code == 200


@pytest.mark.usefixtures("tight_throttles")
@pytest.mark.parametrize(
    "address", ["", "unknown", "2001:db8::1::2", "999.1.1.1", "a b\nc" * 100]
)
def test_an_unreadable_address_is_answered_and_still_counted(client, article, address):
    url = urls(article)["search"]
    # Whatever a proxy header holds, the cache key stays one every cache takes
    # (the database cache's key column has 255 characters; memcached refuses
    # spaces).
    with warnings.catch_warnings():
        warnings.simplefilter("error", CacheKeyWarning)
        statuses = [client.get(url, REMOTE_ADDR=address).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


@pytest.mark.usefixtures("tight_throttles")
def test_a_pages_api_search_spends_the_search_budget(client, article):
    for _ in range(2):
        assert client.get("/api/v2/search/", {"q": "pacing"}).status_code == 200
    assert client.get("/api/v2/pages/", {"search": "pacing"}).status_code == 200
    response = client.get("/api/v2/pages/", {"search": "pacing"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    assert list(response.json()) == ["message"]
    # Listing and reading pages cost no search budget.
    assert client.get("/api/v2/pages/").status_code == 200
    assert client.get(f"/api/v2/pages/{article.pk}/").status_code == 200
    assert client.get("/api/v2/search/", {"q": "pacing"}).status_code == 429


# Across processes ----------------------------------------------------------------
# Each process of a WSGI server counts in the cache the settings configure; a
# cache of its own per process would give four workers four budgets.

SPEND_BUDGET = """
import json, sys
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from search.throttle import seconds_to_wait

# A day's window: the two processes start seconds apart, and a minute's
# window could end between them.
settings.RELIEF_THROTTLES = {"search": "3/day"}
request = RequestFactory().get("/api/v2/search/", REMOTE_ADDR="198.51.100.7")
request.user = AnonymousUser()
print(json.dumps([seconds_to_wait(scope="search", request=request) for _ in range(2)]))
"""


def throttled_in_two_processes(*, env: dict[str, str]) -> list[bool]:
    """Two production processes, one after the other, each asking twice for
    the same reader against a budget of three: which asks were refused."""
    waits = []
    for _ in range(2):
        output = run_production_script(script=SPEND_BUDGET, extra_env=env)
        waits += json.loads(output.splitlines()[-1])
    return [wait > 0 for wait in waits]


def test_processes_share_one_count_in_the_default_database_cache(tmp_path):
    env = {"DATABASE_URL": f"sqlite:///{tmp_path / 'relief.sqlite3'}"}
    # `migrate` creates the cache table (search's migration 0007); only that
    # table is needed here.
    run_production_script(
        script="from django.core.management import call_command\n"
        "call_command('createcachetable')",
        extra_env=env,
    )
    assert throttled_in_two_processes(env=env) == [False, False, False, True]


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory):
    """A throwaway redis-server from the system's packages, on a free port."""
    binary = shutil.which("redis-server")
    if binary is None:
        pytest.skip(
            "redis-server is not installed (Debian: apt-get install redis-server; "
            ".ci/run installs it): the Redis cache test cannot run."
        )
    port = free_port()
    server = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", ""]
        + ["--appendonly", "no", "--dir", str(tmp_path_factory.mktemp("redis"))],
        stdout=subprocess.DEVNULL,
    )
    url = f"redis://127.0.0.1:{port}/0"
    try:
        wait_for_redis(url=url, server=server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)


def wait_for_redis(*, url: str, server: subprocess.Popen) -> None:
    import redis

    client = redis.Redis.from_url(url)
    for _ in range(100):
        if server.poll() is not None:
            pytest.fail(f"redis-server exited with {server.returncode}")
        try:
            client.ping()
            return
        except redis.ConnectionError:
            time.sleep(0.1)
    pytest.fail("redis-server did not answer PING within 10 seconds")


def test_processes_share_one_count_in_redis(redis_url):
    assert throttled_in_two_processes(env={"REDIS_URL": redis_url}) == [
        False,
        False,
        False,
        True,
    ]
