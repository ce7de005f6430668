"""Factories for the content model. Pages are built under a real site tree so
URLs, privacy and publishing behave as they do for editors."""

from __future__ import annotations

import datetime

import factory
import wagtail_factories
from django.utils import timezone
from django.utils.text import slugify

from blog.blocks import TherapyComparisonBlock
from blog.comparison import comparison_data
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
from home.models import HomePage


class AuthorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Author
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Author {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    kind = Author.Kind.PERSON
    role = "Physical therapist"


class PainTopicFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PainTopic
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Topic {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class TherapyTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TherapyType
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Therapy {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))


class NewsletterSignupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NewsletterSignup

    title = "Get gentle movement ideas weekly"
    text = "One short email a week with exercises and research, written for people in pain."
    button_label = "Sign up"
    action_url = "https://example.org/newsletter"


class CallToActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CallToAction

    title = "Try the home programme"
    text = "Guided sessions you can do from your living room."
    link_label = "Start free"
    link_url = "https://example.org/programme"


class MedicalDisclaimerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MedicalDisclaimer

    title = "Medical disclaimer"
    text = "<p>This article is for education and is not medical advice.</p>"
    is_default = True


ImageFactory = wagtail_factories.ImageFactory


def section(heading: str, anchor: str = "") -> tuple[str, dict]:
    return ("section_heading", {"heading": heading, "anchor": anchor})


def paragraph(text: str) -> tuple[str, str]:
    return ("rich_text", f"<p>{text}</p>")


def bullet_list(items: list[str], lead_in: str = "") -> tuple[str, dict]:
    return ("list", {"lead_in": lead_in, "style": "bulleted", "items": items})


def comparison(therapies: list, rows: list[tuple[str, list[str]]]) -> tuple[str, dict]:
    return (
        "therapy_comparison",
        TherapyComparisonBlock().to_python(
            comparison_data(
                caption=" vs ".join(getattr(t, "name", t) for t in therapies),
                therapies=therapies,
                rows=rows,
            )
        ),
    )


def ensure_wagtail_root() -> None:
    """Tests whose rows really commit (a live server, a worker) end with a flush,
    which also removes the Wagtail root page, collection and locale that
    migrations created;
    whatever test runs next puts them back."""
    from django.conf import settings
    from wagtail.coreutils import get_supported_content_language_variant
    from wagtail.models import Collection, Locale, Page

    Locale.objects.get_or_create(
        language_code=get_supported_content_language_variant(settings.LANGUAGE_CODE)
    )
    if Page.get_first_root_node() is None:
        Page.add_root(instance=Page(title="Root", slug="root"))
    if Collection.get_first_root_node() is None:
        Collection.add_root(name="Root")


def build_site() -> tuple[HomePage, BlogIndexPage]:
    """The home page at the default site's root and a blog index under it."""
    from wagtail.models import Page, Site

    ensure_wagtail_root()
    root = Page.get_first_root_node()
    home = HomePage.objects.first()
    if home is None:
        home = root.add_child(instance=HomePage(title="Relief", slug="relief-home"))
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            Site.objects.create(
                hostname="localhost", root_page=home, is_default_site=True
            )
        else:
            site.root_page = home
            site.save()
    blog_index = BlogIndexPage.objects.first()
    if blog_index is None:
        blog_index = home.add_child(
            instance=BlogIndexPage(title="Articles", slug="articles")
        )
    return home, blog_index


def create_article(
    *,
    parent: BlogIndexPage,
    title: str,
    summary: str = "A short summary for readers.",
    body: list | None = None,
    authors: list[Author] | None = None,
    topics: list[PainTopic] = (),
    therapy_types: list[TherapyType] = (),
    live: bool = True,
    slug: str | None = None,
    **fields,
) -> ArticlePage:
    page = ArticlePage(
        title=title,
        slug=slug or slugify(title)[:80],
        summary=summary,
        body=body
        if body is not None
        else [paragraph("Gentle movement helps many people.")],
        live=False,
        **fields,
    )
    page.article_authors = [
        ArticlePageAuthor(author=author, sort_order=position)
        for position, author in enumerate(authors or [AuthorFactory()])
    ]
    page.topics = list(topics)
    page.therapy_types = list(therapy_types)
    parent.add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    page.refresh_from_db()
    return page


def expire(page: ArticlePage) -> None:
    """Put the page's expiry time in the past, as it is between that moment and
    the next run of the scheduled-publishing job, which has not unpublished it."""
    ArticlePage.objects.filter(pk=page.pk).update(
        expire_at=timezone.now() - datetime.timedelta(minutes=5)
    )
    page.refresh_from_db()
