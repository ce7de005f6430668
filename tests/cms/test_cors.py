"""Browsers on other origins may read the API only from origins the site names."""

import pytest

pytestmark = pytest.mark.django_db


def test_api_is_closed_to_other_origins_by_default(client):
    response = client.get("/api/v2/pages/", HTTP_ORIGIN="https://app.example")
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers


def test_a_named_origin_may_read_the_api(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]
    response = client.get("/api/v2/pages/", HTTP_ORIGIN="https://app.example")
    assert response.headers["access-control-allow-origin"] == "https://app.example"


def test_a_named_origin_gets_no_cors_on_reader_pages(client, settings):
    settings.CORS_ALLOWED_ORIGINS = ["https://app.example"]
    response = client.get("/feed/", HTTP_ORIGIN="https://app.example")
    assert "access-control-allow-origin" not in response.headers
