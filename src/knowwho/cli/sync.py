"""`knowwho sync`: mail, calendars and address books flowing in by themselves.

`knowwho sync [NAME...]` runs the sources now; `sync add KIND NAME ...`,
`sync list` and `sync remove NAME` keep them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperGroup

from knowwho.cli.app import FILES, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console

if TYPE_CHECKING:
    from knowwho.core import Knowwho
    from knowwho.services.sync.runner import SyncOutcome


class RunByDefault(TyperGroup):
    """`knowwho sync` and `knowwho sync NAME...` run sources; only `add`, `list` and `remove` are subcommands."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h")):
            args = ["run", *args]
        result: list[str] = super().parse_args(ctx, args)
        return result


sync_app = typer.Typer(
    cls=RunByDefault,
    help="Sync mail, calendars and address books now: `knowwho sync [NAME...]`; keep sources with add, list, remove.",
)
app.add_typer(sync_app, name="sync", rich_help_panel=FILES)
add_app = typer.Typer(help="Add a source to sync from: imap, carddav or caldav.", no_args_is_help=True)
sync_app.add_typer(add_app, name="add")

NameArg = Annotated[str, typer.Argument(help="A short name for the source, e.g. work-mail.")]
UserOption = Annotated[str, typer.Option("--user", help="The account's user name (often its email address).")]
PasswordFileOption = Annotated[
    Path | None,
    typer.Option(
        "--password-file",
        help="A file holding the password (only its path is kept). Without it you are asked, and the keyring keeps it.",
        dir_okay=False,
    ),
]
CaFileOption = Annotated[
    Path | None,
    typer.Option(
        "--ca-file", help="Trust the server's certificate when it is signed by this CA (PEM).", dir_okay=False
    ),
]


