"""search_text: meaning plus filters, SQL rows back, and an honest note when the index is missing."""

from __future__ import annotations

import datetime as dt
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from assistant.settings import Settings
from assistant.store import open_district_store
from ingest.db import Store
from ingest.index import index_store
from ingest.load import ingest_paths
from ingest.sample import SampleDistrict, build_district, write_exports
from ingest.schema import DistrictSetting
from ingest.vectors import MiniLmEmbedding, Vectors, open_vectors
from tests.ingest.embedding_fakes import HashEmbedding
from tools.search import TOOLS, UNAVAILABLE, SearchTextArgs, TicketHit, search_text

SCHOOL_YEAR = (dt.date(2026, 7, 1), dt.date(2027, 6, 30))  # "this school year" on 2026-11-23


@pytest.fixture(scope="module")
def district() -> SampleDistrict:
    return build_district(devices=400, tickets=240, contracts=30)


@pytest.fixture(scope="module")
def indexed(
    tmp_path_factory: pytest.TempPathFactory, district: SampleDistrict, module_database: str | None
) -> Iterator[tuple[Store, Vectors]]:
    """The small district in SQL, indexed with the real model into <data dir>/chroma."""
    folder = tmp_path_factory.mktemp("search")
    write_exports(district, folder / "exports")
    store = open_district_store(Settings(data_dir=folder / "data", database_url=module_database))
    ingest_paths([folder / "exports"], store)
    vectors = open_vectors(folder / "data" / "chroma", None, 8000)
    index_store(store, vectors)
    yield store, vectors
    store.dispose()


def _search(store: Store, vectors: Vectors | None = None, **args: object):
    with store.read_session() as session:
        return search_text(session, SearchTextArgs.model_validate(args), vectors)


def test_meaning_finds_liquid_damage_and_returns_sql_rows(indexed) -> None:
    store, vectors = indexed
    result = _search(store, vectors, query="kid spilled juice on it", limit=5)
    assert result.count == 5 and result.is_index_available
    assert all(isinstance(row, TicketHit) for row in result.rows)
    assert {row.category for row in result.rows} == {"Liquid damage"}
    scores = [row.score for row in result.rows]
    assert scores == sorted(scores, reverse=True) and 0 < scores[-1] <= scores[0] <= 1
    top = result.rows[0]
    assert top.external_id and top.system in {"incident_iq", "zendesk"}
    assert top.source and ":" in top.source
    assert len(result.sources) == 5


def test_water_damage_at_one_school_this_school_year(indexed, district: SampleDistrict) -> None:
    store, vectors = indexed
    start, end = SCHOOL_YEAR
    liquid = [
        t
        for t in district.tickets
        if t.category == "Liquid damage" and start <= t.opened.date() <= end
    ]
    school = max({t.school for t in liquid}, key=lambda s: sum(t.school == s for t in liquid))
    expected = {t.external_id for t in liquid if t.school == school}
    result = _search(store, vectors, query="water damage", school=school, start=start, end=end)
    assert result.count > 0
    assert {row.school for row in result.rows} == {school}
    assert all(start <= row.date <= end for row in result.rows)
    assert result.rows[0].category == "Liquid damage"
    assert expected <= {row.external_id for row in result.rows}


def test_a_short_school_name_and_a_category_filter(indexed) -> None:
    store, vectors = indexed
    result = _search(
        store, vectors, query="broken screen", school="Westview", category="cracked SCREEN"
    )
    assert result.count > 0
    assert {row.school for row in result.rows} == {"Westview High School"}
    assert {row.category for row in result.rows} == {"Cracked screen"}


def test_model_system_and_vendor_filters(indexed) -> None:
    store, vectors = indexed
    chromebooks = _search(store, vectors, query="screen is cracked", model="chromebook")
    assert chromebooks.count > 0
    assert all("chromebook" in (row.model or "").lower() for row in chromebooks.rows)
    zendesk = _search(store, vectors, query="password", system="Zendesk")
    assert zendesk.count > 0 and {row.system for row in zendesk.rows} == {"zendesk"}
    vendor = _search(store, vectors, query="license", kind="contracts").rows[0].vendor
    theirs = _search(store, vectors, query="license", kind="contracts", vendor=vendor.upper())
    assert theirs.count > 0 and {row.vendor for row in theirs.rows} == {vendor}
    none = _search(store, vectors, query="screen", model="Chromebook 3999")
    assert none.count == 0 and none.notes == ['No model named "Chromebook 3999" is in the data.']


