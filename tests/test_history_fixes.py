"""Fixing the history: editing and deleting logged conversations and notes, each undoable, stats following."""

from __future__ import annotations

from datetime import timedelta

import pytest

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput, NotFound
from knowwho.services.people import PersonChanges
from tests.conftest import NOW


def _today(kw: Knowwho) -> list[tuple[str, int | None]]:
    return [(item.action, item.person_id) for item in kw.agenda.today(remember=False).items]


def _changes(kw: Knowwho) -> int:
    return len(kw.history.recent(limit=1000))


def test_deleting_an_inbound_email_clears_the_reply_owed_and_undo_brings_it_back(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima")
    coffee = kw.interactions.log([ana.id], kind="coffee", when=NOW - timedelta(days=40))
    email = kw.interactions.log([ana.id], kind="email", direction="in", when=NOW - timedelta(days=3))
    before = kw.people.get(ana.id)
    assert ("reply", ana.id) in _today(kw)

    kw.interactions.remove(email.id)
    after = kw.people.get(ana.id)
    assert after.last_interaction_at == coffee.occurred_at and after.last_inbound_at is None
    assert after.interaction_count == 1 and after.tie_strength < before.tie_strength
    assert ("reply", ana.id) not in _today(kw)
    assert [i.id for i in kw.interactions.for_person(ana.id)] == [coffee.id]
    assert kw.history.latest() == f"deleted the email with Ana Lima on {email.occurred_at[:10]}"

    assert kw.history.undo().startswith("deleted the email with Ana Lima")
    restored = kw.people.get(ana.id)
    assert (restored.last_interaction_at, restored.interaction_count) == (email.occurred_at, 2)
    assert restored.tie_strength == pytest.approx(before.tie_strength)
    assert ("reply", ana.id) in _today(kw)


def test_moving_a_conversation_back_in_time_brings_keep_in_touch_due(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima")
    kw.people.set_cadence(ana.id, 30)
    coffee = kw.interactions.log([ana.id], kind="coffee", when=NOW - timedelta(days=10))
    assert ("keep-in-touch", ana.id) not in _today(kw)

    edited = kw.interactions.edit(coffee.id, when=NOW - timedelta(days=60), note="it was in September")
    assert edited.notes == "it was in September" and edited.kind == "coffee"
    assert kw.people.get(ana.id).last_interaction_at == edited.occurred_at
    assert ("keep-in-touch", ana.id) in _today(kw)

    kw.history.undo()
    assert kw.people.get(ana.id).last_interaction_at == coffee.occurred_at
    assert kw.interactions.get(coffee.id).notes == ""
    assert ("keep-in-touch", ana.id) not in _today(kw)


def test_turning_an_inbound_email_outbound_answers_it(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima")
    email = kw.interactions.log([ana.id], kind="email", direction="in", when=NOW - timedelta(days=3))
    kw.interactions.edit(email.id, direction="out", subject="my reply")
    assert kw.people.get(ana.id).last_inbound_at is None
    assert ("reply", ana.id) not in _today(kw)
    assert kw.history.latest() == f"edited the email with Ana Lima on {email.occurred_at[:10]}"


def test_every_participant_follows_a_fix(kw: Knowwho) -> None:
    ana, bo = kw.people.add("Ana Lima"), kw.people.add("Bo Rell")
    meeting = kw.interactions.log([ana.id, bo.id], kind="meeting", when=NOW - timedelta(days=5))
    kw.interactions.edit(meeting.id, kind="call")
    assert kw.interactions.for_person(bo.id)[0].kind == "call"
    kw.interactions.remove(meeting.id)
    assert [kw.people.get(p).interaction_count for p in (ana.id, bo.id)] == [0, 0]
    assert [kw.people.get(p).last_interaction_at for p in (ana.id, bo.id)] == [None, None]
    assert kw.history.latest() == f"deleted the call with Ana Lima, Bo Rell on {meeting.occurred_at[:10]}"


def test_bad_fixes_change_nothing(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima")
    coffee = kw.interactions.log([ana.id], kind="coffee", when=NOW - timedelta(days=3))
    count = _changes(kw)
    with pytest.raises(InvalidInput, match="unknown kind"):
        kw.interactions.edit(coffee.id, kind="telepathy")
    with pytest.raises(InvalidInput, match="direction"):
        kw.interactions.edit(coffee.id, direction="sideways")
    with pytest.raises(InvalidInput, match="future"):
        kw.interactions.edit(coffee.id, when=NOW + timedelta(days=3))
    with pytest.raises(NotFound, match="#999"):
        kw.interactions.edit(999, kind="call")
    assert kw.interactions.edit(coffee.id, kind="coffee") == coffee  # the same values: no change recorded
    assert _changes(kw) == count and kw.interactions.get(coffee.id) == coffee
    kw.interactions.remove(coffee.id)
    with pytest.raises(NotFound):
        kw.interactions.remove(coffee.id)  # already deleted
    with pytest.raises(NotFound):
        kw.interactions.edit(coffee.id, note="x")


def test_notes_are_edited_and_deleted_and_undo_restores_them(kw: Knowwho) -> None:
    ana, bo = kw.people.add("Ana Lima"), kw.people.add("Bo Rell")
    note = kw.interactions.add_note(ana.id, "likes climbing")
    edited = kw.interactions.edit_note(note.id, "  likes bouldering  ", person_id=ana.id)
    assert edited.body == "likes bouldering" and edited.created_at == note.created_at
    assert kw.history.latest() == "edited a note on Ana Lima"
    with pytest.raises(InvalidInput, match="not on Bo Rell"):
        kw.interactions.remove_note(note.id, person_id=bo.id)
    with pytest.raises(InvalidInput, match="empty"):
        kw.interactions.edit_note(note.id, "   ")
    kw.interactions.remove_note(note.id)
    assert kw.interactions.notes_for(ana.id) == []
    assert kw.history.latest() == "deleted a note on Ana Lima"
    kw.history.undo()
    assert [n.body for n in kw.interactions.notes_for(ana.id)] == ["likes bouldering"]
    kw.history.undo()
    assert [n.body for n in kw.interactions.notes_for(ana.id)] == ["likes climbing"]
    with pytest.raises(NotFound, match="no note #77"):
        kw.interactions.edit_note(77, "x")


def test_found_by_search_follows_a_fix(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima")
    note = kw.interactions.add_note(ana.id, "plays the theremin")
    assert [h.person.id for h in kw.search.people("theremin")] == [ana.id]
    kw.interactions.edit_note(note.id, "plays the cello")
    assert kw.search.people("theremin") == []
    assert [h.person.id for h in kw.search.people("cello")] == [ana.id]


# -- undo keeps everything ---------------------------------------------------------------
def test_removing_an_email_or_phone_then_undo_brings_back_its_label(kw: Knowwho) -> None:
    from knowwho.storage import people as people_store

    ana = kw.people.add("Ana Lima")
    with kw.ctx.change("imported Ana's card") as conn:
        people_store.add_emails(conn, ana.id, ["ana@work.example"], label="work")
        people_store.add_phones(conn, ana.id, ["+15550100"], label="cell")
    query = "SELECT email, label FROM person_emails UNION ALL SELECT phone, label FROM person_phones"

    def labels() -> list[tuple[str, str]]:
        return sorted((row[0], row[1]) for row in kw.db.conn.execute(query))

    before = labels()
    assert before == [("+15550100", "cell"), ("ana@work.example", "work")]
    kw.people.edit(ana.id, PersonChanges(remove_emails=["ana@work.example"], remove_phones=["+15550100"]))
    assert labels() == []
    kw.history.undo()
    assert labels() == before


def test_an_organization_created_by_a_move_goes_away_on_undo(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima", organization="Acme")
    orgs = "SELECT name FROM organizations ORDER BY name"
    kw.people.edit(ana.id, PersonChanges(organization="Globex", title="Engineer"))
    assert [r[0] for r in kw.db.conn.execute(orgs)] == ["Acme", "Globex"]
    kw.history.undo()
    assert [r[0] for r in kw.db.conn.execute(orgs)] == ["Acme"]
    person = kw.people.get(ana.id)
    assert [(r.organization, r.is_current, r.end_on) for r in person.roles] == [("Acme", True, None)]
