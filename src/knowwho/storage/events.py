"""SQL for events (conferences, meetups) and the people met at each."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from knowwho.storage.sql import contains


@dataclass(frozen=True, slots=True)
class EventRecord:
    id: int
    name: str
    starts_on: str
    ends_on: str | None
    place: str
    recurrence: str  # '', yearly, monthly
    series: str  # groups the editions of a recurring event
    people_count: int = 0


@dataclass(frozen=True, slots=True)
class MetThere:
    """Someone met at an event, with what was noted about them there."""

    person_id: int
    name: str
    note: str
    conversations: list[str]  # the notes of the conversations held there


_EVENT = "e.id, e.name, e.starts_on, e.ends_on, e.place, e.recurrence, e.series"
_PEOPLE_MET = (
    "FROM event_people ep JOIN people p ON p.id = ep.person_id WHERE ep.event_id = e.id AND p.deleted_at IS NULL"
)
_COLUMNS = f"{_EVENT}, (SELECT COUNT(*) {_PEOPLE_MET}) AS people_count"


def _record(row: sqlite3.Row) -> EventRecord:
    return EventRecord(**{k: row[k] for k in row.keys()})  # noqa: SIM118 (sqlite3.Row)


def insert(
    conn: sqlite3.Connection, *, name: str, starts_on: str, ends_on: str | None, place: str, recurrence: str,
    series: str, now: str,
) -> int:  # fmt: skip
    cursor = conn.execute(
        """INSERT INTO events (name, starts_on, ends_on, place, recurrence, series, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (name, starts_on, ends_on, place, recurrence, series, now),
    )
    return int(cursor.lastrowid or 0)


def get(conn: sqlite3.Connection, event_id: int) -> EventRecord | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM events e WHERE e.id = ?", (event_id,)).fetchone()
    return _record(row) if row else None


def all_events(conn: sqlite3.Connection) -> list[EventRecord]:
    """Every event, the latest first (a user's events are counted in hundreds at most)."""
    return [_record(r) for r in conn.execute(f"SELECT {_COLUMNS} FROM events e ORDER BY e.starts_on DESC, e.id DESC")]


def ids_by_name(conn: sqlite3.Connection, text: str) -> list[int]:
    """Events named exactly `text` (any case), else those whose name contains it; latest first."""
    exact = [r[0] for r in conn.execute(
        "SELECT id FROM events WHERE name = ? COLLATE NOCASE ORDER BY starts_on DESC, id DESC", (text,)
    )]  # fmt: skip
    if exact:
        return exact
    return [r[0] for r in conn.execute(
        f"SELECT id FROM events WHERE {contains('name')} ORDER BY starts_on DESC, id DESC", (text,)
    )]  # fmt: skip


def link_person(conn: sqlite3.Connection, event_id: int, person_id: int, note: str) -> None:
    """Record that the person was met there; a new note is added to what was noted before."""
    conn.execute(
        """INSERT INTO event_people (event_id, person_id, note) VALUES (?, ?, ?)
           ON CONFLICT (event_id, person_id) DO UPDATE SET note = CASE
               WHEN excluded.note = '' THEN event_people.note
               WHEN event_people.note = '' THEN excluded.note
               ELSE event_people.note || char(10) || excluded.note END""",
        (event_id, person_id, note),
    )


def met_there(conn: sqlite3.Connection, event_id: int) -> list[MetThere]:
    """Everyone met at the event (or who had a conversation logged there), first met first."""
    rows = conn.execute(
        """SELECT p.id, p.display_name, COALESCE(ep.note, '') AS note FROM people p
           LEFT JOIN event_people ep ON ep.person_id = p.id AND ep.event_id = ?1
           WHERE p.deleted_at IS NULL AND (ep.event_id IS NOT NULL OR p.id IN (
               SELECT ip.person_id FROM interactions i JOIN interaction_participants ip ON ip.interaction_id = i.id
               WHERE i.event_id = ?1 AND i.deleted_at IS NULL))
           ORDER BY p.first_met_on, p.display_name COLLATE NOCASE""",
        (event_id,),
    ).fetchall()
    talks: dict[int, list[str]] = {}
    for person_id, notes in conn.execute(
        """SELECT ip.person_id, i.notes FROM interactions i JOIN interaction_participants ip ON ip.interaction_id = i.id
           WHERE i.event_id = ? AND i.deleted_at IS NULL AND i.notes != '' ORDER BY i.occurred_at""",
        (event_id,),
    ):
        talks.setdefault(person_id, []).append(notes)
    return [MetThere(r["id"], r["display_name"], r["note"], talks.get(r["id"], [])) for r in rows]


def recurring(conn: sqlite3.Connection, *, until: str) -> list[EventRecord]:
    """Editions of recurring events (a series, or a yearly event) starting on or before `until`.

    Their `people_count` only tells whether anyone was met there (1, else 0): counting everyone met at
    every edition took 50 ms at 100,000 people, and `get` counts the one edition a reminder names.
    """
    return [_record(r) for r in conn.execute(
        f"""SELECT {_EVENT}, EXISTS (SELECT 1 {_PEOPLE_MET}) AS people_count FROM events e INDEXED BY events_starts
            WHERE e.starts_on <= ? AND (e.recurrence != '' OR e.series != '') ORDER BY e.starts_on""",
        (until,),
    )]  # fmt: skip


def first_names(conn: sqlite3.Connection, event_id: int, limit: int = 3) -> list[str]:
    """The first names of the people met at an event, best-tied first."""
    return [r[0] for r in conn.execute(
        """SELECT CASE WHEN p.given_name != '' THEN p.given_name ELSE p.display_name END FROM event_people ep
           JOIN people p ON p.id = ep.person_id WHERE ep.event_id = ? AND p.deleted_at IS NULL
           ORDER BY p.tie_strength DESC, p.id LIMIT ?""",
        (event_id, limit),
    )]  # fmt: skip
