"""Run by the new site's Python: an editor makes an author, a blog index and an
article through the admin's own forms, as in a browser."""

import os
import re
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mysite.settings.dev")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from wagtail.models import Page  # noqa: E402
from wagtail.test.utils.form_data import (  # noqa: E402
    inline_formset,
    nested_form_data,
    rich_text,
    streamfield,
)

from blog.models import Author  # noqa: E402

TITLE, QUERY = sys.argv[1], sys.argv[2]
PASSWORD = "a long editor pass phrase"


def post(client: Client, url: str, data: dict) -> None:
    response = client.post(url, data)
    if response.status_code != 302:
        html = response.content.decode()
        errors = re.findall(r'class="error-message"[^>]*>\s*(.*?)\s*</', html, re.S)
        sys.exit(f"POST {url} answered {response.status_code}: {errors or html[:2000]}")


def add_page_url(model: str, parent: Page) -> str:
    return reverse("wagtailadmin_pages:add", args=("relief_blog", model, parent.pk))


get_user_model().objects.create_superuser("editor", "editor@example.org", PASSWORD)
client = Client()
assert client.login(username="editor", password=PASSWORD)
home = Page.objects.get(depth=2)

post(
    client,
    reverse("relief_blog_author_modeladmin_create"),
    {"name": "Sam Okafor", "slug": "sam-okafor", "kind": "person", "role": "OTR/L"},
)
post(
    client,
    add_page_url("blogindexpage", home),
    {"title": "Articles", "slug": "articles", "intro": "", "action-publish": "1"},
)
index = Page.objects.get(slug="articles")
author = Author.objects.get()
body = [("rich_text", rich_text(f"<p>{QUERY.capitalize()} helps on bad days.</p>"))]
post(
    client,
    add_page_url("articlepage", index),
    {
        **nested_form_data(
            {
                "title": TITLE,
                "slug": "pacing",
                "summary": "Spread the day's tasks out.",
                "article_authors": inline_formset([{"author": author.pk}], min=1),
                "body": streamfield(body),
            }
        ),
        "action-publish": "1",
    },
)
print(Page.objects.get(slug="pacing").url)
