"""Events on the web: the list with an add form, and each event with whom the user met there."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from knowwho.dates import parse_day
from knowwho.errors import Ambiguous, InvalidInput
from knowwho.web.api.params import ItemId
from knowwho.web.routes.common import Kw, done, wants_json
from knowwho.web.templating import render

router = APIRouter()
Short = Annotated[str, Form(max_length=300)]
FIELDS = ("name", "starts_on", "ends_on", "place", "yearly")  # the add form's
MET_FIELDS = ("name", "email", "organization", "note")  # an event's "met someone here" form's


@router.get("/events")
def events_page(request: Request, kw: Kw) -> Response:
    return _events_page(request, kw)


def _events_page(request: Request, kw: Kw, *, typed: dict[str, str] | None = None, problem: str = "") -> Response:
    """The list and the add form: empty, or sent back as typed with one line on what to fix."""
    return render(request, "events.html", {
        "active": "events", "title": "Events", "events": kw.events.all(), "today": kw.ctx.today().isoformat(),
        "typed": typed or dict.fromkeys(FIELDS, ""), "problem": problem,
    }, status=422 if problem else 200)  # fmt: skip


@router.post("/events")
def add_event(
    request: Request,
    kw: Kw,
    name: Annotated[str, Form(min_length=1, max_length=300)],
    starts_on: Annotated[str, Form(min_length=1, max_length=40)],
    ends_on: Annotated[str, Form(max_length=40)] = "",
    place: Short = "",
    yearly: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    typed = {"name": name, "starts_on": starts_on, "ends_on": ends_on, "place": place, "yearly": yearly}
    try:
        first = _day(kw, "first day", starts_on)
        last = _day(kw, "last day", ends_on) if ends_on.strip() else None
        event = kw.events.add(name, starts_on=first, ends_on=last, place=place, yearly=yearly == "true")
    except InvalidInput as error:
        if wants_json(request):
            raise
        return _events_page(request, kw, typed=typed, problem=str(error))
    return done(request, f"/events/{event.id}", f"Added {event.name}.", event_id=event.id)


def _day(kw: Kw, label: str, text: str) -> date:
    """A day of the form, or a refusal naming the field it was typed in."""
    try:
        return parse_day(text, now=kw.ctx.now())
    except InvalidInput as error:
        raise InvalidInput(f"{label}: {error}") from None


@router.get("/events/{event_id}")
def event_page(request: Request, kw: Kw, event_id: ItemId) -> Response:
    return _event_page(request, kw, event_id)


def _event_page(
    request: Request, kw: Kw, event_id: int, *, typed: dict[str, str] | None = None, problem: str = "", status: int = 200
) -> Response:  # fmt: skip
    """An event; its "met someone here" form empty, or sent back as typed with one line on what to fix."""
    detail = kw.events.detail(event_id)
    return render(request, "event.html", {
        "active": "events", "title": detail.event.name, "detail": detail, "today": kw.ctx.today().isoformat(),
        "typed": typed or dict.fromkeys(MET_FIELDS, ""), "problem": problem,
    }, status=status)  # fmt: skip


@router.post("/events/{event_id}/met")
def met_here(
    request: Request,
    kw: Kw,
    event_id: ItemId,
    name: Annotated[str, Form(min_length=1, max_length=300)],
    email: Short = "",
    organization: Short = "",
    note: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    try:
        met = kw.events.met(name, event_id=event_id, email=email, organization=organization, note=note)
    except (InvalidInput, Ambiguous) as error:
        if wants_json(request):
            raise
        typed = {"name": name, "email": email, "organization": organization, "note": note}
        return _event_page(request, kw, event_id, typed=typed, problem=str(error), status=error.http_status)
    message = f"{'Added' if met.new else 'Found'} {met.name}. {met.nice_to_meet_line()}"
    return done(request, f"/events/{event_id}#met-{met.person_id}", message, person_id=met.person_id)
