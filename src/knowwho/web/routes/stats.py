"""Stats: weekly activity and the network by organization and tier, as SVG charts drawn on the server."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from knowwho.web import actions
from knowwho.web.routes.common import Kw
from knowwho.web.state import state_of
from knowwho.web.templating import render

router = APIRouter()


@router.get("/stats")
def stats_page(request: Request, kw: Kw) -> Response:
    stats = state_of(request).cache.get(kw, "stats", actions.stats(kw).overview)
    label = lambda week: week.starts_on.strftime("%b %-d")  # noqa: E731
    return render(request, "stats.html", {
        "active": "stats", "title": "Stats", "stats": stats,
        "conversations": [(label(w), w.conversations, None) for w in stats.weeks],
        "new_people": [(label(w), w.new_people, None) for w in stats.weeks],
        "followups": [(label(w), w.followups_due, w.followups_on_time) for w in stats.weeks],
        "tiers": [(tier, n, f"t-{tier}", f"/people?tier={tier}") for tier, n in stats.by_tier],
        "organizations": [(name, n, "bar", f"/organizations/{oid}") for oid, name, n in stats.by_organization],
    })  # fmt: skip
