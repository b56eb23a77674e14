"""The Typer application, its shared options and its error handling."""

from __future__ import annotations

import gc
import json
import signal
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, TextIO

import typer
from typer.core import TyperGroup

from knowwho.errors import Ambiguous, KnowwhoError

if TYPE_CHECKING:
    from knowwho.core import Knowwho

# The panels of `knowwho --help`, in order; each command names its own (`rich_help_panel=`).
DAILY, PEOPLE, NETWORK, CAREER = "Daily list", "People and history", "Network and paths", "Career"
FILES, SERVER = "Import and export", "Server and data"
PANELS = (DAILY, PEOPLE, NETWORK, CAREER, FILES, SERVER)
INTERRUPTED = "knowwho: interrupted\n"  # Ctrl+C where the command had nothing more to say
FINISHED_WHEN_INTERRUPTED = "knowwho: interrupted as it ended; everything it did is saved\n"


class PanelGroup(TyperGroup):
    """Lists the commands under their panels, in plain text.

    Typer draws panels only in its Rich help, which the app leaves off (`rich_markup_mode=None`): help
    texts are plain, and the plain help is faster.
    """

    def format_commands(self, ctx: Any, formatter: Any) -> None:
        commands = [(name, self.commands[name]) for name in self.list_commands(ctx) if not self.commands[name].hidden]
        if not commands:
            return
        order = {name: n for n, name in enumerate(COMMAND_MODULES)}
        widest = max(len(name) for name, _command in commands)  # one column for all panels
        panels: dict[str, list[tuple[str, str]]] = {panel: [] for panel in PANELS}
        for name, command in sorted(commands, key=lambda named: order.get(named[0], len(order))):
            panel = getattr(command, "rich_help_panel", None) or "Commands"
            short = command.get_short_help_str(formatter.width - 6 - widest)
            panels.setdefault(panel, []).append((name.ljust(widest), short))
        for panel, rows in panels.items():
            if rows:
                with formatter.section(panel):
                    formatter.write_dl(rows)


