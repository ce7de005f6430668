import pytest
from bs4 import BeautifulSoup
from wagtail.models import PageViewRestriction

from search.related import (
    FALLBACK_TIMEOUT,
    RELATED_TIMEOUT,
    explain_related,
    related_articles,
    related_articles_from_database,
)
from tests.factories import (
    PainTopicFactory,
    TherapyTypeFactory,
    create_article,
    paragraph,
)

pytestmark = pytest.mark.django_db


@pytest.mark.search_server
def test_each_shared_topic_moves_an_article_up_the_related_list(
    blog_index, index_articles
):
    back, sleep = PainTopicFactory(name="Back pain"), PainTopicFactory(name="Sleep")
    main = create_article(parent=blog_index, title="Nights", topics=[back, sleep])
    one = create_article(parent=blog_index, title="Desks", topics=[back])
    both = create_article(parent=blog_index, title="Mattresses", topics=[back, sleep])
    index_articles(main, one, both)
    assert [item.page for item in related_articles(page=main)] == [both, one]


@pytest.fixture
def knee_articles(blog_index):
    knee = PainTopicFactory(name="Knee pain")
    sleep = PainTopicFactory(name="Sleep")

    def article(title: str, text: str, topics, live: bool = True):
        return create_article(
            parent=blog_index,
            title=title,
            summary=text,
            body=[paragraph(text)],
            topics=topics,
            live=live,
        )

    return {
        "main": article("Knee osteoarthritis basics", "Knee cartilage wears", [knee]),
        "sibling": article("Knee braces", "Braces support knee cartilage", [knee]),
        "words": article("Cartilage and diet", "Cartilage wears with age", [sleep]),
        "draft": article("Knee cartilage draft", "Knee cartilage wears", [knee], False),
        "other": article("Sleeping positions", "Pillows between legs", [sleep]),
    }


@pytest.mark.search_server
def test_related_articles_share_topics_or_words_and_never_the_article_itself(
    knee_articles, index_articles
):
    index_articles(*(p for k, p in knee_articles.items() if k != "draft"))
    related = related_articles(page=knee_articles["main"])
    pages = [item.page for item in related]
    assert pages[0] == knee_articles["sibling"]
    assert knee_articles["main"] not in pages
    assert related[0].shared_topics == ["Knee pain"]
    assert related[0].reason == "Also about Knee pain"
    by_words = next(i for i in related if i.page == knee_articles["words"])
    assert by_words.reason == "Also covers cartilage, wears"
    assert knee_articles["other"] not in pages


@pytest.mark.search_server
def test_a_page_unpublished_since_indexing_is_not_related(
    knee_articles, index_articles
):
    index_articles(*(p for k, p in knee_articles.items() if k != "draft"))
    knee_articles["sibling"].unpublish()
    pages = [item.page for item in related_articles(page=knee_articles["main"])]
    assert knee_articles["sibling"] not in pages


@pytest.mark.usefixtures("search_offline")
def test_with_the_server_down_articles_sharing_topics_are_related(knee_articles):
    related = related_articles(page=knee_articles["main"])
    assert [item.page for item in related] == [knee_articles["sibling"]]


@pytest.mark.search_server
def test_the_api_lists_related_articles_with_their_reason(
    client, knee_articles, index_articles
):
    index_articles(*(p for k, p in knee_articles.items() if k != "draft"))
    page = knee_articles["main"]
    data = client.get(f"/api/v2/pages/{page.pk}/related/").json()
    assert data["results"][0]["id"] == knee_articles["sibling"].pk
    assert data["results"][0]["reason"] == "Also about Knee pain"
    assert page.pk not in [item["id"] for item in data["results"]]


@pytest.mark.usefixtures("search_offline")
def test_the_api_does_not_reveal_drafts_or_private_articles(client, knee_articles):
    private = knee_articles["other"]
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    for page in (knee_articles["draft"], private):
        assert client.get(f"/api/v2/pages/{page.pk}/related/").status_code == 404
    response = client.get("/api/v2/pages/999999/related/")
    assert response.status_code == 404
    assert list(response.json()) == ["message"]


