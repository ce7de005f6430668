"""Each difference search/engine.py keeps from the rest of the app, checked on
every engine the suite runs (the engine is in the test id)."""

import base64
import contextlib
import json
import math
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from search.embedded_search import free_port
from search.engine import (
    ELASTICSEARCH,
    OPENSEARCH,
    ElasticsearchEngine,
    EngineMismatch,
    OpenSearchEngine,
    SearchFailed,
    SearchNotConfigured,
    SearchUnavailable,
    get_engine,
    is_not_found,
    is_unavailable,
    responses_of,
)
from search.indexing import bulk_write
from search.relevance import combined_text_query
from search.server import run_search, run_searches


def test_engine_is_read_from_the_server_when_settings_leave_it_empty(
    search_settings, search_engine, settings
):
    settings.RELIEF_SEARCH = {**search_settings, "ENGINE": ""}
    engine = get_engine()
    assert engine.name == search_engine
    assert engine.version[:1].isdigit()


def test_settings_naming_the_other_engine_fail_with_both_names(
    search_settings, search_engine, settings
):
    other = OPENSEARCH if search_engine == ELASTICSEARCH else ELASTICSEARCH
    settings.RELIEF_SEARCH = {**search_settings, "ENGINE": other}
    with pytest.raises(EngineMismatch) as mismatch:
        get_engine()
    assert other in str(mismatch.value) and search_engine in str(mismatch.value)


def test_unknown_engine_name_is_refused(settings, search_settings):
    settings.RELIEF_SEARCH = {**search_settings, "ENGINE": "solr"}
    with pytest.raises(SearchNotConfigured, match="solr"):
        get_engine()


def test_documents_round_trip_through_one_call_shape(search_settings):
    engine = get_engine()
    engine.create_index(
        name="relief-test-roundtrip", body={"settings": {"number_of_shards": 1}}
    )
    try:
        errors = engine.bulk(
            actions=[
                {
                    "_index": "relief-test-roundtrip",
                    "_id": "1",
                    "_source": {"title": "Knee pain"},
                }
            ],
            refresh=True,
            chunk_size=10,
        )
        found = engine.search(
            index="relief-test-roundtrip", body={"query": {"match": {"title": "knee"}}}
        )
        assert errors == []
        assert [hit["_id"] for hit in found["hits"]["hits"]] == ["1"]
        assert engine.get_source(index="relief-test-roundtrip", doc_id="1") == {
            "title": "Knee pain"
        }
        assert engine.get_source(index="relief-test-roundtrip", doc_id="2") is None
    finally:
        engine.delete_index(name="relief-test-roundtrip")
    assert not engine.index_exists(name="relief-test-roundtrip")
    engine.delete_index(name="relief-test-roundtrip")  # already gone: no error


def test_several_searches_travel_in_one_request_and_answer_in_order(search_settings):
    engine = get_engine()
    engine.create_index(name="relief-test-multi", body={})
    try:
        engine.bulk(
            actions=[
                {"_index": "relief-test-multi", "_id": str(n), "_source": {"t": text}}
                for n, text in enumerate(["knee pain", "back pain"])
            ],
            refresh=True,
            chunk_size=10,
        )
        answers = engine.msearch(
            index="relief-test-multi",
            bodies=[
                {"query": {"match": {"t": "back"}}},
                {"size": 0, "aggs": {"pain": {"filter": {"match": {"t": "pain"}}}}},
            ],
        )
        assert [hit["_id"] for hit in answers[0]["hits"]["hits"]] == ["1"]
        assert answers[1]["aggregations"]["pain"]["doc_count"] == 2
        # A search the server refuses is the request's fault, not an outage,
        # whether the server refuses the whole request or that search alone.
        with pytest.raises(Exception) as refused:
            engine.msearch(
                index="relief-test-multi",
                bodies=[{}, {"query": {"no_such_query": {}}}],
            )
        assert not is_unavailable(refused.value)
        assert not is_not_found(refused.value)
    finally:
        engine.delete_index(name="relief-test-multi")


