"""A JSON backup holds the network as the user sees it: people removed (`rm`, merged away, an add undone),
deleted notes and conversations, and everything that exists for them alone, are not in it and never come
back with `restore`, not even from a backup made before they were left out."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from knowwho.clock import fixed_clock
from knowwho.core import Knowwho
from knowwho.exporters.json_backup import write_backup
from knowwho.services import exports
from knowwho.storage import dump
from knowwho.storage import provenance as provenance_store
from tests.conftest import NOW


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Knowwho]:
    app = Knowwho.open(tmp_path / "restored.db", clock=fixed_clock(NOW))
    yield app
    app.close()


def exported(kw: Knowwho, path: Path) -> dict[str, list[dict[str, Any]]]:
    exports.export_json(kw, path)
    tables: dict[str, list[dict[str, Any]]] = json.loads(path.read_text(encoding="utf-8"))["tables"]
    return tables


def rows_about(tables: dict[str, list[dict[str, Any]]], person_id: int) -> list[tuple[str, dict[str, Any]]]:
    """Every row of the backup that points at this person (by any column naming a person), or is them."""
    found = []
    for table, rows in tables.items():
        for row in rows:
            people = [v for k, v in row.items() if k.startswith("person") and k.endswith("id")]
            if table == "people":
                people.append(row["id"])
            elif table == "provenance" and row["entity"] == "person":
                people.append(row["entity_id"])
            if person_id in people:
                found.append((table, row))
    return found


def test_a_removed_person_and_all_that_is_theirs_stay_out(kw: Knowwho, fresh: Knowwho, tmp_path: Path) -> None:
    ann = kw.people.add("Ann Gone", emails=["ann@gone.example"], organization="Acme", tags=["secret-tag"],
                        note="ann's private note").id  # fmt: skip
    bo = kw.people.add("Bo Stays", emails=["bo@stays.example"]).id
    kw.interactions.log([ann], kind="call", note="a call with Ann alone")
    kw.interactions.log([ann, bo], kind="meeting", note="the three of us")
    kw.followups.add(ann, NOW.date(), note="write to Ann")
    with kw.db.transaction() as conn:
        provenance_store.add(conn, entity="person", entity_id=ann, source="vcard", file="a.vcf",
                             external_id="uid-ann", now=kw.ctx.now_stamp())  # fmt: skip
        provenance_store.add_knows(conn, ann, bo, source="me", confidence=1.0, now=kw.ctx.now_stamp())
    kw.people.remove(ann)

    backup = tmp_path / "backup.json"
    tables = exported(kw, backup)
    assert rows_about(tables, ann) == []
    text = backup.read_text(encoding="utf-8")
    for private in ("Ann Gone", "ann@gone.example", "secret-tag", "ann's private note", "a call with Ann alone"):
        assert private not in text
    # A conversation with others stays, with them.
    meeting = next(i for i in tables["interactions"] if i["notes"] == "the three of us")
    assert [p["person_id"] for p in tables["interaction_participants"] if p["interaction_id"] == meeting["id"]] == [bo]

    exports.restore_json(fresh, backup)
    assert fresh.people.count() == 1 and fresh.people.resolve("Bo").id == bo
    assert exported(fresh, tmp_path / "again.json") == tables


def test_a_record_merged_away_stays_out_and_what_it_had_stays_in(kw: Knowwho, tmp_path: Path) -> None:
    keep = kw.people.add("Bob Keep", emails=["bob@keep.example"]).id
    other = kw.people.add("Bobby Duplicate", emails=["bobby@dup.example"], note="met at the sprint").id
    kw.duplicates.merge(keep, other)

    tables = exported(kw, tmp_path / "backup.json")
    assert [p["display_name"] for p in tables["people"]] == ["Bob Keep"]
    assert rows_about(tables, other) == []
    assert {e["email"] for e in tables["person_emails"]} == {"bob@keep.example", "bobby@dup.example"}
    assert [(n["person_id"], n["body"]) for n in tables["notes"]] == [(keep, "met at the sprint")]


def test_an_undone_add_and_a_deleted_note_stay_out(kw: Knowwho, tmp_path: Path) -> None:
    bo = kw.people.add("Bo Stays").id
    note = kw.interactions.add_note(bo, "a note deleted later")
    kw.interactions.remove_note(note.id)
    carl = kw.people.add("Carl Undone", emails=["carl@undone.example"], organization="Carlcorp", note="carl's note")
    kw.history.undo()

    backup = tmp_path / "backup.json"
    tables = exported(kw, backup)
    assert rows_about(tables, carl.id) == [] and tables["notes"] == []
    text = backup.read_text(encoding="utf-8")
    assert "Carl" not in text and "a note deleted later" not in text


def test_a_deleted_conversation_stays_out_and_a_follow_up_loses_only_its_link(kw: Knowwho, tmp_path: Path) -> None:
    bo = kw.people.add("Bo Stays").id
    deleted = kw.interactions.log([bo], kind="coffee", note="logged by mistake")
    kept = kw.interactions.log([bo], kind="call", note="a real call")
    followup = kw.followups.add(bo, NOW.date(), note="thank Bo")
    with kw.db.transaction() as conn:
        conn.execute("UPDATE followups SET interaction_id = ? WHERE id = ?", (deleted.id, followup.id))
    kw.interactions.remove(deleted.id)

    tables = exported(kw, tmp_path / "backup.json")
    assert [i["id"] for i in tables["interactions"]] == [kept.id]
    assert [p["interaction_id"] for p in tables["interaction_participants"]] == [kept.id]
    assert [(f["id"], f["interaction_id"]) for f in tables["followups"]] == [(followup.id, None)]


def test_an_older_backup_holding_removed_rows_does_not_bring_them_back(
    kw: Knowwho, fresh: Knowwho, tmp_path: Path
) -> None:
    ann = kw.people.add("Ann Gone", emails=["ann@gone.example"], note="ann's private note").id
    bo = kw.people.add("Bo Stays").id
    kw.interactions.log([ann], kind="call")
    kw.interactions.log([ann, bo], kind="meeting")
    kw.people.remove(ann)
    older = tmp_path / "older.json"  # as knowwho wrote backups before: every row, removed ones marked so
    conn = kw.db.conn
    with older.open("w", encoding="utf-8") as out:
        specs = dump.table_specs(conn)
        write_backup(
            out, schema_version=kw.db.schema_version, tables=((s.name, dump.iter_rows(conn, s)) for s in specs)
        )
    assert "Ann Gone" in older.read_text(encoding="utf-8")

    result = exports.restore_json(fresh, older)
    assert [tuple(r) for r in fresh.db.conn.execute("SELECT display_name FROM people")] == [("Bo Stays",)]
    assert result.tables["people"] == 1 and result.tables["interactions"] == 1
    assert exported(fresh, tmp_path / "restored.json") == exported(kw, tmp_path / "current.json")
