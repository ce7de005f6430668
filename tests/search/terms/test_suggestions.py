"""The zero-result report points at an existing article close in meaning."""

import pytest
from django.utils import timezone

from search.terms.models import SearchTermDay
from tests.factories import create_article, paragraph

pytestmark = [pytest.mark.django_db, pytest.mark.search_server]


def test_a_zero_result_row_suggests_the_article_closest_in_meaning(
    admin_client, blog_index, index_articles
):
    sleep = create_article(
        parent=blog_index,
        title="Sleeping better when pain keeps you awake",
        body=[paragraph("Insomnia and poor sleep make pain feel worse at night.")],
    )
    other = create_article(
        parent=blog_index,
        title="Protecting your joints in the kitchen",
        body=[paragraph("Jar openers and light pans spare painful fingers.")],
    )
    index_articles(sleep, other)
    for query in ("cant get to sleep at night", "qqzx vrrb"):
        SearchTermDay.objects.create(
            query=query, date=timezone.localdate(), searches=2, zero_results=2
        )
    html = admin_client.get("/admin/reports/search-terms/zero/").content.decode()
    row = html[html.index("cant get to sleep") :].split("</tr>")[0]
    assert sleep.title in row and other.title not in row
    nonsense = html[html.index("qqzx vrrb") :].split("</tr>")[0]
    assert sleep.title not in nonsense and other.title not in nonsense
