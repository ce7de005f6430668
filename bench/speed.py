"""Speed figures (`make bench`): the search server's start-up time and memory,
rebuild against raw bulk, document preparation, search/autocomplete/related
latency against the raw request to the search server, Wagtail's own search
(bench/peers.py) through the same kind of request, article detail latency and
SQL counts, publish-to-searchable delay and 8-client throughput, over a
synthetic corpus grown to each sweep size.

    python bench/speed.py [--sizes 1000,5000,20000] [--samples 60] [--name bench]

Starts the embedded search server (RELIEF_SEARCH_ENGINE, OpenSearch under
`make bench` when Java is there) unless ELASTICSEARCH_URL names one. Figures are
printed and written to bench/results/; nothing asserts on time.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402

QUERIES = (
    "back pain exercises",
    "physical therapy vs occupational therapy",
    "migraine",
    "knee osteoarthritis stretches",
    "sciatica",
    "how long does recovery take",
    "fibromyalgia sleep",
    "neck pain at work",
    "massage therapy",
    "nerve pain",
)
PREFIXES = ("ba", "phys", "mig", "kne", "sci", "fib", "neck", "mass", "acu", "yog")
CLIENTS = 8
THROUGHPUT_SECONDS = 10
WARM_UP_SECONDS = 4
PUBLISH_TRIES = 5
PUBLISH_TIMEOUT_S = 15.0


def timed_ms(fn) -> tuple[float, object]:
    started = time.perf_counter()
    value = fn()
    return (time.perf_counter() - started) * 1000, value


# Capturing the request the project sends -----------------------------------------


class RequestRecorder:
    """Wraps `owner.search` (the engine's, or a client class's for Wagtail),
    and `owner.msearch` where it has one, to keep the call and keyword
    arguments of the main request sent since the last replay, so the same
    request can be replayed raw with `replay_ms`. The main request is the
    largest: a reader's search sends the best keyword score first, then the
    search itself with the spelling check beside it in one multi-search."""

    def __init__(self, *, owner, replay=None):
        self.owner = owner
        self.originals = {
            name: getattr(owner, name)
            for name in ("search", "msearch")
            if hasattr(owner, name)
        }
        # A custom replay stands in for the owner's search.
        self.replays = {**self.originals, **({"search": replay} if replay else {})}
        self.last: tuple[str, dict] | None = None

    def __enter__(self):
        for name, original in self.originals.items():

            def recording(*args, name=name, original=original, **kwargs):
                if self.last is None or request_size(kwargs) > request_size(
                    self.last[1]
                ):
                    self.last = (name, kwargs)
                return original(*args, **kwargs)

            setattr(self.owner, name, recording)
        return self

    def __exit__(self, *exc):
        for name, original in self.originals.items():
            setattr(self.owner, name, original)

    def replay_ms(self) -> float:
        (name, request), self.last = self.last or ("search", {}), None
        return timed_ms(lambda: self.replays[name](**dict(request)))[0]


def request_size(kwargs: dict) -> int:
    return len(json.dumps(kwargs, default=str))


def paired_latency(*, call, samples: int, label: str, recorder=None) -> dict:
    """Latency of `call` (the project, or Wagtail with its own recorder) and of
    replaying the raw search request it sent, interleaved so both see the same
    server state."""
    from search.engine import get_engine

    project, raw, errors = [], [], 0
    with recorder or RequestRecorder(owner=get_engine()) as recorder:
        for n in range(samples):
            try:
                ms, _ = timed_ms(lambda n=n: call(n))
            except Exception as exc:  # noqa: BLE001 - counted and reported
                errors += 1
                if errors == 1:
                    print(f"{label}: {exc.__class__.__name__}: {exc}", flush=True)
                continue
            project.append(ms)
            if recorder.last is not None:
                raw.append(recorder.replay_ms())
    result = {
        "project": common.percentiles(project),
        "raw": common.percentiles(raw),
        "errors": errors,
        "samples_project": project,
        "samples_raw": raw,
    }
    if project and raw:
        result["added"] = {
            k: result["project"][k] - result["raw"][k] for k in ("p50", "p95", "p99")
        }
    return result


def search_latency(*, samples: int) -> dict:
    from django.test import Client

    client = Client()

    def api(n):
        response = client.get("/api/v2/search/", {"q": QUERIES[n % len(QUERIES)]})
        if response.status_code != 200:
            raise RuntimeError(f"/api/v2/search/ answered {response.status_code}")
        if response.json().get("backend") == "database":
            raise RuntimeError("search fell back to the database")

    def autocomplete(n):
        response = client.get(
            "/api/v2/search/autocomplete/", {"q": PREFIXES[n % len(PREFIXES)]}
        )
        if response.status_code != 200:
            raise RuntimeError(f"autocomplete answered {response.status_code}")

    return {
        "search_api": paired_latency(call=api, samples=samples, label="search API"),
        "autocomplete_api": paired_latency(
            call=autocomplete, samples=samples, label="autocomplete API"
        ),
    }


def wagtail_search_latency(*, samples: int) -> dict:
    """Wagtail's own search on its backend for this server, through Wagtail's
    pages API (`?type=...&search=`) with that backend as the default: the
    request a Wagtail site serves, as many hits as Relief's search API."""
    from django.test import Client, override_settings

    from bench.peers import API_LIMIT, PEERS, as_default_backend, wagtail_client_search

    peer = PEERS[0]
    client_class, replay = wagtail_client_search(peer=peer)
    client = Client()

    def api(n):
        response = client.get(
            "/api/v2/pages/",
            {
                "type": "relief_blog.ArticlePage",
                "search": QUERIES[n % len(QUERIES)],
                "limit": API_LIMIT,
            },
        )
        if response.status_code != 200:
            raise RuntimeError(
                f"/api/v2/pages/?search= answered {response.status_code}"
            )

    with override_settings(WAGTAILSEARCH_BACKENDS=as_default_backend(peer=peer)):
        return paired_latency(
            call=api,
            samples=samples,
            label="Wagtail search API",
            recorder=RequestRecorder(owner=client_class, replay=replay),
        )


