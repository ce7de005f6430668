"""The OpenAPI 3.1 description of Relief's API, served at
/api/v2/search/openapi.json: the search, autocomplete and related-articles
endpoints described here, and the pages endpoints for Relief's page types and
the headless preview, described in ``blog.openapi``. The search endpoints accept
exactly the query parameters listed here (search/api.py reads them from this
module), so the description cannot promise a parameter the API refuses or hide
one it takes. Images and documents keep Wagtail's own documentation."""

from __future__ import annotations

from blog.openapi import (
    COUNT,
    PAGE_SCHEMAS,
    STRING,
    STRINGS,
    get_operation,
    pages_paths,
    query_parameter,
    ref,
    strict_object,
)
from search.engine import ENGINES
from search.params import (
    DEFAULT_PER_PAGE,
    DEFAULT_RELATED,
    MAX_AUTOCOMPLETE_QUERY,
    MAX_PER_PAGE,
    MAX_QUERY_LENGTH,
    MAX_RELATED,
)

OPENAPI_VERSION = "3.1.0"


def query_parameter_names(parameters: list[dict]) -> tuple[str, ...]:
    return tuple(p["name"] for p in parameters if p["in"] == "query")


def whole_number(*, minimum: int = 1, maximum: int | None = None, default: int):
    schema = {"type": "integer", "minimum": minimum, "default": default}
    return schema if maximum is None else {**schema, "maximum": maximum}


def taxonomy_parameter(*, name: str, what: str, example: str) -> dict:
    return query_parameter(
        name=name,
        description=f"{what}; any of them. An unknown slug matches nothing.",
        schema={"type": "string"},
        example=example,
        repeated=True,
    )


SEARCH_PARAMETERS = [
    query_parameter(
        name="q",
        description="What the reader typed; plain text, never query syntax. "
        "Empty: newest articles first.",
        schema={"type": "string", "maxLength": MAX_QUERY_LENGTH},
        example="back pain",
    ),
    taxonomy_parameter(
        name="topic",
        what="Pain topic slugs, each with its sub-topics",
        example="back-pain",
    ),
    taxonomy_parameter(
        name="therapy", what="Therapy type slugs", example="physical-therapy"
    ),
    query_parameter(
        name="page",
        description="1-based results page; past the last result, an empty list.",
        schema=whole_number(default=1),
        example=1,
    ),
    query_parameter(
        name="per_page",
        description="Results per page.",
        schema=whole_number(maximum=MAX_PER_PAGE, default=DEFAULT_PER_PAGE),
        example=5,
    ),
    query_parameter(
        name="verbatim",
        description="1: search the query as typed, never a corrected spelling "
        "(the suggestion is still offered).",
        schema={"enum": ["1"]},
        example="1",
    ),
]
AUTOCOMPLETE_PARAMETERS = [
    query_parameter(
        name="q",
        description="What has been typed so far; under two characters, no suggestions.",
        schema={"type": "string", "maxLength": MAX_AUTOCOMPLETE_QUERY},
        example="back p",
    ),
]
RELATED_PARAMETERS = [
    {
        "name": "id",
        "in": "path",
        "required": True,
        "description": "A live, public article's page id.",
        "schema": {"type": "integer"},
    },
    query_parameter(
        name="limit",
        description="How many related articles at most.",
        schema=whole_number(maximum=MAX_RELATED, default=DEFAULT_RELATED),
        example=3,
    ),
]


