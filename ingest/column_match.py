"""Column matching: each column of an unknown file placed on a field by name, meaning and values.

For every column and every field of a record type, three pieces of evidence (each 0-1):

- **name** (``header_words``): the header's words against the field's names, after spelling
  out abbreviations and stemming;
- **meaning** (``header_meaning``): the header against the field's plain description, by the
  embedding model;
- **values** (``column_values``): the share of sampled cells that look like what the field holds.

They are combined into one score with the weights in ``WEIGHTS``, and fields are assigned to
columns jointly, best score first, each field to one column and each column to one field
(``scipy`` is not installed; greedy by score is optimal when one pair clearly leads, which is the
case that matters: a close call is "unsure" anyway). A column is "sure" when its score is high
and clearly ahead of its next field, "unsure" when it is only the best guess, and kept raw
below that. The record type is the one whose assignment explains the columns best.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ingest.column_values import ValueProfile, fit, profile
from ingest.fields import FIELDS, NEEDS, RECORD_TYPES
from ingest.header_meaning import FieldKey, file_name_similarities, meaning_similarities
from ingest.header_words import NameIndex, header_stems, header_words
from ingest.sources.base import ColumnMapping


@dataclass(frozen=True)
class Weight:
    """One tuning number and why it is what it is."""

    value: float
    why: str


WEIGHTS: dict[str, Weight] = {
    "name": Weight(0.45, "the header's own words are the strongest single clue"),
    "meaning": Weight(0.30, "catches wordings no name list has ('Term Ends' = renewal date)"),
    "value": Weight(0.25, "values tell dates from amounts from names; weak between text fields"),
    "meaning_floor": Weight(0.20, "cosine of unrelated short texts with this model"),
    "meaning_ceiling": Weight(0.70, "cosine of a header with its own field's description"),
    "value_veto": Weight(0.15, "below this fit the values contradict the field: score cut"),
    "sure": Weight(
        0.85,
        "a score this high, clearly ahead of the next field, is trusted (blind set A: wrong sure 53 at 0.62, 10 here)",
    ),
    "margin": Weight(0.08, "how far ahead of the column's next field a sure match must be"),
    "unsure": Weight(0.40, "below this a column is kept raw rather than guessed"),
    "meaning_alone": Weight(0.6, "meaning this strong places a column with no shared word"),
    "header_silent": Weight(0.75, "no shared word and weak meaning: the header says nothing"),
    "id_of_a_thing": Weight(0.5, "a header ending in 'id' holds ids: a name field is unlikely"),
    "type_needs": Weight(0.5, "per need met, when choosing the record type"),
    "type_missing_key": Weight(1.0, "per key field (a row's identity) no column provides"),
    "type_file_word": Weight(0.5, "a word of the type in the file's name: half of a full match"),
    "type_file_name": Weight(
        2.0, "the file's name against the type's description, worth two columns"
    ),
}
SAMPLE_ROWS = 50  # cells read per column for value evidence


@dataclass(frozen=True)
class Evidence:
    """Why a column might be a field: each piece of evidence and the combined score."""

    field: str
    name: float
    name_from: str
    meaning: float | None
    value: float | None
    score: float

    def explain(self) -> str:
        """The evidence in words, as --dry-run shows it."""
        parts = [f"name {self.name:.2f}" + (f" ({self.name_from!r})" if self.name else "")]
        if self.meaning is not None:
            parts.append(f"meaning {self.meaning:.2f}")
        if self.value is not None:
            parts.append(f"values {self.value:.2f}")
        return ", ".join(parts)


def _w(key: str) -> float:
    return WEIGHTS[key].value


_INDEX = NameIndex(
    [f.replace("_", " ") for fields in FIELDS.values() for f in fields]
    + [s for fields in FIELDS.values() for spec in fields.values() for s in spec.synonyms]
)


def _name_evidence(header: str, record_type: str, field: str) -> tuple[float, str]:
    spec = FIELDS[record_type][field]
    best, source = 0.0, ""
    for name in (field.replace("_", " "), *spec.synonyms):
        similarity = _INDEX.similarity(header, name)
        if similarity > best:
            best, source = similarity, name
    return best, source


def _combine(name: float, meaning: float | None, value: float | None) -> float:
    parts = [(name, _w("name"))]
    if meaning is not None:
        parts.append((meaning, _w("meaning")))
    if value is not None:
        parts.append((value, _w("value")))
    score = sum(x * w for x, w in parts) / sum(w for _, w in parts)
    if not name and (meaning is None or meaning < _w("meaning_alone")):
        score *= _w("header_silent")  # values alone never place a column
    if value is not None and value < _w("value_veto"):
        score *= 0.5 + 0.3 * name  # a header that names the field exactly keeps some of it
    return score


def _meaning(cosine: float | None) -> float | None:
    if cosine is None:
        return None
    low, high = _w("meaning_floor"), _w("meaning_ceiling")
    return min(1.0, max(0.0, (cosine - low) / (high - low)))


def column_profiles(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[ValueProfile]:
    """Each column's value profile from the sampled rows (short rows count as blank)."""
    rows = list(rows)[:SAMPLE_ROWS]
    return [
        profile([row[i] if i < len(row) else None for row in rows]) for i in range(len(headers))
    ]


