"""The "Search managers" group, which alone may change promoted results, and
the permission to read the search-term reports for them and Wagtail's
editors. Groups and permissions are found or created, so another migration
can add to the same group in any order."""

from django.db import migrations

from search.group_permissions import (
    ADMIN_GROUPS as READERS_OF_REPORTS,
    SEARCH_MANAGERS,
    admin_access,
    permission,
)

PROMOTION_CODENAMES = (
    "add_searchpromotion",
    "change_searchpromotion",
    "delete_searchpromotion",
)


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    managers, _ = Group.objects.get_or_create(name=SEARCH_MANAGERS)
    managers.permissions.add(
        admin_access(apps),
        *(
            permission(
                apps,
                app_label="wagtailsearchpromotions",
                model="searchpromotion",
                codename=codename,
                name=codename.replace("_", " ").capitalize(),
            )
            for codename in PROMOTION_CODENAMES
        ),
    )
    view_terms = permission(
        apps,
        app_label="relief_search_terms",
        model="searchtermday",
        codename="view_searchtermday",
        name="Can view search term day",
    )
    for name in READERS_OF_REPORTS:
        Group.objects.get_or_create(name=name)[0].permissions.add(view_terms)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view_terms = Permission.objects.filter(
        content_type__app_label="relief_search_terms", codename="view_searchtermday"
    )
    for group in Group.objects.filter(name__in=READERS_OF_REPORTS):
        group.permissions.remove(*view_terms)
    managers = Group.objects.filter(name=SEARCH_MANAGERS).first()
    if managers is not None:
        managers.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="wagtailsearchpromotions",
                codename__in=PROMOTION_CODENAMES,
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("relief_search_terms", "0001_initial"),
        ("wagtailsearchpromotions", "0008_query_verbose_name"),
        ("wagtailcore", "0002_initial_data"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
