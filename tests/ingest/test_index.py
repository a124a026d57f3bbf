"""Indexing is incremental: unchanged text embeds nothing, changes replace, deletions leave no orphan."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import delete, func, select, update

from ingest.db import Store
from ingest.index import HASH_KEY, IndexReport, RichProgress, index_store, text_hash
from ingest.load import ingest_paths
from ingest.sample import build_district, write_exports
from ingest.schema import AppRequest, Contract, Location, Ticket
from ingest.vectors import Vectors, open_vectors
from tests.ingest.embedding_fakes import HashEmbedding


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small generated district's export files (made once for the module)."""
    folder = tmp_path_factory.mktemp("exports")
    write_exports(build_district(devices=300, tickets=60, contracts=15), folder)
    return folder


@pytest.fixture
def loaded(store: Store, exports: Path) -> Store:
    ingest_paths([exports], store)
    return store


@pytest.fixture
def embedder() -> HashEmbedding:
    return HashEmbedding()


@pytest.fixture
def vectors(tmp_path: Path, embedder: HashEmbedding) -> Vectors:
    return open_vectors(tmp_path / "chroma", None, 8000, embedder=embedder)


def _counts(report: IndexReport) -> dict[str, tuple[int, int, int, int]]:
    return {k.kind: (k.embedded, k.metadata_updated, k.deleted, k.unchanged) for k in report.kinds}


def test_the_first_run_embeds_every_text_under_its_sql_id(loaded: Store, vectors: Vectors) -> None:
    report = index_store(loaded, vectors)
    with loaded.read_session() as session:
        ticket_ids = {str(i) for i in session.scalars(select(Ticket.id))}
        n_contracts = session.scalar(select(func.count(Contract.id)))
        n_requests = session.scalar(select(func.count(AppRequest.id)))
        first = session.scalars(select(Ticket).order_by(Ticket.id).limit(1)).one()
        school = session.get(Location, first.location_id)
    assert _counts(report) == {
        "tickets": (60, 0, 0, 0),
        "contracts": (n_contracts, 0, 0, 0),
        "app_requests": (n_requests, 0, 0, 0),
    }
    assert all(k.rebuilt for k in report.kinds)
    tickets, _ = vectors.collection("tickets")
    assert set(tickets.get()["ids"]) == ticket_ids
    meta = tickets.get(ids=[str(first.id)])["metadatas"][0]
    day = first.opened_at.date()
    assert meta["school"] == school.name
    assert meta["date"] == day.isoformat()
    assert meta["date_int"] == int(day.strftime("%Y%m%d"))
    assert meta["category"] == first.category
    assert meta["system"] == first.system
    assert meta[HASH_KEY] == text_hash(f"{first.subject}\n{first.description}")


def test_reindexing_unchanged_rows_embeds_nothing(
    loaded: Store, vectors: Vectors, embedder: HashEmbedding
) -> None:
    index_store(loaded, vectors)
    calls = embedder.calls
    report = index_store(loaded, vectors)
    assert embedder.calls == calls
    assert report.embedded == 0 and report.deleted == 0
    assert _counts(report)["tickets"] == (0, 0, 0, 60)
    assert not any(k.rebuilt for k in report.kinds)


def test_reingesting_the_same_files_embeds_nothing(
    loaded: Store, exports: Path, vectors: Vectors, embedder: HashEmbedding
) -> None:
    index_store(loaded, vectors)
    texts = embedder.texts
    ingest_paths([exports], loaded)
    assert index_store(loaded, vectors).embedded == 0
    assert embedder.texts == texts


def test_a_changed_description_replaces_its_vector(
    loaded: Store, vectors: Vectors, embedder: HashEmbedding
) -> None:
    index_store(loaded, vectors)
    tickets, _ = vectors.collection("tickets")
    with loaded.read_session() as session:
        ticket = session.scalars(select(Ticket).order_by(Ticket.id).limit(1)).one()
    before = tickets.get(ids=[str(ticket.id)], include=["embeddings"])["embeddings"][0]
    with loaded.session() as session:
        session.execute(
            update(Ticket)
            .where(Ticket.id == ticket.id)
            .values(description="the projector in the gym hums loudly")
        )
    texts = embedder.texts
    report = index_store(loaded, vectors, kinds=("tickets",))
    assert embedder.texts == texts + 1
    assert _counts(report)["tickets"] == (1, 0, 0, 59)
    after = tickets.get(ids=[str(ticket.id)], include=["embeddings", "metadatas"])
    assert list(after["embeddings"][0]) != list(before)
    new_text = f"{ticket.subject}\nthe projector in the gym hums loudly"
    assert after["metadatas"][0][HASH_KEY] == text_hash(new_text)
    assert tickets.count() == 60


def test_identical_texts_are_embedded_once_and_every_record_gets_the_vector(
    loaded: Store, vectors: Vectors, embedder: HashEmbedding
) -> None:
    with loaded.session() as session:
        ids = session.scalars(select(Ticket.id).order_by(Ticket.id).limit(5)).all()
        session.execute(
            update(Ticket)
            .where(Ticket.id.in_(ids))
            .values(subject="Screen cracked", description="dropped in the hallway")
        )
    with loaded.read_session() as session:
        distinct = {(t.subject, t.description) for t in session.scalars(select(Ticket))}
    report = index_store(loaded, vectors, kinds=("tickets",))
    assert report.kinds[0].embedded == 60
    assert report.kinds[0].distinct == len(distinct) <= 56
    assert embedder.texts == len(distinct)
    tickets, _ = vectors.collection("tickets")
    got = tickets.get(ids=[str(i) for i in ids], include=["embeddings"])["embeddings"]
    assert len(got) == 5 and all(list(vector) == list(got[0]) for vector in got)
    assert tickets.count() == 60


