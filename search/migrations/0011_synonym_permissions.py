"""Search managers alone change the synonym sets and the abbreviation list;
Wagtail's editors and moderators see them."""

from django.db import migrations

from search.group_permissions import (
    ADMIN_GROUPS,
    SEARCH_MANAGERS,
    admin_access,
    permission,
)

# Model name -> verbose name, for permissions made here before Django makes them.
MODELS = {"synonymset": "synonym set", "abbreviation": "abbreviation"}
CHANGES = ("add", "change", "delete")


def model_permission(apps, *, action, model):
    return permission(
        apps,
        app_label="relief_search",
        model=model,
        codename=f"{action}_{model}",
        name=f"Can {action} {MODELS[model]}",
    )


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    managers, _ = Group.objects.get_or_create(name=SEARCH_MANAGERS)
    managers.permissions.add(
        admin_access(apps),
        *(
            model_permission(apps, action=action, model=model)
            for action in CHANGES
            for model in MODELS
        ),
    )
    views = [model_permission(apps, action="view", model=m) for m in MODELS]
    for name in ADMIN_GROUPS:
        Group.objects.get_or_create(name=name)[0].permissions.add(*views)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ours = Permission.objects.filter(
        content_type__app_label="relief_search", content_type__model__in=list(MODELS)
    )
    for group in Group.objects.filter(name__in=ADMIN_GROUPS):
        group.permissions.remove(*ours)


class Migration(migrations.Migration):
    dependencies = [
        ("relief_search", "0010_synonym_sets"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
