"""Options given before a command (`knowwho --db X --json COMMAND`) and which database wins."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import typer.main

from knowwho.cli.app import app, load_commands
from knowwho.core import Knowwho
from knowwho.errors import KnowwhoError
from tests.importers.helpers import cli, run_argv

OPENED = 99


class _Opened(KnowwhoError):
    """Stops a command as it opens a database, once the path it chose is recorded."""

    exit_code = OPENED


@pytest.fixture(autouse=True)
def _own_data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A data folder of the test's own: a command that ignored --db would create its database here."""
    folder = tmp_path / "data-home"
    monkeypatch.setenv("XDG_DATA_HOME", str(folder))
    monkeypatch.delenv("KNOWWHO_DB", raising=False)
    return folder


def _commands(group: Any, path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    """Every command that runs something, nested or not, with the words that reach it."""
    for name, command in group.commands.items():
        if hasattr(command, "commands"):
            if command.invoke_without_command:
                yield (*path, name), command
            yield from _commands(command, (*path, name))
        else:
            yield (*path, name), command


# What a command needs beyond its required parameters to reach the database.
_MORE = {("me", "set"): ["--name", "Ana"], ("serve",): ["--port", "0"]}


def _enough_args(path: tuple[str, ...], command: Any, a_file: Path) -> list[str]:
    """A value of the right type for each required parameter: enough to reach the database."""
    args = list(_MORE.get(path, []))
    for param in command.params:
        if param.required:
            kind = param.type.name.lower()
            value = "1" if kind.startswith(("int", "float")) else str(a_file) if "path" in kind else "x"
            args += [value] if param.param_type_name == "argument" else [param.opts[0], value]
    return args


def test_every_command_opens_the_database_the_options_name(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--db` before any command, nested (opp, event, me, template, export...) or not, beats KNOWWHO_DB; the
    command's own `--db` beats both."""
    opened: list[str] = []

    def record(path: Path | str | None) -> None:
        opened.append(str(path))
        raise _Opened("opened")

    monkeypatch.setattr(Knowwho, "open", classmethod(lambda _cls, path=None, **_options: record(path)))
    monkeypatch.setattr("knowwho.web.app.create_app", lambda path, **_options: record(path))
    for rewrite in ("encrypt", "decrypt"):  # these rewrite the file itself rather than open it
        monkeypatch.setattr(f"knowwho.services.privacy.{rewrite}", lambda path, _key_file=None: record(path))
    monkeypatch.setenv("KNOWWHO_DB", str(tmp_path / "env.db"))
    a_file = tmp_path / "file.txt"
    a_file.write_text("x\n", encoding="utf-8")
    top, own = str(tmp_path / "top.db"), str(tmp_path / "own.db")
    load_commands(["--help"])
    commands = list(_commands(typer.main.get_command(app)))
    for path, command in commands:
        args = [*path, *_enough_args(path, command, a_file)]
        for argv, chosen in ((["--db", top, *args], top), (["--db", top, *args, "--db", own], own)):
            opened.clear()
            code, _out, err = run_argv(argv)
            assert (code, opened) == (OPENED, [chosen]), (argv, err)
    walked = {" ".join(path) for path, _command in commands}
    assert {"today", "opp add", "event add", "me", "me set", "me role", "me roles", "me update", "template list",
            "template edit", "export json", "export csv", "serve", "demo", "restore", "encrypt"} <= walked  # fmt: skip


def test_every_command_prints_json_after_a_json_before_it(tmp_path: Path) -> None:
    """`knowwho --json COMMAND` is `knowwho COMMAND --json`, nested commands included."""
    a_file = tmp_path / "file.txt"
    load_commands(["--help"])
    root = typer.main.get_command(app)
    checked = []
    for path, command in _commands(root):
        if "as_json" not in {p.name for p in command.params}:
            continue
        ctx = root.make_context("knowwho", ["--json"])
        for word in path[:-1]:
            ctx = ctx.command.commands[word].make_context(word, [], parent=ctx, resilient_parsing=True)
        ctx = command.make_context(path[-1], _enough_args(path, command, a_file), parent=ctx)
        assert ctx.params["as_json"] is True, path
        checked.append(" ".join(path))
    assert {"people", "opp list", "event list", "me", "me roles", "template list", "export json"} <= set(checked)


def test_options_before_a_grouped_command_reach_it(tmp_path: Path, _own_data_folder: Path) -> None:
    """The README's and `make run`'s form: `knowwho --db demo.db COMMAND`, here with a JSON backup of it."""
    demo = str(tmp_path / "demo.db")
    assert run_argv(["--db", demo, "add", "Ana Lima"])[0] == 0
    assert run_argv(["--db", demo, "opp", "add", "Acme", "Data lead", "--person", "Ana Lima:referrer"])[0] == 0
    assert run_argv(["--db", demo, "event", "add", "PyCon", "--date", "2026-11-20"])[0] == 0
    assert run_argv(["--db", demo, "me", "set", "--name", "Sam Doe"])[0] == 0
    code, out, _err = run_argv(["--db", demo, "--json", "opp", "list"])
    assert code == 0 and json.loads(out)[0]["people"][0]["name"] == "Ana Lima"
    assert json.loads(run_argv(["--db", demo, "--json", "me"])[1])["name"] == "Sam Doe"
    assert [e["name"] for e in json.loads(run_argv(["--json", "--db", demo, "event", "list"])[1])] == ["PyCon"]
    backup = tmp_path / "x.json"
    code, out, _err = run_argv(["--db", demo, "--json", "export", "json", str(backup)])
    assert code == 0 and json.loads(out)["count"] > 0
    assert [p["display_name"] for p in json.loads(backup.read_text())["tables"]["people"]] == ["Ana Lima"]
    assert not _own_data_folder.exists()


def test_an_option_beats_knowwho_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("KNOWWHO_DB", str(tmp_path / "env.db"))
    cli(tmp_path / "mine.db", "add", "Ana Lima")
    assert json.loads(run_argv(["people", "--json"])[1])["total"] == 0
    assert json.loads(run_argv(["--db", str(tmp_path / "mine.db"), "people", "--json"])[1])["total"] == 1


def test_the_command_list_is_in_panels_and_help_stays_light() -> None:
    """`knowwho --help` groups the commands (each once, under its panel, in order) without loading the web
    framework, vCard or graph libraries."""
    import subprocess
    import sys

    shown = subprocess.run(
        [sys.executable, "-c", "import sys; from knowwho.cli import main\ntry: main(['--help'])\nexcept SystemExit: "
         "print(' '.join(m for m in ('fastapi', 'uvicorn', 'vobject', 'networkx') if m in sys.modules))"],
        capture_output=True, text=True, check=True, env={**os.environ, "COLUMNS": "80"},
    ).stdout  # fmt: skip
    listing, loaded = shown.split("Options:")[1].rsplit("\n", 2)[0], shown.rsplit("\n", 2)[1]
    assert loaded == ""
    headings = [line[:-1] for line in listing.splitlines() if line and not line.startswith(" ")]
    assert headings == ["Daily list", "People and history", "Network and paths", "Career", "Import and export",
                        "Server and data"]  # fmt: skip
    panels = {h: _names(section) for h, section in zip(headings, listing.split(":\n")[1:], strict=True)}
    load_commands(["--help"])
    everything = list(typer.main.get_command(app).commands)  # type: ignore[attr-defined]
    assert sorted(name for names in panels.values() for name in names) == sorted(everything)
    assert {"today", "done", "draft", "goal"} <= set(panels["Daily list"]) and "serve" in panels["Server and data"]
    assert {"opp", "opps"} <= set(panels["Career"]) and {"event", "events"} <= set(panels["People and history"])


def _names(section: str) -> list[str]:
    """The command names of a panel of `--help` (the words at the start of its unwrapped lines)."""
    return [line.split()[0] for line in section.splitlines() if line.startswith("  ") and line[2] != " "]


@pytest.mark.parametrize(("listing", "old_form"), [("opps", "opp list"), ("events", "event list"),
                                                   ("templates", "template list"), ("people", "people")])  # fmt: skip
def test_every_listing_is_one_plural_word_and_the_old_forms_still_work(
    db_path: Path, listing: str, old_form: str
) -> None:
    cli(db_path, "opp", "add", "Acme", "Data lead")
    cli(db_path, "event", "add", "PyCon", "--date", "2026-11-20")
    cli(db_path, "add", "Ana Lima")
    code, out, _err = cli(db_path, listing, "--json")
    assert code == 0 and json.loads(out)
    assert cli(db_path, *old_form.split(), "--json")[1] == out
    assert cli(db_path, listing)[1] == cli(db_path, *old_form.split())[1]


def test_every_limit_is_dash_n_and_at_least_one(db_path: Path) -> None:
    """`-n` pages every listing alike (`path` also keeps `-k`); a limit of 0 or less is refused, not read as
    "nothing here"."""
    load_commands(["--help"])
    limits = {
        path: param
        for path, command in _commands(typer.main.get_command(app))
        for param in command.params
        if param.name == "limit"
    }
    assert len(limits) >= 7
    for path, param in limits.items():
        assert "-n" in param.opts, path
        assert getattr(param.type, "min", None) == 1, path
    code, _out, err = cli(db_path, "history", "-n", "0")
    assert code == 2 and "'--limit' / '-n': 0 is not in the range" in err