def related_latency(*, samples: int) -> dict:
    from blog.models import ArticlePage

    ids = list(
        ArticlePage.objects.live().order_by("?").values_list("pk", flat=True)[:samples]
    )
    from django.test import Client

    client = Client()

    def related(n):
        response = client.get(f"/api/v2/pages/{ids[n % len(ids)]}/related/")
        if response.status_code != 200:
            raise RuntimeError(f"related API answered {response.status_code}")

    return paired_latency(call=related, samples=samples, label="related API")


def article_view_latency(*, samples: int) -> dict:
    """An article page as a reader gets it, over the same articles: cold (its
    related list not kept yet: the search server is asked) and warm (the next
    view, from the cache), with the search requests each sent."""
    from unittest import mock

    from django.core.cache import cache
    from django.test import Client

    from blog.models import ArticlePage
    from search.engine import get_engine

    pages = list(ArticlePage.objects.live().order_by("?")[:samples])
    client = Client()
    times = {"cold": [], "warm": []}
    sent = {"cold": 0, "warm": 0}
    transport = get_engine().client.transport
    with mock.patch.object(
        transport, "perform_request", wraps=transport.perform_request
    ) as requests:
        for page in pages:
            cache.clear()  # this process's own cache: nothing else uses it
            for state in ("cold", "warm"):
                requests.reset_mock()
                ms, response = timed_ms(lambda page=page: client.get(page.url))
                if response.status_code != 200:
                    raise RuntimeError(f"{page.url} answered {response.status_code}")
                times[state].append(ms)
                sent[state] += requests.call_count
    result = {
        state: {
            **common.percentiles(times[state]),
            "search_requests_per_view": sent[state] / max(len(pages), 1),
        }
        for state in times
    }
    print(
        f"article view cold p50 {result['cold']['p50']:.1f} / p95 "
        f"{result['cold']['p95']:.1f} ms, warm p50 {result['warm']['p50']:.1f} / "
        f"p95 {result['warm']['p95']:.1f} ms",
        flush=True,
    )
    return result


