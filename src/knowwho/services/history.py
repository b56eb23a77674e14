"""History and undo: every change the user makes is journaled (`ServiceContext.change`) and can be reversed.

`undo` reverses the latest change, whatever it was (an edit, a dismissal, a
whole import). `undo ID` reverses an older one alone, when nothing done since
depends on it: no later change wrote the same rows, and putting the rows back
touches nothing but them (removing a person added then would also remove the
conversations logged with them since).
"""

from __future__ import annotations

import os
import sqlite3

from knowwho.errors import DatabaseBusy, InvalidInput, NotFound, NothingToUndo
from knowwho.services.context import ServiceContext
from knowwho.storage import journal
from knowwho.storage.journal import Change

_SCRATCH = -1  # journals the replay itself, to see what else it would touch


class HistoryService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def recent(self, *, limit: int = 20) -> list[Change]:
        return journal.changes(self.ctx.db.conn, limit=limit)

    def latest(self) -> str | None:
        """The description of the change `undo` would reverse now, if any."""
        entry = journal.latest_open(self.ctx.db.conn)
        return entry.description if entry else None

    def latest_change(self) -> Change | None:
        """The change `undo` would reverse now, if any: an Undo button names it, so that pressed twice it
        does not reverse the change before it too."""
        return journal.latest_open(self.ctx.db.conn)

    def undo_once(self, change_id: int) -> tuple[str, bool]:
        """Reverse one change unless it already is (a button pressed twice): what it was, and whether undone now."""
        found = journal.get(self.ctx.db.conn, change_id)
        if found is not None and found.undone_at:
            return found.description, False
        return self.undo(change_id), True

    def undo(self, change_id: int | None = None) -> str:
        """Reverse one change (the latest by default); return what it was."""
        self.ctx.db.ensure_journal()
        with self.ctx.db.transaction() as conn:
            _refuse_while_running(conn)
            target = self._target(conn, change_id)
            _check_no_later_change_needs(conn, target)
            _replay_alone(conn, target)
            journal.mark_undone(conn, target.id, self.ctx.now_stamp())
        return target.description

    def _target(self, conn: sqlite3.Connection, change_id: int | None) -> Change:
        if change_id is None:
            latest = journal.latest_open(conn)
            if latest is None:
                raise NothingToUndo("nothing to undo")
            return latest
        target = journal.get(conn, change_id)
        if target is None:
            raise NotFound(
                f"no change #{change_id} in the history (see `knowwho history`)",
                plain=f"no change #{change_id} in the history",
            )
        if target.undone_at:
            raise InvalidInput(f"change #{change_id} ({target.description}) was already undone")
        return target


def _refuse_while_running(conn: sqlite3.Connection) -> None:
    """No undo while a change is still being written (an import commits batch by batch): taking back rows
    the import goes on to use would break it, and whatever it writes next would escape the undo."""
    for change, pid in journal.running(conn):
        if _process_alive(pid):
            raise DatabaseBusy(
                f"can't undo now: #{change.id} ({change.description}) is still being written; undo when it has finished"
            )


def _process_alive(pid: int) -> bool:
    """Whether a process still runs (one killed mid-change left its id behind). Where signals cannot ask
    (not POSIX), a left-behind id is taken as finished: undo stays possible."""
    if pid == os.getpid():
        return True
    if os.name != "posix":
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, another user's
        return True
    return True


def _check_no_later_change_needs(conn: sqlite3.Connection, target: Change) -> None:
    later = journal.later_changes(conn, target.id)
    if not later:
        return
    mine = journal.touched_rows(conn, target.id)
    for other_id in later:
        if mine.overlaps(journal.touched_rows(conn, other_id)):
            _refuse(conn, target, other_id)


def _replay_alone(conn: sqlite3.Connection, target: Change) -> None:
    """Put the rows back, journaling the replay to make sure it touched only the change's own rows."""
    journal.end(conn)
    journal.journal_into(conn, _SCRATCH)
    try:
        journal.replay_backwards(conn, target.id)
        extra = journal.touched_rows(conn, _SCRATCH).beyond(journal.touched_rows(conn, target.id))
    finally:
        journal.end(conn)
        journal.forget(conn, _SCRATCH)
    if extra:
        table, _key = sorted(extra, key=str)[0]
        said = f"can't undo #{target.id} ({target.description}) alone: later changes to {table.replace('_', ' ')} "
        raise InvalidInput(
            said + "depend on it; undo those first (see `knowwho history`)",
            plain=said + "depend on it; undo those first",
        )


def _refuse(conn: sqlite3.Connection, target: Change, other_id: int) -> None:
    other = journal.get(conn, other_id)
    what = other.description if other else "a later change"
    raise InvalidInput(
        f"can't undo #{target.id} ({target.description}) alone: #{other_id} ({what}) changed the same records "
        "since; undo that first"
    )
