"""JSON API: events, whom the user met at each, and logging someone met there (as `knowwho met`)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from pydantic import BaseModel, Field

from knowwho.core import Knowwho
from knowwho.services.events import EventDetail
from knowwho.storage.events import EventRecord
from knowwho.web.api.params import ItemId
from knowwho.web.schemas import Day, Name, ShortText, Strict, Text
from knowwho.web.state import get_kw

router = APIRouter(tags=["events"])
Kw = Annotated[Knowwho, Depends(get_kw)]


class EventOut(BaseModel):
    id: int
    name: str
    starts_on: str
    ends_on: str | None
    place: str
    yearly: bool
    series: str = Field(description="What groups its editions: 'RecSys Summit'")
    people_count: int

    @classmethod
    def of(cls, e: EventRecord) -> EventOut:
        return cls(id=e.id, name=e.name, starts_on=e.starts_on, ends_on=e.ends_on, place=e.place,
                   yearly=e.recurrence == "yearly", series=e.series, people_count=e.people_count)  # fmt: skip


class MetThereOut(BaseModel):
    person_id: int
    name: str
    note: str
    conversations: list[str] = Field(description="The notes of the conversations held there")


class EventDetailOut(EventOut):
    people: list[MetThereOut]

    @classmethod
    def of_detail(cls, d: EventDetail) -> EventDetailOut:
        people = [MetThereOut(person_id=m.person_id, name=m.name, note=m.note, conversations=m.conversations)
                  for m in d.people]  # fmt: skip
        return cls(**EventOut.of(d.event).model_dump(), people=people)


class EventIn(Strict):
    name: Name
    starts_on: Day
    ends_on: Day | None = Field(None, description="Its last day, for an event of several days")
    place: ShortText = ""
    yearly: bool = Field(False, description="It comes back every year: Today reminds you before the next")


class MetIn(Strict):
    name: Name
    email: ShortText = Field("", description="An email already known is that person")
    organization: ShortText = ""
    note: Text = Field("", description="One line to remember them by")


class MetOut(BaseModel):
    person_id: int
    name: str
    new: bool = Field(description="Added now, not someone already known")
    event_id: int
    nice_to_meet: bool = Field(description="Today's list now holds a “nice to meet you” for them")


@router.get("/events", response_model=list[EventOut], summary="Events, the latest first")
def list_events(kw: Kw) -> list[EventOut]:
    return [EventOut.of(e) for e in kw.events.all()]


@router.post("/events", response_model=EventOut, status_code=201, summary="Add a conference or meetup")
def add_event(kw: Kw, data: EventIn) -> EventOut:
    event = kw.events.add(data.name, starts_on=data.starts_on, ends_on=data.ends_on, place=data.place,
                          yearly=data.yearly)  # fmt: skip
    return EventOut.of(event)


@router.get("/events/{event_id}", response_model=EventDetailOut, summary="An event and everyone met there")
def get_event(kw: Kw, event_id: ItemId) -> EventDetailOut:
    return EventDetailOut.of_detail(kw.events.detail(event_id))


@router.post("/events/{event_id}/met", response_model=MetOut, status_code=201, summary="Log someone met there")
def met(kw: Kw, event_id: ItemId, data: MetIn) -> MetOut:
    """Found (by email, else exact name) or added; the meeting is logged on the event's day, and a
    "nice to meet you" comes on Today. One undoable change."""
    done = kw.events.met(data.name, event_id=event_id, email=data.email, organization=data.organization,
                         note=data.note)  # fmt: skip
    return MetOut(
        person_id=done.person_id, name=done.name, new=done.new, event_id=done.event.id, nice_to_meet=done.nice_to_meet
    )
