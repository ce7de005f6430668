"""Editor screens for the taxonomy: authors, pain topics and therapy types, grouped
under one "Taxonomy" menu; the overdue-reviews report; the pages' "Headless
preview" button."""

from django.contrib.admin import RelatedOnlyFieldListFilter
from django.http import Http404
from django.urls import path, reverse
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.admin.widgets import Button
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from blog.admin_views import InUseProtectedDeleteView, UniqueSlugForm
from blog.listing import has_expired
from blog.models import Author, PainTopic, TherapyType
from blog.preview import headless_preview_view
from blog.reports import OverdueReviewsMenuItem, OverdueReviewsView


class TaxonomyAdmin(ModelAdmin):
    delete_view_class = InUseProtectedDeleteView
    delete_template_name = "relief_blog/admin/delete.html"
    add_to_settings_menu = False

    def get_edit_handler(self):
        return ObjectList(self.model.panels, base_form_class=UniqueSlugForm)


class AuthorAdmin(TaxonomyAdmin):
    model = Author
    menu_icon = "user"
    list_display = ("name", "kind", "role", "slug")
    list_filter = ("kind",)
    search_fields = ("name", "role", "bio")


class ParentTopicFilter(RelatedOnlyFieldListFilter):
    """Only topics that are some topic's parent, and no "-" entry for top-level
    topics: a filter for "no parent" reads as a broken choice."""

    include_empty_choice = False

    def has_output(self):
        # One parent topic is still worth filtering by.
        return bool(self.lookup_choices)


class PainTopicAdmin(TaxonomyAdmin):
    model = PainTopic
    menu_label = "Pain topics"
    menu_icon = "tag"
    list_display = ("name", "parent", "slug")
    list_filter = (("parent", ParentTopicFilter),)
    search_fields = ("name", "synonyms", "description")


class TherapyTypeAdmin(TaxonomyAdmin):
    model = TherapyType
    menu_label = "Therapy types"
    menu_icon = "clipboard-list"
    list_display = ("name", "slug")
    search_fields = ("name", "description")


@modeladmin_register
class TaxonomyGroup(ModelAdminGroup):
    menu_label = "Taxonomy"
    menu_icon = "folder-open-inverse"
    menu_order = 200
    items = (AuthorAdmin, PainTopicAdmin, TherapyTypeAdmin)


@hooks.register("before_serve_page")
def refuse_expired_page(page, request, serve_args, serve_kwargs):
    """Every page type, as listings and the API do through `exclude_expired()`."""
    if has_expired(page=page):
        raise Http404("This page has expired.")


@hooks.register("register_admin_urls")
def register_report_urls():
    return [
        path(
            "reports/overdue-reviews/",
            OverdueReviewsView.as_view(),
            name="relief_blog_overdue_reviews",
        ),
        path(
            "reports/overdue-reviews/results/",
            OverdueReviewsView.as_view(results_only=True),
            name="relief_blog_overdue_reviews_results",
        ),
        path(
            "pages/<int:page_id>/headless-preview/",
            headless_preview_view,
            name="relief_blog_headless_preview",
        ),
    ]


@hooks.register("register_page_header_buttons")
def headless_preview_button(page, user, view_name, next_url=None):
    if page.is_root() or not page.permissions_for_user(user).can_edit():
        return
    yield Button(
        "Headless preview",
        reverse("relief_blog_headless_preview", args=[page.pk]),
        icon_name="code",
        attrs={"title": "A token that shows this page's latest draft in the API"},
        priority=75,
    )


@hooks.register("register_reports_menu_item")
def register_overdue_reviews_menu_item():
    return OverdueReviewsMenuItem(
        "Overdue reviews",
        reverse("relief_blog_overdue_reviews"),
        name="overdue-reviews",
        icon_name="time",
        order=1150,
    )
