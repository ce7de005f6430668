"""The article page and its blocks as a reader's browser receives them."""

import json
import re

import pytest
from bs4 import BeautifulSoup
from django.template.loader import render_to_string
from wagtail.blocks import BoundBlock

from blog.blocks import ArticleBodyStreamBlock
from blog.models import ArticlePage, ArticlePageAuthor, Author
from tests.factories import (
    AuthorFactory,
    CallToActionFactory,
    ImageFactory,
    MedicalDisclaimerFactory,
    NewsletterSignupFactory,
    PainTopicFactory,
    TherapyTypeFactory,
    bullet_list,
    comparison,
    create_article,
    paragraph,
    section,
)

pytestmark = pytest.mark.django_db

DISCLAIMER_TEXT = "This article is for education and is not medical advice."


def get_soup(client, url: str) -> BeautifulSoup:
    response = client.get(url)
    assert response.status_code == 200, url
    return BeautifulSoup(response.content, "html.parser")


def test_jump_to_section_links_point_at_the_section_headings(client, blog_index):
    page = create_article(
        parent=blog_index,
        title="PT or OT?",
        body=[
            section("What is physical therapy?"),
            paragraph("Movement."),
            section("What is occupational therapy?", anchor="ot"),
            paragraph("Daily tasks."),
        ],
    )
    soup = get_soup(client, page.url)

    toc = soup.find("nav", attrs={"aria-labelledby": "toc-heading"})
    assert toc.find(id="toc-heading").get_text() == "Jump To Section"
    links = [(a["href"], a.get_text()) for a in toc.find_all("a")]
    assert links == [
        ("#what-is-physical-therapy", "What is physical therapy?"),
        ("#ot", "What is occupational therapy?"),
    ]
    for href, title in links:
        heading = soup.find(id=href[1:])
        assert heading.name == "h2"
        assert heading.get_text() == title


def test_article_without_sections_has_no_empty_table_of_contents(client, blog_index):
    page = create_article(parent=blog_index, title="Short note")
    assert "Jump To Section" not in get_soup(client, page.url).get_text()


def test_comparison_table_has_caption_and_scoped_headers(client, blog_index):
    page = create_article(
        parent=blog_index,
        title="Compare",
        body=[
            comparison(
                ["Physical therapy", "Occupational therapy"],
                [
                    ("Focus", ["Movement", "Daily tasks"]),
                    ("Setting", ["Clinic", "Home"]),
                ],
            )
        ],
    )
    table = get_soup(client, page.url).find("table")

    assert (
        table.caption.get_text(strip=True) == "Physical therapy vs Occupational therapy"
    )
    column_heads = [th.get_text() for th in table.select('thead th[scope="col"]')]
    assert column_heads == ["Physical therapy", "Occupational therapy"]
    rows = table.select("tbody tr")
    assert [r.find("th", scope="row").get_text() for r in rows] == ["Focus", "Setting"]
    assert [td.get_text() for td in rows[1].find_all("td")] == ["Clinic", "Home"]
    # The scroll wrapper must be focusable so keyboard users can scroll it.
    assert table.parent["tabindex"] == "0"


def test_default_disclaimer_renders_once_without_a_disclaimer_block(client, blog_index):
    MedicalDisclaimerFactory()
    page = create_article(parent=blog_index, title="No block")
    html = client.get(page.url).content.decode()
    assert html.count(DISCLAIMER_TEXT) == 1


def test_disclaimer_block_renders_in_place_and_only_once(client, blog_index):
    MedicalDisclaimerFactory()
    chosen = MedicalDisclaimerFactory(
        title="About exercise advice",
        text="<p>Stop if pain gets sharp.</p>",
        is_default=False,
    )
    page = create_article(
        parent=blog_index,
        title="With block",
        body=[
            ("medical_disclaimer", {"disclaimer": chosen}),
            paragraph("After the disclaimer."),
        ],
    )
    html = client.get(page.url).content.decode()
    assert html.count("Stop if pain gets sharp.") == 1
    assert DISCLAIMER_TEXT not in html
    assert html.index("Stop if pain gets sharp.") < html.index("After the disclaimer.")


def test_empty_disclaimer_block_falls_back_to_the_default_once(client, blog_index):
    MedicalDisclaimerFactory()
    page = create_article(
        parent=blog_index,
        title="Empty block",
        body=[paragraph("Text."), ("medical_disclaimer", {"disclaimer": None})],
    )
    assert client.get(page.url).content.decode().count(DISCLAIMER_TEXT) == 1


