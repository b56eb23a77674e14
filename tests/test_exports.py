"""Taking everything out and back: JSON backup/restore, vCard, CSV, iCalendar, database backups."""

from __future__ import annotations

import base64
import csv
import json
import os
import sqlite3
import stat
import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import knowwho.cli.exports  # noqa: F401  (registers the commands with `app`)
from knowwho.cli.app import app, run
from knowwho.clock import fixed_clock
from knowwho.core import Knowwho
from knowwho.errors import ImportFailed, InvalidInput
from knowwho.exporters import ExportFailed
from knowwho.services import exports
from knowwho.services.people import PersonChanges
from knowwho.storage import dump
from knowwho.storage import people as people_store
from tests.conftest import NOW

# A 1x1 PNG: a real photo as far as any parser is concerned.
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
)
STAMP = "2026-11-01 10:00:00"
runner = CliRunner()


def populate(kw: Knowwho) -> dict[str, int]:
    """A small network touching every table: people with everything, a merge, interactions,
    follow-ups, an event, an opportunity, knows edges, introductions, my profile, undo history."""
    ana = kw.people.add(
        "Ána Lima", emails=["ana@lima.org", "ana.work@acme.com"], phones=["+1 415 555 0100"], organization="Acme",
        title="CTO", tags=["ml", "robotics"], how_met="PyCon, at the robotics sprint", note="Her aunt is a coach",
        links=["https://www.linkedin.com/in/analima"], closeness=4, location="Lisbon",
    )  # fmt: skip
    bo = kw.people.add("Bo Chen", emails=["bo@chen.io"], organization="Initech", title="Recruiter")
    cy = kw.people.add("Cy Park")
    old = kw.people.add("Dee Old Record", emails=["dee@old.example"])
    dee = kw.people.add("Dee Rao", emails=["dee@rao.example"], phones=["+44 20 7946 0958"])
    kw.people.edit(bo.id, PersonChanges(birthday="1990-04-01", situation="changing jobs"))
    kw.interactions.log([ana.id, bo.id], kind="meeting", note="robotics chat", when=NOW - timedelta(days=20))
    kw.interactions.log([ana.id], kind="email", direction="in", subject="Paper draft", when=NOW - timedelta(days=2))
    kw.interactions.log([bo.id], kind="call", when=NOW - timedelta(days=40))
    kw.interactions.add_note(bo.id, "Knows every hiring manager in town")
    open_one = kw.followups.add(ana.id, date(2026, 11, 25), note="send the paper")
    kw.followups.add(None, date(2026, 12, 1), note="plan the meetup")
    done = kw.followups.add(bo.id, date(2026, 11, 20), note="already done")
    kw.followups.close(done.id, "done")
    with kw.db.transaction() as conn:
        people_store.set_photo(conn, ana.id, PNG, "image/png")
        people_store.add_addresses(conn, ana.id, ["Rua Augusta 1\nLisboa"], label="home")
        conn.execute("UPDATE people SET is_contact = 0 WHERE id = ?", (cy.id,))
        # The older record was merged into a newer one: a reference to a higher id.
        conn.execute("UPDATE people SET merged_into_id = ?, deleted_at = ? WHERE id = ?", (dee.id, STAMP, old.id))
        conn.execute("INSERT INTO knows (person_a_id, person_b_id, source, confidence, created_at) VALUES (?, ?, 'me', 0.7, ?)", (ana.id, cy.id, STAMP))  # fmt: skip
        conn.execute("INSERT INTO knows (person_a_id, person_b_id, source, confidence, created_at) VALUES (?, ?, 'mail-co-recipient', 0.35, ?)", (bo.id, cy.id, STAMP))  # fmt: skip
        event = conn.execute("INSERT INTO events (name, starts_on, ends_on, place, notes, created_at) VALUES ('RoboConf', '2026-12-03', '2026-12-04', 'Porto', 'talk on day 2', ?)", (STAMP,)).lastrowid  # fmt: skip
        conn.execute(
            "INSERT INTO events (name, starts_on, created_at) VALUES ('Old meetup', '2025-01-10', ?)", (STAMP,)
        )
        conn.execute("INSERT INTO event_people (event_id, person_id, note) VALUES (?, ?, 'speaking')", (event, ana.id))
        opp = conn.execute("INSERT INTO opportunities (organization_id, role_title, stage, reengage_on, outcome, created_at, updated_at) VALUES (2, 'Staff engineer', 'rejected', '2027-01-15', 'headcount frozen', ?, ?)", (STAMP, STAMP)).lastrowid  # fmt: skip
        conn.execute("INSERT INTO opportunity_people (opportunity_id, person_id, part) VALUES (?, ?, 'recruiter')", (opp, bo.id))  # fmt: skip
        conn.execute("INSERT INTO introductions (person_a_id, person_b_id, reason, created_at, updated_at) VALUES (?, ?, 'both into robots', ?, ?)", (ana.id, dee.id, STAMP, STAMP))  # fmt: skip
        conn.execute("INSERT INTO ledger_entries (person_id, direction, what, occurred_on, created_at) VALUES (?, 'received', 'advice', '2026-10-01', ?)", (ana.id, STAMP))  # fmt: skip
        item = conn.execute("INSERT INTO share_items (title, url, created_at) VALUES ('A robotics paper', 'https://example.org/p', ?)", (STAMP,)).lastrowid  # fmt: skip
        conn.execute("INSERT INTO shares (item_id, person_id, shared_on) VALUES (?, ?, '2026-10-02')", (item, ana.id))
        conn.execute("INSERT INTO my_profile (id, name, headline) VALUES (1, 'Me Myself', 'Robotics engineer')")
        conn.execute("INSERT INTO my_emails (email) VALUES ('me@example.org')")
        conn.execute("INSERT INTO my_updates (happened_on, title, created_at) VALUES ('2026-10-05', 'Shipped the arm', ?)", (STAMP,))  # fmt: skip
        conn.execute("INSERT INTO templates (key, name, body, updated_at) VALUES ('thanks', 'Thank you', 'Thanks {name}!', ?)", (STAMP,))  # fmt: skip
        conn.execute("INSERT INTO settings (key, value) VALUES ('theme', 'dark')")
        conn.execute("INSERT INTO provenance (entity, entity_id, source, file, external_id, imported_at) VALUES ('person', ?, 'vcard', 'phone.vcf', 'uid-1', ?)", (bo.id, STAMP))  # fmt: skip
    kw.agenda.today()  # fills agenda_listing, which backups leave out
    return {"ana": ana.id, "bo": bo.id, "cy": cy.id, "dee": dee.id, "old": old.id, "followup": open_one.id}


