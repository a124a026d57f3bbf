"""The second process of a large load: reads and parses one file while the loader writes.

Started by ``ingest.load`` as ``python -m ingest.parse_worker``; reads ``(path, plan, text
encoding)`` as a pickle on stdin and writes one pickle per chunk on stdout: ``(rows read,
[(row, values, raw)], rejects, note rows skipped)``, then ``("done", the reader's rejects)``; or ``("unreadable", path,
reason)`` / ``("error", text)``.
It never opens the database, so the file's one transaction stays in the loading process.
"""

from __future__ import annotations

import csv
import gc
import pickle
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any


def main() -> None:
    """Parse the file named on stdin, chunk by chunk, onto stdout."""
    from ingest.errors import UnreadableFile
    from ingest.load import CHUNK, FileReport, RowParser, _chunks, read_table

    gc.disable()  # a short-lived process whose rows make no cycles (see load._no_cycle_collection)
    path, plan, encoding = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer
    report = FileReport(path, "parsing")
    try:
        parser = RowParser(plan, report)
        table = _stream_table(Path(path), encoding) if encoding else read_table(Path(path))
        for chunk in _chunks(table.rows, CHUNK):
            # Plain tuples: a dataclass costs three times as much to unpickle.
            rows = [(p.row, p.values, p.raw) for p in parser.parse(chunk)]
            item = (len(chunk), rows, report.rejects, report.skipped_notes)
            pickle.dump(item, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
            report.rejects, report.skipped_notes = [], 0
        pickle.dump(("done", table.rejects), out)
    except UnreadableFile as exc:
        pickle.dump(("unreadable", exc.path, exc.reason), out)
    except Exception as exc:  # raised again in the loading process
        pickle.dump(("error", f"{type(exc).__name__}: {exc}"), out)
    out.flush()


def _stream_table(path: Path, encoding: str) -> Any:
    """The rows ``read_table`` gives for a text file, read line by line instead of whole.

    ``read_grid`` holds the decoded file and a StringIO of it (four bytes a character): about
    a gigabyte for a 150 MB export. Universal newlines do what ``decode_bytes`` does to line
    ends, and the encoding is the one the loader already found for this file.
    """
    from ingest.files import _looks_tab_separated, decode_bytes, split_header
    from ingest.load import read_table
    from ingest.sources import header_vocabulary

    if path.suffix.lower() not in {".csv", ".tsv", ".txt"} or _has_nul(path):
        return read_table(path)  # (read_grid drops stray NULs before it splits lines)
    with path.open("rb") as raw:
        decode_bytes(raw.read(1 << 16), path)  # the same refusal of binary files as read_grid
    handle = path.open(encoding=encoding, newline=None)
    first = handle.readline()
    handle.seek(0)
    tab = path.suffix.lower() == ".tsv" or _looks_tab_separated(first)
    csv.field_size_limit(1 << 24)
    return split_header(
        path, _csv_rows(path, handle, "\t" if tab else ","), header_vocabulary(), encoding
    )


def _has_nul(path: Path) -> bool:
    with path.open("rb") as raw:
        return any(b"\x00" in block for block in iter(lambda: raw.read(1 << 20), b""))


def _csv_rows(path: Path, handle: Any, sep: str) -> Iterator[list[str]]:
    from ingest.errors import UnreadableFile

    with handle:
        try:
            yield from csv.reader(handle, delimiter=sep)
        except csv.Error as exc:
            raise UnreadableFile(str(path), f"not a readable CSV file: {exc}") from exc


if __name__ == "__main__":
    main()