def test_a_multi_search_before_anything_is_indexed_is_unavailable(search_settings):
    with pytest.raises(SearchUnavailable):
        run_searches(bodies=[{}, {"size": 0}])


def test_one_failed_search_of_a_multi_search_fails_it_with_its_status():
    """Servers answer a multi-search with a status per search."""
    answer = {
        "responses": [
            {"hits": {"hits": []}, "status": 200},
            {"error": {"type": "es_rejected_execution_exception"}, "status": 429},
        ]
    }
    with pytest.raises(SearchFailed) as failed:
        responses_of(answer)
    assert failed.value.status == 429
    assert "es_rejected_execution_exception" in str(failed.value)
    answer["responses"][1] = {"error": {"reason": "no such index"}, "status": 404}
    with pytest.raises(SearchFailed) as failed:
        responses_of(answer)
    assert is_not_found(failed.value)
    answer["responses"][1]["status"] = 503
    with pytest.raises(SearchFailed) as failed:
        responses_of(answer)
    assert is_unavailable(failed.value)


def test_missing_alias_has_no_indexes(search_settings):
    assert get_engine().alias_indexes(name="relief-test-no-such-alias") == []


def test_combined_text_query_counts_a_repeated_word_once(search_settings):
    """A page that says "pain" in its title and all over its text must not beat
    the page about the knee for "knee pain": each word scores once, in its
    best field, on every engine."""
    engine = get_engine()
    engine.create_index(name="relief-test-combined", body={})
    docs = {
        "sleep": {"title": "Sleep and pain", "body": "Pain and sleep. Pain at night."},
        "knee": {"title": "Knee care", "body": "Looking after a sore knee."},
        "other": {"title": "Walking", "body": "Walking helps pain."},
    }
    try:
        engine.bulk(
            actions=[
                {"_index": "relief-test-combined", "_id": key, "_source": doc}
                for key, doc in docs.items()
            ],
            refresh=True,
            chunk_size=10,
        )
        query = combined_text_query(query="knee pain", fields=["title^2", "body"])
        hits = engine.search(index="relief-test-combined", body={"query": query})
    finally:
        engine.delete_index(name="relief-test-combined")
    assert hits["hits"]["hits"][0]["_id"] == "knee"


@pytest.mark.parametrize("engine_class", [ElasticsearchEngine, OpenSearchEngine])
def test_refused_connection_counts_as_unavailable_for_each_client(engine_class):
    config = {"URL": f"http://127.0.0.1:{free_port()}", "TIMEOUT": 1}
    with pytest.raises(Exception) as refused:  # noqa: B017 - checked below
        engine_class(config=config).count(index="anything")
    assert is_unavailable(refused.value)


class RecordingServer(BaseHTTPRequestHandler):
    """Answers like a cluster with security on: 401 without credentials."""

    root: dict = {}
    product: str = ""
    seen: list

    def do_GET(self):
        self.seen.append(self.headers.get("Authorization"))
        if not self.headers.get("Authorization"):
            self.send_response(401)
            self.end_headers()
            return
        send_json(self, self.root)

    def log_message(self, *args):
        pass


def send_json(handler: BaseHTTPRequestHandler, payload: dict) -> None:
    """A 200 with the payload, and the product header when the handler has one."""
    body = json.dumps(payload).encode()
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    if handler.product:
        handler.send_header("X-Elastic-Product", handler.product)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def secured_cluster():
    def start(*, root: dict, product: str = ""):
        handler = type(
            "Handler",
            (RecordingServer,),
            {"root": root, "product": product, "seen": []},
        )
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return f"http://127.0.0.1:{server.server_port}", handler.seen

    servers = []
    yield start
    for server in servers:
        server.shutdown()


OPENSEARCH_ROOT = {"version": {"distribution": "opensearch", "number": "2.19.1"}}
ELASTICSEARCH_ROOT = {"version": {"number": "8.15.0", "build_flavor": "default"}}