# Semantic search's cost ----------------------------------------------------------


def rerank_cost(*, samples: int) -> dict:
    """The reader's search with semantic search and without it, interleaved
    query by query, and what meaning added to each (embedding the query beside
    the best-keyword-score request, the neighbours, the fused rescore and the
    sections' cosines). Kept as `rerank` in the results, as earlier runs are."""
    from django.conf import settings
    from django.test import override_settings

    from search.embeddings import encoder
    from search.params import SearchParams
    from search.query import search_articles

    encoder()  # loaded once per process, at start-up in a server
    switched = {
        on: {**settings.RELIEF_SEARCH, "SEMANTIC_RERANK": on} for on in (True, False)
    }
    on_ms, off_ms, added = [], [], []
    for n in range(samples):
        params = SearchParams(query=QUERIES[n % len(QUERIES)])
        timings = {}
        for on in (False, True):
            with override_settings(RELIEF_SEARCH=switched[on]):
                timings[on], _ = timed_ms(lambda p=params: search_articles(params=p))
        off_ms.append(timings[False])
        on_ms.append(timings[True])
        added.append(timings[True] - timings[False])
    query_ms = [
        timed_ms(lambda n=n: encoder().encode([QUERIES[n % len(QUERIES)]]))[0]
        for n in range(samples)
    ]
    result = {
        "on": common.percentiles(on_ms),
        "off": common.percentiles(off_ms),
        "added": common.percentiles(added),
        "query_embedding": common.percentiles(query_ms),
    }
    print(
        f"semantic search added p50 {result['added']['p50']:.1f} ms, p95 "
        f"{result['added']['p95']:.1f} ms (query embedding p50 "
        f"{result['query_embedding']['p50']:.1f} ms)",
        flush=True,
    )
    return result


# Recording search terms ----------------------------------------------------------


def recording_cost(*, samples: int) -> dict:
    """The search API with search-term recording on and off, interleaved query
    by query. Django's test client runs the response's closers, and so the
    recording, inside the timed call: an upper bound on what a reader waits."""
    from django.conf import settings
    from django.test import Client, override_settings

    client = Client()
    switched = {
        on: {**settings.RELIEF_SEARCH, "RECORD_SEARCH_TERMS": on}
        for on in (True, False)
    }
    times = {True: [], False: []}
    for n in range(samples):
        for on in (False, True):
            with override_settings(RELIEF_SEARCH=switched[on]):
                ms, response = timed_ms(
                    lambda n=n: client.get(
                        "/api/v2/search/", {"q": QUERIES[n % len(QUERIES)]}
                    )
                )
            if response.status_code == 200:
                times[on].append(ms)
    result = {
        "on": common.percentiles(times[True]),
        "off": common.percentiles(times[False]),
    }
    print(
        f"search API with search terms recorded p50 {result['on']['p50']:.1f} / "
        f"p95 {result['on']['p95']:.1f} ms, not recorded p50 "
        f"{result['off']['p50']:.1f} / p95 {result['off']['p95']:.1f} ms",
        flush=True,
    )
    return result


# Zero-result searches against normal ones --------------------------------------------

# Words no synthetic article holds, some a typo away from words of every summary
# (which, unlike titles and headings, are matched without typo tolerance): each
# search finds nothing, and the typos also cost a "did you mean" and its check.
ZERO_RESULT_QUERIES = (
    "zqxwv plorth",
    "expcet clinicain",
    "clinicain",
    "expectt clinnician",
    "brumbly quaxen",
)


