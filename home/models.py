from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.models import Page


class HomePage(Page):
    intro = models.TextField(blank=True, max_length=500)
    featured_articles_count = models.PositiveSmallIntegerField(default=3)

    content_panels = [*Page.content_panels, FieldPanel("intro"), FieldPanel("featured_articles_count")]

    api_fields = [APIField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["relief_blog.BlogIndexPage"]
    max_count = 1
