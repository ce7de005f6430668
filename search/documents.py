"""The article document: analyzers, mapping, which articles are indexed and how
each field is prepared from a page, on one class (in the manner of
django-elasticsearch-dsl's Document.prepare_<field>).

One document per live, public article, with its sections as nested objects so a
hit can name the section that matched. Nothing here talks to a server; the write
side (indexing.py) and the read side (query.py, suggest.py, related.py) both
start from these names.

Synonyms are not baked into the analyzers: query.py expands them from the
built-in health list and the pain topics' synonyms at query time, so an editor's
change applies to the next search without re-indexing, and multi-word synonyms
behave the same on every Elasticsearch-compatible server.
"""

from __future__ import annotations

import hashlib
import json

from django.db.models import QuerySet
from elasticsearch.dsl import (
    Date,
    Document,
    Index,
    InnerDoc,
    Integer,
    Keyword,
    Nested,
    Text,
    analyzer,
    token_filter,
)

from blog.listing import readable_articles
from blog.models import TOPIC_LINEAGE
from blog.preload import preloaded_therapy_types
from search import embeddings
from search.conf import get_search_settings

# Bump when the mapping or analysis changes; `search_index rebuild` then builds
# a new concrete index under the same alias.
SCHEMA_VERSION = 7
# Between the lines of a section's text (paragraphs, list items, cells): a
# paragraph separator, which the highlighter's sentence scanner breaks at and a
# newline is not, so a snippet never runs one line into the next.
LINE_BREAK = "\u2029"

# Sentence embeddings of an article's text and of each section's (unit vectors,
# search.vectors): mapped per engine (search.engine), so not on the Document.
VECTOR_FIELD = "embedding"
SECTION_VECTOR_KEY = "embedding"
SECTION_VECTOR_FIELD = f"sections.{SECTION_VECTOR_KEY}"

english_possessive = token_filter(
    "english_possessive", type="stemmer", language="possessive_english"
)
english_stop = token_filter("english_stop", type="stop", stopwords="_english_")
english_stemmer = token_filter("english_stemmer", type="stemmer", language="english")
autocomplete_edge = token_filter(
    "autocomplete_edge", type="edge_ngram", min_gram=2, max_gram=20
)

english = analyzer(
    "relief_english",
    tokenizer="standard",
    filter=[
        english_possessive,
        "lowercase",
        "asciifolding",
        english_stop,
        english_stemmer,
    ],
)
# Unstemmed words, for exact-word boosts and "did you mean" suggestions.
plain = analyzer(
    "relief_plain", tokenizer="standard", filter=["lowercase", "asciifolding"]
)
autocomplete_index = analyzer(
    "relief_autocomplete",
    tokenizer="standard",
    filter=["lowercase", "asciifolding", autocomplete_edge],
)
autocomplete_search = plain


def english_text(**kwargs) -> Text:
    """Stemmed long text (summary, body, section text): matched as words only,
    so it carries no sub-fields to analyse and store."""
    return Text(analyzer=english, **kwargs)


def english_text_with_exact(**kwargs) -> Text:
    """Stemmed long text with an unstemmed `.exact` sub-field, where short
    all-caps terms are looked up as typed (stemming turns ALS into "al")."""
    return Text(analyzer=english, fields={"exact": Text(analyzer=plain)}, **kwargs)


def autocomplete_text(**kwargs) -> Text:
    """Stemmed short text (titles, headings, names) with an unstemmed `.plain`
    sub-field for typo tolerance, an edge-ngram `.autocomplete` one and `.raw`."""
    return Text(
        analyzer=english,
        fields={
            "plain": Text(analyzer=plain),
            "autocomplete": Text(
                analyzer=autocomplete_index, search_analyzer=autocomplete_search
            ),
            "raw": Keyword(),
        },
        **kwargs,
    )


class SectionDoc(InnerDoc):
    anchor = Keyword()
    heading = autocomplete_text()
    text = english_text_with_exact()
    # Heading and text as one field: what a plain BM25 ranking of sections reads.
    all_text = english_text()
    position = Integer()


class TaxonomyDoc(InnerDoc):
    slug = Keyword()
    name = autocomplete_text()


