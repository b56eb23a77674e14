"""Birthdays: what the user may type, how it is stored and worded, on add and edit, from the CLI."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput
from knowwho.services.birthdays import describe, parse_birthday
from knowwho.services.people import PersonChanges
from tests.importers.helpers import cli

TODAY = date(2026, 11, 18)


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("1990-03-14", "1990-03-14"), ("March 14", "--03-14"), ("14 March", "--03-14"), ("mar 14th", "--03-14"),
        ("--03-14", "--03-14"), ("--0314", "--03-14"), ("14 March 1990", "1990-03-14"),
        ("March 14, 1990", "1990-03-14"), ("Feb 29", "--02-29"), ("sept. 3", "--09-03"), ("none", None), ("", None),
    ],
)  # fmt: skip
def test_what_the_user_may_type(typed: str, stored: str | None) -> None:
    assert parse_birthday(typed, today=TODAY) == stored


@pytest.mark.parametrize("typed", ["March 32", "Smarch 3", "1990-02-30", "--13-01", "tomorrow", "14", "2030-01-01"])
def test_what_is_refused_names_the_field(typed: str) -> None:
    with pytest.raises(InvalidInput, match=r"^birthday: "):
        parse_birthday(typed, today=TODAY)


def test_wording() -> None:
    assert describe("1990-03-14", today=TODAY) == "14 March (turns 37)"
    assert describe("1990-12-01", today=TODAY) == "1 December (turns 36)"
    assert describe("1990-11-18", today=TODAY) == "18 November (turns 36 today)"
    assert describe("--03-14", today=TODAY) == "14 March"
    assert describe(None, today=TODAY) == ""


def test_add_edit_clear_and_undo(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima", birthday="March 14")
    assert ana.birthday == "--03-14"
    assert kw.people.edit(ana.id, PersonChanges(birthday="1990-03-14")).birthday == "1990-03-14"
    assert kw.people.edit(ana.id, PersonChanges(name="Ana B. Lima")).birthday == "1990-03-14"  # left alone
    assert kw.people.edit(ana.id, PersonChanges(birthday="none")).birthday is None
    kw.history.undo()
    assert kw.people.get(ana.id).birthday == "1990-03-14"
    with pytest.raises(InvalidInput, match="birthday"):
        kw.people.add("Bo Rell", birthday="someday")
    assert kw.people.count() == 1


def test_the_commands(db_path: Path) -> None:
    assert cli(db_path, "add", "Ana Lima", "--birthday", "1990-12-01")[0] == 0
    code, out, _ = cli(db_path, "show", "ana")
    assert code == 0 and "birthday  1 December (turns 36)" in out
    assert cli(db_path, "edit", "ana", "--birthday", "--03-14")[0] == 0
    assert json.loads(cli(db_path, "show", "ana", "--json")[1])["birthday"] == "--03-14"
    code, _, err = cli(db_path, "edit", "ana", "--birthday", "31 February")
    assert code == 2 and err == "knowwho: birthday: cannot read '31 February'; use 1990-03-14, 'March 14' or --03-14\n"
    code, _, err = cli(db_path, "add", "Bo Rell", "--birthday", "2099-01-01")
    assert code == 2 and "birthday: 2099-01-01 is in the future" in err
