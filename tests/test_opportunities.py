"""Opportunities: add, move through stages, interviews tied to them, and the re-engage action a rejection plans."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput, NotFound
from tests.conftest import NOW
from tests.importers.helpers import cli, snapshot


@pytest.fixture
def acme(kw: Knowwho) -> dict[str, int]:
    ana = kw.people.add("Ana Lima", emails=["ana@acme.example"], organization="Acme", title="Data lead")
    raj = kw.people.add("Raj Patel", emails=["raj@acme.example"], organization="Acme", title="Recruiter")
    card = kw.opportunities.add("Acme", "Data scientist", people=[(ana.id, "referrer"), (raj.id, "recruiter")])
    return {"ana": ana.id, "raj": raj.id, "opp": card.opportunity.id}


def test_add_keeps_people_with_their_parts_and_starts_exploring(kw: Knowwho, acme: dict[str, int]) -> None:
    card = kw.opportunities.card(acme["opp"])
    assert card.opportunity.stage == "exploring"
    assert card.opportunity.organization == "Acme"
    assert [(m.name, m.part) for m in card.people] == [("Ana Lima", "referrer"), ("Raj Patel", "recruiter")]
    assert card.next_action == "ask Ana Lima about the role, or for a referral"
    assert card.moves == ("applied", "withdrawn")


def test_unknown_part_and_stage_are_refused_naming_the_choices(kw: Knowwho, acme: dict[str, int]) -> None:
    with pytest.raises(InvalidInput, match=r"unknown part 'boss'.*hiring-manager"):
        kw.opportunities.add("Acme", "Analyst", people=[(acme["ana"], "boss")])
    with pytest.raises(InvalidInput, match="unknown stage 'hired'"):
        kw.opportunities.move(acme["opp"], "hired")
    with pytest.raises(NotFound, match="no opportunity #99"):
        kw.opportunities.move(99, "applied")


def test_rejection_plans_reengaging_six_months_later_and_today_lists_it_then(kw: Knowwho, acme: dict[str, int]) -> None:
    rejected_on = NOW.date() - timedelta(days=200)
    card = kw.opportunities.move(acme["opp"], "rejected", on=rejected_on)
    assert card.opportunity.closed_on == rejected_on.isoformat()
    assert card.opportunity.reengage_on == (rejected_on + timedelta(days=180)).isoformat()
    items = [i for i in kw.agenda.today().items if i.action == "re-engage"]
    assert [(i.key, i.person) for i in items] == [(f"re-engage:{acme['opp']}", "Raj Patel")]


def test_reengage_option_changes_the_delay_and_a_recent_rejection_waits(kw: Knowwho, acme: dict[str, int]) -> None:
    card = kw.opportunities.move(acme["opp"], "withdrawn", reengage_days=120)
    assert card.opportunity.reengage_on == (NOW.date() + timedelta(days=120)).isoformat()
    assert not [i for i in kw.agenda.today().items if i.action == "re-engage"]
    with pytest.raises(InvalidInput, match=r"^reengage: getting back in touch goes with"):
        kw.opportunities.move(acme["opp"], "applied", reengage_days=30)


def test_reopening_clears_the_close_and_the_reengage_date(kw: Knowwho, acme: dict[str, int]) -> None:
    kw.opportunities.move(acme["opp"], "rejected")
    card = kw.opportunities.move(acme["opp"], "exploring")
    assert (card.opportunity.closed_on, card.opportunity.reengage_on) == (None, None)


def test_an_interview_ties_to_the_opportunity_adds_its_people_and_moves_it_in_one_change(
    kw: Knowwho, acme: dict[str, int]
) -> None:
    zoe = kw.people.add("Zoe Park", organization="Acme")
    before = snapshot(kw)
    done = kw.opportunities.log(acme["opp"], [zoe.id], kind="interview", note="system design")
    assert done.opportunity_id == acme["opp"]
    card = kw.opportunities.card(acme["opp"])
    assert card.opportunity.stage == "interviewing"
    assert ("Zoe Park", "interviewer") in [(m.name, m.part) for m in card.people]
    assert [i.id for i in kw.opportunities.detail(acme["opp"]).interactions] == [done.id]
    assert kw.people.get(zoe.id).interaction_count == 1
    kw.history.undo()
    assert snapshot(kw) == before


def test_each_write_is_one_undoable_change(kw: Knowwho, acme: dict[str, int]) -> None:
    before = snapshot(kw)
    kw.opportunities.move(acme["opp"], "rejected")
    assert "moved Data scientist at Acme to rejected" in kw.history.undo()
    assert snapshot(kw) == before


def test_reengage_draft_says_what_the_user_did_since_they_last_spoke(kw: Knowwho, acme: dict[str, int]) -> None:
    kw.interactions.log([acme["raj"]], kind="call", when=NOW - timedelta(days=60), note="the decision")
    kw.opportunities.move(acme["opp"], "rejected", on=NOW.date() - timedelta(days=59))
    conn = kw.db.conn
    for days, title in ((90, "Old talk before we spoke"), (30, "Published a post on ranking"), (5, "Learned dbt")):
        day = (NOW.date() - timedelta(days=days)).isoformat()
        conn.execute(
            "INSERT INTO my_updates (happened_on, title, created_at) VALUES (?, ?, ?)", (day, title, "2026-01-01")
        )
    conn.commit()
    draft = kw.outreach.reengage_draft(acme["opp"])
    assert draft.to == ["raj@acme.example"]
    assert draft.body.startswith("Hi Raj,")
    assert "about the Data scientist role at Acme" in draft.body
    assert "- Published a post on ranking (October 2026)\n- Learned dbt (November 2026)" in draft.body
    assert "Old talk" not in draft.body


def test_cli_opp_add_move_list_show(db_path: Path) -> None:
    assert cli(db_path, "add", "Ana Lima", "--org", "Acme")[0] == 0
    code, out, err = cli(db_path, "opp", "add", "Acme", "ML engineer", "--person", "Ana Lima:hiring manager",
                         "--link", "https://acme.example/j/1", "--json")  # fmt: skip
    assert code == 0, err
    added = json.loads(out)
    assert added["people"] == [{"id": 1, "name": "Ana Lima", "part": "hiring-manager"}]
    code, out, err = cli(db_path, "opp", "move", str(added["id"]), "rejected", "--date", "2026-11-01",
                         "--reengage", "4m", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out)["reengage_on"] == (date(2026, 11, 1) + timedelta(days=120)).isoformat()
    code, out, _ = cli(db_path, "opp", "list", "--json")
    assert [c["stage"] for c in json.loads(out)] == ["rejected"]
    code, out, _ = cli(db_path, "opp", "show", "1")
    assert code == 0 and "Re-engage note" in out and "ML engineer" in out
    code, out, _ = cli(db_path, "opp", "show", "1", "--json")
    assert json.loads(out)["reengage_draft"]["subject"] == "Checking back in"


def test_cli_log_interview_with_opp_and_errors(db_path: Path) -> None:
    cli(db_path, "add", "Ana Lima")
    cli(db_path, "opp", "add", "Acme", "ML engineer")
    code, out, err = cli(db_path, "log", "Ana", "--kind", "interview", "--opp", "1", "--json")
    assert code == 0, err
    assert json.loads(out)["opportunity_id"] == 1
    code, _, err = cli(db_path, "log", "Ana", "--kind", "interview", "--opp", "7")
    assert code != 0 and err.strip() == "knowwho: no opportunity #7 (`knowwho opp list` numbers them)"
    code, _, err = cli(db_path, "opp", "move", "1", "hired")
    assert code == 2 and "unknown stage 'hired'" in err and "Traceback" not in err
    code, _, err = cli(db_path, "opp", "add", "Acme", "X", "--person", "Ana:boss")
    assert code == 2 and "unknown part 'boss'" in err


@pytest.mark.parametrize("args", [("opp", "add", "--help"), ("opp", "move", "--help"),
                                  ("opp", "list", "--help"), ("opp", "show", "--help")])  # fmt: skip
def test_help(db_path: Path, args: tuple[str, ...]) -> None:
    code, out, _ = cli(db_path, *args)
    assert code == 0 and "Usage" in out


def test_group_help_lists_the_subcommands(capsys: pytest.CaptureFixture[str]) -> None:
    from knowwho.cli.app import app, run

    assert run(app, ["opp", "--help"]) == 0
    out = capsys.readouterr().out
    assert all(word in out for word in ("add", "move", "list", "show"))