class ArticleDocument(Document):
    """Field names here are the contract between the write side and the read
    side; every mapped field but the fingerprint (a digest of the others) has a
    prepare_<field>(page) below."""

    page_id = Integer()
    title = autocomplete_text()
    summary = english_text()
    body = english_text()
    # Every word a reader sees on the page (title, summary, headings, text) in
    # one field: the plain BM25 baseline the relevance evaluation compares with.
    all_text = english_text_with_exact()
    sections = Nested(SectionDoc)
    # Direct topic slugs and names (facets), and the same plus every ancestor
    # topic (filtering by "chronic pain" finds "back pain" articles).
    topics = Nested(TaxonomyDoc)
    topic_slugs = Keyword(multi=True)
    topic_tree_slugs = Keyword(multi=True)
    therapy_types = Nested(TaxonomyDoc)
    therapy_slugs = Keyword(multi=True)
    author_names = Text(analyzer=plain, multi=True)
    author_slugs = Keyword(multi=True)
    published_date = Date()
    updated_date = Date()
    first_published_at = Date()
    url = Keyword(index=False)
    locale = Keyword()
    # The words "did you mean" may offer, unstemmed, for the engine's term
    # suggester: what a reader sees of an article before opening it.
    spelling = Text(analyzer=plain)
    # A digest of every other field as prepared, so `search_index status` and
    # `sync` find documents whose content went stale, not only missing ids.
    fingerprint = Keyword(index=False)

    # Every blog model (taxonomy) with fields that end up in documents, and
    # those fields: saving or deleting one re-indexes the articles using it,
    # and an edit that changes none of them (a topic's synonyms) re-indexes
    # nothing. No image or snippet field reaches a document (captions belong
    # to the article; snippets are shared boilerplate, blog.blocks).
    RELATED_FIELDS = {
        "Author": ("name", "slug"),
        "PainTopic": ("name", "slug", "parent_id"),
        "TherapyType": ("name", "slug"),
    }

    @classmethod
    def mapped_fields(cls) -> list[str]:
        return list(cls._doc_type.mapping)

    @classmethod
    def get_queryset(cls) -> QuerySet:
        """Every article a reader may see, with what its document needs."""
        return (
            readable_articles()
            .select_related("locale")
            .prefetch_related("article_authors__author", TOPIC_LINEAGE, "therapy_types")
        )

    @classmethod
    def prepare(cls, page) -> dict:
        """The index document of one article: plain text only, no editor-only
        content, and the fingerprint of the rest."""
        document = {
            name: getattr(cls, f"prepare_{name}")(page)
            for name in cls.mapped_fields()
            if name != "fingerprint"
        }
        return {**document, "fingerprint": fingerprint_of(document)}

    @staticmethod
    def preparing_many():
        """Around the preparation of many documents: what article bodies pick
        from the taxonomy is read once, not once per article."""
        return preloaded_therapy_types()

    @staticmethod
    def prepare_page_id(page) -> int:
        return page.pk

    @staticmethod
    def prepare_title(page) -> str:
        return page.title

    @staticmethod
    def prepare_summary(page) -> str:
        return page.summary

    @staticmethod
    def prepare_body(page) -> str:
        # The section headings and texts below, as one text.
        return page.body_text

    @staticmethod
    def prepare_all_text(page) -> str:
        """Title, summary and body as one text; a summary cut from the body's
        first words is not counted twice."""
        body = page.body_text
        summary = page.summary.strip().rstrip("…").strip()
        parts = [page.title, body] if summary in body else [page.title, summary, body]
        return "\n".join(part for part in parts if part)

    @staticmethod
    def prepare_sections(page) -> list[dict]:
        """Text before the first heading is an untitled lead section with an
        empty anchor (it links to the article top)."""
        return [
            {
                "anchor": anchor,
                "heading": heading,
                "text": text.replace("\n", LINE_BREAK),
                "all_text": f"{heading}\n{text}".strip(),
                "position": position,
            }
            for position, (anchor, heading, text) in enumerate(page.body_sections)
        ]

    @staticmethod
    def prepare_topics(page) -> list[dict]:
        return [{"slug": t.slug, "name": t.name} for t in page.topics.all()]

    @staticmethod
    def prepare_topic_slugs(page) -> list[str]:
        return [t.slug for t in page.topics.all()]

    @staticmethod
    def prepare_topic_tree_slugs(page) -> list[str]:
        return sorted({s for t in page.topics.all() for s in t.lineage_slugs})

    @staticmethod
    def prepare_therapy_types(page) -> list[dict]:
        return [{"slug": t.slug, "name": t.name} for t in page.therapy_types.all()]

    @staticmethod
    def prepare_therapy_slugs(page) -> list[str]:
        return [t.slug for t in page.therapy_types.all()]

    @staticmethod
    def prepare_author_names(page) -> list[str]:
        return [link.author.name for link in page.article_authors.all()]

    @staticmethod
    def prepare_author_slugs(page) -> list[str]:
        return [link.author.slug for link in page.article_authors.all()]

    @staticmethod
    def prepare_published_date(page):
        return page.published_date

    @staticmethod
    def prepare_updated_date(page):
        return page.updated_date

    @staticmethod
    def prepare_first_published_at(page):
        return page.first_published_at

    @staticmethod
    def prepare_url(page) -> str:
        return page.get_url()

    @staticmethod
    def prepare_locale(page) -> str:
        return page.locale.language_code

    @staticmethod
    def prepare_spelling(page) -> str:
        headings = [heading for _, heading, _ in page.body_sections if heading]
        names = [t.name for t in (*page.topics.all(), *page.therapy_types.all())]
        return "\n".join([page.title, page.summary, *headings, *names])


def fingerprint_of(document: dict) -> str:
    text = json.dumps(document, sort_keys=True, default=str)
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def alias_name() -> str:
    """The name readers and writers use; it always points at one concrete index."""
    return f"{get_search_settings()['INDEX_PREFIX']}-articles"


def concrete_index_name(*, suffix: str) -> str:
    return f"{alias_name()}-v{SCHEMA_VERSION}-{suffix}"


def build_index(*, name: str) -> Index:
    """An Index object (not yet created on the server) with Relief's settings."""
    index = Index(name)
    index.settings(number_of_shards=1, number_of_replicas=0, max_ngram_diff=18)
    index.document(ArticleDocument)
    return index


def index_body(*, name: str, engine) -> dict:
    """The settings and mapping to create the index with on `engine`: Relief's,
    plus the vector fields in the engine's own terms."""
    body = build_index(name=name).to_dict()
    body["settings"].update(engine.index_settings())
    vector = engine.vector_mapping(dims=embeddings.DIMENSIONS)
    properties = body["mappings"]["properties"]
    properties[VECTOR_FIELD] = vector
    properties["sections"]["properties"][SECTION_VECTOR_KEY] = vector
    return body
