"""The search-term reports in the admin's Reports menu, for users who may view
search terms (Editors, Moderators, Search managers), and the promote-from-a-
report form."""

from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from search.terms import reports

VIEW_PERMISSION = "relief_search_terms.view_searchtermday"
REPORTS = (
    ("top", reports.TopSearchesReport, 1400),
    ("zero", reports.ZeroResultsReport, 1410),
    ("no_clicks", reports.NoClicksReport, 1420),
)


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [
        path(
            "reports/search-terms/promote/",
            reports.PromoteQueryView.as_view(),
            name="search_terms_promote",
        )
    ]
    for slug, view, _ in REPORTS:
        base = f"reports/search-terms/{slug.replace('_', '-')}/"
        urls += [
            path(base, view.as_view(), name=f"search_terms_{slug}"),
            path(
                f"{base}results/",
                view.as_view(results_only=True),
                name=f"search_terms_{slug}_results",
            ),
        ]
    return urls


class SearchTermsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(VIEW_PERMISSION)


def menu_item(slug, view, order):
    return SearchTermsMenuItem(
        view.page_title,
        reverse(f"search_terms_{slug}"),
        name=f"search-terms-{slug.replace('_', '-')}",
        icon_name="search",
        order=order,
    )


for _slug, _view, _order in REPORTS:
    hooks.register(
        "register_reports_menu_item",
        lambda slug=_slug, view=_view, order=_order: menu_item(slug, view, order),
    )


@hooks.register("construct_reports_menu")
def hide_wagtail_search_terms(request, menu_items):
    """Wagtail's own search-terms report reads counts Relief does not keep
    (its QueryDailyHits); these reports replace it."""
    menu_items[:] = [item for item in menu_items if item.name != "search-terms"]
