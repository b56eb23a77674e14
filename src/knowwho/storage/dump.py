"""Every table of the database read row by row in a stable order, and written back with its ids.

What a full backup leaves out, because it is recomputed or only describes
the moment:
- the full-text indexes (`*_fts` virtual tables and their shadow tables):
  derived from people, organizations, notes and interactions. The schema's
  triggers index each restored row as it is inserted, exactly as they do in
  daily use (an FTS "rebuild" would not: it would also index the
  interactions the triggers leave out on purpose, those without subject or
  notes, and their delete trigger would never remove them again);
  `optimize_indexes` then merges the many small index segments;
- `agenda_listing`: the numbering of the last `knowwho today` listing (for
  `knowwho done N`); the next listing writes it again.
- `network_changes`: which rows of the network changed lately, for a
  server that keeps the network in memory.
- the server's secrets (session key, API and feed tokens: `settings` keys
  starting "web."): a backup is not a key to the server; the restored
  database makes its own.
- what the user removed (people, conversations) and the rows that exist for
  them alone: see storage/removed_rows.py.
SQLite's own tables (`sqlite_*`) are never read. The derived columns of
people (last_inbound_at, tie_strength, ...) are kept as they are, so a
restored database is the same database, down to today's list.

The tables are found from the schema itself, so a table added by a later
migration is backed up without a change here.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from knowwho.storage.access import CACHE_PREFIX, SECRET_PREFIX
from knowwho.storage.removed_rows import RowFilter
from knowwho.storage.sql import quote_name

EPHEMERAL_TABLES = frozenset({"agenda_listing", "network_changes"})
# The change journal (storage/journal.py): a backup holds the network, not how
# it got there; a restore starts a fresh history. Older backups carry undo_log.
JOURNAL_PREFIX = "undo_"
# Tables a brand-new database may already fill with defaults (settings,
# stock templates): they do not make a database "non-empty", and a restore
# replaces their rows.
SEEDED_TABLES = frozenset({"settings", "templates"})
_NOT_SECRET = f"substr(key, 1, {len(SECRET_PREFIX)}) != '{SECRET_PREFIX}'"
_IN_BACKUPS = f"{_NOT_SECRET} AND substr(key, 1, {len(CACHE_PREFIX)}) != '{CACHE_PREFIX}'"
_FTS_SHADOW_SUFFIXES = ("_data", "_idx", "_content", "_docsize", "_config")
_WITHOUT_ROWID = re.compile(r"\)\s*WITHOUT\s+ROWID\s*;?\s*$", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class TableSpec:
    name: str
    columns: tuple[str, ...]
    order_by: tuple[str, ...]  # a stable row order: rowid (insertion order), or the key


def table_specs(conn: sqlite3.Connection) -> list[TableSpec]:
    """The tables a backup holds, sorted by name."""
    rows = conn.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' ORDER BY name").fetchall()
    virtual = [name for name, sql in rows if (sql or "").upper().startswith("CREATE VIRTUAL TABLE")]
    shadows = {f"{v}{suffix}" for v in virtual for suffix in _FTS_SHADOW_SUFFIXES}
    specs = []
    for name, sql in rows:
        if (
            name.startswith(("sqlite_", JOURNAL_PREFIX))
            or name in virtual
            or name in shadows
            or name in EPHEMERAL_TABLES
        ):
            continue
        info = conn.execute(f"PRAGMA table_info({quote_name(name)})").fetchall()
        columns = tuple(col[1] for col in info)
        if _WITHOUT_ROWID.search(sql or ""):
            key = tuple(col[1] for col in sorted((c for c in info if c[5]), key=lambda c: c[5]))
            order = key or columns
        else:
            order = ("rowid",)
        specs.append(TableSpec(name=name, columns=columns, order_by=order))
    return specs


def full_text_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND upper(sql) LIKE 'CREATE VIRTUAL TABLE%USING FTS%'"
        " ORDER BY name"
    )
    return [r[0] for r in rows]


def iter_rows(conn: sqlite3.Connection, spec: TableSpec, only: RowFilter | None = None) -> Iterator[dict[str, Any]]:
    """The rows of a table as column -> value, in the spec's order, streamed; `only` those a filter keeps."""
    nulled = only.nulled if only else {}
    columns = ", ".join(
        f"CASE WHEN {nulled[c]} THEN NULL ELSE {quote_name(c)} END" if c in nulled else quote_name(c)
        for c in spec.columns
    )
    order = ", ".join(c if c == "rowid" else quote_name(c) for c in spec.order_by)
    cursor = conn.cursor()
    cursor.row_factory = None  # plain tuples: faster, and never a Row
    conditions = ([_IN_BACKUPS] if spec.name == "settings" else []) + ([only.keep] if only else [])
    where = f" WHERE {' AND '.join(conditions)}" if conditions else ""
    cursor.execute(f"SELECT {columns} FROM {quote_name(spec.name)}{where} ORDER BY {order}")
    names = spec.columns
    while batch := cursor.fetchmany(2000):
        for values in batch:
            yield dict(zip(names, values, strict=True))


