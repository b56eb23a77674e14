"""The command line for fixing the history: numbered timeline, unlog, log --edit, note --edit/--delete, undo."""

from __future__ import annotations

import json
from pathlib import Path

from tests.importers.helpers import cli


def _setup(db: Path) -> None:
    assert cli(db, "add", "Ana Lima", "--email", "ana@lima.org")[0] == 0
    assert cli(db, "add", "Bo Rell")[0] == 0
    assert cli(db, "log", "ana", "--kind", "coffee", "--date", "2026-11-02", "--note", "talked jobs")[0] == 0
    assert cli(db, "log", "ana", "--kind", "email", "--direction", "in", "--date", "3 days ago")[0] == 0
    assert cli(db, "note", "ana", "likes [bold]climbing[/bold]")[0] == 0


def _shown(db: Path) -> dict[str, object]:
    code, out, _ = cli(db, "show", "ana", "--json")
    assert code == 0
    data: dict[str, object] = json.loads(out)
    return data


def _today(db: Path) -> list[str]:
    return [item["action"] for item in json.loads(cli(db, "today", "--json")[1])]


def test_show_numbers_conversations_and_notes(db_path: Path) -> None:
    _setup(db_path)
    code, out, _ = cli(db_path, "show", "ana")
    assert code == 0
    assert "#2  2026-11-15" in out and "#1  2026-11-02" in out
    assert "#1" in out.split("Notes")[1] and "likes [bold]climbing[/bold]" in out  # user text printed as typed
    assert [n["id"] for n in _shown(db_path)["notes"]] == [1]  # type: ignore[index]


def test_unlog_then_undo(db_path: Path) -> None:
    _setup(db_path)
    assert _today(db_path) == ["reply"]
    code, out, _ = cli(db_path, "unlog", "2")
    assert code == 0 and "Deleted the email with Ana Lima on 2026-11-15" in out
    shown = _shown(db_path)
    assert [i["id"] for i in shown["interactions"]] == [1]  # type: ignore[index]
    assert str(shown["last_interaction_at"]).startswith("2026-11-02")
    assert _today(db_path) == []
    code, out, _ = cli(db_path, "undo")
    assert code == 0 and "deleted the email with Ana Lima" in out
    assert [i["id"] for i in _shown(db_path)["interactions"]] == [2, 1]  # type: ignore[index]
    assert _today(db_path) == ["reply"]


def test_log_edit_changes_only_what_is_given(db_path: Path) -> None:
    _setup(db_path)
    code, out, _ = cli(db_path, "log", "--edit", "1", "--kind", "call", "--date", "2026-11-10", "--subject", "jobs")
    assert code == 0 and "Edited the coffee with Ana Lima on 2026-11-02" in out
    first = next(i for i in _shown(db_path)["interactions"] if i["id"] == 1)  # type: ignore[union-attr]
    assert (first["kind"], first["at"][:10], first["subject"], first["notes"]) == ("call", "2026-11-10", "jobs",
                                                                                   "talked jobs")  # fmt: skip
    assert str(_shown(db_path)["last_interaction_at"]).startswith("2026-11-15")
    code, out, _ = cli(db_path, "log", "--edit", "2", "--direction", "out", "--json")
    assert code == 0 and json.loads(out)["direction"] == "out"
    assert _today(db_path) == []  # the email now went out: no reply owed
    assert cli(db_path, "undo")[0] == 0 and _today(db_path) == ["reply"]


def test_note_edit_and_delete_keep_the_old_form(db_path: Path) -> None:
    _setup(db_path)
    code, out, _ = cli(db_path, "note", "ana", "--edit", "1", "likes bouldering")
    assert code == 0 and "Edited a note on Ana Lima" in out
    assert cli(db_path, "note", "--edit", "1", "likes bouldering a lot")[0] == 0
    assert [n["body"] for n in _shown(db_path)["notes"]] == ["likes bouldering a lot"]  # type: ignore[index]
    code, _, err = cli(db_path, "note", "bo", "--delete", "1")
    assert code == 2 and "note #1 is not on Bo Rell" in err
    code, out, _ = cli(db_path, "note", "--delete", "1")
    assert code == 0 and "Deleted a note on Ana Lima" in out
    assert _shown(db_path)["notes"] == []
    assert cli(db_path, "undo")[0] == 0
    assert [n["body"] for n in _shown(db_path)["notes"]] == ["likes bouldering a lot"]  # type: ignore[index]
    assert cli(db_path, "note", "ana", "still adding notes")[0] == 0  # the usual form works as before
    assert len(_shown(db_path)["notes"]) == 2  # type: ignore[arg-type]


def test_mistakes_get_one_line(db_path: Path) -> None:
    _setup(db_path)
    cases = [
        (("unlog", "99"), 1, "no conversation #99"),
        (("log", "--edit", "1"), 2, "say what to change"),
        (("log", "--edit", "1", "ana", "--kind", "call"), 2, "give no person"),
        (("log", "--edit", "1", "--opp", "3"), 2, "not --opp; log a new conversation"),
        (("log", "--edit", "1", "--kind", "telepathy"), 2, "unknown kind"),
        (("log", "--edit", "1", "--date", "in 3 days"), 2, "future"),
        (("log", "ana"), 2, "--kind"),
        (("log", "--kind", "coffee"), 2, "with whom"),
        (("note", "ana"), 2, "give the person and the note"),
        (("note", "--edit", "1"), 2, "new text"),
        (("note", "--edit", "1", "--delete", "1", "x"), 2, "not both"),
        (("note", "--edit", "42", "x"), 1, "no note #42"),
    ]
    for args, code, message in cases:
        got, out, err = cli(db_path, *args)
        assert (got, message in err) == (code, True), (args, out, err)
        assert "Traceback" not in err and err.count("\n") == 1
