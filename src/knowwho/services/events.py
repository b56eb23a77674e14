"""Conferences and meetups: the people met at each, one line per person, and next year's reminder."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, time

from knowwho.clock import to_stamp
from knowwho.errors import Ambiguous, InvalidInput, NotFound
from knowwho.services import tie_strength
from knowwho.services.context import ServiceContext
from knowwho.services.event_editions import YEAR as _YEAR
from knowwho.services.normalize import clean_email, person_name, record_id, split_name
from knowwho.storage import events as event_store
from knowwho.storage import interactions as interaction_store
from knowwho.storage import people as people_store
from knowwho.storage.events import EventRecord, MetThere


@dataclass(frozen=True, slots=True)
class EventDetail:
    event: EventRecord
    people: list[MetThere]


@dataclass(frozen=True, slots=True)
class Met:
    person_id: int
    name: str
    event: EventRecord
    new: bool  # a person created now, not one already known
    nice_to_meet: bool = False  # whether today's list now holds a "nice to meet you" for them

    def nice_to_meet_line(self) -> str:
        """Whether a "nice to meet you" is due: not for an event long past, nor for someone known before."""
        return "A “nice to meet you” is on today's list." if self.nice_to_meet else "No “nice to meet you” is due."


class EventService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def add(
        self, name: str, *, starts_on: date, ends_on: date | None = None, place: str = "", yearly: bool = False
    ) -> EventRecord:
        name = name.strip()
        if not name:
            raise InvalidInput("an event needs a name")
        self.ctx.checked_day(starts_on, "the event's date")
        if ends_on is not None:
            self.ctx.checked_day(ends_on, "the event's last day")
        if ends_on is not None and ends_on < starts_on:
            raise InvalidInput("the event's last day is before its first: an event ends after it starts")
        series = _YEAR.sub(" ", name).strip() if yearly else ""
        with self.ctx.change(f"added the event {name}") as conn:
            event_id = event_store.insert(
                conn, name=name, starts_on=starts_on.isoformat(), ends_on=ends_on.isoformat() if ends_on else None,
                place=place.strip(), recurrence="yearly" if yearly else "", series=series, now=self.ctx.now_stamp(),
            )  # fmt: skip
        return self.get(event_id)

    def get(self, event_id: int) -> EventRecord:
        found = event_store.get(self.ctx.db.conn, event_id)
        if found is None:
            raise NotFound(f"no event with id {event_id}")
        return found

    def all(self) -> list[EventRecord]:
        return event_store.all_events(self.ctx.db.conn)

    def resolve(self, ref: str) -> EventRecord:
        """An event from its name, part of its name, or '#id' (or a bare id); the latest edition wins a tie of names."""
        text = ref.strip()
        if not text:
            raise InvalidInput("no event given")
        named = record_id(text, bare=True)
        if named is not None:
            return self.get(named)
        ids = event_store.ids_by_name(self.ctx.db.conn, text)
        if not ids:
            raise NotFound(
                f"no event matches {text!r}; add it with `knowwho event add`", plain=f"no event matches {text!r}"
            )
        events = [self.get(i) for i in ids[:10]]
        if len({e.name.lower() for e in events}) > 1:
            labels = [f"#{e.id} {e.name} ({e.starts_on})" for e in events]
            raise Ambiguous(f"{text!r} matches {len(ids)} events; say which (its full name or #id)", labels)
        return events[0]

    def detail(self, event_id: int) -> EventDetail:
        return EventDetail(self.get(event_id), event_store.met_there(self.ctx.db.conn, event_id))

    def met(self, name: str, *, event_id: int, email: str = "", organization: str = "", note: str = "") -> Met:
        """Someone met at an event: found (by email, else by exact name) or added, the meeting logged on the
        event's day and linked to it, first met there: so a "nice to meet you" comes on today's list. One change."""
        name, note = person_name(name), note.strip()
        event = self.get(event_id)
        day = self._meeting_day(event)
        clean = clean_email(email) if email.strip() else ""
        now = self.ctx.now_stamp()
        with self.ctx.change(f"met someone at {event.name}") as conn:
            person_id, new = self._find_or_add(conn, name, clean, organization.strip(), now)
            if clean:
                people_store.add_emails(conn, person_id, [clean])
            self._mark_met(conn, person_id, event, day, now)
            event_store.link_person(conn, event.id, person_id, note)
            at = datetime.combine(day, time(12)).astimezone() if day < self.ctx.today() else self.ctx.now()
            interaction_store.insert(
                conn, occurred_at=to_stamp(at), kind="event", direction="mutual", participant_ids=[person_id],
                now=now, subject=f"met at {event.name}", notes=note, event_id=event.id,
            )  # fmt: skip
            from knowwho.services.interactions import refresh_people

            refresh_people(conn, [person_id], now_julian=tie_strength.julian(now))
            shown = people_store.get(conn, person_id, with_details=False)
            display = shown.display_name if shown else name
            self.ctx.describe_change(f"met {display} at {event.name}")
        from knowwho.services.agenda import AgendaService

        due = AgendaService(self.ctx).nice_to_meet_due(person_id)
        return Met(person_id=person_id, name=display, event=event, new=new, nice_to_meet=due)

    def _meeting_day(self, event: EventRecord) -> date:
        """The event's day the meeting happened: today while it lasts, else its last day."""
        today = self.ctx.today()
        starts = date.fromisoformat(event.starts_on)
        if starts > today:
            raise InvalidInput(f"{event.name} starts on {event.starts_on}; log whom you met there once it has begun")
        ends = date.fromisoformat(event.ends_on) if event.ends_on else starts
        return self.ctx.checked_day(min(today, ends), f"the date of {event.name}")

    def _find_or_add(self, conn: sqlite3.Connection, name: str, email: str, org: str, now: str) -> tuple[int, bool]:
        """An exact email match is that person; else a person of exactly that name; else someone new."""
        if email and (ids := people_store.ids_by_email(conn, email)):
            return ids[0], False
        ids = people_store.ids_by_exact_name(conn, name)
        if len(ids) > 1:
            labels = [f"#{p.id} {p.display_name}" for p in people_store.get_many(conn, ids[:10])]
            raise Ambiguous(f"{name!r} matches {len(ids)} people; give their email or #id to say which", labels)
        if ids:
            return ids[0], False
        from knowwho.services.people import ensure_organization

        given, family = split_name(name)
        person_id = people_store.insert(conn, now=now, display_name=name, given_name=given, family_name=family)
        if org:
            people_store.insert_role(conn, person_id=person_id, organization_id=ensure_organization(conn, org, now))
        return person_id, True

    @staticmethod
    def _mark_met(conn: sqlite3.Connection, person_id: int, event: EventRecord, day: date, now: str) -> None:
        person = people_store.get(conn, person_id, with_details=False)
        if person is None:
            raise NotFound(f"no person with id {person_id}")
        fields: dict[str, str] = {}
        # Someone the user keeps in touch with, or talked to before, was not met here: how and when stay as they are.
        known = person.cadence_days is not None or (person.first_interaction_at or "~")[:10] < day.isoformat()
        if known:
            return
        if not person.first_met_on or person.first_met_on > day.isoformat():
            fields["first_met_on"] = day.isoformat()
        if not person.how_met:
            fields["how_met"] = f"at {event.name}"
        if fields:
            people_store.update(conn, person_id, now=now, **fields)
