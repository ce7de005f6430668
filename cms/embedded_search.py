"""Start and stop the embedded Elasticsearch-compatible server used in development
and tests when ELASTICSEARCH_URL is unset.

This is tooling around the app, not part of it: the app only ever sees a URL.
Run a command with a server around it::

    python -m cms.embedded_search -- python manage.py runserver
"""

from __future__ import annotations

import contextlib
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

STARTUP_TIMEOUT_S = 30.0


class EmbeddedServerError(RuntimeError):
    pass


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


def wait_until_answering(
    url: str, *, timeout: float, process: subprocess.Popen
) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise EmbeddedServerError(
                f"The embedded search server exited with code {process.returncode}."
            )
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise EmbeddedServerError(f"The embedded search server did not answer at {url}.")


def stop(process: subprocess.Popen) -> None:
    if process.poll() is not None:
        return
    process.send_signal(signal.SIGINT)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class EmbeddedServer:
    """One server process on a free loopback port with its own data folder."""

    def __init__(self, data_dir: Path, port: int | None = None):
        self.data_dir = Path(data_dir)
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = open(self.data_dir / "server.log", "ab")  # noqa: SIM115 - owned by the process
        self.process = subprocess.Popen(
            [
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
            ],
            stdout=log,
            stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL,
        )
        log.close()
        try:
            wait_until_answering(
                self.url, timeout=STARTUP_TIMEOUT_S, process=self.process
            )
        except BaseException:
            stop(self.process)
            raise

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)


@contextlib.contextmanager
def embedded_server(data_dir: Path | None = None) -> Iterator[EmbeddedServer]:
    with contextlib.ExitStack() as stack:
        if data_dir is None:
            data_dir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        server = EmbeddedServer(data_dir)
        server.start()
        stack.callback(server.stop)
        yield server


def main(argv: list[str]) -> int:
    """Run a command with ELASTICSEARCH_URL set, starting the embedded server when
    no URL is configured."""
    if "--" in argv:
        argv = argv[argv.index("--") + 1 :]
    if not argv:
        print(
            "usage: python -m cms.embedded_search -- COMMAND [ARGS...]", file=sys.stderr
        )
        return 2
    if os.environ.get("ELASTICSEARCH_URL"):
        return subprocess.call(argv)
    data_dir = Path(os.environ.get("RELIEF_EMBEDDED_SEARCH_DIR", "var/search-data"))
    with embedded_server(data_dir) as server:
        print(
            f"Embedded search server at {server.url} (data in {data_dir})", flush=True
        )
        env = {**os.environ, "ELASTICSEARCH_URL": server.url}
        return run_child(argv, env=env)


def run_child(argv: list[str], *, env: dict) -> int:
    """Run the command in a process group of its own and hand it every SIGINT or
    SIGTERM this process gets, so the whole tree (make, runserver's reloader)
    stops before the search server does, whoever sent the signal."""
    child = subprocess.Popen(argv, env=env, start_new_session=True)

    def forward(signum, _frame):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signum)

    previous = {
        sig: signal.signal(sig, forward) for sig in (signal.SIGINT, signal.SIGTERM)
    }
    try:
        try:
            return child.wait(timeout=None)
        finally:
            if child.poll() is None:
                forward(signal.SIGTERM, None)
                child.wait(timeout=10)
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