SCHEMAS = {
    "Error": strict_object({"message": STRING}),
    "Slug": strict_object({"slug": STRING, "name": STRING}),
    "Section": strict_object({"heading": STRING, "anchor": STRING, "url": STRING}),
    "ScoredSection": strict_object(
        {
            "heading": STRING,
            "anchor": STRING,
            "url": STRING,
            "score": {"type": ["number", "null"]},
        }
    ),
    "Facet": strict_object(
        {
            "slug": STRING,
            "name": STRING,
            "count": COUNT,
            "selected": {"type": "boolean"},
        }
    ),
    "SearchHit": strict_object(
        {
            "id": {"type": "integer"},
            "title": STRING,
            "url": STRING,
            "title_html": {**STRING, "description": "Escaped; <em> marks matches."},
            "snippet_html": {**STRING, "description": "Escaped; <em> marks matches."},
            "section": {"oneOf": [ref("Section"), {"type": "null"}]},
            "sections": {
                "type": "array",
                "items": ref("ScoredSection"),
                "description": "Every matching section, best first.",
            },
            "topics": {"type": "array", "items": ref("Slug")},
            "published_date": {"type": ["string", "null"], "format": "date"},
            "click_beacon": {
                "type": ["string", "null"],
                "description": "POST here when the reader opens this result "
                "(or give a link this as its `ping`): the position opened is "
                "counted for the query, privately. Null while search terms "
                "are not recorded.",
            },
        }
    ),
    "Promotion": strict_object(
        {
            "id": {"type": ["integer", "null"], "description": "The page's id."},
            "title": STRING,
            "url": STRING,
            "description": STRING,
            "promoted": {"const": True},
        }
    ),
    "SearchResults": strict_object(
        {
            "promoted": {
                "type": "array",
                "items": ref("Promotion"),
                "description": "Editors' promoted results for this query, to "
                "show first (page 1 only).",
            },
            "query": STRING,
            "backend": {
                "enum": [*ENGINES, "database"],
                "description": "The engine that answered, or the database fallback.",
            },
            "notice": STRING,
            "total": COUNT,
            "page": {"type": "integer", "minimum": 1},
            "per_page": {"type": "integer", "minimum": 1},
            "num_pages": {"type": "integer", "minimum": 1},
            "suggestion": {
                "type": ["string", "null"],
                "description": "A spelling that finds something: did you mean.",
            },
            "corrected_query": {
                "type": ["string", "null"],
                "description": "The spelling whose results are listed, when the "
                "query as typed found little and it finds more; verbatim=1 "
                "searches as typed.",
            },
            "results": {"type": "array", "items": ref("SearchHit")},
            "facets": strict_object(
                {
                    "topics": {"type": "array", "items": ref("Facet")},
                    "therapies": {"type": "array", "items": ref("Facet")},
                }
            ),
        }
    ),
    "Suggestion": strict_object(
        {
            "type": {"enum": ["article", "section", "topic"]},
            "label": STRING,
            "url": STRING,
            "article": {**STRING, "description": "The article of a section."},
        },
        optional=("article",),
    ),
    "Suggestions": strict_object(
        {"query": STRING, "results": {"type": "array", "items": ref("Suggestion")}}
    ),
    "RelatedArticle": strict_object(
        {
            "id": {"type": "integer"},
            "title": STRING,
            "url": STRING,
            "summary": STRING,
            "reason": STRING,
            "shared_topics": STRINGS,
            "shared_therapies": STRINGS,
            "shared_terms": STRINGS,
        }
    ),
    "RelatedArticles": strict_object(
        {
            "id": {"type": "integer"},
            "results": {"type": "array", "items": ref("RelatedArticle")},
        }
    ),
}


def operation(*, summary: str, parameters: list[dict], answer: str, **errors) -> dict:
    return get_operation(
        tag="search",
        summary=summary,
        parameters=parameters,
        answer=answer,
        errors={
            "e400": "An unknown or malformed parameter.",
            "e405": "Any method but GET, HEAD and OPTIONS.",
            "e429": "Too many requests; see Retry-After.",
            **errors,
        },
    )


def build_openapi_document() -> dict:
    return {
        "openapi": OPENAPI_VERSION,
        "info": {
            "title": "Relief API",
            "version": "2",
            "description": "Search, autocomplete and related articles; pages "
            "with Relief's article fields, and drafts by preview token. "
            'Read-only, no authentication; every error is {"message": ...}.',
        },
        "paths": {
            "/api/v2/search/": operation(
                summary="Search articles, with topic and therapy facets.",
                parameters=SEARCH_PARAMETERS,
                answer="SearchResults",
            ),
            "/api/v2/search/autocomplete/": operation(
                summary="Titles, section headings and topics for a search box.",
                parameters=AUTOCOMPLETE_PARAMETERS,
                answer="Suggestions",
            ),
            "/api/v2/pages/{id}/related/": operation(
                summary="Articles to read next, each with why.",
                parameters=RELATED_PARAMETERS,
                answer="RelatedArticles",
                e404="No live, public article has that id.",
            ),
            **pages_paths(),
        },
        "components": {"schemas": {**SCHEMAS, **PAGE_SCHEMAS}},
    }