def test_opensearch_with_basic_auth_is_detected_and_sends_credentials(
    secured_cluster, settings
):
    url, seen = secured_cluster(root=OPENSEARCH_ROOT)
    settings.RELIEF_SEARCH = {
        **settings.RELIEF_SEARCH,
        "URL": url,
        "ENGINE": "",
        "USERNAME": "relief",
        "PASSWORD": "s3cret",
        "API_KEY": "",
    }
    engine = get_engine()
    engine.info()
    expected = "Basic " + base64.b64encode(b"relief:s3cret").decode()
    assert engine.describe() == "opensearch 2.19.1"
    assert seen and set(seen) == {expected}


def test_elasticsearch_api_key_reaches_the_server(secured_cluster, settings):
    url, seen = secured_cluster(root=ELASTICSEARCH_ROOT, product="Elasticsearch")
    settings.RELIEF_SEARCH = {
        **settings.RELIEF_SEARCH,
        "URL": url,
        "ENGINE": "elasticsearch",
        "API_KEY": "a2V5OnNlY3JldA==",
    }
    get_engine().info()
    assert set(seen) == {"ApiKey a2V5OnNlY3JldA=="}


def test_api_key_for_opensearch_is_refused_with_what_to_set_instead(
    secured_cluster, settings
):
    url, _ = secured_cluster(root=OPENSEARCH_ROOT)
    settings.RELIEF_SEARCH = {
        **settings.RELIEF_SEARCH,
        "URL": url,
        "ENGINE": "opensearch",
        "API_KEY": "a2V5OnNlY3JldA==",
    }
    with pytest.raises(SearchNotConfigured, match="ELASTICSEARCH_USERNAME"):
        get_engine()


@pytest.fixture
def vector_index(search_settings):
    """An index with a vector per document and per nested section, mapped the
    engine's way, holding three documents; one has no vectors yet."""
    engine = get_engine()
    name = "relief-test-vectors"
    vector = engine.vector_mapping(dims=3)
    engine.create_index(
        name=name,
        body={
            "settings": {"number_of_shards": 1, **engine.index_settings()},
            "mappings": {
                "properties": {
                    "title": {"type": "text"},
                    "embedding": vector,
                    "sections": {
                        "type": "nested",
                        "properties": {"text": {"type": "text"}, "embedding": vector},
                    },
                }
            },
        },
    )
    docs = {
        "east": {
            "title": "pain east",
            "embedding": [1.0, 0.0, 0.0],
            "sections": [{"text": "pain", "embedding": [0.0, 1.0, 0.0]}],
        },
        "north": {"title": "pain north", "embedding": [0.0, 1.0, 0.0], "sections": []},
        "bare": {"title": "pain bare", "sections": [{"text": "pain"}]},
    }
    engine.bulk(
        actions=[
            {"_index": name, "_id": key, "_source": doc} for key, doc in docs.items()
        ],
        refresh=True,
        chunk_size=10,
    )
    yield engine, name
    engine.delete_index(name=name)


def cosine_scores(engine, name: str, *, field: str, query: dict) -> dict:
    has_vector = engine.has_vector_expression(field=field)
    cosine = engine.cosine_expression(field=field, vector_param="vector")
    script = {
        "source": f"if (!({has_vector})) {{ return 0; }} return 1 + {cosine};",
        "params": {"vector": [0.6, 0.8, 0.0]},
    }
    body = {"query": {"script_score": {"query": query, "script": script}}}
    hits = engine.search(index=name, body=body)["hits"]["hits"]
    return {hit["_id"]: round(hit["_score"] - 1, 3) for hit in hits}


def test_vectors_are_mapped_searched_and_scored_in_the_engines_own_terms(
    vector_index,
):
    engine, name = vector_index
    knn = engine.knn_query(field="embedding", vector=[0.9, 0.1, 0.0], k=1)
    hits = engine.search(index=name, body={"size": 1, "query": knn})["hits"]["hits"]
    assert [hit["_id"] for hit in hits] == ["east"]
    # A document without a vector is told apart, not an error.
    assert cosine_scores(
        engine, name, field="embedding", query={"match": {"title": "pain"}}
    ) == {"east": 0.6, "north": 0.8, "bare": -1.0}


