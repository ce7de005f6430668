"""The index's health in the admin, for search managers: what `search_index
status` reports, read through the same search.status, and a Repair button
that queues `search_index sync` for the task worker and follows its progress.
A server that is down is reported, with the outbox the database still knows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.contrib.auth.mixins import PermissionRequiredMixin
from django.http import HttpRequest
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.generic import TemplateView, View
from django_tasks import TaskResult, TaskResultStatus
from django_tasks.exceptions import TaskResultDoesNotExist
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from search import embeddings
from search.engine import (
    EngineMismatch,
    SearchNotConfigured,
    SearchUnavailable,
    is_unavailable,
)
from search.indexing import check_server, describe_error
from search.status import index_is_current, index_status, outbox_status
from search.tasks import repair_index

MANAGE_PERMISSION = "relief_search.manage_search_index"
# The user's last Repair, kept in the session to show its progress.
REPAIR_SESSION_KEY = "relief_search_repair"
# The page reloads itself this often while the repair waits or runs.
REFRESH_SECONDS = 5
STALE_PAGES_SHOWN = 20


def read_health() -> dict:
    """The index status, or why the server cannot give it and the database's
    side of it alone."""
    try:
        check_server()
        status = index_status()
    except Exception as exc:
        if not (isinstance(exc, EngineMismatch) or is_unavailable(exc)):
            raise
        return {
            "status": None,
            "outbox": outbox_status(),
            "unavailable": unavailable_reason(exc),
        }
    return {
        "status": status,
        "outbox": status.outbox,
        "unavailable": "",
        "schema_current": index_is_current(indexes=status.indexes),
        "stale_pages": sorted(status.stale)[:STALE_PAGES_SHOWN],
    }


def unavailable_reason(exc: Exception) -> str:
    if isinstance(exc, SearchUnavailable | SearchNotConfigured | EngineMismatch):
        return str(exc)
    return f"The search server stopped answering: {describe_error(exc)}"


@dataclass
class RepairProgress:
    status: str
    requested_at: datetime | None
    outcome: dict | None
    error: str

    @property
    def waiting(self) -> bool:
        return self.status in (TaskResultStatus.READY, TaskResultStatus.RUNNING)

    @property
    def label(self) -> str:
        return TaskResultStatus(self.status).label


def result_as_dict(*, result: TaskResult, requested_at: str) -> dict:
    """What the session keeps of a repair's task result (JSON only)."""
    failed = result.status == TaskResultStatus.FAILED
    return {
        "id": result.id,
        "status": result.status,
        "requested_at": requested_at,
        "outcome": (
            result.return_value
            if result.status == TaskResultStatus.SUCCESSFUL
            else None
        ),
        # The traceback's last line: the exception and its message.
        "error": result.errors[-1].traceback.strip().splitlines()[-1]
        if failed and result.errors
        else "",
    }


def repair_progress(*, request: HttpRequest) -> RepairProgress | None:
    """The user's last repair, asked again of the task backend while it is
    unfinished and the backend can tell (a worker's database backend can; a
    backend that runs tasks at once had the outcome when it was queued)."""
    saved = request.session.get(REPAIR_SESSION_KEY)
    if saved is None:
        return None
    unfinished = saved["status"] in (TaskResultStatus.READY, TaskResultStatus.RUNNING)
    if unfinished and repair_index.get_backend().supports_get_result:
        try:
            result = repair_index.get_result(saved["id"])
        except TaskResultDoesNotExist:
            result = None
        if result is not None:
            saved = result_as_dict(result=result, requested_at=saved["requested_at"])
            request.session[REPAIR_SESSION_KEY] = saved
    return RepairProgress(
        status=saved["status"],
        requested_at=parse_datetime(saved["requested_at"]),
        outcome=saved["outcome"],
        error=saved["error"],
    )


class IndexHealthView(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    permission_required = MANAGE_PERMISSION
    raise_exception = True
    page_title = "Search index health"
    header_icon = "search"
    template_name = "search/admin/index_health.html"

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        repair = repair_progress(request=self.request)
        return {
            **context,
            **read_health(),
            "repair": repair,
            "refresh_seconds": REFRESH_SECONDS if repair and repair.waiting else None,
            "semantic_search": embeddings.is_enabled(),
        }


class RepairIndexView(PermissionRequiredMixin, View):
    """Queue the repair; the health page follows it."""

    permission_required = MANAGE_PERMISSION
    raise_exception = True
    http_method_names = ["post"]

    def post(self, request: HttpRequest):
        requested_at = timezone.now().isoformat()
        try:
            result = repair_index.enqueue()
        except Exception as exc:
            messages.error(
                request, f"The repair could not be queued: {describe_error(exc)}"
            )
            return redirect("search_index_health")
        request.session[REPAIR_SESSION_KEY] = result_as_dict(
            result=result, requested_at=requested_at
        )
        messages.success(request, "Repair queued: the index is brought in line.")
        return redirect("search_index_health")
