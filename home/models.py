from django.db import models
from wagtail.admin.panels import FieldPanel
from wagtail.api import APIField
from wagtail.models import Page


class HomePage(Page):
    intro = models.TextField(blank=True, max_length=500)
    featured_articles_count = models.PositiveSmallIntegerField(default=3)

    content_panels = [
        *Page.content_panels,
        FieldPanel("intro"),
        FieldPanel("featured_articles_count"),
    ]

    api_fields = [APIField("intro")]

    parent_page_types = ["wagtailcore.Page"]
    subpage_types = ["relief_blog.BlogIndexPage"]
    max_count = 1

    LATEST_ARTICLES_COUNT = 6

    def get_context(self, request, *args, **kwargs):
        from blog.listing import published_articles
        from blog.models import PainTopic

        context = super().get_context(request, *args, **kwargs)
        articles = list(
            published_articles().descendant_of(self)[
                : self.featured_articles_count + self.LATEST_ARTICLES_COUNT
            ]
        )
        context["featured_articles"] = articles[: self.featured_articles_count]
        context["latest_articles"] = articles[self.featured_articles_count :]
        context["topics"] = PainTopic.objects.filter(
            pk__in=published_articles().values("topics")
        )
        return context
