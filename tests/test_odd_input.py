"""Odd input a new user types or pastes: each is one line on stderr and a usage exit status, never a traceback."""

from __future__ import annotations

import base64
import contextlib
import json
import os
import threading
from pathlib import Path

import pytest

from tests.test_cli import kw_cli

HUGE = "99999999999999999999"  # more than SQLite's integers hold


@pytest.mark.parametrize(
    "args",
    [
        ("show", f"#{HUGE}"),
        ("show", "#²"),  # a digit to str.isdigit(), not to int()
        ("path", "--org", f"#{HUGE}"),
        ("path", "--org", "#²"),
        ("event", "show", "²"),
        ("event", "show", f"#{HUGE}"),
    ],
)
def test_an_id_no_record_can_have_is_not_found(db_path: Path, args: tuple[str, ...]) -> None:
    kw_cli(db_path, "add", "Ana Lima", "--org", "Acme")
    code, _, err = kw_cli(db_path, *args)
    assert code in (1, 2) and "Traceback" not in err and err.startswith("knowwho: no ")


def test_an_introduction_number_that_is_no_number_is_refused(db_path: Path) -> None:
    code, _, err = kw_cli(db_path, "intro", "#²", "--stage", "made")
    assert code == 2 and err == "knowwho: --stage takes one introduction number: knowwho intro 3 --stage made\n"


@pytest.mark.parametrize(
    "args",
    [
        ("done", HUGE),
        ("snooze", HUGE, "tomorrow"),
        ("dismiss", HUGE),
        ("draft", HUGE),
        ("undo", HUGE),
        ("unlog", HUGE),
        ("history", "--limit", HUGE),
        ("note", "--delete", HUGE),
        ("log", "--edit", HUGE, "--note", "x"),
        ("opp", "show", HUGE),
        ("shared", HUGE, "Ana Lima"),
    ],
)
def test_a_number_too_large_for_any_id_is_a_usage_error(db_path: Path, args: tuple[str, ...]) -> None:
    kw_cli(db_path, "add", "Ana Lima")
    code, _, err = kw_cli(db_path, *args)
    assert code == 2 and "Traceback" not in err and f"{HUGE} is too large a number" in err


def test_the_largest_id_sqlite_holds_is_still_looked_up(db_path: Path) -> None:
    code, _, err = kw_cli(db_path, "done", str(2**63 - 1))
    assert code == 1 and "no item 9223372036854775807" in err


def test_a_columns_setting_of_odd_digits_is_ignored(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "²")
    code, out, err = kw_cli(db_path, "today")
    assert code == 0 and err == "" and "Nothing to do today" in out


VCARD = b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana Lima\r\nEMAIL:ana@lima.org\r\nEND:VCARD\r\n"
CONNECTIONS = b"First Name,Last Name,Email Address,Company,Position,Connected On\r\nAna,Lima,ana@lima.org,Acme,CTO,01 Jan 2024\r\n"


@pytest.mark.parametrize(("kind", "content"), [("vcard", VCARD), ("linkedin", CONNECTIONS), ("mail", b"From x\n")])
def test_an_import_from_a_pipe_is_refused_in_one_line(db_path: Path, tmp_path: Path, kind: str, content: bytes) -> None:
    """`knowwho import vcard <(curl ...)`: a pipe can be read once only, so the importers' two passes cannot work."""
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)

    def write() -> None:
        with contextlib.suppress(BrokenPipeError):  # the reader may close it unread: the import refused it
            pipe.write_bytes(content)

    writer = threading.Thread(target=write)
    writer.start()
    try:
        code, _, err = kw_cli(db_path, "import", kind, str(pipe), "--me", "me@example.org")
    finally:
        os.close(os.open(pipe, os.O_RDONLY | os.O_NONBLOCK))  # lets the writer go if nothing read the pipe
        writer.join(timeout=10)
    assert code == 2 and "Traceback" not in err
    assert err == f"knowwho: {pipe}: not a file but a pipe or a device; save it to a file and import that\n"


