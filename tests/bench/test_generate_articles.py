import pytest
from django.core.management import call_command
from wagtail.models import Page

from blog.models import ArticlePage


@pytest.mark.django_db
def test_generator_grows_the_blog_to_the_requested_count_with_a_valid_tree(site_tree):
    call_command("generate_articles", 30, stdout=None)
    call_command("generate_articles", 45, stdout=None)

    articles = ArticlePage.objects.live().child_of(site_tree[1])
    assert articles.count() == 45
    blog_index = Page.objects.get(pk=site_tree[1].pk)
    assert blog_index.numchild == 45 and blog_index.get_children().count() == 45
    assert Page.find_problems() == ([], [], [], [], [])


@pytest.mark.django_db
def test_generated_articles_have_sections_authors_and_topics(site_tree):
    call_command("generate_articles", 5, stdout=None)

    for page in ArticlePage.objects.live():
        assert page.table_of_contents, "every article has sections"
        assert all(entry["anchor"] for entry in page.table_of_contents)
        assert page.authors and page.topics.exists()
        assert page.url.startswith("/articles/synthetic-")