def test_byline_links_each_author_and_marks_the_team(client, blog_index):
    person = AuthorFactory(name="Dana Reyes", role="DPT")
    team = AuthorFactory(name="Relief Editorial Team", kind=Author.Kind.TEAM, role="")
    reviewer = AuthorFactory(name="Dr Sam Okafor", role="MD")
    page = create_article(
        parent=blog_index,
        title="Byline",
        authors=[person, team],
        medical_reviewer=reviewer,
        updated_date="2030-01-02",
    )
    byline = get_soup(client, page.url).select_one(".byline")

    author_links = {a.get_text(): a["href"] for a in byline.select("a[rel=author]")}
    assert author_links == {
        "Dana Reyes": "/authors/dana-reyes/",
        "Relief Editorial Team": "/authors/relief-editorial-team/",
    }
    assert "Team" in byline.select_one(".badge").get_text()
    assert byline.find("a", href="/authors/dr-sam-okafor/")
    dates = [t["datetime"] for t in byline.select(".byline__meta time")]
    assert dates == [page.published_date.isoformat(), "2030-01-02"]
    assert "min read" in byline.get_text()


def test_byline_names_a_team_as_the_editor_wrote_it(client, blog_index):
    team = AuthorFactory(name="The Clearing Team", kind=Author.Kind.TEAM, role="")
    page = create_article(parent=blog_index, title="Team byline", authors=[team])
    byline = get_soup(client, page.url).select_one(".byline__authors")
    text = " ".join(byline.get_text().split())
    assert text.startswith("By The Clearing Team")
    assert "the The" not in text
    assert byline.select_one("a[rel=author]").get_text() == "The Clearing Team"


def updated_dates(client, page) -> tuple[list[str], str | None, str | None]:
    """What a reader and an API client are told about the last update: the
    byline's "Updated" dates, the JSON-LD dateModified and the API field."""
    soup = get_soup(client, page.url)
    shown = [
        span.time["datetime"]
        for span in soup.select(".byline__meta span")
        if span.get_text().startswith("Updated")
    ]
    article = next(
        node
        for node in json.loads(soup.find("script", type="application/ld+json").string)[
            "@graph"
        ]
        if node["@type"] == "Article"
    )
    api = client.get(f"/api/v2/pages/{page.pk}/").json()["updated_date"]
    return shown, article.get("dateModified"), api


def test_republishing_without_an_updated_date_shows_no_update(client, blog_index):
    page = create_article(
        parent=blog_index, title="Republished", published_date="2024-01-01"
    )
    page.save_revision().publish()

    assert updated_dates(client, page) == ([], None, None)


def test_page_and_api_give_the_same_updated_date(client, blog_index):
    page = create_article(
        parent=blog_index,
        title="Revised",
        published_date="2024-01-01",
        updated_date="2024-06-30",
    )
    assert updated_dates(client, page) == (["2024-06-30"], "2024-06-30", "2024-06-30")


def test_article_shows_topics_therapies_and_hero_alt_text(client, blog_index):
    topic = PainTopicFactory(name="Low back pain")
    therapy = TherapyTypeFactory(name="Physical therapy")
    page = create_article(
        parent=blog_index,
        title="Hero",
        topics=[topic],
        therapy_types=[therapy],
        hero_image=ImageFactory(),
        hero_alt_text="A person stretching on a mat",
    )
    soup = get_soup(client, page.url)
    assert (
        soup.select_one(".article__hero img")["alt"] == "A person stretching on a mat"
    )
    assert soup.select_one(".article__header a[href='/topics/low-back-pain/']")
    assert "Physical therapy" in soup.select_one(".byline__therapies").get_text()


def test_every_block_type_renders_for_readers(client, blog_index):
    signup = NewsletterSignupFactory()
    cta = CallToActionFactory()
    body = [
        section("Start"),
        paragraph("Plain text."),
        bullet_list(["One", "Two"], lead_in="Try these:"),
        (
            "image",
            {"image": ImageFactory(), "alt_text": "A stretch", "caption": "Cat-cow"},
        ),
        ("pull_quote", {"quote": "Move gently.", "attribution": "A reader"}),
        ("newsletter_callout", {"signup": signup}),
        (
            "bottom_line",
            {
                "heading": "The bottom line",
                "text": "<p>Keep going.</p>",
                "takeaways": ["Rest"],
            },
        ),
        ("call_to_action", {"call_to_action": cta}),
    ]
    soup = get_soup(
        client, create_article(parent=blog_index, title="All", body=body).url
    )

    assert soup.select_one(".block-list__lead-in").get_text() == "Try these:"
    assert [li.get_text() for li in soup.select(".block-list ul li")] == ["One", "Two"]
    figure = soup.select_one("figure.block-image")
    assert figure.img["alt"] == "A stretch"
    assert figure.figcaption.get_text() == "Cat-cow"
    assert (
        soup.select_one(".pull-quote blockquote").get_text(strip=True) == "Move gently."
    )
    form = soup.select_one(".callout--newsletter form")
    assert form["action"] == signup.action_url
    assert form["method"] == "post"
    assert soup.select_one(".bottom-line__takeaways li").get_text() == "Rest"
    assert soup.select_one(".callout--cta a")["href"] == cta.link_url


