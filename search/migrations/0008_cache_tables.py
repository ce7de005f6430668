"""The tables of database caches (the "throttles" cache in cms/settings/base.py,
where every server process keeps the throttles' counts): made by `migrate`, so
neither a deployment nor the tests need `createcachetable` too. It does nothing
for caches of another kind (Redis in production)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command(
        "createcachetable", database=schema_editor.connection.alias, verbosity=0
    )


class Migration(migrations.Migration):
    dependencies = [
        ("relief_search", "0007_indexoperation_failed_at"),
    ]

    operations = [
        migrations.RunPython(create_cache_tables, migrations.RunPython.noop),
    ]
