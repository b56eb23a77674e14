"""Undo while an import is being written (another program, batch by batch) is refused in one line and the
import finishes whole; an import that was killed can still be undone."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowwho.clock import fixed_clock
from knowwho.core import Knowwho
from knowwho.errors import DatabaseBusy
from knowwho.storage import people as people_store
from tests.conftest import NOW
from tests.importers.helpers import cli
from tests.test_faults import start_import, stored, wait_for, write_mbox

MESSAGES = 20_000


def test_undo_during_an_import_is_refused_and_the_import_completes(tmp_path: Path) -> None:
    db, mbox = tmp_path / "kw.db", write_mbox(tmp_path / "mail.mbox", MESSAGES)
    importing = start_import(db, mbox)
    wait_for(lambda: stored(db) > 0 or importing.poll() is not None)
    if importing.poll() is not None:
        pytest.skip("the import finished before undo could run")
    code, out, err = cli(db, "undo")
    _out, import_err = importing.communicate(timeout=120)
    assert importing.returncode == 0, import_err
    if code == 0 and stored(db) == 0:
        pytest.skip("the import finished before undo ran (and undo took it back whole)")
    assert stored(db) == MESSAGES  # every conversation of the import, none taken back under it
    assert code == 2 and out == ""
    assert err == "knowwho: can't undo now: #1 (imported mail) is still being written; undo when it has finished\n"

    code, out, _err = cli(db, "undo")  # once it has finished, the import is undone as a whole
    assert code == 0 and "imported mail.mbox" in out
    assert stored(db) == 0


def test_an_import_that_was_killed_can_be_undone(tmp_path: Path) -> None:
    db, mbox = tmp_path / "kw.db", write_mbox(tmp_path / "mail.mbox", MESSAGES)
    importing = start_import(db, mbox)
    wait_for(lambda: stored(db) > 0 or importing.poll() is not None)
    importing.kill()
    importing.wait()
    kept = stored(db)
    assert kept > 0
    code, out, err = cli(db, "undo")
    assert code == 0 and out.startswith("Undid: imported mail"), err
    assert stored(db) == 0


def test_undo_from_another_connection_waits_for_a_change_being_written(kw: Knowwho, db_path: Path) -> None:
    """The server's case: an import job in one thread, an undo asked for in another request."""
    kw.people.add("Ana Lima")
    other = Knowwho.open(db_path, clock=fixed_clock(NOW))
    try:
        with kw.db.journaled("imported contacts.csv", kw.ctx.now_stamp()):
            with kw.db.transaction() as conn:  # a first batch, committed
                people_store.insert(conn, now=kw.ctx.now_stamp(), display_name="Bo Chen")
            with pytest.raises(DatabaseBusy, match=r"#2 \(imported contacts.csv\) is still being written"):
                other.history.undo()
            with pytest.raises(DatabaseBusy):
                other.history.undo(1)  # nor an older change: the import may rely on its rows
        assert other.history.undo() == "imported contacts.csv"
        assert [p.display_name for p in other.people.get_many([1, 2])] == ["Ana Lima"]
    finally:
        other.close()
