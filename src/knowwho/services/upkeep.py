"""Upkeep a long-running server does: planner statistics, refreshed at start and after an import."""

from __future__ import annotations

import sqlite3

from knowwho.services.context import ServiceContext
from knowwho.storage import upkeep as upkeep_store


def refresh_statistics(ctx: ServiceContext) -> bool:
    """Let SQLite plan queries with up-to-date table statistics (a bulk load can leave none).

    Best effort: when another process holds the database for long (a big
    import), the server starts anyway and the statistics wait for next time.
    """
    try:
        with ctx.db.transaction() as conn:
            upkeep_store.refresh_statistics(conn)
    except sqlite3.OperationalError:
        return False
    return True
