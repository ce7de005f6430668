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

from search import opensearch_node as node_build
from search.embedded_search import EmbeddedServer, EmbeddedServerError

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
    """`python -m search.embedded_search` around command, its output readable."""
    env = {
        key: value for key, value in os.environ.items() if key != "ELASTICSEARCH_URL"
    }
    env["RELIEF_EMBEDDED_SEARCH_DIR"] = str(tmp_path / "search-data")
    return subprocess.Popen(
        [sys.executable, "-m", "search.embedded_search", "--engine", engine, "--"]
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


def fake_jdk(home: Path, version: str) -> Path:
    """A folder that looks like a JDK of that version to the node's build."""
    (home / "bin").mkdir(parents=True)
    for tool in ("java", "javac"):
        (home / "bin" / tool).write_text("#!/bin/sh\n")
        (home / "bin" / tool).chmod(0o755)
    (home / "release").write_text(f'JAVA_VERSION="{version}"\n')
    return home


@pytest.fixture
def no_jdk(tmp_path, monkeypatch):
    """No JDK anywhere the node's build looks, until a test makes one."""
    jvm_dir = tmp_path / "jvm"
    jvm_dir.mkdir()
    monkeypatch.setattr(node_build, "JVM_DIR", jvm_dir)
    monkeypatch.setattr(node_build, "PREFERRED_JDK", jvm_dir / "temurin-25-jdk-amd64")
    monkeypatch.delenv("JAVA_HOME", raising=False)
    monkeypatch.setenv("PATH", str(tmp_path / "empty-path"))
    return jvm_dir


def test_missing_jdk_is_an_error_that_says_what_to_install(tmp_path, no_jdk):
    server = EmbeddedServer(tmp_path / "data", engine="opensearch")
    with pytest.raises(EmbeddedServerError, match="needs a JDK 21 or newer") as error:
        server.start()
    assert "Temurin 25" in str(error.value)
    assert "JAVA_HOME" in str(error.value)


def test_java_17_in_java_home_gives_way_to_the_temurin_25_jdk(
    tmp_path, no_jdk, monkeypatch
):
    monkeypatch.setenv("JAVA_HOME", str(fake_jdk(tmp_path / "jdk-17", "17.0.15")))
    temurin = fake_jdk(no_jdk / "temurin-25-jdk-amd64", "25.0.3")
    assert node_build.find_jdk() == temurin


def test_a_java_21_home_is_preferred_to_the_temurin_25_jdk(
    tmp_path, no_jdk, monkeypatch
):
    java_home = fake_jdk(tmp_path / "jdk-21", "21.0.8")
    monkeypatch.setenv("JAVA_HOME", str(java_home))
    fake_jdk(no_jdk / "temurin-25-jdk-amd64", "25.0.3")
    assert node_build.find_jdk() == java_home


def test_another_java_25_is_found_in_the_jvm_folder(no_jdk):
    jdk = fake_jdk(no_jdk / "java-25-openjdk-amd64", "25.0.1")
    assert node_build.find_jdk() == jdk


def test_missing_maven_is_an_error_that_says_how_to_install_it(tmp_path, no_jdk):
    fake_jdk(no_jdk / "temurin-25-jdk-amd64", "25.0.3")
    server = EmbeddedServer(tmp_path / "data", engine="opensearch")
    with pytest.raises(EmbeddedServerError, match="apt-get install maven"):
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
def test_opensearch_node_answers_as_opensearch_3_5(opensearch_node):
    version = request_json(opensearch_node.url)["version"]
    assert version["distribution"] == "opensearch"
    assert version["number"].startswith("3.5.")
    assert opensearch_node.version == version["number"]


@pytest.mark.search_server
def test_opensearch_node_runs_on_java_21_or_newer_with_the_knn_plugin(opensearch_node):
    nodes = request_json(f"{opensearch_node.url}/_nodes/_local/jvm,plugins")["nodes"]
    (node,) = nodes.values()
    assert int(node["jvm"]["version"].split(".")[0]) >= 21
    assert "opensearch-knn" in {plugin["name"] for plugin in node["plugins"]}


@pytest.mark.search_server
def test_opensearch_node_finds_nested_vectors_and_scores_them_in_scripts(
    opensearch_node,
):
    index = f"{opensearch_node.url}/vector-check"
    vector = {
        "type": "knn_vector",
        "dimension": 2,
        "method": {"name": "hnsw", "engine": "lucene", "space_type": "cosinesimil"},
    }
    request_json(
        index,
        method="PUT",
        body={
            "settings": {"number_of_replicas": 0, "index": {"knn": True}},
            "mappings": {
                "properties": {
                    "sections": {"type": "nested", "properties": {"vec": vector}}
                }
            },
        },
    )
    request_json(
        f"{index}/_doc/1?refresh=true",
        method="PUT",
        body={"sections": [{"vec": [0.0, 1.0]}, {}, {"vec": [1.0, 0.0]}]},
    )
    nested_knn = {
        "nested": {
            "path": "sections",
            "query": {"knn": {"sections.vec": {"vector": [1.0, 0.0], "k": 1}}},
            "inner_hits": {},
        }
    }
    nested_script = {
        "nested": {
            "path": "sections",
            "score_mode": "max",
            "query": {
                "script_score": {
                    "query": {"match_all": {}},
                    "script": {
                        "source": "doc['sections.vec'].size() == 0 ? 0.0"
                        " : 1.0 + cosineSimilarity(params.q, doc['sections.vec'])",
                        "params": {"q": [1.0, 0.0]},
                    },
                }
            },
            "inner_hits": {},
        }
    }

    def section_scores(query: dict) -> list[tuple[int, float]]:
        (hit,) = request_json(f"{index}/_search", method="POST", body={"query": query})[
            "hits"
        ]["hits"]
        inner = hit["inner_hits"]["sections"]["hits"]["hits"]
        return [
            (inner_hit["_nested"]["offset"], inner_hit["_score"]) for inner_hit in inner
        ]

    assert section_scores(nested_knn) == [(2, 1.0)]
    assert section_scores(nested_script) == [(2, 2.0), (0, 1.0), (1, 0.0)]


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
    from search.embedded_search import EmbeddedServer
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