@pytest.mark.parametrize(
    "params", [{"limit": "0"}, {"limit": "13"}, {"limit": "many"}, {"bogus": "1"}]
)
@pytest.mark.usefixtures("search_offline")
def test_a_bad_limit_or_an_unknown_parameter_is_a_400(client, knee_articles, params):
    page = knee_articles["main"]
    response = client.get(f"/api/v2/pages/{page.pk}/related/", params)
    assert response.status_code == 400
    assert list(response.json()) == ["message"]


@pytest.mark.search_server
def test_an_article_under_a_narrower_topic_says_so(blog_index, index_articles):
    arthritis = PainTopicFactory(name="Arthritis")
    osteo = PainTopicFactory(name="Osteoarthritis", parent=arthritis)
    main = create_article(
        parent=blog_index,
        title="Therapies compared",
        body=[paragraph("Joints, gripping and kitchen tools for sore hands.")],
        topics=[arthritis],
    )
    narrower = create_article(
        parent=blog_index,
        title="Cooking tips",
        body=[paragraph("Kitchen tools with thick handles spare sore hands.")],
        topics=[osteo],
    )
    index_articles(main, narrower)
    [related] = related_articles(page=main)
    assert related.page == narrower
    assert related.reason == "Also about Arthritis"


def test_when_titles_share_no_word_the_reason_names_words_from_the_bodies(
    blog_index,
):
    main = create_article(
        parent=blog_index,
        title="Therapies compared",
        summary="Two professions side by side.",
        body=[paragraph("Occupational therapists suggest a perching stool.")],
    )
    other = create_article(
        parent=blog_index,
        title="Cooking tips",
        summary="Easier meals.",
        body=[paragraph("A perching stool lets you lean while chopping.")],
    )
    [related] = explain_related(page=main, others=[other])
    assert related.shared_topics == []
    assert related.reason == "Also covers perching, stool"


def test_a_broader_topic_of_the_article_is_the_reason_not_the_narrower_one(
    blog_index,
):
    chronic = PainTopicFactory(name="Chronic pain")
    back = PainTopicFactory(name="Back pain", parent=chronic)
    osteo = PainTopicFactory(name="Osteoarthritis")
    main = create_article(
        parent=blog_index, title="Living with worn joints", topics=[osteo, chronic]
    )
    other = create_article(parent=blog_index, title="Morning stretches", topics=[back])
    [related] = explain_related(page=main, others=[other])
    assert related.reason == "Also about Chronic pain"
    [reverse] = explain_related(page=other, others=[main])
    assert reverse.reason == "Also about Chronic pain"


def test_a_shared_therapy_type_is_named_and_words_most_articles_use_are_not(
    blog_index,
):
    massage = TherapyTypeFactory(name="Massage therapy")
    neck = PainTopicFactory(name="Neck pain")
    main = create_article(
        parent=blog_index,
        title="Can massage therapy ease tension neck pain?",
        summary="What a therapist does for a tight neck.",
        topics=[neck],
        therapy_types=[massage],
    )
    other = create_article(
        parent=blog_index,
        title="Massage or physical therapy for back pain?",
        summary="Two treatments compared.",
        therapy_types=[massage],
    )
    for title in ("Aquatic therapy", "Occupational therapy", "Therapy and sleep"):
        create_article(parent=blog_index, title=title)
    [related] = explain_related(page=main, others=[other])
    assert related.reason == "Also about Massage therapy"
    assert "therapy" not in related.shared_terms
    assert related.shared_terms[0] == "massage"


def test_an_id_beyond_any_database_column_is_a_404_not_a_500(client, db):
    response = client.get("/api/v2/pages/99999999999999999999999/related/")
    assert response.status_code == 404
    assert list(response.json()) == ["message"]


