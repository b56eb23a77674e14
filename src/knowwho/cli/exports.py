"""Taking data out: `export json|vcard|csv|ics PATH`, `backup [PATH]` and `restore PATH`."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from knowwho.cli.app import FILES, SERVER, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.key_option import KeyFileOption, open_keyed
from knowwho.cli.render import console
from knowwho.wording import plural

export_app = typer.Typer(
    help="Write everything out: a JSON backup, vCards, a contacts CSV, or a reminders calendar.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(export_app, name="export", rich_help_panel=FILES)

PathArg = Annotated[Path, typer.Argument(help="The file to write (replaced if it exists).", dir_okay=False)]


@export_app.command("json")
def export_json(
    path: PathArg,
    encrypt_to: Annotated[
        list[str] | None,
        typer.Option(
            "--encrypt-to",
            metavar="RECIPIENT",
            help="Encrypt the file (age) for this public key: age1..., ssh-ed25519 ..., or a file of them. Repeatable.",
        ),
    ] = None,
    passphrase: Annotated[
        bool,
        typer.Option("--passphrase", help="Encrypt the file (age) under a passphrase (typed, or KNOWWHO_PASSPHRASE)."),
    ] = False,
    key_file: KeyFileOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Everything, as a JSON backup that `knowwho restore` (or `import json`) brings back exactly."""
    from knowwho.services.exports import export_json as run

    secret = None
    if passphrase:
        from knowwho.services.privacy import new_passphrase

        secret = new_passphrase()
    result = run(open_keyed(db, key_file), path, recipients=encrypt_to or (), passphrase=secret)
    _report(
        result.to_dict()
        if as_json
        else f"Wrote {plural(result.count, 'row')} of {plural(len(result.tables), 'table')} to {result.path}.",
        result.path,
    )


@export_app.command("vcard")
def export_vcard(
    path: PathArg,
    version: Annotated[str, typer.Option("--version", help="4.0 (default) or 3.0 for older phones.")] = "4.0",
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Your contacts as a .vcf file for a phone or an address book."""
    from knowwho.services.exports import export_vcard as run

    result = run(open_app(db), path, version=version)
    _report(
        result.to_dict() if as_json else f"Wrote {plural(result.count, 'contact')} ({result.kind}) to {result.path}.",
        result.path,
    )


@export_app.command("csv")
def export_csv(path: PathArg, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Your contacts as a CSV with Google Contacts' columns, one row per person."""
    from knowwho.services.exports import export_csv as run

    result = run(open_app(db), path)
    _report(result.to_dict() if as_json else f"Wrote {plural(result.count, 'contact')} to {result.path}.", result.path)


@export_app.command("ics")
def export_ics(path: PathArg, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Open follow-ups and reminders (to-dos) and upcoming events, for a calendar app."""
    from knowwho.services.exports import export_ics as run

    result = run(open_app(db), path)
    _report(
        result.to_dict() if as_json else f"Wrote {plural(result.count, 'calendar item')} to {result.path}.", result.path
    )


@export_app.command("network")
def export_network(path: PathArg, db: DbOption = None, as_json: JsonOption = False) -> None:
    """Who knows whom, for graph tools: every person and every tie, recorded or inferred (colleagues, mail
    threads, events, introductions), with its basis and confidence, as node-link JSON."""
    from knowwho.services.exports import export_network as run

    result = run(open_app(db), path)
    _report(
        result.to_dict() if as_json else f"Wrote the network with {plural(result.count, 'tie')} to {result.path}.",
        result.path,
    )


@app.command(rich_help_panel=SERVER)
def backup(
    path: Annotated[
        Path | None,
        typer.Argument(help="Where to write the copy (a file or a folder); default: beside the database."),
    ] = None,
    key_file: KeyFileOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Copy the database safely, even while knowwho is running (SQLite online backup).

    The copy of an encrypted database is encrypted with the same key.
    """
    from knowwho.services.exports import backup as run

    result = run(open_keyed(db, key_file), path)
    _report(result.to_dict() if as_json else f"Backed up to {result.path} ({_size(result.count)}).", result.path)


@app.command(rich_help_panel=SERVER)
def restore(
    path: Annotated[Path, typer.Argument(help="A JSON backup written by `knowwho export json`.")],
    identity: Annotated[
        Path | None,
        typer.Option(
            "--identity", help="For a backup encrypted with --encrypt-to: the file of the matching secret key."
        ),
    ] = None,
    key_file: KeyFileOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Bring back a JSON backup into a new, empty database (use --db to choose it).

    An encrypted backup asks for its passphrase (or KNOWWHO_PASSPHRASE), or reads the key in --identity.
    """
    from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

    from knowwho.services.exports import restore_json

    kw = open_keyed(db, key_file)
    columns = (SpinnerColumn(), TextColumn("{task.description}: {task.completed:,} rows"), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=as_json or not console.is_terminal) as bar:
        task = bar.add_task(f"restoring {path.name}", total=None)
        result = restore_json(
            kw, path, progress=lambda done, _total: bar.update(task, completed=done), identity=identity
        )
    if as_json:
        print_json(result.to_dict())
        return
    people = result.tables.get("people", 0)
    console.print(f"Restored {result.count} rows ({people} people) into {kw.db.path}.", markup=False)


def _report(message: object, written: Path) -> None:
    """What was written, on stdout; on stderr when the data itself went to stdout (or another pipe)."""
    from knowwho.exporters import is_stream

    if is_stream(written):
        text = message if isinstance(message, str) else json.dumps(message, ensure_ascii=False, default=str)
        sys.stderr.write(f"{text}\n")
        sys.stderr.flush()
    elif isinstance(message, str):
        console.print(message, markup=False)
    else:
        print_json(message)


def _size(count: int) -> str:
    size = float(count)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{size:.0f} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{count} bytes"
