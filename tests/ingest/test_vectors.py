"""The embedding model runs offline, is the file we pinned, and Chroma collections carry its name."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import numpy as np
import pytest

from ingest.errors import StoreError
from ingest.vectors import (
    MODEL_NAME,
    MODEL_SHA256,
    TOKENIZER_SHA256,
    EmbeddingModelError,
    MiniLmEmbedding,
    Vectors,
    VectorsUnavailable,
    installed_model_path,
    installed_tokenizer_path,
    open_vectors,
    sha256_file,
)
from tests.ingest.embedding_fakes import HashEmbedding


def _cosine(a: object, b: object) -> float:
    return float(np.dot(np.asarray(a), np.asarray(b)))


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """No socket can connect anywhere for the rest of the test."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError("network blocked by the test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_the_network_really_is_blocked(no_network: None) -> None:
    with pytest.raises(OSError, match="blocked"):
        socket.create_connection(("127.0.0.1", 9))


def test_the_model_loads_and_embeds_with_no_network(no_network: None) -> None:
    embed = MiniLmEmbedding()  # a fresh instance: files checked and session built right here
    juice, drink, toner, password, login = embed(
        [
            "kid spilled juice on it",
            "a child poured a drink over the laptop",
            "the printer is out of toner",
            "I forgot my password",
            "can't sign in to my account",
        ]
    )
    assert len(juice) == 384
    assert np.linalg.norm(juice) == pytest.approx(1.0, abs=1e-4)
    assert _cosine(juice, drink) > _cosine(juice, toner) + 0.2
    assert _cosine(password, login) > _cosine(password, toner) + 0.2
    assert _cosine(juice, drink) > _cosine(juice, password)


def test_batches_give_the_same_vectors_in_the_same_order() -> None:
    texts = ["screen is shattered", "a", "the battery drains in about an hour of use", "wifi"]
    batched = MiniLmEmbedding(batch_size=3)(texts)
    for text, vector in zip(texts, batched, strict=True):
        (alone,) = MiniLmEmbedding(batch_size=1)([text])
        assert _cosine(vector, alone) > 0.99


def test_the_installed_files_are_the_pinned_ones() -> None:
    assert sha256_file(installed_model_path()) == MODEL_SHA256
    assert sha256_file(installed_tokenizer_path()) == TOKENIZER_SHA256


def test_a_tampered_model_file_fails_loudly(tmp_path: Path) -> None:
    tampered = tmp_path / "model.onnx"
    shutil.copyfile(installed_model_path(), tampered)
    with tampered.open("r+b") as handle:
        handle.seek(5_000_000)
        byte = handle.read(1)
        handle.seek(5_000_000)
        handle.write(bytes([byte[0] ^ 0xFF]))
    embed = MiniLmEmbedding(model_path=tampered)
    with pytest.raises(EmbeddingModelError, match="not the pinned one") as caught:
        embed(["anything"])
    assert MODEL_SHA256 in str(caught.value) and str(tampered) in str(caught.value)


def test_a_tampered_tokenizer_fails_loudly(tmp_path: Path) -> None:
    tampered = tmp_path / "tokenizer.json"
    tampered.write_text(installed_tokenizer_path().read_text(encoding="utf-8") + " ")
    with pytest.raises(EmbeddingModelError, match="tokenizer"):
        MiniLmEmbedding(tokenizer_path=tampered).load()


def test_a_missing_model_file_fails_loudly(tmp_path: Path) -> None:
    with pytest.raises(EmbeddingModelError, match="missing"):
        MiniLmEmbedding(model_path=tmp_path / "nope.onnx").load()


def test_it_keeps_chromas_embedding_function_protocol() -> None:
    embed = MiniLmEmbedding(batch_size=8)
    assert MiniLmEmbedding.name() == MODEL_NAME
    rebuilt = MiniLmEmbedding.build_from_config(embed.get_config())
    assert rebuilt.batch_size == 8 and rebuilt.version == embed.version
    assert not embed.is_legacy()
    assert embed.default_space() == "cosine"


def test_the_embedded_store_lives_in_the_folder_given(tmp_path: Path) -> None:
    vectors = open_vectors(tmp_path / "chroma", None, 8000, embedder=HashEmbedding())
    collection, rebuilt = vectors.collection("tickets")
    assert rebuilt
    assert (tmp_path / "chroma").is_dir()
    assert collection.metadata["embedding_function"] == "test-hash-embedding"
    assert collection.metadata["embedding_version"] == "1"
    again, rebuilt = vectors.collection("tickets")
    assert not rebuilt and again.id == collection.id


def test_a_collection_from_another_model_is_rebuilt_for_writing_and_refused_for_search(
    tmp_path: Path,
) -> None:
    old = open_vectors(tmp_path / "chroma", None, 8000, embedder=HashEmbedding("old-model"))
    collection, _ = old.collection("tickets")
    collection.upsert(ids=["1"], embeddings=old.embed(["a ticket"]))
    new = Vectors(client=old.client, embedder=HashEmbedding("new-model"))
    with pytest.raises(VectorsUnavailable, match="old-model"):
        new.searchable("tickets")
    rebuilt_collection, rebuilt = new.collection("tickets")
    assert rebuilt and rebuilt_collection.count() == 0
    assert rebuilt_collection.metadata["embedding_function"] == "new-model"


def test_unknown_kinds_fail_by_name(tmp_path: Path) -> None:
    vectors = open_vectors(tmp_path / "chroma", None, 8000, embedder=HashEmbedding())
    with pytest.raises(ValueError, match="Unsupported kind of text: 'emails'"):
        vectors.collection("emails")


def test_a_store_needs_a_folder_or_a_host() -> None:
    with pytest.raises(StoreError, match="folder or a Chroma server"):
        open_vectors(None, None, 8000)


def test_an_unreachable_server_is_a_store_error() -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(StoreError, match="cannot open the vector store"):
        open_vectors(None, "127.0.0.1", port)


def test_a_collection_that_is_not_ours_is_never_deleted(tmp_path: Path) -> None:
    vectors = open_vectors(tmp_path / "chroma", None, 8000, embedder=HashEmbedding())
    vectors.client.create_collection(
        "district-assistant-tickets", embedding_function=None, metadata={"owner": "someone"}
    )
    with pytest.raises(StoreError, match="is not ours"):
        vectors.collection("tickets")
    kept = vectors.client.get_collection("district-assistant-tickets", embedding_function=None)
    assert kept.metadata == {"owner": "someone"}