@pytest.fixture
def fresh(tmp_path: Path) -> Iterator[Knowwho]:
    app_ = Knowwho.open(tmp_path / "restored.db", clock=fixed_clock(NOW))
    yield app_
    app_.close()


def counts(kw: Knowwho) -> dict[str, int]:
    return {spec.name: dump.count_rows(kw.db.conn, spec.name) for spec in dump.table_specs(kw.db.conn)}


# -- JSON backup and restore --------------------------------------------------------
def test_json_export_restore_export_gives_identical_bytes(kw: Knowwho, fresh: Knowwho, tmp_path: Path) -> None:
    ids = populate(kw)
    first, second = tmp_path / "first.json", tmp_path / "second.json"
    result = exports.export_json(kw, first)
    restored = exports.restore_json(fresh, first)
    exports.export_json(fresh, second)
    assert first.read_bytes() == second.read_bytes()
    assert restored.tables == {k: v for k, v in result.tables.items() if v}
    # Everything but the record merged away (and its email), which backups leave out.
    assert counts(fresh) == {**counts(kw), "people": counts(kw)["people"] - 1, "person_emails": 4}

    document = json.loads(first.read_text(encoding="utf-8"))
    assert document["format"] == "knowwho-backup" and document["schema_version"] == kw.db.schema_version
    tables = document["tables"]
    assert "agenda_listing" not in tables and not any("fts" in name for name in tables)
    assert {"people", "interactions", "followups", "knows", "events", "opportunities"} <= set(tables)
    assert not any(name.startswith("undo_") for name in tables)  # a backup holds the network, not its history
    ana = next(p for p in tables["people"] if p["id"] == ids["ana"])
    assert base64.b64decode(ana["photo"]["base64"]) == PNG
    assert "Ána Lima" in first.read_text(encoding="utf-8")  # readable UTF-8, not \u escapes


