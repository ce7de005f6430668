"""Build the embedded OpenSearch node, start it once, index a few documents, run
a stemmed search and k-NN searches, stop it, and print what that took:
`make opensearch` (CI warms the node with it).

Exits non-zero with the reason when any step fails, or when the JVM outlives
its stop.
"""

from __future__ import annotations

import json
import math
import os
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

from search.embedded_search import EmbeddedServer, EmbeddedServerError
from search.opensearch_node import NodeBuildError, build_node


def resident_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def cpu_seconds(pid: int) -> float:
    """CPU time the process used: a start-up figure that a busy machine's other
    work does not inflate, unlike the wall-clock one."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


SAMPLE_INDEX = {
    "settings": {
        "number_of_replicas": 0,
        "analysis": {
            "filter": {"english_stem": {"type": "stemmer", "language": "english"}},
            "analyzer": {
                "english_text": {
                    "tokenizer": "standard",
                    "filter": ["lowercase", "english_stem"],
                }
            },
        },
    },
    "mappings": {"properties": {"title": {"type": "text", "analyzer": "english_text"}}},
}


# The lucene engine: the k-NN plugin's default, faiss, needs native libraries that
# the plugin's Maven Central zip does not hold.
KNN_INDEX = {
    "settings": {"number_of_replicas": 0, "index": {"knn": True}},
    "mappings": {
        "properties": {
            "vec": {
                "type": "knn_vector",
                "dimension": 4,
                "method": {
                    "name": "hnsw",
                    "engine": "lucene",
                    "space_type": "cosinesimil",
                },
            }
        }
    },
}
KNN_DOCUMENTS = {"1": [1.0, 0.0, 0.0, 0.0], "2": [0.0, 1.0, 0.0, 0.0]}
KNN_QUERY_VECTOR = [1.0, 0.5, 0.0, 0.0]


def call(url: str, *, method: str, body: dict) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read())
    except urllib.error.HTTPError as exc:
        raise EmbeddedServerError(
            f"{method} {url} answered {exc.code}: {exc.read().decode(errors='replace')}"
        ) from exc


def index_sample(url: str) -> None:
    """An index with a stemmer from the analysis-common module, one document and
    a search that only a stemmed match finds: proof the modules loaded, and an
    open index in the memory figure."""
    index = f"{url}/smoke-check"
    call(index, method="PUT", body=SAMPLE_INDEX)
    document = {"title": "Pacing activities through a chronic pain flare"}
    call(f"{index}/_doc/1?refresh=true", method="PUT", body=document)
    query = {"query": {"match": {"title": "paced activity"}}}
    hits = call(f"{index}/_search", method="POST", body=query)["hits"]["hits"]
    if len(hits) != 1:
        raise EmbeddedServerError(
            f"A stemmed search found {len(hits)} documents, not 1."
        )


def cosine(a: list[float], b: list[float]) -> float:
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    return dot / (math.hypot(*a) * math.hypot(*b))


def check_scores(what: str, hits: list[dict], expected: dict[str, float]) -> None:
    """hits are the expected documents, best first, with the expected scores."""
    found = {hit["_id"]: hit["_score"] for hit in hits}
    best_first = sorted(expected, key=expected.get, reverse=True)
    if [hit["_id"] for hit in hits] != best_first or not all(
        math.isclose(found[key], score, rel_tol=1e-4) for key, score in expected.items()
    ):
        raise EmbeddedServerError(
            f"{what} returned {found}, not {expected} in that order."
        )


def search_vectors(url: str) -> None:
    """Vectors indexed with the k-NN plugin, found by a knn query and scored by
    the plugin's Painless function: proof the plugin and its extension of
    Painless loaded."""
    index = f"{url}/knn-check"
    call(index, method="PUT", body=KNN_INDEX)
    for key, vector in KNN_DOCUMENTS.items():
        call(f"{index}/_doc/{key}", method="PUT", body={"vec": vector})
    call(f"{index}/_refresh", method="POST", body={})
    similarity = {
        key: cosine(KNN_QUERY_VECTOR, vector) for key, vector in KNN_DOCUMENTS.items()
    }
    knn = {"knn": {"vec": {"vector": KNN_QUERY_VECTOR, "k": 2}}}
    hits = call(f"{index}/_search", method="POST", body={"query": knn})["hits"]
    # The lucene engine's score for cosinesimil.
    expected = {key: (1 + value) / 2 for key, value in similarity.items()}
    check_scores("A knn query", hits["hits"], expected)
    script_score = {
        "script_score": {
            "query": {"match_all": {}},
            "script": {
                "source": "1.0 + cosineSimilarity(params.query_value, doc['vec'])",
                "params": {"query_value": KNN_QUERY_VECTOR},
            },
        }
    }
    hits = call(f"{index}/_search", method="POST", body={"query": script_score})
    expected = {key: 1 + value for key, value in similarity.items()}
    check_scores("A cosineSimilarity script", hits["hits"]["hits"], expected)


def is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def check_node() -> None:
    started = time.monotonic()
    build_node()
    built = time.monotonic()
    with tempfile.TemporaryDirectory() as data_dir:
        server = EmbeddedServer(Path(data_dir), engine="opensearch")
        server.start()
        answered = time.monotonic()
        try:
            cpu_started = cpu_seconds(server.process.pid)
            rss_started = resident_mb(server.process.pid)
            index_sample(server.url)
            search_vectors(server.url)
            rss_indexed = resident_mb(server.process.pid)
        finally:
            server.stop()
        if is_running(server.process.pid):
            raise EmbeddedServerError(
                f"The node's JVM {server.process.pid} outlived its stop."
            )
    print(
        f"OpenSearch {server.version}: build {built - started:.1f} s, "
        f"start to first answer {answered - built:.1f} s "
        f"({cpu_started:.1f} s of JVM CPU), "
        f"JVM resident memory {rss_started:.0f} MB after start, "
        f"{rss_indexed:.0f} MB after indexing and searches"
    )


def main() -> int:
    try:
        check_node()
    except (NodeBuildError, EmbeddedServerError) as exc:
        print(f"The embedded OpenSearch node failed: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
