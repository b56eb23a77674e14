"""A person's name is at most 300 characters wherever it comes from: typed names are refused, imported ones cut."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput
from knowwho.services.imports import run_import
from knowwho.services.normalize import MAX_NAME_LENGTH
from knowwho.services.people import PersonChanges
from tests.test_cli import kw_cli

PASTED = "x" * 12_000


def test_adding_or_renaming_to_a_pasted_text_is_refused_with_the_limit(kw: Knowwho) -> None:
    with pytest.raises(InvalidInput, match=r"^name: at most 300 characters \(this one has 12,000\)$"):
        kw.people.add(PASTED)
    ana = kw.people.add("Ana Lima")
    with pytest.raises(InvalidInput, match="at most 300 characters"):
        kw.people.edit(ana.id, PersonChanges(name=PASTED))
    assert kw.people.get(ana.id).display_name == "Ana Lima"
    assert kw.people.add("y" * MAX_NAME_LENGTH).display_name == "y" * MAX_NAME_LENGTH


def test_the_command_line_says_so_in_one_line(db_path: Path) -> None:
    code, _, err = kw_cli(db_path, "add", PASTED)
    assert code != 0 and err.strip().endswith("name: at most 300 characters (this one has 12,000)")
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    kw_cli(db_path, "add", "Ana Lima")
    code, _, err = kw_cli(db_path, "edit", "Ana Lima", "--name", PASTED)
    assert code != 0 and "at most 300 characters" in err


def test_an_import_keeps_the_person_with_the_start_of_the_name_and_says_so(kw: Knowwho, tmp_path: Path) -> None:
    card = tmp_path / "long.vcf"
    card.write_text(f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:{PASTED}\r\nEMAIL:long@example.org\r\nEND:VCARD\r\n")
    report = run_import(kw, "vcard", card)
    person = kw.people.resolve("long@example.org")
    assert len(person.display_name) == MAX_NAME_LENGTH and person.display_name.endswith("…")
    assert [p.message for p in report.problems] == ["longer than 300 characters: only its start is kept"]


def test_an_imported_name_with_control_characters_is_kept_on_one_clean_line(kw: Knowwho, tmp_path: Path) -> None:
    card = tmp_path / "escape.vcf"
    card.write_bytes(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\x1b[2JAna\x07Lima\r\nEMAIL:ana@example.org\r\nEND:VCARD\r\n")
    run_import(kw, "vcard", card)
    assert kw.people.resolve("ana@example.org").display_name == "[2JAna Lima"