def evidence_table(
    headers: Sequence[str],
    record_type: str,
    profiles: Sequence[ValueProfile],
    sims: dict[str, dict[FieldKey, float]] | None,
) -> list[list[Evidence]]:
    """For each column, the evidence for every field of the record type, best first."""
    table = []
    for header, prof in zip(headers, profiles, strict=True):
        words = header_words(header)
        is_id = len(words) > 1 and words[-1] == "identifier"
        row = []
        for field, spec in FIELDS[record_type].items():
            name, source = _name_evidence(header, record_type, field)
            cosine = sims[header].get((record_type, field)) if sims and header in sims else None
            meaning = _meaning(cosine)
            value = fit(spec, prof)
            score = _combine(name, meaning, value)
            if is_id and spec.looks not in ("key", "code", "email"):
                score *= _w("id_of_a_thing")  # "organization_id" is an id, not the organization
            row.append(Evidence(field, name, source, meaning, value, score))
        row.sort(key=lambda e: e.score, reverse=True)
        table.append(row)
    return table


def assign(
    headers: Sequence[str], table: list[list[Evidence]], taken: frozenset[str] = frozenset()
) -> list[ColumnMapping]:
    """Fields to columns, best score first, each at most once; sure, unsure or kept raw.

    ``taken`` are fields another column already holds (a known system's exact columns).
    """
    table = [[e for e in row if e.field not in taken] for row in table]
    pairs = sorted(
        ((e.score, i, e) for i, row in enumerate(table) for e in row if e.score >= _w("unsure")),
        key=lambda item: item[0],
        reverse=True,
    )
    chosen: dict[int, Evidence] = {}
    placed: set[str] = set()
    for _, i, evidence in pairs:
        if i not in chosen and evidence.field not in placed:
            chosen[i] = evidence
            placed.add(evidence.field)
    out = []
    for i, header in enumerate(headers):
        row = table[i]
        top = tuple((e.field, round(e.score, 2)) for e in row[:3])
        if i not in chosen:
            best = row[0] if row else None
            how = (
                f"no field fits (best {best.field} {best.score:.2f}: {best.explain()})"
                if best
                else "empty header"
            )
            out.append(ColumnMapping(header, None, 0.0, how, "", top))
            continue
        picked = chosen[i]
        rivals = [e.score for e in row if e.field != picked.field]
        margin = picked.score - (rivals[0] if rivals else 0.0)
        level = "sure" if picked.score >= _w("sure") and margin >= _w("margin") else "unsure"
        out.append(
            ColumnMapping(
                header, picked.field, round(picked.score, 2), picked.explain(), level, top
            )
        )
    return out


def match_columns(
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    record_type: str,
    taken: frozenset[str] = frozenset(),
) -> list[ColumnMapping]:
    """Each header of a file of ``record_type`` placed on a field (or kept raw), with evidence."""
    profiles = column_profiles(headers, rows)
    sims = _meanings_if_needed(headers, [record_type])
    return assign(headers, evidence_table(headers, record_type, profiles, sims), taken)


