"""The rules of today's list (DESIGN 4.1), each tested so that breaking it fails."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from knowwho.core import Knowwho
from knowwho.storage.records import PersonRecord
from tests.conftest import NOW


def actions(kw: Knowwho) -> list[tuple[str, str]]:
    return [(item.action, item.person) for item in kw.agenda.today(limit=100).items]


def add(kw: Knowwho, name: str, **options: object) -> PersonRecord:
    return kw.people.add(name, **options)  # type: ignore[arg-type]


def test_owed_reply_appears_and_an_outbound_clears_it(kw: Knowwho) -> None:
    ana = add(kw, "Ana Lima", emails=["ana@example.org"])
    kw.interactions.log([ana.id], kind="email", direction="in", when=NOW - timedelta(days=3), subject="Coffee?")
    assert ("reply", "Ana Lima") in actions(kw)
    item = kw.agenda.today().items[0]
    assert "Coffee?" in item.reason and "3 days ago" in item.reason
    kw.interactions.log([ana.id], kind="email", direction="out", when=NOW - timedelta(hours=1))
    assert ("reply", "Ana Lima") not in actions(kw)


def test_reply_window_is_older_than_a_day_and_younger_than_a_month(kw: Knowwho) -> None:
    fresh, stale = add(kw, "Fresh Person"), add(kw, "Stale Person")
    kw.interactions.log([fresh.id], kind="email", direction="in", when=NOW - timedelta(hours=5))
    kw.interactions.log([stale.id], kind="email", direction="in", when=NOW - timedelta(days=45))
    assert not [a for a in actions(kw) if a[0] == "reply"]


def test_a_new_inbound_message_after_done_raises_a_new_reply(kw: Knowwho) -> None:
    bo = add(kw, "Bo Chen")
    kw.interactions.log([bo.id], kind="email", direction="in", when=NOW - timedelta(days=5))
    kw.agenda.done(kw.agenda.today().items[0].key, log=False)
    assert ("reply", "Bo Chen") not in actions(kw)
    kw.interactions.log([bo.id], kind="message", direction="in", when=NOW - timedelta(days=2))
    assert ("reply", "Bo Chen") in actions(kw)


def test_snooze_hides_until_its_date(kw: Knowwho, db_path: object) -> None:
    from knowwho.clock import fixed_clock

    cy = add(kw, "Cy Park")
    kw.interactions.log([cy.id], kind="email", direction="in", when=NOW - timedelta(days=2))
    key = kw.agenda.today().items[0].key
    kw.agenda.snooze(key, NOW.date() + timedelta(days=3))
    assert ("reply", "Cy Park") not in actions(kw)
    later = Knowwho(kw.db, clock=fixed_clock(NOW + timedelta(days=3)))
    assert ("reply", "Cy Park") in actions(later)


def test_snooze_must_be_in_the_future(kw: Knowwho) -> None:
    from knowwho.errors import InvalidInput

    with pytest.raises(InvalidInput):
        kw.agenda.snooze("reply:1:x", NOW.date())


def test_dismiss_removes_an_item(kw: Knowwho) -> None:
    dee = add(kw, "Dee Okafor")
    kw.interactions.log([dee.id], kind="call", direction="in", when=NOW - timedelta(days=2), missed=True)
    kw.agenda.dismiss(kw.agenda.today().items[0].key)
    assert actions(kw) == []


def test_cadence_overdue_ranks_above_not_yet_due(kw: Knowwho) -> None:
    overdue, not_due = add(kw, "Long Ago"), add(kw, "Recently Seen")
    kw.people.set_cadence(overdue.id, 30)
    kw.people.set_cadence(not_due.id, 30)
    kw.interactions.log([overdue.id], kind="coffee", when=NOW - timedelta(days=50))
    kw.interactions.log([not_due.id], kind="coffee", when=NOW - timedelta(days=10))
    listed = actions(kw)
    assert ("keep-in-touch", "Long Ago") in listed
    assert ("keep-in-touch", "Recently Seen") not in listed


def test_keep_in_touch_ranks_by_how_overdue(kw: Knowwho) -> None:
    a, b = add(kw, "Twice Overdue"), add(kw, "Just Overdue")
    for person, days in ((a, 120), (b, 65)):
        kw.people.set_cadence(person.id, 60)
        kw.interactions.log([person.id], kind="meeting", when=NOW - timedelta(days=days))
    keep = [p for action, p in actions(kw) if action == "keep-in-touch"]
    assert keep == ["Twice Overdue", "Just Overdue"]


def test_default_cadence_comes_from_closeness_and_none_turns_it_off(kw: Knowwho) -> None:
    close = add(kw, "Close Friend", closeness=5)
    kw.interactions.log([close.id], kind="call", when=NOW - timedelta(days=40))
    assert ("keep-in-touch", "Close Friend") in actions(kw)
    kw.people.set_cadence(close.id, None)
    assert ("keep-in-touch", "Close Friend") not in actions(kw)


def test_new_contact_gets_a_nice_to_meet_you_until_something_is_sent(kw: Knowwho) -> None:
    met = add(kw, "Met Yesterday", how_met="PyData Berlin", first_met_on=(NOW.date() - timedelta(days=1)).isoformat())
    old = add(kw, "Met Last Month", how_met="meetup", first_met_on=(NOW.date() - timedelta(days=30)).isoformat())
    listed = actions(kw)
    assert ("nice-to-meet", "Met Yesterday") in listed
    assert ("nice-to-meet", old.display_name) not in listed
    kw.interactions.log([met.id], kind="email", direction="out")
    assert ("nice-to-meet", "Met Yesterday") not in actions(kw)


def test_explicit_followup_due_and_done(kw: Knowwho) -> None:
    eve = add(kw, "Eve Santos")
    kw.followups.add(eve.id, NOW.date() + timedelta(days=2), note="send the article")
    assert ("follow-up", "Eve Santos") not in actions(kw)
    kw.followups.add(eve.id, NOW.date() - timedelta(days=1), note="ask about the role")
    item = next(i for i in kw.agenda.today().items if i.action == "follow-up")
    assert "ask about the role" in item.reason and "yesterday" in item.reason
    kw.agenda.done(item.key)
    assert ("follow-up", "Eve Santos") not in actions(kw)


def test_thank_you_after_an_informational_interview(kw: Knowwho) -> None:
    fay = add(kw, "Fay Adams")
    kw.interactions.log([fay.id], kind="informational-interview", when=NOW - timedelta(days=1))
    assert ("thank-you", "Fay Adams") in actions(kw)
    kw.interactions.log([fay.id], kind="email", direction="out")
    assert ("thank-you", "Fay Adams") not in actions(kw)


def test_reengage_when_the_date_has_come(kw: Knowwho) -> None:
    from knowwho.storage import organizations as org_store

    recruiter = add(kw, "Gus Recruiter")
    conn = kw.db.conn
    with kw.db.transaction():
        org_id = org_store.insert(conn, name="Acme", now="2025-01-01 00:00:00")
        conn.execute(
            """INSERT INTO opportunities (organization_id, role_title, stage, closed_on, reengage_on,
               created_at, updated_at) VALUES (?, 'Data Engineer', 'rejected', '2025-11-20', ?, 'x', 'x')""",
            (org_id, (NOW.date() - timedelta(days=1)).isoformat()),
        )
        conn.execute("INSERT INTO opportunity_people VALUES (1, ?, 'recruiter')", (recruiter.id,))
    for n in range(30):  # a backlog of overdue contacts does not push re-engaging off the list
        overdue = add(kw, f"Overdue {n}", closeness=5)
        kw.interactions.log([overdue.id], kind="call", when=NOW - timedelta(days=100))
    item = next(i for i in kw.agenda.today(limit=5).items if i.action == "re-engage")
    assert item.person == "Gus Recruiter" and "Data Engineer at Acme" in item.reason
    kw.agenda.done(item.key)
    assert not [i for i in kw.agenda.today().items if i.action == "re-engage"]


def test_actions_come_in_design_order(kw: Knowwho) -> None:
    a, b = add(kw, "Keep Person", closeness=5), add(kw, "Reply Person")
    kw.interactions.log([a.id], kind="call", when=NOW - timedelta(days=90))
    kw.interactions.log([b.id], kind="email", direction="in", when=NOW - timedelta(days=2))
    assert [x for x, _ in actions(kw)] == ["reply", "keep-in-touch"]


def test_removed_people_leave_the_list(kw: Knowwho) -> None:
    gone = add(kw, "Gone Person")
    kw.interactions.log([gone.id], kind="email", direction="in", when=NOW - timedelta(days=2))
    kw.people.remove(gone.id)
    assert actions(kw) == []
    kw.history.undo()
    assert actions(kw) == [("reply", "Gone Person")]


def test_listing_numbers_are_remembered(kw: Knowwho) -> None:
    h = add(kw, "Hal Numbered")
    kw.interactions.log([h.id], kind="email", direction="in", when=NOW - timedelta(days=2))
    kw.agenda.today()
    key, label = kw.agenda.listed(1)
    assert key.startswith("reply:") and "Hal Numbered" in label


def test_limit_counts_the_rest(kw: Knowwho) -> None:
    for n in range(5):
        p = add(kw, f"Person {n}")
        kw.interactions.log([p.id], kind="email", direction="in", when=NOW - timedelta(days=2 + n))
    agenda = kw.agenda.today(limit=2)
    assert len(agenda.items) == 2 and agenda.more == 3
    assert date.fromisoformat(agenda.items[0].due) < date.fromisoformat(agenda.items[1].due)
