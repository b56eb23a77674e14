"""`knowwho demo`: fill the database with a realistic synthetic network to explore."""

from __future__ import annotations

from typing import Annotated

import typer

from knowwho.cli.app import SERVER, DbOption, JsonOption, app, print_json
from knowwho.cli.key_option import KeyFileOption, open_keyed
from knowwho.cli.render import console

STAGES = {
    "people": "generating people and three years of conversations",
    "indexing": "indexing for search",
    "scenes": "adding today's replies, follow-ups and interviews",
    "finishing": "finishing",
}


@app.command(rich_help_panel=SERVER)
def demo(
    people: Annotated[int, typer.Option("--people", "-n", help="How many people (50 to 1,000,000).")] = 1_000,
    seed: Annotated[int, typer.Option("--seed", help="Same seed, same network.")] = 1,
    force: Annotated[
        bool, typer.Option("--force", help="Add the demo even if the database already has people.")
    ] = False,
    workers: Annotated[
        int | None, typer.Option("--workers", help="Generator processes (default: by CPU count; 0: none).", min=0)
    ] = None,
    busyness: Annotated[
        float,
        typer.Option(
            "--busyness", help="Conversations per person, times a busy professional's (1); more for load tests."
        ),
    ] = 1.0,
    encrypt: Annotated[
        bool, typer.Option("--encrypt", help="Start the database encrypted (see `knowwho encrypt`).")
    ] = False,
    key_file: KeyFileOption = None,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Fill the database with a demo network: people, organizations, events, interviews and three years of history."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from knowwho.services.demo import check_size, generate_demo

    check_size(people, busyness)  # a refused size leaves no database file behind
    if encrypt:
        from knowwho.services.privacy import encrypt_if_plain
        from knowwho.storage import default_path

        encrypted = encrypt_if_plain(db or default_path(), key_file)
        if encrypted is not None and not as_json:
            from knowwho.cli.privacy import report_encrypted

            report_encrypted(encrypted)
    kw = open_keyed(db, key_file)
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn())
    with Progress(*columns, console=console, transient=True, disable=as_json or not console.is_terminal) as bar:
        task = bar.add_task(STAGES["people"], total=people)

        def progress(stage: str, done: int, total: int) -> None:
            bar.update(task, description=STAGES.get(stage, stage), completed=done, total=total)

        summary = generate_demo(
            kw, people=people, seed=seed, force=force, progress=progress, workers=workers, busyness=busyness
        )
    if as_json:
        print_json({"db": str(kw.db.path), **summary.to_dict()})
        return
    console.print(
        f"Demo network (seed {summary.seed}) in {kw.db.path}: {summary.people:,} people, "
        f"{summary.organizations:,} organizations, {summary.interactions:,} conversations, "
        f"{summary.events:,} events ({summary.seconds:.1f} s).",
        markup=False,
    )
    from knowwho.storage import default_path

    db_option = "" if kw.db.path == default_path() else f" --db {kw.db.path}"
    console.print(
        f"Next: `knowwho{db_option} today` for today's list, `knowwho{db_option} find QUERY` to search.", markup=False
    )