def test_article_page_with_related_articles_queries_do_not_grow_with_topics(
    client, blog_index, index_articles
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def page_queries(page) -> int:
        client.get(page.url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(page.url).status_code == 200
        return len(queries)

    def family(count: int, name: str) -> list:
        return [
            PainTopicFactory(
                name=f"{name} {n}", parent=PainTopicFactory(name=f"{name} parent {n}")
            )
            for n in range(count)
        ]

    pages = []
    for count, name in ((1, "Hip"), (5, "Knee")):
        topics = family(count, name)
        own = create_article(parent=blog_index, title=f"{name} care", topics=topics)
        others = [
            create_article(
                parent=blog_index, title=f"{name} exercises {n}", topics=topics
            )
            for n in range(4)
        ]
        index_articles(own, *others)
        pages.append(own)

    small, large = pages
    assert len(related_articles(page=small)) == 4
    assert len(related_articles(page=large)) == 4
    assert page_queries(small) == page_queries(large)


# From the database, and on the article page ---------------------------------------


def test_related_are_newest_articles_sharing_a_topic_never_the_page(blog_index):
    back, neck = PainTopicFactory(name="Back"), PainTopicFactory(name="Neck")
    page = create_article(parent=blog_index, title="Page", topics=[back])
    older = create_article(parent=blog_index, title="Older", topics=[back, neck])
    newer = create_article(parent=blog_index, title="Newer", topics=[back])
    create_article(parent=blog_index, title="Other topic", topics=[neck])

    assert related_articles_from_database(page=page, limit=4) == [newer, older]
    assert related_articles_from_database(page=page, limit=1) == [newer]


def test_related_skip_drafts_and_restricted_articles(blog_index):
    back = PainTopicFactory(name="Back")
    page = create_article(parent=blog_index, title="Page", topics=[back])
    create_article(parent=blog_index, title="Draft", topics=[back], live=False)
    private = create_article(parent=blog_index, title="Private", topics=[back])
    PageViewRestriction.objects.create(
        page=private, restriction_type=PageViewRestriction.PASSWORD, password="x"
    )
    assert related_articles_from_database(page=page) == []


def test_article_page_renders_the_related_slot(client, blog_index):
    back = PainTopicFactory(name="Back")
    page = create_article(parent=blog_index, title="Page", topics=[back])
    create_article(parent=blog_index, title="Sibling", topics=[back])
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    related = soup.find("section", class_="related")
    assert [a.get_text() for a in related.select(".card__title a")] == ["Sibling"]
    assert "Also about Back" in related.get_text()


def test_each_related_card_carries_its_own_reason(client, blog_index):
    # The reason sat after the card, which fills its grid cell, so every
    # reason but the last row's was painted over by the next card.
    back = PainTopicFactory(name="Back")
    page = create_article(parent=blog_index, title="Page", topics=[back])
    create_article(parent=blog_index, title="Sibling", topics=[back])
    soup = BeautifulSoup(client.get(page.url).content, "html.parser")
    card = soup.select_one(".related article.card")
    assert card.select_one(".card__reason").get_text() == "Also about Back"


@pytest.mark.search_server
def test_a_word_many_article_bodies_use_is_no_reason(blog_index, index_articles):
    gently = "Move gently and rest."
    main = create_article(
        parent=blog_index,
        title="Therapies compared",
        body=[paragraph(f"{gently} Occupational therapists suggest a perching stool.")],
    )
    other = create_article(
        parent=blog_index,
        title="Cooking tips",
        body=[paragraph(f"{gently} A perching stool lets you lean while chopping.")],
    )
    crowd = [
        create_article(parent=blog_index, title=title, body=[paragraph(gently)])
        for title in ("Walking", "Swimming", "Sleeping", "Reading")
    ]
    index_articles(main, other, *crowd)
    [related] = [r for r in related_articles(page=main) if r.page == other]
    assert related.reason == "Also covers perching, stool"


@pytest.mark.search_server
def test_an_article_on_the_same_subject_in_other_words_is_related_by_meaning(
    blog_index, index_articles
):
    main = create_article(
        parent=blog_index,
        title="Insomnia and chronic pain",
        summary="Falling asleep when pain keeps you awake.",
        body=[paragraph("A regular bedtime helps insomnia.")],
    )
    twin = create_article(
        parent=blog_index,
        title="Sleepless nights with aching joints",
        summary="Resting well despite soreness after dark.",
        body=[paragraph("Wind down an hour before bed.")],
    )
    shoes = create_article(
        parent=blog_index,
        title="Choosing running shoes",
        summary="Cushioning and fit for runners.",
        body=[paragraph("Try shoes on late in the day.")],
    )
    index_articles(main, twin, shoes)
    assert [item.page for item in related_articles(page=main)] == [twin]


# Kept between views ------------------------------------------------------------------


@pytest.fixture
def engine_requests(search_settings):
    """The requests the search server receives, counted at the client's transport
    (Elasticsearch and OpenSearch clients both send every request through it)."""
    from unittest import mock

    from search.engine import get_engine

    transport = get_engine().client.transport
    with mock.patch.object(
        transport, "perform_request", wraps=transport.perform_request
    ) as sent:
        yield sent


@pytest.fixture
def cache_clock(monkeypatch):
    """Moves the clock the local-memory cache reads expiry times by, so a
    test can look past a timeout without waiting for it."""
    import time

    from django.core.cache.backends import locmem

    class Clock:
        offset = 0.0

        def time(self) -> float:
            return time.time() + self.offset

        def advance(self, *, seconds: float) -> None:
            self.offset += seconds

    clock = Clock()
    monkeypatch.setattr(locmem, "time", clock)
    return clock


def related_titles(client, page) -> list[str]:
    response = client.get(page.url)
    assert response.status_code == 200
    soup = BeautifulSoup(response.content, "html.parser")
    return [a.get_text() for a in soup.select(".related .card__title a")]


@pytest.mark.search_server
def test_a_second_view_of_an_article_sends_the_search_server_nothing(
    client, knee_articles, index_articles, engine_requests
):
    index_articles(*(p for k, p in knee_articles.items() if k != "draft"))
    first = related_titles(client, knee_articles["main"])
    assert engine_requests.call_count > 0
    engine_requests.reset_mock()
    assert related_titles(client, knee_articles["main"]) == first
    assert engine_requests.call_count == 0
    api = f"/api/v2/pages/{knee_articles['main'].pk}/related/"
    client.get(api)
    engine_requests.reset_mock()
    data = client.get(api).json()
    assert engine_requests.call_count == 0
    assert [item["title"] for item in data["results"]] == first


@pytest.mark.search_server
def test_publishing_a_new_revision_shows_the_new_related_list(
    client, knee_articles, index_articles
):
    pages = [p for k, p in knee_articles.items() if k != "draft"]
    index_articles(*pages)
    main = knee_articles["main"]
    assert related_titles(client, main)[0] == "Knee braces"
    main.title = "Sleeping with sore knees"
    main.summary = "Pillows between legs"
    main.topics = [knee_articles["other"].topics.get()]
    main.save_revision().publish()
    index_articles(*pages)
    assert related_titles(client, main)[0] == "Sleeping positions"


@pytest.mark.search_server
def test_an_article_unpublished_after_a_view_leaves_the_related_list(
    client, knee_articles, index_articles
):
    index_articles(*(p for k, p in knee_articles.items() if k != "draft"))
    assert "Knee braces" in related_titles(client, knee_articles["main"])
    knee_articles["sibling"].unpublish()
    assert "Knee braces" not in related_titles(client, knee_articles["main"])


@pytest.mark.search_server
def test_an_article_published_elsewhere_joins_the_list_within_the_cache_timeout(
    client, knee_articles, index_articles, cache_clock
):
    index_articles(*(p for k, p in knee_articles.items() if k != "draft"))
    main = knee_articles["main"]
    assert "Knee cartilage draft" not in related_titles(client, main)
    draft = knee_articles["draft"]
    draft.save_revision().publish()
    index_articles(draft)
    cache_clock.advance(seconds=RELATED_TIMEOUT)
    assert "Knee cartilage draft" in related_titles(client, main)


@pytest.mark.search_server
def test_the_database_answer_for_a_server_down_is_kept_only_briefly(
    client, settings, knee_articles, index_articles, cache_clock
):
    index_articles(*(p for k, p in knee_articles.items() if k != "draft"))
    up = settings.RELIEF_SEARCH
    settings.RELIEF_SEARCH = {**up, "URL": "http://127.0.0.1:9", "TIMEOUT": 1}
    assert related_titles(client, knee_articles["main"]) == ["Knee braces"]
    settings.RELIEF_SEARCH = up
    cache_clock.advance(seconds=FALLBACK_TIMEOUT + 1)
    assert "Cartilage and diet" in related_titles(client, knee_articles["main"])


def test_a_preview_of_unsaved_changes_never_reaches_readers(client, blog_index):
    back, neck = PainTopicFactory(name="Back"), PainTopicFactory(name="Neck")
    page = create_article(parent=blog_index, title="Page", topics=[back])
    create_article(parent=blog_index, title="Back sibling", topics=[back])
    create_article(parent=blog_index, title="Neck sibling", topics=[neck])
    page.topics = [neck]
    preview = page.make_preview_request()
    preview.render()
    assert b"Neck sibling" in preview.content
    assert related_titles(client, page) == ["Back sibling"]
