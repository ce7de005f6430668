"""The embedded search servers as a developer meets them: the command that wraps
`make run`, and the real OpenSearch node the tests, eval and bench run on."""

import json
import os
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

from cms.embedded_search import EmbeddedServer, EmbeddedServerError

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def request_json(url: str, *, method: str = "GET", body: dict | None = None):
    request = urllib.request.Request(
        url,
        data=None if body is None else json.dumps(body).encode(),
        method=method,
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.loads(response.read())


def is_alive(pid: int) -> bool:
    """True while the process runs (a zombie nobody reaped has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except FileNotFoundError:
        return False
    return state != "Z"


def wait_until_gone(pid: int, *, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not is_alive(pid):
            return True
        time.sleep(0.1)
    return False


def wrapper(*command: str, tmp_path: Path, engine: str = "elasticsearch"):
    """`python -m cms.embedded_search` around command, its output readable."""
    env = {
        key: value for key, value in os.environ.items() if key != "ELASTICSEARCH_URL"
    }
    env["RELIEF_EMBEDDED_SEARCH_DIR"] = str(tmp_path / "search-data")
    return subprocess.Popen(
        [sys.executable, "-m", "cms.embedded_search", "--engine", engine, "--"]
        + list(command),
        cwd=PROJECT_ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # As from a terminal, whatever the test runner's own SIGINT disposition.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )


CHILD = textwrap.dedent(
    """
    import json, os, urllib.request
    root = json.load(urllib.request.urlopen(os.environ["ELASTICSEARCH_URL"]))
    print(os.environ["RELIEF_SEARCH_ENGINE"], os.environ["ELASTICSEARCH_URL"])
    print(root["version"]["number"])
    """
)


@pytest.mark.search_server
def test_wrapped_command_is_told_the_url_and_engine_that_the_banner_names(tmp_path):
    process = wrapper(sys.executable, "-c", CHILD, tmp_path=tmp_path)
    out, err = process.communicate(timeout=60)
    assert process.returncode == 0, err
    banner, child_env, version = out.splitlines()
    engine, url = child_env.split()
    assert engine == "elasticsearch"
    assert banner.startswith("Embedded search server: noida-db")
    assert f" {version} at {url} " in banner


@pytest.mark.search_server
def test_ctrl_c_stop_of_the_wrapped_command_exits_zero(tmp_path):
    process = wrapper("sh", "-c", "echo ready; exec sleep 60", tmp_path=tmp_path)
    while process.stdout.readline().strip() != "ready":
        assert process.poll() is None, process.stderr.read()
    process.send_signal(signal.SIGINT)
    process.communicate(timeout=60)
    assert process.returncode == 0


@pytest.mark.search_server
def test_wrapped_command_failure_is_the_exit_code(tmp_path):
    process = wrapper("sh", "-c", "exit 3", tmp_path=tmp_path)
    process.communicate(timeout=60)
    assert process.returncode == 3


def test_missing_java_is_an_error_that_says_how_to_install_it(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    server = EmbeddedServer(tmp_path / "data", engine="opensearch")
    with pytest.raises(EmbeddedServerError, match="apt-get install default-jdk"):
        server.start()


def test_unknown_engine_names_the_choices(tmp_path):
    with pytest.raises(EmbeddedServerError, match="elasticsearch, opensearch"):
        EmbeddedServer(tmp_path, engine="solr")


@pytest.fixture(scope="module")
def opensearch_node(tmp_path_factory):
    server = EmbeddedServer(tmp_path_factory.mktemp("opensearch"), engine="opensearch")
    server.start()
    yield server
    server.stop()


@pytest.mark.search_server
def test_opensearch_node_answers_as_opensearch_2_19(opensearch_node):
    version = request_json(opensearch_node.url)["version"]
    assert version["distribution"] == "opensearch"
    assert version["number"].startswith("2.19.")
    assert opensearch_node.version == version["number"]


@pytest.mark.search_server
def test_opensearch_node_stems_english_and_matches_word_prefixes(opensearch_node):
    index = f"{opensearch_node.url}/analysis-check"
    request_json(
        index,
        method="PUT",
        body={
            "settings": {
                "number_of_replicas": 0,
                "analysis": {
                    "filter": {
                        "english_stem": {"type": "stemmer", "language": "english"},
                        "prefixes": {
                            "type": "edge_ngram",
                            "min_gram": 2,
                            "max_gram": 12,
                        },
                    },
                    "analyzer": {
                        "english": {
                            "tokenizer": "standard",
                            "filter": ["lowercase", "asciifolding", "english_stem"],
                        },
                        "prefixes": {
                            "tokenizer": "standard",
                            "filter": ["lowercase", "prefixes"],
                        },
                    },
                },
            },
            "mappings": {
                "properties": {
                    "title": {
                        "type": "text",
                        "analyzer": "english",
                        "fields": {
                            "prefix": {
                                "type": "text",
                                "analyzer": "prefixes",
                                "search_analyzer": "standard",
                            }
                        },
                    }
                }
            },
        },
    )
    request_json(
        f"{index}/_doc/1?refresh=true",
        method="PUT",
        body={"title": "Pacing activities through a chronic pain flare"},
    )

    def titles(query: dict) -> list[str]:
        hits = request_json(f"{index}/_search", method="POST", body={"query": query})[
            "hits"
        ]["hits"]
        return [hit["_source"]["title"] for hit in hits]

    expected = ["Pacing activities through a chronic pain flare"]
    assert titles({"match": {"title": "paced activity"}}) == expected
    assert titles({"match": {"title.prefix": "chro"}}) == expected
    assert titles({"match": {"title": "chro"}}) == []


@pytest.mark.search_server
def test_stopped_opensearch_node_leaves_no_jvm(tmp_path):
    server = EmbeddedServer(tmp_path, engine="opensearch")
    server.start()
    pid = server.process.pid
    assert is_alive(pid)
    server.stop()
    assert not is_alive(pid)
    assert "stopped" in server.log_path.read_text()


PARENT = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    from cms.embedded_search import EmbeddedServer
    server = EmbeddedServer(Path(sys.argv[1]), engine="opensearch")
    server.start()
    print(server.process.pid, flush=True)
    time.sleep(600)
    """
)


@pytest.mark.search_server
def test_opensearch_node_ends_when_the_process_that_started_it_dies(tmp_path):
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, str(tmp_path)],
        cwd=PROJECT_ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        node_pid = int(parent.stdout.readline())
    finally:
        parent.kill()
        parent.wait()
    assert wait_until_gone(node_pid, timeout=60)


@pytest.mark.search_server
def test_opensearch_node_that_cannot_start_says_why(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        server = EmbeddedServer(
            tmp_path, port=taken.getsockname()[1], engine="opensearch"
        )
        with pytest.raises(EmbeddedServerError) as error:
            server.start()
    assert "exited with code 1" in str(error.value)
    assert "Address already in use" in str(error.value)
    assert not is_alive(server.process.pid)