def test_restored_database_works_like_the_original(kw: Knowwho, fresh: Knowwho, tmp_path: Path) -> None:
    ids = populate(kw)
    exports.restore_json(fresh, _export(kw, tmp_path))
    before, after = kw.people.detail(ids["ana"]), fresh.people.detail(ids["ana"])
    assert after.person == before.person and after.notes == before.notes and after.interactions == before.interactions
    # Full-text indexes are right: names, notes and conversations are found, and SQLite agrees.
    assert [h.person.id for h in fresh.search.people("robotics")] == [h.person.id for h in kw.search.people("robotics")]
    assert [h.person.display_name for h in fresh.search.people("hiring manager")] == ["Bo Chen"]
    assert fresh.people.resolve_id("ana") == ids["ana"]
    assert dump.index_problems(fresh.db.conn) == []
    assert fresh.db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    # A restored network starts a fresh history.
    assert fresh.history.recent() == [] and kw.history.recent() != []
    # New rows get new ids after the restored ones.
    assert fresh.people.add("Eve New").id == max(ids.values()) + 1


def test_export_is_deterministic_and_reads_one_snapshot(kw: Knowwho, tmp_path: Path) -> None:
    populate(kw)
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    exports.export_json(kw, a)
    exports.export_json(kw, b)
    assert a.read_bytes() == b.read_bytes()
    assert not kw.db.conn.in_transaction


def test_a_reformatted_backup_still_restores(kw: Knowwho, fresh: Knowwho, tmp_path: Path) -> None:
    populate(kw)
    original = _export(kw, tmp_path)
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(json.loads(original.read_text(encoding="utf-8")), indent=4), encoding="utf-8")
    exports.restore_json(fresh, pretty)
    again = tmp_path / "again.json"
    exports.export_json(fresh, again)
    assert again.read_bytes() == original.read_bytes()


def test_an_older_backup_restores_with_defaults_for_newer_columns(kw: Knowwho, fresh: Knowwho, tmp_path: Path) -> None:
    ids = populate(kw)
    text = _export(kw, tmp_path).read_text(encoding="utf-8")
    text = text.replace(f'"schema_version":{kw.db.schema_version}', '"schema_version":1', 1)
    text = _edit_first_row(text, "people", lambda row: {k: v for k, v in row.items() if k != "location"})
    older = tmp_path / "older.json"
    older.write_text(text, encoding="utf-8")
    exports.restore_json(fresh, older)
    assert fresh.people.get(ids["ana"]).location == "" != kw.people.get(ids["ana"]).location  # the default
    assert fresh.people.get(ids["ana"]).emails == kw.people.get(ids["ana"]).emails


def test_restore_refuses_a_database_that_holds_data(kw: Knowwho, tmp_path: Path) -> None:
    populate(kw)
    backup = _export(kw, tmp_path)
    before = counts(kw)
    with pytest.raises(InvalidInput, match="already holds data") as refused:
        exports.restore_json(kw, backup)
    assert refused.value.exit_code == 2
    assert counts(kw) == before
    again = tmp_path / "again.json"
    exports.export_json(kw, again)
    assert again.read_bytes() == backup.read_bytes()


def test_restore_replaces_default_rows_of_a_new_database(kw: Knowwho, fresh: Knowwho, tmp_path: Path) -> None:
    populate(kw)
    with fresh.db.transaction() as conn:  # as a migration seeding stock templates would
        conn.execute("INSERT INTO templates (key, name, body, updated_at) VALUES ('stock', 'Stock', 'Hi', ?)", (STAMP,))
        conn.execute("INSERT INTO settings (key, value) VALUES ('theme', 'light')")
    exports.restore_json(fresh, _export(kw, tmp_path))
    assert [r[0] for r in fresh.db.conn.execute("SELECT key FROM templates")] == ["thanks"]
    assert fresh.db.conn.execute("SELECT value FROM settings WHERE key = 'theme'").fetchone()[0] == "dark"


