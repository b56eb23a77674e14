"""`knowwho import KIND PATH`: bring contacts, conversations and calendars in."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from knowwho.cli.app import FILES, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console

if TYPE_CHECKING:
    from rich.progress import ProgressColumn

KINDS_HELP = "linkedin (export zip, folder or CSV), vcard, csv (Google/Outlook/generic), ics, mail (mbox, maildir, .eml), json (a knowwho export)."


@app.command("import", rich_help_panel=FILES)
def import_(
    kind: Annotated[str, typer.Argument(help=KINDS_HELP)],
    path: Annotated[Path, typer.Argument(help="The file or folder to import.")],
    me: Annotated[
        list[str] | None,
        typer.Option(
            "--me", help="One of your own email addresses (mail, ics), or your LinkedIn profile URL (linkedin)."
        ),
    ] = None,
    mapping: Annotated[
        list[str] | None, typer.Option("--map", help="Generic CSV: column=field, e.g. 'Full name=name'.")
    ] = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Import a LinkedIn export, vCards, a contacts CSV, a calendar, a mailbox, or a knowwho JSON export."""
    from rich.progress import Progress

    from knowwho.services.imports import run_import

    kw = open_app(db)
    options: dict[str, object] = {}
    if me:
        options["me"] = me
    if mapping:
        options["mapping"] = mapping
    with Progress(
        *_progress_columns(kind), console=console, transient=True, disable=as_json or not console.is_terminal
    ) as bar:
        task = bar.add_task(f"importing {path.name}", total=None)

        def progress(done: int, total: int | None) -> None:
            bar.update(task, completed=done, total=total)

        report = run_import(kw, kind, path, progress=progress, **options)
    if as_json:
        print_json(report.to_dict())
        return
    _print_report(report)


# Importers that report their progress in bytes read; the others count records.
_BY_BYTES = {"mail", "ics"}


def _progress_columns(kind: str) -> tuple[ProgressColumn, ...]:
    """Sizes a person reads: '9.4/233.6 MB at 41.2 MB/s', or '1,200/30,000 rows'."""
    from rich.progress import (
        BarColumn,
        DownloadColumn,
        MofNCompleteColumn,
        TextColumn,
        TimeElapsedColumn,
        TransferSpeedColumn,
    )

    if kind in _BY_BYTES:
        return (TextColumn("{task.description}"), BarColumn(), DownloadColumn(), TransferSpeedColumn(),
                TimeElapsedColumn())  # fmt: skip
    return (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TextColumn("records"),
            TimeElapsedColumn())  # fmt: skip


def _print_report(report: object) -> None:
    from knowwho.importers.base import ImportReport
    from knowwho.wording import plural

    assert isinstance(report, ImportReport)
    parts = [f"{report.added} added", f"{report.updated} updated", f"{report.merged} merged",
             f"{report.unchanged} unchanged"]  # fmt: skip
    if report.interactions_added or report.interactions_existing:
        parts.append(f"{report.interactions_added} conversations added ({report.interactions_existing} already here)")
    if report.knows_added:
        parts.append(f"{report.knows_added} acquaintances recorded")
    console.print("People: " + ", ".join(parts), markup=False, soft_wrap=True)
    for note in report.notes:
        console.print(f"Note: {note}", markup=False, soft_wrap=True)
    if report.skipped:
        reasons = ", ".join(f"{n} {reason}" for reason, n in report.skipped.most_common())
        console.print(f"Skipped: {reasons}", markup=False, soft_wrap=True)
    if report.problems:
        console.print(
            f"{plural(len(report.problems), 'problem')} (each says what was left out; the rest is in):",
            markup=False,
            soft_wrap=True,
        )
        for problem in report.problems[:20]:
            console.print(f"  {problem}", markup=False, soft_wrap=True)
        if len(report.problems) > 20:
            console.print(f"  … and {len(report.problems) - 20} more", markup=False, soft_wrap=True)
