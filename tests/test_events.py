"""Events: `event add|list|show`, `met NAME --at EVENT`, and what today's list makes of them."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput, NotFound
from knowwho.services.imports import run_import
from tests.conftest import NOW
from tests.importers.helpers import cli, snapshot

TODAY = NOW.date()


def items(kw: Knowwho) -> list[tuple[str, str, str]]:
    return [(i.action, i.person, i.reason) for i in kw.agenda.today(limit=100).items]


def test_met_at_an_event_adds_logs_links_and_puts_nice_to_meet_on_today(kw: Knowwho) -> None:
    event = kw.events.add("PyData Berlin", starts_on=TODAY - timedelta(days=1), ends_on=TODAY)
    met = kw.events.met("Vera Ng", event_id=event.id, email="Vera@Example.org", organization="Acme", note="ranking")
    person = kw.people.get(met.person_id)
    assert met.new and person.emails == ["vera@example.org"] and person.roles[0].organization == "Acme"
    assert person.first_met_on == TODAY.isoformat() and person.how_met == "at PyData Berlin"
    (talk,) = kw.interactions.for_person(person.id)
    assert (talk.kind, talk.direction, talk.notes) == ("event", "mutual", "ranking")
    assert [(a, p) for a, p, _ in items(kw)] == [("nice-to-meet", "Vera Ng")]
    detail = kw.events.detail(event.id)
    assert [(m.name, m.note) for m in detail.people] == [("Vera Ng", "ranking")]
    # Sending the note settles it; the meeting held together did not.
    kw.interactions.log([person.id], kind="email", direction="out", when=NOW)
    assert not items(kw)


def test_met_is_one_undoable_change(kw: Knowwho) -> None:
    event = kw.events.add("PyData Berlin", starts_on=TODAY)
    before = snapshot(kw)
    kw.events.met("Vera Ng", event_id=event.id, note="ranking")
    kw.history.undo()
    assert snapshot(kw) == before


def test_met_finds_a_known_email_and_a_known_name_instead_of_a_duplicate(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima", emails=["ana@example.org"])
    event = kw.events.add("PyData Berlin", starts_on=TODAY)
    assert kw.events.met("A. Lima", event_id=event.id, email="ANA@example.org").person_id == ana.id
    again = kw.events.met("Ana Lima", event_id=event.id, note="second chat")
    assert again.person_id == ana.id and not again.new
    assert kw.people.count() == 1
    assert [m.note for m in kw.events.detail(event.id).people] == ["second chat"]


def test_met_on_a_past_event_is_logged_on_its_last_day_and_a_future_one_is_refused(kw: Knowwho) -> None:
    past = kw.events.add("Summit", starts_on=TODAY - timedelta(days=4), ends_on=TODAY - timedelta(days=3))
    met = kw.events.met("Bo Chen", event_id=past.id)
    assert kw.interactions.for_person(met.person_id)[0].occurred_at.startswith((TODAY - timedelta(days=3)).isoformat())
    assert "3 days ago" in items(kw)[0][2]
    later = kw.events.add("Next", starts_on=TODAY + timedelta(days=5))
    with pytest.raises(InvalidInput, match="starts on"):
        kw.events.met("Cy Dee", event_id=later.id)


def test_a_first_coffee_this_week_is_a_new_contact_too(kw: Knowwho) -> None:
    lee, old = kw.people.add("Lee Cho"), kw.people.add("Old Friend")
    kw.interactions.log([old.id], kind="email", direction="out", when=NOW - timedelta(days=90))
    kw.interactions.log([lee.id], kind="coffee", when=NOW - timedelta(days=2))
    kw.interactions.log([old.id], kind="coffee", when=NOW - timedelta(days=2))
    found = [(a, p, r) for a, p, r in items(kw) if a == "nice-to-meet"]
    assert [(a, p) for a, p, _ in found] == [("nice-to-meet", "Lee Cho")]
    assert "2 days ago (over a coffee)" in found[0][2]
    known = kw.people.add("Known Before", how_met="LinkedIn", first_met_on="2026-10-01")
    kw.interactions.log([known.id], kind="coffee", when=NOW - timedelta(days=1))
    assert "Known Before" not in [p for _, p, _ in items(kw)]
    ten_days = kw.people.add("Ten Days")
    kw.interactions.log([ten_days.id], kind="meeting", when=NOW - timedelta(days=10))
    assert "Ten Days" not in [p for _, p, _ in items(kw)]


def test_a_cold_linkedin_invitation_is_not_a_reply_owed_but_a_cold_email_is(kw: Knowwho, tmp_path: Path) -> None:
    folder = tmp_path / "export"
    folder.mkdir()
    sent = (NOW - timedelta(days=3)).strftime("%b %d %Y 10:15 AM")
    (folder / "Invitations.csv").write_text(
        "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl\n"
        f"Tyler Smith,You,{sent},Would love to connect!,INCOMING,https://www.linkedin.com/in/tylersmith,"
        "https://www.linkedin.com/in/you\n",
        encoding="utf-8",
    )
    run_import(kw, "linkedin", folder)
    assert kw.people.resolve("Tyler Smith").last_inbound_at is not None
    assert not [a for a in items(kw) if a[0] == "reply"]
    stranger = kw.people.add("Polite Stranger", emails=["p@example.org"])
    kw.interactions.log([stranger.id], kind="email", direction="in", when=NOW - timedelta(days=3), subject="Hello")
    assert [p for a, p, _ in items(kw) if a == "reply"] == ["Polite Stranger"]


def test_a_yearly_event_reminds_whom_you_met_there_two_weeks_before(kw: Knowwho) -> None:
    last = kw.events.add("RecSys Summit 2025", starts_on=date(2025, 11, 28), yearly=True)
    with kw.db.transaction() as tx:  # met there last year (the clock cannot go back for `met`)
        for n, name in enumerate(["Vera Ng", "Ann B", "Cid C", "Dee D", "Eve E"]):
            tx.execute(
                "INSERT INTO people (display_name, given_name, created_at, updated_at, tie_strength)"
                " VALUES (?, ?, '2025-11-28', '2025-11-28', ?)",
                (name, name.split()[0], 1 - n / 10),
            )
            tx.execute("INSERT INTO event_people (event_id, person_id) VALUES (?, last_insert_rowid())", (last.id,))
    (event,) = [i for i in kw.agenda.today(limit=100).items if i.action == "event"]
    assert event.person == "RecSys Summit" and event.due == "2025-11-28".replace("2025", "2026")
    assert event.reason == "RecSys Summit is in 10 days (2026-11-28): you met Vera and 4 others there last time"
    # An edition on file wins over the anniversary; out of the two weeks nothing is said.
    kw.events.add("RecSys Summit 2026", starts_on=date(2026, 12, 20), yearly=True)
    assert not [i for i in kw.agenda.today(limit=100).items if i.action == "event"]
    kw.agenda.done(event.key)  # a reminder is marked done without logging anything


def test_event_commands_with_json_and_errors(db_path: Path) -> None:
    code, out, err = cli(db_path, "event", "add", "PyData Berlin", "--date", "yesterday", "--until", "today",
                         "--place", "Berlin", "--yearly", "--json")  # fmt: skip
    assert code == 0, err
    added = json.loads(out)
    assert added["yearly"] and added["series"] == "PyData Berlin" and added["ends_on"] == TODAY.isoformat()
    code, out, err = cli(db_path, "met", "Vera Ng", "--at", "pydata", "--note", "ranking [bold]", "--json")
    assert code == 0 and json.loads(out)["new"] is True
    code, out, _ = cli(db_path, "event", "show", "PyData", "--json")
    assert json.loads(out)["people"][0]["name"] == "Vera Ng"
    code, out, _ = cli(db_path, "event", "show", f"#{added['id']}")
    assert "Vera Ng — ranking [bold]" in out
    code, out, _ = cli(db_path, "event", "list", "--json")
    assert json.loads(out)[0]["people_count"] == 1
    code, _, err = cli(db_path, "met", "Bo", "--at", "nowhere")
    assert code == 1 and err.startswith("knowwho: no event matches 'nowhere'")
    code, _, err = cli(db_path, "event", "add", "X", "--date", "today", "--until", "yesterday")
    assert code == 2 and "last day is before its first" in err and "Traceback" not in err


def test_event_commands_have_help() -> None:
    from typer.testing import CliRunner

    from knowwho.cli.app import app, load_commands

    load_commands(["--help"])
    for args in (["event", "--help"], ["event", "add", "--help"], ["event", "show", "--help"], ["met", "--help"]):
        result = CliRunner().invoke(app, args)
        assert result.exit_code == 0 and "Usage" in result.stdout, args


@pytest.mark.parametrize("ref", ["²", "#²", "#99999999999999999999"])
def test_an_event_reference_no_record_can_have_is_not_found(kw: Knowwho, ref: str) -> None:
    with pytest.raises(NotFound):
        kw.events.resolve(ref)
