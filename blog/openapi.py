"""The OpenAPI 3.1 description of the pages endpoints for the page types Relief
adds fields to (articles and the blog index), and of the headless preview.
The site serves it as part of one document with the search endpoints (see
``search.openapi``); the schema-building helpers both use live here, since
``search`` builds on ``blog`` and not the other way round.

Each schema lists every field, none more (``additionalProperties: false``), so a
test validating real answers against it fails when a field is added to or
removed from the API without this description following."""

from __future__ import annotations

from blog.api import AUTHOR_PARAMETER, THERAPY_PARAMETER, TOPIC_PARAMETER
from blog.models import ArticlePage, Author

ARTICLE_TYPE = "relief_blog.ArticlePage"
BLOG_INDEX_TYPE = "relief_blog.BlogIndexPage"
RELIEF_PAGE_TYPES = (ARTICLE_TYPE, BLOG_INDEX_TYPE)


def ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def query_parameter(
    *, name: str, description: str, schema: dict, example, repeated: bool = False
) -> dict:
    if repeated:
        schema = {"type": "array", "items": schema}
        example = [example]
    return {
        "name": name,
        "in": "query",
        "description": description,
        "schema": schema,
        "example": example,
        **({"style": "form", "explode": True} if repeated else {}),
    }


def strict_object(properties: dict, *, optional: tuple[str, ...] = ()) -> dict:
    """An object with exactly these properties, all required but `optional`."""
    return {
        "type": "object",
        "properties": properties,
        "required": [name for name in properties if name not in optional],
        "additionalProperties": False,
    }


def nullable(schema: dict) -> dict:
    return {"oneOf": [schema, {"type": "null"}]}


def json_response(description: str, schema: str) -> dict:
    return {
        "description": description,
        "content": {"application/json": {"schema": ref(schema)}},
    }


STRING = {"type": "string"}
STRINGS = {"type": "array", "items": STRING}
COUNT = {"type": "integer", "minimum": 0}
ID = {"type": "integer", "minimum": 1}
URL = {"type": "string", "format": "uri"}
DATE = {"type": ["string", "null"], "format": "date"}


def article_body_block_types() -> list[str]:
    return list(ArticlePage._meta.get_field("body").stream_block.child_blocks)


def with_type(schema: str, page_type: str) -> dict:
    """The named page schema, its meta.type fixed to one page type."""
    return {
        "allOf": [
            ref(schema),
            {"properties": {"meta": {"properties": {"type": {"const": page_type}}}}},
        ]
    }


def any_other_type(schema: str) -> dict:
    """A page of a type the host site adds: Wagtail's fields plus its own."""
    other = {"not": {"enum": list(RELIEF_PAGE_TYPES)}}
    return {
        "allOf": [
            ref(schema),
            {"properties": {"meta": {"properties": {"type": other}}}},
        ]
    }


PAGE_META_FIELDS = {
    "type": {**STRING, "description": "app_label.ModelName"},
    "detail_url": URL,
    "html_url": nullable(URL),
    "slug": STRING,
    "show_in_menus": {"type": "boolean"},
    "seo_title": STRING,
    "search_description": STRING,
    "first_published_at": {"type": ["string", "null"], "format": "date-time"},
    "alias_of": nullable(ref("PageLink")),
    "parent": nullable(ref("PageLink")),
    "locale": {**STRING, "description": "Only while the site has i18n on."},
}
ARTICLE_FIELDS = {
    "summary": STRING,
    "hero_image": nullable(ref("HeroImage")),
    "published_date": DATE,
    "updated_date": DATE,
    "reading_time": {**COUNT, "description": "Minutes."},
    "authors": {"type": "array", "items": ref("Author")},
    "topics": {"type": "array", "items": ref("Topic")},
    "therapy_types": {"type": "array", "items": ref("TherapyType")},
    "table_of_contents": {"type": "array", "items": ref("TableOfContentsEntry")},
    "body": {"type": "array", "items": ref("BodyBlock")},
    "medical_reviewer": nullable(ref("Author")),
    "last_reviewed": DATE,
    "next_review_due": DATE,
    "disclaimer": nullable(ref("Disclaimer")),
}
BLOG_INDEX_FIELDS = {"intro": {**STRING, "description": "Rich text (HTML)."}}
# What a listing item has with no ?fields=; ?fields= adds or removes the rest.
LISTING_FIELDS = ("id", "meta")
LISTING_META_FIELDS = ("type", "detail_url")