def _meanings_if_needed(
    headers: Sequence[str], record_types: Sequence[str]
) -> dict[str, dict[FieldKey, float]] | None:
    """Meaning evidence, unless every header already is one of the fields' own names.

    The model costs a second or two to load; a file whose headers are all known names (the
    sample district's sheets, a re-export of a mapped sheet) is matched without it.
    """
    unnamed = [
        h for h in headers
        if str(h).strip() and not any(
            _name_evidence(h, rt, f)[0] >= 1.0 for rt in record_types for f in FIELDS[rt]
        )
    ]  # fmt: skip
    return meaning_similarities(list(dict.fromkeys(headers))) if unnamed else None


def fill_unknown(
    columns: list[ColumnMapping], rows: Sequence[Sequence[Any]], record_type: str
) -> list[ColumnMapping]:
    """A known system's file: its columns no exact name placed (custom fields, another form of
    the export) go through the matcher for the fields still free. Without sampled rows (a
    header-only plan) they stay raw: a known system's large file is planned from its header."""
    unknown = [i for i, c in enumerate(columns) if c.field is None and str(c.header).strip()]
    if not unknown or not rows:
        return columns
    taken = frozenset(c.field for c in columns if c.field)
    sample = [[row[i] if i < len(row) else None for i in unknown] for row in rows]
    headers = [columns[i].header for i in unknown]
    matched = match_columns(headers, sample, record_type, taken)
    out = list(columns)
    for i, mapping in zip(unknown, matched, strict=True):
        if mapping.field:
            out[i] = mapping
    return out


def needs_met(record_type: str, columns: Sequence[ColumnMapping]) -> list[bool]:
    """For each of the record type's needs (``fields.NEEDS``), whether a column provides it."""
    placed = {c.field for c in columns if c.field}
    return [bool(placed & set(need)) for need in NEEDS.get(record_type, ())]


# Words of every type's description that say nothing about which type a file is.
_TYPE_FILLER = frozenset({"district", "list", "from", "system", "their", "with", "and", "the"})


def _file_words(file_name: str, record_type: str) -> float:
    """1.0 when the file's name shares a word with the type's name or description ("Sites &
    Contacts" is a list of sites; "Help Desk Log" is help desk tickets), else 0.0."""
    stem_of_name = file_name.rsplit(".", 1)[0]
    ours = set(header_stems(stem_of_name))
    theirs = set(header_stems(f"{record_type} {RECORD_TYPES[record_type]}")) - _TYPE_FILLER
    return 1.0 if ours & theirs else 0.0


def infer_record_type(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], file_name: str = ""
) -> tuple[str, list[ColumnMapping], float]:
    """The record type whose fields explain the columns best, its mapping and a 0-1 confidence.

    Each type is scored by the columns its fields take (their scores), the needs it meets, a
    penalty for each key field no column provides, and the file's name read against the type's
    description ("Help Desk Log 2025-26" is tickets before any column is read).
    """
    profiles = column_profiles(headers, rows)
    sims = _meanings_if_needed(headers, list(FIELDS))
    named = file_name_similarities(file_name) if file_name and sims is not None else None
    scored = []
    for record_type in FIELDS:
        columns = assign(headers, evidence_table(headers, record_type, profiles, sims))
        required = [f for f, spec in FIELDS[record_type].items() if spec.required]
        placed = {c.field for c in columns if c.field}
        missing = len(set(required) - placed)
        if not required and NEEDS.get(record_type):  # a device: a serial or an asset tag
            missing = 0 if placed & set(NEEDS[record_type][0]) else 1
        met = needs_met(record_type, columns)
        score = sum(c.confidence for c in columns) + _w("type_needs") * sum(met)
        score -= _w("type_missing_key") * missing
        if file_name:
            meant = _meaning(named[record_type]) if named is not None else None
            score += _w("type_file_name") * max(
                meant or 0.0, _w("type_file_word") * _file_words(file_name, record_type)
            )
        scored.append((score, record_type, columns))
    scored.sort(key=lambda item: item[0], reverse=True)
    score, record_type, columns = scored[0]
    if not any(c.field for c in columns):
        return "unknown", [ColumnMapping(h, None, 0.0, "no record type fits") for h in headers], 0.0
    runner_up = scored[1][0] if len(scored) > 1 else 0.0
    confidence = (score - runner_up) / score if score > 0 else 0.0
    return record_type, columns, round(confidence, 2)
