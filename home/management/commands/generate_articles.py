"""Grow the blog to N synthetic, published articles for benchmarks.

Bodies look like real articles: question-titled sections with paragraphs, lists,
therapy comparisons, pull quotes and a closing bottom line, with one to three
authors and a few pain topics and therapy types each. Pages are inserted in bulk
straight into the page tree (paths computed as treebeard would), because the
editor path (a revision and a publish per page) makes 20k articles take most of
an hour; they are live pages without revision history.
"""

from __future__ import annotations

import random
import time
import uuid

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page

from blog.blocks import TherapyComparisonBlock, assign_section_anchors
from blog.comparison import comparison_data
from blog.models import ArticlePage, ArticlePageAuthor, Author, TherapyType
from home.management.commands._corpus_import import (
    PAIN_TOPICS,
    blog_index,
    ensure_pain_topics,
)

SLUG_PREFIX = "synthetic-"
INSERT_BATCH = 500

THERAPIES = (
    "Physical therapy",
    "Occupational therapy",
    "Massage therapy",
    "Acupuncture",
    "Cognitive behavioural therapy",
    "Hydrotherapy",
    "Yoga",
    "Chiropractic care",
)
CONDITIONS = (
    "low back pain",
    "neck pain",
    "knee osteoarthritis",
    "fibromyalgia",
    "sciatica",
    "migraine",
    "tension headache",
    "rheumatoid arthritis",
    "shoulder pain",
    "peripheral neuropathy",
    "hip pain",
    "plantar fasciitis",
    "carpal tunnel syndrome",
)
QUESTIONS = (
    "What is {c}?",
    "What causes {c}?",
    "How is {c} diagnosed?",
    "Which exercises help with {c}?",
    "When should you see a doctor about {c}?",
    "How does {t} help {c}?",
    "What does a {t} session look like?",
    "Can {c} go away on its own?",
    "How long does recovery from {c} take?",
)
SENTENCES = (
    "Many people with {c} find that gentle, regular movement eases stiffness.",
    "{T} focuses on restoring function so daily tasks feel manageable again.",
    "Pain that lasts longer than three months is considered chronic.",
    "A therapist will usually start by asking how {c} affects your sleep and work.",
    "Short sessions several times a week tend to work better than one long session.",
    "Heat can relax tight muscles, while cold packs calm a flare-up.",
    "Tell your clinician about any numbness, weakness or pain that wakes you at night.",
    "Research suggests that combining exercise with education improves outcomes.",
    "Progress is rarely a straight line; setbacks are common and temporary.",
    "Keeping a pain diary helps you and your care team spot patterns.",
)
ITEMS = (
    "Knee-to-chest stretch",
    "Pelvic tilts",
    "Walking for ten minutes",
    "Cat-cow stretch",
    "Pacing activities through the day",
    "A supportive pillow",
    "Wall push-ups",
    "Breathing exercises",
    "Ergonomic desk set-up",
    "Warm shower before exercise",
    "Sleep at regular times",
    "Gentle swimming",
    "Resistance band rows",
)
DIMENSIONS = ("Focus", "Goals", "Typical session", "Settings", "Who provides it")


def paragraph(rng: random.Random, *, c: str, t: str, sentences: int) -> str:
    text = " ".join(rng.choice(SENTENCES) for _ in range(sentences))
    return f"<p>{text.format(c=c, t=t, T=t.capitalize())}</p>"


def synthetic_body(rng: random.Random, *, sections: int) -> list[tuple[str, object]]:
    condition = rng.choice(CONDITIONS)
    therapy = rng.choice(THERAPIES).lower()
    body: list[tuple[str, object]] = [
        ("rich_text", paragraph(rng, c=condition, t=therapy, sentences=3))
    ]
    for n in range(sections):
        question = QUESTIONS[n % len(QUESTIONS)].format(c=condition, t=therapy)
        body.append(("section_heading", {"heading": question, "anchor": ""}))
        body.append(("rich_text", paragraph(rng, c=condition, t=therapy, sentences=4)))
        kind = rng.random()
        if kind < 0.4:
            items = rng.sample(ITEMS, rng.randint(3, 6))
            body.append(
                (
                    "list",
                    {"lead_in": "Things to try:", "style": "bulleted", "items": items},
                )
            )
        elif kind < 0.55:
            body.append(comparison(rng))
        elif kind < 0.65:
            body.append(
                (
                    "pull_quote",
                    {
                        "quote": rng.choice(SENTENCES).format(
                            c=condition, t=therapy, T=therapy.capitalize()
                        ),
                        "attribution": "A reader",
                    },
                )
            )
    body.append(
        (
            "bottom_line",
            {
                "heading": "The bottom line",
                "text": paragraph(rng, c=condition, t=therapy, sentences=2),
                "takeaways": rng.sample(ITEMS, 2),
            },
        )
    )
    return body


def comparison(rng: random.Random) -> tuple[str, dict]:
    therapies = rng.sample(THERAPIES, 2)
    rows = [
        (d, [f"{d} of {t.lower()}" for t in therapies])
        for d in rng.sample(DIMENSIONS, 3)
    ]
    return (
        "therapy_comparison",
        TherapyComparisonBlock().to_python(
            comparison_data(
                caption=f"{therapies[0]} and {therapies[1]} compared",
                therapies=therapies,
                rows=rows,
            )
        ),
    )


