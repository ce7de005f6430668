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
            if k not in ("URLS", "INDEX_PREFIX")
        }
        if "INDEX_PREFIX" in settings.WAGTAILSEARCH_BACKENDS[peer.backend]:
            config["INDEX_PREFIX"] = "<Relief's index prefix>-wagtail-"
        lines.append(
            f"- {peer.label}: `WAGTAILSEARCH_BACKENDS[{peer.backend!r}]` = {config}"
        )
    lines.append(
        "- Query: `ArticlePage.objects.live().public().search(query)` (Wagtail's "
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


# The extra systems in make eval ---------------------------------------------------


def peer_systems(*, reuse: bool) -> tuple[dict, dict]:
    """({system: ranking function}, facts) for every configured peer, each
    indexed with update_index first unless an earlier run's index is reused."""
    peers = configured_peers()
    facts = {
        "peer_index": {} if reuse else index_peers(peers=peers),
        "peer_config": describe_peers(peers=peers),
    }
    return {peer.key: peer_ranker(peer=peer) for peer in peers}, facts


def compare_peers(*, scored: dict, qids: list[str], metric: str) -> dict:
    """Each peer's mean and the paired comparison Relief - peer, as for BM25."""
    from bench.significance import compare

    relief = scored["systems"]["relief"]["per_query"]
    return {
        key: {
            "score": system[metric],
            "comparison": compare(
                ours=[relief[q][metric] for q in qids],
                theirs=[system["per_query"][q][metric] for q in qids],
            ),
        }
        for key, system in scored["systems"].items()
        if key in LABELS
    }


def peer_section(*, rows: list[dict], results: dict) -> list[str]:
    """The report's comparison with Wagtail's own search, and how it was set up."""
    from bench import common

    keys = [p.key for p in PEERS if any(p.key in r["peers"] for r in rows)]
    if not keys:
        return []
    header = ["setting", "metric", "Relief", "BM25"]
    for key in keys:
        header += [LABELS[key], "delta", "95% CI", "p"]
    table = []
    for row in (r for r in rows if r["peers"]):
        cells = [row["setting"], row["metric"], row["relief"], row["bm25"]]
        for key in keys:
            peer = row["peers"].get(key)
            c = peer and peer["comparison"]
            cells += (
                [
                    peer["score"],
                    f"{c.delta:+.4f}",
                    f"[{c.low:+.3f}, {c.high:+.3f}]",
                    f"{c.p_value:.4f}",
                ]
                if peer
                else ["-"] * 4
            )
        table.append(cells)
    config = next(
        (r["peer_config"] for r in results.values() if r.get("peer_config")), []
    )
    return [
        "## Relief beside Wagtail's own search",
        "",
        "Article level (Wagtail ranks pages, not sections). Delta = Relief - the "
        "Wagtail row, with the same bootstrap interval and paired randomisation test "
        "as for BM25.",
        "",
        common.markdown_table(header, table),
        "",
        "How the Wagtail rows were configured:",
        "",
        *config,
        "",
    ]


def peer_history(*, rows: list[dict]) -> dict:
    figures = {}
    for row in rows:
        for key, peer in row["peers"].items():
            name = f"{row['setting']}:{row['metric']}:{key}"
            figures[name] = round(peer["score"], 4)
            figures[f"{name}:p"] = round(peer["comparison"].p_value, 4)
    return figures


def peer_index_facts(*, facts: dict) -> str:
    built = facts.get("peer_index") or {}
    return "".join(
        f"; {LABELS[key]} {b['how']} {b['seconds']:.1f} s ({b['rate']:.0f} articles/s)"
        for key, b in built.items()
    )


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
