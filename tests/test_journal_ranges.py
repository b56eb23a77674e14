"""Bulk inserts are journaled as ranges of rows: undoing an import is a few range deletes, and stays exact."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput
from knowwho.services.imports import run_import
from knowwho.storage import bulk_import
from knowwho.storage import interactions as interaction_store
from tests.test_history import export
from tests.test_network_memory import _assert_same, _loaded

MBOX = Path(__file__).parent / "data" / "email" / "mbox" / "knowwho_conversations.mbox"
STAMP = "2026-01-05 10:00:00"  # as stored


def _entries(kw: Knowwho, change_id: int) -> dict[str, list[tuple[str | None, int | None]]]:
    """table -> (range column, rows in the range) of each journal entry of an insert."""
    found: dict[str, list[tuple[str | None, int | None]]] = {}
    for tbl, column, count in kw.db.conn.execute(
        "SELECT tbl, range_column, range_rows FROM undo_rows WHERE change_id = ? AND op = 'insert'", (change_id,)
    ):
        found.setdefault(tbl, []).append((column, count))
    return found


def _insert_conversation(kw: Knowwho, person_id: int, subject: str) -> int:
    conn = kw.db.conn
    first = bulk_import.next_interaction_id(conn)
    bulk_import.insert_interactions(conn, [(first, STAMP, "email", "in", subject, "mail", None, STAMP)])
    bulk_import.insert_participants(conn, [(first, person_id)])
    return first


def test_a_mail_import_is_journaled_as_ranges_and_undone_exactly(kw: Knowwho) -> None:
    kw.people.add("Ana Lima", emails=["ana@lima.org"])
    before = export(kw)
    run_import(kw, "mail", MBOX, me=["me@example.org"])
    change = kw.history.recent(limit=1)[0]
    entries = _entries(kw, change.id)
    conversations = kw.db.conn.execute("SELECT COUNT(*) FROM interactions").fetchone()[0]
    participants = kw.db.conn.execute("SELECT COUNT(*) FROM interaction_participants").fetchone()[0]
    assert conversations > 1
    assert entries["interactions"] == [("rowid", conversations)]
    assert entries["interaction_participants"] == [("interaction_id", participants)]
    assert ("rowid", conversations) in entries["provenance"]  # each new correspondent's own is a single row
    assert change.rows > conversations + participants  # a range counts every row it holds
    kw.history.undo()
    assert export(kw) == before


def test_a_later_change_to_one_row_of_a_range_keeps_the_import_from_being_undone_alone(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima")
    before = export(kw)
    with kw.ctx.change("imported two conversations"):
        first = _insert_conversation(kw, ana.id, "first")
        _insert_conversation(kw, ana.id, "second")
    imported = kw.history.recent(limit=1)[0].id
    with kw.ctx.change("renamed a conversation") as conn:
        interaction_store.update(conn, first, subject="renamed")
    with pytest.raises(InvalidInput, match=r"#\d+ \(renamed a conversation\) changed the same records"):
        kw.history.undo(imported)
    assert kw.history.undo() == "renamed a conversation"
    assert kw.history.undo() == "imported two conversations"
    assert export(kw) == before


def test_rows_below_the_largest_key_are_journaled_one_by_one(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima")
    bo = kw.people.add("Bo Chen")
    with kw.ctx.change("logged two conversations"):
        older = _insert_conversation(kw, ana.id, "older")
        _insert_conversation(kw, ana.id, "newer")
    before = export(kw)
    with kw.ctx.change("added Bo to the older conversation"):
        bulk_import.insert_participants(kw.db.conn, [(older, bo.id)])  # below the largest interaction id
    change_id = kw.history.recent(limit=1)[0].id
    assert _entries(kw, change_id) == {"interaction_participants": [(None, None)]}
    kw.history.undo()
    assert export(kw) == before


def test_an_import_names_its_new_acquaintances_in_the_network_feed_as_ranges(kw: Knowwho) -> None:
    kw.people.add("Ana Lima", emails=["ana@lima.org"])
    memory = _loaded(kw)
    run_import(kw, "mail", MBOX, me=["me@example.org"])
    feed = kw.db.conn.execute("SELECT row_id, last_row_id FROM network_changes WHERE tbl = 'knows'").fetchall()
    knows = kw.db.conn.execute("SELECT MIN(id), MAX(id) FROM knows").fetchone()
    assert knows[0] is not None and [tuple(row) for row in feed] == [tuple(knows)]
    _assert_same(memory, kw)  # the server's network follows the range
    kw.history.undo()
    _assert_same(memory, kw)
    assert memory.reloads == 1