app = typer.Typer(
    name="knowwho",
    help="Remember everyone you meet, and know what to do today. Run with no command for today's list.",
    cls=PanelGroup,
    no_args_is_help=False,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


def _enclosing(ctx: typer.Context, name: str) -> Any:
    """The value of option `name` given to the nearest enclosing command (`knowwho --db X opp add`)."""
    outer = ctx.parent
    while outer is not None:
        if outer.params.get(name):
            return outer.params[name]
        outer = outer.parent
    return None


def _db_in_effect(ctx: typer.Context, db: Path | None) -> Path | None:
    """The command's own --db, else the one before it; None leaves KNOWWHO_DB, then the data folder."""
    return db if db is not None else _enclosing(ctx, "db")


def _json_in_effect(ctx: typer.Context, as_json: bool) -> bool:
    return as_json or bool(_enclosing(ctx, "as_json"))


# Options shared by every command (declared once, used everywhere). Given before a command, they apply to it.
DbOption = Annotated[
    Path | None,
    typer.Option(
        "--db", callback=_db_in_effect, help="Database file (default: KNOWWHO_DB, else one in your data folder)."
    ),
]
JsonOption = Annotated[bool, typer.Option("--json", callback=_json_in_effect, help="Print JSON instead of a table.")]


def _key_file_in_effect(ctx: typer.Context, key_file: Path | None) -> Path | None:
    return key_file if key_file is not None else _enclosing(ctx, "key_file")


KeyFileOption = Annotated[
    Path | None,
    typer.Option(
        "--key-file",
        callback=_key_file_in_effect,
        help="A file holding the database's key (or set KNOWWHO_KEY_FILE); `encrypt` writes a new key there.",
        dir_okay=False,
    ),
]


def open_app(db: Path | None) -> Knowwho:
    from knowwho.core import Knowwho

    kw = Knowwho.open(db)
    if sys.stderr.isatty():
        notice = WaitNotice(sys.stderr, kw.db.path.name, kw.db.busy_timeout)
        kw.db.on_wait, kw.db.on_wait_over = notice.show, notice.erase
    return kw


class WaitNotice:
    """On a terminal, one line saying that a write waits for another program's, erased once the wait is over.

    Nothing stays behind: the command's output, or its one-line error, follows as if it had not waited.
    """

    def __init__(self, stream: TextIO, name: str, limit: float) -> None:
        self.stream, self.name, self.limit = stream, name, limit

    def show(self, waited: float) -> None:
        self._write(
            f"\rknowwho: another program is writing to {self.name}; waited {waited:.0f} s of {self.limit:g} s…\x1b[K"
        )

    def erase(self) -> None:
        self._write("\r\x1b[K")

    def _write(self, text: str) -> None:
        self.stream.write(text)
        self.stream.flush()


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")
    sys.stdout.flush()


def run(application: typer.Typer, argv: list[str] | None = None) -> int:
    """Run the app; user mistakes become one line on stderr and a meaningful exit code."""
    try:  # newer Typer releases carry their own copy of click
        from typer._click.exceptions import ClickException
    except ImportError:
        from click.exceptions import ClickException  # type: ignore[assignment]

    load_commands(argv)
    command = typer.main.get_command(application)
    _whole_first_sentences(command)
    _numbers_sqlite_holds(command)
    try:
        code = command.main(args=argv, prog_name="knowwho", standalone_mode=False)
    except KnowwhoError as error:
        report_error(error)
        return error.exit_code
    except sqlite3.OperationalError as error:
        from knowwho.storage.database import busy_error, busy_timeout, is_busy

        if not is_busy(error):
            raise
        report_error(busy_error(None, busy_timeout()))
        return 2
    except typer.Exit as done:
        return int(done.exit_code)
    except ClickException as error:
        error.show()
        return error.exit_code
    except typer.Abort:
        sys.stderr.write("Aborted.\n")
        return 130
    except KeyboardInterrupt:
        return _interrupted()
    # Without standalone mode Typer returns a command's exit code (Exit(n), or 130 for Ctrl+C) instead of exiting.
    if isinstance(code, int) and not isinstance(code, bool):
        if code == 130:
            sys.stderr.write(INTERRUPTED)
        return code
    return 0


def exit_status(command: Callable[[], int]) -> int:
    """Run a command in a process of its own, then end it so that Ctrl+C, even at its very end, is one line and 130.

    Python puts the default Ctrl+C handler back as it exits, before it frees what
    the command left: a Ctrl+C while the database was closed then (its write-ahead
    log folded in) ended the process by the signal, with no message. So Ctrl+C is
    held back from the command's end, what it left is freed here, and a Ctrl+C
    that came meanwhile is answered as any other. One in the last moments, while
    Python takes its modules down, stays held back: everything was done by then.
    """
    try:
        code = command()
        _hold_back_ctrl_c()
    except KeyboardInterrupt:  # between the command's end and the line above
        _hold_back_ctrl_c()
        code = _interrupted()
    gc.collect()  # the command's database and other leftovers, closed now rather than as Python exits
    if code == 0 and _ctrl_c_held_back():  # the command had done all it set out to
        code = _interrupted(FINISHED_WHEN_INTERRUPTED)
    return code


def _hold_back_ctrl_c() -> None:
    if hasattr(signal, "pthread_sigmask"):  # not on Windows, which has no signals to hold back
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})


def _ctrl_c_held_back() -> bool:
    return hasattr(signal, "sigpending") and signal.SIGINT in signal.sigpending()


def _interrupted(words: str = INTERRUPTED) -> int:
    sys.stderr.write(words)
    sys.stderr.flush()
    return 130


def _whole_first_sentences(group: Any) -> None:
    """The command list shows each command's first sentence whole, not cut at 45 characters with '...'."""
    for sub in getattr(group, "commands", {}).values():
        if not sub.short_help and sub.help:
            first = sub.help.strip().split("\n\n")[0].replace("\n", " ")
            sub.short_help = first.split(". ")[0].rstrip(".") + "."


