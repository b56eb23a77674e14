"""Today as a day's work: capped and counted by kind, paged through in order, with honest reasons and birthdays."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from knowwho.core import Knowwho
from knowwho.services.agenda import DAY_SIZE, KEEP_IN_TOUCH_PER_DAY
from knowwho.services.people import PersonChanges
from tests.conftest import NOW
from tests.importers.helpers import cli


def _backlog(kw: Knowwho, replies: int, overdue: int) -> None:
    for n in range(replies):
        person = kw.people.add(f"Writer {n}")
        kw.interactions.log([person.id], kind="email", direction="in", when=NOW - timedelta(days=2 + n))
    for n in range(overdue):
        person = kw.people.add(f"Friend {n}", closeness=4)
        kw.interactions.log([person.id], kind="call", when=NOW - timedelta(days=100 + n))


def test_the_day_caps_keep_in_touch_and_counts_the_rest_by_kind(kw: Knowwho) -> None:
    _backlog(kw, replies=3, overdue=12)
    day = kw.agenda.today()
    assert [i.action for i in day.items] == ["reply"] * 3 + ["keep-in-touch"] * KEEP_IN_TOUCH_PER_DAY
    assert day.rest == {"keep-in-touch": 12 - KEEP_IN_TOUCH_PER_DAY} and day.more == 7
    assert [(kind, len(items)) for kind, items in day.groups()] == [("reply", 3), ("keep-in-touch", 5)]
    assert day.total("keep-in-touch") == 12


def test_the_day_is_about_ten_and_paging_only_adds(kw: Knowwho) -> None:
    _backlog(kw, replies=14, overdue=4)
    day = kw.agenda.today()
    assert len(day.items) == DAY_SIZE and day.rest == {"reply": 4, "keep-in-touch": 4}
    everything = kw.agenda.today(limit=1000)
    assert len(everything.items) == 18 and everything.more == 0
    assert [i.key for i in everything.items[:DAY_SIZE]] == [i.key for i in day.items]
    assert [i.number for i in everything.items] == list(range(1, 19))


def test_a_keep_in_touch_on_a_default_cadence_says_so(kw: Knowwho) -> None:
    mo = kw.people.add("Mo Default", closeness=3)
    kw.interactions.log([mo.id], kind="coffee", when=NOW - timedelta(days=800))
    own = kw.people.add("Own Cadence")
    kw.people.set_cadence(own.id, 60)
    kw.interactions.log([own.id], kind="coffee", when=NOW - timedelta(days=100))
    items = {i.person: i for i in kw.agenda.today().items}
    assert items["Mo Default"].reason == "no contact in 2 years; default for closeness 3 of 5: every 90 days"
    assert items["Mo Default"].default_cadence
    assert items["Own Cadence"].reason.startswith("last spoke 3 months ago; you keep in touch every 60 days (")
    assert not items["Own Cadence"].default_cadence


def test_re_engage_says_what_and_with_whom(kw: Knowwho) -> None:
    from knowwho.storage import organizations as org_store

    rita = kw.people.add("Rita Gomez")
    sam = kw.people.add("Sam Ode")
    interview = kw.interactions.log([rita.id, sam.id], kind="interview", when=NOW - timedelta(days=200))
    conn = kw.db.conn
    with kw.db.transaction():
        org_id = org_store.insert(conn, name="Nettle Care", now="2026-01-01 00:00:00")
        conn.execute(
            """INSERT INTO opportunities (id, organization_id, role_title, stage, closed_on, reengage_on, created_at,
               updated_at) VALUES (5, ?, 'Senior Data Scientist', 'rejected', '2026-05-12', '2026-11-01', 'x', 'x')""",
            (org_id,),
        )
        conn.execute("UPDATE interactions SET opportunity_id = 5 WHERE id = ?", (interview.id,))
    item = next(i for i in kw.agenda.today().items if i.action == "re-engage")
    assert item.reason == "you interviewed with Rita and Sam for Senior Data Scientist at Nettle Care; rejected in May"
    assert item.person == "Rita Gomez"  # nobody else named on it: the first interviewer
    kw.agenda.done(item.key)
    logged = kw.interactions.for_person(rita.id)[0]
    assert (logged.kind, logged.direction) == ("email", "out")
    assert conn.execute("SELECT opportunity_id FROM interactions WHERE id = ?", (logged.id,)).fetchone()[0] == 5


def _born(kw: Knowwho, name: str, birthday: str, **options: object) -> int:
    person = kw.people.add(name, **options)  # type: ignore[arg-type]
    kw.people.edit(person.id, PersonChanges(birthday=birthday))
    return person.id


def test_birthdays_this_week_of_people_closer_than_a_weak_tie(kw: Knowwho) -> None:
    # NOW is Wednesday 18 November 2026.
    _born(kw, "Close Soon", "1990-11-21", closeness=4)
    _born(kw, "Close Today", "--11-18", closeness=3)
    _born(kw, "Close Next Week", "1980-11-25", closeness=5)
    _born(kw, "Close Too Late", "1980-11-26", closeness=5)
    _born(kw, "Barely Known", "1990-11-20")
    _born(kw, "Rated Distant", "1990-11-20", closeness=2)
    birthdays = [(i.person, i.reason) for i in kw.agenda.today(limit=50).items if i.action == "birthday"]
    assert birthdays == [
        ("Close Today", "birthday today"),
        ("Close Soon", "birthday in 3 days (Saturday 21 November); turns 36"),
        ("Close Next Week", "birthday in 7 days (Wednesday 25 November); turns 46"),
    ]


def test_a_strong_tie_without_a_rating_gets_a_birthday_and_done_sends_a_message(kw: Knowwho) -> None:
    pal = _born(kw, "Tie Strong", "1990-11-19")
    for days in range(2, 40, 3):
        kw.interactions.log([pal], kind="coffee", when=NOW - timedelta(days=days))
    from knowwho.services.tie_strength import tier_of

    assert tier_of(kw.people.get(pal).tie_strength) in ("strong", "moderate")
    item = next(i for i in kw.agenda.today(limit=50).items if i.action == "birthday")
    assert item.reason == "birthday tomorrow; turns 36" and item.log_kind == "message"
    assert kw.agenda.done(item.key) == "done: birthday wishes to Tie Strong (logged a message)"
    assert not [i for i in kw.agenda.today(limit=50).items if i.action == "birthday"]


def test_the_cli_pages_and_counts(db_path: Path) -> None:
    for n in range(9):
        cli(db_path, "add", f"Friend {n}", "--closeness", "3")
        cli(db_path, "log", f"Friend {n}", "--kind", "coffee", "--date", f"{200 + n} days ago")
    code, out, _ = cli(db_path, "today")
    out = " ".join(out.split())  # as read, whatever the terminal's width
    assert code == 0 and "4 more: 4 keep in touch" in out and "knowwho cadence NAME 60d" in out
    code, out, _ = cli(db_path, "today", "--all")
    assert code == 0 and "Friend 0" in out and "\n9  keep-in-touch" in out and "more:" not in out
    code, out, _ = cli(db_path, "today", "--limit", "7")
    assert "2 more: 2 keep in touch" in out
    assert cli(db_path, "done", "7", "--no-log")[0] == 0  # numbers follow the listing shown


def test_an_empty_list_welcomes_a_new_user_and_tells_one_with_people_what_fills_it(db_path: Path) -> None:
    """After importing connections nothing may be due yet: the list says why, not "add people"."""
    code, out, _ = cli(db_path, "today")
    assert code == 0 and "Add people with `knowwho add`" in " ".join(out.split())
    cli(db_path, "add", "Ana Lima", "--org", "Acme")
    code, out, _ = cli(db_path, "today")
    out = " ".join(out.split())
    assert code == 0 and "no replies owed" in out and "knowwho import mail" in out
    assert "Add people" not in out
