"""Fields a file lacks that its record type's answers need, and a mapping.yaml to supply them.

A contract tracker whose renewal column was not recognised still loads, but every renewal
question would then answer from a gap. So the plan is checked against ``fields.NEEDS``: each
need no column meets is reported with the likeliest column (the one whose best evidence for
one of the need's fields is highest) and a ready-to-edit mapping.yaml is written beside the data.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import yaml

from ingest.fields import NEEDS
from ingest.sources.base import ColumnMapping


@dataclass(frozen=True)
class MissingField:
    """A need no column met: its fields, and the likeliest column with its score (if any)."""

    fields: tuple[str, ...]
    column: str | None
    score: float

    def describe(self) -> str:
        """One line for the terminal: what is missing and which column probably holds it."""
        what = " or ".join(f.replace("_", " ") for f in self.fields)
        if self.column is None:
            return f"no column holds {what}"
        return f"no column was recognised as {what}: likeliest {self.column!r} ({self.score:.2f})"


def missing_fields(record_type: str, columns: Sequence[ColumnMapping]) -> list[MissingField]:
    """Each need of the record type that no column meets, with its likeliest column."""
    placed = {c.field for c in columns if c.field}
    out = []
    for need in NEEDS.get(record_type, ()):
        if placed & set(need):
            continue
        best: tuple[float, str | None] = (0.0, None)
        for column in columns:
            if column.field:
                continue
            for field, score in column.alternatives:
                if field in need and score > best[0]:
                    best = (score, column.header)
        out.append(MissingField(tuple(need), best[1], round(best[0], 2)))
    return out


def mapping_text(
    record_type: str, columns: Sequence[ColumnMapping], missing: list[MissingField]
) -> str:
    """A mapping.yaml for this file: every column as matched, the missing needs as comments."""
    lines = [
        "# Written by district-assistant ingest: this file lacked fields its answers need.",
        "# Put the right field name after a column (or null to keep it raw only), then run",
        "#   district-assistant ingest FILE --mapping THIS-FILE",
    ]
    lines += [f"#   missing: {m.describe()}" for m in missing]
    body = {
        "record_type": record_type,
        "columns": {c.header: c.field for c in columns if str(c.header).strip()},
    }
    return "\n".join(lines) + "\n" + yaml.safe_dump(body, sort_keys=False, allow_unicode=True)


def write_mapping_beside(path: Path, text: str) -> Path | None:
    """``<file>.mapping.yaml`` beside the data, unless one is there already (never overwritten)."""
    target = path.with_name(f"{path.stem}.mapping.yaml")
    if target.exists():
        return None
    try:
        target.write_text(text, encoding="utf-8")
    except OSError:
        return None
    return target
