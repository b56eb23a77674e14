"""SQL for tie strength's weights, kept in the `settings` table.

Two fits can be kept: the one to the user's closeness ratings (`knowwho calibrate`)
and the one learned from their own history (`knowwho strength --learn`, and after
imports); the ratings, being the user's own word, win when both exist.
"""

from __future__ import annotations

import json
import math
import sqlite3

KEY = "tie_strength.weights"
LEARNED_KEY = "tie_strength.learned"
TRIED_KEY = "tie_strength.learn_tried"  # conversations in the history when a fit last found too little to learn


def get(conn: sqlite3.Connection) -> dict[str, float] | None:
    """The weights in use (part -> weight): calibrated, else learned, else None for the documented defaults.

    Both read in one statement: every person page and tie strength asks."""
    rows = dict(conn.execute("SELECT key, value FROM settings WHERE key IN (?, ?)", (KEY, LEARNED_KEY)).fetchall())
    found = _weights(_loads(rows.get(KEY)))
    if found is None:
        record = _loads(rows.get(LEARNED_KEY))
        found = _weights(record.get("weights")) if isinstance(record, dict) and record else None
    return found


def calibrated(conn: sqlite3.Connection) -> dict[str, float] | None:
    """The weights fitted to the closeness ratings, or None."""
    return _weights(_read(conn, KEY))


def learned(conn: sqlite3.Connection) -> dict[str, object] | None:
    """The last fit to the user's history: its weights and what it was fitted on, or None."""
    record = _read(conn, LEARNED_KEY)
    return record if isinstance(record, dict) else None


def put(conn: sqlite3.Connection, weights: dict[str, float] | None) -> None:
    """Store the weights fitted to the ratings; None drops them."""
    _write(conn, KEY, weights)


def put_learned(conn: sqlite3.Connection, record: dict[str, object] | None) -> None:
    """Store the fit to the user's history (weights and what they came from); None drops it."""
    _write(conn, LEARNED_KEY, record)


def tried_on(conn: sqlite3.Connection) -> int | None:
    """How many conversations the history held when learning last found it too short, or None."""
    value = _read(conn, TRIED_KEY)
    return value if isinstance(value, int) else None


def put_tried_on(conn: sqlite3.Connection, interactions: int | None) -> None:
    _write(conn, TRIED_KEY, interactions)


def _read(conn: sqlite3.Connection, key: str) -> object:
    row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
    return None if row is None else _loads(row[0])


def _loads(text: str | None) -> object:
    if text is None:
        return None
    try:
        return json.loads(text)
    except ValueError:
        return None


def _weights(data: object) -> dict[str, float] | None:
    if not isinstance(data, dict):
        return None
    weights = {str(k): float(v) for k, v in data.items() if isinstance(v, int | float) and math.isfinite(v)}
    return weights or None


def _write(conn: sqlite3.Connection, key: str, value: object) -> None:
    if value is None:
        conn.execute("DELETE FROM settings WHERE key = ?", (key,))
        return
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (key, json.dumps(value, sort_keys=True)),
    )


def live_interactions(conn: sqlite3.Connection) -> int:
    """How many conversations the history holds (what a refit waits to grow)."""
    return int(conn.execute("SELECT COUNT(*) FROM interactions WHERE deleted_at IS NULL").fetchone()[0])


def rated_people(conn: sqlite3.Connection) -> list[tuple[int, int]]:
    """(person id, my closeness rating 1-5) of every live person I have rated."""
    return [
        (int(pid), int(rating))
        for pid, rating in conn.execute(
            "SELECT id, closeness FROM people WHERE closeness IS NOT NULL AND deleted_at IS NULL ORDER BY id"
        )
    ]
