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


def index_sample(url: str) -> None:
    """One document through an english analyzer, so the figure after it counts
    the analysis chain and an open index."""
    body = json.dumps({"title": "Pacing activities through a chronic pain flare"})
    for method, path, data in (
        ("PUT", "/smoke-check", '{"settings": {"number_of_replicas": 0}}'),
        ("PUT", "/smoke-check/_doc/1?refresh=true", body),
        ("POST", "/smoke-check/_search", '{"query": {"match": {"title": "pace"}}}'),
    ):
        request = urllib.request.Request(
            url + path,
            data=data.encode(),
            method=method,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            response.read()


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
        f"start to first answer {answered - built:.1f} s, "
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