def zero_result_cost(*, samples: int) -> dict:
    """Latency of the reader search for queries that find nothing against
    QUERIES, interleaved; the issue's budget is a p50 ratio of 2 or less."""
    from search.params import SearchParams
    from search.query import search_articles

    figures = {"normal": [], "zero": []}
    totals = {"zero": 0, "suggested": 0}
    for n in range(samples):
        ms, _ = timed_ms(
            lambda n=n: search_articles(params=SearchParams(query=QUERIES[n % 10]))
        )
        figures["normal"].append(ms)
        query = ZERO_RESULT_QUERIES[n % len(ZERO_RESULT_QUERIES)]
        ms, results = timed_ms(lambda q=query: search_articles(params=SearchParams(q)))
        if results.total == 0:
            figures["zero"].append(ms)
            totals["zero"] += 1
            totals["suggested"] += bool(results.suggestion)
    normal, zero = (common.percentiles(figures[k]) for k in ("normal", "zero"))
    ratio = zero["p50"] / normal["p50"] if figures["zero"] else None
    print(
        f"zero-result search p50 {zero.get('p50', 0):.1f} ms against "
        f"{normal['p50']:.1f} ms normal (x{ratio or 0:.2f}; {totals['zero']} "
        f"zero-result samples, {totals['suggested']} with a suggestion)",
        flush=True,
    )
    return {"normal": normal, "zero": zero, "p50_ratio": ratio, **totals}


# Rebuild against raw bulk ---------------------------------------------------------


def raw_bulk_seconds(*, docs: list[dict]) -> float:
    """The documents sent with the client's bulk helper into a fresh index,
    refreshed: the server's own rate for them."""
    from search.engine import get_engine
    from search.indexing import create_concrete_index

    index = create_concrete_index(suffix="rawbulk")
    engine = get_engine()
    try:
        actions = [
            {"_index": index, "_id": str(d["page_id"]), "_source": d} for d in docs
        ]
        started = time.perf_counter()
        engine.bulk(actions=actions, refresh=False, chunk_size=500)
        engine.refresh(index=index)
        return time.perf_counter() - started
    finally:
        engine.delete_index(name=index)


def rebuild_figures(*, fill_vectors_too: bool = True) -> dict:
    """The rebuild twice: by keyword only (semantic search off, as on a first
    build with nothing embedded yet: what Wagtail's update_index also writes),
    then as configured, with the vectors the embedding cache holds; each
    beside a raw bulk of the documents it writes."""
    import copy

    from django.conf import settings
    from django.db import connection
    from django.test import override_settings
    from django.test.utils import CaptureQueriesContext

    from search.documents import VECTOR_FIELD, ArticleDocument
    from search.indexing import BATCH_SIZE
    from search.rebuild import indexable_chunks
    from search.vectors import attach_vectors

    started = time.perf_counter()
    # Prepared as the rebuild prepares them: its chunks, inside its preload of
    # the taxonomy the bodies pick from (without it, a query per article).
    with CaptureQueriesContext(connection) as queries, ArticleDocument.preparing_many():
        docs = [
            ArticleDocument.prepare(p)
            for _, pages in indexable_chunks(batch_size=BATCH_SIZE, versioned=False)
            for p in pages
        ]
    prep_seconds = time.perf_counter() - started
    count = len(docs)
    keyword_only = {**settings.RELIEF_SEARCH, "SEMANTIC_RERANK": False}
    with override_settings(RELIEF_SEARCH=keyword_only):
        keyword = common.rebuild_index(fill_vectors_too=False)
        keyword_raw = raw_bulk_seconds(docs=docs)
    # The rebuild's load writes the vectors the cache holds when it starts
    # (read before its fill), and so does the raw bulk.
    with_vectors = copy.deepcopy(docs)
    attach_vectors(documents=with_vectors)
    rebuild = common.rebuild_index(fill_vectors_too=fill_vectors_too)
    raw_seconds = raw_bulk_seconds(docs=with_vectors)
    return {
        "articles": count,
        "keyword_rebuild": keyword,
        "keyword_raw_bulk": {"seconds": keyword_raw, "rate": count / keyword_raw},
        "keyword_vs_raw": keyword["rate"] / (count / keyword_raw),
        "rebuild": rebuild,
        "raw_bulk": {
            "seconds": raw_seconds,
            "rate": count / raw_seconds,
            "articles_with_vector": sum(1 for d in with_vectors if VECTOR_FIELD in d),
        },
        "rebuild_vs_raw": rebuild["rate"] / (count / raw_seconds),
        "prep_ms_per_article": prep_seconds * 1000 / count,
        "sql_per_article": len(queries.captured_queries) / count,
        "sql_total": len(queries.captured_queries),
    }


