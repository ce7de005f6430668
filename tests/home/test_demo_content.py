"""The `load_demo_content` command (home/management/commands/load_demo_content.py)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import TestCase
from wagtail.images import get_image_model
from wagtail.models import Page, Revision, Site

from blog.blocks import ArticleBodyStreamBlock
from blog.models import (
    ArticlePage,
    Author,
    BlogIndexPage,
    CallToAction,
    MedicalDisclaimer,
    NewsletterSignup,
    PainTopic,
    TherapyType,
)
from home.models import HomePage

pytestmark = pytest.mark.django_db

COUNTED = (
    Page,
    ArticlePage,
    Author,
    PainTopic,
    TherapyType,
    NewsletterSignup,
    CallToAction,
    MedicalDisclaimer,
    Revision,
)


def load(*, renditions: bool = False) -> str:
    """Loads the demo; without renditions unless asked, as those take most of
    the time and only one test is about them."""
    out = io.StringIO()
    flags = [] if renditions else ["--skip-renditions"]
    call_command("load_demo_content", *flags, stdout=out)
    return out.getvalue()


def counts() -> dict:
    found = {model.__name__: model.objects.count() for model in COUNTED}
    found["Image"] = get_image_model().objects.count()
    found["User"] = get_user_model().objects.count()
    return found


@pytest.fixture
def demo(db):
    return load()


def test_second_run_adds_nothing(demo):
    before = counts()
    assert "0 new" in load()
    assert counts() == before


def test_demo_admin_can_log_in_and_is_announced(demo, client, settings):
    assert f"Admin: {settings.WAGTAILADMIN_BASE_URL}/admin/" in demo
    assert "admin / relief-demo" in demo
    assert client.login(username="admin", password="relief-demo")
    assert client.get("/admin/").status_code == 200


def test_existing_admin_user_is_left_alone(db, client):
    user = get_user_model().objects.create_user("admin", password="own-secret")
    output = load()
    user.refresh_from_db()
    assert user.check_password("own-secret")
    assert not user.is_superuser
    assert "'relief-demo' does not work" in output
    assert not client.login(username="admin", password="relief-demo")


def test_second_run_says_the_demo_login_still_works(demo, client):
    assert "Login: admin / relief-demo" in load()
    assert client.login(username="admin", password="relief-demo")


def test_second_run_says_when_the_demo_password_was_changed(demo, client):
    user = get_user_model().objects.get(username="admin")
    user.set_password("changed-by-me")
    user.save()
    output = load()
    assert "Login: admin / relief-demo" not in output
    assert "'relief-demo' does not work" in output


def test_first_visits_after_loading_make_no_renditions(db, client):
    """Renditions are made while the demo loads, not by the first reader."""
    load(renditions=True)
    renditions = get_image_model().get_rendition_model().objects
    made_at_load = renditions.count()
    assert made_at_load > 0
    urls = ["/", "/articles/", "/api/v2/pages/?type=relief_blog.ArticlePage&fields=*"]
    for page in ArticlePage.objects.all():
        urls += [page.url, f"/api/v2/pages/{page.pk}/"]
    for url in urls:
        assert client.get(url).status_code == 200, url
    assert renditions.count() == made_at_load


def test_editor_changes_survive_a_second_run(demo):
    page = ArticlePage.objects.get(slug="sleep-and-pain-breaking-the-cycle")
    page.title = "Sleep and pain, revised"
    page.save_revision().publish()
    load()
    assert ArticlePage.objects.get(pk=page.pk).title == "Sleep and pain, revised"


class LoadedDemoTests(TestCase):
    """Read-only checks share one load (rolled back after the class)."""

    @classmethod
    def setUpTestData(cls):
        cls.output = load()

    def test_home_page_replaces_the_welcome_page_as_default_site_root(self):
        site = Site.objects.get(is_default_site=True)
        assert isinstance(site.root_page.specific, HomePage)
        assert not Page.objects.filter(title__startswith="Welcome").exists()
        assert Page.objects.filter(depth=2).count() == 1
        index = BlogIndexPage.objects.get()
        assert index.get_parent().specific == site.root_page.specific
        assert index.live

    def test_at_least_twelve_articles_are_published_through_revisions(self):
        articles = ArticlePage.objects.all()
        assert articles.count() >= 12
        for article in articles:
            assert article.live
            assert article.live_revision is not None
            assert article.first_published_at is not None

    def test_articles_cover_topics_therapies_and_review(self):
        topics = PainTopic.objects.filter(articles__isnull=False).distinct().count()
        therapies = TherapyType.objects.filter(articles__isnull=False).distinct()
        assert topics >= 8
        assert therapies.count() == TherapyType.objects.count()
        reviewed = ArticlePage.objects.filter(medical_reviewer__isnull=False)
        # Some reviewed, some not, so the demo shows both.
        assert 1 <= reviewed.count() < ArticlePage.objects.count()
        assert all(page.last_reviewed for page in reviewed)

    def test_every_article_body_passes_the_editor_validation(self):
        block = ArticleBodyStreamBlock()
        for article in ArticlePage.objects.all():
            block.clean(article.body)  # raises ValidationError on bad demo data

    def test_topics_form_a_hierarchy_with_synonyms(self):
        back = PainTopic.objects.get(slug="back-pain")
        assert back.parent.slug == "chronic-pain"
        assert PainTopic.objects.get(slug="neck-pain").parent.slug == "chronic-pain"
        assert "lumbago" in back.synonym_list
        team = Author.objects.get(kind=Author.Kind.TEAM)
        assert team.name == "The Clearing Team"
        assert (
            Author.objects.filter(kind=Author.Kind.PERSON).exclude(role="").count() >= 2
        )
        assert MedicalDisclaimer.objects.default() is not None

    def test_pt_vs_ot_article_follows_its_outline(self):
        page = ArticlePage.objects.get(slug="physical-therapy-vs-occupational-therapy")
        assert page.authors == [Author.objects.get(name="The Clearing Team")]
        headings = [item["title"] for item in page.table_of_contents]
        assert all(heading.endswith("?") for heading in headings)
        assert any("history" in h.lower() or "come from" in h.lower() for h in headings)
        kinds = [child.block_type for child in page.body]
        lists = [child.value for child in page.body if child.block_type == "list"]
        assert lists[0]["lead_in"] == (
            "Popular exercises prescribed by physical therapists include:"
        )
        assert [len(items["items"]) for items in lists] == [9, 8]
        middle = kinds.index("newsletter_callout")
        assert 0.25 < middle / len(kinds) < 0.75
        table = next(c.value for c in page.body if c.block_type == "therapy_comparison")
        # Both therapies are picked from the taxonomy, not typed in.
        assert [
            t["therapy"].slug for t in table["therapies"].values() if t["therapy"]
        ] == [
            "physical-therapy",
            "occupational-therapy",
        ]
        assert [row["dimension"] for row in table["rows"]] == [
            "Focus",
            "Goals",
            "Typical patients",
            "Typical interventions",
            "Training and licensing",
            "Settings",
        ]
        assert kinds[-3:] == ["bottom_line", "call_to_action", "medical_disclaimer"]
        assert page.medical_reviewer is not None

    def test_images_are_generated_and_used_as_heroes(self):
        image = ArticlePage.objects.first().hero_image
        assert image is not None
        assert (image.width, image.height) == (1200, 675)
        assert ArticlePage.objects.filter(hero_alt_text="").count() == 0


def test_demo_site_answers_at_the_address_it_is_served_on(demo, settings):
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == settings.WAGTAILADMIN_BASE_URL
    article = ArticlePage.objects.live().first()
    assert article.full_url.startswith(settings.WAGTAILADMIN_BASE_URL + "/")


def test_demo_site_follows_the_port_it_is_served_on_next_time(demo, settings):
    # As an earlier `make run` on the default port left it.
    Site.objects.filter(is_default_site=True).update(hostname="127.0.0.1", port=8000)
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8123"
    load()
    site = Site.objects.get(is_default_site=True)
    assert site.root_url == "http://127.0.0.1:8123"


def test_demo_leaves_a_real_host_name_alone(demo, settings):
    Site.objects.filter(is_default_site=True).update(
        hostname="relief.example.org", port=443
    )
    settings.WAGTAILADMIN_BASE_URL = "http://127.0.0.1:8123"
    load()
    assert Site.objects.get(is_default_site=True).root_url == (
        "https://relief.example.org"
    )
