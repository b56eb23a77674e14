"""Stats: weekly goals, weekly activity and the network by organization and tier, as SVG charts drawn on the server."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from knowwho.errors import InvalidInput
from knowwho.services.goals import Goals
from knowwho.web import actions
from knowwho.web.numbers import whole_number
from knowwho.web.routes.common import Kw, done, wants_json
from knowwho.web.state import state_of
from knowwho.web.templating import render

router = APIRouter()
# A weekly number, or nothing (no goal).
GoalField = Annotated[str, Form(max_length=10)]
GOAL_FIELDS = {"conversations": "conversations", "new_people": "new people", "max_old_replies": "replies waiting"}


@router.get("/stats")
def stats_page(request: Request, kw: Kw) -> Response:
    return _stats_page(request, kw)


def _stats_page(request: Request, kw: Kw, *, typed: dict[str, str] | None = None, problem: str = "") -> Response:
    stats = state_of(request).cache.get(kw, "stats", actions.stats(kw).overview)
    label = lambda week: week.starts_on.strftime("%b %-d")  # noqa: E731
    # Kept, like the rest of Stats, until the data changes.
    goals, progress = state_of(request).cache.get(kw, "stats-goals", lambda: (kw.goals.get(), kw.goals.progress()))
    shown = typed if typed is not None else {k: "" if v is None else str(v) for k, v in _values(goals).items()}
    return render(request, "stats.html", {
        "active": "stats", "title": "Stats", "stats": stats, "goals": goals, "progress": progress,
        "goal_form": shown, "goal_problem": problem,
        "conversations": [(label(w), w.conversations, None) for w in stats.weeks],
        "new_people": [(label(w), w.new_people, None) for w in stats.weeks],
        "followups": [(label(w), w.followups_due, w.followups_on_time) for w in stats.weeks],
        "tiers": [(tier, n, f"t-{tier}", f"/people?tier={tier}") for tier, n in stats.by_tier],
        "organizations": [(name, n, "bar", f"/organizations/{oid}") for oid, name, n in stats.by_organization],
    }, status=422 if problem else 200)  # fmt: skip


@router.post("/stats/goals")
def set_goals(
    request: Request, kw: Kw, conversations: GoalField = "", new_people: GoalField = "", max_old_replies: GoalField = ""
) -> Response:
    """Set the weekly goals as `knowwho goal` does; an emptied field clears that goal."""
    typed = {"conversations": conversations, "new_people": new_people, "max_old_replies": max_old_replies}
    current = _values(kw.goals.get())
    wanted: dict[str, int] = {}
    for name, text in typed.items():
        text = text.strip()
        value = whole_number(text)
        if text and (value is None or value > 1000):
            problem = f"{GOAL_FIELDS[name]}: a weekly number from 0 to 1000, or empty for no goal"
            if wants_json(request):
                raise InvalidInput(problem)
            return _stats_page(request, kw, typed=typed, problem=problem)
        if value != current[name]:
            wanted[name] = -1 if value is None else value  # the service clears a goal given a negative number
    if not wanted:
        return done(request, "/stats#goals", "Your goals were already these.")
    try:
        kw.goals.set(**wanted)
    except InvalidInput as error:
        if wants_json(request):
            raise
        return _stats_page(request, kw, typed=typed, problem=str(error))
    return done(request, "/stats#goals", "Weekly goals saved.")


def _values(goals: Goals) -> dict[str, int | None]:
    return {name: getattr(goals, name) for name in GOAL_FIELDS}
