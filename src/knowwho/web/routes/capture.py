"""Quick capture, phone first: the form remembers where you are, so the next person takes seconds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated

from fastapi import APIRouter, Cookie, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from knowwho.errors import InvalidInput
from knowwho.services.capture import DEFAULT_FOLLOWUP_DAYS
from knowwho.web import actions
from knowwho.web.api.params import ItemId
from knowwho.web.numbers import whole_number
from knowwho.web.routes.common import FormText, Kw, form_model, wants_json
from knowwho.web.schemas import CaptureIn
from knowwho.web.templating import render

router = APIRouter()
WHERE_COOKIE = "kw_where"
EVENT_COOKIE = "kw_event"  # the event being captured at, kept between saves like "where"


@router.get("/capture")
def capture_page(
    request: Request,
    kw: Kw,
    saved: Annotated[ItemId | None, Query()] = None,
    where: Annotated[str | None, Cookie(alias=WHERE_COOKIE)] = None,  # cut below: escaping can lengthen it
    event: Annotated[ItemId | None, Query()] = None,
    event_cookie: Annotated[str | None, Cookie(alias=EVENT_COOKIE, max_length=20)] = None,
) -> Response:
    captured = None
    if saved is not None:
        person = kw.people.get(saved)
        upcoming = kw.followups.for_person(saved, open_only=True)
        captured = {"person": person, "followup": upcoming[0] if upcoming else None}
    return render(request, "capture.html", {
        "active": "capture", "title": "Quick capture", "captured": captured, "where": (where or "")[:300], "form": None,
        "known": [], "likely": [], "problem": "", **_events(kw, event or _cookie_id(event_cookie)),
    })  # fmt: skip


def _events(kw: Kw, selected: int | None) -> dict[str, object]:
    """The events one can be capturing at (begun, latest first) and the one chosen."""
    today = kw.ctx.today().isoformat()
    events = [e for e in kw.events.all() if e.starts_on <= today][:30]
    return {"events": events, "event_id": selected if any(e.id == selected for e in events) else None}


def _cookie_id(value: str | None) -> int | None:
    return whole_number(value)


@router.post("/capture")
def capture(
    request: Request,
    kw: Kw,
    name: FormText = "",
    where: FormText = "",
    note: FormText = "",
    email: FormText = "",
    organization: FormText = "",
    followup: Annotated[str, Form(max_length=10)] = "",
    merge: Annotated[str, Form(max_length=10)] = "",
    anyway: Annotated[str, Form(max_length=10)] = "",
    event: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    event_id = _cookie_id(event)
    typed = {"name": name, "where": where, "note": note, "email": email, "organization": organization,
             "followup_days": DEFAULT_FOLLOWUP_DAYS if followup == "true" else None}  # fmt: skip
    try:
        data = form_model(CaptureIn, **typed, merge=merge == "true")
        if not wants_json(request) and not data.merge:
            # Ask before a second record: who has this email already, or who this may well be.
            emails = [data.email] if data.email.strip() else []
            known = kw.people.known_matches(emails, [])
            # At an event, a person of exactly that name is taken to be them (as `knowwho met`).
            likely = [] if known or anyway == "true" or event_id else kw.people.likely_matches(
                data.name, emails=emails, organization=data.organization
            )  # fmt: skip
            if known or likely:
                return _form_again(
                    request, kw, data, event_id, known=known, likely=likely, status=409 if known else 200
                )
        if event_id is not None:
            return _met(request, kw, data, event_id)
        result = actions.capture(kw, data)
    except InvalidInput as error:
        if wants_json(request):
            raise
        return _form_again(request, kw, typed, event_id, problem=str(error), status=422)
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


def _form_again(
    request: Request, kw: Kw, form: object, event_id: int | None, *, known: Sequence[object] = (),
    likely: Sequence[object] = (), problem: str = "", status: int,
) -> Response:  # fmt: skip
    """The form with what was typed (`form`: the model, or the fields as typed), and a problem or likely matches."""
    where = form.where if isinstance(form, CaptureIn) else str(form["where"]) if isinstance(form, dict) else ""
    return render(request, "capture.html", {
        "active": "capture", "title": "Quick capture", "captured": None, "where": where, "form": form,
        "known": known, "likely": likely, "problem": problem, **_events(kw, event_id),
    }, status=status)  # fmt: skip


def _met(request: Request, kw: Kw, data: CaptureIn, event_id: int) -> Response:
    """Captured at an event: found or added, the meeting logged there, a "nice to meet you" on today's list."""
    met = kw.events.met(data.name, event_id=event_id, email=data.email, organization=data.organization, note=data.note)
    if wants_json(request):
        from fastapi.responses import JSONResponse

        response: Response = JSONResponse({"message": f"Saved {met.name}.", "person_id": met.person_id})
    else:
        response = RedirectResponse(f"/capture?saved={met.person_id}&event={event_id}", status_code=303)
    response.set_cookie(EVENT_COOKIE, str(event_id), max_age=12 * 3600, httponly=True, samesite="strict")
    return response
