"""The page editor in a real browser: a therapy comparison loads with its
therapies picked from the taxonomy and saves back unchanged."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from blog.models import ArticlePage
from tests.factories import TherapyTypeFactory, build_site, comparison, create_article

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def compared(page_tree_root):
    _, blog_index = build_site()
    physio = TherapyTypeFactory(name="Physical therapy")
    TherapyTypeFactory(name="Occupational therapy")
    page = create_article(
        parent=blog_index,
        title="PT or OT?",
        body=[
            comparison(
                [physio, "Hand therapy"],
                [("Focus", ["Movement", "Hands and wrists"])],
            )
        ],
    )
    get_user_model().objects.create_superuser("editor", "e@example.org", "pw")
    return page


def log_in(page, live_server) -> None:
    page.goto(live_server.url + reverse("wagtailadmin_login"))
    page.fill("#id_username", "editor")
    page.fill("#id_password", "pw")
    page.click("button[type=submit]")
    page.wait_for_url("**/admin/")


def test_editor_sees_the_comparison_columns_and_saves_them_back(
    live_server, new_page, compared
):
    page = new_page(width=1280, height=900)
    log_in(page, live_server)
    page.goto(live_server.url + reverse("wagtailadmin_pages:edit", args=[compared.pk]))

    first = page.locator("select[name$='therapies-first-therapy']")
    assert first.locator("option:checked").inner_text() == "Physical therapy"
    options = first.locator("option").all_inner_texts()
    assert {"Physical therapy", "Occupational therapy"} <= set(options)
    other = page.locator("input[name$='therapies-second-other_name']")
    assert other.input_value() == "Hand therapy"
    assert page.locator("textarea[name$='cells-second']").first.input_value() == (
        "Hands and wrists"
    )

    revisions = compared.revisions.count()
    # Until the page saving redirects to has loaded: a request still in flight
    # when the test ends holds the database the teardown flushes.
    with page.expect_navigation():
        page.get_by_role("button", name="Save draft").click()
    page.wait_for_load_state()
    assert "could not be saved" not in page.content()
    assert compared.revisions.count() == revisions + 1
    draft = ArticlePage.objects.get(pk=compared.pk).get_latest_revision_as_object()
    assert draft.body[0].value.therapy_names == ["Physical therapy", "Hand therapy"]
