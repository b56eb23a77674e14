"""SQL for the weekly goals, kept in the settings table under 'goal.'."""

from __future__ import annotations

import sqlite3

PREFIX = "goal."


def get(conn: sqlite3.Connection) -> dict[str, int]:
    rows = conn.execute("SELECT key, value FROM settings WHERE key >= ? AND key < ?", (PREFIX, "goal/"))
    return {key[len(PREFIX) :]: int(value) for key, value in rows if value.lstrip("-").isdigit()}


def put(conn: sqlite3.Connection, name: str, value: int) -> None:
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (PREFIX + name, str(value)),
    )


def remove(conn: sqlite3.Connection, name: str) -> None:
    conn.execute("DELETE FROM settings WHERE key = ?", (PREFIX + name,))
