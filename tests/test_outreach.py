"""Informational interviews: the request draft, the brief, structured notes, leads and referrals."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput
from knowwho.services.leads import InterviewNotes
from tests.conftest import NOW
from tests.importers.helpers import cli, snapshot


@pytest.fixture
def ana(kw: Knowwho) -> int:
    person = kw.people.add("Ana Lima", emails=["ana@acme.example"], organization="Acme", title="Data lead")
    return person.id


def test_ask_from_how_met_says_not_a_job_and_asks_for_20_minutes(kw: Knowwho) -> None:
    vera = kw.people.add("Vera Stone", emails=["vera@globex.example"], organization="Globex", title="Staff engineer",
                         how_met="at RecSys Summit")  # fmt: skip
    draft = kw.outreach.ask(vera.id, about="how search teams hire for ranking work")
    assert draft.to == ["vera@globex.example"]
    assert draft.subject == "Could I learn from your experience at Globex?"
    assert draft.body.startswith("Hi Vera,\n\nWe met at RecSys Summit.")
    assert "how search teams hire for ranking work" in draft.body
    assert "I'm not asking about a job" in draft.body
    assert "20 minutes" in draft.body


def test_ask_names_the_referrer_before_anything_else(kw: Knowwho, ana: int) -> None:
    bo = kw.outreach.leads.add("Bo Chen", referred_by=ana, organization="Globex", title="Analyst")
    body = kw.outreach.ask(bo.id).body
    assert "Ana Lima suggested I get in touch with you." in body
    assert "your work as Analyst at Globex" in body


def test_ask_uses_a_contact_in_common_when_there_is_one(kw: Knowwho, ana: int) -> None:
    kw.interactions.log([ana], kind="coffee", when=NOW - timedelta(days=10))
    raj = kw.network.add_through("Raj Patel", via=ana, how="her old colleague")
    assert "We both know Ana Lima" in kw.outreach.ask(raj.id).body


def test_brief_gathers_roles_notes_shared_contacts_talks_and_questions(kw: Knowwho, ana: int) -> None:
    kw.interactions.add_note(ana, "Moving to Berlin in spring")
    org_id = kw.people.get(ana).roles[0].organization_id
    kw.organizations.add_note(org_id, "Hiring data engineers; remote-friendly")
    mia = kw.people.add("Mia Chen")
    kw.network.knows(ana, mia.id, how="college friends")
    kw.interactions.log([ana], kind="coffee", when=NOW - timedelta(days=40), note="talked about search")
    brief = kw.outreach.brief(ana)
    assert [(r.organization, r.title) for r in brief.roles] == [("Acme", "Data lead")]
    assert [n.body for n in brief.notes] == ["Moving to Berlin in spring"]
    assert brief.organization_notes == [("Acme", "Hiring data engineers; remote-friendly")]
    assert [(a.name, a.how) for a in brief.shared] == [("Mia Chen", "college friends")]
    assert [i.notes for i in brief.conversations] == ["talked about search"]
    topics = [t for t, _ in brief.questions]
    assert topics == ["Their path", "Day to day", "Culture", "The field's future", "Advice", "Whom else to talk to"]
    assert "How did you come to be Data lead at Acme?" in brief.questions[0][1]


def test_informational_notes_are_structured_searchable_and_make_leads_in_one_change(kw: Knowwho, ana: int) -> None:
    carla = kw.people.add("Carla Diaz")
    before = snapshot(kw)
    notes = InterviewNotes(did="leads the data team", advice="learn dbt", learned="analytics engineering fits me",
                           talk_to=["Carla Diaz", "Bo Chen"], note="great chat")  # fmt: skip
    logged = kw.outreach.leads.log_informational([ana], notes)
    assert logged.interaction.kind == "informational-interview"
    assert logged.interaction.notes == (
        "What they do: leads the data team\nTheir advice: learn dbt\nWhat I learned: analytics engineering fits me\n"
        "Talk to next: Carla Diaz, Bo Chen\ngreat chat"
    )
    assert [p.display_name for p in logged.leads] == ["Carla Diaz", "Bo Chen"]
    assert logged.leads[0].id == carla.id  # an exact name already known is not added twice
    bo = logged.leads[1]
    assert bo.how_met == "referred by Ana Lima" and bo.first_met_on is None  # a lead, not someone met
    due = (NOW.date() + timedelta(days=3)).isoformat()
    assert [(f.due_on, f.note) for f in kw.followups.for_person(bo.id)] == [(due, "reach out, mentioning Ana Lima")]
    update = kw.followups.for_person(ana)
    assert len(update) == 1 and "I took your advice" in update[0].note
    assert 30 <= (date.fromisoformat(update[0].due_on) - NOW.date()).days <= 90
    assert [h.person.display_name for h in kw.search.find("dbt").hits] == ["Ana Lima"]
    assert "; 2 to talk to next" in kw.history.undo()
    assert snapshot(kw) == before


def test_referral_is_on_both_people_and_plans_reaching_out(kw: Knowwho, ana: int) -> None:
    bo = kw.outreach.leads.add("Bo Chen", referred_by=ana, organization="Globex")
    assert bo.how_met == "referred by Ana Lima"
    [on_bo] = kw.outreach.leads.referrals(bo.id)
    [on_ana] = kw.outreach.leads.referrals(ana)
    assert on_bo == on_ana and (on_bo.referrer, on_bo.lead) == ("Ana Lima", "Bo Chen")
    assert [f.note for f in kw.followups.for_person(bo.id)] == ["reach out, mentioning Ana Lima"]
    items = kw.agenda.today().items
    assert not [i for i in items if i.person == "Bo Chen"]  # due in three days, not today


def test_a_lead_cannot_be_referred_by_themselves(kw: Knowwho, ana: int) -> None:
    with pytest.raises(InvalidInput, match="referred by themselves"):
        kw.outreach.leads.log_informational([ana], InterviewNotes(talk_to=["Ana Lima"]))


def test_cli_add_referred_by_show_both_and_json(db_path: Path) -> None:
    cli(db_path, "add", "Ana Lima", "--org", "Acme")
    code, out, err = cli(db_path, "add", "Bo Chen", "--referred-by", "Ana", "--org", "Globex", "--json")
    assert code == 0, err
    assert json.loads(out)["name"] == "Bo Chen"
    code, out, _ = cli(db_path, "show", "Ana")
    assert "referred you to Bo Chen (#2)" in out
    code, out, _ = cli(db_path, "show", "Bo", "--json")
    assert json.loads(out)["referrals"] == ["referred by Ana Lima (#1) on 2026-11-18"]


def test_cli_log_informational_with_structured_options(db_path: Path) -> None:
    cli(db_path, "add", "Ana Lima")
    code, out, err = cli(db_path, "log", "Ana", "--kind", "informational-interview", "--did", "runs ML",
                         "--advice", "ship small", "--learned", "not for me", "--next", "Carla Diaz", "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["leads"] == ["Carla Diaz"] and "Their advice: ship small" in data["notes"]
    code, _, err = cli(db_path, "log", "Ana", "--kind", "coffee", "--advice", "x")
    assert code == 2 and "--kind informational-interview" in err


def test_cli_ask_and_brief(db_path: Path) -> None:
    cli(db_path, "add", "Ana Lima", "--org", "Acme", "--title", "Data lead", "--email", "ana@acme.example")
    code, out, err = cli(db_path, "ask", "Ana")
    assert code == 0, err
    assert out.startswith("To: ana@acme.example\nSubject: Could I learn") and "20 minutes" in out
    code, out, _ = cli(db_path, "ask", "Ana", "--json")
    assert json.loads(out)["mailto"].startswith("mailto:ana@acme.example?subject=")
    code, out, _ = cli(db_path, "brief", "Ana")
    assert code == 0 and "Questions" in out and "Whom else to talk to" in out
    code, out, _ = cli(db_path, "brief", "Ana", "--json")
    assert next(iter(json.loads(out)["questions"])) == "Their path"
    for command in ("ask", "brief"):
        assert cli(db_path, command, "--help")[0] == 0
