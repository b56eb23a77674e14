"""Bulk loading: many rows per statement, inside the caller's transaction.

Used by the demo generator (and fit for large imports). Rows are tuples in
the column order of `LAYOUT`; an integer column can be shifted by a constant
in SQL (`offsets`), so a batch generated with local indexes needs no
rewriting in Python.

Measured on 2,000,000 interactions (2-core machine): inserting through the
full-text triggers takes about 50 s, the same rows without them plus one
`INSERT INTO ..._fts SELECT` afterwards about 15 s. `deferred_upkeep` does
that (and rebuilds secondary indexes once instead of growing them row by
row), all inside one transaction, so a failure leaves nothing behind.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager, suppress
from typing import Any

from knowwho.storage.database import Database

LAYOUT: dict[str, tuple[str, ...]] = {
    "organizations": ("id", "name", "field", "notes", "is_target", "interest", "created_at", "updated_at"),
    "organization_domains": ("organization_id", "domain"),
    "events": ("id", "name", "starts_on", "ends_on", "place", "recurrence", "series", "notes", "created_at"),
    "people": (
        "id", "display_name", "given_name", "family_name", "location", "situation", "needs", "offers",
        "how_met", "first_met_on", "cadence_days", "closeness", "is_advocate", "is_contact", "created_at",
        "updated_at", "first_interaction_at", "last_interaction_at", "last_inbound_at", "last_outbound_at",
        "interaction_count", "tie_strength",
    ),
    "person_emails": ("person_id", "email", "label"),
    "person_phones": ("person_id", "phone", "label"),
    "person_links": ("person_id", "url", "kind"),
    "person_tags": ("person_id", "tag", "kind"),
    "roles": ("person_id", "organization_id", "title", "start_on", "end_on", "is_current"),
    "notes": ("person_id", "organization_id", "body", "created_at"),
    "knows": ("person_a_id", "person_b_id", "source", "confidence", "note", "created_at"),
    "event_people": ("event_id", "person_id", "note"),
    "interactions": ("id", "occurred_at", "kind", "direction", "subject", "notes", "channel", "event_id"),
    "interaction_participants": ("interaction_id", "person_id"),
    "scene_interactions": (
        "id", "occurred_at", "kind", "direction", "subject", "notes", "channel", "event_id", "opportunity_id",
    ),
    "followups": ("person_id", "due_on", "note", "kind", "status", "created_at", "closed_at"),
    "opportunities": (
        "id", "organization_id", "role_title", "stage", "opened_on", "closed_on", "outcome", "reengage_on",
        "reengaged_at", "notes", "created_at", "updated_at",
    ),
    "opportunity_people": ("opportunity_id", "person_id", "part"),
    "introductions": ("person_a_id", "person_b_id", "reason", "stage", "created_at", "updated_at", "made_on"),
    "ledger_entries": ("person_id", "direction", "what", "note", "occurred_on", "created_at"),
    "my_profile": ("id", "name", "headline", "interests", "targets"),
    "my_emails": ("email",),
    "my_updates": ("happened_on", "title", "body", "created_at"),
    "settings": ("key", "value"),
}  # fmt: skip
# Layouts that write to another table (a wider column set for the same rows).
_TABLE_OF = {"scene_interactions": "interactions"}
# Columns filled from another column of the same row (not sent twice): an interaction
# generated or imported in bulk was recorded when it happened.
_COPIES = {"interactions": {"created_at": "occurred_at"}, "scene_interactions": {"created_at": "occurred_at"}}
# What the AFTER INSERT full-text triggers of the schema index, as one statement per table:
# (full-text table, columns, the trigger's WHEN condition).
FTS_SOURCES: dict[str, tuple[str, str, str]] = {
    "people": ("people_fts", "display_name, location, situation, needs, offers, how_met", ""),
    "organizations": ("organizations_fts", "name, field, notes", ""),
    "notes": ("notes_fts", "body", ""),
    "interactions": ("interactions_fts", "subject, notes", "subject != '' OR notes != ''"),
    "roles": ("roles_fts", "title", "title != ''"),
}


def insert(
    conn: sqlite3.Connection,
    layout: str,
    rows: Iterable[Sequence[Any]],
    *,
    offsets: Mapping[str, int] | None = None,
    or_ignore: bool = False,
) -> None:
    """executemany over one table; `offsets` adds a constant to integer columns (local index -> id)."""
    columns = LAYOUT[layout]
    values = [f"?{n} + {int(offsets[c])}" if offsets and c in offsets else f"?{n}" for n, c in enumerate(columns, 1)]
    copies = _COPIES.get(layout, {})
    names = [*columns, *copies]
    values += [f"?{columns.index(source) + 1}" for source in copies.values()]
    verb = "INSERT OR IGNORE" if or_ignore else "INSERT"
    table = _TABLE_OF.get(layout, layout)
    conn.executemany(f"{verb} INTO {table} ({', '.join(names)}) VALUES ({', '.join(values)})", rows)


def max_ids(conn: sqlite3.Connection) -> dict[str, int]:
    """The highest id of each table whose ids a bulk load assigns itself."""
    tables = ("people", "organizations", "events", "interactions", "opportunities")
    return {t: int(conn.execute(f"SELECT COALESCE(MAX(id), 0) FROM {t}").fetchone()[0]) for t in tables}


def existing_emails(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT email FROM person_emails")}


@contextmanager
def loading(db: Database, *, cache_mib: int = 64) -> Iterator[None]:
    """Connection settings for a large load, restored afterwards (call outside a transaction).

    A bigger page cache; and, when we are the only connection, a rollback
    journal instead of WAL for the duration: pages appended to the file need
    no journal, while WAL would write every new page twice.
    """
    conn = db.conn
    old_cache = int(conn.execute("PRAGMA cache_size").fetchone()[0])
    conn.execute(f"PRAGMA cache_size = -{cache_mib * 1024}")
    try:
        switched = str(conn.execute("PRAGMA journal_mode = DELETE").fetchone()[0]).lower() == "delete"
    except sqlite3.OperationalError:  # another connection holds the file: stay in WAL
        switched = False
    try:
        yield
    except BaseException:
        with suppress(sqlite3.Error):  # the load's own error is the one to report
            _restore(conn, switched, old_cache)
        raise
    _restore(conn, switched, old_cache)


def _restore(conn: sqlite3.Connection, wal: bool, cache_size: int) -> None:
    if wal:
        conn.execute("PRAGMA journal_mode = WAL")
    conn.execute(f"PRAGMA cache_size = {cache_size}")


class Upkeep:
    """Full-text indexing of the rows added since the last catch-up (see `deferred_upkeep`)."""

    def __init__(self, conn: sqlite3.Connection, tables: Sequence[str]) -> None:
        self.conn = conn
        self.done = {t: _max_rowid(conn, t) for t in tables if t in FTS_SOURCES}

    def catch_up(self) -> None:
        """Index the new rows now (e.g. after each batch, while other processes prepare the next)."""
        for table, done in self.done.items():
            fts, columns, when = FTS_SOURCES[table]
            latest = _max_rowid(self.conn, table)
            if latest > done:
                condition = f" AND ({when})" if when else ""
                self.conn.execute(
                    f"""INSERT INTO {fts} (rowid, {columns}) SELECT rowid, {columns} FROM {table}
                        WHERE rowid > ? AND rowid <= ?{condition}""",
                    (done, latest),
                )
                self.done[table] = latest


def _max_rowid(conn: sqlite3.Connection, table: str) -> int:
    return int(conn.execute(f"SELECT COALESCE(MAX(rowid), 0) FROM {table}").fetchone()[0])


@contextmanager
def deferred_upkeep(conn: sqlite3.Connection, tables: Sequence[str], *, drop_indexes: bool) -> Iterator[Upkeep]:
    """Load `tables` without per-row upkeep, then catch up in bulk (inside the caller's transaction).

    Inside the block the full-text triggers of these tables are dropped, CHECK
    constraints are not evaluated (rows come from code that only writes valid
    values; `PRAGMA integrity_check` verifies them), and with `drop_indexes`
    their secondary indexes are dropped too. Only new rows (ids above those
    of the start) may be written inside. New rows are added to the full-text
    indexes in one statement per table, when the caller calls `catch_up()` and
    at the end; then the indexes and triggers are recreated from their own SQL.
    If the block raises, the caller's transaction rolls all of it back.
    """
    marks = ",".join("?" * len(tables))
    fts_tables = [FTS_SOURCES[t][0] for t in tables if t in FTS_SOURCES]
    triggers = [
        (name, sql)
        for name, sql in conn.execute(
            f"SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name IN ({marks})", list(tables)
        )
        if any(fts in sql for fts in fts_tables)
    ]
    indexes: list[tuple[str, str]] = []
    if drop_indexes:
        indexes = conn.execute(
            f"""SELECT name, sql FROM sqlite_master
                WHERE type = 'index' AND sql IS NOT NULL AND tbl_name IN ({marks})""",
            list(tables),
        ).fetchall()
    upkeep = Upkeep(conn, tables)
    for name, _sql in triggers:
        conn.execute(f'DROP TRIGGER "{name}"')
    for name, _sql in indexes:
        conn.execute(f'DROP INDEX "{name}"')
    conn.execute("PRAGMA ignore_check_constraints = ON")
    try:
        yield upkeep
    finally:
        conn.execute("PRAGMA ignore_check_constraints = OFF")
    upkeep.catch_up()
    for _name, sql in [*indexes, *triggers]:
        conn.execute(sql)


# -- picking people for the scripted parts of a load --------------------------------------
def quiet_contacts(conn: sqlite3.Connection, *, min_id: int, before: str, since: str) -> list[int]:
    """Contacts (id > min_id) whose last interaction falls in [since, before)."""
    rows = conn.execute(
        """SELECT id FROM people WHERE id > ? AND is_contact = 1 AND deleted_at IS NULL
             AND last_interaction_at >= ? AND last_interaction_at < ? ORDER BY id""",
        (min_id, since, before),
    )
    return [r[0] for r in rows]


def contacts_tied_at_least(conn: sqlite3.Connection, *, min_id: int, strength: float) -> list[int]:
    rows = conn.execute(
        """SELECT id FROM people WHERE id > ? AND is_contact = 1 AND deleted_at IS NULL AND tie_strength >= ?
           ORDER BY id""",
        (min_id, strength),
    )
    return [r[0] for r in rows]


def current_staff(conn: sqlite3.Connection, *, min_person_id: int, at_least: int) -> dict[int, list[int]]:
    """organization id -> its current people (ids above min_person_id), for organizations with enough of them."""
    staff: dict[int, list[int]] = {}
    for org_id, person_id in conn.execute(
        """SELECT organization_id, person_id FROM roles WHERE is_current = 1 AND person_id > ?
           ORDER BY organization_id, person_id""",
        (min_person_id,),
    ):
        staff.setdefault(org_id, []).append(person_id)
    return {org: ids for org, ids in staff.items() if len(ids) >= at_least}


def mark_targets(conn: sqlite3.Connection, targets: Iterable[tuple[int, int]]) -> None:
    """(organization id, interest 1-5) pairs become target organizations."""
    conn.executemany(
        "UPDATE organizations SET is_target = 1, interest = ? WHERE id = ?", [(i, org) for org, i in targets]
    )


def set_setting(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )
