"""Source readers: which system a file came from, and how its columns map onto canonical fields.

Known systems are recognised by their header fingerprint; anything else goes to the generic
reader. ``plan_file`` is the one place that decides, and it says what it decided.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ingest import column_match
from ingest.fields import FIELDS
from ingest.files import normalize_header
from ingest.header_words import header_key
from ingest.sources import (
    freshservice,
    google_admin,
    incident_iq,
    jamf,
    snipe_it,
    snipe_it_users,
    zendesk,
)
from ingest.sources.base import ColumnMapping, VendorSource

SOURCES: dict[str, VendorSource] = {
    "snipe_it": snipe_it.SOURCE,
    "google_admin": google_admin.SOURCE,
    "incident_iq_tickets": incident_iq.TICKETS,
    "incident_iq_assets": incident_iq.ASSETS,
    "zendesk": zendesk.SOURCE,
    "jamf": jamf.SOURCE,
    "freshservice": freshservice.SOURCE,
    "snipe_it_users": snipe_it_users.SOURCE,
    "snipe_it_licenses": snipe_it.LICENSES,
}
# Other header sets a system's files come with (API names, JSON dumps, a second export form).
ALTERNATE_FINGERPRINTS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("google_admin", google_admin.API_FINGERPRINT),
    ("incident_iq_tickets", incident_iq.SPACED_TICKETS_FINGERPRINT),
    ("zendesk", zendesk.JSON_FINGERPRINT),
    ("jamf", jamf.CLASSIC_API_FINGERPRINT),
    ("jamf", jamf.PRO_API_FINGERPRINT),
    ("freshservice", freshservice.API_FINGERPRINT),
    ("snipe_it_users", snipe_it_users.EXPORT_FINGERPRINT),
    ("snipe_it_users", snipe_it_users.API_FINGERPRINT),
)
DETECT_THRESHOLD = 0.6


@dataclass(frozen=True)
class Plan:
    """What a file is and how each of its columns will be read."""

    system: str
    record_type: str
    columns: list[ColumnMapping]
    confidence: float
    decided: str
    source: VendorSource | None = None


def source_names() -> list[str]:
    """The names ``--source`` accepts."""
    return [*SOURCES, *(f"generic:{record_type}" for record_type in FIELDS)]


def header_vocabulary() -> set[str]:
    """Every header name any reader knows, normalised: used to find the header row."""
    words = {normalize_header(h) for s in SOURCES.values() for hs in s.columns.values() for h in hs}
    for fields in FIELDS.values():
        for name, spec in fields.items():
            words.add(normalize_header(name))
            words.update(normalize_header(synonym) for synonym in spec.synonyms)
    return words


def detect_source(headers: list[str]) -> tuple[VendorSource | None, float]:
    """The known system whose fingerprint the headers match best, if any is close enough."""
    scores = [(source.detect(headers), key) for key, source in SOURCES.items()]
    scores += [(_api_fingerprint(headers, fp), key) for key, fp in ALTERNATE_FINGERPRINTS]
    score, key = max(scores)
    return (SOURCES[key], score) if score >= DETECT_THRESHOLD else (None, score)


def _api_fingerprint(headers: list[str], fingerprint: tuple[str, ...]) -> float:
    present = {header_key(h) for h in headers}
    return sum(1 for h in fingerprint if header_key(h) in present) / len(fingerprint)


def plan_file(
    headers: list[str],
    *,
    source: str | None = None,
    record_type: str | None = None,
    overrides: dict[str, str | None] | None = None,
    rows: Sequence[Sequence[Any]] = (),
    file_name: str = "",
) -> Plan:
    """Decide the system, record type and column mapping of a file from its headers.

    ``rows`` are the file's first rows (``column_match.SAMPLE_ROWS`` are used), the value
    evidence for files no known system wrote; a known system's file is planned from its header.

    Raises:
        ValueError: ``source`` names no known reader.
    """
    if source and source not in SOURCES and not source.startswith("generic"):
        raise ValueError(
            f"Unsupported source {source!r}; choose one of {', '.join(source_names())}"
        )
    if not source and (kind := snipe_it.unsupported_kind(headers, file_name)):
        raise ValueError(
            f"this is a Snipe-IT {kind} export; {kind} are not supported (assets, licenses and "
            "users are): nothing was loaded from it"
        )
    if source and source.startswith("generic:"):
        record_type = source.split(":", 1)[1]
    vendor = SOURCES.get(source or "")
    score = 1.0
    if vendor is None and not source and not record_type:
        vendor, score = detect_source(headers)
    if vendor is not None:
        how = "forced by --source" if source else f"header fingerprint {score:.0%}"
        columns = column_match.fill_unknown(vendor.map_columns(headers), rows, vendor.record_type)
        if overrides:
            columns = _apply_overrides(
                columns, overrides, vendor.record_type, frozenset(vendor.columns)
            )
        return Plan(
            vendor.name, vendor.record_type, columns, score, f"{vendor.label} ({how})", vendor
        )
    if record_type:
        if record_type not in FIELDS:
            raise ValueError(f"Unsupported record type {record_type!r}")
        columns = column_match.match_columns(headers, rows, record_type)
        if overrides:
            columns = _apply_overrides(columns, overrides, record_type)
        return Plan("spreadsheet", record_type, columns, 1.0, f"{record_type} (given)")
    inferred, columns, confidence = column_match.infer_record_type(headers, rows, file_name)
    if overrides:
        columns = _apply_overrides(columns, overrides, inferred)
    return Plan("spreadsheet", inferred, columns, confidence, f"{inferred} (inferred from headers)")


def _apply_overrides(
    columns: list[ColumnMapping],
    overrides: dict[str, str | None],
    record_type: str,
    extra: frozenset[str] = frozenset(),
) -> list[ColumnMapping]:
    """A mapping file's columns win; a field the record type lacks is refused, never dropped.

    Raises:
        ValueError: a mapping names a field the record type does not have (the message lists
            the fields it has).
    """
    allowed = set(FIELDS.get(record_type, {})) | extra
    for header, target in overrides.items():
        if target is not None and target not in allowed:
            raise ValueError(
                f"the mapping puts {header!r} on {target!r}, which a {record_type} does not have; "
                f"its fields are {', '.join(sorted(FIELDS.get(record_type, {})))}"
            )
    wanted = {normalize_header(k): v for k, v in overrides.items()}
    given = {v for v in wanted.values() if v}
    out = []
    for c in columns:
        key = normalize_header(c.header)
        if key in wanted:
            out.append(ColumnMapping(c.header, wanted[key], 1.0, "mapping file", "sure"))
        elif c.field in given:  # the mapping gave this field to another column
            out.append(ColumnMapping(c.header, None, 0.0, f"{c.field} given to another column"))
        else:
            out.append(c)
    return out
