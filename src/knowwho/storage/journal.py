"""The change journal: every row a change writes, kept so that the change can be undone exactly.

A use case runs as one *change* (`Database.change`). While a change is open,
temporary triggers on this connection copy each row it inserts, updates or
deletes into `undo_rows` (which row, which operation) and a shadow table per
table (the row as it was, with its own column types, so that a REAL or a
photo comes back bit for bit). Undo replays the change backwards. Cascades
fire the triggers too, so a removal's cascaded rows come back with it.

Bulk inserts (`inserting_range`) are journaled as one range per batch
instead: the rows above the table's largest key before the batch are the
batch's own, so undoing them is one range delete, and the replay leaves them
out of its own scratch journal.

Nothing is journaled outside a change (the demo, a restore, the numbering of
today's list), and derived full-text tables are left to their own triggers.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from knowwho.storage.sql import quote_name

# Tables that are not the user's data: the journal itself, today's numbered listing, the network's change feed.
_NOT_JOURNALED = {"undo_log", "undo_rows", "agenda_listing", "network_changes"}
# How many changes keep their rows; older ones can no longer be undone.
KEEP_CHANGES = 200


@dataclass(frozen=True, slots=True)
class Change:
    id: int
    created_at: str
    description: str
    undone_at: str | None
    rows: int


@dataclass(frozen=True, slots=True)
class _Table:
    name: str
    columns: tuple[str, ...]
    key: tuple[str, ...]  # ('rowid',) or the primary key of a WITHOUT ROWID table

    @property
    def shadow(self) -> str:
        return f"undo_old_{self.name}"

    @property
    def has_rowid(self) -> bool:
        return self.key == ("rowid",)


def journaled_tables(conn: sqlite3.Connection) -> list[_Table]:
    rows = conn.execute("SELECT name, sql FROM main.sqlite_master WHERE type = 'table'").fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    tables = []
    for name, sql in rows:
        if name.startswith(("sqlite_", "undo_")) or name in _NOT_JOURNALED or name in virtual:
            continue
        if any(name.startswith(f"{v}_") for v in virtual):  # full-text shadow tables
            continue
        info = conn.execute(f"PRAGMA main.table_info({quote_name(name)})").fetchall()
        columns = tuple(str(row[1]) for row in info)
        without_rowid = "WITHOUT ROWID" in (sql or "").upper()
        key = tuple(str(r[1]) for r in sorted(info, key=lambda r: r[5]) if r[5]) if without_rowid else ("rowid",)
        tables.append(_Table(name, columns, key))
    return tables


def install(conn: sqlite3.Connection) -> None:
    """Create the shadow tables (once per file) and this connection's journaling triggers."""
    # bulk_table: "insert T" or "delete T", what is journaled as a range just now instead of row by row
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS undo_current (change_id INTEGER, bulk_table TEXT)")
    for table in journaled_tables(conn):
        _ensure_shadow(conn, table)
        for op in ("insert", "update", "delete"):
            conn.execute(_trigger_sql(table, op))


def _ensure_shadow(conn: sqlite3.Connection, table: _Table) -> None:
    existing = {str(r[1]) for r in conn.execute(f"PRAGMA main.table_info({quote_name(table.shadow)})")}
    if not existing:
        cols = ", ".join(quote_name(c) for c in table.columns)
        conn.execute(
            f"CREATE TABLE main.{quote_name(table.shadow)} AS "
            f"SELECT 0 AS undo_seq, '' AS undo_image, {cols} FROM main.{quote_name(table.name)} WHERE 0"
        )
        conn.execute(f"CREATE INDEX main.{quote_name(table.shadow + '_seq')} ON {quote_name(table.shadow)} (undo_seq)")
        return
    for column in table.columns:  # a later migration added a column
        if column not in existing:
            conn.execute(f"ALTER TABLE main.{quote_name(table.shadow)} ADD COLUMN {quote_name(column)}")


