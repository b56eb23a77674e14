"""Quick capture, phone first: the form remembers where you are, so the next person takes seconds."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Cookie, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from knowwho.services.capture import DEFAULT_FOLLOWUP_DAYS
from knowwho.web import actions
from knowwho.web.api.params import ItemId
from knowwho.web.routes.common import Kw, wants_json
from knowwho.web.schemas import CaptureIn
from knowwho.web.templating import render

router = APIRouter()
WHERE_COOKIE = "kw_where"


@router.get("/capture")
def capture_page(
    request: Request,
    kw: Kw,
    saved: Annotated[ItemId | None, Query()] = None,
    where: Annotated[str | None, Cookie(alias=WHERE_COOKIE, max_length=300)] = None,
) -> Response:
    captured = None
    if saved is not None:
        person = kw.people.get(saved)
        upcoming = kw.followups.for_person(saved, open_only=True)
        captured = {"person": person, "followup": upcoming[0] if upcoming else None}
    return render(request, "capture.html", {
        "active": "capture", "title": "Quick capture", "captured": captured, "where": where or "", "form": None,
        "known": [], "likely": [],
    })  # fmt: skip


@router.post("/capture")
def capture(
    request: Request,
    kw: Kw,
    name: Annotated[str, Form(max_length=300)],
    where: Annotated[str, Form(max_length=300)] = "",
    note: Annotated[str, Form(max_length=2000)] = "",
    email: Annotated[str, Form(max_length=300)] = "",
    organization: Annotated[str, Form(max_length=300)] = "",
    followup: Annotated[str, Form(max_length=10)] = "",
    merge: Annotated[str, Form(max_length=10)] = "",
    anyway: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    data = CaptureIn(
        name=name, where=where, note=note, email=email, organization=organization,
        followup_days=DEFAULT_FOLLOWUP_DAYS if followup == "true" else None, merge=merge == "true",
    )  # fmt: skip
    if not wants_json(request) and not data.merge:
        # Ask before a second record: who has this email already, or who this may well be.
        emails = [data.email] if data.email.strip() else []
        known = kw.people.known_matches(emails, [])
        likely = [] if known or anyway == "true" else kw.people.likely_matches(
            data.name, emails=emails, organization=data.organization
        )  # fmt: skip
        if known or likely:
            return render(request, "capture.html", {
                "active": "capture", "title": "Quick capture", "captured": None, "where": data.where, "form": data,
                "known": known, "likely": likely,
            }, status=409 if known else 200)  # fmt: skip
    result = actions.capture(kw, data)
    if wants_json(request):
        from fastapi.responses import JSONResponse

        response: Response = JSONResponse(
            {"message": f"Saved {result.person.display_name}.", "person_id": result.person.id}
        )
    else:
        response = RedirectResponse(f"/capture?saved={result.person.id}", status_code=303)
    # Remember the event for the next capture (the rest of the day at a conference).
    response.set_cookie(WHERE_COOKIE, where.strip()[:300], max_age=12 * 3600, httponly=True, samesite="strict")
    return response
