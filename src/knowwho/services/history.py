"""Undo: each undoable use case journals a payload; `undo` replays its inverse."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Any

from knowwho.errors import NothingToUndo
from knowwho.services.context import ServiceContext
from knowwho.storage import undo as undo_store

UndoHandler = Callable[[sqlite3.Connection, dict[str, Any], str], None]
_HANDLERS: dict[str, UndoHandler] = {}
# The modules that register undo handlers, imported before undoing (they load lazily).
_HANDLER_MODULES = ("knowwho.services.people", "knowwho.services.interactions", "knowwho.services.duplicates")


def undoable(kind: str) -> Callable[[UndoHandler], UndoHandler]:
    """Register the inverse of one kind of change."""

    def register(handler: UndoHandler) -> UndoHandler:
        _HANDLERS[kind] = handler
        return handler

    return register


def record(conn: sqlite3.Connection, *, kind: str, description: str, payload: dict[str, Any], now: str) -> None:
    if kind not in _HANDLERS:
        raise ValueError(f"no undo handler for {kind!r}")
    undo_store.push(conn, kind=kind, description=description, payload=payload, now=now)


class HistoryService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def latest(self) -> str | None:
        """The description of the change `undo` would reverse now, if any."""
        entry = undo_store.latest(self.ctx.db.conn)
        return entry.description if entry else None

    def undo(self) -> str:
        """Reverse the latest change not yet undone; return its description."""
        import json
        from importlib import import_module

        for module in _HANDLER_MODULES:
            import_module(module)
        with self.ctx.db.transaction() as conn:
            entry = undo_store.latest(conn)
            if entry is None:
                raise NothingToUndo("nothing to undo")
            _HANDLERS[entry.kind](conn, json.loads(entry.payload), self.ctx.now_stamp())
            undo_store.mark_undone(conn, entry.id, self.ctx.now_stamp())
        return entry.description
