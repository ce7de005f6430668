import pytest

from bench.peers import configured_peers, peer_ranker
from tests.factories import PainTopicFactory, create_article

pytestmark = pytest.mark.django_db


def test_wagtails_database_peer_finds_articles_by_their_words_and_topics(blog_index):
    flare = create_article(parent=blog_index, title="Pacing through a flare")
    tagged = create_article(
        parent=blog_index,
        title="Walking again",
        topics=[PainTopicFactory(name="Flare ups")],
    )
    create_article(parent=blog_index, title="Sleeping well")
    (database,) = (p for p in configured_peers() if p.backend == "default")

    ranked = peer_ranker(peer=database)(query="flare")

    assert sorted(hit.page_id for hit in ranked) == sorted([flare.pk, tagged.pk])
