"""Assemble the embedded OpenSearch node from Maven Central and build its command.

The node is the OpenSearch server jar plus the modules Relief's mapping and queries
need (pom.xml), started by a small launcher (ReliefOpenSearchNode.java) compiled
once with javac. The resolved classpath and the compiled launcher are cached under
var/opensearch-node/, keyed by the pom, the launcher source and the JDK, so a later
start does no Maven or javac work.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import subprocess
import tempfile
import zipfile
from collections.abc import Iterator
from pathlib import Path

SOURCE_DIR = Path(__file__).resolve().parent
POM = SOURCE_DIR / "pom.xml"
LAUNCHER = SOURCE_DIR / "ReliefOpenSearchNode.java"
MAIN_CLASS = "ReliefOpenSearchNode"
CLASS_ARCHIVE = "classes.jsa"
DEFAULT_CACHE_DIR = SOURCE_DIR.parents[1] / "var" / "opensearch-node"
INSTALL_HINT = (
    "install a JDK (17 or newer) and Maven, on Debian or Ubuntu: "
    "`sudo apt-get install default-jdk-headless maven`"
)
JVM_OPTIONS = (
    "-Xms512m",
    "-Xmx1g",
    "-Djava.awt.headless=true",
    "-Dfile.encoding=UTF-8",
    # The node's shutdown hook logs while it closes; log4j's own hook would stop
    # logging first.
    "-Dlog4j.shutdownHookEnabled=false",
    "-Dlog4j2.disable.jmx=true",
    "-Dio.netty.noUnsafe=true",
    "-Dio.netty.recycler.maxCapacityPerThread=0",
    # Writing the class archive warns about every class it leaves out, which
    # would bury the reason a failed start gives at the end of the log.
    "-Xlog:cds*=off",
)
RESOLVE_TIMEOUT_S = 900


class NodeBuildError(RuntimeError):
    pass


def require_tools() -> dict[str, str]:
    """{tool: path} of java, javac and mvn, or an error naming what is missing."""
    tools = {name: shutil.which(name) for name in ("java", "javac", "mvn")}
    missing = [name for name, path in tools.items() if path is None]
    if missing:
        raise NodeBuildError(
            f"The embedded OpenSearch node needs {', '.join(missing)} on PATH: "
            f"{INSTALL_HINT}."
        )
    return tools


def build_node(*, cache_dir: Path = DEFAULT_CACHE_DIR) -> Path:
    """The folder holding the node's classpath.txt and compiled launcher, built
    on first use and whenever the pom, the launcher or the JDK changed."""
    tools = require_tools()
    build_dir = cache_dir / build_key(java=tools["java"])
    if is_complete(build_dir):
        return build_dir
    cache_dir.mkdir(parents=True, exist_ok=True)
    # Parallel runs (the eval starts one node per corpus) build once, not twice.
    with exclusive_lock(cache_dir / ".lock"):
        if is_complete(build_dir):
            return build_dir
        staging = Path(tempfile.mkdtemp(prefix="build-", dir=cache_dir))
        try:
            resolve_classpath(mvn=tools["mvn"], out=staging / "classpath.txt")
            compile_launcher(javac=tools["javac"], build_dir=staging)
            shutil.rmtree(build_dir, ignore_errors=True)
            staging.rename(build_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        remove_other_builds(cache_dir=cache_dir, keep=build_dir)
    return build_dir


def remove_other_builds(*, cache_dir: Path, keep: Path) -> None:
    """Builds for an older pom, launcher or JDK: each holds an 80 MB archive."""
    for path in cache_dir.iterdir():
        if path.is_dir() and path != keep and not path.name.startswith("build-"):
            shutil.rmtree(path, ignore_errors=True)


def build_key(*, java: str) -> str:
    digest = hashlib.sha256(POM.read_bytes() + LAUNCHER.read_bytes())
    digest.update(java_version(java=java).encode())
    return digest.hexdigest()[:16]


def java_version(*, java: str) -> str:
    result = subprocess.run(
        [java, "-version"], capture_output=True, text=True, check=False
    )
    return result.stderr.strip()


def is_complete(build_dir: Path) -> bool:
    """True when the build finished and every jar it names is still in the local
    Maven repository (which may have been cleaned since)."""
    classpath_file = build_dir / "classpath.txt"
    launcher = build_dir / "launcher.jar"
    if not (classpath_file.is_file() and launcher.is_file()):
        return False
    jars = classpath_file.read_text().strip().split(":")
    return all(Path(jar).is_file() for jar in jars)


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def resolve_classpath(*, mvn: str, out: Path) -> None:
    command = [
        mvn,
        "--batch-mode",
        "--quiet",
        "-Dstyle.color=never",
        "--file",
        str(POM),
        "dependency:build-classpath",
        "-Dmdep.includeScope=runtime",
        f"-Dmdep.outputFile={out}",
    ]
    run_build_step(
        command,
        what="Resolving the OpenSearch artifacts from Maven Central",
        timeout=RESOLVE_TIMEOUT_S,
    )
    if not out.is_file() or not out.read_text().strip():
        raise NodeBuildError(f"Maven wrote no classpath for {POM.name}.")


def compile_launcher(*, javac: str, build_dir: Path) -> None:
    """launcher.jar: a jar, not a folder of classes, since the JVM only shares
    classes from a classpath of jars."""
    classpath = (build_dir / "classpath.txt").read_text().strip()
    classes = build_dir / "classes"
    command = [javac, "-nowarn", "-d", str(classes), "-cp", classpath, str(LAUNCHER)]
    run_build_step(command, what=f"Compiling {LAUNCHER.name}", timeout=300)
    with zipfile.ZipFile(build_dir / "launcher.jar", "w") as jar:
        for path in sorted(classes.rglob("*.class")):
            jar.write(path, path.relative_to(classes).as_posix())
    shutil.rmtree(classes)


def run_build_step(command: list[str], *, what: str, timeout: float) -> None:
    try:
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise NodeBuildError(f"{what} took longer than {timeout:.0f} s.") from exc
    if result.returncode != 0:
        output = (result.stdout + result.stderr).strip().splitlines()
        details = "\n".join(output[-25:])
        raise NodeBuildError(
            f"{what} failed (exit code {result.returncode}):\n{details}"
        )


def node_command(*, build_dir: Path, home: Path, port: int) -> list[str]:
    """The command that starts the node on 127.0.0.1:port with its data, logs and
    config under home."""
    classpath = (build_dir / "classpath.txt").read_text().strip()
    return [
        shutil.which("java") or "java",
        *JVM_OPTIONS,
        *class_sharing_options(build_dir=build_dir, home=home),
        "-cp",
        f"{build_dir / 'launcher.jar'}:{classpath}",
        MAIN_CLASS,
        str(home),
        str(port),
    ]


def class_sharing_options(*, build_dir: Path, home: Path) -> list[str]:
    """Loading the server's classes from a shared archive roughly halves the
    node's start-up CPU. The first node writes the archive into its home when it
    exits normally; keep_class_archive() then moves it next to the build."""
    archive = build_dir / CLASS_ARCHIVE
    if archive.is_file():
        return [f"-XX:SharedArchiveFile={archive}"]
    pending = home / CLASS_ARCHIVE
    pending.unlink(missing_ok=True)
    return [f"-XX:ArchiveClassesAtExit={pending}"]


def keep_class_archive(*, build_dir: Path, home: Path) -> None:
    """Call after the node exited with code 0: only then is its archive whole."""
    pending = home / CLASS_ARCHIVE
    if pending.is_file():
        os.replace(pending, build_dir / CLASS_ARCHIVE)
