"""Permissions for data migrations that grant them to Wagtail's groups. Found
or created, with their content type, so a migration can grant them before
Django's post-migrate step has made them, and migrations of different apps can
add to the same group in any order."""

SEARCH_MANAGERS = "Search managers"
# Wagtail's own groups, with the search managers: who may see search settings.
ADMIN_GROUPS = ("Editors", "Moderators", SEARCH_MANAGERS)


def permission(apps, *, app_label, model, codename, name):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(
        app_label=app_label, model=model
    )
    return Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": name}
    )[0]


def admin_access(apps):
    return permission(
        apps,
        app_label="wagtailadmin",
        model="admin",
        codename="access_admin",
        name="Can access Wagtail admin",
    )
