"""Every claim on today's list is true: who was just met, whose call waits for an answer, which thank-you is due."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

from knowwho.core import Knowwho
from tests.conftest import NOW
from tests.test_cli import kw_cli


def actions(kw: Knowwho) -> list[tuple[str, str]]:
    return [(item.action, item.person) for item in kw.agenda.today(limit=100).items]


# -- "you met": how one met is not when, and someone kept in touch with was not just met ------------------
def test_how_met_without_a_date_is_not_met_today(kw: Knowwho) -> None:
    kw.people.add("Anna Schmidt", how_met="Edinburgh lab")
    assert actions(kw) == []
    kw.people.add("Ben Ode", how_met="at PyData", first_met_on=(NOW.date() - timedelta(days=1)).isoformat())
    assert actions(kw) == [("nice-to-meet", "Ben Ode")]


def test_add_met_a_place_on_the_command_line_is_not_met_today(db_path: Path) -> None:
    assert kw_cli(db_path, "add", "Anna Schmidt", "--met", "Edinburgh lab")[0] == 0
    assert json.loads(kw_cli(db_path, "today", "--json")[1]) == []
    assert kw_cli(db_path, "add", "Cleo Ray", "--met", "today")[0] == 0
    assert [i["person"] for i in json.loads(kw_cli(db_path, "today", "--json")[1])] == ["Cleo Ray"]


def test_a_first_coffee_with_someone_kept_in_touch_with_is_not_a_new_meeting(kw: Knowwho) -> None:
    bob, new = kw.people.add("Bob Stone"), kw.people.add("Nia Vale")
    kw.people.set_cadence(bob.id, 30)
    for person in (bob, new):
        kw.interactions.log([person.id], kind="coffee", when=NOW - timedelta(days=2))
    assert actions(kw) == [("nice-to-meet", "Nia Vale")]


def test_met_at_an_event_long_past_says_no_nice_to_meet_is_due(kw: Knowwho) -> None:
    july = kw.events.add("PyData", starts_on=date(2026, 7, 10))
    met = kw.events.met("Carl Jones", event_id=july.id)
    assert not met.nice_to_meet and "No “nice to meet you” is due" in met.nice_to_meet_line()
    assert actions(kw) == []
    now = kw.events.add("Meetup", starts_on=NOW.date() - timedelta(days=1))
    met = kw.events.met("Dora Lin", event_id=now.id)
    assert met.nice_to_meet and "is on today's list" in met.nice_to_meet_line()
    assert actions(kw) == [("nice-to-meet", "Dora Lin")]


def test_met_someone_already_kept_in_touch_with_is_no_new_contact(kw: Knowwho) -> None:
    old = kw.people.add("Olga Ruiz")
    kw.interactions.log([old.id], kind="email", direction="out", when=NOW - timedelta(days=200))
    meetup = kw.events.add("Meetup", starts_on=NOW.date())
    met = kw.events.met("Olga Ruiz", event_id=meetup.id)
    assert not met.new and not met.nice_to_meet
    assert kw.people.get(old.id).first_met_on is None
    assert ("nice-to-meet", "Olga Ruiz") not in actions(kw)


def test_met_command_tells_the_truth_about_the_list(db_path: Path) -> None:
    kw_cli(db_path, "event", "add", "PyData", "--date", "2026-07-10")
    code, out, _ = kw_cli(db_path, "met", "Carl Jones", "--at", "PyData")
    assert code == 0 and "No “nice to meet you” is due" in out and "on today's list" not in out


def test_met_json_says_whether_a_nice_to_meet_is_on_today(db_path: Path) -> None:
    kw_cli(db_path, "event", "add", "PyData", "--date", "2026-07-10")
    kw_cli(db_path, "event", "add", "Meetup", "--date", "yesterday")
    long_past = json.loads(kw_cli(db_path, "met", "Carl Jones", "--at", "PyData", "--json")[1])
    just_now = json.loads(kw_cli(db_path, "met", "Dora Lin", "--at", "Meetup", "--json")[1])
    assert (long_past["nice_to_meet"], just_now["nice_to_meet"]) == (False, True)
    assert [i["person"] for i in json.loads(kw_cli(db_path, "today", "--json")[1])] == ["Dora Lin"]


# -- replies owed: a call that took place owes nothing; a missed call does -------------------------------
def test_a_call_held_owes_no_reply_a_missed_call_does(kw: Knowwho) -> None:
    dana, eli = kw.people.add("Dana Call"), kw.people.add("Eli Miss")
    kw.interactions.log([dana.id], kind="call", direction="in", note="went well", when=NOW - timedelta(days=2))
    kw.interactions.log([eli.id], kind="call", direction="in", when=NOW - timedelta(days=2), missed=True)
    items = kw.agenda.today().items
    assert [(i.action, i.person) for i in items] == [("reply", "Eli Miss")]
    assert "you missed their call 2 days ago" in items[0].reason and items[0].log_kind == "call"


def test_log_missed_on_the_command_line(db_path: Path) -> None:
    kw_cli(db_path, "add", "Dana Call")
    kw_cli(db_path, "add", "Eli Miss")
    kw_cli(
        db_path,
        "log",
        "Dana Call",
        "--kind",
        "call",
        "--direction",
        "in",
        "--note",
        "went well",
        "--date",
        "2 days ago",
    )
    assert json.loads(kw_cli(db_path, "today", "--json")[1]) == []
    assert kw_cli(db_path, "log", "Eli Miss", "--kind", "call", "--missed", "--date", "2 days ago")[0] == 0
    assert [(i["action"], i["person"]) for i in json.loads(kw_cli(db_path, "today", "--json")[1])] == [
        ("reply", "Eli Miss")
    ]
    code, _, err = kw_cli(db_path, "log", "Eli Miss", "--kind", "email", "--missed")
    assert code != 0 and "missed: only a call they made to you is missed" in err and "Traceback" not in err


# -- thank-yous: an interview of the last two weeks, with nothing sent since ----------------------------
def test_an_interview_logged_late_still_gets_its_thank_you(kw: Knowwho) -> None:
    eve, old = kw.people.add("Eve Int"), kw.people.add("Old Int")
    kw.interactions.log([eve.id], kind="interview", when=NOW - timedelta(days=5))
    kw.interactions.log([old.id], kind="interview", when=NOW - timedelta(days=20))
    assert ("thank-you", "Eve Int") in actions(kw) and ("thank-you", "Old Int") not in actions(kw)
    kw.interactions.log([eve.id], kind="email", direction="out", when=NOW - timedelta(days=1))
    assert ("thank-you", "Eve Int") not in actions(kw)