def count_rows(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT COUNT(*) FROM {quote_name(table)}").fetchone()[0])


def tables_with_rows(conn: sqlite3.Connection, specs: list[TableSpec]) -> list[str]:
    """The tables holding user data (seeded tables aside) that are not empty."""
    return [
        s.name
        for s in specs
        if s.name not in SEEDED_TABLES
        and conn.execute(f"SELECT EXISTS (SELECT 1 FROM {quote_name(s.name)})").fetchone()[0]
    ]


@contextmanager
def read_snapshot(conn: sqlite3.Connection) -> Iterator[None]:
    """One read transaction, so an export sees one consistent state while others write."""
    if conn.in_transaction:
        yield
        return
    conn.execute("BEGIN")
    try:
        yield
    finally:
        conn.execute("COMMIT")


# -- restoring ----------------------------------------------------------------------
@contextmanager
def foreign_keys_off(conn: sqlite3.Connection) -> Iterator[None]:
    """Bulk-load mode for a restore, around (never inside) its transaction.

    Rows come table by table in name order, children before parents, and a
    merged person may point at a later one. Checked row by row, even deferred,
    SQLite would scan child tables on every parent insert while any reference
    is pending: quadratic on a large network. Instead the restore checks every
    reference once at the end with `broken_references`, before it commits.
    """
    if conn.in_transaction:
        raise RuntimeError("foreign keys cannot be switched inside a transaction")
    conn.execute("PRAGMA foreign_keys = OFF")
    try:
        yield
    finally:
        conn.execute("PRAGMA foreign_keys = ON")


def ephemeral_tables(conn: sqlite3.Connection) -> list[str]:
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return sorted(n for n in names if n in EPHEMERAL_TABLES or n.startswith(JOURNAL_PREFIX))


def clear_tables(conn: sqlite3.Connection, tables: list[str]) -> None:
    """Empty these tables (the settings table keeps this database's own secrets)."""
    for table in tables:
        where = f" WHERE {_NOT_SECRET}" if table == "settings" else ""
        conn.execute(f"DELETE FROM {quote_name(table)}{where}")


class RowRejected(Exception):
    """SQLite refused a restored row (a CHECK, NOT NULL or UNIQUE constraint, a wrong type)."""

    def __init__(self, table: str, where: int | str, error: sqlite3.Error) -> None:
        super().__init__(f"{table} at {where}: {error}")
        self.table, self.where, self.error = table, where, error


class MalformedDate(Exception):
    """A restored row's day or moment that knowwho cannot read: every page showing it would break."""

    def __init__(self, table: str, where: int | str, column: str, value: object) -> None:
        super().__init__(f"{table} at {where}: {column} {value!r}")
        self.table, self.where, self.column, self.value = table, where, column, value
        self.kind = date_kind(column) or "day"


# What the dated columns hold, by the schema's naming (kept by every migration so far): `*_on` a day
# 'YYYY-MM-DD', `*_at` a UTC moment 'YYYY-MM-DD HH:MM:SS', a birthday a day or '--MM-DD', a job's
# start_on/end_on a day, a month 'YYYY-MM' or a year 'YYYY' (as typed: `role --from 2019`).
_YEAR = "[0-9][0-9][0-9][0-9]"
_MONTH = f"{_YEAR}-[0-9][0-9]"
_DAY = f"{_MONTH}-[0-9][0-9]"
# With a modifier SQLite's date() moves 02-30 on to 03-02 and refuses month 13: a value it gives back
# unchanged is a real day.
_REAL_DAY = f"{{c}} GLOB '{_DAY}' AND date({{c}}, '+0 days') IS {{c}}"
_VALID_DATE = {
    "day": _REAL_DAY,
    "moment": f"{{c}} GLOB '{_DAY} [0-9][0-9]:[0-9][0-9]:[0-9][0-9]' AND datetime({{c}}, '+0 days') IS {{c}}",
    # 2000 was a leap year: --02-29 is a birthday.
    "birthday": f"{_REAL_DAY} OR {{c}} GLOB '--[0-9][0-9]-[0-9][0-9]' "
    "AND date('2000' || substr({c}, 2), '+0 days') IS '2000' || substr({c}, 2)",
    "period": f"{_REAL_DAY} OR {{c}} GLOB '{_YEAR}' "
    f"OR {{c}} GLOB '{_MONTH}' AND date({{c}} || '-01', '+0 days') IS {{c}} || '-01'",
}


def date_kind(column: str) -> str | None:
    """'day', 'moment', 'birthday' or 'period' for a dated column, else None."""
    if column == "birthday":
        return "birthday"
    if column in ("start_on", "end_on"):
        return "period"
    if column.endswith("_on"):
        return "day"
    return "moment" if column.endswith("_at") else None


class RowInserter:
    """Inserts rows with their ids kept, a table at a time.

    Rows are gathered in a temporary table and moved with one
    INSERT ... SELECT per table: the schema's triggers (the full-text indexes)
    still see every row, but in one statement, which is several times faster
    than a statement per row. When SQLite refuses the move, the gathered rows
    are replayed one by one to name the row at fault.
    """

    BATCH = 2000
    _STAGE = "temp.knowwho_restore"

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn
        self._key: tuple[str, tuple[str, ...]] | None = None
        self._values: list[tuple[Any, ...]] = []

    def add(self, table: str, row: Mapping[str, Any], where: int | str) -> None:
        key = (table, tuple(row))
        if key != self._key:
            self.flush()
            self._key = key
            columns = ", ".join(quote_name(c) for c in (*key[1], "restore_where"))
            self.conn.execute(f"DROP TABLE IF EXISTS {self._STAGE}")
            self.conn.execute(f"CREATE TABLE {self._STAGE} ({columns})")
        self._values.append((*row.values(), where))
        if len(self._values) >= self.BATCH:
            self._stage()

    def _stage(self) -> None:
        if self._key and self._values:
            marks = ", ".join("?" * (len(self._key[1]) + 1))
            self.conn.executemany(f"INSERT INTO {self._STAGE} VALUES ({marks})", self._values)
        self._values = []

    def flush(self) -> None:
        """Move the gathered rows into their table."""
        if self._key is None:
            return
        self._stage()
        table, columns = self._key
        self._key = None
        self._check_dates(table, columns)
        names = ", ".join(quote_name(c) for c in columns)
        into = f"INSERT INTO main.{quote_name(table)} ({names})"
        self.conn.execute("SAVEPOINT restore_table")
        try:
            self.conn.execute(f"{into} SELECT {names} FROM {self._STAGE} ORDER BY rowid")
        except sqlite3.Error:
            self.conn.execute("ROLLBACK TO restore_table")
            self._replay(table, f"{into} VALUES ({', '.join('?' * len(columns))})", names)
        finally:
            self.conn.execute("RELEASE restore_table")
            self.conn.execute(f"DROP TABLE IF EXISTS {self._STAGE}")

    def _check_dates(self, table: str, columns: tuple[str, ...]) -> None:
        """Raise `MalformedDate` at the first gathered row with a day or moment that is not one (one scan)."""
        dated = [c for c in columns if date_kind(c)]
        if not dated:
            return
        valid = [
            f"({quote_name(c)} IS NULL OR typeof({quote_name(c)}) = 'text' AND ({_VALID_DATE[date_kind(c) or 'day']}))".format(
                c=quote_name(c)
            )
            for c in dated
        ]
        row = self.conn.execute(
            f"SELECT restore_where, {', '.join(valid)}, {', '.join(quote_name(c) for c in dated)} FROM {self._STAGE} "
            f"WHERE NOT ({' AND '.join(valid)}) ORDER BY rowid LIMIT 1"
        ).fetchone()
        if row is None:
            return
        where, checks, values = row[0], row[1 : 1 + len(dated)], row[1 + len(dated) :]
        bad = next(i for i, ok in enumerate(checks) if not ok)
        self.conn.execute(f"DROP TABLE IF EXISTS {self._STAGE}")
        raise MalformedDate(table, where, dated[bad], values[bad])

    def _replay(self, table: str, insert: str, names: str) -> None:
        """Insert the gathered rows one by one: raises `RowRejected` at the row SQLite refuses."""
        cursor = self.conn.execute(f"SELECT {names}, restore_where FROM {self._STAGE} ORDER BY rowid")
        try:
            for *values, where in cursor:
                try:
                    self.conn.execute(insert, values)
                except sqlite3.Error as error:
                    raise RowRejected(table, where, error) from error
        finally:
            cursor.close()  # else the staging table stays locked


def broken_references(conn: sqlite3.Connection, limit: int = 5) -> list[str]:
    """Rows pointing at a row that does not exist, described for the user."""
    problems = []
    for table, rowid, parent, _fk in conn.execute("PRAGMA foreign_key_check").fetchmany(limit):
        where = f" (row {rowid})" if rowid is not None else ""
        problems.append(f"a row of {table}{where} refers to a missing {parent} row")
    return problems


def optimize_indexes(conn: sqlite3.Connection) -> None:
    """Merge each full-text index into one segment after a bulk insert."""
    for table in full_text_tables(conn):
        conn.execute(f"INSERT INTO {quote_name(table)} ({quote_name(table)}) VALUES ('optimize')")


def index_problems(conn: sqlite3.Connection) -> list[str]:
    """Full-text indexes that fail SQLite's integrity check."""
    problems = []
    for table in full_text_tables(conn):
        try:
            conn.execute(f"INSERT INTO {quote_name(table)} ({quote_name(table)}) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as error:
            problems.append(f"{table}: {error}")
    return problems
