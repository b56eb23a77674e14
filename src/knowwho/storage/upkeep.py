"""Keeping SQLite's query planner informed: table statistics after the data has grown."""

from __future__ import annotations

import sqlite3

# Rows sampled per index: enough for good plans, quick (tens of ms) at 100,000 people.
ANALYSIS_LIMIT = 1000


def refresh_statistics(conn: sqlite3.Connection) -> None:
    """Gather the statistics the planner uses to pick indexes (without them it can pick a full scan)."""
    conn.execute(f"PRAGMA analysis_limit = {ANALYSIS_LIMIT}")
    conn.execute("ANALYZE")


def has_statistics(conn: sqlite3.Connection) -> bool:
    found = conn.execute("SELECT 1 FROM sqlite_master WHERE name = 'sqlite_stat1'").fetchone()
    return found is not None and conn.execute("SELECT 1 FROM sqlite_stat1 LIMIT 1").fetchone() is not None