# Article detail --------------------------------------------------------------------


def detail_pages() -> dict:
    """Articles with 1, 10 and 50 blocks and 1 or 5 authors and topics, published
    through the editor path; reused when they exist."""
    import random

    from blog.models import ArticlePage, ArticlePageAuthor, Author, PainTopic
    from home.management.commands.generate_articles import synthetic_body

    parent = common.ensure_site()[1]
    pages = {}
    rng = random.Random(7)
    for blocks in (1, 10, 50):
        for people in (1, 5):
            slug = f"detail-{blocks}-blocks-{people}-authors"
            page = ArticlePage.objects.filter(slug=slug).first()
            if page is None:
                body = (synthetic_body(rng, sections=25) * 3)[:blocks]
                page = ArticlePage(
                    title=slug.replace("-", " ").capitalize(),
                    slug=slug,
                    summary="Detail page for the benchmark.",
                    body=body,
                    live=False,
                )
                authors = [
                    Author.objects.get_or_create(
                        slug=f"detail-author-{n}",
                        defaults={"name": f"Detail Author {n}"},
                    )[0]
                    for n in range(people)
                ]
                page.article_authors = [
                    ArticlePageAuthor(author=a, sort_order=i)
                    for i, a in enumerate(authors)
                ]
                page.topics = list(PainTopic.objects.all()[:people])
                parent.add_child(instance=page)
                page.save_revision().publish()
            pages[(blocks, people)] = page
    return pages


def detail_latency(*, samples: int) -> list[dict]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    rows = []
    for (blocks, people), page in detail_pages().items():
        for kind, url in (("html", page.url), ("api", f"/api/v2/pages/{page.pk}/")):
            times, status, sql = [], None, None
            for _ in range(samples):
                with CaptureQueriesContext(connection) as queries:
                    ms, response = timed_ms(lambda url=url: client.get(url))
                times.append(ms)
                status, sql = response.status_code, len(queries.captured_queries)
            rows.append(
                {
                    "blocks": blocks,
                    "authors_topics": people,
                    "kind": kind,
                    "status": status,
                    "sql": sql,
                    **common.percentiles(times),
                }
            )
    return rows


# Publish to searchable ---------------------------------------------------------------


def publish_delay() -> dict:
    from blog.models import ArticlePage, ArticlePageAuthor, Author
    from search.params import SearchParams
    from search.query import search_articles

    parent = common.ensure_site()[1]
    author = Author.objects.get_or_create(
        slug="detail-author-0", defaults={"name": "Detail Author 0"}
    )[0]
    delays, misses = [], 0
    for n in range(PUBLISH_TRIES):
        word = f"quokkaflare{int(time.time() * 1000)}x{n}"
        page = ArticlePage(
            title=f"Publish probe {word}",
            slug=word,
            summary=word,
            body=[("rich_text", f"<p>{word}</p>")],
            live=False,
        )
        page.article_authors = [ArticlePageAuthor(author=author, sort_order=0)]
        parent.add_child(instance=page)
        revision = page.save_revision()
        started = time.perf_counter()
        revision.publish()
        found = False
        while time.perf_counter() - started < PUBLISH_TIMEOUT_S:
            results = search_articles(params=SearchParams(query=word))
            if any(int(h.page_id) == page.pk for h in results.hits):
                found = True
                break
            time.sleep(0.01)
        if found:
            delays.append((time.perf_counter() - started) * 1000)
        else:
            misses += 1
        ArticlePage.objects.filter(pk=page.pk).first().unpublish()
    return {
        "found": len(delays),
        "missed": misses,
        "timeout_s": PUBLISH_TIMEOUT_S,
        **common.percentiles(delays),
    }


