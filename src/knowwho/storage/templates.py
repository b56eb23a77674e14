"""SQL for the user's own versions of the outreach templates (the defaults live in the code)."""

from __future__ import annotations

import sqlite3


def saved(conn: sqlite3.Connection) -> dict[str, tuple[str, str]]:
    """key -> (subject, body) of every template the user edited."""
    return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT key, subject, body FROM templates")}


def save(conn: sqlite3.Connection, *, key: str, name: str, subject: str, body: str, now: str) -> None:
    conn.execute(
        """INSERT INTO templates (key, name, subject, body, updated_at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET name = excluded.name, subject = excluded.subject, body = excluded.body,
                                           updated_at = excluded.updated_at""",
        (key, name, subject, body, now),
    )


def delete(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("DELETE FROM templates WHERE key = ?", (key,))
