from django.core.management.base import BaseCommand

from search.terms.recording import purge_search_terms, retention_days


class Command(BaseCommand):
    help = (
        "Delete search-term counts older than "
        'RELIEF_SEARCH["SEARCH_TERMS_RETENTION_DAYS"] (90 days by default).'
    )

    def handle(self, *args, **options):
        deleted = purge_search_terms()
        self.stdout.write(
            f"Deleted {deleted} search-term days older than {retention_days()} days."
        )
