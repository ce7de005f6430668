"""Build (or refresh) the demo site: home page, blog index, taxonomy, snippets,
generated images, published articles and a demo administrator.

Running it again keeps what exists and only adds what is missing: every object
is found by its slug or title first, and nothing an editor changed is overwritten
(`make run` calls this command on every start).
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from wagtail.models import Page, Site

from blog.blocks import BODY_IMAGE_RENDITION
from blog.comparison import comparison_data
from blog.listing import CARD_RENDITION
from blog.models import (
    ArticlePage,
    ArticlePageAuthor,
    Author,
    BlogIndexPage,
    CallToAction,
    MedicalDisclaimer,
    NewsletterSignup,
    PainTopic,
    TherapyType,
)
from blog.serializers import AVATAR_RENDITION, HERO_RENDITIONS
from blog.templatetags.relief_tags import HERO_RENDITION
from home.demo import taxonomy
from home.demo.articles import ARTICLES
from home.demo.images import PALETTES, ensure_image
from home.demo.search_terms import fill_demo_search_terms
from home.models import HomePage

ADMIN_USERNAME = "admin"
ADMIN_PASSWORD = "relief-demo"  # noqa: S105 - a documented demo login

# Every rendition the reader's pages and the API ask for; the literal specs
# are those of blog/templates/blog/article_page.html, blog/templates/blocks/image.html
# and blog/templates/blog/author_page.html.
HERO_SPECS = (
    "fill-1200x675",
    "fill-720x405",
    HERO_RENDITION,
    CARD_RENDITION,
    *HERO_RENDITIONS.values(),
)
BODY_IMAGE_SPECS = ("max-1200x1200", "max-720x720", BODY_IMAGE_RENDITION)
AVATAR_SPECS = ("fill-160x160", AVATAR_RENDITION)


def publish(page: Page) -> None:
    """Publish through a revision so the normal publishing signals run."""
    page.save_revision().publish()


LOOPBACK_HOSTS = ("localhost", "127.0.0.1")


def ensure_home_page() -> HomePage:
    """The Relief home page as the default site's root, replacing Wagtail's
    starter 'Welcome' page when it is still untouched."""
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        home = root.add_child(
            instance=HomePage(
                title="Relief",
                slug="relief-home",
                live=False,
                intro="Plain-language help for living with long-lasting pain.",
            )
        )
        publish(home)
    site = Site.objects.filter(is_default_site=True).first()
    if site is None:
        site = Site(hostname="localhost", port=80, is_default_site=True)
    if site.hostname in LOOPBACK_HOSTS:
        # Wagtail's initial site, or the demo's own from an earlier run (maybe
        # on another port): match the address the demo is served on now so
        # canonical links, feeds and the API's html_url work as printed. A
        # real host name an editor set is left alone.
        base = urlsplit(settings.WAGTAILADMIN_BASE_URL)
        site.hostname = base.hostname or site.hostname
        site.port = base.port or (443 if base.scheme == "https" else 80)
    old_root = site.root_page if site.pk else None
    site.root_page = home
    site.site_name = "Relief"
    site.save()
    remove_welcome_page(page=old_root, home=home)
    return home


def remove_welcome_page(*, page: Page | None, home: HomePage) -> None:
    # Only the bare starter page with no children is removed; anything an
    # editor built stays.
    if page is None or page.pk == home.pk:
        return
    if (
        page.specific_class is Page
        and page.depth == 2
        and not page.get_children().exists()
    ):
        page.delete()


def ensure_blog_index(*, home: HomePage) -> BlogIndexPage:
    index = BlogIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=BlogIndexPage(
                title="Articles",
                slug="articles",
                live=False,
                intro="Guides to therapies, exercises and everyday tactics for chronic pain.",
            )
        )
        publish(index)
    return index


def ensure_taxonomy() -> None:
    for data in taxonomy.AUTHORS:
        Author.objects.get_or_create(slug=data["slug"], defaults=data)
    for slug, name, parent, synonyms, description in taxonomy.TOPICS:
        PainTopic.objects.get_or_create(
            slug=slug,
            defaults={
                "name": name,
                "parent": PainTopic.objects.get(slug=parent) if parent else None,
                "synonyms": "\n".join(synonyms),
                "description": description,
            },
        )
    for slug, name, description in taxonomy.THERAPIES:
        TherapyType.objects.get_or_create(
            slug=slug, defaults={"name": name, "description": description}
        )


def ensure_snippets() -> dict:
    signup, _ = NewsletterSignup.objects.get_or_create(
        title=taxonomy.NEWSLETTER["title"], defaults=taxonomy.NEWSLETTER
    )
    cta, _ = CallToAction.objects.get_or_create(
        title=taxonomy.CALL_TO_ACTION["title"], defaults=taxonomy.CALL_TO_ACTION
    )
    disclaimer = MedicalDisclaimer.objects.default()
    if disclaimer is None:
        disclaimer = MedicalDisclaimer.objects.create(
            **taxonomy.DISCLAIMER, is_default=True
        )
    return {"newsletter": signup.pk, "cta": cta.pk, "disclaimer": disclaimer.pk}


def resolve_body(*, body: list, snippets: dict, images: dict) -> list:
    """Swap the demo markers for snippet and image ids."""
    field_for = {
        "newsletter_callout": "signup",
        "call_to_action": "call_to_action",
        "medical_disclaimer": "disclaimer",
    }
    resolved = []
    for block_type, value in body:
        if block_type in field_for:
            value = {field_for[block_type]: snippets[value]}
        elif block_type == "image":
            value = {**value, "image": images[value["image"]].pk}
        elif block_type == "therapy_comparison":
            value = comparison_data(**value)
        resolved.append({"type": block_type, "value": value})
    return resolved


def create_article(
    *, index: BlogIndexPage, data: dict, snippets: dict, images: dict
) -> bool:
    """Create and publish the article unless its slug exists; True if created."""
    if ArticlePage.objects.filter(slug=data["slug"]).exists():
        return False
    hero_title, hero_alt = data["hero"]
    reviewer = data.get("reviewer")
    page = ArticlePage(
        slug=data["slug"],
        live=False,
        title=data["title"],
        summary=data["summary"],
        hero_image=images[hero_title],
        hero_alt_text=hero_alt,
        published_date=data["published"],
        # Backdated so the index lists the demo articles in their date order.
        first_published_at=datetime.datetime.combine(
            data["published"], datetime.time(9), tzinfo=datetime.UTC
        ),
        medical_reviewer=Author.objects.get(slug=reviewer) if reviewer else None,
        last_reviewed=data.get("last_reviewed"),
        body=resolve_body(body=data["body"], snippets=snippets, images=images),
    )
    page.article_authors = [
        ArticlePageAuthor(author=Author.objects.get(slug=slug), sort_order=n)
        for n, slug in enumerate(data["authors"])
    ]
    page.topics = list(PainTopic.objects.filter(slug__in=data["topics"]))
    page.therapy_types = list(TherapyType.objects.filter(slug__in=data["therapies"]))
    index.add_child(instance=page)
    publish(page)
    return True


def make_renditions(*, slugs: list[str]) -> None:
    """Make the renditions of these articles' images now, so the first reader
    and the first API call do not wait for image resizing."""
    articles = ArticlePage.objects.filter(slug__in=slugs).select_related(
        "hero_image", "medical_reviewer__avatar"
    )
    for page in articles:
        if page.hero_image:
            page.hero_image.get_renditions(*HERO_SPECS)
        for child in page.body:
            if child.block_type == "image" and child.value["image"]:
                child.value["image"].get_renditions(*BODY_IMAGE_SPECS)
        for author in [*page.authors, page.medical_reviewer]:
            if author and author.avatar:
                author.avatar.get_renditions(*AVATAR_SPECS)


def ensure_admin_user() -> None:
    User = get_user_model()
    if not User.objects.filter(username=ADMIN_USERNAME).exists():
        User.objects.create_superuser(
            ADMIN_USERNAME, "admin@example.org", ADMIN_PASSWORD
        )


def describe_admin_login() -> str:
    """Whether the demo login works as printed, checked against the user as it
    is now: an earlier run may have created it, or someone changed it since."""
    user = get_user_model().objects.get(username=ADMIN_USERNAME)
    if not (user.is_active and user.is_staff):
        return (
            f"Login: the existing user '{ADMIN_USERNAME}' cannot sign in to the "
            f"admin (inactive or not staff); the demo password '{ADMIN_PASSWORD}' "
            "does not work for it."
        )
    if user.check_password(ADMIN_PASSWORD):
        return f"Login: {ADMIN_USERNAME} / {ADMIN_PASSWORD}"
    return (
        f"Login: {ADMIN_USERNAME} with the password set for it; the demo password "
        f"'{ADMIN_PASSWORD}' does not work (it was changed)."
    )


class Command(BaseCommand):
    help = (
        "Load (or refresh) the Relief demo site, its articles and a demo admin login."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--skip-renditions",
            action="store_true",
            help="Leave image renditions to the first visits (a faster load).",
        )

    def handle(self, *args, **options):
        with transaction.atomic():
            home = ensure_home_page()
            index = ensure_blog_index(home=home)
            ensure_taxonomy()
            snippets = ensure_snippets()
            images = {title: ensure_image(title=title) for title in PALETTES}
            created = sum(
                create_article(index=index, data=data, snippets=snippets, images=images)
                for data in ARTICLES
            )
            ensure_admin_user()
        added = fill_demo_search_terms()
        self.stdout.write(
            f"Demo search terms: {added} generated days added (marked demo)."
        )
        if not options["skip_renditions"]:
            make_renditions(slugs=[data["slug"] for data in ARTICLES])
        self.stdout.write(
            f"Demo content ready: {len(ARTICLES)} articles ({created} new, "
            f"{len(ARTICLES) - created} already there and kept)."
        )
        self.stdout.write(f"Admin: {settings.WAGTAILADMIN_BASE_URL}/admin/")
        self.stdout.write(describe_admin_login())
