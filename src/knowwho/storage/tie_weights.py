"""SQL for the tie-strength weights fitted by `knowwho calibrate`, kept in the `settings` table."""

from __future__ import annotations

import json
import math
import sqlite3

KEY = "tie_strength.weights"


def get(conn: sqlite3.Connection) -> dict[str, float] | None:
    """The calibrated weights (part -> weight), or None for the documented defaults."""
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (KEY,)).fetchone()
    if row is None:
        return None
    try:
        data = json.loads(row[0])
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    weights = {str(k): float(v) for k, v in data.items() if isinstance(v, int | float) and math.isfinite(v)}
    return weights or None


def put(conn: sqlite3.Connection, weights: dict[str, float] | None) -> None:
    """Store these weights; None goes back to the defaults."""
    if weights is None:
        conn.execute("DELETE FROM settings WHERE key = ?", (KEY,))
        return
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (KEY, json.dumps(weights, sort_keys=True)),
    )


def rated_people(conn: sqlite3.Connection) -> list[tuple[int, int]]:
    """(person id, my closeness rating 1-5) of every live person I have rated."""
    return [
        (int(pid), int(rating))
        for pid, rating in conn.execute(
            "SELECT id, closeness FROM people WHERE closeness IS NOT NULL AND deleted_at IS NULL ORDER BY id"
        )
    ]
