"""The next edition of a recurring event: whom the user met at the last one (today's "event" items).

Kept apart from the events service so that today's list reads its candidates
without loading what adding, merging and showing events need.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import date, timedelta

from knowwho.storage import events as event_store
from knowwho.storage.events import EventRecord

REMIND_DAYS = 14  # how long before the next edition of a recurring event today reminds whom you met there
YEAR = re.compile(r"\s*\b(19|20)\d\d\b\s*")


@dataclass(frozen=True, slots=True)
class EditionSoon:
    """The next edition of a recurring event, and the one before it where the user met people."""

    last: EventRecord
    on: date
    first_names: list[str]

    def reason(self, today: date) -> str:
        days = (self.on - today).days
        when = "today" if days == 0 else "tomorrow" if days == 1 else f"in {days} days"
        others = self.last.people_count - len(self.first_names[:1])
        met = self.first_names[0] if self.first_names else ""
        who = f"{met} and {others} other{'s' if others != 1 else ''}" if others > 0 and met else met
        return f"{series_of(self.last)} is {when} ({self.on.isoformat()}): you met {who} there last time"


def series_of(event: EventRecord) -> str:
    """What groups an event's editions: its series, else its name without the year ('RecSys Summit')."""
    return event.series or YEAR.sub(" ", event.name).strip() or event.name


def editions_soon(conn: sqlite3.Connection, today: date) -> list[EditionSoon]:
    """Recurring events whose next edition is within two weeks, where the user met people last time."""
    until = today + timedelta(days=REMIND_DAYS)
    by_series: dict[str, list[EventRecord]] = {}
    # Editions within a year: one on file, even a month away, wins over the anniversary.
    for event in event_store.recurring(conn, until=(today + timedelta(days=366)).isoformat()):
        by_series.setdefault(series_of(event).lower(), []).append(event)
    found = []
    for editions in by_series.values():
        past = [e for e in editions if e.starts_on < today.isoformat() and e.people_count]
        if not past:
            continue
        last = past[-1]
        coming = [e for e in editions if e.starts_on >= today.isoformat()]
        on = date.fromisoformat(coming[0].starts_on) if coming else _next_yearly(last, today)
        if on is not None and today <= on <= until:
            counted = event_store.get(conn, last.id) or last  # everyone met there, not just whether anyone was
            found.append(EditionSoon(counted, on, event_store.first_names(conn, last.id, limit=1)))
    return sorted(found, key=lambda e: (e.on, e.last.id))


def _next_yearly(event: EventRecord, today: date) -> date | None:
    """The anniversary of a yearly event on or after today (29 February falls on the 28th)."""
    if event.recurrence != "yearly":
        return None
    starts = date.fromisoformat(event.starts_on)
    for year in range(max(today.year, starts.year + 1), today.year + 2):
        on = starts.replace(year=year, day=28) if (starts.month, starts.day) == (2, 29) else starts.replace(year=year)
        if on >= today:
            return on
    return None
