"""Add the pairs of the shipped abbreviation lists that the database lacks."""

from django.core.management.base import BaseCommand

from search.abbreviations import SEED_FILES, seed_abbreviations


class Command(BaseCommand):
    help = (
        "Add the shipped abbreviation pairs the list lacks (after a new seed "
        "list ships). Rows already there, seeded or an editor's, are kept as "
        "they are."
    )

    def handle(self, *args, **options):
        added = seed_abbreviations()
        files = ", ".join(path.name for path in SEED_FILES.values())
        self.stdout.write(f"Added {added} abbreviation pairs from {files}.")