def _damage(kind: str, text: str) -> str:
    lines = text.split("\n")
    if kind == "truncated":
        return "\n".join(lines[: len(lines) // 2])
    if kind == "not json":
        return "BEGIN:VCARD\nVERSION:3.0\nEND:VCARD\n"
    if kind == "foreign json":
        return json.dumps({"contacts": [{"name": "Ana"}]})
    if kind == "empty":
        return ""
    if kind == "newer schema":
        return text.replace('"schema_version":', '"schema_version":9', 1)
    if kind == "damaged row":
        index = next(i for i, line in enumerate(lines) if line.startswith('{"created_at"'))
        lines[index] = lines[index][:25]
        return "\n".join(lines)
    if kind == "unknown column":
        return _edit_first_row(text, "people", lambda row: {**row, "shoe_size": 42})
    if kind == "unknown table":
        return text.replace('"events":[', '"gadgets":[\n{"id":1}\n],\n"events":[', 1)
    if kind == "bad base64":
        return text.replace('"photo":{"base64":"', '"photo":{"base64":"!!', 1)
    if kind == "broken reference":
        return _edit_first_row(text, "followups", lambda row: {**row, "person_id": 999})
    if kind == "violates a check":
        return text.replace('"direction":"in"', '"direction":"sideways"', 1)
    if kind == "huge number":
        return _edit_first_row(text, "people", lambda row: {**row, "id": 10**20})
    raise AssertionError(kind)


def _edit_first_row(text: str, table: str, change: Callable[[dict[str, Any]], dict[str, Any]]) -> str:
    lines = text.split("\n")
    index = lines.index(f'"{table}":[') + 1
    comma = "," if lines[index].endswith(",") else ""
    row = json.loads(lines[index].rstrip(","))
    lines[index] = json.dumps(change(row), sort_keys=True, separators=(",", ":")) + comma
    return "\n".join(lines)


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("truncated", "ends early"),
        ("not json", "not valid JSON"),
        ("foreign json", "not a knowwho JSON backup"),
        ("empty", "not valid JSON"),
        ("newer schema", "newer knowwho"),
        ("damaged row", "damaged JSON"),
        ("unknown column", "unknown column 'shoe_size' in people"),
        ("unknown table", "unknown table 'gadgets'"),
        ("bad base64", "damaged base64"),
        ("broken reference", "refers to a missing people row"),
        ("violates a check", "interactions row 2: direction must be one of 'in', 'out'"),
        ("huge number", "column 'id' of people: 100000000000000000000 is too large a number"),
    ],
)
def test_a_bad_backup_gives_one_clear_line_and_changes_nothing(
    kw: Knowwho, fresh: Knowwho, tmp_path: Path, kind: str, message: str
) -> None:
    populate(kw)
    bad = tmp_path / "bad.json"
    bad.write_text(_damage(kind, _export(kw, tmp_path).read_text(encoding="utf-8")), encoding="utf-8")
    with pytest.raises(ImportFailed) as failed:
        exports.restore_json(fresh, bad)
    text = str(failed.value)
    assert message in text and str(bad) in text and "\n" not in text
    assert failed.value.exit_code == 2
    assert dump.tables_with_rows(fresh.db.conn, dump.table_specs(fresh.db.conn)) == []
    assert not fresh.db.conn.in_transaction
    assert fresh.db.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_a_missing_backup_file_or_a_database_given_instead(
    kw: Knowwho, fresh: Knowwho, db_path: Path, tmp_path: Path
) -> None:
    with pytest.raises(ImportFailed, match="no such file"):
        exports.restore_json(fresh, tmp_path / "nope.json")
    populate(kw)
    with pytest.raises(ImportFailed, match="this is a knowwho database, not a JSON backup"):
        exports.restore_json(fresh, db_path)


