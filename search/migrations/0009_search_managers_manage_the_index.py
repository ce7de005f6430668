"""The permission to see the index's health in the admin and repair it, given
to the "Search managers" group. The group and the permission are found or
created, as search.terms' migration does, so the two run in any order."""

from django.db import migrations

from search.group_permissions import SEARCH_MANAGERS, permission

CODENAME = "manage_search_index"


def manage_index_permission(apps):
    return permission(
        apps,
        app_label="relief_search",
        model="indexoperation",
        codename=CODENAME,
        name="Can see the search index's health and repair it",
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    managers, _ = Group.objects.get_or_create(name=SEARCH_MANAGERS)
    managers.permissions.add(manage_index_permission(apps))


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    managers = Group.objects.filter(name=SEARCH_MANAGERS).first()
    if managers is not None:
        managers.permissions.remove(
            *Permission.objects.filter(
                content_type__app_label="relief_search", codename=CODENAME
            )
        )


class Migration(migrations.Migration):
    dependencies = [
        ("relief_search", "0008_cache_tables"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="indexoperation",
            options={
                "ordering": ["pk"],
                "permissions": [
                    (
                        "manage_search_index",
                        "Can see the search index's health and repair it",
                    )
                ],
                "verbose_name": "search index operation",
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