# Throughput with a real server ----------------------------------------------------


# As README.md's production section serves the site on 2 cores: three worker
# processes (each loads the query encoder, about 110 MB) of two threads, so a
# request waiting on the search server or the database leaves the core to
# another; a request still running after 30 s is a stuck worker.
GUNICORN_WORKERS = 3
GUNICORN_OPTIONS = [
    f"--workers={GUNICORN_WORKERS}",
    "--threads=2",
    "--timeout=30",
]


def server_command(*, server: str, port: int) -> list[str]:
    """The project served by Django's development server, or by gunicorn as
    production serves it."""
    if server == "gunicorn":
        return [
            sys.executable,
            "-m",
            "gunicorn",
            "cms.wsgi",
            *GUNICORN_OPTIONS,
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ]
    return [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]


def load(*, base: str, clients: int, seconds: float):
    """`clients` threads searching the API back to back for `seconds`: the
    counts of good and failed answers, every latency in ms, and the elapsed s."""
    counts = {"ok": 0, "errors": 0}
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def worker(offset: int):
        n = offset
        while time.perf_counter() < deadline:
            query = urllib.request.quote(QUERIES[n % len(QUERIES)])
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(
                    f"{base}/api/v2/search/?q={query}", timeout=30
                ) as response:
                    body = json.loads(response.read())
                    ok = response.status == 200 and (body.get("backend") != "database")
            except (urllib.error.URLError, OSError, ValueError):
                ok = False
            with lock:
                counts["ok" if ok else "errors"] += 1
                latencies.append((time.perf_counter() - started) * 1000)
            n += 1

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts, latencies, time.perf_counter() - started


