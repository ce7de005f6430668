"""The write side of the index: turning pages into documents and documents into
index operations. Readers never import this module."""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone
from elasticsearch.helpers import bulk

from search.client import get_client
from search.documents import alias_name, build_index, concrete_index_name


def indexable_articles():
    """Every article a reader may see: live, public, not expired."""
    from blog.models import ArticlePage

    return (
        ArticlePage.objects.live()
        .public()
        .filter(expired=False)
        .select_related("locale")
        .prefetch_related(
            "article_authors__author",
            "topics__parent__parent__parent",
            "therapy_types",
        )
    )


def topic_ancestry(topic) -> list[str]:
    slugs = []
    node = topic
    while node is not None and node.slug not in slugs:
        slugs.append(node.slug)
        node = node.parent
    return slugs


def prepare_document(page) -> dict:
    """The index document of one article: plain text only, no editor-only content."""
    sections = [
        {"anchor": anchor, "heading": heading, "text": text, "position": position}
        for position, (anchor, heading, text) in enumerate(article_sections(page))
    ]
    topics = list(page.topics.all())
    therapies = list(page.therapy_types.all())
    authors = [link.author for link in page.article_authors.all()]
    return {
        "page_id": page.pk,
        "title": page.title,
        "summary": page.summary,
        "body": page.body_text,
        "sections": sections,
        "topics": [{"slug": t.slug, "name": t.name} for t in topics],
        "topic_slugs": [t.slug for t in topics],
        "topic_tree_slugs": sorted({s for t in topics for s in topic_ancestry(t)}),
        "therapy_types": [{"slug": t.slug, "name": t.name} for t in therapies],
        "therapy_slugs": [t.slug for t in therapies],
        "author_names": [a.name for a in authors],
        "author_slugs": [a.slug for a in authors],
        "published_date": page.published_date,
        "updated_date": page.updated_date,
        "first_published_at": page.first_published_at,
        "url": page.get_url(),
        "locale": page.locale.language_code,
    }


def article_sections(page) -> list[tuple[str, str, str]]:
    """(anchor, heading, text) for each section; text before the first heading is
    an untitled lead section with an empty anchor (it links to the article top)."""
    sections: list[list] = [["", "", []]]
    for child in page.body:
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


def create_concrete_index(*, suffix: str | None = None) -> str:
    suffix = suffix or timezone.now().strftime("%Y%m%d%H%M%S%f")
    name = concrete_index_name(suffix=suffix)
    build_index(name=name).create(using=get_client())
    return name


def ensure_index() -> str:
    """The concrete index behind the alias, creating both when missing."""
    client = get_client()
    alias = alias_name()
    if client.indices.exists_alias(name=alias):
        return next(iter(client.indices.get_alias(name=alias)))
    name = create_concrete_index()
    client.indices.update_aliases(actions=[{"add": {"index": name, "alias": alias}}])
    return name


def bulk_index_documents(
    *, documents: Iterable[dict], index: str, refresh: bool = False
):
    actions = (
        {"_index": index, "_id": str(doc["page_id"]), "_source": doc}
        for doc in documents
    )
    return bulk(get_client(), actions, refresh=refresh, chunk_size=500)
