"""The command line, through Typer's runner and as a real process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from knowwho.cli.app import COMMAND_MODULES, app, load_commands, run

runner = CliRunner()


def kw_cli(db: Path, *args: str) -> tuple[int, str, str]:
    """Run a command the way `knowwho` does (same error handling), capturing its output."""
    with runner.isolation() as streams:
        code = run(app, [*args, "--db", str(db)])
        out, err = streams[0].getvalue().decode(), streams[1].getvalue().decode()
    return code, out, err


def test_the_done_when_of_the_core_issue(db_path: Path) -> None:
    assert kw_cli(db_path, "add", "Ana Lima", "--email", "ana@lima.org")[0] == 0
    code, _, _ = kw_cli(db_path, "log", "ana", "--kind", "email", "--direction", "in", "--date", "3 days ago")
    assert code == 0
    code, out, _ = kw_cli(db_path, "today", "--json")
    items = json.loads(out)
    assert code == 0 and [(i["action"], i["person"]) for i in items] == [("reply", "Ana Lima")]
    assert {"number", "action", "person", "due", "reason"} <= set(items[0])
    kw_cli(db_path, "log", "ana", "--kind", "email", "--direction", "out")
    assert json.loads(kw_cli(db_path, "today", "--json")[1]) == []


def test_done_snooze_dismiss_act_on_listed_numbers(db_path: Path) -> None:
    for name in ("Ana Lima", "Bo Chen", "Cy Park"):
        kw_cli(db_path, "add", name)
        kw_cli(db_path, "log", name, "--kind", "email", "--direction", "in", "--date", "2 days ago")
    code, out, _ = kw_cli(db_path, "today")
    assert code == 0 and "Ana Lima" in out and "reply" in out
    assert kw_cli(db_path, "done", "1")[0] == 0
    assert kw_cli(db_path, "snooze", "2", "in 3 days")[0] == 0
    assert kw_cli(db_path, "dismiss", "3")[0] == 0
    assert json.loads(kw_cli(db_path, "today", "--json")[1]) == []
    code, _, err = kw_cli(db_path, "done", "7")
    assert code == 1 and "no item 7" in err


def test_user_mistakes_print_one_line_and_exit_non_zero(db_path: Path) -> None:
    kw_cli(db_path, "add", "Ana Lima")
    kw_cli(db_path, "add", "Ana Souza")
    cases = [
        (("log", "Nobody", "--kind", "email"), 1, "no person matches"),
        (("log", "Ana Lima", "--kind", "telepathy"), 2, "unknown kind"),
        (("log", "Ana Lima", "--kind", "email", "--date", "the twelfth of never"), 2, "cannot read the date"),
        (("show", "ana"), 2, "matches 2 people"),
        (("cadence", "Ana Lima", "often"), 2, "cannot read the duration"),
        (("undo",), 0, ""),
        (("show", "Ana Souza"), 1, "no person matches"),
    ]
    for args, code, message in cases:
        got, _, err = kw_cli(db_path, *args)
        assert got == code, args
        assert message in err and "Traceback" not in err, args


def test_show_find_edit_followup_cadence_rm_undo(db_path: Path) -> None:
    kw_cli(db_path, "add", "Ana Lima", "--org", "Acme", "--title", "CTO", "--tag", "ml", "--note", "aunt is a coach")
    kw_cli(db_path, "log", "Ana", "--kind", "coffee", "--note", "talked about robotics")
    code, out, _ = kw_cli(db_path, "show", "Ana")
    assert code == 0 and "CTO at Acme" in out and "talked about robotics" in out and "aunt is a coach" in out
    found = json.loads(kw_cli(db_path, "find", "robotics", "--json")[1])["hits"]
    assert [p["name"] for p in found] == ["Ana Lima"]
    assert kw_cli(db_path, "edit", "Ana", "--situation", "changing jobs", "--closeness", "4")[0] == 0
    shown = json.loads(kw_cli(db_path, "show", "Ana", "--json")[1])
    assert shown["situation"] == "changing jobs" and shown["closeness"] == 4
    assert kw_cli(db_path, "followup", "Ana", "2026-12-01", "--note", "send paper")[0] == 0
    assert kw_cli(db_path, "cadence", "Ana", "6w")[0] == 0
    assert json.loads(kw_cli(db_path, "show", "Ana", "--json")[1])["cadence_days"] == 42
    assert kw_cli(db_path, "rm", "Ana")[0] == 0
    assert kw_cli(db_path, "show", "Ana")[0] == 1
    assert kw_cli(db_path, "undo")[0] == 0
    assert kw_cli(db_path, "show", "Ana")[0] == 0


def test_every_command_has_help() -> None:
    import typer.main

    load_commands(["--help"])
    command = typer.main.get_command(app)
    names = list(command.commands)  # type: ignore[attr-defined]
    assert {"add", "log", "show", "find", "edit", "followup", "cadence", "today", "done", "snooze",
            "dismiss", "rm", "undo", "import"} <= set(names)  # fmt: skip
    for name in names:
        result = runner.invoke(app, [name, "--help"])
        assert result.exit_code == 0 and "Usage" in result.stdout, name
        assert command.commands[name].help, f"{name} has no help text"  # type: ignore[attr-defined]
    assert set(COMMAND_MODULES) <= set(names)


@pytest.mark.parametrize("entry", [["knowwho"], [sys.executable, "-m", "knowwho"]])
def test_a_real_process(tmp_path: Path, entry: list[str]) -> None:
    env = {**os.environ, "KNOWWHO_DB": str(tmp_path / "real.db")}
    exe = Path(sys.executable).parent / "knowwho"
    if entry == ["knowwho"]:
        if not exe.exists():
            pytest.skip("console script not installed")
        entry = [str(exe)]
    subprocess.run([*entry, "add", "Ana Lima"], env=env, check=True, capture_output=True)
    subprocess.run([*entry, "log", "Ana", "-k", "email", "-d", "in", "--date", "2 days ago"], env=env, check=True)
    done = subprocess.run([*entry, "--json"], env=env, check=True, capture_output=True, text=True)
    assert json.loads(done.stdout)[0]["action"] == "reply"
    bad = subprocess.run([*entry, "show", "Nobody"], env=env, capture_output=True, text=True)
    assert bad.returncode == 1 and bad.stderr.strip() == "knowwho: no person matches 'Nobody'"


def test_db_before_the_command_and_unknown_commands(db_path: Path) -> None:
    with runner.isolation() as streams:
        assert run(app, ["--db", str(db_path), "add", "Ana Lima"]) == 0
        assert run(app, ["--db", str(db_path), "show", "Ana"]) == 0
        assert "Ana Lima" in streams[0].getvalue().decode()
        assert run(app, ["no-such-command"]) == 2
        assert "Traceback" not in streams[1].getvalue().decode()


def test_the_command_list_shows_each_first_sentence_whole() -> None:
    with runner.isolation(env={"COLUMNS": "100"}) as streams:
        assert run(app, ["--help"]) == 0
        listing = " ".join(streams[0].getvalue().decode().split("Daily list:")[1].split())
    for whole in ("What to do today: replies owed, follow-ups, thank-yous, birthdays, re-engage, keep in touch.",
                  "Log someone you met at an event: one line per person;"):  # fmt: skip
        assert whole in listing
