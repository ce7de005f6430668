"""One id per request, in its response, its error page and every log line it
causes; log lines as JSON, one per event, traceback included, for a collector."""

from __future__ import annotations

import json
import logging
import re
import uuid
from contextvars import ContextVar
from datetime import UTC, datetime

from django.conf import settings

RESPONSE_HEADER = "X-Request-ID"
# What a proxy's id may look like to be kept: short, and nothing that could
# break a log line, a header or the error page that shows it.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="")


def incoming_request_id(request) -> str:
    """The id the trusted proxy sent (settings.RELIEF_REQUEST_ID_HEADER names its
    header; unset, no client may choose one), when it is a safe token."""
    header = settings.RELIEF_REQUEST_ID_HEADER
    sent = request.headers.get(header, "") if header else ""
    return sent if SAFE_REQUEST_ID.fullmatch(sent) else ""


class RequestIDMiddleware:
    """First in MIDDLEWARE, so the error Django logs for an unhandled exception,
    and the 500 handler, run while the id is set."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = incoming_request_id(request) or uuid.uuid4().hex
        token = current_request_id.set(request.request_id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[RESPONSE_HEADER] = request.request_id
        return response


class JSONFormatter(logging.Formatter):
    """A JSON object per record on one line: time, level, logger, message, the
    request id when there is one, and the traceback as one string."""

    def format(self, record: logging.LogRecord) -> str:
        event = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
        }
        if request_id := current_request_id.get():
            event["request_id"] = request_id
        if record.exc_info:
            event["traceback"] = self.formatException(record.exc_info)
        if record.stack_info:
            event["stack"] = self.formatStack(record.stack_info)
        return json.dumps(event, default=str)
