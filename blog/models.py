from __future__ import annotations

import datetime
import math

from django import forms
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.functional import cached_property
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from rest_framework.fields import IntegerField
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
)
from wagtail.api import APIField
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index
from wagtail.snippets.models import register_snippet

from blog.blocks import (
    ArticleBodyStreamBlock,
    assign_section_anchors,
    stored_plain_texts,
)
from blog.conf import review_interval_days
from blog.forms import ArticlePageForm
from blog.panels import ReadingGradePanel
from blog.serializers import (
    AuthorField,
    AuthorListField,
    DisclaimerField,
    HeroImageField,
    TableOfContentsField,
    TherapyTypeListField,
    TopicListField,
)

WORDS_PER_MINUTE = 200


# Taxonomy (managed with wagtail-modeladmin, see wagtail_hooks.py) -----------------


class TaxonomyTerm(models.Model):
    """A name readers see and the unique slug that URLs and filters use."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return self.name


class Author(TaxonomyTerm):
    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        TEAM = "team", "Team"

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSON)
    role = models.CharField(
        max_length=160,
        blank=True,
        help_text="Role or credentials, e.g. 'DPT, physical therapist'.",
    )
    bio = models.TextField(blank=True, max_length=1000)
    avatar = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("kind"),
        FieldPanel("role"),
        FieldPanel("bio"),
        FieldPanel("avatar"),
    ]

    def get_absolute_url(self):
        return f"/authors/{self.slug}/"


class PainTopicQuerySet(models.QuerySet):
    def with_descendant_ids(self) -> set[int]:
        """These topics and every topic below them, so "chronic pain" covers back
        pain too. Topic trees are a few levels deep: one small query a level."""
        found = set(self.values_list("pk", flat=True))
        level = found
        while level:
            level = set(
                PainTopic.objects.filter(parent_id__in=level)
                .exclude(pk__in=found)
                .values_list("pk", flat=True)
            )
            found |= level
        return found


class PainTopic(TaxonomyTerm):
    description = models.TextField(blank=True)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        help_text="For example, back pain sits under chronic pain.",
    )
    synonyms = models.TextField(
        blank=True,
        help_text="Other words readers use for this topic, one per line (e.g. 'lumbago').",
    )

    objects = PainTopicQuerySet.as_manager()

    panels = [
        FieldPanel("name"),
        FieldPanel("slug"),
        FieldPanel("parent"),
        FieldPanel("description"),
        FieldPanel("synonyms"),
    ]

    def get_absolute_url(self):
        return f"/topics/{self.slug}/"

    def clean(self):
        # The walk up stops where it would revisit a topic; when that topic is
        # this one, the chosen parent sits under it.
        top = self.lineage()[-1]
        if self.pk is not None and top.parent_id == self.pk:
            raise ValidationError({"parent": "A topic cannot sit under itself."})

    @property
    def synonym_list(self) -> list[str]:
        return [line.strip() for line in self.synonyms.splitlines() if line.strip()]

    def lineage(self) -> list[PainTopic]:
        """This topic and its ancestors, nearest first: the one walk up the topic
        tree. Stops before a topic it has seen, so a loop stored before clean()
        refused them ends the walk."""
        nodes, seen = [], set()
        node = self
        while node is not None and (node.pk or id(node)) not in seen:
            seen.add(node.pk or id(node))
            nodes.append(node)
            node = node.parent
        return nodes

    @property
    def lineage_slugs(self) -> list[str]:
        """This topic's slug and its ancestors', nearest first."""
        return [topic.slug for topic in self.lineage()]


# What to prefetch so an article's topics and their ancestors (lineage_slugs,
# facets, "also about" reasons) cost one query a level, not one per topic.
TOPIC_LINEAGE = "topics__parent__parent__parent"


class TherapyType(TaxonomyTerm):
    description = models.TextField(blank=True)

    panels = [FieldPanel("name"), FieldPanel("slug"), FieldPanel("description")]

    class Meta(TaxonomyTerm.Meta):
        verbose_name = "therapy type"


# Reusable snippets used by body blocks ------------------------------------------


class TitledSnippet(models.Model):
    """A snippet editors pick by its title."""

    title = models.CharField(max_length=120)

    class Meta:
        abstract = True

    def __str__(self):
        return self.title


@register_snippet
class NewsletterSignup(TitledSnippet):
    text = models.TextField(max_length=500)
    button_label = models.CharField(max_length=40, default="Subscribe")
    action_url = models.URLField(help_text="Where the sign-up form posts to.")

    panels = [
        FieldPanel("title"),
        FieldPanel("text"),
        FieldPanel("button_label"),
        FieldPanel("action_url"),
    ]

    class Meta:
        verbose_name = "newsletter sign-up"


@register_snippet
class CallToAction(TitledSnippet):
    text = models.TextField(max_length=600)
    link_label = models.CharField(max_length=60)
    link_url = models.URLField()

    panels = [
        FieldPanel("title"),
        FieldPanel("text"),
        FieldPanel("link_label"),
        FieldPanel("link_url"),
    ]

    class Meta:
        verbose_name = "call to action"


class MedicalDisclaimerQuerySet(models.QuerySet):
    def default(self) -> MedicalDisclaimer | None:
        return self.filter(is_default=True).first()


@register_snippet
class MedicalDisclaimer(TitledSnippet):
    title = models.CharField(max_length=120, default="Medical disclaimer")
    text = RichTextField(features=["bold", "italic", "link"])
    is_default = models.BooleanField(
        default=False,
        help_text="Shown on every article that has no disclaimer block of its own.",
    )

    objects = MedicalDisclaimerQuerySet.as_manager()

    panels = [FieldPanel("title"), FieldPanel("text"), FieldPanel("is_default")]

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="one_default_medical_disclaimer",
            )
        ]

    def save(self, *args, **kwargs):
        if self.is_default:
            MedicalDisclaimer.objects.filter(is_default=True).exclude(
                pk=self.pk
            ).update(is_default=False)
        super().save(*args, **kwargs)


# Pages ----------------------------------------------------------------------------


class BlogIndexPage(Page):
    intro = models.TextField(blank=True, max_length=500)

    content_panels = [*Page.content_panels, FieldPanel("intro")]

    api_fields = [APIField("intro")]

    # Any parent the host site's page types allow: the plugin knows no home page.
    subpage_types = ["relief_blog.ArticlePage"]
    max_count_per_parent = 1

    ARTICLES_PER_PAGE = 10
    # Templates live under the app's directory name, not its "relief_blog" label.
    template = "blog/blog_index_page.html"

    def get_context(self, request, *args, **kwargs):
        from blog.listing import filtered_index_articles, paginate, published_articles

        context = super().get_context(request, *args, **kwargs)
        articles, filters = filtered_index_articles(
            articles=published_articles().descendant_of(self),
            topic_slug=request.GET.get("topic", ""),
            author_slug=request.GET.get("author", ""),
        )
        context.update(filters)
        context["articles"] = paginate(
            items=articles,
            page_number=request.GET.get("page"),
            per_page=self.ARTICLES_PER_PAGE,
        )
        return context


class ArticlePageAuthor(Orderable):
    page = ParentalKey(
        "relief_blog.ArticlePage",
        on_delete=models.CASCADE,
        related_name="article_authors",
    )
    author = models.ForeignKey(
        Author, on_delete=models.PROTECT, related_name="article_links"
    )

    panels = [FieldPanel("author")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(
                fields=["page", "author"], name="unique_author_per_article"
            )
        ]


class ArticlePage(Page):
    summary = models.TextField(
        max_length=400, help_text="The dek: one or two sentences under the title."
    )
    hero_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    hero_alt_text = models.CharField(
        max_length=250,
        blank=True,
        help_text="Describe the hero image for readers who cannot see it.",
    )
    published_date = models.DateField(
        null=True,
        blank=True,
        help_text="First published; set on first publish when left empty.",
    )
    updated_date = models.DateField(
        null=True, blank=True, help_text="Last meaningful update."
    )
    topics = ParentalManyToManyField(PainTopic, blank=True, related_name="articles")
    therapy_types = ParentalManyToManyField(
        TherapyType, blank=True, related_name="articles"
    )
    body = StreamField(ArticleBodyStreamBlock())
    medical_reviewer = models.ForeignKey(
        Author,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="reviewed_articles",
    )
    last_reviewed = models.DateField(null=True, blank=True)
    next_review_due = models.DateField(
        null=True,
        blank=True,
        help_text="Left empty, or when the last-reviewed date changes: the "
        "last-reviewed date plus the site's review interval.",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        MultiFieldPanel(
            [FieldPanel("hero_image"), FieldPanel("hero_alt_text")],
            heading="Hero image",
        ),
        InlinePanel("article_authors", label="Author", min_num=1),
        # Checkboxes: a multi-select drops every other choice on a plain click.
        FieldPanel("topics", widget=forms.CheckboxSelectMultiple),
        FieldPanel("therapy_types", widget=forms.CheckboxSelectMultiple),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel(
                    [FieldPanel("published_date"), FieldPanel("updated_date")]
                ),
                FieldPanel("medical_reviewer"),
                FieldRowPanel(
                    [FieldPanel("last_reviewed"), FieldPanel("next_review_due")]
                ),
            ],
            heading="Dates and review",
        ),
        ReadingGradePanel(heading="Reading level"),
    ]

    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.RelatedFields("topics", [index.SearchField("name")]),
    ]

    api_fields = [
        APIField("summary"),
        APIField("hero_image", serializer=HeroImageField()),
        APIField("published_date"),
        APIField("updated_date"),
        APIField("reading_time", serializer=IntegerField(read_only=True)),
        APIField("authors", serializer=AuthorListField()),
        APIField("topics", serializer=TopicListField()),
        APIField("therapy_types", serializer=TherapyTypeListField()),
        APIField("table_of_contents", serializer=TableOfContentsField()),
        APIField("body"),
        APIField("medical_reviewer", serializer=AuthorField()),
        APIField("last_reviewed"),
        APIField("next_review_due"),
        APIField("disclaimer", serializer=DisclaimerField()),
    ]

    parent_page_types = ["relief_blog.BlogIndexPage"]
    subpage_types: list[str] = []
    template = "blog/article_page.html"
    base_form_class = ArticlePageForm

    def clean(self):
        super().clean()
        if self.hero_image_id and not self.hero_alt_text.strip():
            raise ValidationError(
                {"hero_alt_text": "Describe the hero image (alt text)."}
            )
        if self.last_reviewed and not self.medical_reviewer_id:
            raise ValidationError(
                {"medical_reviewer": "Name who reviewed the article."}
            )
        self.fill_next_review_due()
        if self.next_review_due and not self.last_reviewed:
            raise ValidationError(
                {"last_reviewed": "Give the date of the review this one follows."}
            )
        if self.next_review_due and self.next_review_due <= self.last_reviewed:
            raise ValidationError(
                {"next_review_due": "The next review comes after the last one."}
            )

    def save(self, *args, **kwargs):
        assign_section_anchors(body=self.body)
        self.fill_next_review_due()
        if self.live and self.published_date is None:
            self.published_date = timezone.localdate()
        return super().save(*args, **kwargs)

    def fill_next_review_due(self) -> None:
        """A review date without a due date of its own is due again after the
        site's review interval."""
        if self.last_reviewed and self.next_review_due is None:
            # A date given as text (fixtures, the shell) counts as that date.
            last = self._meta.get_field("last_reviewed").to_python(self.last_reviewed)
            self.next_review_due = last + datetime.timedelta(
                days=review_interval_days()
            )

    def get_context(self, request, *args, **kwargs):
        if not getattr(request, "is_preview", False):
            # One query per relation, however many authors and topics; a
            # preview keeps the editor's unsaved relations instead.
            models.prefetch_related_objects(
                [self],
                "article_authors__author__avatar",
                TOPIC_LINEAGE,
                "therapy_types",
            )
        return super().get_context(request, *args, **kwargs)

    @cached_property
    def table_of_contents(self) -> list[dict]:
        return [
            {"anchor": child.value["anchor"], "title": child.value["heading"]}
            for child in self.body
            if child.block_type == "section_heading"
        ]

    @cached_property
    def body_sections(self) -> list[tuple[str, str, str]]:
        """(anchor, heading, text) of each section, read through each block's
        plain_text; text before the first heading is an untitled lead section
        with an empty anchor."""
        sections: list[list] = [["", "", []]]
        for child in self.body:
            if child.block_type == "section_heading":
                sections.append([child.value["anchor"], child.value["heading"], []])
                continue
            text = child.block.plain_text(child.value)
            if text:
                sections[-1][2].append(text)
        return [
            (anchor, heading, "\n".join(parts))
            for anchor, heading, parts in sections
            if heading or parts
        ]

    @cached_property
    def body_text(self) -> str:
        return "\n".join(
            part
            for _, heading, text in self.body_sections
            for part in (heading, text)
            if part
        )

    @cached_property
    def reading_time(self) -> int:
        """Minutes, rounded up, never below one: the words of the summary and of
        every block's plain text, as the index reads them, except a chosen
        snippet's (counted from the stored body, so a listing of many articles
        loads none of their images or snippets)."""
        texts = [self.summary, *stored_plain_texts(self.body)]
        words = sum(len(text.split()) for text in texts)
        return max(1, math.ceil(words / WORDS_PER_MINUTE))

    @cached_property
    def authors(self) -> list[Author]:
        return [link.author for link in self.article_authors.all()]

    @cached_property
    def disclaimer(self) -> MedicalDisclaimer | None:
        """The disclaimer this article shows: its own block's, else the site default."""
        for child in self.body:
            if child.block_type == "medical_disclaimer":
                return (
                    child.value.get("disclaimer") or MedicalDisclaimer.objects.default()
                )
        return MedicalDisclaimer.objects.default()

    @property
    def review_overdue(self) -> bool:
        return bool(
            self.next_review_due and self.next_review_due < timezone.localdate()
        )

    @property
    def has_disclaimer_block(self) -> bool:
        return any(child.block_type == "medical_disclaimer" for child in self.body)