@sync_app.command("run", hidden=True)
def sync_now(
    names: Annotated[list[str] | None, typer.Argument(help="The sources to sync (all when none are named).")] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Sync the named sources now (all of them when none are named)."""
    from knowwho.errors import SyncFailed

    kw = open_app(db)
    outcomes = _with_progress(kw, names or None, quiet=as_json)
    if as_json:
        print_json([outcome.to_dict() for outcome in outcomes])
    else:
        _print_outcomes(outcomes)
    if any(outcome.error for outcome in outcomes):
        raise typer.Exit(SyncFailed.exit_code)


def _with_progress(kw: Knowwho, names: list[str] | None, *, quiet: bool) -> list[SyncOutcome]:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from knowwho.services.sync.runner import run_sources

    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=quiet or not console.is_terminal) as bar:

        def progress_for(source: Any) -> Any:
            task = bar.add_task(f"syncing {source.name}", total=None)

            def progress(done: int, total: int | None) -> None:
                bar.update(task, completed=done, total=total)

            return progress

        return run_sources(kw, names, progress_for=progress_for)


def _print_outcomes(outcomes: list[SyncOutcome]) -> None:
    import sys

    if not outcomes:
        console.print("No sync sources yet: add one with `knowwho sync add imap NAME --host HOST --user USER`.",
                      markup=False, highlight=False)  # fmt: skip
    for outcome in outcomes:
        if outcome.error is not None:
            sys.stderr.write(f"knowwho: {outcome.error}\n")
            sys.stderr.flush()
            continue
        summary = outcome.summary
        assert summary is not None
        console.print(f"{outcome.source.name}: {summary.headline()}", markup=False, highlight=False, soft_wrap=True)
        for line in summary.lines:
            console.print(f"  {line}", markup=False, highlight=False, soft_wrap=True)
        for problem in summary.problems[:10]:
            console.print(f"  problem: {problem}", markup=False, highlight=False, soft_wrap=True)
        if len(summary.problems) > 10:
            console.print(f"  … and {len(summary.problems) - 10} more problems", markup=False, highlight=False)


@sync_app.command("list")
def sync_list(db: DbOption = None, as_json: JsonOption = False) -> None:
    """List the sources with where their password is, their last run and last error."""
    from knowwho.services.sync.kinds import SyncSummary
    from knowwho.services.sync.sources import password_kept

    kw = open_app(db)
    sources = kw.sync.list()
    if as_json:
        print_json([source.to_dict() for source in sources])
        return
    if not sources:
        console.print("No sync sources yet: add one with `knowwho sync add imap NAME --host HOST --user USER`.",
                      markup=False, highlight=False)  # fmt: skip
    for source in sources:
        last = "never run" if source.last_run_at is None else f"last run {source.last_run_at[:16]}"
        if source.last_summary and not source.last_error:
            last += ": " + SyncSummary.from_dict(source.last_summary).headline()
        console.print(
            f"{source.name}  {source.kind}  {source.where}  password: {password_kept(source)}  {last}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        if source.last_error:
            console.print(f"  last error: {source.last_error}", markup=False, highlight=False, soft_wrap=True)


@sync_app.command("remove")
def sync_remove(name: NameArg, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Remove a source (what it brought in stays; `knowwho undo` brings the source back)."""
    from knowwho.services.sync.sources import removed_message

    kw = open_app(db)
    source = kw.sync.remove(name)
    if as_json:
        print_json({"removed": source.to_dict(), "message": removed_message(source)})
        return
    console.print(removed_message(source), markup=False, highlight=False, soft_wrap=True)


def _add(
    db: Path | None,
    kind: str,
    name: str,
    password_file: Path | None,
    ca_file: Path | None,
    as_json: bool,
    **options: Any,
) -> None:
    """Add a source (the password asked for at the terminal unless a file holds it) and say where it is kept."""
    from knowwho.services.sync.sources import needs_password, password_kept

    kw = open_app(db)
    password = None
    if password_file is None:
        none = "" if needs_password(kind) else " (leave it empty if the server needs no login)"
        password = typer.prompt(f"Password for {name}{none}", hide_input=True, default="", show_default=False)
    source = kw.sync.add_source(kind, name, password_file=str(password_file) if password_file else None,
                                password=password, ca_file=str(ca_file) if ca_file else None, **options)  # fmt: skip
    if as_json:
        print_json({"added": source.to_dict(), "password": source.password_kept})
        return
    console.print(f"Added {kind} source {source.name} (password: {password_kept(source)}). "
                  f"Run it with: knowwho sync {source.name}", markup=False, highlight=False, soft_wrap=True)  # fmt: skip


@add_app.command("imap")
def add_imap(
    name: NameArg,
    host: Annotated[str, typer.Option("--host", help="The IMAP server, e.g. imap.fastmail.com.")],
    user: UserOption,
    port: Annotated[int | None, typer.Option("--port", help="Default 993 (TLS); another port uses STARTTLS.")] = None,
    password_file: PasswordFileOption = None,
    folders: Annotated[
        list[str] | None, typer.Option("--folder", help="A folder to read (default: INBOX and your Sent folder).")
    ] = None,
    since: Annotated[str | None, typer.Option("--since", help="Only mail from this day on, e.g. 2025-01-01.")] = None,
    known_only: Annotated[
        bool, typer.Option("--known-only", help="Only conversations with people already in knowwho.")
    ] = False,
    no_tls: Annotated[bool, typer.Option("--no-tls", help="Plain text: for a server on this machine only.")] = False,
    ca_file: CaFileOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add an IMAP mail account: headers of INBOX and Sent become conversations (bodies are never read)."""
    _add(db, "imap", name, password_file, ca_file, as_json, host=host, user=user, port=port, folders=folders,
         since=since, known_only=known_only, no_tls=no_tls)  # fmt: skip


DavUrlOption = Annotated[str, typer.Option("--url", help="The address of the collection (https://...).")]


@add_app.command("carddav")
def add_carddav(
    name: NameArg,
    url: DavUrlOption,
    user: UserOption,
    password_file: PasswordFileOption = None,
    push: Annotated[
        bool, typer.Option("--push", help="Also send people added in knowwho to the address book.")
    ] = False,
    ca_file: CaFileOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a CardDAV address book (a phone's contacts): new and changed cards update people."""
    _add(db, "carddav", name, password_file, ca_file, as_json, url=url, user=user, push=push)


@add_app.command("caldav")
def add_caldav(
    name: NameArg,
    url: DavUrlOption,
    user: UserOption,
    password_file: PasswordFileOption = None,
    me: Annotated[str | None, typer.Option("--me", help="Your address in the calendar's invitations.")] = None,
    ca_file: CaFileOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add a CalDAV calendar: meetings with attendees become conversations once they have happened."""
    _add(db, "caldav", name, password_file, ca_file, as_json, url=url, user=user, me=me)
