"""Opening the store: one function builds the engines and brings the schema up to date.

Nothing here runs at import time. ``open_store(url)`` returns a ``Store`` with a writing engine
(for ingest only) and a read-only one (for tools), and runs Alembic migrations on first use.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import os
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from importlib import resources
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson
from sqlalchemy import JSON, Engine, create_engine, event, func, select, text
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from ingest.errors import StoreError

if TYPE_CHECKING:
    from alembic.config import Config

_migrated: set[str] = set()
_SQLITE_DATETIME = sqlite.DATETIME._storage_format  # noqa: SLF001 - the default, compared below
_SQLITE_DATE = sqlite.DATE._storage_format  # noqa: SLF001
_migrate_lock = threading.Lock()


@dataclass(frozen=True)
class Store:
    """The SQL side of the store: a writer engine for ingest and a read-only engine for tools."""

    url: str
    engine: Engine
    read_engine: Engine

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A writing session in one transaction: committed on success, rolled back on error."""
        with sessionmaker(self.engine, expire_on_commit=False).begin() as session:
            yield session

    @contextmanager
    def read_session(self) -> Iterator[Session]:
        """A session that cannot write: SQLite query_only, or a READ ONLY transaction."""
        with Session(self.read_engine) as session:
            yield session

    def dispose(self) -> None:
        """Close every pooled connection (tests and short-lived commands)."""
        self.engine.dispose()
        self.read_engine.dispose()


def open_store(url: str, *, read_timeout: float = 30.0) -> Store:
    """Open the database at ``url``, creating it and running migrations when needed.

    ``read_timeout`` is how many seconds the read-only engine waits for a locked SQLite file.

    Raises:
        StoreError: the database cannot be reached or migrated.
    """
    url = with_driver(url)
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend not in SUPPORTED_BACKENDS:
        raise StoreError(f"unsupported database {backend!r}; use SQLite or PostgreSQL")
    if backend == "sqlite" and parsed.database and parsed.database != ":memory:":
        _create_private(Path(parsed.database))
    try:
        engine = _make_engine(url, read_only=False)
        read_engine = _make_engine(url, read_only=True, timeout=read_timeout)
        _migrate_once(url, engine)
    except (SQLAlchemyError, ImportError) as exc:
        raise StoreError(f"cannot open the database: {exc.__class__.__name__}: {exc}") from exc
    return Store(url=url, engine=engine, read_engine=read_engine)


def _create_private(path: Path) -> None:
    """Create a new SQLite file 0600 in a folder created 0700: the data is the district's alone.

    The file is made before SQLite opens it, so it is never readable by others, not even for a
    moment; SQLite gives its -wal and -shm files the same permissions. Existing ones are left as
    they are (a district may share them with a group on purpose).
    """
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except FileExistsError:
        pass


def with_driver(url: str) -> str:
    """``postgresql://`` means psycopg 3 here (the driver we ship), not SQLAlchemy's psycopg2."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        return parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    return url


def _make_engine(url: str, *, read_only: bool, timeout: float = 30.0) -> Engine:
    """An engine with the settings each backend needs; read-only engines refuse writes."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    connect_args: dict[str, Any] = {}
    if backend == "sqlite":
        connect_args = {"timeout": timeout, "check_same_thread": False}
    elif backend == "postgresql" and read_only:
        # Every transaction on these connections is READ ONLY: the server refuses any write.
        options = " ".join(filter(None, [parsed.query.get("options"), _PG_READ_ONLY]))
        connect_args = {"options": options}
    engine = create_engine(url, connect_args=connect_args)
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas(read_only, round(timeout * 1000)))
    elif read_only and backend != "postgresql":
        event.listen(engine, "begin", _begin_read_only)
    return engine


_PG_READ_ONLY = "-c default_transaction_read_only=on"
SUPPORTED_BACKENDS = ("sqlite", "postgresql")


def _sqlite_pragmas(read_only: bool, busy_ms: int) -> Any:
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_ms)}")  # an int: PRAGMA takes no bind
        cursor.execute("PRAGMA cache_size=-262144")  # 256 MiB: index upkeep on big loads
        if read_only:
            cursor.execute("PRAGMA query_only=ON")
        cursor.close()

    return on_connect


def _begin_read_only(connection: Any) -> None:
    """Other servers (MySQL and the like): each transaction says it is read-only."""
    connection.exec_driver_sql("SET TRANSACTION READ ONLY")


