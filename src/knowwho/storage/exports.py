"""The reads behind the contact and calendar exports (vCard, CSV, iCalendar)."""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

# Live contacts: not deleted, not merged into someone else, and known to me
# directly (second-degree people are not address-book entries).
_CONTACTS = "p.deleted_at IS NULL AND p.merged_into_id IS NULL AND p.is_contact = 1"

# table -> value column, for the labelled lists of a person
_LABELLED = {
    "person_emails": "email",
    "person_phones": "phone",
    "person_addresses": "address",
}


@dataclass(frozen=True, slots=True)
class ContactRow:
    id: int
    display_name: str
    given_name: str
    family_name: str
    birthday: str | None
    how_met: str
    photo: bytes | None
    photo_type: str | None
    created_at: str
    updated_at: str


@dataclass(frozen=True, slots=True)
class FollowupDue:
    id: int
    due_on: str
    note: str
    kind: str
    person: str  # '' when the follow-up is about no one in particular
    created_at: str


@dataclass(frozen=True, slots=True)
class ReengageDue:
    opportunity_id: int
    reengage_on: str
    organization: str
    role_title: str
    outcome: str
    created_at: str


@dataclass(frozen=True, slots=True)
class UpcomingEvent:
    id: int
    name: str
    starts_on: str
    ends_on: str | None
    place: str
    notes: str
    created_at: str


def contact_ids(conn: sqlite3.Connection) -> list[int]:
    """Every live contact, by name."""
    rows = conn.execute(f"SELECT p.id FROM people p WHERE {_CONTACTS} ORDER BY p.display_name COLLATE NOCASE, p.id")
    return [r[0] for r in rows]


def max_list_lengths(conn: sqlite3.Connection) -> dict[str, int]:
    """The most emails, phones, addresses and links any live contact has (for CSV columns)."""
    lengths = {}
    for table in (*_LABELLED, "person_links"):
        row = conn.execute(
            f"""SELECT MAX(n) FROM (SELECT COUNT(*) AS n FROM {table} x JOIN people p ON p.id = x.person_id
                WHERE {_CONTACTS} GROUP BY x.person_id)"""
        ).fetchone()
        lengths[table] = int(row[0] or 0)
    return lengths


def labelled(conn: sqlite3.Connection, table: str, ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """(value, label) per person from person_emails/_phones/_addresses, in the order they were added."""
    column = _LABELLED[table]
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    marks = ",".join("?" * len(ids))
    for pid, value, label in conn.execute(
        f"SELECT person_id, {column}, label FROM {table} WHERE person_id IN ({marks}) ORDER BY rowid", list(ids)
    ):
        found[pid].append((value, label))
    return found


def links(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    marks = ",".join("?" * len(ids))
    for pid, url, kind in conn.execute(
        f"SELECT person_id, url, kind FROM person_links WHERE person_id IN ({marks}) ORDER BY rowid", list(ids)
    ):
        found[pid].append((url, kind))
    return found


def notes(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, list[tuple[str, str]]]:
    """(created_at, body) per person, oldest first."""
    found: dict[int, list[tuple[str, str]]] = defaultdict(list)
    marks = ",".join("?" * len(ids))
    for pid, created_at, body in conn.execute(
        f"SELECT person_id, created_at, body FROM notes WHERE person_id IN ({marks}) ORDER BY created_at, id",
        list(ids),
    ):
        found[pid].append((created_at, body))
    return found


def contact_rows(conn: sqlite3.Connection, ids: Sequence[int]) -> list[ContactRow]:
    """The address-book columns of these people, in the order of `ids`."""
    marks = ",".join("?" * len(ids))
    rows = conn.execute(
        f"""SELECT id, display_name, given_name, family_name, birthday, how_met, photo, photo_type,
                   created_at, updated_at FROM people WHERE id IN ({marks})""",
        list(ids),
    )
    found = {row[0]: ContactRow(*row) for row in rows}
    return [found[i] for i in ids if i in found]


def tags(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = defaultdict(list)
    marks = ",".join("?" * len(ids))
    # "+kind": look people up by the primary key, not through every tag of the kind.
    for pid, tag in conn.execute(
        f"SELECT person_id, tag FROM person_tags WHERE +kind = 'tag' AND person_id IN ({marks}) ORDER BY tag",
        list(ids),
    ):
        found[pid].append(tag)
    return found


def current_roles(conn: sqlite3.Connection, ids: Sequence[int]) -> dict[int, tuple[str, str]]:
    """(organization, title) of each person's current role, the latest one first."""
    marks = ",".join("?" * len(ids))
    found: dict[int, tuple[str, str]] = {}
    for pid, organization, title in conn.execute(
        f"""SELECT r.person_id, o.name, r.title FROM roles r JOIN organizations o ON o.id = r.organization_id
            WHERE r.is_current = 1 AND r.person_id IN ({marks})
            ORDER BY r.person_id, r.start_on DESC, r.id DESC""",
        list(ids),
    ):
        found.setdefault(pid, (organization, title))
    return found


def open_followups(conn: sqlite3.Connection) -> list[FollowupDue]:
    """Open follow-ups, soonest first, leaving out those about removed people."""
    rows = conn.execute(
        """SELECT f.id, f.due_on, f.note, f.kind, COALESCE(p.display_name, ''), f.created_at FROM followups f
           LEFT JOIN people p ON p.id = f.person_id
           WHERE f.status = 'open' AND (f.person_id IS NULL OR p.deleted_at IS NULL)
           ORDER BY f.due_on, f.id"""
    )
    return [FollowupDue(*row) for row in rows]


def pending_reengagements(conn: sqlite3.Connection) -> list[ReengageDue]:
    rows = conn.execute(
        """SELECT o.id, o.reengage_on, COALESCE(org.name, ''), o.role_title, o.outcome, o.created_at
           FROM opportunities o LEFT JOIN organizations org ON org.id = o.organization_id
           WHERE o.reengage_on IS NOT NULL AND o.reengaged_at IS NULL
           ORDER BY o.reengage_on, o.id"""
    )
    return [ReengageDue(*row) for row in rows]


def upcoming_events(conn: sqlite3.Connection, today: str) -> list[UpcomingEvent]:
    """Events still to come or under way on `today`."""
    rows = conn.execute(
        """SELECT id, name, starts_on, ends_on, place, notes, created_at FROM events
           WHERE COALESCE(ends_on, starts_on) >= ? ORDER BY starts_on, id""",
        (today,),
    )
    return [UpcomingEvent(*row) for row in rows]
