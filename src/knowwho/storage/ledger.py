"""SQL for the give-and-take ledger and the advocates who would vouch for the user."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class LedgerRow:
    id: int
    person_id: int
    direction: str
    what: str
    note: str
    occurred_on: str


@dataclass(frozen=True, slots=True)
class AdvocateRow:
    id: int
    name: str
    last_asked_on: str | None
    last_outbound_at: str | None
    tie_strength: float


def insert(conn: sqlite3.Connection, *, person_id: int, direction: str, what: str, note: str, on: str, now: str) -> int:
    cursor = conn.execute(
        "INSERT INTO ledger_entries (person_id, direction, what, note, occurred_on, created_at) VALUES (?, ?, ?, ?, ?, ?)",
        (person_id, direction, what, note, on, now),
    )
    return int(cursor.lastrowid or 0)


def for_person(conn: sqlite3.Connection, person_id: int, *, limit: int = 50) -> list[LedgerRow]:
    rows = conn.execute(
        """SELECT id, person_id, direction, what, note, occurred_on FROM ledger_entries WHERE person_id = ?
           ORDER BY occurred_on DESC, id DESC LIMIT ?""",
        (person_id, limit),
    )
    return [LedgerRow(*row) for row in rows]


def counts(conn: sqlite3.Connection, person_id: int) -> tuple[int, int]:
    """(given, received) for one person."""
    row = conn.execute(
        """SELECT coalesce(sum(direction = 'gave'), 0), coalesce(sum(direction = 'received'), 0)
           FROM ledger_entries WHERE person_id = ?""",
        (person_id,),
    ).fetchone()
    return int(row[0]), int(row[1])


def advocates(conn: sqlite3.Connection) -> list[AdvocateRow]:
    rows = conn.execute(
        """SELECT p.id, p.display_name,
                  (SELECT max(occurred_on) FROM ledger_entries l
                   WHERE l.person_id = p.id AND l.direction = 'received' AND l.what = 'reference'),
                  p.last_outbound_at, p.tie_strength
           FROM people p WHERE p.is_advocate = 1 AND p.deleted_at IS NULL AND p.merged_into_id IS NULL
           ORDER BY p.tie_strength DESC, p.display_name"""
    )
    return [AdvocateRow(*row) for row in rows]


def latest_notes(conn: sqlite3.Connection, person_ids: list[int]) -> dict[int, str]:
    """Each person's newest note (what they would vouch for is often written there)."""
    found: dict[int, str] = {}
    for pid in person_ids:
        row = conn.execute(
            "SELECT body FROM notes WHERE person_id = ? ORDER BY created_at DESC, id DESC LIMIT 1", (pid,)
        ).fetchone()
        if row:
            found[pid] = str(row[0])
    return found
