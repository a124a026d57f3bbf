"""Retrieval eval: do ticket searches find the right kind of ticket in the sample district?

Each case in ``retrieval_queries.yaml`` is a query as a person would type it ("kid spilled juice
on it"), the ticket category it means, and optionally a school and a date window. The sample
district is generated, loaded through ``ingest_paths``, indexed with the real embedding model,
and searched with the ``search_text`` tool; the generator's truth says each ticket's category.

The score is recall@10, capped: of the tickets that are relevant (the case's category, inside
its filters), the share found in the top 10, out of at most 10 (BEIR's R_cap@10). Every category
has hundreds of tickets, so for an unfiltered case this is the share of the top 10 that is
relevant; with a school and window there may be fewer than 10, and it is then plain recall.

    python -m evals.retrieval                     # the default sample district (6,000 tickets)
    python -m evals.retrieval --tickets 1500 -v   # smaller, and every case's top hits
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from statistics import mean
from typing import Any

import yaml

from ingest.db import Store, open_store
from ingest.index import RichProgress, index_store
from ingest.load import ingest_paths
from ingest.sample import SampleDistrict, build_district, write_exports
from ingest.vectors import Vectors, open_vectors
from tools.search import SearchTextArgs, search_text

CASES_FILE = Path(__file__).with_name("retrieval_queries.yaml")
K = 10


@dataclass(frozen=True)
class Case:
    """One query and what it should find."""

    query: str
    category: str
    school: str | None = None
    start: dt.date | None = None
    end: dt.date | None = None


@dataclass
class CaseResult:
    """How one case did: capped recall@10, whether the first hit was relevant, reciprocal rank."""

    case: Case
    relevant: int
    recall: float
    first_hit_relevant: bool
    reciprocal_rank: float
    found: list[str] = field(default_factory=list)  # categories of the top hits, in order
    scores: list[float] = field(default_factory=list)  # their similarity scores


@dataclass
class RetrievalReport:
    """All cases, and the averages."""

    results: list[CaseResult]
    tickets: int
    index_seconds: float

    @property
    def recall_at_10(self) -> float:
        """Mean capped recall@10 over the cases."""
        return mean(r.recall for r in self.results) if self.results else 0.0

    @property
    def mrr(self) -> float:
        """Mean reciprocal rank of the first relevant hit."""
        return mean(r.reciprocal_rank for r in self.results) if self.results else 0.0


def load_cases(path: Path = CASES_FILE) -> list[Case]:
    """The cases of a YAML file: mappings with query, category, school, start, end.

    The list is the file itself or its ``cases`` key (blind sets are kept as their writers made
    them, a bare list).
    """
    loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
    raw: list[dict[str, Any]] = loaded["cases"] if isinstance(loaded, dict) else loaded
    return [Case(**item) for item in raw]


def prepare(
    district: SampleDistrict, folder: Path, *, progress: bool = False
) -> tuple[Store, Vectors, float]:
    """Load the district's exports into SQLite under ``folder`` and index its tickets."""
    write_exports(district, folder / "exports")
    store = open_store(f"sqlite:///{folder / 'district.db'}")
    ingest_paths([folder / "exports"], store)
    vectors = open_vectors(folder / "chroma", None, 8000)
    started = time.perf_counter()
    with RichProgress(min_texts=200 if progress else 10**9) as bar:
        index_store(store, vectors, progress=bar, kinds=("tickets",))
    return store, vectors, time.perf_counter() - started