def page_schema(fields: dict, *, meta: str) -> dict:
    return strict_object({"id": ID, "meta": ref(meta), "title": STRING, **fields})


def listed(schema: dict) -> dict:
    """A listing item: the detail's properties, only some of them required."""
    return {
        **schema,
        "required": [n for n in schema["required"] if n in LISTING_FIELDS],
    }


PAGE_SCHEMAS = {
    "Rendition": strict_object({"url": URL, "width": COUNT, "height": COUNT}),
    "Author": strict_object(
        {
            "name": STRING,
            "slug": STRING,
            "kind": {"enum": list(Author.Kind.values)},
            "role": STRING,
            "avatar": nullable(URL),
        }
    ),
    "Topic": strict_object(
        {"slug": STRING, "name": STRING, "parent": {"type": ["string", "null"]}}
    ),
    "TherapyType": strict_object({"slug": STRING, "name": STRING}),
    "TableOfContentsEntry": strict_object({"anchor": STRING, "title": STRING}),
    "HeroImage": strict_object(
        {"id": ID, "alt": STRING, "small": ref("Rendition"), "large": ref("Rendition")}
    ),
    "Disclaimer": strict_object({"id": ID, "title": STRING, "text": STRING}),
    "BodyBlock": strict_object(
        {
            "type": {"enum": article_body_block_types()},
            "value": {"description": "The block's own shape; see docs/api.md."},
            "id": STRING,
        }
    ),
    "PageLink": strict_object(
        {
            "id": ID,
            "meta": strict_object(
                {"type": STRING, "detail_url": URL, "html_url": nullable(URL)}
            ),
            "title": STRING,
        }
    ),
    "PageMeta": strict_object(PAGE_META_FIELDS, optional=("locale",)),
    # Wagtail gives a page's parent in its detail only.
    "ListedPageMeta": {
        **strict_object({k: v for k, v in PAGE_META_FIELDS.items() if k != "parent"}),
        "required": list(LISTING_META_FIELDS),
    },
    "ArticlePage": page_schema(ARTICLE_FIELDS, meta="PageMeta"),
    "BlogIndexPage": page_schema(BLOG_INDEX_FIELDS, meta="PageMeta"),
    "OtherPage": {
        "type": "object",
        "properties": {"id": ID, "meta": ref("PageMeta"), "title": STRING},
        "required": ["id", "meta", "title"],
    },
    "Page": {
        "oneOf": [
            with_type("ArticlePage", ARTICLE_TYPE),
            with_type("BlogIndexPage", BLOG_INDEX_TYPE),
            any_other_type("OtherPage"),
        ]
    },
    "ListedArticlePage": listed(page_schema(ARTICLE_FIELDS, meta="ListedPageMeta")),
    "ListedBlogIndexPage": listed(
        page_schema(BLOG_INDEX_FIELDS, meta="ListedPageMeta")
    ),
    "ListedOtherPage": {
        "type": "object",
        "properties": {"id": ID, "meta": ref("ListedPageMeta"), "title": STRING},
        "required": list(LISTING_FIELDS),
    },
    "ListedPage": {
        "oneOf": [
            with_type("ListedArticlePage", ARTICLE_TYPE),
            with_type("ListedBlogIndexPage", BLOG_INDEX_TYPE),
            any_other_type("ListedOtherPage"),
        ]
    },
    "PageListing": strict_object(
        {
            "meta": strict_object({"total_count": COUNT}),
            "items": {"type": "array", "items": ref("ListedPage")},
        }
    ),
}

