"""The editors' "Overdue reviews" report: articles past their next review date,
in Wagtail's own report screen (filters, CSV and Excel export)."""

from __future__ import annotations

from django.utils import timezone
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.tables import Column, TitleColumn
from wagtail.admin.views.reports import ReportView
from wagtail.models import Page
from wagtail.permissions import policy_registry

from blog.models import ArticlePage

# Who may change some page may see it: Wagtail's own page reports ask the same.
PAGE_PERMISSIONS = ["add", "change", "publish"]


def overdue_articles(*, user):
    """Articles the user can edit whose next review date has passed, most
    overdue first."""
    editable = policy_registry.get_by_type(Page).instances_user_has_permission_for(
        user, "change"
    )
    return (
        ArticlePage.objects.filter(
            pk__in=editable.values("pk"), next_review_due__lt=timezone.localdate()
        )
        .select_related("medical_reviewer")
        .order_by("next_review_due", "title")
    )


class OverdueReviewsView(ReportView):
    page_title = "Overdue reviews"
    header_icon = "time"
    index_url_name = "relief_blog_overdue_reviews"
    index_results_url_name = "relief_blog_overdue_reviews_results"
    model = Page
    any_permission_required = PAGE_PERMISSIONS
    no_results_message = "No article is past its next review date."
    columns = [
        TitleColumn("title", label="Article", url_name="wagtailadmin_pages:edit"),
        Column("next_review_due", label="Review was due"),
        Column("last_reviewed", label="Last reviewed"),
        Column("medical_reviewer", label="Medical reviewer"),
    ]
    list_export = ["title", "next_review_due", "last_reviewed", "medical_reviewer"]
    export_headings = {
        "next_review_due": "Review was due",
        "last_reviewed": "Last reviewed",
        "medical_reviewer": "Medical reviewer",
    }

    def get_filename(self):
        return f"overdue-reviews-{timezone.localdate():%Y-%m-%d}"

    def get_queryset(self):
        return overdue_articles(user=self.request.user)


class OverdueReviewsMenuItem(MenuItem):
    def is_shown(self, request):
        return policy_registry.get_by_type(Page).user_has_any_permission(
            request.user, PAGE_PERMISSIONS
        )
