"""What the search app adds to blog pages and the pages API through the seams
blog offers, the editors' screens for the vocabulary searches use (synonym
sets and the abbreviation list, under one "Synonyms" menu: editors and
moderators see them, search managers change them), and the search managers'
index health page."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.urls import path, reverse
from django.utils.safestring import SafeString
from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import MenuItem
from wagtail.admin.panels import ObjectList
from wagtail_modeladmin.helpers import PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from blog.api import PAGES_SEARCH_THROTTLE_HOOK
from blog.templatetags.relief_tags import AFTER_ARTICLE_HOOK
from search.health import MANAGE_PERMISSION, IndexHealthView, RepairIndexView
from search.models import Abbreviation, SynonymSet
from search.related import related_articles
from search.throttle import seconds_to_wait


@hooks.register(AFTER_ARTICLE_HOOK)
def render_related_articles(*, page, request) -> SafeString:
    return render_to_string(
        "search/related_articles.html",
        {
            "related_articles": related_articles(
                page=page, cached=not getattr(request, "is_preview", False)
            )
        },
        request=request,
    )


@hooks.register(PAGES_SEARCH_THROTTLE_HOOK)
def throttle_pages_search(*, request) -> int:
    """A ?search= on the pages API spends the reader search's budget."""
    return seconds_to_wait(scope="search", request=request)


class AbbreviationForm(WagtailAdminModelForm):
    """A seeded pair is kept as shipped, so loading the list again finds it and
    adds nothing back: editors switch it off and add their own pair instead."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.is_seeded:
            for name in ("abbreviation", "expansion"):
                self.fields[name].disabled = True
                self.fields[name].help_text = (
                    "From the seed list: untick “used in search” to stop using "
                    "it, and add a pair of your own for another meaning."
                )


class AbbreviationPermissionHelper(PermissionHelper):
    def user_can_delete_obj(self, user, obj):
        return not obj.is_seeded and super().user_can_delete_obj(user, obj)


class AbbreviationAdmin(ModelAdmin):
    model = Abbreviation
    menu_label = "Abbreviations"
    menu_icon = "doc-full"
    add_to_settings_menu = False
    inspect_view_enabled = True
    permission_helper_class = AbbreviationPermissionHelper
    list_display = ("abbreviation", "expansion", "source", "any_case", "active")
    list_filter = ("source", "any_case", "active")
    search_fields = ("abbreviation", "expansion")
    list_per_page = 50

    def get_edit_handler(self):
        return ObjectList(self.model.panels, base_form_class=AbbreviationForm)


@hooks.register("register_admin_urls")
def register_index_health_urls():
    return [
        path(
            "reports/search-index/",
            IndexHealthView.as_view(),
            name="search_index_health",
        ),
        path(
            "reports/search-index/repair/",
            RepairIndexView.as_view(),
            name="search_index_repair",
        ),
    ]


class IndexHealthMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(MANAGE_PERMISSION)


@hooks.register("register_reports_menu_item")
def index_health_menu_item():
    return IndexHealthMenuItem(
        IndexHealthView.page_title,
        reverse("search_index_health"),
        name="search-index-health",
        icon_name="site",
        order=1430,
    )


class SynonymSetAdmin(ModelAdmin):
    model = SynonymSet
    menu_label = "Synonym sets"
    menu_icon = "resubmit"
    add_to_settings_menu = False
    inspect_view_enabled = True
    list_display = ("__str__", "kind", "active", "updated_at")
    list_filter = ("kind", "active")
    search_fields = ("phrases", "terms")
    list_per_page = 50


@modeladmin_register
class SynonymsGroup(ModelAdminGroup):
    menu_label = "Synonyms"
    menu_icon = "resubmit"
    menu_order = 210
    items = (SynonymSetAdmin, AbbreviationAdmin)