def _trigger_sql(table: _Table, op: str) -> str:
    name = quote_name(f"undo_{table.name}_{op}")
    current = "(SELECT change_id FROM temp.undo_current)"
    image = "old" if op == "delete" else "new"
    row_id = f"{image}.rowid" if table.has_rowid else "NULL"
    body = [f"INSERT INTO undo_rows (change_id, tbl, op, row_id) VALUES ({current}, '{table.name}', '{op}', {row_id});"]
    if op != "insert":
        body.append(_copy_image(table, "old"))
    if not table.has_rowid and op != "delete":
        body.append(_copy_image(table, "new"))
    when = f"{current} IS NOT NULL"
    if op != "update":  # inside a range the rows are journaled as the range
        when = f"(SELECT change_id FROM temp.undo_current WHERE bulk_table IS NOT '{op} {table.name}') IS NOT NULL"
    if op == "update":  # a rewrite with the same values (stats refreshed to what they were) is no change
        when += " AND (" + " OR ".join(f"old.{quote_name(c)} IS NOT new.{quote_name(c)}" for c in table.columns) + ")"
    return (
        f"CREATE TEMP TRIGGER IF NOT EXISTS {name} AFTER {op.upper()} ON main.{quote_name(table.name)} "
        f"WHEN {when} BEGIN {' '.join(body)} END"
    )


def _copy_image(table: _Table, image: str) -> str:
    values = ", ".join(f"{image}.{quote_name(c)}" for c in table.columns)
    return f"INSERT INTO {quote_name(table.shadow)} VALUES ((SELECT MAX(seq) FROM undo_rows), '{image}', {values});"


# -- opening and closing a change ------------------------------------------------------
def begin(conn: sqlite3.Connection, *, description: str, now: str) -> int:
    """A new change, marked as being written by this process until `finish`."""
    cursor = conn.execute(
        """INSERT INTO undo_log (created_at, kind, description, payload, running_pid)
           VALUES (?, 'change', ?, '{}', ?)""",
        (now, description, os.getpid()),
    )
    change_id = int(cursor.lastrowid or 0)
    journal_into(conn, change_id)
    return change_id


def journal_into(conn: sqlite3.Connection, change_id: int) -> None:
    """Journal what this connection writes from now on as change `change_id`."""
    conn.execute("DELETE FROM temp.undo_current")
    conn.execute("INSERT INTO temp.undo_current (change_id) VALUES (?)", (change_id,))


