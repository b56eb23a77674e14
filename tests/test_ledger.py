"""Give and take: gave, got, the balance, giving back, and advocates."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput
from knowwho.services.people import PersonChanges
from tests.importers.helpers import cli


def test_gave_and_got_make_a_balance(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima").id
    kw.ledger.record(ana, "gave", "an article on M365", kind="article")
    kw.ledger.record(ana, "received", "a reference for Acme", kind="reference")
    kw.ledger.record(ana, "received", "feedback on my CV")
    balance = kw.ledger.balance(ana)
    assert (balance.given, balance.received) == (1, 2)
    assert balance.entries[0].note == "feedback on my CV" and balance.entries[0].what == "advice"
    kw.history.undo()
    assert kw.ledger.balance(ana).received == 1


def test_the_balance_counts_every_entry_however_few_are_listed(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima").id
    for n in range(3):
        kw.ledger.record(ana, "gave", f"article {n}", kind="article")
    kw.ledger.record(ana, "received", "advice")
    for limit, listed in ((10, 4), (4, 4), (2, 2), (1, 1)):  # all read and counted, or counted apart
        balance = kw.ledger.balance(ana, limit=limit)
        assert (balance.given, balance.received, len(balance.entries)) == (3, 1, listed)


def test_a_wrong_kind_names_the_field(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima").id
    with pytest.raises(InvalidInput, match=r"^kind: unknown kind 'money': use one of"):
        kw.ledger.record(ana, "gave", "x", kind="money")


def test_give_back_where_much_was_received_and_little_given(kw: Knowwho) -> None:
    ana, ben = kw.people.add("Ana Lima").id, kw.people.add("Ben Cole").id
    for what in ("a reference", "an intro to Raj", "advice"):
        kw.ledger.record(ana, "received", what)
    kw.ledger.record(ben, "received", "advice")
    kw.ledger.record(ben, "gave", "advice")
    owed = kw.ledger.give_back()
    assert [g.person_id for g in owed] == [ana]
    assert (owed[0].given, owed[0].received) == (0, 3)


def test_advocates_say_when_last_asked_and_heard(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima", tags=["product"]).id
    kw.people.edit(ana, PersonChanges(is_advocate=True))
    kw.people.add("Ben Cole")
    kw.ledger.record(ana, "received", "a reference for Acme", kind="reference")
    kw.interactions.log([ana], kind="email")
    [only] = kw.ledger.advocates()
    assert only.person_id == ana and "product" in only.for_what
    assert only.last_asked_on == "2026-11-18" and only.last_heard_from_you == "2026-11-18"


def test_today_suggests_giving_back(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima").id
    for what in ("a reference", "an intro to Raj"):
        kw.ledger.record(ana, "received", what)
    items = [i for i in kw.agenda.today().items if i.action == "give-back"]
    assert [i.person_id for i in items] == [ana]
    assert items[0].reason.startswith("they gave you 2 things") and "you gave 0" in items[0].reason


def test_cli_gave_got_advocates(db_path: Path, kw: Knowwho) -> None:
    kw.people.add("Ana Lima")
    code, out, _ = cli(db_path, "gave", "Ana", "an intro to Raj", "--kind", "intro", "--json")
    assert code == 0 and json.loads(out)["given"] == 1
    code, out, _ = cli(db_path, "got", "Ana", "a reference", "--kind", "reference")
    assert code == 0 and "gave 1, got 1" in out
    code, _, err = cli(db_path, "got", "Ana", "x", "--kind", "cash")
    assert code == 2 and "kind: unknown kind 'cash'" in err
    code, out, _ = cli(db_path, "advocates", "--json")
    assert code == 0 and json.loads(out) == []