def test_weak_matches_are_left_out_and_noted(indexed) -> None:
    store, vectors = indexed
    result = _search(store, vectors, query="quarterly budget spreadsheet for the cafeteria")
    everything = _search(store, vectors, query="quarterly budget spreadsheet for the cafeteria",
                         min_score=-1)  # fmt: skip
    assert result.count < everything.count == 10
    assert all(row.score >= 0.25 for row in result.rows)
    assert any("weaker matches" in note for note in result.notes)


def test_a_school_the_data_does_not_hold_is_said_so(indexed) -> None:
    store, vectors = indexed
    result = _search(store, vectors, query="water damage", school="Hogwarts")
    assert result.count == 0
    assert result.notes == ['No school named "Hogwarts" is in the data.']


def test_contracts_that_mention_data_privacy(indexed) -> None:
    store, vectors = indexed
    result = _search(store, vectors, query="data privacy", kind="contracts", limit=3)
    top = result.rows[0]
    assert "privacy" in (top.notes or "").lower()
    assert top.vendor and top.product and top.renewal_date == top.date


def test_requests_about_reading(indexed) -> None:
    store, vectors = indexed
    result = _search(store, vectors, query="reading intervention", kind="app_requests", limit=3)
    assert result.count == 3
    assert all(row.request_id.startswith("AR-") for row in result.rows)
    assert any("reading" in (row.notes or "").lower() for row in result.rows)


def test_the_tool_finds_the_store_beside_the_database(indexed) -> None:
    store, _ = indexed
    (spec,) = TOOLS
    result = spec.run(store, {"query": "screen is cracked", "limit": 3})
    assert result.is_index_available
    assert {row.category for row in result.rows} == {"Cracked screen"}


def test_no_vector_store_answers_with_a_note(store: Store) -> None:
    result = _search(store, None, query="water damage")
    assert result.count == 0 and result.rows == []
    assert not result.is_index_available
    assert any(UNAVAILABLE in note for note in result.notes)


def test_a_broken_vector_store_answers_with_a_note(store: Store, data_dir: Path) -> None:
    (data_dir / "chroma").mkdir(parents=True)
    (data_dir / "chroma" / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)
    result = _search(store, None, query="water damage")
    assert result.count == 0
    assert any(UNAVAILABLE in note for note in result.notes)


def test_an_unreachable_chroma_server_answers_with_a_note(store: Store) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with store.session() as session:
        session.merge(
            DistrictSetting(key="vector_store", value={"host": "127.0.0.1", "port": port})
        )
    result = _search(store, None, query="water damage")
    assert result.count == 0
    assert any(UNAVAILABLE in note for note in result.notes)


def test_an_index_not_built_yet_answers_with_a_note(store: Store, tmp_path: Path) -> None:
    vectors = open_vectors(tmp_path / "empty", None, 8000)
    result = _search(store, vectors, query="water damage")
    assert any(UNAVAILABLE in note and "indexed" in note for note in result.notes)


def test_an_index_made_by_another_model_is_not_searched(indexed, tmp_path: Path) -> None:
    store, _ = indexed
    other = open_vectors(tmp_path / "other", None, 8000, embedder=HashEmbedding())
    index_store(store, other, kinds=("tickets",))
    real = Vectors(client=other.client, embedder=MiniLmEmbedding())
    result = _search(store, real, query="water damage")
    assert result.count == 0
    assert any(UNAVAILABLE in note and "test-hash-embedding" in note for note in result.notes)


def test_rows_deleted_since_indexing_are_left_out_and_noted(indexed, tmp_path: Path) -> None:
    store, _ = indexed
    vectors = open_vectors(tmp_path / "stale", None, 8000, embedder=HashEmbedding())
    collection, _ = vectors.collection("tickets")
    collection.upsert(ids=["999999"], embeddings=vectors.embed(["water damage"]))
    result = _search(store, vectors, query="water damage")
    assert result.count == 0
    assert any("no longer in the database" in note for note in result.notes)
