import pytest
from bs4 import BeautifulSoup

from tests.factories import PainTopicFactory, create_article, paragraph, section

pytestmark = pytest.mark.django_db


@pytest.mark.search_server
def test_results_link_to_the_article_and_the_matching_section(
    client, blog_index, index_articles
):
    back = PainTopicFactory(name="Back pain")
    page = create_article(
        parent=blog_index,
        title="Heat or ice?",
        topics=[back],
        body=[
            section("When ice helps", anchor="ice"),
            paragraph("Ice calms swelling."),
        ],
    )
    index_articles(page)
    response = client.get("/search/", {"q": "swelling"})
    html = response.content.decode()
    assert response.status_code == 200
    assert f'href="{page.url}"' in html
    assert f'In section: <a href="{page.url}#ice">When ice helps</a>' in html
    assert 'name="topic" value="back-pain"' in html
    assert "1 result for" in html


@pytest.mark.search_server
def test_results_link_every_matching_section_of_an_article(
    client, blog_index, index_articles
):
    page = create_article(
        parent=blog_index,
        title="Heat or ice?",
        body=[
            section("When ice helps", anchor="ice"),
            paragraph("Ice calms swelling after a sprain."),
            section("Sleep", anchor="sleep"),
            paragraph("Rest well."),
            section("When heat helps", anchor="heat"),
            paragraph("Heat eases stiffness, not swelling."),
        ],
    )
    index_articles(page)
    html = client.get("/search/", {"q": "swelling"}).content.decode()
    soup = BeautifulSoup(html, "html.parser")
    links = [a["href"] for a in soup.select(".search-result .in-section a, .also-in a")]
    assert sorted(links) == [f"{page.url}#heat", f"{page.url}#ice"]
    assert f'href="{page.url}#sleep"' not in html


@pytest.mark.search_server
def test_results_link_at_most_three_sections_and_the_api_lists_them_all(
    client, blog_index, index_articles
):
    body = []
    for n in range(5):
        body += [section(f"Swelling, day {n}", anchor=f"day-{n}"), paragraph("Rest.")]
    page = create_article(parent=blog_index, title="A week of ice", body=body)
    index_articles(page)
    html = client.get("/search/", {"q": "swelling"}).content.decode()
    api = client.get("/api/v2/search/", {"q": "swelling"}).json()
    assert html.count(f'href="{page.url}#day-') == 3
    assert len(api["results"][0]["sections"]) == 5