def throughput(
    *,
    server: str = "runserver",
    clients: int = CLIENTS,
    seconds: float = THROUGHPUT_SECONDS,
) -> dict:
    from search.embedded_search import free_port

    port = free_port()
    env = {**os.environ}
    server_process = subprocess.Popen(
        server_command(server=server, port=port),
        cwd=common.REPO,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_for(f"{base}/api/v2/search/?q=pain")
        # Every worker's first search loads the encoder, and gunicorn hands
        # connections to whichever worker accepts first: a short unmeasured run
        # of the same load warms them all, so the measured run is steady state.
        load(base=base, clients=clients, seconds=WARM_UP_SECONDS)
        counts, latencies, elapsed = load(base=base, clients=clients, seconds=seconds)
    finally:
        server_process.terminate()
        server_process.wait(timeout=10)
    return {
        "server": server,
        "clients": clients,
        "seconds": elapsed,
        **counts,
        "requests_per_s": counts["ok"] / elapsed,
        **common.percentiles(latencies),
    }


def wait_for(url: str, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except urllib.error.HTTPError:
            return
        except (urllib.error.URLError, OSError):
            time.sleep(0.2)
    raise RuntimeError(f"runserver did not answer at {url}")


# Driver -----------------------------------------------------------------------------


def guarded(label: str, fn, *args, **kwargs) -> dict:
    """A figure that cannot be measured on this branch is reported, not fatal."""
    try:
        return fn(*args, **kwargs)
    except Exception as exc:  # noqa: BLE001 - reported in the results
        print(f"{label}: not measured: {exc.__class__.__name__}: {exc}", flush=True)
        return {"not_measured": f"{exc.__class__.__name__}: {exc}"}


def run(args, *, server: dict) -> dict:
    from django.core.management import call_command

    from bench.peers import PEERS, index_peers

    common.ensure_site()
    sweep, at_search_size = [], {}
    for size in args.sizes:
        print(f"== {size} synthetic articles", flush=True)
        started = time.perf_counter()
        call_command("generate_articles", size)
        generated = time.perf_counter() - started
        point = {"size": size, "generate_seconds": generated}
        # Vectors are filled where searches are measured; elsewhere only the
        # keyword rebuild is (the vector fill's time is its embedding's).
        point["rebuild"] = guarded(
            "rebuild", rebuild_figures, fill_vectors_too=size in args.search_sizes
        )
        # Wagtail's own full index of the same pages, beside the rebuild.
        point["wagtail_index"] = guarded(
            "Wagtail update_index", index_peers, peers=PEERS[:1]
        )
        if size in args.search_sizes:
            point.update(search_figures(args))
            point["throughput"] = guarded("throughput", throughput)
            point["throughput_gunicorn"] = guarded(
                "throughput (gunicorn)", throughput, server="gunicorn"
            )
            at_search_size = {
                "size": size,
                "publish": guarded("publish-to-searchable", publish_delay),
            }
        else:
            skipped = {"not_measured": "search figures only at --search-sizes"}
            point["search"] = point["related"] = point["detail"] = skipped
            point["article_view"] = skipped
            point["wagtail"] = skipped
        point["server_rss_mb"] = server_rss_mb(server)
        print(summary_line(point), flush=True)
        sweep.append(point)
    return {"sweep": sweep, "largest": at_search_size}


def search_figures(args) -> dict:
    return {
        # Article pages show related articles from the index, so the detail view
        # is search-dependent too.
        "detail": guarded(
            "detail latency", detail_latency, samples=args.detail_samples
        ),
        "search": guarded("search latency", search_latency, samples=args.samples),
        "rerank": guarded("semantic search", rerank_cost, samples=args.samples),
        "related": guarded("related latency", related_latency, samples=args.samples),
        "article_view": guarded(
            "article view", article_view_latency, samples=args.samples
        ),
        "search_terms": guarded(
            "search terms recording", recording_cost, samples=args.samples
        ),
        "zero_result": guarded(
            "zero-result search", zero_result_cost, samples=args.samples
        ),
        "wagtail": guarded(
            "Wagtail search latency", wagtail_search_latency, samples=args.samples
        ),
    }


def summary_line(point: dict) -> str:
    r = point["rebuild"]
    if "not_measured" in r:
        return f"{point['size']}: rebuild not measured"
    keyword = (
        f"keyword only {r['keyword_rebuild']['rate']:.0f}/s, raw bulk "
        f"{r['keyword_raw_bulk']['rate']:.0f}/s ({r['keyword_vs_raw']:.0%}); "
        if "keyword_rebuild" in r
        else ""
    )
    return (
        f"{point['size']}: rebuild {keyword}with cached vectors "
        f"{r['rebuild']['rate']:.0f}/s, raw bulk "
        f"{r['raw_bulk']['rate']:.0f}/s ({r['rebuild_vs_raw']:.0%}), prep "
        f"{r['prep_ms_per_article']:.2f} ms/article, {r['sql_per_article']:.3f} SQL/article"
    )


def sizes(text: str) -> list[int]:
    return [int(x) for x in text.split(",")]


def parse_args(argv):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--sizes",
        type=sizes,
        help="Corpus sizes of the sweep; default 1000,5000,20000 on a real engine, "
        "100,1000,5000,20000 on the embedded stand-in.",
    )
    parser.add_argument(
        "--search-sizes",
        type=sizes,
        help="Sizes at which search-dependent figures run; default every size on a "
        "real engine, the smallest on the embedded stand-in, which scans every "
        "document per search (tens of seconds per query at 1k).",
    )
    parser.add_argument("--samples", type=int, default=15)
    parser.add_argument("--detail-samples", type=int, default=5)
    parser.add_argument("--name", default="bench")
    return parser.parse_args(argv)


def default_sizes(args, *, stand_in: bool) -> None:
    if args.sizes is None:
        args.sizes = [100, 1000, 5000, 20000] if stand_in else [1000, 5000, 20000]
    if args.search_sizes is None:
        args.search_sizes = args.sizes[:1] if stand_in else args.sizes


@contextlib.contextmanager
def search_server():
    """The server the bench measures: the one ELASTICSEARCH_URL names, or an
    embedded one started here, timed, with its process for memory figures."""
    if os.environ.get("ELASTICSEARCH_URL"):
        yield {"url": os.environ["ELASTICSEARCH_URL"], "embedded": False}
        return
    from search.embedded_search import data_dir_for, default_engine, embedded_server

    engine = default_engine()
    started = time.perf_counter()
    with embedded_server(data_dir_for(engine), engine=engine) as server:
        facts = {
            "embedded": True,
            "engine": engine,
            "describe": f"{server.label} {server.version}",
            "start_seconds": time.perf_counter() - started,
            "pid": server.process.pid,
        }
        facts["rss_mb_at_start"] = server_rss_mb(facts)
        os.environ["ELASTICSEARCH_URL"] = server.url
        os.environ["RELIEF_SEARCH_ENGINE"] = server.engine
        print(f"Embedded search server: {server.describe()}", flush=True)
        yield facts


def server_rss_mb(server: dict) -> float | None:
    """Resident memory of an embedded server's process; None for a cluster."""
    if not server.get("pid"):
        return None
    from search.opensearch_node.__main__ import resident_mb

    return resident_mb(server["pid"])


# The embedding cache outlives the bench database: the corpus is grown the same
# way every run, so a rerun's vector fill embeds nothing new (at 20,000 synthetic
# articles the first fill embeds over 100,000 texts).
EMBEDDING_CACHE = common.VAR / "bench-speed-embeddings.sqlite3"
CACHE_TABLE = "relief_search_textembedding"


def keep_embeddings(*, db: Path) -> None:
    """Copy the bench database's embedding cache into EMBEDDING_CACHE."""
    import sqlite3

    if not db.is_file():
        return
    with contextlib.closing(sqlite3.connect(EMBEDDING_CACHE)) as cache:
        cache.execute(
            f"CREATE TABLE IF NOT EXISTS {CACHE_TABLE} "
            "(key varchar(64) PRIMARY KEY, vector blob)"
        )
        cache.execute("ATTACH DATABASE ? AS bench", (str(db),))
        tables = cache.execute(
            "SELECT name FROM bench.sqlite_master WHERE name = ?", (CACHE_TABLE,)
        ).fetchall()
        if tables:
            cache.execute(
                f"INSERT OR IGNORE INTO {CACHE_TABLE} SELECT key, vector "
                f"FROM bench.{CACHE_TABLE}"
            )
        cache.commit()


def restore_embeddings() -> int:
    """Load EMBEDDING_CACHE into the freshly migrated bench database."""
    from django.db import connection

    if not EMBEDDING_CACHE.is_file():
        return 0
    with connection.cursor() as cursor:
        cursor.execute("ATTACH DATABASE %s AS cache", [str(EMBEDDING_CACHE)])
        cursor.execute(
            f"INSERT OR IGNORE INTO {CACHE_TABLE} (key, vector) "
            f"SELECT key, vector FROM cache.{CACHE_TABLE}"
        )
        restored = cursor.rowcount
        cursor.execute("DETACH DATABASE cache")
    return restored


def main(argv=None) -> int:
    args = parse_args(argv)
    db = common.VAR / "bench-speed.sqlite3"
    keep_embeddings(db=db)
    # The sweep grows the corpus from empty, so every run measures the same sizes.
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    started = time.perf_counter()
    with search_server() as server:
        default_sizes(args, stand_in=server.get("engine") == "elasticsearch")
        common.setup_django(name="speed")
        restored = restore_embeddings()
        print(f"Embedding cache: {restored} texts from earlier runs", flush=True)
        try:
            results = run(args, server=server)
        finally:
            keep_embeddings(db=db)
        results["embeddings_restored"] = restored
    results["wall_seconds"] = time.perf_counter() - started
    results["server"] = server
    from bench.speed_report import write_report

    write_report(results=results, name=args.name)
    return 0


if __name__ == "__main__":
    sys.exit(main())
