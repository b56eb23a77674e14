"""Tie strength: why a tie is as strong as it is, and fitting the score to your own ratings."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated

import typer

from knowwho.cli.app import PEOPLE, DbOption, JsonOption, app, open_app, print_json
from knowwho.cli.render import console

if TYPE_CHECKING:
    from knowwho.core import Knowwho
    from knowwho.services.calibration import CalibrationService, LearnedWeights


@app.command(rich_help_panel=PEOPLE)
def strength(
    person: Annotated[str | None, typer.Argument(help="A name, part of a name, an email or #id.")] = None,
    learn: Annotated[bool, typer.Option("--learn", help="Refit the weights on your history now.")] = False,
    db: DbOption = None,
    as_json: JsonOption = False,
) -> None:
    """How strong a tie is, part by part (each part times its share adds up to the score); alone, the weights
    in use and what was learned from your history."""
    from knowwho.services.calibration import CalibrationService

    kw = open_app(db)
    service = CalibrationService(kw.ctx)
    if learn:
        _show_learned(service, as_json, refitted=True, fit=service.learn())
    elif person is None:
        _show_learned(service, as_json, refitted=False, fit=service.learned())
    else:
        _show_person(kw, service, person, as_json)


def _show_person(kw: Knowwho, service: CalibrationService, person: str, as_json: bool) -> None:
    from rich.markup import escape

    from knowwho.services.tie_strength import shares

    found = kw.people.resolve(person)
    tie = kw.people.detail(found.id, interactions=0).tie
    weights = service.weights()
    share = shares(weights, rated=found.closeness is not None)
    if as_json:
        print_json({"id": found.id, "name": found.display_name, "score": tie.score, "tier": tie.tier,
                    "parts": tie.parts, "weights": weights, "shares": share,
                    "weights_from": service.source()})  # fmt: skip
        return
    console.print(f"[bold]{escape(found.display_name)}[/bold]  #{found.id}  ·  {tie.tier} tie ({tie.score:.2f})")
    for name, factor in share.items():
        value = tie.parts.get(name, 0.0)
        console.print(f"  {name:<13} {value:4.2f} × {factor:.3f} = {value * factor:.3f}")
    console.print(f"  {'score':<28} {tie.score:.3f}   (weights: {service.source()})")
    if "closeness" in share:
        console.print("  Your closeness rating is half of the score; the other parts share the rest.")


def _not_learned(refitted: bool, tried_on: int | None) -> str:
    if refitted:
        return "Too little history to learn from yet: tie strength uses its default weights."
    if tried_on is not None:
        return (f"Tried on your history of {tried_on:,} conversations: too little to learn from yet, so tie "
                "strength uses its default weights; imports try again once it has grown by a fifth.")  # fmt: skip
    return "Nothing learned from your history yet (`knowwho strength --learn`; imports refit on their own)."


def _show_learned(service: CalibrationService, as_json: bool, *, refitted: bool, fit: LearnedWeights | None) -> None:
    weights = service.weights()
    tried_on = service.tried_on() if fit is None else None
    if as_json:
        print_json({"weights": weights, "weights_from": service.source(), "refitted": refitted,
                    "learned": asdict(fit) if fit else None, "too_short_at": tried_on})  # fmt: skip
        return
    if fit is None:
        console.print(_not_learned(refitted, tried_on))
    else:
        console.print(_learned_sentence(fit))
    console.print(f"Weights in use: {service.source()}")
    for name, weight in weights.items():
        console.print(f"  {name:<13} {weight:.3f}")


def _learned_sentence(fit: LearnedWeights) -> str:
    replayed = (
        f"Replayed your history at {fit.replays} earlier days ({fit.examples} ties, {fit.talked_again} of them "
        f"talked again within {fit.horizon_days:g} days): "
    )
    ranked = f"the default weights ranked who talked again {fit.auc_before:.0%} right, "
    if fit.improved:
        return replayed + ranked + f"the learned weights {fit.auc_after:.0%}."
    return replayed + ranked + f"learned ones no better ({fit.auc_after:.0%}), so the defaults stay."


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
            console.print(f"Tie strength's weights are {service.source()} again; everyone's strength was recomputed.")
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