@pytest.fixture(scope="module")
def small_backup(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    folder = tmp_path_factory.mktemp("small")
    with closing(Knowwho.open(folder / "small.db", clock=fixed_clock(NOW))) as app_:
        populate(app_)
        return _export(app_, folder).read_bytes()


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(where=st.floats(0, 1), length=st.integers(0, 30), junk=st.binary(max_size=30))
def test_no_damaged_backup_crashes_the_restore(
    small_backup: bytes, tmp_path: Path, where: float, length: int, junk: bytes
) -> None:
    at = int(where * len(small_backup))
    damaged = tmp_path / "damaged.json"
    damaged.write_bytes(small_backup[:at] + junk + small_backup[at + length :])
    database = tmp_path / "target.db"
    for leftover in tmp_path.glob("target.db*"):
        leftover.unlink()
    with closing(Knowwho.open(database, clock=fixed_clock(NOW))) as target:
        try:
            exports.restore_json(target, damaged)
        except (ImportFailed, InvalidInput) as error:
            assert "\n" not in str(error)
            assert dump.tables_with_rows(target.db.conn, dump.table_specs(target.db.conn)) == []
        assert not target.db.conn.in_transaction


# -- vCard, CSV, iCalendar ----------------------------------------------------------
@pytest.mark.parametrize("version", ["4.0", "3.0"])
def test_vcard_export_parses_back_with_vobject(kw: Knowwho, tmp_path: Path, version: str) -> None:
    import vobject

    populate(kw)
    path = tmp_path / "contacts.vcf"
    result = exports.export_vcard(kw, path, version=version)
    text = path.read_text(encoding="utf-8")
    cards = {c.fn.value: c for c in vobject.readComponents(text)}
    # Live, first-degree contacts only: not the merged record, not the second-degree Cy.
    assert result.count == 3 and set(cards) == {"Ána Lima", "Bo Chen", "Dee Rao"}
    ana = cards["Ána Lima"]
    assert ana.version.value == version
    assert ana.n.value.given == "Ána" and ana.n.value.family == "Lima"
    assert [e.value for e in ana.contents["email"]] == ["ana@lima.org", "ana.work@acme.com"]
    assert ana.tel.value == "+14155550100"
    assert ana.org.value == ["Acme"] and ana.title.value == "CTO"
    assert ana.categories.value == ["ml", "robotics"]
    assert ana.url.value == "https://www.linkedin.com/in/analima"
    assert "Her aunt is a coach" in ana.note.value and "PyCon, at the robotics sprint" in ana.note.value
    assert "Rua Augusta 1" in str(ana.adr.value.street)
    assert cards["Bo Chen"].bday.value == ("19900401" if version == "4.0" else "1990-04-01")
    if version == "4.0":
        assert "PHOTO:data:image/png;base64," + base64.b64encode(PNG).decode() in text
        assert ana.email.params["PREF"] == ["1"]
    else:
        assert ana.photo.value == PNG and ana.photo.params["TYPE"] == ["PNG"]
    uid = ana.uid.value
    exports.export_vcard(kw, path, version=version)
    assert {c.fn.value: c for c in vobject.readComponents(path.read_text(encoding="utf-8"))}[
        "Ána Lima"
    ].uid.value == uid


def test_vcard_version_is_checked(kw: Knowwho, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="unknown vCard version"):
        exports.export_vcard(kw, tmp_path / "x.vcf", version="2.1")
    assert not (tmp_path / "x.vcf").exists()


def test_csv_export_has_google_columns_and_one_row_per_person(kw: Knowwho, tmp_path: Path) -> None:
    populate(kw)
    path = tmp_path / "contacts.csv"
    assert exports.export_csv(kw, path).count == 3
    with path.open(encoding="utf-8", newline="") as handle:
        rows = {row["File As"]: row for row in csv.DictReader(handle)}
    ana = rows["Ána Lima"]
    assert (ana["First Name"], ana["Last Name"]) == ("Ána", "Lima")
    assert (ana["Organization Name"], ana["Organization Title"]) == ("Acme", "CTO")
    assert (ana["E-mail 1 - Value"], ana["E-mail 2 - Value"]) == ("ana@lima.org", "ana.work@acme.com")
    assert ana["Phone 1 - Value"] == "+14155550100" and ana["Labels"] == "ml ::: robotics"
    assert ana["Website 1 - Value"] == "https://www.linkedin.com/in/analima"
    assert ana["Address 1 - Formatted"] == "Rua Augusta 1\nLisboa" and ana["Address 1 - Label"] == "Home"
    assert "Her aunt is a coach" in ana["Notes"]
    assert rows["Bo Chen"]["Birthday"] == "1990-04-01" and rows["Bo Chen"]["E-mail 2 - Value"] == ""


def test_csv_cells_never_run_as_spreadsheet_formulas(kw: Knowwho, tmp_path: Path) -> None:
    kw.people.add('=HYPERLINK("http://evil")', phones=["+44 20 7946 0958"])
    path = tmp_path / "contacts.csv"
    exports.export_csv(kw, path)
    row = next(csv.DictReader(path.open(encoding="utf-8", newline="")))
    assert row["File As"].startswith("'=") and row["Phone 1 - Value"] == "+442079460958"


def test_ics_export_holds_open_followups_reminders_and_upcoming_events(kw: Knowwho, tmp_path: Path) -> None:
    import icalendar

    ids = populate(kw)
    path = tmp_path / "reminders.ics"
    result = exports.export_ics(kw, path)
    calendar = icalendar.Calendar.from_ical(path.read_bytes())
    todos = {str(t["uid"]): t for t in calendar.walk("VTODO")}
    events = {str(e["summary"]): e for e in calendar.walk("VEVENT")}
    followup = todos[f"followup-{ids['followup']}@knowwho"]
    assert followup["due"].dt == date(2026, 11, 25) and "Ána Lima" in str(followup["summary"])
    assert "send the paper" in str(followup["summary"])
    assert not any("already done" in str(t["summary"]) for t in todos.values())  # done follow-ups stay out
    assert any(str(t["summary"]) == "Follow up: plan the meetup" for t in todos.values())
    reengage = next(t for t in todos.values() if str(t["uid"]).startswith("reengage-"))
    assert reengage["due"].dt == date(2027, 1, 15) and "Initech" in str(reengage["summary"])
    assert set(events) == {"RoboConf"}  # the past meetup is left out
    assert events["RoboConf"]["dtstart"].dt == date(2026, 12, 3) and events["RoboConf"]["dtend"].dt == date(2026, 12, 5)
    assert result.count == len(todos) + len(events) == 4
    assert exports.followups_ics(kw) == path.read_bytes().decode("utf-8")


# -- atomic writes and database backups --------------------------------------------
def test_a_failed_export_leaves_the_old_file_and_no_leftovers(
    kw: Knowwho, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    populate(kw)
    path = tmp_path / "backup.json"
    path.write_text("the previous backup", encoding="utf-8")

    def crash(*_: object, **__: object) -> Iterator[dict[str, object]]:
        yield {"id": 1}
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(dump, "iter_rows", crash)
    with pytest.raises(RuntimeError):
        exports.export_json(kw, path)
    assert path.read_text(encoding="utf-8") == "the previous backup"
    assert sorted(p.name for p in tmp_path.iterdir() if "backup" in p.name) == ["backup.json"]


def test_exports_refuse_a_missing_folder_and_the_database_itself(kw: Knowwho, db_path: Path, tmp_path: Path) -> None:
    with pytest.raises(ExportFailed, match="does not exist"):
        exports.export_csv(kw, tmp_path / "nowhere" / "x.csv")
    with pytest.raises(InvalidInput, match="the database itself"):
        exports.export_json(kw, db_path)
    with pytest.raises(InvalidInput, match="the database itself"):
        exports.backup(kw, db_path)


def test_an_export_through_a_link_replaces_the_file_and_keeps_the_link(kw: Knowwho, tmp_path: Path) -> None:
    populate(kw)
    real = tmp_path / "synced" / "contacts.csv"
    real.parent.mkdir()
    real.write_text("an older export", encoding="utf-8")
    link = tmp_path / "contacts.csv"
    link.symlink_to(real)
    exports.export_csv(kw, link)
    assert link.is_symlink() and link.resolve() == real.resolve()
    assert real.read_text(encoding="utf-8").startswith("First Name,")


def test_an_export_to_a_pipe_is_written_into_it_not_over_it(db_path: Path, tmp_path: Path) -> None:
    """`knowwho export json /dev/stdout | jq`: the pipe is written through, and the summary goes to stderr."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()))
    reader.start()
    try:
        with runner.isolation() as streams:
            code = run(app, ["export", "json", str(pipe), "--db", str(db_path)])
            out, err = streams[0].getvalue().decode(), streams[1].getvalue().decode()
    finally:
        reader.join(timeout=10)
    assert code == 0 and out == "" and err.startswith("Wrote ") and str(pipe) in err
    assert stat.S_ISFIFO(pipe.stat().st_mode)  # still a pipe, not a file renamed over it
    assert json.loads(received[0])["format"] == "knowwho-backup"


def test_a_backup_into_a_pipe_or_a_device_is_refused_and_one_through_a_link_keeps_it(
    kw: Knowwho, tmp_path: Path
) -> None:
    """The copy is renamed into place: over a device (`/dev/null`) it would put a plain file there instead."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    with pytest.raises(ExportFailed, match="a pipe or a device, not a file"):
        exports.backup(kw, pipe)
    assert stat.S_ISFIFO(pipe.stat().st_mode)
    real = tmp_path / "copies" / "knowwho.db"
    real.parent.mkdir()
    link = tmp_path / "latest.db"
    link.symlink_to(real)
    exports.backup(kw, link)
    assert link.is_symlink() and real.stat().st_size > 0


def test_backup_while_another_connection_is_writing(kw: Knowwho, db_path: Path, tmp_path: Path) -> None:
    populate(kw)
    writer = sqlite3.connect(db_path, isolation_level=None, timeout=1)
    try:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO people (display_name, created_at, updated_at) VALUES ('Uncommitted', ?, ?)", (STAMP, STAMP))  # fmt: skip
        result = exports.backup(kw, tmp_path / "copy.db")
        assert writer.in_transaction  # the writer was never blocked or interrupted
        writer.execute("COMMIT")
    finally:
        writer.close()
    copy = sqlite3.connect(result.path)
    try:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        names = {r[0] for r in copy.execute("SELECT display_name FROM people")}
        assert "Ána Lima" in names and "Uncommitted" not in names
    finally:
        copy.close()
    with closing(Knowwho.open(result.path, clock=fixed_clock(NOW))) as copied:
        assert copied.people.resolve_id("Ána Lima") == kw.people.resolve_id("Ána Lima")


def test_backup_default_name_is_timestamped_beside_the_database(kw: Knowwho, db_path: Path) -> None:
    first = exports.backup(kw)
    second = exports.backup(kw)
    local = NOW.astimezone().strftime("%Y%m%d-%H%M%S")
    assert first.path == db_path.parent / f"knowwho-{local}.db"
    assert second.path == db_path.parent / f"knowwho-{local}-2.db"
    assert first.count == first.path.stat().st_size > 0


# -- the command line ---------------------------------------------------------------
def kw_cli(*args: str) -> tuple[int, str, str]:
    """Run a command the way `knowwho` does (same error handling), capturing its output."""
    with runner.isolation() as streams:
        code = run(app, list(args))
        out, err = streams[0].getvalue().decode(), streams[1].getvalue().decode()
    return code, out, err


def test_cli_export_restore_backup(kw: Knowwho, db_path: Path, tmp_path: Path) -> None:
    populate(kw)
    db, backup_json = str(db_path), str(tmp_path / "all.json")
    result = runner.invoke(app, ["export", "json", backup_json, "--db", db])
    assert result.exit_code == 0 and "Wrote" in result.stdout
    for kind, name, extra in (("vcard", "c.vcf", ["--version", "3.0"]), ("csv", "c.csv", []), ("ics", "r.ics", [])):
        result = runner.invoke(app, ["export", kind, str(tmp_path / name), *extra, "--db", db])
        assert result.exit_code == 0, result.output
    assert "VERSION:3.0" in (tmp_path / "c.vcf").read_text(encoding="utf-8")

    restored = tmp_path / "restored.db"
    result = runner.invoke(app, ["restore", backup_json, "--db", str(restored)])
    assert result.exit_code == 0 and "4 people" in result.stdout  # the record merged away is left out
    again = tmp_path / "again.json"
    assert runner.invoke(app, ["export", "json", str(again), "--db", str(restored)]).exit_code == 0
    assert again.read_bytes() == Path(backup_json).read_bytes()

    result = runner.invoke(app, ["backup", str(tmp_path), "--db", db, "--json"])
    assert result.exit_code == 0 and Path(json.loads(result.stdout)["path"]).parent == tmp_path


def test_import_json_restores_like_restore(kw: Knowwho, db_path: Path, tmp_path: Path) -> None:
    populate(kw)
    backup_json = _export(kw, tmp_path)
    code, _, err = kw_cli("import", "json", str(backup_json), "--db", str(tmp_path / "imported.db"))
    assert code == 0, err
    again = tmp_path / "again.json"
    assert kw_cli("export", "json", str(again), "--db", str(tmp_path / "imported.db"))[0] == 0
    assert again.read_bytes() == backup_json.read_bytes()
    code, _, err = kw_cli("import", "json", str(backup_json), "--db", str(db_path))
    assert code == 2 and "already holds data" in err


def test_cli_restore_errors_are_one_line_with_exit_code_2(kw: Knowwho, db_path: Path, tmp_path: Path) -> None:
    populate(kw)
    backup_json = _export(kw, tmp_path)
    code, _, err = kw_cli("restore", str(backup_json), "--db", str(db_path))
    assert code == 2 and err.count("\n") == 1 and "already holds data" in err
    corrupt = tmp_path / "corrupt.json"
    corrupt.write_bytes(backup_json.read_bytes()[:500])
    code, _, err = kw_cli("restore", str(corrupt), "--db", str(tmp_path / "new.db"))
    assert code == 2 and err.count("\n") == 1 and "ends early" in err and "Traceback" not in err
    code, _, err = kw_cli("export", "vcard", str(tmp_path / "x.vcf"), "--version", "2.1", "--db", str(db_path))
    assert code == 2 and "unknown vCard version" in err


def test_cli_commands_have_help() -> None:
    for args in (["export", "--help"], ["export", "vcard", "--help"], ["backup", "--help"], ["restore", "--help"]):
        result = runner.invoke(app, args)
        assert result.exit_code == 0 and "Usage" in result.stdout, args


# -- helpers ------------------------------------------------------------------------
def _export(kw: Knowwho, tmp_path: Path) -> Path:
    path = tmp_path / "export.json"
    exports.export_json(kw, path)
    return path


# -- no secrets in exports --------------------------------------------------------------
def _secrets(kw: Knowwho) -> dict[str, str]:
    from knowwho.services.access import API_TOKEN, FEED_TOKEN, SESSION_KEY, AccessService

    access = AccessService(kw.ctx)
    return {key: access.secret(key) for key in (SESSION_KEY, API_TOKEN, FEED_TOKEN)}


def test_exports_and_backups_hold_no_secrets(kw: Knowwho, tmp_path: Path) -> None:
    populate(kw)
    secrets = _secrets(kw)
    exported = _export(kw, tmp_path).read_text()
    backup = exports.backup(kw, tmp_path / "copy.db").path
    raw = backup.read_bytes()
    for value in secrets.values():
        assert value not in exported and value.encode() not in raw
    assert '"key":"theme"' in exported  # other settings are kept
    with closing(sqlite3.connect(backup)) as copy:
        keys = [r[0] for r in copy.execute("SELECT key FROM settings")]
        assert "theme" in keys and not [k for k in keys if k.startswith("web.")]
        assert copy.execute("SELECT count(*) FROM people").fetchone()[0] == counts(kw)["people"]


def test_the_web_everything_download_holds_no_secrets(db_path: Path) -> None:
    from fastapi.testclient import TestClient

    from knowwho.web.app import create_app

    client = TestClient(create_app(db_path), base_url="http://127.0.0.1")
    download = client.get("/transfer/export/json")
    assert download.status_code == 200
    with closing(Knowwho.open(db_path)) as kw:
        for value in _secrets(kw).values():
            assert value not in download.text


def test_restoring_makes_new_secrets(kw: Knowwho, fresh: Knowwho, tmp_path: Path) -> None:
    populate(kw)
    old = _secrets(kw)
    backup = _export(kw, tmp_path)
    # A backup made before exports left secrets out still restores, without them.
    text = backup.read_text().replace('"settings":[\n', '"settings":[\n{"key":"web.session_key","value":"leaked"},\n')
    backup.write_text(text)
    own = _secrets(fresh)
    exports.restore_json(fresh, backup)
    restored = _secrets(fresh)
    assert restored == own and not set(restored.values()) & {*old.values(), "leaked"}
    assert fresh.db.conn.execute("SELECT value FROM settings WHERE key = 'theme'").fetchone()[0] == "dark"
