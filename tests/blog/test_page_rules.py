"""Where each page type may live in the tree."""

from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from blog.models import ArticlePage, BlogIndexPage
from home.models import HomePage


class PageTreeRulesTests(WagtailPageTestCase):
    def test_home_page_only_under_the_root(self):
        self.assertCanCreateAt(Page, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)
        self.assertCanNotCreateAt(BlogIndexPage, HomePage)
        self.assertCanNotCreateAt(ArticlePage, HomePage)
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_blog_index_goes_under_any_page_type_the_site_allows(self):
        # Page stands for a host site's own page types, which Relief knows
        # nothing of; only Relief's own pages refuse a blog index below them.
        self.assertCanCreateAt(Page, BlogIndexPage)
        self.assertCanCreateAt(HomePage, BlogIndexPage)
        self.assertCanNotCreateAt(BlogIndexPage, BlogIndexPage)
        self.assertCanNotCreateAt(ArticlePage, BlogIndexPage)

    def test_articles_only_under_the_blog_index_and_have_no_children(self):
        self.assertCanCreateAt(BlogIndexPage, ArticlePage)
        self.assertCanNotCreateAt(Page, ArticlePage)
        self.assertCanNotCreateAt(HomePage, ArticlePage)
        self.assertCanNotCreateAt(ArticlePage, ArticlePage)
        self.assertAllowedParentPageTypes(ArticlePage, {BlogIndexPage})
        self.assertAllowedSubpageTypes(ArticlePage, set())

    def test_home_page_accepts_only_a_blog_index(self):
        self.assertAllowedSubpageTypes(HomePage, {BlogIndexPage})
        self.assertAllowedSubpageTypes(BlogIndexPage, {ArticlePage})
