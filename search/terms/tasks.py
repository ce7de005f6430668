"""The retention purge as a django-tasks task, for a scheduler to enqueue
daily (or run `manage.py purge_search_terms` from cron)."""

from django_tasks import task

from search.terms.recording import purge_search_terms


@task()
def purge_old_search_terms() -> int:
    return purge_search_terms()