def test_a_changed_filter_updates_metadata_without_embedding(
    loaded: Store, vectors: Vectors, embedder: HashEmbedding
) -> None:
    index_store(loaded, vectors)
    with loaded.session() as session:
        ticket_id = session.scalar(select(func.min(Ticket.id)))
        session.execute(update(Ticket).where(Ticket.id == ticket_id).values(category="Network"))
    calls = embedder.calls
    report = index_store(loaded, vectors, kinds=("tickets",))
    assert embedder.calls == calls
    assert _counts(report)["tickets"] == (0, 1, 0, 59)
    tickets, _ = vectors.collection("tickets")
    assert tickets.get(ids=[str(ticket_id)])["metadatas"][0]["category"] == "Network"


def test_a_deleted_row_leaves_no_orphan(loaded: Store, vectors: Vectors) -> None:
    index_store(loaded, vectors)
    with loaded.session() as session:
        gone = session.scalar(select(func.max(Ticket.id)))
        session.execute(delete(Ticket).where(Ticket.id == gone))
    report = index_store(loaded, vectors, kinds=("tickets",))
    assert _counts(report)["tickets"] == (0, 0, 1, 59)
    tickets, _ = vectors.collection("tickets")
    assert tickets.get(ids=[str(gone)])["ids"] == []
    assert tickets.count() == 59


def test_text_that_becomes_empty_is_removed(loaded: Store, vectors: Vectors) -> None:
    index_store(loaded, vectors)
    with loaded.session() as session:
        ticket_id = session.scalar(select(func.min(Ticket.id)))
        session.execute(
            update(Ticket).where(Ticket.id == ticket_id).values(subject=None, description=" ")
        )
    report = index_store(loaded, vectors, kinds=("tickets",))
    assert _counts(report)["tickets"] == (0, 0, 1, 59)


def test_a_new_embedding_function_name_rebuilds_the_index(
    loaded: Store, vectors: Vectors, tmp_path: Path
) -> None:
    index_store(loaded, vectors)
    renamed = HashEmbedding("another-model")
    switched = open_vectors(tmp_path / "chroma", None, 8000, embedder=renamed)
    report = index_store(loaded, switched)
    assert all(k.rebuilt for k in report.kinds)
    assert _counts(report)["tickets"] == (60, 0, 0, 0)
    assert renamed.texts == report.distinct < sum(k.total for k in report.kinds)  # repeats once
    tickets, _ = switched.collection("tickets")
    assert tickets.metadata["embedding_function"] == "another-model"
    assert tickets.count() == 60
    assert index_store(loaded, switched).embedded == 0


def test_a_new_embedding_version_rebuilds_the_index(
    loaded: Store, vectors: Vectors, tmp_path: Path
) -> None:
    index_store(loaded, vectors)
    bumped = open_vectors(tmp_path / "chroma", None, 8000, embedder=HashEmbedding(version="2"))
    report = index_store(loaded, bumped, kinds=("contracts",))
    assert report.kinds[0].rebuilt and report.embedded == report.kinds[0].total


def test_progress_is_reported_per_kind(loaded: Store, vectors: Vectors) -> None:
    seen: list[tuple[str, int, int]] = []
    index_store(loaded, vectors, progress=lambda *call: seen.append(call))
    assert ("tickets", 0, 60) in seen and ("tickets", 60, 60) in seen
    assert {kind for kind, _, _ in seen} == {"tickets", "contracts", "app_requests"}
    seen.clear()
    index_store(loaded, vectors, progress=lambda *call: seen.append(call))
    assert seen == []


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[int]:
    """A real Chroma server (`chroma run`, shipped with chromadb) on a free port."""
    binary = shutil.which("chroma", path=str(Path(sys.executable).parent)) or shutil.which("chroma")
    if binary is None:
        pytest.skip("the chroma command is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [binary, "run", "--path", str(tmp_path / "server"), "--host", "127.0.0.1"]
    server = subprocess.Popen(
        [*command, "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 1):
                break
            time.sleep(0.2)
        yield port
    finally:
        server.terminate()
        server.wait(timeout=10)


def test_a_chroma_server_indexes_the_same_way(loaded: Store, chroma_server: int) -> None:
    embedder = HashEmbedding()
    vectors = open_vectors(None, "127.0.0.1", chroma_server, embedder=embedder)
    assert vectors.location == f"http://127.0.0.1:{chroma_server}"
    first = index_store(loaded, vectors, kinds=("tickets",))
    assert _counts(first)["tickets"] == (60, 0, 0, 0)
    calls = embedder.calls
    assert index_store(loaded, vectors, kinds=("tickets",)).embedded == 0
    assert embedder.calls == calls
    assert len(vectors.query("tickets", "screen", where={}, limit=5)) == 5


def test_long_runs_show_a_bar_on_stderr_and_short_ones_do_not(capsys) -> None:
    with RichProgress(min_texts=100) as bar:
        bar("contracts", 0, 12)
        bar("contracts", 12, 12)
    assert capsys.readouterr().err == ""
    with RichProgress(min_texts=100) as bar:
        bar("tickets", 0, 600)
        bar("tickets", 600, 600)
    captured = capsys.readouterr()
    assert "embedding tickets" in captured.err and "600/600" in captured.err
    assert captured.out == ""
