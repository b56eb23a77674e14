"""Calendar import: real .ics fixtures, a hand-written calendar of meetings, re-imports, bad input, random bytes."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowwho.cli.app import app, run
from knowwho.core import Knowwho
from knowwho.errors import ImportFailed, InvalidInput, KnowwhoError
from knowwho.services.imports import run_import
from knowwho.storage import provenance as provenance_store
from tests.importers.helpers import snapshot

DATA = Path(__file__).parent.parent / "data" / "ics"
MEETINGS = DATA / "knowwho_meetings.ics"
ME = "me@example.org"


def meetings(kw: Knowwho) -> list[tuple[str, str, str, str, list[str]]]:
    """(occurred_at, kind, direction, subject, sorted participant names) of every interaction."""
    rows = kw.db.conn.execute(
        """SELECT i.id, i.occurred_at, i.kind, i.direction, i.subject, p.display_name FROM interactions i
           JOIN interaction_participants ip ON ip.interaction_id = i.id JOIN people p ON p.id = ip.person_id
           ORDER BY i.occurred_at, i.id"""
    ).fetchall()
    found: dict[int, tuple[str, str, str, str, list[str]]] = {}
    for r in rows:
        found.setdefault(r["id"], (r["occurred_at"], r["kind"], r["direction"], r["subject"], []))[4].append(r[5])
    return [(at, k, d, s, sorted(names)) for at, k, d, s, names in found.values()]


def test_a_calendar_of_meetings(kw: Knowwho) -> None:
    report = run_import(kw, "ics", MEETINGS, me=[ME])
    assert meetings(kw) == [
        ("2026-03-10 08:30:00", "meeting", "mutual", "Coffee", ["Ann Example"]),
        ("2026-03-15 12:00:00", "meeting", "mutual", "Lunch", ["Eve"]),  # floating time, local (UTC in tests)
        ("2026-03-16 15:00:00", "meeting", "mutual", "Call with Finn (no UID)", ["Finn"]),
        # weekly from 7 October, expanded up to now (18 November, 15:00 UTC); 14 October cancelled,
        # 21 October moved to 11:00 with Dan; Carol declined, the room is not a person, I am not either.
        ("2026-10-07 08:00:00", "meeting", "mutual", "Weekly sync", ["Bob Builder", "Jane Doe"]),
        ("2026-10-21 09:00:00", "meeting", "mutual", "Weekly sync (with Dan)", ["Bob Builder", "Dan", "Jane Doe"]),
        ("2026-10-28 09:00:00", "meeting", "mutual", "Weekly sync", ["Bob Builder", "Jane Doe"]),  # winter time
        ("2026-11-04 09:00:00", "meeting", "mutual", "Weekly sync", ["Bob Builder", "Jane Doe"]),
        ("2026-11-11 09:00:00", "meeting", "mutual", "Weekly sync", ["Bob Builder", "Jane Doe"]),
        ("2026-11-18 09:00:00", "meeting", "mutual", "Weekly sync", ["Bob Builder", "Jane Doe"]),
    ]
    assert dict(report.skipped) == {
        "cancelled": 2,
        "declined by you": 1,
        "all-day events": 1,
        "still to come": 1,
        "events you were not invited to": 1,
        "events without other attendees": 1,
    }
    assert [str(p) for p in report.problems] == [
        f"{MEETINGS}, line 139: event broken-date@example.org skipped: its DTSTART could not be read (20260230T090000Z)"
    ]
    assert report.added == 6 and report.knows_added == 3
    jane = kw.db.conn.execute(
        "SELECT p.* FROM people p JOIN person_emails e ON e.person_id = p.id WHERE e.email = 'jane@example.com'"
    ).fetchone()
    assert jane["interaction_count"] == 6 and jane["last_interaction_at"] == "2026-11-18 09:00:00"
    assert provenance_store.my_emails(kw.db.conn) == {ME}


def test_importing_the_same_calendar_twice_adds_nothing(kw: Knowwho) -> None:
    run_import(kw, "ics", MEETINGS, me=[ME])
    before = snapshot(kw)
    again = run_import(kw, "ics", MEETINGS)
    assert (again.added, again.interactions_added, again.knows_added, again.interactions_existing) == (0, 0, 0, 9)
    assert snapshot(kw) == before


def test_the_real_calendar_fixtures(kw: Knowwho) -> None:
    report = run_import(kw, "ics", DATA / "icsparser_google_testkalender.ics", me=["s.brin@google.com"])
    # Google sample: VFREEBUSY with reversed periods ignored, a Feb-free invalid date reported, the
    # rest read (Windows time zone names, folded EXDATE lists, an overridden occurrence, 1941 and 2038).
    assert [p.where for p in report.problems] == ["line 21"]
    assert "20171032T000000" in report.problems[0].message
    assert report.skipped["all-day events"] == 11  # including "Test 2", whose attendees are in CN form
    assert report.interactions_added == 0
    blackberry = run_import(kw, "ics", DATA / "icalendar_blackberry_bis_request.ics", me=["rembrand@daxlab.com"])
    assert dict(blackberry.skipped) == {"all-day events": 1}
    exchange = run_import(kw, "ics", DATA / "icalendar_exchange_cdo_standup.ics")
    assert exchange.problems == []  # "BYDAY=MO, TU" with spaces is read
    assert dict(exchange.skipped) == {"events without other attendees": 1}
    alarms = run_import(kw, "ics", DATA / "icalendar_google_calendar_alarms.ics")
    assert dict(alarms.skipped) == {"events without other attendees": 1}  # an e-mail alarm is not an attendee
    empty = run_import(kw, "ics", DATA / "icalendar_bom_empty.ics")  # a byte-order mark, no events
    assert (empty.interactions_added, empty.problems, dict(empty.skipped)) == (0, [], {})


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "cp1252"])
def test_calendars_in_other_encodings(kw: Knowwho, tmp_path: Path, encoding: str) -> None:
    path = tmp_path / "exported.ics"
    text = MEETINGS.read_text(encoding="utf-8").replace("SUMMARY:Coffee", "SUMMARY:Café")
    path.write_bytes(text.encode(encoding))
    report = run_import(kw, "ics", path, me=[ME])
    assert report.interactions_added == 9
    assert ("2026-03-10 08:30:00", "meeting", "mutual", "Café", ["Ann Example"]) in meetings(kw)


def test_itip_events_without_a_start_with_two_starts_or_two_uids(kw: Knowwho) -> None:
    path = DATA / "itip_request_broken_events.ics"  # an Exchange REQUEST with three faulty events and a good one
    report = run_import(kw, "ics", path, me=[ME])
    where = {p.where: p.message for p in report.problems}
    assert where == {
        "line 5": "event 040000008200E00074C5B7101A82E00800000000B0A3C1D2E3F4D701000000000000000010000000 "
        "skipped: it has no start time (no DTSTART line)",
        "line 15": "event 040000008200E00074C5B7101A82E00800000000C1B2D3E4F5A6D701000000000000000010000000 "
        "skipped: it has 2 DTSTART lines, so when it starts is unclear",
    }
    lunches = kw.db.conn.execute("SELECT COUNT(*) FROM interactions WHERE subject = 'Lunch'").fetchone()[0]
    assert lunches == 2  # two UID lines: the first is kept, and its weekly rule expanded
    assert kw.db.conn.execute("SELECT COUNT(*) FROM interactions WHERE subject = 'Catch-up'").fetchone()[0] == 1


def test_an_itip_update_replaces_the_request_it_updates(kw: Knowwho) -> None:
    run_import(kw, "ics", DATA / "itip_request_then_update_same_uid.ics", me=[ME])
    rows = kw.db.conn.execute("SELECT occurred_at FROM interactions").fetchall()
    assert [r[0] for r in rows] == ["2026-11-07 12:00:00"]  # SEQUENCE 1 moved it from the 6th


def test_a_rule_repeating_every_minute_is_cut_short(
    kw: Knowwho, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from knowwho.importers import ics

    monkeypatch.setattr(ics, "MAX_OCCURRENCES", 50)
    path = tmp_path / "minutely.ics"
    path.write_text(
        "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nUID:tick@example.org\r\nDTSTART:20200101T000000Z\r\n"
        "DURATION:PT1M\r\nRRULE:FREQ=MINUTELY\r\nSUMMARY:Tick\r\nATTENDEE:mailto:me@example.org\r\n"
        "ATTENDEE:mailto:clock@example.org\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    )
    report = run_import(kw, "ics", path, me=[ME])
    assert report.interactions_added == 50
    assert [str(p) for p in report.problems] == [
        f"{path}, line 2: event tick@example.org: only its first 50 occurrences read"
    ]


def test_a_folder_of_calendars_and_a_cut_short_file(kw: Knowwho, tmp_path: Path) -> None:
    shutil.copy(MEETINGS, tmp_path / "work.ics")
    text = MEETINGS.read_text(encoding="utf-8")
    cut = text[: text.index("UID:coffee-ann@example.org")] + "DTSTART:20260310T083000Z\r\n"
    (tmp_path / "cut.ics").write_text(cut.replace("weekly-sync@", "other-sync@"), encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a calendar")
    report = run_import(kw, "ics", tmp_path, me=[ME])
    assert f"{tmp_path / 'cut.ics'}, line 79: VEVENT is not closed (the file is cut short); skipped" in [
        str(p) for p in report.problems
    ]
    assert report.interactions_added == 9 + 6


def test_me_is_needed_and_bad_files_fail_with_one_line(kw: Knowwho, tmp_path: Path) -> None:
    before = snapshot(kw)
    with pytest.raises(InvalidInput, match="--me"):
        run_import(kw, "ics", MEETINGS)
    not_calendar = tmp_path / "contacts.ics"
    not_calendar.write_text("BEGIN:VCARD\r\nFN:Ann\r\nEND:VCARD\r\n")
    with pytest.raises(ImportFailed, match="not an iCalendar file"):
        run_import(kw, "ics", not_calendar, me=[ME])
    with pytest.raises(ImportFailed, match="no such file"):
        run_import(kw, "ics", tmp_path / "missing.ics", me=[ME])
    (tmp_path / "empty").mkdir()
    with pytest.raises(ImportFailed, match=r"no calendar files \(.ics\)"):
        run_import(kw, "ics", tmp_path / "empty", me=[ME])
    assert snapshot(kw) == before


def test_the_command(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(app, ["import", "ics", str(MEETINGS), "--me", ME, "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "9 conversations added" in out and "line 139" in out
    assert run(app, ["import", "ics", str(DATA / "nothing.ics"), "--db", str(db_path)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


_LINES = st.lists(
    st.sampled_from(["BEGIN:VEVENT", "END:VEVENT", "BEGIN:VTIMEZONE", "END:VTIMEZONE", "BEGIN:VALARM", "END:VALARM",
                     "UID:a", "UID:b", "DTSTART:20260101T100000Z", "DTSTART;VALUE=DATE:20260101", "DTSTART:2026",
                     "DTSTART;TZID=Nowhere/Place:20260101T100000", "DTEND:20250101T100000Z", "DURATION:PT1H",
                     "RRULE:FREQ=DAILY;COUNT=3", "RRULE:FREQ=WEEKLY;BYDAY=XX", "RRULE:nonsense",
                     "RECURRENCE-ID:20260102T100000Z", "STATUS:CANCELLED", "ATTENDEE:mailto:me@example.org",
                     "ATTENDEE;PARTSTAT=DECLINED:mailto:me@example.org", "ATTENDEE;CN=\"x:y\":mailto:a@b.c",
                     "ATTENDEE:", "ORGANIZER:mailto:o@example.com", "SUMMARY:hi", " folded", "\x00", "é",
                     "EXDATE:20260102T100000Z", "TZID:Nowhere/Place"]),
    max_size=40,
).map("\r\n".join)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=1500),
        _LINES.map(lambda t: ("BEGIN:VCALENDAR\r\n" + t + "\r\nEND:VCALENDAR\r\n").encode("utf-8")),
        st.binary(max_size=800).map(lambda b: b"\xef\xbb\xbfBEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n" + b),
    )
)
def test_no_bytes_make_the_calendar_importer_crash(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.ics"
        path.write_bytes(data)
        kw = Knowwho.open(":memory:")
        try:
            report = run_import(kw, "ics", path, me=[ME])
            assert report.kind == "ics"
        except KnowwhoError:
            pass
        finally:
            kw.close()
