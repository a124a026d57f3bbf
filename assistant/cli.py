"""The command line: ``district-assistant ingest | ask | demo | quality | digest | serve``.

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


def _settings(data_dir: Path | None, database_url: str | None) -> Settings:
    from assistant.settings import Settings

    overrides: dict[str, Any] = {}
    if data_dir is not None:
        overrides["data_dir"] = data_dir
    if database_url is not None:
        overrides["database_url"] = database_url
    return Settings(**overrides)


def _store(settings: Settings) -> Store:
    from assistant.store import open_district_store

    return open_district_store(settings)


def _fail(exc: Exception, debug: bool) -> None:
    if debug:
        raise exc
    typer.echo(f"Error: {exc}", err=True)
    raise typer.Exit(1)


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
            options=load_options(settings), dry_run=dry_run,
        )  # fmt: skip
    except DistrictAssistantError as exc:
        _fail(exc, debug)
        return
    if as_json:
        typer.echo(json.dumps(reports_json(reports), indent=2, default=str))
    else:
        print_reports(reports)
    if not all(report.ok for report in reports):
        raise typer.Exit(1)


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
    from assistant.answer import Assistant

    try:
        settings = _settings(data_dir, database_url)
        result = Assistant(_store(settings), settings).ask(
            question, as_of=as_of.date() if as_of else None
        )
    except DistrictAssistantError as exc:
        _fail(exc, debug)
        return
    typer.echo(result.model_dump_json(indent=2) if as_json else result.answer)


@app.command()
def demo(
    question: Annotated[
        str | None, typer.Option("--question", "-q", help="Answer one question and exit.")
    ] = None,
    as_of: AsOf = None,
    as_json: JsonFlag = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
    debug: Debug = False,
) -> None:
    """Load the bundled sample district and ask it questions (no network, no API key).

    Example: district-assistant demo --question "which contracts renew in the next 90 days?"
    """
    from assistant.answer import Assistant
    from assistant.demo import load_sample, repl

    try:
        settings = _settings(data_dir, database_url)
        today = as_of.date() if as_of else settings.today()
        store = _store(settings)
        load_sample(store, settings, anchor=today, echo=lambda text: typer.echo(text, err=True))
        assistant = Assistant(store, settings)
        if question is None:
            repl(assistant, today)
            return
        result = assistant.ask(question, as_of=today)
    except DistrictAssistantError as exc:
        _fail(exc, debug)
        return
    typer.echo(result.model_dump_json(indent=2) if as_json else result.answer)


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
) -> None:
    """This week's digest: renewals, replacements, backlog, departures, approvals.

    Example: district-assistant digest --as-of 2026-11-23
    """
    typer.echo(
        "Error: the weekly digest is not built yet (it comes with the Slack work).", err=True
    )
    raise typer.Exit(2)


@app.command()
def serve(
    host: Annotated[str, typer.Option("--host", help="Interface to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", help="Port to listen on.")] = 8000,
    socket_mode: Annotated[
        bool, typer.Option("--socket-mode", help="Connect to Slack over Socket Mode.")
    ] = False,
    data_dir: DataDir = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Start the HTTP server: REST API (/ask, /health) and, later, Slack and the digest.

    Example: district-assistant serve --port 8000
    """
    import uvicorn

    from assistant.api import create_app

    if socket_mode:
        typer.echo("Error: Slack Socket Mode is not built yet.", err=True)
        raise typer.Exit(2)
    settings = _settings(data_dir, database_url)
    uvicorn.run(create_app(settings), host=host, port=port)


def main() -> None:
    """Console-script entry point."""
    app(prog_name="district-assistant")


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