def test_a_nested_sections_vectors_score_inside_a_nested_query(vector_index):
    engine, name = vector_index
    has_vector = engine.has_vector_expression(field="sections.embedding")
    cosine = engine.cosine_expression(field="sections.embedding", vector_param="v")
    body = {
        "query": {
            "nested": {
                "path": "sections",
                "score_mode": "max",
                "query": {
                    "script_score": {
                        "query": {"match": {"sections.text": "pain"}},
                        "script": {
                            "source": f"({has_vector}) ? 1 + {cosine} : 0.5",
                            "params": {"v": [0.6, 0.8, 0.0]},
                        },
                    }
                },
            }
        }
    }
    hits = engine.search(index=name, body=body)["hits"]["hits"]
    assert {hit["_id"]: round(hit["_score"], 3) for hit in hits} == {
        "east": 1.8,
        "bare": 0.5,
    }


def test_a_source_can_be_read_for_some_fields_only(vector_index):
    engine, name = vector_index
    assert engine.get_source(index=name, doc_id="east", fields=["embedding"]) == {
        "embedding": [1.0, 0.0, 0.0]
    }


def test_a_word_match_scores_on_the_same_scale_on_every_engine(search_settings):
    """Fixed scores in the query (a typo match, a topic bonus) are weighed
    against BM25's: every engine must score a word as classic BM25 does,
    (k1 + 1) factor included, k1 1.2 and b 0.75."""
    engine = get_engine()
    name = "relief-test-bm25-scale"
    engine.create_index(
        name=name,
        body={"settings": {"number_of_shards": 1, **engine.index_settings()}},
    )
    try:
        engine.bulk(
            actions=[
                {"_index": name, "_id": "1", "_source": {"title": "knee pain"}},
                {"_index": name, "_id": "2", "_source": {"title": "back"}},
            ],
            refresh=True,
            chunk_size=10,
        )
        hits = engine.search(index=name, body={"query": {"match": {"title": "knee"}}})
    finally:
        engine.delete_index(name=name)
    # idf ln(1 + 1.5 / 1.5); length 2 against an average of 1.5.
    idf, k1, b = math.log(2), 1.2, 0.75
    expected = idf * (k1 + 1) / (1 + k1 * (1 - b + b * 2 / 1.5))
    assert hits["hits"]["hits"][0]["_score"] == pytest.approx(expected, rel=1e-3)


class SlowCluster(BaseHTTPRequestHandler):
    """Answers GET / at once, and every search or bulk request only after
    `delay` seconds, as a cluster busy with a large bulk does."""

    root: dict = {}
    product: str = ""
    delay: float = 0

    def do_GET(self):
        send_json(self, self.root)

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        time.sleep(self.delay)
        if "_bulk" in self.path:
            item = {"index": {"_index": "relief-slow", "_id": "1", "status": 201}}
            send_json(self, {"took": 1, "errors": False, "items": [item]})
            return
        with contextlib.suppress(BrokenPipeError):  # the reader gave up, rightly
            send_json(self, {"hits": {"total": {"value": 0}, "hits": []}})

    do_PUT = do_POST

    def log_message(self, *args):
        pass


@pytest.mark.parametrize(
    ("root", "product"),
    [(ELASTICSEARCH_ROOT, "Elasticsearch"), (OPENSEARCH_ROOT, "")],
    ids=[ELASTICSEARCH, OPENSEARCH],
)
def test_index_writes_wait_for_a_slow_server_that_readers_give_up_on(
    settings, root, product
):
    handler = type(
        "Handler", (SlowCluster,), {"root": root, "product": product, "delay": 2}
    )
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.RELIEF_SEARCH = {
        **settings.RELIEF_SEARCH,
        "URL": f"http://127.0.0.1:{server.server_port}",
        "ENGINE": "",
        "TIMEOUT": 0.5,
        "WRITE_TIMEOUT": 30,
    }
    document = {"_op_type": "index", "_index": "relief-slow", "_id": "1"}
    try:
        assert bulk_write(actions=[{**document, "_source": {"title": "Pacing"}}]) == {}
        with pytest.raises(SearchUnavailable):
            run_search(body={"query": {"match_all": {}}})
    finally:
        server.shutdown()
