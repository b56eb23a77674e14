"""Follow-ups, reminders and upcoming events as an iCalendar file (RFC 5545), built with icalendar.

Open follow-ups and re-engagement reminders are VTODOs due on their day;
events are all-day VEVENTs. Each item keeps a stable UID and takes its
DTSTAMP from when it was created, so the same data always gives the same
file and a subscribed calendar updates items instead of duplicating them.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, date, datetime, timedelta

from knowwho.clock import from_stamp
from knowwho.exporters import EventEntry, Reminder

PRODID = "-//knowwho//knowwho reminders//EN"
CALENDAR_NAME = "knowwho"
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def calendar_text(reminders: Iterable[Reminder], events: Iterable[EventEntry]) -> str:
    """The whole calendar as text (CRLF line ends, folded lines)."""
    from icalendar import Calendar, Event, Todo

    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", CALENDAR_NAME)
    for reminder in reminders:
        due = _day(reminder.due_on)
        if due is None:
            continue  # a damaged date: a calendar cannot place it
        todo = Todo()
        todo.add("uid", reminder.uid)
        todo.add("dtstamp", _stamp(reminder.created_at))
        todo.add("due", due)
        todo.add("summary", reminder.summary)
        if reminder.description:
            todo.add("description", reminder.description)
        if reminder.category:
            todo.add("categories", [reminder.category])
        todo.add("status", "NEEDS-ACTION")
        calendar.add_component(todo)
    for entry in events:
        start = _day(entry.starts_on)
        if start is None:
            continue
        end = _day(entry.ends_on) if entry.ends_on else None
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", _stamp(entry.created_at))
        event.add("dtstart", start)
        # DTEND of an all-day event is the day after the last one.
        event.add("dtend", max(end or start, start) + timedelta(days=1))
        event.add("summary", entry.name)
        if entry.place:
            event.add("location", entry.place)
        if entry.notes:
            event.add("description", entry.notes)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return bytes(calendar.to_ical()).decode("utf-8")


def _day(text: str | None) -> date | None:
    try:
        return date.fromisoformat(text[:10]) if text else None
    except ValueError:
        return None


def _stamp(text: str) -> datetime:
    try:
        return from_stamp(text)
    except ValueError:
        return _EPOCH