def run_cases(
    district: SampleDistrict, store: Store, vectors: Vectors, cases: list[Case]
) -> list[CaseResult]:
    """Search each case and score it against the generator's truth."""
    truth = {(t.system, t.external_id): t for t in district.tickets}
    results = []
    with store.read_session() as session:
        for case in cases:
            relevant = {
                key
                for key, t in truth.items()
                if t.category == case.category and _inside(case, t.school, t.opened.date())
            }
            if not relevant:
                raise ValueError(f"no ticket is relevant to {case.query!r}: fix the case")
            args = SearchTextArgs(
                query=case.query, school=case.school, start=case.start, end=case.end, limit=K
            )
            rows = search_text(session, args, vectors).rows
            keys = [(row.system, row.external_id) for row in rows if row.kind == "tickets"]
            hits = [key in relevant for key in keys]
            rank = next((i + 1 for i, hit in enumerate(hits) if hit), None)
            results.append(
                CaseResult(
                    case=case,
                    relevant=len(relevant),
                    recall=sum(hits) / min(K, len(relevant)),
                    first_hit_relevant=bool(hits and hits[0]),
                    reciprocal_rank=1 / rank if rank else 0.0,
                    found=[truth[key].category for key in keys if key in truth],
                    scores=[row.score for row in rows],
                )
            )
    return results


def _inside(case: Case, school: str, day: dt.date) -> bool:
    if case.school and school != case.school:
        return False
    return not ((case.start and day < case.start) or (case.end and day > case.end))


def evaluate(
    cases: list[Case],
    district: SampleDistrict,
    folder: Path | None = None,
    *,
    progress: bool = False,
) -> RetrievalReport:
    """Build, load and index the district in ``folder`` (a temporary one by default), run cases."""
    with tempfile.TemporaryDirectory() as scratch:
        where = folder or Path(scratch)
        store, vectors, seconds = prepare(district, where, progress=progress)
        try:
            results = run_cases(district, store, vectors, cases)
        finally:
            store.dispose()
    return RetrievalReport(results=results, tickets=len(district.tickets), index_seconds=seconds)


def print_report(report: RetrievalReport, *, verbose: bool = False) -> None:
    """Per-category figures, the misses, and the headline recall@10."""
    by_category: dict[str, list[CaseResult]] = defaultdict(list)
    for result in report.results:
        by_category[result.case.category].append(result)
    print(f"{'category':16} {'cases':>5} {'recall@10':>10} {'top-1':>6}")
    for category, results in sorted(by_category.items()):
        top1 = mean(r.first_hit_relevant for r in results)
        print(
            f"{category:16} {len(results):5d} {mean(r.recall for r in results):10.3f} {top1:6.2f}"
        )
    for result in report.results:
        if verbose or result.recall < 0.8:
            case = result.case
            where = f" @ {case.school} {case.start}..{case.end}" if case.school else ""
            found = ", ".join(
                f"{c} {s:.2f}" for c, s in zip(result.found, result.scores, strict=False)
            )
            print(f"  {result.recall:.2f}  {case.query!r}{where} ({case.category}, "
                  f"{result.relevant} relevant): {found}")  # fmt: skip
    print(
        f"\n{len(report.results)} queries over {report.tickets} tickets "
        f"(indexed in {report.index_seconds:.0f} s): recall@10 = {report.recall_at_10:.3f}, "
        f"MRR = {report.mrr:.3f}"
    )


def main(argv: list[str] | None = None) -> int:
    """Run the eval; exit 1 when recall@10 is under ``--min-recall``."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tickets", type=int, default=6000, help="tickets in the district")
    parser.add_argument("--seed", type=int, default=2027)
    parser.add_argument("--cases", type=Path, default=CASES_FILE)
    parser.add_argument("--min-recall", type=float, default=0.9)
    parser.add_argument("--work-dir", type=Path, help="keep the store here (re-runs reuse it)")
    parser.add_argument("-v", "--verbose", action="store_true", help="show every case")
    args = parser.parse_args(argv)
    district = build_district(args.seed, tickets=args.tickets)
    report = evaluate(load_cases(args.cases), district, args.work_dir, progress=True)
    print_report(report, verbose=args.verbose)
    return 0 if report.recall_at_10 >= args.min_recall else 1


if __name__ == "__main__":
    sys.exit(main())
