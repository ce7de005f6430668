"""The editors' reports on readers' searches, built from Wagtail's ReportView:
a period filter, a trend chart of the period, Wagtail's CSV/XLSX export, and
each row opening the search as a reader sees it."""

from __future__ import annotations

from urllib.parse import urlencode

from django.db.models import Count, F, Q, Sum
from django.urls import reverse
from django_filters import DateFromToRangeFilter
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.ui.tables import Column, NumberColumn, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.contrib.search_promotions.views import CreateView

from search.terms.charts import trend_svg
from search.terms.models import SearchTermDay
from search.terms.suggestions import closest_article


class PeriodFilterSet(WagtailFilterSet):
    date = DateFromToRangeFilter(label="Period", widget=DateRangePickerWidget)

    class Meta:
        model = SearchTermDay
        fields = []


def reader_search_url(row: dict) -> str:
    return f"{reverse('search')}?{urlencode({'q': row['query']})}"


class SearchTermsReport(ReportView):
    """Every query searched in the period with its totals, most searched
    first; subclasses narrow the rows and chart their own measure."""

    model = SearchTermDay
    permission_required = "view"
    filterset_class = PeriodFilterSet
    header_icon = "search"
    results_template_name = "search_terms/report_results.html"
    default_ordering = "-searches"
    trend_label = "Searches a day"
    trend_measure = Sum("searches")
    columns = [
        TitleColumn("query", label="Search", get_url=reader_search_url),
        NumberColumn("searches", label="Searches", sort_key="searches"),
        NumberColumn("zero_results", label="Found nothing", sort_key="zero_results"),
        NumberColumn("clicks", label="Results opened", sort_key="clicks"),
        Column("mean_position", label="Mean position opened"),
        Column("demo", label="Data"),
    ]
    list_export = ["query", "searches", "zero_results", "clicks", "mean_position"]
    export_headings = {
        "query": "Search",
        "searches": "Searches",
        "zero_results": "Found nothing",
        "clicks": "Results opened",
        "mean_position": "Mean position opened",
    }

    def get_base_queryset(self):
        return (
            SearchTermDay.objects.values("query")
            .annotate(
                searches=Sum("searches"),
                zero_results=Sum("zero_results"),
                clicks=Sum("clicks"),
                click_positions=Sum("click_positions"),
                demo_rows=Count("pk", filter=Q(is_demo=True)),
            )
            .filter(**self.row_filter())
        )

    def row_filter(self) -> dict:
        return {}

    def decorate_paginated_queryset(self, object_list):
        rows = list(object_list)
        for row in rows:
            row["mean_position"] = (
                round(row["click_positions"] / row["clicks"], 1)
                if row["clicks"]
                else None
            )
            row["demo"] = "demo" if row["demo_rows"] else ""
        return rows

    def trend(self) -> dict:
        days = (
            self.filter_queryset(SearchTermDay.objects.all())
            .values("date")
            .annotate(count=self.trend_measure)
            .order_by("date")
        )
        return {row["date"]: row["count"] or 0 for row in days}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["trend_chart"] = trend_svg(counts=self.trend(), label=self.trend_label)
        context["demo_note"] = SearchTermDay.objects.filter(is_demo=True).exists()
        return context


class TopSearchesReport(SearchTermsReport):
    page_title = "Top searches"
    index_url_name = "search_terms_top"
    index_results_url_name = "search_terms_top_results"


class ZeroResultsReport(SearchTermsReport):
    """Queries that found nothing, with an article close in meaning to each
    and, for search managers, a promotion to make for it."""

    page_title = "Searches that found nothing"
    index_url_name = "search_terms_zero"
    index_results_url_name = "search_terms_zero_results"
    default_ordering = "-zero_results"
    trend_label = "Searches that found nothing a day"
    trend_measure = Sum("zero_results")

    def row_filter(self) -> dict:
        return {"zero_results__gt": 0}

    @property
    def columns(self):
        columns = [
            *SearchTermsReport.columns[:3],
            TitleColumn(
                "suggestion_title",
                label="Close article",
                get_url=lambda row: row["suggestion_url"],
            ),
        ]
        if self.request.user.has_perm("wagtailsearchpromotions.add_searchpromotion"):
            columns.append(
                TitleColumn(
                    "promote",
                    label="Promoted result",
                    get_url=lambda row: (
                        f"{reverse('search_terms_promote')}?"
                        f"{urlencode({'q': row['query']})}"
                    ),
                )
            )
        return [*columns, SearchTermsReport.columns[-1]]

    def decorate_paginated_queryset(self, object_list):
        rows = super().decorate_paginated_queryset(object_list)
        for row in rows:
            article = closest_article(query=row["query"]) or {}
            row["suggestion_title"] = article.get("title", "")
            row["suggestion_url"] = article.get("url")
            row["promote"] = "Promote a result"
        return rows


class NoClicksReport(SearchTermsReport):
    """Content gaps: queries that found results nobody opened."""

    page_title = "Searched but nobody clicked"
    index_url_name = "search_terms_no_clicks"
    index_results_url_name = "search_terms_no_clicks_results"
    trend_label = "Searches with results but no result opened, a day"
    trend_measure = Sum(F("searches") - F("zero_results"), filter=Q(clicks=0))

    def row_filter(self) -> dict:
        return {"clicks": 0, "searches__gt": F("zero_results")}


class PromoteQueryView(CreateView):
    """Wagtail's own "add promoted result" form with the query filled in, so
    an editor promotes an answer straight from the zero-result report."""

    def get_initial(self):
        return {**super().get_initial(), "query_string": self.request.GET.get("q", "")}
