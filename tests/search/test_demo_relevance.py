"""Ranking quality on the demo site: reader queries of several kinds
(tests/search/judged/, one module per kind), each judged against the demo
articles (0 = not relevant, 3 = the article to read) and scored by nDCG@10 on
every engine. Each kind keeps its own floor, so no kind can regress unseen
behind a good mean."""

import io
import math

import pytest
from django.core.management import call_command

from blog.models import ArticlePage
from search.params import SearchParams
from search.query import search_articles
from tests.factories import ensure_wagtail_root
from tests.search.judged import kinds
from tests.search.judged.slugs import MASSAGE_OR_PT, SLEEP
from tests.search.judged.topics import JUDGED as TOPICS

pytestmark = [pytest.mark.search_server, pytest.mark.django_db]


def ndcg_at_10(*, ranked: list[str], grades: dict[str, int]) -> float:
    """trec_eval's nDCG: linear gains, log2 discount."""
    dcg = sum(
        grades.get(slug, 0) / math.log2(i + 2) for i, slug in enumerate(ranked[:10])
    )
    ideal = sorted(grades.values(), reverse=True)[:10]
    return dcg / sum(g / math.log2(i + 2) for i, g in enumerate(ideal))


@pytest.fixture
def demo_site(index_articles, seeded_abbreviations):
    """The demo articles, indexed, with the shipped abbreviations ("PT", "OT")
    that a browser test's flush may have removed."""
    ensure_wagtail_root()
    call_command("load_demo_content", skip_renditions=True, stdout=io.StringIO())
    pages = list(ArticlePage.objects.live())
    index_articles(*pages)
    return {page.pk: page.slug for page in pages}


def ranked_slugs(query: str, slugs: dict[int, str]) -> list[str]:
    hits = search_articles(params=SearchParams(query=query, per_page=10)).hits
    return [slugs[hit.page_id] for hit in hits]


@pytest.mark.parametrize("kind", sorted(kinds()))
def test_each_kind_of_demo_query_stays_above_its_ndcg_floor(demo_site, kind):
    judged = kinds()[kind]
    scores = {
        query: ndcg_at_10(ranked=ranked_slugs(query, demo_site), grades=grades)
        for query, grades in judged.JUDGED.items()
    }
    mean = sum(scores.values()) / len(scores)
    worst = sorted(scores.items(), key=lambda item: item[1])[:3]
    assert mean >= judged.FLOOR, f"{kind}: mean nDCG@10 {mean:.3f}; weakest: {worst}"


def test_knee_pain_ranks_every_knee_article_above_sleep_and_pain(
    demo_site, engine_rescores
):
    ranked = ranked_slugs("knee pain", demo_site)
    knee_articles = TOPICS["knee pain"]
    last_knee = max(ranked.index(slug) for slug in knee_articles if slug in ranked)
    assert SLEEP not in ranked[: last_knee + 1]


def test_physio_for_back_pain_finds_back_pain_treatment_first(demo_site):
    ranked = ranked_slugs("physio for back pain", demo_site)
    assert ranked[0] == MASSAGE_OR_PT
    assert SLEEP not in ranked[:4]
