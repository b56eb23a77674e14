"""Drafts read well and act on the right people: introductions ask both sides, opportunities move honestly."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput
from knowwho.services.drafts import addressed, for_item
from knowwho.services.people import PersonChanges
from knowwho.storage import intros as intro_store
from tests.conftest import NOW
from tests.test_cli import kw_cli


def introduce_item_key(kw: Knowwho) -> str:
    hal = kw.people.add("Hal Green", emails=["hal@example.org"]).id
    ida = kw.people.add("Ida Ross", emails=["ida@example.org"]).id
    kw.people.edit(hal, PersonChanges(closeness=4, needs="a React mentor"))
    kw.people.edit(ida, PersonChanges(closeness=4, offers="React mentoring"))
    kw.intros.suggestions()
    [item] = [i for i in kw.agenda.today().items if i.action == "introduce"]
    return item.key


# -- introduce: both double opt-in messages, and done records both ----------------------------------------
def test_an_introduce_item_drafts_the_two_asks_each_addressed_to_its_reader(kw: Knowwho) -> None:
    ask_hal, ask_ida = for_item(kw.people, introduce_item_key(kw))
    assert ask_hal.to == ["hal@example.org"] and ask_ida.to == ["ida@example.org"]
    assert ask_hal.body.startswith("Hi Hal,") and "introduce you to Ida Ross" in ask_hal.body
    assert ask_ida.body.startswith("Hi Ida,") and "introduce you to Hal Green" in ask_ida.body
    assert "you need a React mentor" in ask_hal.body and "Hal Green needs" not in ask_hal.body
    assert "you offer React mentoring" in ask_ida.body and "Ida Ross offers" not in ask_ida.body
    assert "open to an introduction" in ask_hal.body


def test_done_on_an_introduce_item_names_and_records_both(kw: Knowwho) -> None:
    key = introduce_item_key(kw)
    said = kw.agenda.done(key)
    assert "Hal Green and Ida Ross" in said and "an email to each" in said
    [intro] = kw.intros.listing()
    assert (intro.person_a, intro.person_b, intro.stage) == ("Hal Green", "Ida Ross", "asked-b")
    assert "React" in intro.reason
    for person in ("Hal Green", "Ida Ross"):
        assert kw.people.resolve(person).last_outbound_at is not None
    kw.history.undo()
    assert kw.intros.listing() == [] and kw.people.resolve("Hal Green").last_outbound_at is None
    assert intro_store.intro_between(kw.db.conn, intro.person_a_id, intro.person_b_id) is None


def test_draft_and_done_commands_on_an_introduce_item(db_path: Path, kw: Knowwho) -> None:
    key = introduce_item_key(kw)
    listed = json.loads(kw_cli(db_path, "today", "--json")[1])
    number = str(next(i["number"] for i in listed if i["key"] == key))
    code, out, err = kw_cli(db_path, "draft", number)
    assert code == 0, err
    assert "Hi Hal," in out and "Hi Ida," in out and "Following up" not in out
    assert [d["to"] for d in json.loads(kw_cli(db_path, "draft", number, "--json")[1])] == [
        ["hal@example.org"],
        ["ida@example.org"],
    ]
    code, out, err = kw_cli(db_path, "done", number)
    assert code == 0 and "Hal Green and Ida Ross" in out


# -- opportunities: a move says what it does, undo says what it undoes -----------------------------------
@pytest.fixture
def acme(kw: Knowwho) -> dict[str, int]:
    eve = kw.people.add("Eve Stone", emails=["eve@acme.example"])
    card = kw.opportunities.add("Acme", "Data scientist")
    return {"eve": eve.id, "opp": card.opportunity.id}


def test_a_move_to_the_stage_it_is_at_is_refused_not_silently_dropped(kw: Knowwho, acme: dict[str, int]) -> None:
    kw.opportunities.log(acme["opp"], [acme["eve"]], kind="interview", when=NOW - timedelta(days=10))
    with pytest.raises(InvalidInput, match="already interviewing"):
        kw.opportunities.move(acme["opp"], "interviewing", on=NOW.date() - timedelta(days=10))
    assert kw.opportunities.get(acme["opp"]).opened_on == (NOW.date() - timedelta(days=10)).isoformat()


def test_opp_move_command_to_the_same_stage_says_so(db_path: Path) -> None:
    kw_cli(db_path, "add", "Eve Stone")
    kw_cli(db_path, "opp", "add", "Acme", "Data scientist")
    kw_cli(db_path, "log", "Eve Stone", "--kind", "interview", "--opp", "1", "--date", "10 days ago")
    code, _, err = kw_cli(db_path, "opp", "move", "1", "interviewing", "--date", "10 days ago")
    assert code != 0 and "already interviewing" in err and "Traceback" not in err


def test_undoing_a_logged_interview_says_the_stage_moves_back(kw: Knowwho, acme: dict[str, int]) -> None:
    kw.opportunities.log(acme["opp"], [acme["eve"]], kind="interview")
    assert "from exploring to interviewing" in kw.history.undo()
    assert kw.opportunities.get(acme["opp"]).stage == "exploring"


def test_an_opportunity_is_never_closed_before_it_opened(kw: Knowwho, acme: dict[str, int]) -> None:
    kw.opportunities.move(acme["opp"], "rejected", on=NOW.date() - timedelta(days=1))
    o = kw.opportunities.get(acme["opp"])
    assert o.opened_on is not None and o.closed_on is not None and o.opened_on <= o.closed_on


def test_the_reengage_draft_is_one_text_everywhere_and_signed(kw: Knowwho, acme: dict[str, int]) -> None:
    kw.me.set_profile(name="Sam Doe")
    kw.opportunities.log(acme["opp"], [acme["eve"]], kind="interview", when=NOW - timedelta(days=200))
    kw.opportunities.move(acme["opp"], "rejected", on=NOW.date() - timedelta(days=190), reengage_days=30)
    [item] = [i for i in kw.agenda.today().items if i.action == "re-engage"]
    [from_today] = for_item(kw.people, item.key)
    assert from_today == kw.outreach.reengage_draft(acme["opp"])
    assert from_today.body.startswith("Hi Eve,") and "the Data scientist role at Acme" in from_today.body
    assert from_today.body.rstrip().endswith("Best regards,\nSam Doe")


# -- drafts read well ------------------------------------------------------------------------------------
def test_a_nickname_in_brackets_is_not_part_of_the_greeting(kw: Knowwho) -> None:
    jj = kw.people.add("Jordan [JJ] Lee")
    kw.interactions.log([jj.id], kind="email", direction="in", when=NOW - timedelta(days=3))
    [item] = kw.agenda.today().items
    [found] = for_item(kw.people, item.key)
    assert found.body.startswith("Hi Jordan,\n")


def test_a_thank_you_mentions_the_advice_logged_and_never_ends_mid_sentence(kw: Knowwho) -> None:
    from knowwho.services.leads import InterviewNotes

    ada = kw.people.add("Ada King")
    notes = InterviewNotes(advice="talk to people in data engineering first", did="leads the data team")
    kw.outreach.leads.log_informational([ada.id], notes, when=NOW - timedelta(days=1))
    [item] = [i for i in kw.agenda.today().items if i.action == "thank-you"]
    [found] = for_item(kw.people, item.key)
    assert "talk to people in data engineering first" in found.body
    assert "especially about\n" not in found.body and "especially about" not in found.body


def test_a_reason_told_to_one_of_the_two_speaks_to_them() -> None:
    assert addressed("Hal Green needs a mentor, Ida Ross offers mentoring", to="Hal Green") == (
        "you need a mentor, Ida Ross offers mentoring"
    )
    assert addressed("Hal Green needs a mentor, Ida Ross offers mentoring", to="Ida Ross") == (
        "Hal Green needs a mentor, you offer mentoring"
    )
    assert addressed("Hal Green needs a mentor, Ida Ross offers mentoring", to="Hal Green", other="Ida Ross") == (
        "you need a mentor, Ida offers mentoring"
    )
    assert addressed("both moving email to M365", to="Ana") == "you are both moving email to M365"
    assert addressed("both going through the same: Ana is A; Ben is B", to="Ben").endswith("Ana is A; you are B")
