"""The error hierarchy: every error carries what a person needs to fix the input (file, row, column)."""

from __future__ import annotations


class DistrictAssistantError(Exception):
    """Base of every error district-assistant raises on purpose."""


class StoreError(DistrictAssistantError):
    """The database or vector store cannot be opened or used."""


class IngestError(DistrictAssistantError):
    """A problem with an input file."""


class UnreadableFile(IngestError):
    """A file that cannot be read at all: nothing from it is loaded."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(f"{path}: {reason}")


class RejectedRow(IngestError):
    """One row (or one cell of it) that cannot be loaded; the rest of the file still loads."""

    def __init__(self, path: str, row: int, column: str | None, reason: str) -> None:
        self.path = path
        self.row = row
        self.column = column
        self.reason = reason
        where = f"row {row}" + (f", column {column!r}" if column else "")
        super().__init__(f"{path}: {where}: {reason}")


class IngestBusy(IngestError):
    """Another ingest holds the database's ingest lock and did not finish in time."""

    def __init__(self, holder: str) -> None:
        self.holder = holder
        super().__init__(f"{holder}; try again later")
