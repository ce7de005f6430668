"""Build the embedded OpenSearch node, start it once, index a document, stop it,
and print what that took: `make opensearch` (CI warms the node with it).

Exits non-zero with the reason when any step fails, or when the JVM outlives
its stop.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from cms.embedded_search import EmbeddedServer, EmbeddedServerError
from cms.opensearch_node import NodeBuildError, build_node


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


def call(url: str, *, method: str, body: dict) -> dict:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


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
        f"{rss_indexed:.0f} MB after indexing and a search"
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
