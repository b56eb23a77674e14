"""Colleagues are a network too: now and then, today suggests a coffee with a colleague the user barely knows."""

from __future__ import annotations

from datetime import date, timedelta

from knowwho.core import Knowwho
from knowwho.services import colleagues

TODAY = date(2026, 11, 18)  # the tests' frozen day: one of the days a colleague is suggested


def _office(kw: Knowwho) -> dict[str, int]:
    """The user works at Acme now. At Acme now: Ana and Cara (barely known), Ben (close);
    Dan is known only through Ana; Eve left Acme; Fay works at Globex."""
    kw.network.add_my_role("Acme", title="Analyst", start="2024")
    ids = {
        "Ana": kw.people.add("Ana Lima", organization="Acme", title="Designer").id,
        "Ben": kw.people.add("Ben Okafor", organization="Acme", closeness=5).id,
        "Cara": kw.people.add("Cara Diaz", organization="Acme").id,
        "Eve": kw.people.add("Eve Adams").id,
        "Fay": kw.people.add("Fay Wong", organization="Globex").id,
    }
    ids["Dan"] = kw.network.add_through("Dan Wu", via=ids["Ana"], organization="Acme").id
    kw.network.add_role(ids["Eve"], "Acme", start="2019", end="2021")
    kw.interactions.log([ids["Cara"]], kind="email", when=None)
    return ids


def _suggested(kw: Knowwho, day: date) -> list[str]:
    return [make().person for _, _, make in colleagues.coffee_with_a_colleague(kw.ctx, day)]


def test_one_barely_known_colleague_now_and_then_in_turn(kw: Knowwho) -> None:
    _office(kw)
    days = [TODAY + timedelta(days=n) for n in range(-6, 7)]
    picked = {day: _suggested(kw, day) for day in days}
    assert all(len(p) <= 1 for p in picked.values())
    on = [day for day in days if picked[day]]
    assert on == [TODAY - timedelta(days=6), TODAY - timedelta(days=3), TODAY, TODAY + timedelta(days=3),
                  TODAY + timedelta(days=6)]  # fmt: skip
    # Ana and Cara in turn; never Ben (close), Dan (not a contact), Eve (left), Fay (elsewhere)
    assert [picked[day][0] for day in on] == ["Ana Lima", "Cara Diaz", "Ana Lima", "Cara Diaz", "Ana Lima"]


def test_on_today_with_its_reason_and_done_moves_the_tie(kw: Knowwho) -> None:
    ids = _office(kw)
    items = [i for i in kw.agenda.today(limit=50).items if i.key.endswith(f"colleague-{TODAY.isoformat()}")]
    assert len(items) == 1 and items[0].person == "Ana Lima" and items[0].action == "keep-in-touch"
    assert items[0].reason.startswith("works with you at Acme (Designer) and you have not really talked yet")
    assert items[0].log_kind == "coffee"
    kw.agenda.done(items[0].key, kind="coffee")
    assert kw.people.get(ids["Ana"]).interaction_count == 1
    assert not any(i.key == items[0].key for i in kw.agenda.today(limit=50).items)


def test_nothing_without_a_current_job_of_mine(kw: Knowwho) -> None:
    kw.people.add("Ana Lima", organization="Acme")
    kw.network.add_my_role("Acme", start="2019", end="2021")  # a past job only
    assert _suggested(kw, TODAY) == []
    assert colleagues.pick(TODAY, 0, []) is None
    assert colleagues.pick(TODAY + timedelta(days=1), 1, [3]) is None  # not a suggestion day
    assert colleagues.pick(TODAY, 1, [0]) is None  # nobody barely known there
