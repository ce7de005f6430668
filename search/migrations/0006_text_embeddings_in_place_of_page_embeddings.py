"""Vectors move into the search index; the database keeps only a cache of
embeddings keyed by model and text, which serves every page that has the text."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("relief_search", "0005_section_embeddings"),
    ]

    operations = [
        migrations.CreateModel(
            name="TextEmbedding",
            fields=[
                (
                    "key",
                    models.CharField(max_length=64, primary_key=True, serialize=False),
                ),
                ("vector", models.BinaryField()),
            ],
        ),
        migrations.DeleteModel(name="ArticleEmbedding"),
        migrations.DeleteModel(name="SectionEmbedding"),
    ]
