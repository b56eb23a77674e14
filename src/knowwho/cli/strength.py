"""Tie strength: why a tie is as strong as it is, and fitting the score to your own ratings."""

from __future__ import annotations

from typing import Annotated

import typer

from knowwho.cli.app import PEOPLE, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console


@app.command(rich_help_panel=PEOPLE)
def strength(
    person: Annotated[str, typer.Argument(help="A name, part of a name, an email or #id.")],
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """How strong a tie is, part by part: each part (0-1) times its weight adds to the score."""
    from rich.markup import escape

    from knowwho.services.calibration import CalibrationService

    kw = open_app(db)
    found = kw.people.resolve(person)
    tie = kw.people.detail(found.id, interactions=0).tie
    weights = CalibrationService(kw.ctx).weights()
    if as_json:
        print_json({"id": found.id, "name": found.display_name, "score": tie.score, "tier": tie.tier,
                    "parts": tie.parts, "weights": weights})  # fmt: skip
        return
    console.print(f"[bold]{escape(found.display_name)}[/bold]  #{found.id}  ·  {tie.tier} tie ({tie.score:.2f})")
    for name, weight in weights.items():
        value = tie.parts.get(name, 0.0)
        console.print(f"  {name:<13} {value:4.2f} × {weight:.3f} = {value * weight:.3f}")
    if "closeness" in tie.parts:
        console.print(f"  {'closeness':<13} {tie.parts['closeness']:4.2f}   your rating is half of the score")


@app.command(rich_help_panel=PEOPLE)
def calibrate(
    db: DbOption = None,
    reset: Annotated[bool, typer.Option("--reset", help="Go back to the default weights.")] = False,
    as_json: JsonOption = False,
) -> None:
    """Fit tie strength's weights to your closeness ratings (needs 20 or more rated people)."""
    from knowwho.services.calibration import CalibrationService

    service = CalibrationService(open_app(db).ctx)
    if reset:
        weights = service.reset()
        if as_json:
            print_json({"reset": True, "weights": weights})
        else:
            console.print("Tie strength uses its default weights again; everyone's strength was recomputed.")
        return
    result = service.calibrate()
    if as_json:
        print_json({"ratings": result.ratings, "agreement_before": round(result.agreement_before, 4),
                    "agreement_after": round(result.agreement_after, 4), "applied": result.applied,
                    "weights": result.weights})  # fmt: skip
        return
    console.print(
        f"Agreement with your {result.ratings} ratings: {result.agreement_before:.0%} before, "
        f"{result.agreement_after:.0%} with fitted weights."
    )
    if result.applied:
        console.print("Fitted weights saved and everyone's strength recomputed (`knowwho undo` takes it back):")
        for name, weight in result.weights.items():
            console.print(f"  {name:<13} {weight:.3f}")
    else:
        console.print("The fit agrees no better than the weights in use; nothing changed.")
