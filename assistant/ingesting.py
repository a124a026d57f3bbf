"""How ingest and quality results are shown on the terminal, and the settings ingest needs.

Kept apart from cli.py so the commands stay thin; rich is imported only when printing.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict
from typing import Any

from assistant.settings import Settings
from ingest.fields import FIELDS
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
                level = f" {column.level}" if column.level else ""
                console.print(
                    f"  {column.header!r:40} -> {target:20} {column.confidence:.2f}{level}  "
                    f"{column.how}",
                    markup=False,
                )
        _print_missing(console, r)
        _print_rejects(console, r)


def _print_missing(console: Any, report: FileReport) -> None:
    """Fields the answers need that no column gave: said out loud, with what to do next."""
    if not report.missing:
        return
    console.print(f"\n[bold]{report.path}[/bold]: {report.record_type} answers need more")
    for missing in report.missing:
        console.print(f"  {missing.describe()}", markup=False)
    if report.mapping_written:
        console.print(
            f"  edit {report.mapping_written} and load again with --mapping {report.mapping_written}",
            markup=False,
        )


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


def confirm_columns(report: FileReport, *, ask: bool) -> dict[str, str | None]:
    """Each column's field, the unsure ones confirmed: asked on the terminal, or the best taken.

    Asking shows the column's three best fields; Enter takes the first, a number another, a
    field name any field, and ``-`` keeps the column raw.
    """
    import typer

    chosen: dict[str, str | None] = {}
    for column in report.columns:
        if not str(column.header).strip():
            continue
        chosen[column.header] = column.field
        if not ask or column.level == "sure" or not column.alternatives:
            continue
        options = [field for field, _ in column.alternatives]
        shown = "  ".join(
            f"{n}) {field} {score:.2f}" for n, (field, score) in enumerate(column.alternatives, 1)
        )
        default = str(options.index(column.field) + 1) if column.field in options else "-"
        fields = FIELDS.get(report.record_type, {})
        while True:
            answer = typer.prompt(f"{column.header!r}: {shown}  -) none", default=default).strip()
            if answer == "-":
                chosen[column.header] = None
            elif answer.isdigit() and 1 <= int(answer) <= len(options):
                chosen[column.header] = options[int(answer) - 1]
            elif answer in fields:
                chosen[column.header] = answer
            else:
                typer.echo(f"a {report.record_type} has no field {answer!r}; "
                           f"its fields are {', '.join(sorted(fields))}", err=True)  # fmt: skip
                continue
            break
    return chosen
