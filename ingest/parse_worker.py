"""The second process of a large load: reads and parses files while the loader writes.

Started once per ingest run (``ParsingProcess``, as ``python -m ingest.parse_worker``) so its
imports (a second or so) overlap the loader's planning instead of delaying each large file. It
reads jobs, ``(path, plan, text encoding)`` pickles, from stdin one after another and answers
each with one pickle per chunk on stdout: ``(rows read, [(row, values, raw JSON)], rejects,
note rows skipped)``, then ``("done", the reader's rejects)``; or ``("unreadable", path,
reason)`` / ``("error", text)``. The first chunk of a file is small, so the loader starts
writing sooner. It never opens the database: the file's one transaction stays in the loader.
"""

from __future__ import annotations

import csv
import gc
import os
import pickle
import subprocess
import sys
from collections.abc import Iterator
from itertools import chain, islice
from pathlib import Path
from typing import Any, BinaryIO

FIRST_CHUNK = 2_000


class ParsingProcess:
    """The loader's side: starts the process, hands it files, yields what it parsed.

    A file whose chunks were not all read (the load stopped part way) leaves the process
    mid-answer; it is stopped, and the next file starts a new one.
    """

    def __init__(self) -> None:
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        """Start the process now, so it is ready when the first large file is."""
        if self._process is None:
            package_root = str(Path(__file__).resolve().parents[1])  # it runs this same code
            env = {
                **os.environ,
                "PYTHONPATH": os.pathsep.join([package_root, os.environ.get("PYTHONPATH", "")]),
            }
            self._process = subprocess.Popen(
                [sys.executable, "-m", "ingest.parse_worker"], stdin=subprocess.PIPE,
                stdout=subprocess.PIPE, env=env,
            )  # fmt: skip

    def parse(self, path: Path, plan: Any, encoding: str | None) -> Iterator[Any]:
        """The process's messages for one file, up to and including its last one."""
        self.start()
        process = self._process
        assert process is not None and process.stdin is not None and process.stdout is not None
        finished = False
        try:
            process.stdin.write(pickle.dumps((str(path), plan, encoding)))
            process.stdin.flush()
            while True:
                item = _next_result(process.stdout)
                finished = item[0] in {"done", "unreadable"}
                yield item
                if finished or item[0] == "error":
                    return
        except BrokenPipeError:
            yield ("error", "the parsing process stopped")
        finally:
            if not finished:  # mid-answer, or it stopped: a new process for the next file
                self.close()

    def close(self) -> None:
        """Stop the process. It holds nothing worth keeping between files (its answers are read
        whole, or ``parse`` stopped it), and tearing down its heap politely takes a quarter of a
        second: it is killed."""
        process, self._process = self._process, None
        if process is None:
            return
        assert process.stdin is not None and process.stdout is not None
        if process.poll() is None:
            process.kill()
        process.wait()
        for stream in (process.stdin, process.stdout):
            try:
                stream.close()
            except BrokenPipeError:
                pass


def _next_result(stream: BinaryIO) -> Any:
    """The process's next message; an error if it stopped without one."""
    try:
        return pickle.load(stream)
    except EOFError:
        return ("error", "the parsing process stopped")


def main() -> None:
    """Parse each file named on stdin, chunk by chunk, onto stdout, until stdin closes."""
    gc.disable()  # a short-lived process whose rows make no cycles (see load._no_cycle_collection)
    from ingest.load import read_table  # noqa: F401 - imported now, while the loader plans

    stdin, out = sys.stdin.buffer, sys.stdout.buffer
    while True:
        try:
            path, plan, encoding = pickle.load(stdin)
        except EOFError:
            return
        _parse_file(path, plan, encoding, out)
        out.flush()


def _parse_file(path: str, plan: Any, encoding: str | None, out: BinaryIO) -> None:
    from ingest.errors import UnreadableFile
    from ingest.load import CHUNK, FileReport, RowParser, _chunks, read_table

    report = FileReport(path, "parsing")
    try:
        parser = RowParser(plan, report)
        table = _stream_table(Path(path), encoding) if encoding else read_table(Path(path))
        first = list(islice(table.rows, FIRST_CHUNK))
        for chunk in chain([first] if first else [], _chunks(table.rows, CHUNK)):
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
