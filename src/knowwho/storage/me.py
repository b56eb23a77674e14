"""SQL for what the user records about themselves: profile, own emails, updates."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from knowwho.storage.sql import set_columns


@dataclass(frozen=True, slots=True)
class UpdateRecord:
    id: int
    happened_on: str
    title: str
    tags: list[str]


PROFILE_FIELDS = ("name", "headline", "interests", "targets")


def profile(conn: sqlite3.Connection) -> dict[str, str]:
    row = conn.execute("SELECT name, headline, interests, targets FROM my_profile WHERE id = 1").fetchone()
    return {k: (row[k] if row else "") for k in PROFILE_FIELDS}


def set_profile(conn: sqlite3.Connection, fields: dict[str, str]) -> None:
    """Write the given profile fields (name, headline, interests, targets), creating the one row if need be."""
    conn.execute("INSERT OR IGNORE INTO my_profile (id) VALUES (1)")
    set_columns(conn, "my_profile", 1, fields, allowed=PROFILE_FIELDS)


def insert_update(conn: sqlite3.Connection, *, happened_on: str, title: str, tags: list[str], now: str) -> int:
    cursor = conn.execute(
        "INSERT INTO my_updates (happened_on, title, tags, created_at) VALUES (?, ?, ?, ?)",
        (happened_on, title, ",".join(tags), now),
    )
    return int(cursor.lastrowid or 0)


def updates(conn: sqlite3.Connection, *, since: str | None = None, limit: int = 50) -> list[UpdateRecord]:
    """My updates, the latest first; with `since`, only those after that day."""
    rows = conn.execute(
        """SELECT id, happened_on, title, tags FROM my_updates WHERE happened_on > COALESCE(?, '')
           ORDER BY happened_on DESC, id DESC LIMIT ?""",
        (since, limit),
    )
    return [UpdateRecord(r[0], r[1], r[2], [t for t in r[3].split(",") if t]) for r in rows]
