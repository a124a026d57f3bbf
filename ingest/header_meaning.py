"""Meaning evidence: a header against each field's plain description, with the embedding model.

"Term Ends" shares no word with "renewal_date", but it means "the date the current term ends".
The bundled model (``ingest/embedding.py``, offline) puts the spelled-out header and each field's
description (``FieldSpec.description``) in one space; their cosine is the evidence. Description
vectors are computed once a process. Without the model installed, meaning evidence is absent and
the other evidence decides (``column_match`` renormalises the weights).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

import numpy as np

from ingest.embedding import EmbeddingModelError, MiniLm
from ingest.fields import FIELDS
from ingest.header_words import spelled_out

FieldKey = tuple[str, str]  # (record type, field)


@lru_cache(maxsize=1)
def _model() -> MiniLm | None:
    model = MiniLm(threads=1)
    try:
        model.load()
    except EmbeddingModelError:
        return None
    return model


def field_text(record_type: str, field: str) -> str:
    """What the model reads for a field: its words and its plain description."""
    spec = FIELDS[record_type][field]
    words = field.replace("_", " ")
    return f"{words}: {spec.description}" if spec.description else words


@lru_cache(maxsize=1)
def _field_vectors() -> tuple[list[FieldKey], Any] | None:
    model = _model()
    if model is None:
        return None
    keys = [(rt, f) for rt, fields in FIELDS.items() for f in fields]
    vectors = np.array(model([field_text(rt, f) for rt, f in keys]), dtype=np.float32)
    return keys, vectors


def meaning_similarities(headers: list[str]) -> dict[str, dict[FieldKey, float]] | None:
    """Cosine of each header (spelled out) with every field's description; None without model."""
    table = _field_vectors()
    model = _model()
    if table is None or model is None:
        return None
    keys, vectors = table
    texts = [spelled_out(h) for h in headers]
    header_vectors = np.array(model(texts), dtype=np.float32) if texts else np.zeros((0, 384))
    sims = header_vectors @ vectors.T
    return {
        header: {key: float(s) for key, s in zip(keys, row, strict=True)}
        for header, row in zip(headers, sims, strict=True)
    }
