"""Peer baselines (issue 12): Wagtail's own search, as a Wagtail site owner gets
it, ranked on Relief's queries and articles in the same run.

- "Wagtail (search backend)": Wagtail's backend for the server Relief uses
  (modelsearch `opensearch2` on OpenSearch, `elasticsearch8` on Elasticsearch),
  on the same server with an index prefix of its own (`peer` in
  cms.settings.bench), filled by `update_index --backend peer`.
- "Wagtail (database)": Wagtail's database backend, which Relief falls back to
  (SQLite FTS5 in the bench databases), filled by `update_index --backend default`.

Both answer `ArticlePage.objects.live().public().search(query)` over
ArticlePage.search_fields, with Wagtail's defaults for everything else.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from bench.ranking import DEPTH, RankedHit

# Relief's search API answers 10 hits a page by default; the Wagtail request
# asks for as many.
API_LIMIT = 10


@dataclass(frozen=True)
class Peer:
    key: str
    label: str
    backend: str


PEERS = (
    Peer(key="wagtail-search", label="Wagtail (search backend)", backend="peer"),
    Peer(key="wagtail-database", label="Wagtail (database)", backend="default"),
)
LABELS = {peer.key: peer.label for peer in PEERS}


def configured_peers() -> tuple[Peer, ...]:
    """The peers whose Wagtail backend is configured (the search backend needs
    a search server)."""
    from django.conf import settings

    return tuple(p for p in PEERS if p.backend in settings.WAGTAILSEARCH_BACKENDS)


def index_peers(*, peers: tuple[Peer, ...]) -> dict[str, dict]:
    """Each peer's index built as Wagtail builds it, timed."""
    from django.core.management import call_command

    from blog.models import ArticlePage

    count = ArticlePage.objects.live().count()
    built = {}
    for peer in peers:
        started = time.perf_counter()
        call_command("update_index", backend_name=peer.backend, verbosity=0)
        seconds = time.perf_counter() - started
        built[peer.key] = {
            "how": f"manage.py update_index --backend {peer.backend}",
            "seconds": seconds,
            "articles": count,
            "rate": count / seconds,
        }
    return built


def search_peer(*, peer: Peer, query: str, depth: int = DEPTH):
    from blog.models import ArticlePage

    return (
        ArticlePage.objects.live().public().search(query, backend=peer.backend)[:depth]
    )


def peer_ranker(*, peer: Peer):
    """A ranking function over the peer's article hits, for eval.rank_all."""

    def rank(*, query: str) -> list[RankedHit]:
        return [
            RankedHit(page_id=page.pk, anchor="")
            for page in search_peer(peer=peer, query=query)
        ]

    return rank


def describe_peers(*, peers: tuple[Peer, ...]) -> list[str]:
    """How each peer was configured, for the reports."""
    from django.conf import settings
    from wagtail.search import index

    from blog.models import ArticlePage

    fields = ", ".join(
        describe_field(f)
        for f in ArticlePage.search_fields
        if isinstance(f, index.SearchField | index.RelatedFields)
    )
    lines = []
    for peer in peers:
        config = {
            k: v
            for k, v in settings.WAGTAILSEARCH_BACKENDS[peer.backend].items()
            if k != "URLS"
        }
        lines.append(
            f"- {peer.label}: `WAGTAILSEARCH_BACKENDS[{peer.backend!r}]` = {config}"
        )
    lines.append(
        "- Both: `ArticlePage.objects.live().public().search(query)` (Wagtail's "
        "default operator `or`, ordered by relevance) over ArticlePage.search_fields: "
        f"{fields}; indexed with `update_index`."
    )
    return lines


def describe_field(field) -> str:
    from wagtail.search import index

    if isinstance(field, index.RelatedFields):
        inner = ", ".join(describe_field(f) for f in field.fields)
        return f"{field.field_name} -> [{inner}]"
    boost = getattr(field, "boost", None)
    return f"{field.field_name}" + (f"^{boost}" if boost and boost != 1 else "")


# The same kind of request in make bench ------------------------------------------


def as_default_backend(*, peer: Peer) -> dict:
    """WAGTAILSEARCH_BACKENDS with the peer as the default, the backend
    Wagtail's pages API searches (`/api/v2/pages/?search=`)."""
    from django.conf import settings

    backends = settings.WAGTAILSEARCH_BACKENDS
    return {**backends, "default": backends[peer.backend]}


def wagtail_client_search(*, peer: Peer) -> tuple[type, object]:
    """(the client class whose search() the peer's backend calls, a replay of a
    request with Relief's long-lived client). Wagtail makes a client per search,
    so a recorder wraps the class, not an instance."""
    from wagtail.search.backends import get_search_backend

    from search.engine import get_engine

    client_class = type(get_search_backend(peer.backend).es)
    original, replay_client = client_class.search, get_engine().client

    def replay(**request):
        return original(replay_client, **request)

    return client_class, replay
