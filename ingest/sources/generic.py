"""The generic reader: any other spreadsheet, placed by its headers.

Each header is matched to a canonical field by exact name or synonym, else by fuzzy score
(rapidfuzz); the record type is the one whose fields the headers cover best. A header it cannot
place is kept in the raw source record, never dropped.
"""

from __future__ import annotations

from rapidfuzz import fuzz, process

from ingest.fields import FIELDS
from ingest.files import normalize_header
from ingest.sources.base import ColumnMapping

FUZZY_CUTOFF = 86.0


def _names(record_type: str) -> dict[str, str]:
    """Normalised synonym -> field, for one record type (the field's own name included)."""
    names: dict[str, str] = {}
    for field_name, spec in FIELDS[record_type].items():
        for name in (field_name, *spec.synonyms):
            names.setdefault(normalize_header(name), field_name)
    return names


def map_headers(
    headers: list[str], record_type: str, overrides: dict[str, str | None] | None = None
) -> list[ColumnMapping]:
    """Place each header onto a field of ``record_type``; each field is taken at most once."""
    names = _names(record_type)
    overrides = {normalize_header(k): v for k, v in (overrides or {}).items()}
    candidates: list[ColumnMapping] = []
    for header in headers:
        key = normalize_header(header)
        if key in overrides:
            candidates.append(ColumnMapping(header, overrides[key], 1.0, "mapping file"))
        elif key in names:
            candidates.append(ColumnMapping(header, names[key], 1.0, "synonym"))
        elif key and (match := process.extractOne(key, list(names), scorer=fuzz.token_sort_ratio)):
            name, score, _ = match
            if score >= FUZZY_CUTOFF:
                candidates.append(ColumnMapping(header, names[name], score / 100, "fuzzy"))
                continue
            candidates.append(ColumnMapping(header, None, 0.0, "no match: kept raw"))
        else:
            candidates.append(ColumnMapping(header, None, 0.0, "no match: kept raw"))
    return _one_header_per_field(candidates)


def _one_header_per_field(candidates: list[ColumnMapping]) -> list[ColumnMapping]:
    best: dict[str, ColumnMapping] = {}
    for mapping in candidates:
        if mapping.field and mapping.confidence > best.get(mapping.field, mapping).confidence - 1:
            current = best.get(mapping.field)
            if current is None or mapping.confidence > current.confidence:
                best[mapping.field] = mapping
    return [
        m
        if m.field is None or best[m.field] is m
        else ColumnMapping(m.header, None, 0.0, f"{m.field} taken by {best[m.field].header!r}")
        for m in candidates
    ]


def infer_record_type(headers: list[str]) -> tuple[str, list[ColumnMapping], float]:
    """The record type whose fields the headers cover best, its mapping and a 0-1 confidence."""
    scored = []
    for record_type, fields in FIELDS.items():
        mappings = map_headers(headers, record_type)
        placed = {m.field for m in mappings if m.field}
        required = {name for name, spec in fields.items() if spec.required}
        if not required <= placed:
            continue
        score = sum(m.confidence for m in mappings if m.field)
        scored.append((score, record_type, mappings))
    if not scored:
        return "unknown", [ColumnMapping(h, None, 0.0, "no record type fits") for h in headers], 0.0
    scored.sort(key=lambda item: item[0], reverse=True)
    score, record_type, mappings = scored[0]
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    confidence = min(1.0, score / max(len([h for h in headers if h]), 1)) * (
        1.0 if score > runner_up else 0.5
    )
    return record_type, mappings, round(confidence, 2)
