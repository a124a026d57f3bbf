"""The command line: ``district-assistant ingest | ask | demo | quality | digest | serve | audit``.

Each command parses its options, calls one entry point (``ingest_paths`` or ``Assistant.ask``)
and formats the result. Results go to stdout, progress to stderr. Heavy imports happen inside
the commands so ``--help`` and ``ask`` start quickly.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from ingest.errors import DistrictAssistantError

if TYPE_CHECKING:
    from assistant.settings import Settings
    from ingest.db import Store

app = typer.Typer(
    help="Answers a district technology office's questions from its own systems' exports.",
    context_settings={"help_option_names": ["-h", "--help"]},
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)

DataDir = Annotated[
    Path | None,
    typer.Option(
        "--data-dir",
        envvar="DISTRICT_ASSISTANT_DATA_DIR",
        help="Folder for the database and vector store.",
        show_default="per-user data folder",
    ),
]
DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="DISTRICT_ASSISTANT_DATABASE_URL",
        help="SQLAlchemy URL of another database (PostgreSQL).",
    ),
]
AsOf = Annotated[
    dt.datetime | None,
    typer.Option("--as-of", formats=["%Y-%m-%d"], help="Answer as if today were this date."),
]
JsonFlag = Annotated[bool, typer.Option("--json", help="Print one JSON object.")]
Debug = Annotated[bool, typer.Option("--debug", help="Show the traceback of an error.")]
NoIndex = Annotated[
    bool, typer.Option("--no-index", help="Skip updating the free-text search index.")
]


def _settings(data_dir: Path | None, database_url: str | None) -> Settings:
    from pydantic import ValidationError

    from assistant.redact import protect
    from assistant.settings import Settings, SettingsError

    overrides: dict[str, Any] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if database_url is not None:
        overrides["database_url"] = database_url
    try:
        settings = Settings(**overrides)
    except ValidationError as exc:  # one Error: line, not a traceback (inputs are hidden)
        problems = "; ".join(
            f"{'.'.join(str(p) for p in e['loc'])}: {e['msg'].removeprefix('Value error, ')}"
            for e in exc.errors()
        )
        raise SettingsError(f"invalid settings: {problems}") from exc
    protect(settings)
    return settings


def _store(settings: Settings) -> Store:
    from assistant.store import open_district_store

    return open_district_store(settings)


def _fail(exc: Exception, debug: bool) -> None:
    from assistant.redact import redact

    if debug:
        raise exc
    typer.echo(f"Error: {redact(str(exc))}", err=True)
    raise typer.Exit(1)


def _fail_database(exc: Exception, debug: bool) -> None:
    """A locked database says "busy, try again"; any other database failure prints its error."""
    from assistant.faults import kind_of, message_for

    _fail(RuntimeError(message_for(exc)) if kind_of(exc) == "busy" and not debug else exc, debug)


def _audit_log(store: Store, settings: Settings) -> Any:
    from assistant.audit import AuditLog

    return AuditLog(store, settings.audit_retention_days)


def _print_answer(result: Any, as_json: bool) -> None:
    """An answer as ask --json prints it, or as the text a person reads."""
    typer.echo(result.model_dump_json(indent=2) if as_json else result.answer)


def version_callback(value: bool) -> None:
    """Print the version and exit."""
    if value:
        from importlib.metadata import version

        typer.echo(f"district-assistant {version('district-assistant')}")
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[
        bool, typer.Option("--version", callback=version_callback, is_eager=True)
    ] = False,
) -> None:
    """Answers a district technology office's questions from its own systems' exports."""


@app.command()
def ingest(
    paths: Annotated[list[Path], typer.Argument(help="CSV, XLSX or JSON files, or folders.")],
    source: Annotated[
        str | None, typer.Option("--source", help="Force a reader, e.g. snipe_it.")
    ] = None,
    mapping: Annotated[
        Path | None, typer.Option("--mapping", help="mapping.yaml for unknown headers.")
    ] = None,
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="Show the column mapping; load nothing.")
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    as_json: JsonFlag = False,
    no_index: NoIndex = False,
    debug: Debug = False,
) -> None:
    """Load exports into the database. Re-loading the same file changes nothing.

    Example: district-assistant ingest exports/ --dry-run
    """
    from assistant.ingesting import load_options, print_reports, reports_json
    from ingest.load import Mapping, ingest_paths

    try:
        settings = _settings(data_dir, database_url)
        store = _store(settings)
        mapping_file = Mapping.from_file(mapping) if mapping else None
        reports = ingest_paths(
            paths, store, source=source, mapping=mapping_file,
            options=load_options(settings), dry_run=dry_run, on_progress=_ingest_progress,
            lock_timeout=settings.ingest_lock_timeout_seconds,
        )  # fmt: skip
    except DistrictAssistantError as exc:
        _fail(exc, debug)
        return
    if as_json:
        typer.echo(json.dumps(reports_json(reports), indent=2, default=str))
    else:
        print_reports(reports)
    if not dry_run and not no_index and any(r.status == "loaded" for r in reports):
        from assistant.indexing import index_now

        index_now(store, settings, echo=lambda text: typer.echo(text, err=True))
    if not all(report.ok for report in reports):
        raise typer.Exit(1)


@app.command(name="map")
def map_file(
    path: Annotated[Path, typer.Argument(help="The CSV, XLSX or JSON file.")],
    yes: Annotated[
        bool, typer.Option("--yes", help="Take the best field of every unsure column.")
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    debug: Debug = False,
) -> None:
    """Confirm how a file's columns are read; the mapping is kept for its header set.

    Each unsure column is shown with its three best fields. Next month's export with the same
    headers then loads with no flag.

    Example: district-assistant map "FY27 Renewals.xlsx" --yes
    """
    from assistant.ingesting import confirm_columns
    from ingest.errors import UnreadableFile
    from ingest.load import ingest_paths
    from ingest.saved_mappings import remember_mapping

    try:
        store = _store(_settings(data_dir, database_url))
        (report,) = ingest_paths([path], store, dry_run=True)
        if report.status == "unreadable":
            raise UnreadableFile(str(path), report.error or "cannot be read")
        columns = confirm_columns(report, ask=not yes)
        with store.session() as session:
            remember_mapping(session, [c.header for c in report.columns], report.record_type,
                             columns, path.name)  # fmt: skip
    except DistrictAssistantError as exc:
        _fail(exc, debug)
        return
    placed = sum(1 for field in columns.values() if field)
    typer.echo(f"{path.name}: {report.record_type}, {placed} of {len(columns)} columns placed; "
               "mapping kept for files with these headers", err=True)  # fmt: skip


PROGRESS_FROM_ROWS = 10_000


def _ingest_progress(name: str, rows: int, _total: int) -> None:
    """A line on stderr per chunk of a large file, so a long load shows it is alive."""
    if rows >= PROGRESS_FROM_ROWS:
        typer.echo(f"{name}: {rows:,} rows read", err=True)


@app.command()
def ask(
    question: Annotated[str, typer.Argument(help="The question, in plain words.")],
    as_of: AsOf = None,
    as_json: JsonFlag = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    debug: Debug = False,
) -> None:
    """Answer one question from the data.

    Example: district-assistant ask "what renews next quarter?" --as-of 2026-11-23
    """
    from sqlalchemy.exc import OperationalError

    from assistant.answer import Assistant
    from assistant.audit import AuditedAssistant, local_user

    try:
        settings = _settings(data_dir, database_url)
        store = _store(settings)
        audit = _audit_log(store, settings)
        assistant = AuditedAssistant(Assistant(store, settings), audit, "cli", local_user())
        result = assistant.ask(question, as_of=as_of.date() if as_of else None)
        audit.flush()
    except OperationalError as exc:
        _fail_database(exc, debug)
        return
    except DistrictAssistantError as exc:
        _fail(exc, debug)
        return
    _print_answer(result, as_json)


@app.command()
def demo(
    question: Annotated[
        str | None, typer.Option("--question", "-q", help="Answer one question and exit.")
    ] = None,
    as_of: AsOf = None,
    as_json: JsonFlag = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    no_index: NoIndex = False,
    debug: Debug = False,
) -> None:
    """Load the bundled sample district and ask it questions (no network, no API key).

    Example: district-assistant demo --question "which contracts renew in the next 90 days?"
    """
    from assistant.answer import Assistant
    from assistant.audit import AuditedAssistant, local_user
    from assistant.demo import load_sample, repl

    try:
        settings = _settings(data_dir, database_url)
        today = as_of.date() if as_of else settings.today()
        store = _store(settings)
        echo = lambda text: typer.echo(text, err=True)  # noqa: E731
        load_sample(store, settings, anchor=today, echo=echo)
        audit = _audit_log(store, settings)
        unaudited = Assistant(store, settings)
        assistant = AuditedAssistant(unaudited, audit, "demo", local_user())
        if question is None:
            if not no_index:
                from assistant.indexing import index_in_background

                index_in_background(store, settings)  # structured questions answer meanwhile
            repl(assistant, today)  # type: ignore[arg-type]  # an audited Assistant
            audit.flush()
            return
        indexer = None
        if not no_index:  # the answer first; the index goes on beside it and is waited for after
            from assistant.demo import wait_for_search
            from assistant.indexing import index_in_background

            indexer = index_in_background(store, settings, echo=echo)
            wait_for_search(unaudited, indexer, question, today)  # free text: a head start
        result = assistant.ask(question, as_of=today)
        audit.flush()
    except DistrictAssistantError as exc:
        _fail(exc, debug)
        return
    _print_answer(result, as_json)
    if indexer is not None:
        echo("Building the search index for free-text questions...")
        indexer.join()


@app.command()
def quality(
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    as_json: JsonFlag = False,
    debug: Debug = False,
) -> None:
    """The data quality report: duplicates, conflicts, missing owners or locations, rejects.

    Example: district-assistant quality --json
    """
    from assistant.ingesting import print_quality
    from tools.quality import DataQualityArgs, data_quality

    try:
        store = _store(_settings(data_dir, database_url))
        with store.read_session() as session:
            report = data_quality(session, DataQualityArgs())
    except DistrictAssistantError as exc:
        _fail(exc, debug)
        return
    if as_json:
        typer.echo(report.model_dump_json(indent=2))
    else:
        print_quality(report)


@app.command()
def digest(
    post: Annotated[bool, typer.Option("--post", help="Post it to DIGEST_CHANNEL.")] = False,
    as_of: AsOf = None,
    as_json: JsonFlag = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    debug: Debug = False,
) -> None:
    """This week's digest: renewals, replacements, backlog, departures, approvals.

    Example: district-assistant digest --as-of 2026-11-23
    """
    from slack_sdk.errors import SlackClientError

    from assistant.digest import build_digest
    from assistant.scheduler import post_by_hand

    try:
        settings = _settings(data_dir, database_url)
        store = _store(settings)
        result = build_digest(store, settings, as_of.date() if as_of else None)
        if post:
            post_by_hand(store, settings, result)
            typer.echo(f"Posted the digest to {settings.digest_channel}.", err=True)
    except (DistrictAssistantError, ValueError, SlackClientError, OSError) as exc:
        _fail(exc, debug)
        return
    typer.echo(result.model_dump_json(indent=2) if as_json else result.text())


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    socket_mode: Annotated[
        bool,
        typer.Option("--socket-mode", help="Connect to Slack over Socket Mode (SLACK_APP_TOKEN)."),
    ] = False,
    scheduler: Annotated[
        bool,
        typer.Option("--scheduler/--no-scheduler", help="Post the weekly digest on DIGEST_CRON."),
    ] = True,
    no_index: NoIndex = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    debug: Debug = False,
) -> None:
    """Start the HTTP server: REST API (/ask, /digest, /docs), Slack events, the weekly digest.

    Example: district-assistant serve --port 8000
    """
    import uvicorn
    from slack_sdk.errors import SlackClientError

    from assistant.api import check_exposure, create_app, server_config
    from assistant.scheduler import start_weekly_digest
    from assistant.slack import socket_mode_handler

    try:
        settings = _settings(data_dir, database_url)
        if warning := check_exposure(settings, host):
            typer.echo(f"Warning: {warning}.", err=True)
        api = create_app(settings)
        handler = socket_mode_handler(settings, api.state.assistant) if socket_mode else None
        if handler is not None:
            handler.connect()
            typer.echo("Connected to Slack over Socket Mode.", err=True)
        weekly = start_weekly_digest(settings, api.state.assistant.store) if scheduler else None
        if not no_index:
            from assistant.indexing import index_in_background

            index_in_background(api.state.assistant.store, settings)
    except (DistrictAssistantError, ValueError, SlackClientError, OSError) as exc:
        _fail(exc, debug)
        return
    api.state.assistant.warm_up()
    try:
        uvicorn.Server(server_config(api, settings, host, port)).run()
    finally:
        if weekly is not None:
            weekly.shutdown(wait=False)
        if handler is not None:
            handler.close()


@app.command()
def audit(
    days: Annotated[int, typer.Option("--days", min=1, help="How many days back.")] = 7,
    limit: Annotated[int, typer.Option("--limit", min=1, help="At most this many rows.")] = 100,
    as_json: JsonFlag = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    debug: Debug = False,
) -> None:
    """The audit log: who asked what, when, from where, which tools ran; newest first.

    Example: district-assistant audit --days 30 --json
    """
    from assistant.audit import recent

    try:
        rows = recent(_store(_settings(data_dir, database_url)), days, limit)
    except DistrictAssistantError as exc:
        _fail(exc, debug)
        return
    fields = ("asked_at", "interface", "user_id", "channel_id", "outcome", "tools",
              "duration_ms", "question")  # fmt: skip
    if as_json:
        items = [{name: getattr(row, name) for name in fields} for row in rows]
        typer.echo(json.dumps(items, indent=2, default=str))
        return
    for row in rows:
        where = f"{row.interface}:{row.channel_id}" if row.channel_id else row.interface
        tools = ",".join(row.tools) or "-"
        typer.echo(f"{row.asked_at:%Y-%m-%d %H:%M:%S} UTC  {where}  {row.user_id or '-'}  "
                   f"{row.outcome}  {tools}  {row.duration_ms} ms  {row.question}")  # fmt: skip


@app.command(name="eval")
def eval_(
    pattern: Annotated[
        str | None, typer.Option("-k", help="Only cases whose id or category contains this.")
    ] = None,
    work_dir: Annotated[
        Path | None, typer.Option("--work-dir", help="Keep the sample's data dir here.")
    ] = None,
    no_index: Annotated[
        bool, typer.Option("--no-index", help="Skip the search questions and indexing.")
    ] = False,
    as_json: JsonFlag = False,
    strict: Annotated[bool, typer.Option("--strict", help="Exit 1 below a target.")] = False,
    verbose: Annotated[
        bool, typer.Option("-v", "--verbose", help="Show right answers too.")
    ] = False,
) -> None:
    """Score the assistant on the golden questions about the bundled sample district.

    Example: district-assistant eval -k renewals
    """
    from evals.run import main as run_eval  # the one command above the assistant layer

    argv = [
        *(["-k", pattern] if pattern else []),
        *(["--work-dir", str(work_dir)] if work_dir else []),
    ]
    argv += [flag for flag, on in (("--no-index", no_index), ("--json", as_json),
                                   ("--strict", strict), ("--verbose", verbose)) if on]  # fmt: skip
    raise typer.Exit(run_eval(argv))


def main() -> None:
    """Console-script entry point."""
    app(prog_name="district-assistant")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
