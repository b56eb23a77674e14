"""The meetings still to come that the last calendar syncs saw: what today's "prepare" items are made of.

Kept apart from the CalDAV source itself so that `knowwho today` reads them
without loading the calendar and HTTP libraries.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime

from knowwho.clock import from_stamp
from knowwho.storage import dav as dav_store


@dataclass(frozen=True, slots=True)
class Meeting:
    at: datetime
    summary: str
    person_ids: list[int]


def meetings_on(conn: sqlite3.Connection, day: date) -> list[Meeting]:
    """The synced calendars' meetings on `day` (local), earliest first."""
    found = [json.loads(text) for text in dav_store.meetings_on(conn, day.isoformat())]
    return [
        Meeting(from_stamp(m["at"]), str(m.get("summary", "")), [int(i) for i in m.get("people", [])]) for m in found
    ]
