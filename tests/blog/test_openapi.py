"""The OpenAPI description of the pages endpoints for Relief's page types and of
the headless preview (blog/openapi.py): real answers, good and bad, validate
against the documented schemas, which admit no field the API lacks and miss
none it has."""

import copy

import jsonschema
import pytest

from blog.preview import create_preview_token
from tests.blog.test_api import full_article
from tests.factories import PainTopicFactory, create_article, paragraph

pytestmark = pytest.mark.django_db

OPENAPI_URL = "/api/v2/search/openapi.json"
ARTICLE_TYPE = "relief_blog.ArticlePage"
LISTING = "/api/v2/pages/"
DETAIL = "/api/v2/pages/{id}/"
PREVIEW = "/api/v2/page_preview/"


@pytest.fixture
def document(client) -> dict:
    response = client.get(OPENAPI_URL)
    assert response.status_code == 200
    return response.json()


def check_answer(document: dict, *, path: str, response) -> None:
    """The answer matches the schema documented for its path and status."""
    documented = document["paths"][path]["get"]["responses"]
    assert str(response.status_code) in documented, response.content
    schema = documented[str(response.status_code)]["content"]["application/json"]
    validate(document, instance=response.json(), schema=schema["schema"])


def validate(document: dict, *, instance, schema: dict) -> None:
    jsonschema.validate(
        instance,
        {**schema, "components": document["components"]},
        cls=jsonschema.Draft202012Validator,
    )


def documented_properties(document: dict, name: str) -> set[str]:
    return set(document["components"]["schemas"][name]["properties"])


@pytest.fixture
def article(blog_index):
    PainTopicFactory(name="Back pain", slug="back-pain")
    return full_article(blog_index)


@pytest.fixture
def bare_article(blog_index):
    """No hero image, reviewer or disclaimer: the nullable fields are null."""
    return create_article(
        parent=blog_index, title="Plain", body=[paragraph("Walk a little.")]
    )


def test_every_article_field_is_documented_and_no_more(client, document, article):
    response = client.get(LISTING, {"type": ARTICLE_TYPE, "fields": "*"})
    check_answer(document, path=LISTING, response=response)
    (item,) = response.json()["items"]
    assert set(item) == documented_properties(document, "ListedArticlePage")
    assert set(item["meta"]) == documented_properties(document, "ListedPageMeta")


def test_an_article_answers_in_the_documented_shape(
    client, document, article, bare_article
):
    for page in (article, bare_article):
        response = client.get(f"/api/v2/pages/{page.pk}/")
        check_answer(document, path=DETAIL, response=response)


def test_the_blog_index_and_the_sites_own_pages_answer_as_documented(
    client, document, site_tree
):
    for page in site_tree:
        response = client.get(f"/api/v2/pages/{page.pk}/")
        check_answer(document, path=DETAIL, response=response)


def with_undocumented_field(answer: dict, *where) -> dict:
    changed = copy.deepcopy(answer)
    target = changed
    for key in where:
        target = target[key]
    target["undocumented"] = 1
    return changed


def test_a_field_the_document_lacks_fails_validation(client, document, article):
    """The schemas are closed: an undocumented field is caught, not ignored."""
    answer = client.get(f"/api/v2/pages/{article.pk}/").json()
    responses = document["paths"][DETAIL]["get"]["responses"]
    schema = responses["200"]["content"]["application/json"]["schema"]
    for where in ((), ("meta",), ("authors", 0), ("hero_image", "small")):
        with pytest.raises(jsonschema.ValidationError):
            validate(
                document,
                instance=with_undocumented_field(answer, *where),
                schema=schema,
            )


def listing_calls(document: dict):
    """Each documented listing parameter alone, then the ones that combine."""
    parameters = document["paths"][LISTING]["get"]["parameters"]
    examples = {p["name"]: p["example"] for p in parameters if p["in"] == "query"}
    for name, example in examples.items():
        yield {name: example}
    yield {k: v for k, v in examples.items() if k != "search"}


def test_each_documented_listing_parameter_answers_as_documented(
    client, document, article
):
    for params in listing_calls(document):
        response = client.get(LISTING, params)
        assert response.status_code == 200, (params, response.content)
        check_answer(document, path=LISTING, response=response)


def test_a_draft_preview_answers_in_the_documented_shape(client, document, article):
    article.title = "Draft title"
    token = create_preview_token(revision=article.save_revision())
    for content_type in ("relief_blog.articlepage", ""):
        response = client.get(PREVIEW, {"content_type": content_type, "token": token})
        check_answer(document, path=PREVIEW, response=response)
    response = client.get(
        PREVIEW, {"content_type": "relief_blog.blogindexpage", "token": token}
    )
    assert response.status_code == 404
    check_answer(document, path=PREVIEW, response=response)


@pytest.mark.parametrize(
    ("path", "url", "params"),
    [
        (LISTING, LISTING, {"bogus": "1"}),
        (LISTING, LISTING, {"type": ARTICLE_TYPE, "fields": "nonexistent"}),
        (DETAIL, "/api/v2/pages/999999/", {}),
        (PREVIEW, PREVIEW, {"content_type": "x.y", "token": "forged"}),
    ],
)
def test_page_errors_have_the_documented_shape(client, document, path, url, params):
    response = client.get(url, params)
    assert response.status_code in (400, 404)
    check_answer(document, path=path, response=response)