def _numbers_sqlite_holds(command: Any) -> None:
    """Every whole-number argument and option refuses, in one line, a number too large for SQLite's integers.

    Numbers name list items, ids and limits; a longer one cannot be any of them, and
    SQLite would refuse it with an error of its own.
    """
    from knowwho.cli.numbers import sized

    for param in getattr(command, "params", []):
        param.type = sized(param.type)
    for sub in getattr(command, "commands", {}).values():
        _numbers_sqlite_holds(sub)


def report_error(error: KnowwhoError) -> None:
    sys.stderr.write(f"knowwho: {error}\n")
    if isinstance(error, Ambiguous):
        for candidate in error.candidates:
            sys.stderr.write(f"  {candidate}\n")
    sys.stderr.flush()


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        sys.stdout.write(f"knowwho {version('knowwho')}\n")
        raise typer.Exit()


VersionOption = Annotated[
    bool, typer.Option("--version", callback=_print_version, is_eager=True, help="Print the version and exit.")
]


@app.callback(invoke_without_command=True)
def default(
    ctx: typer.Context,
    db: DbOption = None,
    as_json: JsonOption = False,
    key_file: KeyFileOption = None,
    show_version: VersionOption = False,
) -> None:
    """Show today's list when no command is given."""
    if key_file is not None:  # `knowwho --key-file F COMMAND`: every database the command opens, opens with it
        from knowwho.services.privacy import key_file_named

        ctx.with_resource(key_file_named(key_file))
    if ctx.invoked_subcommand is None:
        from knowwho.cli.agenda import today

        today(db=db, as_json=as_json)


# Which module defines each command: a run imports (and Typer builds) only the
# module of the command it runs, which keeps every command's start-up fast.
COMMAND_MODULES = {
    "today": "agenda", "done": "agenda", "snooze": "agenda", "dismiss": "agenda",
    "add": "people", "show": "people", "find": "search", "people": "search", "edit": "people", "log": "people", "note": "people",
    "followup": "people", "cadence": "people", "rm": "people", "undo": "history", "history": "history",
    "unlog": "timeline",
    "opp": "opportunities", "opps": "opportunities", "ask": "outreach", "brief": "outreach",
    "knows": "network", "role": "network", "me": "me", "path": "network", "target": "network",
    "event": "events", "events": "events", "met": "events",
    "draft": "drafts", "template": "drafts", "templates": "drafts", "goal": "drafts",
    "intros": "intros", "intro": "intros", "share": "intros", "shared": "intros",
    "gave": "ledger", "got": "ledger", "advocates": "ledger",
    "import": "imports", "dupes": "dupes", "merge": "dupes",
    "sync": "sync",
    "export": "exports", "backup": "exports", "restore": "exports",
    "serve": "serve", "demo": "demo", "stats": "stats", "strength": "strength", "calibrate": "strength",
    "encrypt": "privacy", "decrypt": "privacy",
}  # fmt: skip
# Modules whose commands are not in the table above are loaded whenever all commands are.
EXTRA_MODULES: tuple[str, ...] = ()


def load_commands(argv: list[str] | None = None) -> None:
    """Register the commands `argv` needs: one module for a known command, else all (help, unknown)."""
    from importlib import import_module

    args = sys.argv[1:] if argv is None else argv
    first = _command_name(args)
    if first in COMMAND_MODULES:
        wanted = {COMMAND_MODULES[first]}
    elif (first is None or first.startswith("-")) and not {"--help", "-h"} & set(args):
        wanted = {"agenda"}  # plain `knowwho` shows today
    else:
        wanted = {*COMMAND_MODULES.values(), *EXTRA_MODULES}
    for module in sorted(wanted):
        import_module(f"knowwho.cli.{module}")


def _command_name(args: list[str]) -> str | None:
    """The first word that is not an option of the top level (`knowwho --db X import ...`)."""
    skip_next = False
    for arg in args:
        if skip_next:
            skip_next = False
        elif arg in {"--db", "--key-file"}:
            skip_next = True
        elif not arg.startswith("-"):
            return arg
    return None