FIELDS_PARAMETER = query_parameter(
    name="fields",
    description="Comma-separated fields to add (`summary`), remove (`-body`) or "
    "all of them (`*`); `_` clears the defaults. A listing offers a page type's "
    "own fields only with `type=`.",
    schema=STRING,
    example="*",
)
LISTING_PARAMETERS = [
    query_parameter(
        name="type",
        description="Only pages of this type, with its fields on offer.",
        schema={"enum": list(RELIEF_PAGE_TYPES)},
        example=ARTICLE_TYPE,
    ),
    FIELDS_PARAMETER,
    *(
        query_parameter(
            name=name,
            description=f"Articles with this {what} slug{more}. An unknown slug "
            "matches nothing.",
            schema=STRING,
            example=example,
        )
        for name, what, more, example in (
            (TOPIC_PARAMETER, "pain topic", " or one under it", "back-pain"),
            (AUTHOR_PARAMETER, "author", "", "dana-reyes"),
            (THERAPY_PARAMETER, "therapy type", "", "physical-therapy"),
        )
    ),
    query_parameter(
        name="search",
        description="Plain words; not with `order`.",
        schema=STRING,
        example="back pain",
    ),
    query_parameter(
        name="order",
        description="A field to sort by, `-` first for descending, or `random`.",
        schema=STRING,
        example="-first_published_at",
    ),
    query_parameter(
        name="limit",
        description="Items per answer (Wagtail's WAGTAILAPI_LIMIT_MAX at most).",
        schema={"type": "integer", "minimum": 1, "default": 20},
        example=5,
    ),
    query_parameter(
        name="offset",
        description="Items to skip.",
        schema={"type": "integer", "minimum": 0, "default": 0},
        example=0,
    ),
]
PAGE_ID_PARAMETER = {
    "name": "id",
    "in": "path",
    "required": True,
    "description": "A live, public page's id.",
    "schema": ID,
}
PREVIEW_PARAMETERS = [
    {
        **query_parameter(
            name="content_type",
            description="The previewed page's type as app_label.model, e.g. "
            "`relief_blog.articlepage` (any case).",
            schema=STRING,
            example="relief_blog.articlepage",
        ),
        "required": True,
    },
    {
        **query_parameter(
            name="token",
            description="From the admin's Headless preview; it names one saved "
            "draft and expires (RELIEF_BLOG PREVIEW_TOKEN_MAX_AGE, an hour by "
            "default).",
            schema=STRING,
            example="eyJwYWdlIjo1LCJyZXZpc2lvbiI6OX0:1vS3xQ:signature",
        ),
        "required": True,
    },
    FIELDS_PARAMETER,
]


def get_operation(
    *, tag: str, summary: str, parameters: list[dict], answer: str, errors: dict
) -> dict:
    """A GET answering `answer` with 200, or an Error for each of `errors`
    (``{"e404": "why"}``)."""
    responses = {
        "200": json_response("The answer.", answer),
        **{
            code.removeprefix("e"): json_response(text, "Error")
            for code, text in errors.items()
        },
    }
    return {
        "get": {
            "tags": [tag],
            "summary": summary,
            "parameters": parameters,
            "responses": responses,
        }
    }


def page_operation(*, summary: str, parameters: list[dict], answer: str, **errors):
    return get_operation(
        tag="pages",
        summary=summary,
        parameters=parameters,
        answer=answer,
        errors=errors,
    )


def pages_paths() -> dict:
    return {
        "/api/v2/pages/": page_operation(
            summary="Live, public pages; with type=relief_blog.ArticlePage and "
            "fields=*, every article field.",
            parameters=LISTING_PARAMETERS,
            answer="PageListing",
            e400="An unknown parameter or field, or a malformed value.",
        ),
        "/api/v2/pages/{id}/": page_operation(
            summary="One live, public page with all its fields.",
            parameters=[PAGE_ID_PARAMETER, FIELDS_PARAMETER],
            answer="Page",
            e400="An unknown field.",
            e404="No live, public page has that id.",
        ),
        "/api/v2/page_preview/": page_operation(
            summary="A page's saved draft, exactly as /api/v2/pages/{id}/ will "
            "show it once published. Never cached (Cache-Control: private, "
            "no-store).",
            parameters=PREVIEW_PARAMETERS,
            answer="Page",
            e400="No token, or one that is malformed, forged or expired.",
            e404="The page or draft is gone, or the content_type is not the page's.",
        ),
    }