def ensure_taxonomy() -> tuple[list[Author], list, list[TherapyType]]:
    ensure_pain_topics()
    from blog.models import PainTopic

    authors = [
        Author.objects.get_or_create(
            slug=f"synthetic-author-{n}", defaults={"name": f"Synthetic Author {n}"}
        )[0]
        for n in range(1, 11)
    ]
    therapies = [
        TherapyType.objects.get_or_create(slug=slugify(name), defaults={"name": name})[
            0
        ]
        for name in THERAPIES
    ]
    topics = list(PainTopic.objects.filter(slug__in=[t[0] for t in PAIN_TOPICS]))
    return authors, topics, therapies


def generate_articles(*, count: int, seed: int = 1) -> int:
    """Add synthetic articles until the blog holds `count` of them; returns how
    many were added."""
    parent = blog_index()
    have = (
        ArticlePage.objects.child_of(parent)
        .filter(slug__startswith=SLUG_PREFIX)
        .count()
    )
    missing = max(0, count - have)
    if not missing:
        return 0
    rng = random.Random(seed + have)
    authors, topics, therapies = ensure_taxonomy()
    with transaction.atomic():
        parent = type(parent).objects.select_for_update().get(pk=parent.pk)
        last = parent.get_last_child()
        step = (
            ArticlePage._str2int(last.path[-ArticlePage.steplen :]) + 1 if last else 1
        )
        for start in range(0, missing, INSERT_BATCH):
            size = min(INSERT_BATCH, missing - start)
            insert_batch(
                rng=rng,
                parent=parent,
                first_step=step + start,
                first_number=have + start + 1,
                size=size,
                authors=authors,
                topics=topics,
                therapies=therapies,
            )
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + missing)
    return missing


def insert_batch(
    *, rng, parent, first_step, first_number, size, authors, topics, therapies
):
    content_type = ContentType.objects.get_for_model(ArticlePage)
    now = timezone.now()
    articles = []
    for n in range(size):
        number = first_number + n
        title = f"{rng.choice(THERAPIES)} for {rng.choice(CONDITIONS)}: guide {number}"
        slug = f"{SLUG_PREFIX}{number}"
        page = ArticlePage(
            title=title,
            draft_title=title,
            slug=slug,
            summary="What helps, what to expect, and when to see a clinician.",
            body=synthetic_body(rng, sections=rng.randint(2, 8)),
            path=ArticlePage._get_path(parent.path, parent.depth + 1, first_step + n),
            depth=parent.depth + 1,
            numchild=0,
            url_path=f"{parent.url_path}{slug}/",
            content_type=content_type,
            locale_id=parent.locale_id,
            translation_key=uuid.uuid4(),
            live=True,
            has_unpublished_changes=False,
            first_published_at=now,
            last_published_at=now,
            live_revision=None,
            published_date=now.date(),
        )
        assign_section_anchors(body=page.body)
        articles.append(page)
    bases = Page.objects.bulk_create([base_page(article) for article in articles])
    for article, base in zip(articles, bases, strict=True):
        article.pk = article.page_ptr_id = article.id = base.pk
    fields = [f for f in ArticlePage._meta.local_concrete_fields]
    ArticlePage._base_manager._insert(articles, fields=fields, using=connection.alias)
    link_taxonomy(
        rng=rng, articles=articles, authors=authors, topics=topics, therapies=therapies
    )


def base_page(article: ArticlePage) -> Page:
    values = {
        f.attname: getattr(article, f.attname)
        for f in Page._meta.concrete_fields
        if not f.primary_key
    }
    return Page(**values)


def link_taxonomy(*, rng, articles, authors, topics, therapies) -> None:
    author_links, topic_links, therapy_links = [], [], []
    topic_through = ArticlePage.topics.through
    therapy_through = ArticlePage.therapy_types.through
    for article in articles:
        for order, author in enumerate(rng.sample(authors, rng.randint(1, 3))):
            author_links.append(
                ArticlePageAuthor(page_id=article.pk, author=author, sort_order=order)
            )
        for topic in rng.sample(topics, min(len(topics), rng.randint(1, 3))):
            topic_links.append(
                topic_through(articlepage_id=article.pk, paintopic_id=topic.pk)
            )
        for therapy in rng.sample(therapies, rng.randint(1, 2)):
            therapy_links.append(
                therapy_through(articlepage_id=article.pk, therapytype_id=therapy.pk)
            )
    ArticlePageAuthor.objects.bulk_create(author_links)
    topic_through.objects.bulk_create(topic_links)
    therapy_through.objects.bulk_create(therapy_links)


class Command(BaseCommand):
    help = "Grow the blog to N synthetic published articles (benchmarks only)."

    def add_arguments(self, parser):
        parser.add_argument(
            "count", type=int, help="How many synthetic articles in total."
        )
        parser.add_argument("--seed", type=int, default=1)

    def handle(self, *args, count, seed, **options):
        started = time.perf_counter()
        added = generate_articles(count=count, seed=seed)
        seconds = time.perf_counter() - started
        rate = added / seconds if seconds else 0
        self.stdout.write(
            f"Synthetic articles: {added} added in {seconds:.1f} s ({rate:.0f}/s), "
            f"{count} in total."
        )
