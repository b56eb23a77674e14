"""Events on the web: the list with an add form, and each event with whom the user met there."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from knowwho.dates import parse_day
from knowwho.web.api.params import ItemId
from knowwho.web.routes.common import Kw, done
from knowwho.web.templating import render

router = APIRouter()
Short = Annotated[str, Form(max_length=300)]


@router.get("/events")
def events_page(request: Request, kw: Kw) -> Response:
    return render(request, "events.html", {
        "active": "events", "title": "Events", "events": kw.events.all(), "today": kw.ctx.today().isoformat(),
    })  # fmt: skip


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
    now = kw.ctx.now()
    event = kw.events.add(
        name, starts_on=parse_day(starts_on, now=now), ends_on=parse_day(ends_on, now=now) if ends_on.strip() else None,
        place=place, yearly=yearly == "true",
    )  # fmt: skip
    return done(request, f"/events/{event.id}", f"Added {event.name}.", event_id=event.id)


@router.get("/events/{event_id}")
def event_page(request: Request, kw: Kw, event_id: ItemId) -> Response:
    detail = kw.events.detail(event_id)
    return render(request, "event.html", {
        "active": "events", "title": detail.event.name, "detail": detail, "today": kw.ctx.today().isoformat(),
    })  # fmt: skip


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
    met = kw.events.met(name, event_id=event_id, email=email, organization=organization, note=note)
    message = f"{'Added' if met.new else 'Found'} {met.name}. {met.nice_to_meet_line()}"
    return done(request, f"/events/{event_id}#met-{met.person_id}", message, person_id=met.person_id)
