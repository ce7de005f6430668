from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "relief_search"
    verbose_name = "Relief search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.core import checks

        from search import receivers
        from search.checks import check_semantic_packages

        receivers.connect()
        checks.register(check_semantic_packages)
