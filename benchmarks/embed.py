"""Embedding throughput of the default model, and the time to index 300k ticket descriptions.

    python benchmarks/embed.py                 # texts/s sweep + index 5,000 tickets, extrapolated
    python benchmarks/embed.py --index 20000   # a bigger measured subset
    python benchmarks/embed.py --index 300000 --no-sweep   # the full figure, measured (issue #23)

Texts are the sample generator's ticket subjects and descriptions (what ``ingest.index`` embeds).
The index run is the real ``index_store`` (read from SQLite, hash, embed, upsert into an embedded
Chroma), timed on a subset and extrapolated linearly to 300,000 tickets when a full run would
take more than about 5 minutes; the output says which. Identical texts are embedded once, so the
run reports records and distinct texts; the generator repeats itself more at scale (20,000
tickets: 74% distinct; 300,000: 38%), so an extrapolation from a small subset overstates the full
run, and only ``--index 300000`` gives the real figure. After the run, 1% of the tickets get a
new description (as a new export would bring) and the index is brought up to date again: only
those are embedded. The load average is printed because other processes on a small machine
change the figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from benchmarks.common import machine  # noqa: E402

TARGET = 300_000
FULL_RUN_LIMIT = 300.0  # seconds: beyond this, extrapolate from the subset


def _texts(n: int) -> list[str]:
    from ingest.sample import build_district

    district = build_district(tickets=n, devices=max(400, n // 10))
    return [f"{t.subject}\n{t.description}" for t in district.tickets]


def throughput(texts: list[str], batch_size: int, threads: int | None) -> float:
    """Texts per second for one configuration (model already loaded, one warm-up batch)."""
    from ingest.vectors import MiniLmEmbedding

    embed = MiniLmEmbedding(batch_size=batch_size, threads=threads)
    embed(texts[:batch_size])
    start = time.perf_counter()
    embed(texts)
    return len(texts) / (time.perf_counter() - start)


def load_seconds() -> float:
    """Hash-checking both files and starting the ONNX session."""
    from ingest.vectors import MiniLmEmbedding

    start = time.perf_counter()
    MiniLmEmbedding().load()
    return time.perf_counter() - start


def index_seconds(n: int, folder: Path) -> tuple[float, int]:
    """Seconds for ``index_store`` over n generated tickets (ingest not counted), and records."""
    from sqlalchemy import select, update

    from ingest.db import open_store
    from ingest.index import index_store
    from ingest.load import ingest_paths
    from ingest.sample import build_district, write_exports
    from ingest.schema import Ticket
    from ingest.vectors import open_vectors

    write_exports(build_district(tickets=n, devices=max(400, n // 10)), folder / "exports")
    store = open_store(f"sqlite:///{folder / 'district.db'}")
    ingest_paths([folder / "exports"], store)
    vectors = open_vectors(folder / "chroma", None, 8000)
    report = index_store(store, vectors, kinds=("tickets",))
    print(f"  {report.embedded:,} tickets, {report.distinct:,} distinct texts embedded")
    again = index_store(store, vectors, kinds=("tickets",))
    print(f"  re-index of the same {n} tickets: {again.seconds:.1f} s, {again.embedded} embedded")
    with store.session() as session:  # a new export: 1% of the tickets say something new
        changed = session.scalars(select(Ticket.id).where(Ticket.id % 100 == 0)).all()
        session.execute(
            update(Ticket)
            .where(Ticket.id.in_(changed))
            .values(description=Ticket.description + " (updated: " + Ticket.external_id + ")")
        )
    after = index_store(store, vectors, kinds=("tickets",))
    print(f"  after {len(changed):,} descriptions changed: {after.seconds:.1f} s, "
          f"{after.embedded:,} embedded")  # fmt: skip
    store.dispose()
    return report.seconds, report.kinds[0].embedded


def main() -> None:
    """Print the sweep, the default's texts/s, and the 300k estimate."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--texts", type=int, default=2000, help="texts per throughput run")
    parser.add_argument("--index", type=int, default=5000, help="tickets in the measured index run")
    parser.add_argument("--no-sweep", action="store_true", help="skip the texts/s sweep")
    args = parser.parse_args()
    print(machine(), f"load average {os.getloadavg()[0]:.2f}")
    print(f"model load (hash check + session): {load_seconds():.2f} s")
    texts = [] if args.no_sweep else _texts(args.texts)
    sweep = [(1, None), (16, None), (32, None), (64, None), (32, 1), (32, 2)]
    for batch_size, threads in sweep if texts else []:
        rate = throughput(texts, batch_size, threads)
        label = "default" if (batch_size, threads) == (32, None) else ""
        print(
            f"  batch {batch_size:3d}, threads {threads or 'auto':>4}: {rate:6.1f} texts/s {label}"
        )
    with tempfile.TemporaryDirectory() as scratch:
        seconds, embedded = index_seconds(args.index, Path(scratch))
    rate = embedded / seconds
    estimate = TARGET / rate
    how = "measured" if embedded >= TARGET else f"extrapolated from {embedded:,} tickets"
    if embedded < TARGET and estimate <= FULL_RUN_LIMIT:
        how += " (a full run would take under 5 minutes: run with --index 300000)"
    print(f"index_store: {embedded:,} tickets in {seconds:.1f} s = {rate:.1f} tickets/s")
    print(f"300,000 tickets: {estimate:,.0f} s = {estimate / 60:.1f} min ({how})")
    print(f"load average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
