"""What a JSON backup leaves out: people the user removed (`rm`, or merged into another record) and
conversations deleted, kept in the database only so that `undo` can bring them back, with every row that
exists for them alone (their emails, notes and roles, the conversations only they took part in...).

A restore starts a fresh history, so nothing left out could be brought back from a backup anyway; and a
backup made before this rule holds them marked removed: a restore drops them the same way.

The rows that belong to a left-out row are found from the schema's foreign keys, so that tables added by
later migrations follow: a reference that cascades on delete (a person's emails) leaves its row out; any
other (a follow-up's conversation, a record merged into a removed one) is written as NULL. Provenance,
which names its record by kind and id, follows its record.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from knowwho.storage.sql import quote_name

# The soft-deleted tables and how to find their removed rows, in order (a conversation goes with the last
# of its people). Organizations are never removed by knowwho (roles need them): not here.
_REMOVED = {
    "people": "SELECT id FROM people WHERE deleted_at IS NOT NULL",
    "interactions": """SELECT id FROM interactions WHERE deleted_at IS NOT NULL
        UNION SELECT ip.interaction_id FROM interaction_participants ip
        WHERE ip.person_id IN temp.left_out_people AND NOT EXISTS (
            SELECT 1 FROM interaction_participants other WHERE other.interaction_id = ip.interaction_id
              AND other.person_id NOT IN temp.left_out_people)""",
}
_PROVENANCE_ENTITY = {"people": "person", "interactions": "interaction"}


@dataclass(frozen=True, slots=True)
class RowFilter:
    """Which rows of a table a backup holds, and which references it writes as NULL."""

    keep: str  # SQL condition on the table's columns
    nulled: dict[str, str]  # column -> SQL condition under which it is written as NULL


@contextmanager
def left_out(conn: sqlite3.Connection) -> Iterator[dict[str, RowFilter]]:
    """The filter of every table with rows to leave out (none when nothing was removed).

    The removed rows are gathered once, in temporary tables of this connection (no write to the file).
    """
    created = []
    try:
        for table, query in _REMOVED.items():
            name = f"temp.left_out_{table}"
            conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS left_out_{table} (id INTEGER PRIMARY KEY)")
            created.append(name)
            conn.execute(f"DELETE FROM {name}")
            conn.execute(f"INSERT OR IGNORE INTO {name} {query}")
        removed = [
            t for t in _REMOVED if conn.execute(f"SELECT EXISTS (SELECT 1 FROM temp.left_out_{t})").fetchone()[0]
        ]
        yield _filters(conn, removed) if removed else {}
    finally:
        for name in created:
            conn.execute(f"DROP TABLE IF EXISTS {name}")


def drop(conn: sqlite3.Connection) -> dict[str, int]:
    """Delete what a backup leaves out (a restored older backup's removed rows), inside the caller's
    transaction; foreign keys may be off, so the dependent rows are handled here. Returns rows deleted by table."""
    deleted = {}
    with left_out(conn) as filters:
        for table, row_filter in filters.items():
            for column, condition in row_filter.nulled.items():
                conn.execute(f"UPDATE {quote_name(table)} SET {quote_name(column)} = NULL WHERE {condition}")
            deleted[table] = conn.execute(f"DELETE FROM {quote_name(table)} WHERE NOT ({row_filter.keep})").rowcount
    return deleted


def _filters(conn: sqlite3.Connection, removed: list[str]) -> dict[str, RowFilter]:
    tables = [r[0] for r in conn.execute("SELECT name FROM main.sqlite_master WHERE type = 'table' ORDER BY name")]
    filters = {}
    for table in tables:
        keep = [f"id NOT IN temp.left_out_{table}"] if table in removed else []
        nulled = {}
        for fk in conn.execute(f"PRAGMA main.foreign_key_list({quote_name(table)})").fetchall():
            parent, column, on_delete = fk[2], fk[3], fk[6]
            if parent not in removed:
                continue
            pointing = f"{quote_name(column)} IN temp.left_out_{parent}"
            if on_delete == "CASCADE":
                keep.append(f"NOT coalesce({pointing}, 0)")
            else:
                nulled[column] = pointing
        if table == "provenance":
            keep += [f"NOT (entity = '{_PROVENANCE_ENTITY[t]}' AND entity_id IN temp.left_out_{t})" for t in removed]
        if keep or nulled:
            filters[table] = RowFilter(" AND ".join(keep) or "1", nulled)
    return filters
