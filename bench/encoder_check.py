"""Speed of the sentence encoder (search/embeddings.py) on MedQuAD text.

Prints the latency of 200 short queries encoded one at a time on the query
encoder (one thread), and the documents per second of 512 texts of about 128
tokens on one thread and on every core. Nothing is asserted and nothing is
written; no Django set-up is needed.

    .venv/bin/python bench/encoder_check.py [--data DIR] [--repeats N]

The data is read from ../shared/data beside the project, RELIEF_EVAL_DATA or
--data, and never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

import onnxruntime

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import common  # noqa: E402
from search import embeddings  # noqa: E402

QUERIES = 200
DOCUMENTS = 512


def read_jsonl(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def short_queries(*, medquad: Path, count: int = QUERIES) -> list[str]:
    """What a search box gets: the LiveQA questions' subjects, summaries and
    paraphrases, then MedQuAD section headings to make up `count`."""
    questions = read_jsonl(medquad / "liveqa_dev.jsonl")
    queries = [
        question[field]
        for field in ("summary", "paraphrase", "subject")
        for question in questions
        if question.get(field)
    ]
    headings = [
        section["heading"]
        for article in read_jsonl(medquad / "articles.jsonl")
        for section in article["sections"]
    ]
    step = max(1, len(headings) // count)
    queries += headings[::step]
    return queries[:count]


def long_texts(*, medquad: Path, count: int = DOCUMENTS) -> list[str]:
    """`count` MedQuAD sections (heading and answer) of MAX_TOKENS tokens or
    more, spread over the collection, so each is read to the encoder's limit."""
    tokenizer = embeddings.encoder().tokenizer
    sections = [
        f"{section['heading']}\n\n{section['text']}"
        for article in read_jsonl(medquad / "articles.jsonl")
        for section in article["sections"]
    ]
    encodings = tokenizer.encode_batch(sections)
    full = [
        text
        for text, encoding in zip(sections, encodings, strict=True)
        if len(encoding.ids) >= embeddings.MAX_TOKENS
    ]
    step = max(1, len(full) // count)
    return full[::step][:count]


def query_latency(encoder, *, queries: list[str]) -> dict:
    """Milliseconds per query, each encoded alone as a search does."""
    encoder.encode(queries[:5])
    samples = []
    for query in queries:
        start = time.perf_counter()
        encoder.encode([query])
        samples.append((time.perf_counter() - start) * 1000)
    return common.percentiles(samples)


def documents_per_second(encoder, *, texts: list[str], repeats: int) -> float:
    """The median rate of `repeats` runs over all the texts in one call."""
    encoder.encode(texts[:16])
    rates = []
    for _ in range(repeats):
        start = time.perf_counter()
        encoder.encode(texts)
        rates.append(len(texts) / (time.perf_counter() - start))
    return statistics.median(rates)


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default = os.environ.get("RELIEF_EVAL_DATA") or str(
        common.REPO.parent / "shared" / "data"
    )
    parser.add_argument("--data", default=default, help="Evaluation data folder.")
    parser.add_argument("--repeats", type=int, default=3, help="Runs per rate.")
    return parser.parse_args(argv)


def main(argv: list[str]) -> None:
    args = parse_args(argv)
    medquad = Path(args.data) / "medquad"
    if not medquad.is_dir():
        sys.exit(f"No MedQuAD data at {medquad}: pass --data or set RELIEF_EVAL_DATA.")
    queries = short_queries(medquad=medquad)
    texts = long_texts(medquad=medquad)
    cores = embeddings.batch_encoder().workers
    print(f"model {embeddings.MODEL_NAME}, digest {embeddings.model_digest()[:16]}")
    print(f"onnxruntime {onnxruntime.__version__}, {cores} cores")
    latency = query_latency(embeddings.encoder(), queries=queries)
    print(
        f"{latency['n']} queries, 1 worker: "
        f"p50 {latency['p50']:.2f} ms, p95 {latency['p95']:.2f} ms"
    )
    pinned = embeddings.Encoder(model=embeddings.verified_model(), workers=cores)
    for name, encoder in (
        ("1 worker", embeddings.encoder()),
        (f"{cores} workers", embeddings.batch_encoder()),
        (f"{cores} workers, the pinned file's float32 products", pinned),
    ):
        rate = documents_per_second(encoder, texts=texts, repeats=args.repeats)
        print(f"{len(texts)} texts of {embeddings.MAX_TOKENS} tokens, {name}: ", end="")
        print(f"{rate:.1f} documents/s")


if __name__ == "__main__":
    main(sys.argv[1:])
