"""A small cache-based limiter for the anonymous read side: each client address
gets a number of requests per window and scope (search, autocomplete, related),
so no one reader can keep the search server or the database busy.

Counts live in the cache RELIEF_THROTTLE_CACHE names (default: "default"),
which every server process must share (the site's is a database table, or
Redis in production with REDIS_URL): a cache per process would give each
process a budget of its own.
"""

from __future__ import annotations

import functools
import hashlib
import ipaddress
import math
import time

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string

from blog.api_errors import api_error

PERIODS = {"second": 1, "minute": 60, "hour": 3600, "day": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'30/minute' -> (30, 60)."""
    count, period = rate.split("/")
    return int(count), PERIODS[period.strip().rstrip("s")]


def client_address(request: HttpRequest) -> str:
    """REMOTE_ADDR, or the header a trusted proxy sets (RELIEF_CLIENT_IP_HEADER):
    its last value, the address the proxy itself saw, since clients can write
    any values before it."""
    header = getattr(settings, "RELIEF_CLIENT_IP_HEADER", "")
    key = "HTTP_" + header.upper().replace("-", "_")
    if header and (address := request.META.get(key, "").split(",")[-1].strip()):
        return address
    return request.META.get("REMOTE_ADDR", "")


def client_key(address: str) -> str:
    """Who is counted: an IPv4 address, an IPv6 address's /64 (one host or home
    network holds a whole /64, so its addresses are one reader), and for text
    that is no address (an empty or misconfigured header) a digest of it, so
    the cache key stays short and plain for every cache."""
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return "unparsed-" + hashlib.sha256(address.encode()).hexdigest()[:32]
    if ip.version == 6 and ip.ipv4_mapped:
        return str(ip.ipv4_mapped)
    if ip.version == 6:
        return str(ipaddress.ip_network(f"{ip}/64", strict=False))
    return str(ip)


def seconds_to_wait(*, scope: str, request: HttpRequest) -> int:
    """0 while the address is within its budget for the scope, else how long
    until its window ends. Fixed windows: one cache add and one increment."""
    rate = getattr(settings, "RELIEF_THROTTLES", {}).get(scope)
    if not rate or request.user.is_authenticated:
        return 0
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    reader = client_key(client_address(request))
    key = f"relief-throttle:{scope}:{reader}:{window}"
    counts = caches[getattr(settings, "RELIEF_THROTTLE_CACHE", "default")]
    counts.add(key, 0, timeout=period)
    if counts.incr(key) <= limit:
        return 0
    return max(1, math.ceil((window + 1) * period - now))


def throttle_response(*, wait: int, as_json: bool) -> HttpResponse:
    """The JSON error, or the site's page for a reader (429.html)."""
    if as_json:
        message = f"Too many requests. Try again in {wait} seconds."
        response = api_error(message=message, status=429)
    else:
        page = render_to_string("429.html", {"wait": wait})
        response = HttpResponse(page, status=429)
    response["Retry-After"] = str(wait)
    return response


def throttled(scope: str, *, as_json: bool = True):
    """Answer 429 with Retry-After once the reader's budget for `scope` is spent."""

    def decorate(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if wait := seconds_to_wait(scope=scope, request=request):
                return throttle_response(wait=wait, as_json=as_json)
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
