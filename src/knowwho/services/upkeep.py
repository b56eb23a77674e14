"""Upkeep a long-running server does: planner statistics, refreshed at start and after an import."""

from __future__ import annotations

from knowwho.services.context import ServiceContext
from knowwho.storage import upkeep as upkeep_store


def refresh_statistics(ctx: ServiceContext) -> None:
    """Let SQLite plan queries with up-to-date table statistics (a bulk load can leave none)."""
    with ctx.db.transaction() as conn:
        upkeep_store.refresh_statistics(conn)
