from django.apps import AppConfig


class BlogConfig(AppConfig):
    # The label is prefixed so the app can join a `wagtail start` site, which
    # already has apps labelled `home` and `search`.
    name = "blog"
    label = "relief_blog"
    verbose_name = "Relief blog"
    default_auto_field = "django.db.models.BigAutoField"
