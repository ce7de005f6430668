"""Run by the new site's Python with the search server up: what a reader gets
from the search API, the search page, the article's own page and the sitemap, as
JSON."""

import json
import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.dev")
django.setup()

from django.test import Client  # noqa: E402

QUERY, ARTICLE_URL = sys.argv[1], sys.argv[2]
client = Client()
api = client.get("/api/v2/search/", {"q": QUERY})
page = client.get("/search/", {"q": QUERY})
article = client.get(ARTICLE_URL)
sitemap = client.get("/sitemap.xml")
print(
    json.dumps(
        {
            "api_status": api.status_code,
            "api": api.json() if api.status_code == 200 else api.content.decode(),
            "search_page_status": page.status_code,
            "search_page": page.content.decode(),
            "article_status": article.status_code,
            "article": article.content.decode(),
            "sitemap_status": sitemap.status_code,
            "sitemap": sitemap.content.decode(),
        }
    )
)