def _migrate_once(url: str, engine: Engine) -> None:
    """Run Alembic up to head once per URL per process, and only when the store is behind.

    A store already at the newest revision is checked with one query, without importing Alembic
    (about 0.15 s of a cold ``ask``).
    """
    with _migrate_lock:
        if url in _migrated:
            return
        if _stored_revision(engine) == head_revision():
            _migrated.add(url)
            return
        from alembic import command

        config = alembic_config()
        with engine.begin() as connection:
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
        _migrated.add(url)


_ASSIGNMENT = re.compile(r"^(down_revision|revision)\b[^=\n]*=\s*(.+?)\s*$", re.M)


@cache
def head_revision() -> str | None:
    """The newest migration shipped in the package (see ``head_of``), found once per process."""
    return head_of(resources.files("ingest") / "migrations" / "versions")


def head_of(versions: Any) -> str | None:
    """The newest migration of a versions folder: the revision no other names as its parent.

    Read from the migration files' text (each declares ``revision`` and ``down_revision`` as
    literals, in either quote style), so knowing it costs no import. Anything unexpected (a file
    without a literal revision, several heads) gives None, and Alembic decides as before.
    """
    revisions: set[str] = set()
    parents: set[str] = set()
    for entry in versions.iterdir():
        if not entry.name.endswith(".py") or entry.name.startswith("__"):
            continue
        found = dict(_ASSIGNMENT.findall(entry.read_text(encoding="utf-8")))
        try:
            revision = ast.literal_eval(found["revision"])
            parent = ast.literal_eval(found.get("down_revision", "None"))
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        parents.update([parent] if isinstance(parent, str) else parent or ())
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _stored_revision(engine: Engine) -> str | None:
    """The revision the store is at (None: a new store, or one Alembic never stamped)."""
    try:
        with engine.connect() as connection:
            rows = connection.execute(text("SELECT version_num FROM alembic_version")).all()
    except SQLAlchemyError:
        return None
    return rows[0][0] if len(rows) == 1 else None


def alembic_config() -> Config:
    """The Alembic configuration, pointing at the migrations shipped inside the package."""
    from alembic.config import Config

    config = Config()
    script_location = resources.files("ingest") / "migrations"
    config.set_main_option("script_location", str(script_location))
    return config


def sync_district_settings(
    store: Store, values: dict[str, Any], policies: dict[str, tuple[int, Decimal]]
) -> None:
    """Copy the settings the read-only tools need into the store; writes only what differs.

    Tools cannot read settings (they only get a read-only session), so the app calls this when it
    opens a store: labour rate, fiscal year start, and the replacement policy per category.
    """
    from sqlalchemy import delete, select

    from ingest.rollups import refresh_replacement_dates
    from ingest.schema import DistrictSetting, ReplacementPolicyRow

    with store.session() as session:
        stored = {
            k: v for k, v in session.execute(select(DistrictSetting.key, DistrictSetting.value))
        }
        for key, value in values.items():
            if stored.get(key) != value:
                session.merge(DistrictSetting(key=key, value=value))
        current = {
            row.category: (row.cycle_years, row.unit_cost)
            for row in session.scalars(select(ReplacementPolicyRow))
        }
        if current != policies:
            session.execute(delete(ReplacementPolicyRow))
            session.add_all(
                ReplacementPolicyRow(category=category, cycle_years=years, unit_cost=cost)
                for category, (years, cost) in policies.items()
            )
            session.flush()
            refresh_replacement_dates(session)


def bulk_insert(
    session: Session, table: Any, rows: list[dict[str, Any]], *, serialized: tuple[str, ...] = ()
) -> None:
    """Insert many rows fast: the statement is compiled once, values bound by the column types.

    SQLAlchemy's executemany builds parameters row by row through its generic machinery (about
    30 µs a row); loads of a million rows call the driver's executemany directly instead, with
    the same bound parameters and the same type conversions, applied column by column (on
    SQLite, by C-speed equivalents: ISO formatting for dates, orjson for JSON, and one call per
    distinct value for booleans and numbers). On PostgreSQL the rows go in by COPY, which is
    several times faster than psycopg's pipelined executemany. Columns named in ``serialized``
    hold values already in the database's form (JSON text made by the parsing process).
    """
    if not rows:
        return
    first = rows[0]
    columns = {
        c.name: list(map(itemgetter(c.name), rows)) for c in table.columns if c.name in first
    }
    insert_columns(session, table, columns, serialized=serialized)


