import datetime

from django.db import migrations, models


def fill_next_review_due(apps, schema_editor):
    """Articles reviewed before the field existed are due after the interval."""
    from blog.conf import review_interval_days

    ArticlePage = apps.get_model("relief_blog", "ArticlePage")
    interval = datetime.timedelta(days=review_interval_days())
    for page in ArticlePage.objects.filter(
        last_reviewed__isnull=False, next_review_due__isnull=True
    ).only("pk", "last_reviewed"):
        ArticlePage.objects.filter(pk=page.pk).update(
            next_review_due=page.last_reviewed + interval
        )


class Migration(migrations.Migration):

    dependencies = [
        ('relief_blog', '0003_therapy_comparison_columns'),
    ]

    operations = [
        migrations.AddField(
            model_name='articlepage',
            name='next_review_due',
            field=models.DateField(blank=True, help_text="Left empty, or when the last-reviewed date changes: the last-reviewed date plus the site's review interval.", null=True),
        ),
        migrations.RunPython(fill_next_review_due, migrations.RunPython.noop),
    ]