@pytest.mark.parametrize("block_name", list(ArticleBodyStreamBlock.base_blocks))
def test_block_preview_renders_without_a_request(block_name):
    """The admin renders block previews outside any page; a template that needs
    request-only context would break the editor's block picker."""
    MedicalDisclaimerFactory()
    block = ArticleBodyStreamBlock.base_blocks[block_name]
    if getattr(block.meta, "preview_value", None) is not None:
        value = block.get_preview_value()
    else:
        value = block.to_python(_preview_data(block_name))
    assert block.render(value, context={}).strip()


def _preview_data(block_name: str):
    if block_name == "image":
        return {"image": ImageFactory().pk, "alt_text": "Alt", "caption": ""}
    if block_name == "newsletter_callout":
        return {"signup": NewsletterSignupFactory().pk}
    if block_name == "call_to_action":
        return {"call_to_action": CallToActionFactory().pk}
    return {}


def test_block_preview_page_uses_the_site_stylesheet():
    block = ArticleBodyStreamBlock.base_blocks["therapy_comparison"]
    value = block.get_preview_value()
    page = render_to_string(
        block.get_preview_template(value),
        {
            "block_def": block,
            "bound_block": BoundBlock(block, value),
            "page_title": "x",
        },
    )
    assert '<link rel="stylesheet" href="/static/relief/css/site.css">' in page
    assert "<caption>" in page


EXTERNAL = re.compile(r"^(https?:)?//", re.IGNORECASE)


def test_pages_load_no_external_scripts_or_stylesheets(client, site_tree):
    home, blog_index = site_tree
    topic = PainTopicFactory(name="Neck pain")
    author = AuthorFactory(name="Alex Kim")
    page = create_article(
        parent=blog_index,
        title="Offline",
        topics=[topic],
        authors=[author],
        hero_image=ImageFactory(),
        hero_alt_text="Alt",
        body=[
            section("One"),
            ("newsletter_callout", {"signup": NewsletterSignupFactory()}),
        ],
    )
    for url in [
        home.url,
        blog_index.url,
        page.url,
        "/topics/neck-pain/",
        "/authors/alex-kim/",
    ]:
        soup = get_soup(client, url)
        for script in soup.find_all("script", src=True):
            assert not EXTERNAL.match(script["src"]), (url, script["src"])
        for link in soup.find_all("link", href=True):
            rel = set(link.get("rel", []))
            if rel & {"canonical", "alternate"}:
                # Links naming this site's own address, not resources to fetch.
                assert not EXTERNAL.match(link["href"]) or re.match(
                    r"^https?://(localhost|testserver)[:/]", link["href"]
                ), (url, link["href"])
            else:
                assert not EXTERNAL.match(link["href"]), (url, link["href"])
        assert (
            soup.find("link", rel="stylesheet")["href"] == "/static/relief/css/site.css"
        )


def test_header_search_form_works_without_javascript(client, site_tree):
    home, _ = site_tree
    soup = get_soup(client, home.url)
    form = soup.find("form", role="search")
    assert form["action"] == "/search/"
    assert form.get("method", "get").lower() == "get"
    field = form.find("input", attrs={"name": "q"})
    assert field["data-autocomplete-url"] == "/api/v2/search/autocomplete/"
    assert soup.find("label", attrs={"for": field["id"]})
    assert form.find("button", type="submit")


def test_page_has_landmarks_and_a_skip_link(client, site_tree):
    home, _ = site_tree
    PainTopicFactory(name="Migraine")
    soup = get_soup(client, home.url)
    skip = soup.find("a", class_="skip-link")
    assert skip["href"] == "#main" and soup.find("main", id="main")
    assert soup.find("header") and soup.find("footer")
    assert soup.find("nav", attrs={"aria-label": "Topics"}).find(
        "a", href="/topics/migraine/"
    )


def test_preview_of_an_unsaved_article_renders(blog_index):
    """Editors preview articles before their first save: no pk, no dates, no URL."""
    MedicalDisclaimerFactory()
    topic = PainTopicFactory(name="Back pain")
    create_article(parent=blog_index, title="Published sibling", topics=[topic])
    page = ArticlePage(
        title="Draft in the editor",
        slug="draft-in-the-editor",
        summary="Dek.",
        body=[section("First", anchor="first"), paragraph("Text.")],
        medical_reviewer=AuthorFactory(name="Dr Lee"),
    )
    page.topics = [topic]
    page.article_authors = [ArticlePageAuthor(author=AuthorFactory(name="Ana"))]
    page.set_url_path(blog_index)

    response = page.make_preview_request()

    html = response.content.decode()
    assert response.status_code == 200
    assert "Draft in the editor" in html and 'href="#first"' in html
    assert "Published sibling" in html
    assert html.count(DISCLAIMER_TEXT) == 1


def test_every_page_names_an_icon_the_site_serves(client, site_tree):
    # Without one, browsers ask for /favicon.ico on every visit and get a 404.
    from django.contrib.staticfiles import finders

    soup = get_soup(client, site_tree[0].url)
    icon = soup.find("link", rel="icon")
    assert finders.find(icon["href"].removeprefix("/static/"))