def insert_columns(
    session: Session, table: Any, columns: dict[str, list[Any]], *, serialized: tuple[str, ...] = ()
) -> None:
    """``bulk_insert`` of rows given column by column (one list per column, all as long)."""
    count = len(next(iter(columns.values()), []))
    if not count:
        return
    connection = session.connection()
    dialect = connection.dialect
    compiled = table.insert().compile(dialect=dialect, column_keys=list(columns))
    processors = compiled._bind_processors  # noqa: SLF001 - the column types' own converters
    names = list(compiled.positiontup or compiled.binds)
    defaults = {
        c.name: c.default.arg
        for c in table.columns
        if c.default is not None and c.default.is_scalar and c.name not in columns
    }
    values: list[list[Any]] = []
    for name in names:
        column = columns[name] if name in columns else [defaults.get(name)] * count
        process = processors.get(name)
        if process is not None and name not in serialized:
            column = _convert(column, process, table.c[name].type, dialect)
        values.append(column)
    params: list[Any] = list(zip(*values, strict=True))
    if dialect.name == "postgresql" and dialect.driver == "psycopg":
        _copy_rows(connection, table, names, params)
        return
    if not compiled.positional:
        params = [dict(zip(names, row, strict=True)) for row in params]
    connection.exec_driver_sql(compiled.string, params)


def reserve_ids(session: Session, table: Any, count: int) -> list[int]:
    """``count`` new ids for ``table``, so rows can be inserted with their ids already known.

    Reading ids back after an insert cost a query per chunk (2 s on a million rows). On SQLite
    the writer holds the database's one write lock, so the ids after the largest are free; on
    PostgreSQL they come from the column's own sequence.
    """
    if count <= 0:
        return []
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        query = text(
            "SELECT nextval(pg_get_serial_sequence(:name, 'id')) FROM generate_series(1, :count)"
        )
        return list(connection.execute(query, {"name": table.name, "count": count}).scalars())
    largest = connection.execute(select(func.max(table.c.id))).scalar() or 0
    return list(range(largest + 1, largest + 1 + count))


def _convert(column: list[Any], process: Any, kind: Any, dialect: Any) -> list[Any]:
    """A column's values through its bind processor, or a faster one giving the same result."""
    if dialect.name != "sqlite":
        return list(map(process, column))
    impl = kind.dialect_impl(dialect)
    if len(column) > 1 and column.count(column[0]) == len(column):  # one value (a timestamp)
        return _convert(column[:1], process, kind, dialect) * len(column)
    if isinstance(impl, sqlite.DATETIME) and impl._storage_format == _SQLITE_DATETIME:  # noqa: SLF001
        return [
            v.isoformat(" ", "microseconds") if type(v) is dt.datetime and v.tzinfo is None
            else process(v)
            for v in column
        ]  # fmt: skip
    if isinstance(impl, sqlite.DATE) and impl._storage_format == _SQLITE_DATE:  # noqa: SLF001
        return [v.isoformat() if type(v) is dt.date else process(v) for v in column]
    if isinstance(kind, JSON) and dialect._json_serializer is None:  # noqa: SLF001
        return [_dump_json(v) if type(v) is list or type(v) is dict else process(v) for v in column]
    try:
        distinct = dict.fromkeys(column)  # booleans, amounts: few distinct values
    except TypeError:
        return list(map(process, column))
    for value in distinct:
        distinct[value] = process(value)
    return list(map(distinct.__getitem__, column))


def _dump_json(value: Any) -> str:
    """JSON text as json.dumps would read back; orjson is several times faster."""
    try:
        return orjson.dumps(value).decode()
    except TypeError:  # a type orjson does not know, or an integer beyond 64 bits
        return json.dumps(value)


def _copy_rows(connection: Any, table: Any, names: list[str], params: list[Any]) -> None:
    """COPY rows (already converted by the column types) into ``table`` through psycopg 3."""
    quote = connection.dialect.identifier_preparer
    statement = (
        f"COPY {quote.format_table(table)} ({', '.join(quote.quote(n) for n in names)}) FROM STDIN"
    )
    driver = connection.connection.driver_connection
    with driver.cursor() as cursor, cursor.copy(statement) as copy:
        for values in params:
            copy.write_row(values)
