"""RSS feed of the newest live, public articles."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.utils.feedgenerator import Rss201rev2Feed

from blog.listing import published_articles

FEED_LENGTH = 20


class LatestArticlesFeed(Feed):
    feed_type = Rss201rev2Feed
    title = "Relief: latest articles"
    link = "/"
    description = "New and updated articles on living with chronic pain."

    def __call__(self, request, *args, **kwargs):
        # Page URLs depend on the site the request came in on.
        self.request = request
        return super().__call__(request, *args, **kwargs)

    def items(self):
        return published_articles()[:FEED_LENGTH]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_link(self, item):
        return item.get_url(request=self.request)

    def item_pubdate(self, item):
        return item.first_published_at

    def item_updateddate(self, item):
        return item.last_published_at

    def item_author_name(self, item):
        return ", ".join(author.name for author in item.authors) or None

    def item_categories(self, item):
        return [topic.name for topic in item.topics.all()]
