"""Ranking quality on the demo site: about twenty reader queries, each judged
against the demo articles (0 = not relevant, 3 = the article to read), scored
by nDCG@10 on every engine. Short keywords and longer questions both appear, so
neither shape can regress unseen."""

import io
import math

import pytest
from django.core.management import call_command

from blog.models import ArticlePage
from search.params import SearchParams
from search.query import search_articles
from tests.factories import ensure_wagtail_root

pytestmark = [pytest.mark.search_server, pytest.mark.django_db]

KITCHEN = "protecting-your-joints-in-the-kitchen"
AQUATIC = "aquatic-therapy-for-arthritis"
PT_VS_OT = "physical-therapy-vs-occupational-therapy"
SCIATICA = "sciatica-when-leg-pain-starts-in-the-back"
STRETCHES = "gentle-morning-stretches-for-lower-back-pain"
MASSAGE_OR_PT = "massage-or-physical-therapy-for-back-pain"
NECK_MASSAGE = "massage-therapy-for-tension-neck-pain"
DESK = "desk-setup-to-spare-your-neck"
PACING = "pacing-with-fibromyalgia"
SLEEP = "sleep-and-pain-breaking-the-cycle"
RA_WEEK = "planning-your-week-around-rheumatoid-arthritis"

JUDGED = {
    "knee pain": {KITCHEN: 2, AQUATIC: 2, PT_VS_OT: 1, SCIATICA: 1, STRETCHES: 1},
    "physio for back pain": {MASSAGE_OR_PT: 3, PT_VS_OT: 2, SCIATICA: 2, STRETCHES: 1},
    "fibromyalgia": {PACING: 3, SLEEP: 1},
    "acupuncture for migraine": {"acupuncture-for-migraine-first-visit": 3},
    "neck pain": {NECK_MASSAGE: 3, DESK: 3},
    "sciatica": {SCIATICA: 3},
    "rheumatoid arthritis flares": {RA_WEEK: 3, AQUATIC: 1},
    "osteoarthritis": {KITCHEN: 3, AQUATIC: 2},
    "cbt for chronic pain": {"what-cbt-offers-people-in-chronic-pain": 3},
    "trouble sleeping because of pain": {SLEEP: 3},
    "numb feet neuropathy": {"caring-for-your-feet-with-neuropathy": 3},
    "stretches for a stiff lower back": {STRETCHES: 3, MASSAGE_OR_PT: 1},
    "massage": {NECK_MASSAGE: 3, MASSAGE_OR_PT: 3},
    "exercise in warm water": {AQUATIC: 3},
    "occupational therapist": {PT_VS_OT: 3, DESK: 2},
    "laptop neck strain": {DESK: 3, NECK_MASSAGE: 1},
    "boom and bust pacing": {PACING: 3, RA_WEEK: 1},
    "does massage help a stiff neck": {NECK_MASSAGE: 3, DESK: 1},
    "what does a physical therapist do for sciatica": {
        SCIATICA: 3,
        PT_VS_OT: 1,
        MASSAGE_OR_PT: 1,
    },
    "cooking with sore hands": {KITCHEN: 3},
    "physical therapy or occupational therapy": {PT_VS_OT: 3, MASSAGE_OR_PT: 1},
}
# Measured when the set was written: 0.976 on both the Elasticsearch stand-in and
# OpenSearch. The floor leaves room for ties that break differently.
NDCG_FLOOR = 0.90


def ndcg_at_10(*, ranked: list[str], grades: dict[str, int]) -> float:
    """trec_eval's nDCG: linear gains, log2 discount."""
    dcg = sum(
        grades.get(slug, 0) / math.log2(i + 2) for i, slug in enumerate(ranked[:10])
    )
    ideal = sorted(grades.values(), reverse=True)[:10]
    return dcg / sum(g / math.log2(i + 2) for i, g in enumerate(ideal))


@pytest.fixture
def demo_site(index_articles):
    ensure_wagtail_root()
    call_command("load_demo_content", skip_renditions=True, stdout=io.StringIO())
    pages = list(ArticlePage.objects.live())
    index_articles(*pages)
    return {page.pk: page.slug for page in pages}


def ranked_slugs(query: str, slugs: dict[int, str]) -> list[str]:
    hits = search_articles(params=SearchParams(query=query, per_page=10)).hits
    return [slugs[hit.page_id] for hit in hits]


def test_demo_queries_stay_above_their_ndcg_floor(demo_site):
    scores = {
        query: ndcg_at_10(ranked=ranked_slugs(query, demo_site), grades=grades)
        for query, grades in JUDGED.items()
    }
    mean = sum(scores.values()) / len(scores)
    worst = sorted(scores.items(), key=lambda item: item[1])[:3]
    assert mean >= NDCG_FLOOR, f"mean nDCG@10 {mean:.3f}; weakest: {worst}"


def test_knee_pain_ranks_every_knee_article_above_sleep_and_pain(
    demo_site, engine_rescores
):
    ranked = ranked_slugs("knee pain", demo_site)
    knee_articles = JUDGED["knee pain"]
    last_knee = max(ranked.index(slug) for slug in knee_articles if slug in ranked)
    assert SLEEP not in ranked[: last_knee + 1]


def test_physio_for_back_pain_finds_back_pain_treatment_first(demo_site):
    ranked = ranked_slugs("physio for back pain", demo_site)
    assert ranked[0] == MASSAGE_OR_PT
    assert SLEEP not in ranked[:4]
