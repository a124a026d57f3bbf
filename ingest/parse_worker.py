"""The second process of a large load: reads and parses one file while the loader writes.

Started by ``ingest.load`` as ``python -m ingest.parse_worker``; reads ``(path, plan)`` as a
pickle on stdin and writes one pickle per chunk on stdout: ``(rows read, [(row, values, raw)], rejects,
note rows skipped)``, then ``None``; or ``("unreadable", path, reason)`` / ``("error", text)``.
It never opens the database, so the file's one transaction stays in the loading process.
"""

from __future__ import annotations

import gc
import pickle
import sys
from pathlib import Path


def main() -> None:
    """Parse the file named on stdin, chunk by chunk, onto stdout."""
    from ingest.errors import UnreadableFile
    from ingest.load import CHUNK, FileReport, RowParser, _chunks, read_table

    gc.disable()  # a short-lived process whose rows make no cycles (see load._no_cycle_collection)
    path, plan = pickle.load(sys.stdin.buffer)
    out = sys.stdout.buffer
    report = FileReport(path, "parsing")
    try:
        parser = RowParser(plan, report)
        for chunk in _chunks(read_table(Path(path)).rows, CHUNK):
            # Plain tuples: a dataclass costs three times as much to unpickle.
            rows = [(p.row, p.values, p.raw) for p in parser.parse(chunk)]
            item = (len(chunk), rows, report.rejects, report.skipped_notes)
            pickle.dump(item, out, protocol=pickle.HIGHEST_PROTOCOL)
            out.flush()
            report.rejects, report.skipped_notes = [], 0
        pickle.dump(None, out)
    except UnreadableFile as exc:
        pickle.dump(("unreadable", exc.path, exc.reason), out)
    except Exception as exc:  # raised again in the loading process
        pickle.dump(("error", f"{type(exc).__name__}: {exc}"), out)
    out.flush()


if __name__ == "__main__":
    main()
