"""Which tool a question is for, by meaning: the question's embedding against each tool's own words.

Every tool's description and example questions are embedded once (all-MiniLM-L6-v2, the same
model as free-text search) and kept for the life of the process, and on disk under the data dir
when the planner is given a cache folder, keyed by the model version and the catalog text, so an
edited example is never scored with a stale vector. A question is embedded once (a few ms) and
scored against every tool: its best example, blended with its description.

If the embedding model is not installed, scoring falls back to word overlap (rapidfuzz), so the
planner still answers the questions it was written for, more narrowly.
"""

from __future__ import annotations

import hashlib
import logging
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
from rapidfuzz import fuzz

from tools.base import ToolSpec
from tools.cues import weight

log = logging.getLogger(__name__)

EXAMPLE_WEIGHT = weight("example_weight")
"""Weight of a tool's closest example question; the rest goes to its description."""

_lock = threading.Lock()
_model: Any = None
_catalogs: dict[str, _Catalog] = {}


@dataclass(frozen=True)
class _Catalog:
    """Unit vectors of every tool's examples (stacked) and descriptions, in catalog order."""

    names: tuple[str, ...]
    owners: np.ndarray  # for each example row, the index of its tool
    examples: np.ndarray
    descriptions: np.ndarray


def catalog_key(specs: Sequence[ToolSpec], model_version: str) -> str:
    """A digest of the model version and every text that gets embedded: the cache's key."""
    digest = hashlib.sha256(model_version.encode())
    for spec in specs:
        for text in (spec.name, spec.description, *spec.examples):
            digest.update(text.encode() + b"\0")
    return digest.hexdigest()[:20]


def _embedding_model() -> Any:
    """The process's one embedding model, loaded on first use (about half a second)."""
    global _model
    with _lock:
        if _model is None:
            from ingest.embedding import MiniLm

            model = MiniLm(batch_size=64, threads=1)  # one thread: steadier under load, measured
            model.load()
            _model = model
    return _model


class Router:
    """Scores a question against every tool of a catalog; build once, score often.

    Args:
        specs: The tools to choose among (the registry's ``TOOLS``).
        cache_dir: Where the catalog's vectors are kept between processes (None: memory only).
        semantic: False scores by word overlap only (what happens anyway without the model).
    """

    def __init__(
        self, specs: Sequence[ToolSpec], cache_dir: Path | None = None, *, semantic: bool = True
    ) -> None:
        self.specs = tuple(specs)
        self.cache_dir = cache_dir
        self.semantic = semantic
        self._catalog: _Catalog | None = None
        self._loading = threading.Lock()

    def scores(self, question: str) -> dict[str, float]:
        """Each tool's similarity to the question, 0-1 (cosine; 0.5 and up is close)."""
        catalog = self._ready_catalog()
        if catalog is None:
            return {spec.name: _lexical(question, spec) for spec in self.specs}
        vector = _question_vector(question.strip().lower())
        by_example = catalog.examples @ vector
        best = np.full(len(catalog.names), -1.0, dtype=np.float32)
        np.maximum.at(best, catalog.owners, by_example)
        blended = EXAMPLE_WEIGHT * best + (1 - EXAMPLE_WEIGHT) * (catalog.descriptions @ vector)
        return {name: float(score) for name, score in zip(catalog.names, blended, strict=True)}

    def warm(self) -> None:
        """Load the model and the catalog's vectors now rather than on the first question."""
        if self._ready_catalog() is not None:
            _question_vector("warm up")

    def warm_in_background(self) -> threading.Thread:
        """Start ``warm`` in a daemon thread, so the model loads while other start-up work runs."""
        thread = threading.Thread(target=self.warm, name="planner-warm-up", daemon=True)
        thread.start()
        return thread

    def _ready_catalog(self) -> _Catalog | None:
        if not self.semantic:
            return None
        with self._loading:  # a warm-up thread and the first question load it once
            if self._catalog is None:
                try:
                    self._catalog = self._load_catalog()
                except Exception as exc:  # noqa: BLE001 - a missing model must not stop answers
                    log.warning("tool routing by word overlap only: %s", exc)
                    self.semantic = False
                    return None
        return self._catalog

    def _load_catalog(self) -> _Catalog:
        from ingest.embedding import MiniLm

        key = catalog_key(self.specs, MiniLm().version)
        with _lock:
            cached = _catalogs.get(key)
        if cached is not None:
            path = self._path(key)
            if path is not None and not path.is_file():
                self._write_vectors(key, np.vstack([cached.examples, cached.descriptions]))
            _embedding_model()  # the question still needs the model
            return cached
        texts = [text.lower() for spec in self.specs for text in spec.examples]
        texts += [spec.description.lower() for spec in self.specs]
        vectors = self._read_vectors(key, len(texts))
        if vectors is None:
            vectors = np.asarray(_embedding_model()(texts), dtype=np.float32)
            self._write_vectors(key, vectors)
        else:
            _embedding_model()
        owners = np.array([i for i, s in enumerate(self.specs) for _ in s.examples], dtype=np.intp)
        catalog = _Catalog(
            names=tuple(spec.name for spec in self.specs),
            owners=owners,
            examples=vectors[: len(owners)],
            descriptions=vectors[len(owners) :],
        )
        with _lock:
            _catalogs[key] = catalog
        return catalog

    def _path(self, key: str) -> Path | None:
        return None if self.cache_dir is None else self.cache_dir / f"planner-{key}.npy"

    def _read_vectors(self, key: str, rows: int) -> np.ndarray | None:
        path = self._path(key)
        if path is None or not path.is_file():
            return None
        try:
            vectors = np.load(path, allow_pickle=False)
        except (OSError, ValueError):
            return None
        return vectors if vectors.shape == (rows, 384) else None

    def _write_vectors(self, key: str, vectors: np.ndarray) -> None:
        path = self._path(key)
        if path is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            partial = path.with_suffix(f".{threading.get_ident()}.tmp")
            with partial.open("wb") as handle:
                np.save(handle, vectors, allow_pickle=False)
            partial.replace(path)  # atomic: a reader never sees half a file
            for stale in path.parent.glob("planner-*.npy"):
                if stale != path:  # vectors of an older catalog or model
                    stale.unlink(missing_ok=True)
        except OSError as exc:
            log.info("planner vectors not cached: %s", exc)


@lru_cache(maxsize=512)
def _question_vector(text: str) -> np.ndarray:
    """A question's unit vector (cached: a thread's follow-ups and retries repeat questions)."""
    return np.asarray(_embedding_model()([text])[0], dtype=np.float32)


def _lexical(question: str, spec: ToolSpec) -> float:
    """Word-overlap score, the fallback without the model: the closest example question."""
    text = question.lower()
    return max(fuzz.token_set_ratio(text, example.lower()) for example in spec.examples) / 100
