"""CalDAV sync against a real Radicale server: meetings by `import ics`'s rules, moves and cancellations followed,
tomorrow's meetings on today's list."""

from __future__ import annotations

from contextlib import closing
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from knowwho.clock import fixed_clock
from knowwho.core import Knowwho
from knowwho.errors import SyncFailed
from knowwho.services.imports import run_import
from knowwho.services.sync.runner import run_source
from knowwho.services.sync.sources import caldav_settings
from knowwho.storage.sync import SyncSource
from tests.conftest import NOW
from tests.dav_server import PASSWORD, USER, DavServer, calendar_text
from tests.importers.test_ics import ME, MEETINGS
from tests.importers.test_ics import meetings as every_meeting
from tests.sync.test_carddav import status_rows, web_client

WEEKLY = [
    ("2026-10-07 08:00:00", "meeting", "mutual", "Weekly sync", ["Bob Builder", "Jane Doe"]),
    ("2026-10-21 09:00:00", "meeting", "mutual", "Weekly sync (with Dan)", ["Bob Builder", "Dan", "Jane Doe"]),
    ("2026-10-28 09:00:00", "meeting", "mutual", "Weekly sync", ["Bob Builder", "Jane Doe"]),
    ("2026-11-04 09:00:00", "meeting", "mutual", "Weekly sync", ["Bob Builder", "Jane Doe"]),
    ("2026-11-11 09:00:00", "meeting", "mutual", "Weekly sync", ["Bob Builder", "Jane Doe"]),
    ("2026-11-18 09:00:00", "meeting", "mutual", "Weekly sync", ["Bob Builder", "Jane Doe"]),
]
EARLIER = [
    ("2026-03-10 08:30:00", "meeting", "mutual", "Coffee", ["Ann Example"]),
    ("2026-03-15 12:00:00", "meeting", "mutual", "Lunch", ["Eve"]),
]


def meetings(kw: Knowwho) -> list[tuple[str, str, str, str, list[str]]]:
    """The meetings not removed, as `import ics`'s tests list them."""
    live = {
        str(r[0]) + str(r[1])
        for r in kw.db.conn.execute("SELECT occurred_at, subject FROM interactions WHERE deleted_at IS NULL")
    }
    return [m for m in every_meeting(kw) if m[0] + m[3] in live]


def add_calendar(kw: Knowwho, tmp_path: Path, url: str) -> SyncSource:
    secret = tmp_path / "dav-password"
    secret.write_text(PASSWORD + "\n")
    return kw.sync.add("caldav", "work-cal", caldav_settings(url=url, user=USER, me=ME), password_file=str(secret))


def event(uid: str, start: str, summary: str, *attendees: str, extra: str = "") -> str:
    people = "".join(f"ATTENDEE;CN={name};PARTSTAT=ACCEPTED:mailto:{address}\r\n" for name, address in
                     (a.split("|") for a in attendees))  # fmt: skip
    return calendar_text([
        f"BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261101T120000Z\r\nDTSTART:{start}\r\nDURATION:PT30M\r\n"
        f"SUMMARY:{summary}\r\nORGANIZER;CN=Me:mailto:{ME}\r\n{people}{extra}END:VEVENT"
    ])  # fmt: skip


def test_a_calendar_syncs_into_the_meetings_import_ics_makes_and_a_second_run_adds_nothing(
    kw: Knowwho, tmp_path: Path, dav_server: DavServer
) -> None:
    calendar = dav_server.collection("calendar")
    dav_server.seed_events(calendar, MEETINGS, leave_out=("broken-date@example.org",))  # the server refuses it
    source = add_calendar(kw, tmp_path, calendar)
    summary = run_source(kw, source)
    assert meetings(kw) == EARLIER + WEEKLY  # recurring expanded, cancelled/declined/future/all-day left out
    assert summary.new_conversations == 8
    assert run_source(kw, source).headline() == "nothing new"
    assert len(meetings(kw)) == 8
    kw.history.undo()
    assert meetings(kw) == []


def test_a_run_with_nothing_new_on_the_server_writes_nothing(
    kw: Knowwho, db_path: Path, tmp_path: Path, dav_server: DavServer
) -> None:
    calendar = dav_server.collection("calendar")
    dav_server.seed_events(calendar, MEETINGS, leave_out=("broken-date@example.org",))
    run_source(kw, add_calendar(kw, tmp_path, calendar))
    stored = status_rows(kw)
    with closing(Knowwho.open(db_path, clock=fixed_clock(NOW + timedelta(hours=1)))) as later:
        assert run_source(later, later.sync.get("work-cal")).headline() == "nothing new"
    assert status_rows(kw) == stored  # not even the sync-token's row written again an hour later


def test_a_calendar_already_imported_from_a_file_adds_nothing_and_its_meetings_follow_the_server(
    kw: Knowwho, tmp_path: Path, dav_server: DavServer
) -> None:
    run_import(kw, "ics", MEETINGS, me=[ME])
    calendar = dav_server.collection("calendar")
    urls = dav_server.seed_events(calendar, MEETINGS, leave_out=("broken-date@example.org",))
    source = add_calendar(kw, tmp_path, calendar)
    assert run_source(kw, source).new_conversations == 0
    dav_server.delete(urls["lunch-eve@example.org"])
    run_source(kw, source)
    assert [m[3] for m in meetings(kw)][:3] == ["Coffee", "Call with Finn (no UID)", "Weekly sync"]  # no lunch


