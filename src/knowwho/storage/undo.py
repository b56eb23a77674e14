"""The undo journal: each undoable use case records how to reverse itself."""

from __future__ import annotations

import json
import sqlite3
from typing import Any

from knowwho.storage.records import UndoEntry


def push(conn: sqlite3.Connection, *, kind: str, description: str, payload: dict[str, Any], now: str) -> int:
    cursor = conn.execute(
        "INSERT INTO undo_log (created_at, kind, description, payload) VALUES (?, ?, ?, ?)",
        (now, kind, description, json.dumps(payload, sort_keys=True)),
    )
    return int(cursor.lastrowid or 0)


def latest(conn: sqlite3.Connection) -> UndoEntry | None:
    row = conn.execute(
        "SELECT id, created_at, kind, description, payload FROM undo_log WHERE undone_at IS NULL ORDER BY id DESC LIMIT 1"
    ).fetchone()
    return UndoEntry(*row) if row else None


def mark_undone(conn: sqlite3.Connection, entry_id: int, now: str) -> None:
    conn.execute("UPDATE undo_log SET undone_at = ? WHERE id = ?", (now, entry_id))
