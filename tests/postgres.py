"""A throwaway PostgreSQL server for the test session, and a fresh database per test.

The server runs from the binaries of Debian's postgresql package in a temporary folder, on a
free port of 127.0.0.1 with its socket in that folder, and is stopped and removed when the
session ends. Each database is copied from a template migrated once per session, so a test's
database costs a file copy, not a run of every migration.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from ingest.db import open_store

REQUIRE = "DISTRICT_ASSISTANT_REQUIRE_POSTGRES"
# Read once at import: the per-test clean environment clears DISTRICT_ASSISTANT_* variables.
REQUIRED = os.environ.get(REQUIRE) == "1"
BIN_GLOB = "/usr/lib/postgresql/*/bin"
TEMPLATE = "district_template"
# Durability is worth nothing in a server that lives for one test session.
SPEED = ("fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=200")


def find_binaries() -> Path | None:
    """The folder with initdb and pg_ctl: PATH first, then the newest Debian postgresql-N."""
    on_path = shutil.which("pg_ctl")
    if on_path and shutil.which("initdb"):
        return Path(on_path).resolve().parent
    folders = sorted(Path("/").glob(BIN_GLOB.lstrip("/")), key=lambda p: int(p.parent.name))
    found = [f for f in folders if (f / "initdb").exists() and (f / "pg_ctl").exists()]
    return found[-1] if found else None


def postgres_binaries() -> str:
    """The server version the PostgreSQL cases run against, for the report header."""
    binaries = find_binaries()
    if binaries is None:
        return "not found (PostgreSQL cases skip)"
    version = subprocess.run([str(binaries / "postgres"), "--version"], capture_output=True,
                             text=True).stdout.strip()  # fmt: skip
    return f"{version} in {binaries}"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class PostgresServer:
    """One running server: makes and drops databases, each reachable by a SQLAlchemy URL."""

    binaries: Path
    folder: Path
    port: int = field(default_factory=_free_port)
    _names: Iterator[int] = field(default_factory=itertools.count)
    # One worker: databases are made ahead and dropped after, in order, off the test's time.
    _background: ThreadPoolExecutor = field(default_factory=lambda: ThreadPoolExecutor(1))
    _next: Future[str] | None = None

    @property
    def _as_postgres(self) -> list[str]:
        # postgres refuses to run as root; as root, run it as the postgres system user.
        return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def _run(self, *args: str) -> None:
        result = subprocess.run([*self._as_postgres, *args], capture_output=True, text=True)
        if result.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text()[-2000:] if log.exists() else ""
            raise RuntimeError(f"{args[0]} failed: {result.stderr or result.stdout}\n{tail}")

    def start(self) -> None:
        """initdb into the folder and start the server; waits until it accepts connections."""
        if os.geteuid() == 0:
            owner = pwd.getpwnam("postgres")
            os.chown(self.folder, owner.pw_uid, owner.pw_gid)
        data = self.folder / "data"
        self._run(str(self.binaries / "initdb"), "-D", str(data), "-U", "postgres",
                  "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8", "--no-sync")  # fmt: skip
        options = [f"-p {self.port}", f"-k {self.folder}", "-h 127.0.0.1"]
        options += [f"-c {setting}" for setting in SPEED]
        self._run(str(self.binaries / "pg_ctl"), "-D", str(data), "-l",
                  str(self.folder / "server.log"), "-w", "-o", " ".join(options), "start")  # fmt: skip

    def stop(self) -> None:
        """Stop at once (nothing here needs to survive) and remove the folder."""
        self._background.shutdown(wait=True, cancel_futures=True)
        with contextlib.suppress(RuntimeError):
            self._run(str(self.binaries / "pg_ctl"), "-D", str(self.folder / "data"),
                      "-m", "immediate", "-w", "stop")  # fmt: skip
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database: str) -> str:
        """The SQLAlchemy URL of one database on this server (psycopg 3 driver)."""
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def execute(self, statement: str) -> None:
        """One statement outside a transaction, as CREATE and DROP DATABASE need."""
        import psycopg

        with psycopg.connect(
            host="127.0.0.1", port=self.port, user="postgres", dbname="postgres", autocommit=True
        ) as connection:
            connection.execute(statement)

    def migrate_template(self) -> None:
        """Make the template every test database is copied from, with every migration applied."""
        self.execute(f"CREATE DATABASE {TEMPLATE}")
        open_store(self.url(TEMPLATE)).dispose()
        self.execute(f"ALTER DATABASE {TEMPLATE} WITH IS_TEMPLATE true ALLOW_CONNECTIONS false")

    def create_database(self, *, empty: bool = False) -> str:
        """A fresh database, migrated unless ``empty``; returns its URL.

        The copy takes about 0.3 s (the template holds the system catalogs too), so the next one
        is made in the background while the test runs.
        """
        if empty:
            return self._create("template0")
        ready = self._next or self._background.submit(self._create, TEMPLATE)
        self._next = self._background.submit(self._create, TEMPLATE)
        return ready.result()

    def drop_database(self, url: str) -> None:
        """Drop a database in the background, ending any connection a test left open to it."""
        self._background.submit(self._drop, url.rsplit("/", 1)[1])

    def _create(self, template: str) -> str:
        name = f"test_{next(self._names)}"
        self.execute(f"CREATE DATABASE {name} TEMPLATE {template}")
        return self.url(name)

    def _drop(self, name: str) -> None:
        self.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def unavailable(reason: str) -> None:
    """Skip the PostgreSQL cases on a laptop without it; fail them where CI requires it."""
    if REQUIRED:
        pytest.fail(f"{reason} (and {REQUIRE}=1)", pytrace=False)
    pytest.skip(f"{reason}; install Debian's postgresql package to run the PostgreSQL cases")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole session, started on first use and removed at the end."""
    binaries = find_binaries()
    if binaries is None:
        unavailable(f"no PostgreSQL server binaries (initdb, pg_ctl) on PATH or in {BIN_GLOB}")
    if os.geteuid() == 0 and not _has_user("postgres"):
        unavailable("running as root and there is no 'postgres' user to run the server as")
    server = PostgresServer(binaries, Path(tempfile.mkdtemp(prefix="district-assistant-pg-")))
    try:
        server.start()
        server.migrate_template()
        yield server
    finally:
        server.stop()


def _has_user(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