@pytest.mark.parametrize(
    ("args", "code"),
    [(("path", "--org"), 1), (("path", "--field"), 1), (("event", "show"), 1), (("met", "Bo Chen", "--at"), 1)],
)
def test_a_pasted_text_as_a_name_to_look_for_matches_nothing(db_path: Path, args: tuple[str, ...], code: int) -> None:
    """SQLite's LIKE refuses patterns over 50,000 bytes; a search must still answer."""
    kw_cli(db_path, "add", "Ana Lima", "--org", "Acme", "--title", "CTO")
    kw_cli(db_path, "event", "add", "PyCon 2026", "--date", "2026-05-01")
    pasted = "x" * 60_000
    status, _, err = kw_cli(db_path, *args, pasted)
    assert status == code and "Traceback" not in err and "pattern too complex" not in err


def test_names_are_still_found_by_a_part_in_any_case_and_percent_is_a_character(db_path: Path) -> None:
    kw_cli(db_path, "add", "Ana Lima", "--org", "Acme 100% Labs", "--title", "Chief Technology Officer")
    assert kw_cli(db_path, "path", "--org", "100%")[0] == 0
    assert kw_cli(db_path, "path", "--org", "10_%")[0] == 1
    assert "Ana Lima" in kw_cli(db_path, "path", "--field", "TECHNOLOGY")[1]


def test_a_word_pasted_many_times_is_searched_once(db_path: Path) -> None:
    """Each word is one more scan of the index: 30,000 copies of a word took minutes."""
    from knowwho.storage.search import match_expression

    assert match_expression("ana ana LIMA ana lima") == '"ana"* "LIMA"*'
    kw_cli(db_path, "add", "Ana Lima")
    code, out, _ = kw_cli(db_path, "find", "ana " * 20_000)
    assert code == 0 and "Ana Lima" in out


def test_control_characters_in_stored_text_never_reach_the_terminal(db_path: Path) -> None:
    """A vCard's name or a pasted note can hold escape sequences: printed, they would restyle or clear the terminal."""
    kw_cli(db_path, "add", "Eve\x1b[31mRed\x9b2J", "--org", "Org\x1b]0;new title\x07")
    kw_cli(db_path, "note", "Eve", "see\x1b[2J this")
    for command in (("people",), ("show", "#1"), ("find", "eve"), ("history",)):
        code, out, _ = kw_cli(db_path, *command)
        # the name's are made spaces as it is stored; the organization's and the note's are left out as printed
        assert code == 0 and "Eve [31mRed 2J" in out and "\x1b" not in out and "\x9b" not in out, command


def test_demo_and_restore_piped_start_with_their_summary_not_a_blank_line(db_path: Path, tmp_path: Path) -> None:
    code, out, _ = kw_cli(db_path, "demo", "--people", "50")
    assert code == 0 and out.startswith("Demo network (seed 1)")
    backup = tmp_path / "backup.json"
    assert kw_cli(db_path, "export", "json", str(backup))[0] == 0
    code, out, _ = kw_cli(tmp_path / "restored.db", "restore", str(backup))
    assert code == 0 and out.startswith("Restored ")


@pytest.mark.parametrize("cursor", [[1, 10**20], [10**20, 1], ["a", -(10**20)]])
def test_a_page_link_with_numbers_beyond_sqlite_is_out_of_date(db_path: Path, cursor: list[object]) -> None:
    kw_cli(db_path, "add", "Ana Lima")
    text = base64.urlsafe_b64encode(json.dumps(cursor).encode()).decode().rstrip("=")
    for sort in ("name", "recent", "overdue"):
        code, _, err = kw_cli(db_path, "people", "--sort", sort, "--cursor", text)
        assert code == 2 and err == "knowwho: this page link is out of date; start again from the first page\n"


def test_a_demo_of_a_size_it_cannot_make_leaves_no_database_behind(tmp_path: Path) -> None:
    target = tmp_path / "tiny.db"
    code, _, err = kw_cli(target, "demo", "--people", "5")
    assert code == 2 and err == "knowwho: a demo network has 50 to 1,000,000 people\n"
    assert not target.exists()
