"""Who knows whom: recorded acquaintances, people known only through others, job histories."""

from __future__ import annotations

import json

import pytest

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput
from tests.importers.helpers import cli


def test_knows_records_once_and_undo_takes_it_back(kw: Knowwho) -> None:
    ana, ben = kw.people.add("Ana Lima").id, kw.people.add("Ben Okafor").id
    assert kw.network.knows(ben, ana, how="college friends") is True
    assert kw.network.knows(ana, ben) is False
    rows = kw.db.conn.execute("SELECT person_a_id, person_b_id, source, note FROM knows").fetchall()
    assert [tuple(r) for r in rows] == [(ana, ben, "me", "college friends")]
    assert [(a.name, a.how) for a in kw.network.acquaintances(ana)] == [("Ben Okafor", "college friends")]
    kw.history.undo()
    assert kw.db.conn.execute("SELECT COUNT(*) FROM knows").fetchone()[0] == 0
    with pytest.raises(InvalidInput):
        kw.network.knows(ana, ana)


def test_someone_known_through_a_contact_is_kept_apart(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima", closeness=5).id
    aunt = kw.network.add_through("Rosa Lima", via=ana, how="her aunt", organization="Coach Co", title="Life coach")
    assert aunt.is_contact is False
    assert aunt.roles[0].organization == "Coach Co" and aunt.roles[0].title == "Life coach"
    # long forgotten and on a cadence: a contact would be due, someone known through others never is
    kw.db.conn.execute("UPDATE people SET created_at = '2020-01-01 00:00:00', cadence_days = 30")
    people_on_today = {item.person for item in kw.agenda.today(limit=100).items}
    assert "Ana Lima" in people_on_today and "Rosa Lima" not in people_on_today
    assert [a.name for a in kw.network.acquaintances(aunt.id)] == ["Ana Lima"]
    kw.history.undo()  # one change: the person, the role and the link go together
    assert kw.db.conn.execute("SELECT COUNT(*) FROM knows").fetchone()[0] == 0
    assert kw.db.conn.execute("SELECT COUNT(*) FROM people WHERE display_name = 'Rosa Lima'").fetchone()[0] == 0


def test_roles_past_and_current_and_colleagues_found_from_them(kw: Knowwho) -> None:
    ana, ben = kw.people.add("Ana Lima").id, kw.people.add("Ben Okafor").id
    past = kw.network.add_role(ana, "Hooli", title="Engineer", start="2019", end="2021-06")
    assert (past.is_current, past.start_on, past.end_on) == (False, "2019", "2021-06")
    kw.network.add_role(ben, "Hooli", start="2020-03-01")
    now = kw.network.add_role(ben, "Hooli", title="Lead")  # the same current job: updated, not doubled
    assert now.title == "Lead" and now.start_on == "2020-03-01"
    assert len(kw.people.get(ben).roles) == 1
    assert [(a.name, a.how) for a in kw.network.acquaintances(ben)] == [("Ana Lima", "colleague at Hooli 2020–2021")]
    with pytest.raises(InvalidInput, match="--from 2022 is after --to 2021"):
        kw.network.add_role(ana, "Globex", start="2022", end="2021")
    with pytest.raises(InvalidInput, match="--from"):
        kw.network.add_role(ana, "Globex", start="the other day-ish, maybe")


def test_my_roles(kw: Knowwho) -> None:
    mine = kw.network.add_my_role("Hooli", title="Analyst", start="2016", end="2018")
    assert (mine.organization, mine.is_current) == ("Hooli", False)
    kw.network.add_my_role("Initech", title="Data scientist", start="2023")
    assert [(r.organization, r.is_current) for r in kw.network.my_roles()] == [("Initech", True), ("Hooli", False)]
    kw.history.undo()
    assert [r.organization for r in kw.network.my_roles()] == ["Hooli"]


def test_commands(kw: Knowwho) -> None:
    db = kw.db.path
    kw.people.add("Ana Lima")
    kw.people.add("Ben Okafor")
    code, out, _ = cli(db, "knows", "Ana", "Ben", "--how", "college [friends]")
    assert code == 0 and "Ana Lima knows Ben Okafor (college [friends])." in out
    code, out, _ = cli(db, "knows", "Ana", "Ben", "--json")
    assert code == 0 and json.loads(out)["new"] is False
    code, out, _ = cli(db, "add", "Rosa Lima", "--via", "Ana", "--how", "her aunt", "--org", "Coach Co", "--json")
    assert code == 0 and json.loads(out)["roles"][0]["organization"] == "Coach Co"
    assert kw.db.conn.execute("SELECT is_contact FROM people WHERE display_name = 'Rosa Lima'").fetchone()[0] == 0
    code, out, _ = cli(db, "role", "Ben", "Hooli", "--title", "Engineer", "--from", "2019", "--to", "2021", "--json")
    assert code == 0 and json.loads(out)["current"] is False
    code, out, _ = cli(db, "me", "role", "Hooli", "--from", "2018", "--json")
    assert code == 0 and json.loads(out)["current"] is True
    code, out, _ = cli(db, "me", "roles")
    assert code == 0 and "at Hooli since 2018" in out
    code, _, err = cli(db, "role", "Ben", "Hooli", "--from", "2022", "--to", "2020")
    assert code == 2 and err.count("\n") == 1 and "--from" in err
    code, _, err = cli(db, "knows", "Ana", "Nobody Here")
    assert code == 1 and "Nobody Here" in err


def test_second_degree_people_stay_off_today_until_you_talk(kw: Knowwho) -> None:
    from datetime import timedelta

    from tests.conftest import NOW

    ana = kw.people.add("Ana Lima")
    rosa = kw.network.add_through("Rosa Lima", via=ana.id, how="her aunt")
    with kw.db.transaction() as conn:  # as a mail import can leave someone copied on a thread
        conn.execute("UPDATE people SET first_met_on = ?, last_inbound_at = ? WHERE id = ?",
                     ((NOW - timedelta(days=1)).date().isoformat(), "2026-11-15 10:00:00", rosa.id))  # fmt: skip
    assert all(item.person_id != rosa.id for item in kw.agenda.today().items)
    kw.interactions.log([rosa.id], kind="call", direction="in", when=NOW - timedelta(days=2))
    assert kw.people.get(rosa.id).is_contact  # talking makes her a contact of yours
    assert any(item.person_id == rosa.id for item in kw.agenda.today().items)
