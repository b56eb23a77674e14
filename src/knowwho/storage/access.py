"""SQL for the secrets the web server keeps in the `settings` table (feed token, API token, session key)."""

from __future__ import annotations

import sqlite3

# Every secret's key starts so: exports and backups leave these rows out, restores never bring them in.
SECRET_PREFIX = "web."


# Settings worked out from the data (suggestions kept for today's list): redone, never exported.
CACHE_PREFIX = "cache."
INTRO_SUGGESTIONS_KEY = f"{CACHE_PREFIX}intros.suggestions"  # worked out by `knowwho intros`, kept for today's list


def is_secret(key: object) -> bool:
    return isinstance(key, str) and key.startswith(SECRET_PREFIX)


def outside_backups(key: object) -> bool:
    """A setting a JSON export leaves out: the server's secrets, and what is worked out from the data."""
    return isinstance(key, str) and key.startswith((SECRET_PREFIX, CACHE_PREFIX))


def delete_secrets(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM settings WHERE substr(key, 1, ?) = ?", (len(SECRET_PREFIX), SECRET_PREFIX))


def get_setting(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else None


def set_setting(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, value),
    )


def insert_setting_if_missing(conn: sqlite3.Connection, key: str, value: str) -> None:
    conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, ?)", (key, value))