def end(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM temp.undo_current")


def _current(conn: sqlite3.Connection) -> int | None:
    try:
        row = conn.execute("SELECT change_id FROM temp.undo_current").fetchone()
    except sqlite3.OperationalError:  # no journal on this connection (the demo's own loading)
        return None
    return None if row is None else int(row[0])


@contextmanager
def inserting_range(
    conn: sqlite3.Connection, table: str, column: str = "rowid", *, first: int | None = None
) -> Iterator[None]:
    """Journal the rows inserted into `table` inside as one range of `column`, not row by row.

    Exact when every row inserted inside has `column` above every value the table
    held before: an automatic rowid, or keys handed out past the largest (`first`
    is the smallest the caller inserts; below that the rows are journaled one by one).
    Runs inside the caller's transaction, which holds the write lock.
    """
    change_id = _current(conn)
    if change_id is None:
        yield
        return
    name, col = quote_name(table), _column_sql(column)
    low = int(conn.execute(f"SELECT COALESCE(MAX({col}), 0) + 1 FROM {name}").fetchone()[0])
    if first is not None and first < low:
        yield
        return
    conn.execute("UPDATE temp.undo_current SET bulk_table = ?", (f"insert {table}",))
    try:
        yield
    finally:  # rows written before a failure are journaled too
        conn.execute("UPDATE temp.undo_current SET bulk_table = NULL")
        high, count = conn.execute(f"SELECT MAX({col}), COUNT(*) FROM {name} WHERE {col} >= ?", (low,)).fetchone()
        if count:
            conn.execute(
                """INSERT INTO undo_rows (change_id, tbl, op, row_id, last_row_id, range_column, range_rows)
                   VALUES (?, ?, 'insert', ?, ?, ?, ?)""",
                (change_id, table, low, high, column, count),
            )


def _column_sql(column: str) -> str:
    return "rowid" if column == "rowid" else quote_name(column)


def finish(conn: sqlite3.Connection, change_id: int) -> None:
    """The change is written: no process is at work on it any more."""
    conn.execute("UPDATE undo_log SET running_pid = NULL WHERE id = ?", (change_id,))


def running(conn: sqlite3.Connection) -> list[tuple[Change, int]]:
    """Changes some process began and has not finished, oldest first, each with that process's id."""
    rows = conn.execute("SELECT id, running_pid FROM undo_log WHERE running_pid IS NOT NULL ORDER BY id").fetchall()
    found = []
    for change_id, pid in rows:
        change = get(conn, change_id)
        if change is not None:
            found.append((change, int(pid)))
    return found


def describe(conn: sqlite3.Connection, change_id: int, description: str) -> None:
    conn.execute("UPDATE undo_log SET description = ? WHERE id = ?", (description, change_id))


def discard_if_empty(conn: sqlite3.Connection, change_id: int) -> bool:
    """A change that wrote nothing is no change: forget it (so undo reaches the one before)."""
    if conn.execute("SELECT 1 FROM undo_rows WHERE change_id = ? LIMIT 1", (change_id,)).fetchone():
        return False
    conn.execute("DELETE FROM undo_log WHERE id = ?", (change_id,))
    return True


def forget(conn: sqlite3.Connection, change_id: int) -> None:
    """Drop the rows journaled under `change_id` (the scratch journal of a replay)."""
    seqs = "SELECT seq FROM undo_rows WHERE change_id = ?"
    for table in journaled_tables(conn):
        conn.execute(f"DELETE FROM {quote_name(table.shadow)} WHERE undo_seq IN ({seqs})", (change_id,))
    conn.execute("DELETE FROM undo_rows WHERE change_id = ?", (change_id,))


def prune(conn: sqlite3.Connection, tables: list[_Table], keep: int = KEEP_CHANGES) -> None:
    """Forget the rows of all but the newest `keep` changes."""
    row = conn.execute("SELECT id FROM undo_log ORDER BY id DESC LIMIT 1 OFFSET ?", (keep,)).fetchone()
    if row is None:
        return
    oldest_kept = conn.execute("SELECT MIN(seq) FROM undo_rows WHERE change_id > ?", (row[0],)).fetchone()[0]
    limit = oldest_kept if oldest_kept is not None else 1 << 62
    for table in tables:
        conn.execute(f"DELETE FROM {quote_name(table.shadow)} WHERE undo_seq < ?", (limit,))
    conn.execute("DELETE FROM undo_rows WHERE change_id <= ?", (row[0],))
    conn.execute("UPDATE undo_log SET pruned = 1 WHERE id <= ? AND NOT pruned", (row[0],))


# -- reading the history ---------------------------------------------------------------
def changes(conn: sqlite3.Connection, *, limit: int = 20) -> list[Change]:
    rows = conn.execute(
        """SELECT l.id, l.created_at, l.description, l.undone_at,
                  (SELECT COALESCE(SUM(COALESCE(r.range_rows, 1)), 0) FROM undo_rows r WHERE r.change_id = l.id)
           FROM undo_log l WHERE NOT l.pruned ORDER BY l.id DESC LIMIT ?""",
        (limit,),
    ).fetchall()
    return [Change(*row) for row in rows]


def get(conn: sqlite3.Connection, change_id: int) -> Change | None:
    row = conn.execute(
        """SELECT l.id, l.created_at, l.description, l.undone_at,
                  (SELECT COALESCE(SUM(COALESCE(r.range_rows, 1)), 0) FROM undo_rows r WHERE r.change_id = l.id)
           FROM undo_log l WHERE l.id = ? AND NOT l.pruned""",
        (change_id,),
    ).fetchone()
    return Change(*row) if row else None


def latest_open(conn: sqlite3.Connection) -> Change | None:
    row = conn.execute(
        "SELECT id FROM undo_log WHERE undone_at IS NULL AND NOT pruned ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return get(conn, row[0]) if row else None


def mark_undone(conn: sqlite3.Connection, change_id: int, now: str) -> None:
    conn.execute("UPDATE undo_log SET undone_at = ? WHERE id = ?", (now, change_id))


# -- undoing ----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class _Range:
    tbl: str
    column: str
    low: int
    high: int
    position: int | None  # where `column` sits in a WITHOUT ROWID key; None: the key is the rowid

    def covers(self, tbl: str, key: object) -> bool:
        if tbl != self.tbl:
            return False
        value = key if self.position is None else key[self.position]  # type: ignore[index]
        return isinstance(value, int) and self.low <= value <= self.high

    def meets(self, other: _Range) -> bool:
        """Whether both may hold a row; ranges over different columns of one table are taken to."""
        if self.tbl != other.tbl:
            return False
        return self.column != other.column or (self.low <= other.high and other.low <= self.high)


@dataclass(slots=True)
class Touched:
    """The rows a change wrote: each row journaled alone by (table, key), and the ranges inserted at once."""

    rows: set[tuple[str, object]] = field(default_factory=set)
    ranges: list[_Range] = field(default_factory=list)

    def covers(self, tbl: str, key: object) -> bool:
        return (tbl, key) in self.rows or any(r.covers(tbl, key) for r in self.ranges)

    def overlaps(self, other: Touched) -> bool:
        if self.rows & other.rows or any(r.meets(o) for r in self.ranges for o in other.ranges):
            return True
        return any(other.covers(*row) for row in self.rows) or any(self.covers(*row) for row in other.rows)

    def beyond(self, other: Touched) -> list[tuple[str, object]]:
        """The rows written here that `other` did not write (ranges here count as beyond when not in other's)."""
        outside = [row for row in self.rows if not other.covers(*row)]
        outside += [(r.tbl, r.low) for r in self.ranges if not any(r == o for o in other.ranges)]
        return outside


def touched_rows(conn: sqlite3.Connection, change_id: int) -> Touched:
    """Every row a change wrote: rowid, or the key image of a WITHOUT ROWID row; and its inserted ranges."""
    tables = {t.name: t for t in journaled_tables(conn)}
    found = Touched()
    for seq, tbl, row_id, last_row_id, column in conn.execute(
        "SELECT seq, tbl, row_id, last_row_id, range_column FROM undo_rows WHERE change_id = ?", (change_id,)
    ).fetchall():
        table = tables.get(tbl)
        if table is None:
            continue
        if column is not None:
            position = None if table.has_rowid else table.key.index(column)
            found.ranges.append(_Range(tbl, column, row_id, last_row_id, position))
        elif table.has_rowid:
            found.rows.add((tbl, row_id))
        else:
            found.rows.update((tbl, key) for key in _key_images(conn, table, seq))
    return found


def _key_images(conn: sqlite3.Connection, table: _Table, seq: int) -> Iterator[tuple[object, ...]]:
    cols = ", ".join(quote_name(c) for c in table.key)
    for row in conn.execute(f"SELECT {cols} FROM {quote_name(table.shadow)} WHERE undo_seq = ?", (seq,)):
        yield tuple(row)


def later_changes(conn: sqlite3.Connection, change_id: int) -> list[int]:
    rows = conn.execute(
        "SELECT id FROM undo_log WHERE id > ? AND undone_at IS NULL AND NOT pruned ORDER BY id",
        (change_id,),
    ).fetchall()
    return [int(r[0]) for r in rows]


def replay_backwards(conn: sqlite3.Connection, change_id: int) -> None:
    """Put back every row the change wrote, newest first (the journaling triggers must be idle)."""
    tables = {t.name: t for t in journaled_tables(conn)}
    entries = conn.execute(
        """SELECT seq, tbl, op, row_id, last_row_id, range_column FROM undo_rows
           WHERE change_id = ? ORDER BY seq DESC""",
        (change_id,),
    ).fetchall()
    for seq, tbl, op, row_id, last_row_id, column in entries:
        table = tables.get(tbl)
        if table is None:
            continue
        if column is not None:
            _delete_range(conn, table, column, row_id, last_row_id)
        else:
            _reverse(conn, table, op, seq, row_id)


def _delete_range(conn: sqlite3.Connection, table: _Table, column: str, low: int, high: int) -> None:
    """Take back a range of inserted rows in one statement, leaving them out of the replay's own journal."""
    conn.execute("UPDATE temp.undo_current SET bulk_table = ?", (f"delete {table.name}",))
    try:
        conn.execute(f"DELETE FROM {quote_name(table.name)} WHERE {_column_sql(column)} BETWEEN ? AND ?", (low, high))
    finally:
        conn.execute("UPDATE temp.undo_current SET bulk_table = NULL")


def _reverse(conn: sqlite3.Connection, table: _Table, op: str, seq: int, row_id: int | None) -> None:
    name, shadow = quote_name(table.name), quote_name(table.shadow)
    cols = ", ".join(quote_name(c) for c in table.columns)
    old = f"SELECT {cols} FROM {shadow} WHERE undo_seq = ? AND undo_image = 'old'"
    if table.has_rowid:
        where, where_args = "rowid = ?", (row_id,)
    else:
        keys = ", ".join(quote_name(c) for c in table.key)
        where = f"({keys}) = (SELECT {keys} FROM {shadow} WHERE undo_seq = ? AND undo_image = 'new')"
        where_args = (seq,)
    if op == "insert":
        conn.execute(f"DELETE FROM {name} WHERE {where}", where_args)
    elif op == "update":
        conn.execute(f"UPDATE {name} SET ({cols}) = ({old}) WHERE {where}", (seq, *where_args))
    elif table.has_rowid:
        conn.execute(f"INSERT INTO {name} (rowid, {cols}) SELECT ?, {cols} FROM ({old})", (row_id, seq))
    else:
        conn.execute(f"INSERT INTO {name} ({cols}) {old}", (seq,))
