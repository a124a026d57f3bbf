"""A deterministic stand-in for the embedding model, for tests of indexing (not of meaning).

Words are hashed into a small vector, so equal texts get equal vectors and the test runs in
milliseconds; every call is counted, which is how tests prove that nothing was embedded.
"""

from __future__ import annotations

import hashlib
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction, Embeddings

DIMENSIONS = 32


class HashEmbedding(EmbeddingFunction[Documents]):
    """Bag-of-words hashed into 32 numbers, unit length; counts calls and texts."""

    def __init__(self, label: str = "test-hash-embedding", version: str = "1") -> None:
        self.label = label
        self.version = version
        self.calls = 0
        self.texts = 0

    def name(self) -> str:  # type: ignore[override]  # an instance name, so tests can vary it
        return self.label

    def get_config(self) -> dict[str, Any]:
        return {"label": self.label, "version": self.version}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> HashEmbedding:
        return HashEmbedding(config["label"], config["version"])

    def __call__(self, input: Documents) -> Embeddings:  # noqa: A002
        self.calls += 1
        self.texts += len(input)
        vectors = []
        for text in input:
            vector = np.zeros(DIMENSIONS, dtype=np.float32)
            for word in str(text).lower().split():
                digest = hashlib.sha256(word.encode()).digest()
                vector[digest[0] % DIMENSIONS] += 1.0
            vector[0] += 1e-3
            vectors.append(vector / np.linalg.norm(vector))
        return vectors
