"""Secondary indexes built once after a large first load, instead of kept up row by row.

Inserting a million tickets into a table with eight secondary indexes costs about three times
what the bare inserts do; building each index once at the end sorts instead. Only on SQLite,
only when the table was empty when the file began, and inside the file's own transaction: if
the load fails the drop is rolled back with it, and readers (WAL) keep seeing the old, indexed
table. PostgreSQL is left alone: DROP INDEX would lock out readers until the load commits.
Unique indexes stay (the load checks keys against them).
"""

from __future__ import annotations

from sqlalchemy import Index, literal, select, text
from sqlalchemy.orm import Session
from sqlalchemy.schema import DropIndex

from ingest.schema import Base

# The table each record type fills in bulk.
BULK_TABLES = {"ticket": "tickets", "device": "devices"}


def defer_indexes(session: Session, record_type: str) -> list[str]:
    """Drop the secondary indexes of an empty table; return the statements that rebuild them."""
    table = BULK_TABLES.get(record_type)
    if table is None or session.get_bind().dialect.name != "sqlite":
        return []
    model = Base.metadata.tables[table]
    if session.execute(select(literal(1)).select_from(model).limit(1)).first() is not None:
        return []
    found = session.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = :table"
            " AND sql IS NOT NULL AND sql NOT LIKE 'CREATE UNIQUE%'"
        ),
        {"table": model.name},
    ).all()
    for name, _ in found:
        session.execute(DropIndex(Index(name)))
    return [sql for _, sql in found]


def rebuild_indexes(session: Session, statements: list[str]) -> None:
    """Create again the indexes ``defer_indexes`` dropped, exactly as they were defined.

    The statements are SQLite's own record of our migrations' CREATE INDEX, read back verbatim
    from ``sqlite_master``; nothing from a file or a user goes into them.
    """
    for statement in statements:
        session.execute(text(statement))
