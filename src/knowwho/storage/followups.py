"""SQL for follow-ups."""

from __future__ import annotations

import sqlite3

from knowwho.storage.records import FollowupRecord


def _record(row: sqlite3.Row) -> FollowupRecord:
    return FollowupRecord(
        id=row["id"], person_id=row["person_id"], due_on=row["due_on"], note=row["note"],
        kind=row["kind"], status=row["status"], interaction_id=row["interaction_id"],
        created_at=row["created_at"], closed_at=row["closed_at"],
    )  # fmt: skip


def insert(
    conn: sqlite3.Connection,
    *,
    person_id: int | None,
    due_on: str,
    now: str,
    note: str = "",
    kind: str = "explicit",
    interaction_id: int | None = None,
) -> int:
    cursor = conn.execute(
        """INSERT INTO followups (person_id, due_on, note, kind, interaction_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?)""",
        (person_id, due_on, note, kind, interaction_id, now),
    )
    return int(cursor.lastrowid or 0)


def get(conn: sqlite3.Connection, followup_id: int) -> FollowupRecord | None:
    row = conn.execute("SELECT * FROM followups WHERE id = ?", (followup_id,)).fetchone()
    return _record(row) if row else None


def set_status(conn: sqlite3.Connection, followup_id: int, status: str, closed_at: str | None) -> None:
    conn.execute("UPDATE followups SET status = ?, closed_at = ? WHERE id = ?", (status, closed_at, followup_id))


def set_due(conn: sqlite3.Connection, followup_id: int, due_on: str) -> None:
    conn.execute("UPDATE followups SET due_on = ? WHERE id = ?", (due_on, followup_id))


def for_person(conn: sqlite3.Connection, person_id: int, *, open_only: bool = False) -> list[FollowupRecord]:
    sql = "SELECT * FROM followups WHERE person_id = ?"
    if open_only:
        sql += " AND status = 'open'"
    rows = conn.execute(sql + " ORDER BY due_on, id", (person_id,))
    return [_record(r) for r in rows]


def open_until(conn: sqlite3.Connection, *, until: str, limit: int, offset: int) -> list[FollowupRecord]:
    """Open follow-ups due on or before `until`, soonest first (of people not removed)."""
    rows = conn.execute(
        """SELECT f.* FROM followups f LEFT JOIN people p ON p.id = f.person_id
           WHERE f.status = 'open' AND f.due_on <= ? AND (p.id IS NULL OR p.deleted_at IS NULL)
           ORDER BY f.due_on, f.id LIMIT ? OFFSET ?""",
        (until, limit, offset),
    )
    return [_record(r) for r in rows]
