"""How ingest and quality results are shown on the terminal, and the settings ingest needs.

Kept apart from cli.py so the commands stay thin; rich is imported only when printing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import Any

from assistant.settings import Settings
from ingest.load import FileReport
from ingest.writers import LoadOptions
from tools.quality import DataQualityResult

REJECTS_SHOWN = 10


def load_options(settings: Settings) -> LoadOptions:
    """The settings the loader needs, as plain values (ingest never reads settings itself)."""
    return LoadOptions(
        field_precedence=settings.field_precedence,
        fund_codes=settings.fund_codes,
        vendor_aliases=settings.vendor_aliases,
    )


def reports_json(reports: list[FileReport]) -> list[dict[str, Any]]:
    """File reports as JSON-ready dicts."""
    return [asdict(report) for report in reports]


def print_reports(reports: list[FileReport]) -> None:
    """One line per file, then its rejects (first few with reasons) and, in dry runs, its mapping."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table("file", "read as", "status", "rows", "inserted", "updated", "unchanged",
                  "rejected", box=None)  # fmt: skip
    for r in reports:
        table.add_row(r.path, r.decided or r.error or "", r.status, str(r.rows_read),
                      str(r.inserted), str(r.updated), str(r.unchanged), str(r.rejected))  # fmt: skip
    console.print(table)
    for r in reports:
        if r.status == "unreadable":
            console.print(f"[red]{r.path}: cannot be read: {r.error}[/red]")
        if r.status == "planned":
            console.print(f"\n[bold]{r.path}[/bold]: {r.decided}")
            for column in r.columns:
                target = column.field or "—"
                console.print(
                    f"  {column.header!r:40} -> {target:20} {column.confidence:.0%}  {column.how}"
                )
        _print_rejects(console, r)


def _print_rejects(console: Any, report: FileReport) -> None:
    if not report.rejects:
        return
    console.print(f"\n[bold]{report.path}[/bold]: {len(report.rejects)} problems")
    for reject in report.rejects[:REJECTS_SHOWN]:
        where = f"row {reject.row}" + (f", column {reject.column!r}" if reject.column else "")
        kept = "row rejected" if reject.row_rejected else "value dropped, row kept"
        if not reject.row_rejected and reject.value is None:
            kept = "a note on the file"  # e.g. a repeated header: no value was dropped
        console.print(f"  {where}: {reject.reason} ({kept})")
    if len(report.rejects) > REJECTS_SHOWN:
        reasons = Counter(r.reason.split(":")[0] for r in report.rejects[REJECTS_SHOWN:])
        console.print(f"  …and {len(report.rejects) - REJECTS_SHOWN} more ({dict(reasons)})")


def print_quality(report: DataQualityResult) -> None:
    """The quality report as tables."""
    from rich.console import Console
    from rich.table import Table

    console = Console()
    for note in report.notes:  # the last ingest stopped part way: said before any figure
        console.print(f"Warning: {note}", style="bold", markup=False, highlight=False)
    summary = Table("check", "count", box=None)
    for name, count in report.summary.items():
        summary.add_row(name, str(count))
    console.print(summary)
    if report.conflicts:
        table = Table("serial", "field", "values by system", "kept", box=None)
        for c in report.conflicts[:50]:
            values = "; ".join(f"{s}: {v}" for s, v in c.values.items())
            table.add_row(c.key, c.field, values, f"{c.chosen_system}")
        console.print(table)
    if report.rejects:
        table = Table("file", "rows", "reason", box=None)
        for group in report.rejects:
            table.add_row(group.file, str(group.count), group.reason)
        console.print(table)
