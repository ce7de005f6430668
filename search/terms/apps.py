from django.apps import AppConfig


class SearchTermsConfig(AppConfig):
    name = "search.terms"
    label = "relief_search_terms"
    verbose_name = "Search terms"
    default_auto_field = "django.db.models.BigAutoField"
