"""The Duplicates page: people who may be recorded twice, side by side, merged with one button or marked as
two people (each undone with another)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Query, Request
from fastapi.responses import Response

from knowwho.web.api.duplicates import LIMIT, candidates
from knowwho.web.api.params import PersonId
from knowwho.web.routes.common import Kw, done
from knowwho.web.templating import render

router = APIRouter()


@router.get("/people/duplicates")
def duplicates_page(
    request: Request,
    kw: Kw,
    merged: Annotated[int | None, Query(ge=1, le=2**62)] = None,
    marked: Annotated[bool, Query()] = False,
) -> Response:
    kept = next((p for p in kw.people.get_many([merged]) if p.deleted_at is None), None) if merged else None
    change = kw.history.latest_change() if kept or marked else None
    latest = change.description if change else None
    # Offer Undo only while the merge (or the marking) is still the latest change (after a reload it may not be).
    undo_label = latest if kept and latest and latest.startswith("merged ") else None
    marked_label = latest if marked and latest and latest.startswith("marked ") else None
    return render(request, "duplicates.html", {
        "active": "people", "title": "Possible duplicates", "pairs": candidates(request, kw), "limit": LIMIT,
        "kept": kept, "undo_label": undo_label, "marked": marked_label, "today": kw.ctx.today(),
        "undo_id": change.id if change else None,
    })  # fmt: skip


@router.post("/people/{keep_id}/merge")
def merge(request: Request, kw: Kw, keep_id: PersonId, other_id: Annotated[int, Form(ge=1, le=2**62)]) -> Response:
    gone = kw.people.gone(other_id)
    if gone is not None and gone.merged_into_id == keep_id:  # the button pressed twice: say it is done
        message = f"{gone.display_name} was already merged into {kw.people.get(keep_id).display_name}."
        return done(request, f"/people/duplicates?merged={keep_id}", message, person_id=keep_id)
    other = kw.people.get(other_id)  # its name, for the message; an unknown id is a 404 before anything changes
    kept = kw.duplicates.merge(keep_id, other_id)
    message = f"Merged {other.display_name} into {kept.display_name}."
    return done(request, f"/people/duplicates?merged={kept.id}", message, person_id=kept.id)


@router.post("/people/{keep_id}/not-duplicate")
def not_duplicate(
    request: Request, kw: Kw, keep_id: PersonId, other_id: Annotated[int, Form(ge=1, le=2**62)]
) -> Response:
    first, second = kw.duplicates.mark_different(keep_id, other_id)
    message = f"{first.display_name} and {second.display_name} are different people; they will not be proposed again."
    return done(request, "/people/duplicates?marked=true", message)
