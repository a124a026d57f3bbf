"""Meaning evidence: a header against each field's plain description, with the embedding model.

"Term Ends" shares no word with "renewal_date", but it means "the date the current term ends".
The bundled model (``ingest/embedding.py``, offline) puts the spelled-out header and each field's
description (``FieldSpec.description``) in one space; their cosine is the evidence. Description
vectors are computed once a process. Without the model installed, meaning evidence is absent and
the other evidence decides (``column_match`` renormalises the weights).
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ingest.fields import FIELDS, RECORD_TYPES
from ingest.header_words import spelled_out

if TYPE_CHECKING:
    from ingest.embedding import MiniLm

FieldKey = tuple[str, str]  # (record type, field)


@lru_cache(maxsize=1)
def _model() -> MiniLm | None:
    # Imported here: reading a known export, or answering a question, needs neither numpy nor
    # the model (tests/scenarios/test_cold_ask.py checks a structured answer's imports).
    from ingest.embedding import EmbeddingModelError, MiniLm

    model = MiniLm()
    try:
        model.load()
    except EmbeddingModelError:
        return None
    return model


def field_texts(record_type: str, field: str) -> list[str]:
    """What the model reads for a field: its words and its description.

    A short header is closest to the field's words, a wordy one to the description; a field's
    meaning evidence is the better of the two. (Its synonyms are name evidence; embedding them
    too doubled the first match's cost and scored worse on the blind corpus.)
    """
    spec = FIELDS[record_type][field]
    words = field.replace("_", " ")
    return list(dict.fromkeys([words, spec.description or words]))


@lru_cache(maxsize=1)
def _field_vectors() -> tuple[list[FieldKey], Any] | None:
    import numpy as np

    model = _model()
    if model is None:
        return None
    keys = [(rt, f) for rt, fields in FIELDS.items() for f in fields for _ in field_texts(rt, f)]
    texts = [t for rt, fields in FIELDS.items() for f in fields for t in field_texts(rt, f)]
    vectors = np.array(model(texts), dtype=np.float32)
    return keys, vectors


def meaning_similarities(headers: list[str]) -> dict[str, dict[FieldKey, float]] | None:
    """Cosine of each header (spelled out) with every field's description; None without model."""
    import numpy as np

    table = _field_vectors()
    model = _model()
    if table is None or model is None:
        return None
    keys, vectors = table
    texts = [spelled_out(h) for h in headers]
    header_vectors = np.array(model(texts), dtype=np.float32) if texts else np.zeros((0, 384))
    sims = header_vectors @ vectors.T
    out: dict[str, dict[FieldKey, float]] = {}
    for header, row in zip(headers, sims, strict=True):
        best: dict[FieldKey, float] = {}
        for key, similarity in zip(keys, row.tolist(), strict=True):
            if similarity > best.get(key, -1.0):
                best[key] = similarity
        out[header] = best
    return out


@lru_cache(maxsize=1)
def _type_vectors() -> Any:
    import numpy as np

    model = _model()
    return None if model is None else np.array(model(list(RECORD_TYPES.values())))


def file_name_similarities(file_name: str) -> dict[str, float] | None:
    """Cosine of a file's name (spelled out, no extension) with each record type's description."""
    import numpy as np

    model, vectors = _model(), _type_vectors()
    stem = file_name.rsplit(".", 1)[0] if "." in file_name[-6:] else file_name
    words = spelled_out(stem)
    if model is None or vectors is None or not words.strip():
        return None
    sims = vectors @ np.array(model([words]))[0]
    return dict(zip(RECORD_TYPES, (float(x) for x in sims), strict=True))