@pytest.mark.search_server
def test_the_page_escapes_markup_from_articles_and_the_query(
    client, blog_index, index_articles
):
    page = create_article(parent=blog_index, title="About <script>alert(1)</script>")
    index_articles(page)
    response = client.get("/search/", {"q": "<script>alert(1)</script>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@pytest.mark.search_server
def test_a_typo_shows_the_corrected_results_and_a_link_to_search_as_typed(
    client, blog_index, index_articles
):
    page = create_article(
        parent=blog_index, title="Living well", summary="Arthritis, day by day."
    )
    index_articles(page)
    html = client.get("/search/", {"q": "arthrittiss"}).content.decode()
    assert "1 result for “arthritis”" in html
    assert f'href="{page.url}"' in html
    assert (
        'Showing results for <a href="?q=arthritis">arthritis</a>. '
        'Search instead for <a href="?q=arthrittiss&amp;verbatim=1">arthrittiss</a>'
    ) in html
    assert "Did you mean" not in html


@pytest.mark.search_server
def test_searching_as_typed_finds_nothing_and_offers_a_did_you_mean_link(
    client, blog_index, index_articles
):
    index_articles(
        create_article(
            parent=blog_index, title="Living well", summary="Arthritis, day by day."
        )
    )
    html = client.get("/search/", {"q": "arthrittiss", "verbatim": "1"}).content
    html = html.decode()
    assert "0 results for “arthrittiss”" in html
    assert "Showing results for" not in html
    assert 'Did you mean <a href="?q=arthritis">arthritis</a>' in html


@pytest.mark.search_server
def test_filters_keep_searching_as_typed(client, blog_index, index_articles):
    topic = PainTopicFactory(name="Knee pain")
    index_articles(create_article(parent=blog_index, title="Braces", topics=[topic]))
    html = client.get("/search/", {"q": "braces", "verbatim": "1"}).content.decode()
    assert '<input type="hidden" name="verbatim" value="1">' in html
    html = client.get("/search/", {"q": "braces"}).content.decode()
    assert 'name="verbatim"' not in html


@pytest.mark.search_server
def test_pagination_links_keep_the_query_and_filters(
    client, blog_index, index_articles
):
    topic = PainTopicFactory(name="Knee pain")
    index_articles(
        *[
            create_article(parent=blog_index, title=f"Knee tip {n}", topics=[topic])
            for n in range(12)
        ]
    )
    html = client.get("/search/", {"q": "knee", "topic": "knee-pain"}).content.decode()
    assert 'href="?q=knee&amp;topic=knee-pain&amp;page=2" rel="next"' in html
    assert "Page 1 of 2" in html


@pytest.mark.usefixtures("search_offline")
def test_with_the_server_down_the_page_shows_database_results_and_a_notice(
    client, blog_index
):
    page = create_article(parent=blog_index, title="Pacing your day")
    html = client.get("/search/", {"q": "pacing"}).content.decode()
    assert "simpler mode" in html
    assert f'href="{page.url}"' in html


def test_an_empty_search_shows_the_form_without_results(client, db):
    response = client.get("/search/")
    assert response.status_code == 200
    assert 'data-autocomplete-url="/api/v2/search/autocomplete/"' in (
        response.content.decode()
    )
    assert response.context["results"] is None
    assert "result for" not in response.content.decode()


@pytest.mark.search_server
@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"q": '"unclosed (bracket \\ *:* AND OR NOT ~ ^'}, 200, None),
        ({"q": "   "}, 200, None),
        ({"q": "x" * 501}, 400, "limited to 500 characters"),
        ({"q": "pain", "page": "abc"}, 400, "page must be a whole number"),
        ({"q": "pain", "page": "-1"}, 400, "page must be 1 or more"),
        ({"q": "pain", "page": "99999"}, 200, None),
        ({"q": "pain", "topic": "no-such-topic"}, 200, None),
        ({"q": "pain", "therapy": "<b>x</b>"}, 200, None),
        ({"q": "pain\x01"}, 200, None),
        ({"q": "pain\x00"}, 400, "q must not contain null characters"),
        ({"q": "pain", "topic": "back\x00"}, 400, "must not contain null"),
    ],
)
def test_bad_input_gets_a_friendly_page_never_an_error(
    client, site_tree, search_settings, params, status, message
):
    response = client.get("/search/", params)
    assert response.status_code == status
    if message:
        assert message in response.content.decode()
    assert "<b>x</b>" not in response.content.decode()


@pytest.mark.parametrize("q", ["back\x00pain", "back\x01pain\x00"])
def test_a_null_character_is_refused_as_the_api_refuses_it_and_never_shown(
    client, site_tree, q
):
    api = client.get("/api/v2/search/", {"q": q})
    response = client.get("/search/", {"q": q})
    assert (api.status_code, response.status_code) == (400, 400)
    page = response.content.decode()
    assert api.json()["message"] in page
    assert "\x00" not in page and "\x01" not in page
    # The reader's words stay in the box to correct.
    assert 'value="backpain"' in page


@pytest.mark.search_server
def test_a_page_past_the_last_result_links_back_to_the_first_page(
    client, blog_index, index_articles
):
    index_articles(create_article(parent=blog_index, title="Knee tip"))
    html = client.get("/search/", {"q": "knee", "page": "3"}).content.decode()
    assert "No articles match" not in html
    assert 'There are no more results. <a href="?q=knee">' in html


@pytest.mark.search_server
def test_no_filter_button_when_there_is_nothing_to_filter(
    client, blog_index, index_articles
):
    index_articles(create_article(parent=blog_index, title="Knee tip"))
    html = client.get("/search/", {"q": "zzzqqq"}).content.decode()
    assert "0 results" in html
    assert "Apply filters" not in html


@pytest.mark.usefixtures("search_offline")
@pytest.mark.parametrize("query", ['"((', 'back pain "', "pain AND OR NOT", "*"])
def test_with_the_server_down_query_syntax_is_searched_as_text(
    client, blog_index, query
):
    page = create_article(parent=blog_index, title="Back pain basics")
    html = client.get("/search/", {"q": query})
    assert html.status_code == 200
    data = client.get("/api/v2/search/", {"q": query})
    assert data.status_code == 200
    if "back pain" in query:
        assert [hit["id"] for hit in data.json()["results"]] == [page.pk]
