from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "search"
    label = "relief_search"
    verbose_name = "Relief search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search import receivers

        receivers.connect()
