"""Anonymous readers share a budget of search, autocomplete and related-article
requests per address; beyond it they get a 429 saying when to come back."""

import pytest
from django.core.cache import cache

from tests.factories import create_article

pytestmark = pytest.mark.django_db


@pytest.fixture
def tight_throttles(settings, search_offline):
    settings.RELIEF_THROTTLES = {
        "search": "3/minute",
        "autocomplete": "3/minute",
        "related": "3/minute",
    }
    cache.clear()
    yield
    cache.clear()


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
