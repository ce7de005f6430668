"""Assemble the embedded OpenSearch node from Maven Central and build its command.

The node is the OpenSearch server jar plus the modules and the k-NN plugin Relief's
mapping and queries need (pom.xml), started by a small launcher
(ReliefOpenSearchNode.java) compiled once with javac. The resolved classpath, the
plugin's unpacked jars and the compiled launcher are cached under
var/opensearch-node/, keyed by the pom, the launcher source and the JDK, so a later
start does no Maven or javac work.

OpenSearch 3 needs Java 21 or newer, which a machine's default java may not be:
the node is compiled and run with the JDK find_jdk() picks, while Maven runs on
whatever java it finds itself.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import re
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
# Under the project the node serves (the working directory), as the data
# folders are, so an installed package never writes into site-packages.
DEFAULT_CACHE_DIR = Path("var") / "opensearch-node"
MIN_JAVA = 21
JVM_DIR = Path("/usr/lib/jvm")
PREFERRED_JDK = JVM_DIR / "temurin-25-jdk-amd64"
JDK_INSTALL_HINT = (
    f"Install a JDK {MIN_JAVA} or newer, such as Eclipse Temurin 25 (it goes to "
    f"{PREFERRED_JDK}), or `sudo apt-get install openjdk-{MIN_JAVA}-jdk-headless` "
    "where the distribution has it, and point JAVA_HOME at it."
)
MAVEN_INSTALL_HINT = "on Debian or Ubuntu: `sudo apt-get install maven`"
PLUGINS_DIR = "plugins"
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
    # Lucene reaches the operating system through the foreign function API, and
    # scores vectors faster with the Vector API.
    "--enable-native-access=ALL-UNNAMED",
    "--add-modules=jdk.incubator.vector",
    # Writing the class archive warns about every class it leaves out, which
    # would bury the reason a failed start gives at the end of the log.
    "-Xlog:cds*=off",
)
RESOLVE_TIMEOUT_S = 900


class NodeBuildError(RuntimeError):
    pass


def require_tools() -> dict[str, str]:
    """{tool: path} of the node's java and javac and of mvn, or an error naming
    what is missing and how to install it."""
    jdk = find_jdk()
    mvn = shutil.which("mvn")
    if mvn is None:
        raise NodeBuildError(
            "The embedded OpenSearch node is resolved with Maven, and mvn is not "
            f"on PATH: {MAVEN_INSTALL_HINT}."
        )
    return {
        "java": str(jdk / "bin" / "java"),
        "javac": str(jdk / "bin" / "javac"),
        "mvn": mvn,
    }


def find_jdk() -> Path:
    """The home of the JDK that compiles and runs the node: JAVA_HOME when it is a
    JDK 21 or newer, else the Temurin 25 JDK or another Java 25 under
    /usr/lib/jvm, else the JDK of the javac on PATH when it is new enough."""
    java_home = os.environ.get("JAVA_HOME")
    candidates = [Path(java_home)] if java_home else []
    candidates += [PREFERRED_JDK, *sorted(JVM_DIR.glob("*25*"))]
    javac = shutil.which("javac")
    if javac:
        candidates.append(Path(javac).resolve().parents[1])
    for home in candidates:
        if is_jdk(home) and java_feature_version(home) >= MIN_JAVA:
            return home
    java_home_is = f"is {java_home}" if java_home else "is unset"
    raise NodeBuildError(
        f"The embedded OpenSearch node needs a JDK {MIN_JAVA} or newer and found "
        f"none: JAVA_HOME {java_home_is}, {JVM_DIR} has no Java 25 and javac on "
        f"PATH is older or missing. {JDK_INSTALL_HINT}"
    )


def is_jdk(home: Path) -> bool:
    return all(os.access(home / "bin" / tool, os.X_OK) for tool in ("java", "javac"))


def java_feature_version(home: Path) -> int:
    """25 for Java 25.0.3, 8 for Java 1.8.0: from the JDK's release file, else
    from what its java says; 0 when neither tells."""
    try:
        text = (home / "release").read_text()
    except OSError:
        text = java_version(java=str(home / "bin" / "java"))
    match = re.search(r'(?:JAVA_VERSION=|version )"(?:1\.)?(\d+)', text)
    return int(match.group(1)) if match else 0


def build_node(*, cache_dir: Path = DEFAULT_CACHE_DIR) -> Path:
    """The folder holding the node's classpath.txt and compiled launcher, built
    on first use and whenever the pom, the launcher or the JDK changed."""
    cache_dir = cache_dir.resolve()
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
            resolve_classpath(mvn=tools["mvn"], build_dir=staging)
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
    """Changes with the pom, the launcher, the JDK and the JVM's options, which
    the class archive is only valid for."""
    digest = hashlib.sha256(POM.read_bytes() + LAUNCHER.read_bytes())
    digest.update(java.encode())
    digest.update(java_version(java=java).encode())
    digest.update(" ".join(JVM_OPTIONS).encode())
    return digest.hexdigest()[:16]


def java_version(*, java: str) -> str:
    try:
        result = subprocess.run(
            [java, "-version"], capture_output=True, text=True, check=False
        )
    except OSError:
        return ""
    return result.stderr.strip()


def is_complete(build_dir: Path) -> bool:
    """True when the build finished and every jar it names is still in the local
    Maven repository (which may have been cleaned since)."""
    classpath_file = build_dir / "classpath.txt"
    launcher = build_dir / "launcher.jar"
    if not (classpath_file.is_file() and launcher.is_file()):
        return False
    return all(jar.is_file() for jar in read_classpath(build_dir))


def read_classpath(build_dir: Path) -> list[Path]:
    """The node's jars: absolute paths into the local Maven repository, and the
    plugins' jars, kept relative to the build so its folder can be renamed."""
    entries = (build_dir / "classpath.txt").read_text().strip().split(":")
    return [build_dir / entry for entry in entries]


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    with open(path, "w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def resolve_classpath(*, mvn: str, build_dir: Path) -> None:
    """classpath.txt: Maven's classpath, with each plugin zip in it replaced by
    the jars it holds."""
    out = build_dir / "maven-classpath.txt"
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
    artifacts = [Path(entry) for entry in out.read_text().strip().split(":")]
    resolved_names = {path.name for path in artifacts}
    entries: list[str] = []
    for artifact in artifacts:
        if artifact.suffix == ".zip":
            entries += unpack_plugin(
                artifact, build_dir=build_dir, skip_names=resolved_names
            )
        else:
            entries.append(str(artifact))
    (build_dir / "classpath.txt").write_text(":".join(entries))


def unpack_plugin(archive: Path, *, build_dir: Path, skip_names: set[str]) -> list[str]:
    """The jars of a plugin's zip (as Maven Central has it) unpacked into the build,
    as paths relative to it. A jar Maven resolved already, by the same file name,
    is left out rather than put on the classpath twice."""
    folder = Path(PLUGINS_DIR) / archive.stem
    entries = []
    with zipfile.ZipFile(archive) as plugin:
        for name in sorted(plugin.namelist()):
            if "/" in name or not name.endswith(".jar") or name in skip_names:
                continue
            (build_dir / folder).mkdir(parents=True, exist_ok=True)
            (build_dir / folder / name).write_bytes(plugin.read(name))
            entries.append((folder / name).as_posix())
    if not entries:
        raise NodeBuildError(f"{archive.name} holds no jar to run the plugin with.")
    return entries


def compile_launcher(*, javac: str, build_dir: Path) -> None:
    """launcher.jar: a jar, not a folder of classes, since the JVM only shares
    classes from a classpath of jars."""
    classpath = ":".join(map(str, read_classpath(build_dir)))
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
    classpath = ":".join(map(str, read_classpath(build_dir)))
    return [
        str(find_jdk() / "bin" / "java"),
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
