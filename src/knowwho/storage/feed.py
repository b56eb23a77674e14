"""Bulk inserts into the network's tables, named in the change feed (`network_changes`, 0014) as one range.

The feed's triggers name every row an insert writes. An import adding
thousands of acquaintances names them all at once instead: the table's insert
trigger is dropped for the while and put back, inside the caller's
transaction (so a failure or a killed process leaves it as it was), and one
feed entry names the range of ids the batch was given.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from knowwho.storage.sql import quote_name


@contextmanager
def feeding_range(conn: sqlite3.Connection, table: str) -> Iterator[None]:
    """Feed the rows inserted into `table` inside (new rowids, past the largest) as one range."""
    trigger = f"network_{table}_insert"
    row = conn.execute("SELECT sql FROM main.sqlite_master WHERE type = 'trigger' AND name = ?", (trigger,)).fetchone()
    if row is None:
        yield
        return
    name = quote_name(table)
    low = int(conn.execute(f"SELECT COALESCE(MAX(rowid), 0) + 1 FROM main.{name}").fetchone()[0])
    conn.execute(f"DROP TRIGGER main.{quote_name(trigger)}")
    try:
        yield
    finally:
        # IF NOT EXISTS: an error that rolled the transaction back has put the trigger back already
        conn.execute(str(row[0]).replace("CREATE TRIGGER", "CREATE TRIGGER IF NOT EXISTS", 1))
        high = conn.execute(f"SELECT MAX(rowid) FROM main.{name}").fetchone()[0]
        if high is not None and high >= low:
            conn.execute(
                "INSERT INTO network_changes (tbl, row_id, last_row_id) VALUES (?, ?, ?)", (table, low, int(high))
            )