def test_a_moved_cancelled_or_deleted_event_moves_or_removes_its_meetings(
    kw: Knowwho, tmp_path: Path, dav_server: DavServer
) -> None:
    calendar = dav_server.collection("calendar")
    urls = dav_server.seed_events(calendar, MEETINGS, leave_out=("broken-date@example.org",))
    source = add_calendar(kw, tmp_path, calendar)
    run_source(kw, source)
    coffee = dav_server.get(urls["coffee-ann@example.org"])
    dav_server.put(
        urls["coffee-ann@example.org"], coffee.replace("20260310T083000Z", "20260311T100000Z"), "text/calendar"
    )
    weekly = dav_server.get(urls["weekly-sync@example.org"])
    dav_server.put(urls["weekly-sync@example.org"], weekly.replace("RRULE:FREQ=WEEKLY;BYDAY=WE", "RRULE:FREQ=WEEKLY;BYDAY=WE\r\nEXDATE;TZID=Europe/Berlin:20261111T100000"), "text/calendar")  # fmt: skip
    dav_server.delete(urls["lunch-eve@example.org"])
    summary = run_source(kw, source)
    assert summary.events_changed == 3
    assert meetings(kw) == [
        ("2026-03-11 10:00:00", "meeting", "mutual", "Coffee", ["Ann Example"]),
        *[m for m in WEEKLY if not m[0].startswith("2026-11-11")],
    ]


def test_tomorrows_meeting_puts_a_prepare_item_on_todays_list_that_follows_the_event(
    kw: Knowwho, db_path: Path, tmp_path: Path, dav_server: DavServer
) -> None:
    calendar = dav_server.collection("calendar")
    url = dav_server.put_event(
        calendar, "pitch", event("pitch", "20261119T100000Z", "Pitch review", "Ana Lima|ana@lima.org")
    )
    source = add_calendar(kw, tmp_path, calendar)
    run_source(kw, source)
    [item] = [i for i in kw.agenda.today().items if i.action == "prepare"]
    assert (item.person, item.due) == ("Ana Lima", "2026-11-19")
    assert item.reason == "“Pitch review” tomorrow at 10:00; read the brief (knowwho brief) before it"
    assert meetings(kw) == []  # still to come: not a conversation yet
    today_page = web_client(db_path).get("/").text
    assert "Meetings tomorrow" in today_page and f'href="/people/{item.person_id}/brief">Brief</a>' in today_page
    dav_server.put(url, event("pitch", "20261126T100000Z", "Pitch review", "Ana Lima|ana@lima.org"), "text/calendar")
    run_source(kw, source)
    assert [i for i in kw.agenda.today().items if i.action == "prepare"] == []


def test_a_meeting_weeks_ahead_gets_its_prepare_item_and_becomes_a_conversation_though_the_event_never_changes(
    kw: Knowwho, db_path: Path, tmp_path: Path, dav_server: DavServer
) -> None:
    calendar = dav_server.collection("calendar")
    dav_server.put_event(calendar, "offsite", event("offsite", "20261210T100000Z", "Offsite", "Ana Lima|ana@lima.org"))
    run_source(kw, add_calendar(kw, tmp_path, calendar))
    assert [i for i in kw.agenda.today().items if i.action == "prepare"] == [] and meetings(kw) == []

    def later(moment: str) -> Knowwho:
        return Knowwho.open(db_path, clock=fixed_clock(datetime.fromisoformat(moment)))

    with closing(later("2026-12-01T12:00:00+00:00")) as before_it:  # still more than a week ahead: not read
        assert run_source(before_it, before_it.sync.get("work-cal")).headline() == "nothing new"
    with closing(later("2026-12-09T12:00:00+00:00")) as day_before:
        assert run_source(day_before, day_before.sync.get("work-cal")).headline() == "1 person added"  # to prepare
        [item] = [i for i in day_before.agenda.today().items if i.action == "prepare"]
        assert (item.person, item.due) == ("Ana Lima", "2026-12-10")
    with closing(later("2026-12-10T11:00:00+00:00")) as day_after:
        assert run_source(day_after, day_after.sync.get("work-cal")).headline() == "1 new conversation"
        assert [m[3:] for m in meetings(day_after)] == [("Offsite", ["Ana Lima"])]
        assert run_source(day_after, day_after.sync.get("work-cal")).headline() == "nothing new"


def test_an_event_knowwho_cannot_take_is_one_line_the_rest_synced_and_retried_next_run(
    kw: Knowwho, tmp_path: Path, dav_server: DavServer
) -> None:
    calendar = dav_server.collection("calendar")
    dav_server.put_event(calendar, "coffee", event("coffee", "20261102T090000Z", "Coffee", "Ana Lima|ana@lima.org"))
    old = dav_server.put_event(calendar, "old", event("old", "18500102T090000Z", "Ancient", "Bo Yang|bo@yang.org"))
    source = add_calendar(kw, tmp_path, calendar)
    for _run in range(2):  # the next run tries it again
        with pytest.raises(SyncFailed) as failed:
            run_source(kw, source)
        assert str(failed.value).startswith(
            f"work-cal: event {old.rsplit('/', 1)[-1]}: it starts on 1850-01-02, out of range"
        )
        assert str(failed.value).endswith("; everything else was synced, and the next run tries again")
        assert [m[3] for m in meetings(kw)] == ["Coffee"]
    dav_server.put(old, event("old", "20261103T090000Z", "Ancient", "Bo Yang|bo@yang.org"), "text/calendar")
    run_source(kw, source)
    assert [m[3] for m in meetings(kw)] == ["Coffee", "Ancient"]
