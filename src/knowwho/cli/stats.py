"""`knowwho stats`: the weeks behind you against your goals, and the shape of your network."""

from __future__ import annotations

from dataclasses import asdict
from typing import Annotated

import typer

from knowwho.cli.app import SERVER, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console


@app.command(rich_help_panel=SERVER)
def stats(
    weeks: Annotated[int, typer.Option("--weeks", min=1, max=104, help="How many weeks back.")] = 12,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """Your weeks against your weekly goals, and your network by tie and organization (as on the Stats page)."""
    from rich.markup import escape
    from rich.table import Table

    from knowwho.services.stats import StatsService

    kw = open_app(db)
    overview = StatsService(kw.ctx).overview(weeks=weeks)
    goals, progress = kw.goals.get(), kw.goals.progress()
    if as_json:
        print_json({
            "goals": asdict(goals), "this_week": progress.to_dict() if progress else None,
            "weeks": [asdict(w) | {"starts_on": w.starts_on.isoformat()} for w in overview.weeks],
            "by_tier": dict(overview.by_tier),
            "by_organization": [{"id": i, "name": n, "people": c} for i, n, c in overview.by_organization],
        })  # fmt: skip
        return
    if progress:
        console.print(escape(progress.line()))
    table = Table(box=None, pad_edge=False, show_edge=False)
    for column in ("week of", "conversations", "new people", "follow-ups due", "on time"):
        table.add_column(column, justify="left" if column == "week of" else "right")
    for week in overview.weeks:
        talks = f"{week.conversations:,}" + (
            " ✓" if goals.conversations and week.conversations >= goals.conversations else ""
        )
        met = f"{week.new_people:,}" + (" ✓" if goals.new_people and week.new_people >= goals.new_people else "")
        table.add_row(
            week.starts_on.strftime("%b %d"), talks, met, str(week.followups_due), str(week.followups_on_time)
        )
    console.print(table)
    tiers = ", ".join(f"{n:,} {tier}" for tier, n in overview.by_tier)
    console.print(f"Ties: {tiers}")
    if overview.by_organization:
        top = ", ".join(f"{escape(name)} {n:,}" for _i, name, n in overview.by_organization[:5])
        console.print(f"Most people at: {top}")
    if not goals.any:
        console.print("[dim]Set weekly goals with `knowwho goal --conversations 3 --new-people 2`.[/dim]")
