"""SQL for introduction suggestions, introductions, and items to share.

The suggestion reads touch only the people who have something to match on
(a situation, needs, offers, such tags, or a job begun lately), and the pair
checks read the knows and introductions indexes for those people alone.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from knowwho.storage.sql import id_array

_LIVE_CONTACT = "p.deleted_at IS NULL AND p.merged_into_id IS NULL AND p.is_contact = 1"


@dataclass(frozen=True, slots=True)
class IntentRow:
    id: int
    name: str
    situation: str
    needs: str
    offers: str
    tie_strength: float


@dataclass(frozen=True, slots=True)
class IntroRow:
    id: int
    person_a_id: int
    person_a: str
    person_b_id: int
    person_b: str
    reason: str
    stage: str
    created_at: str
    updated_at: str
    made_on: str | None


@dataclass(frozen=True, slots=True)
class ShareItemRow:
    id: int
    title: str
    url: str
    summary: str
    tags: str
    created_at: str
    shared_with: int


# -- what suggestions read -----------------------------------------------------------
def highest_person_id(conn: sqlite3.Connection) -> int:
    """How large the network has grown (removed people included): the highest person id, 0 when empty."""
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) FROM people").fetchone()[0])


def intent_people(conn: sqlite3.Connection) -> list[IntentRow]:
    """Live contacts with a situation, needs or offers in words or tags.

    One scan of the table (NOT INDEXED): through the contacts index it would be a random read per contact.
    """
    rows = conn.execute(
        f"""SELECT p.id, p.display_name, p.situation, p.needs, p.offers, p.tie_strength FROM people p NOT INDEXED
            WHERE {_LIVE_CONTACT} AND (p.situation != '' OR p.needs != '' OR p.offers != ''
               OR p.id IN (SELECT person_id FROM person_tags WHERE kind IN ('situation', 'need', 'offer')))"""
    )
    return [IntentRow(*row) for row in rows]


def intent_tags(conn: sqlite3.Connection) -> list[tuple[int, str, str]]:
    """(person, tag, kind) of every situation, need and offer tag."""
    rows = conn.execute("SELECT person_id, tag, kind FROM person_tags WHERE kind IN ('situation', 'need', 'offer')")
    return [(int(r[0]), str(r[1]), str(r[2])) for r in rows]


def recent_starts(conn: sqlite3.Connection, since_on: str) -> list[tuple[int, str, float, str]]:
    """(person, name, tie strength, organization) of live contacts whose current job began on or after `since_on`.

    Roles are read first (CROSS JOIN keeps that order): few begin lately, while a scan of people would be long.
    Read in one scan of the table (NOT INDEXED): through the current-roles index it was a random read per role,
    10 times slower at 166,000 roles.
    """
    rows = conn.execute(
        f"""SELECT p.id, p.display_name, p.tie_strength, o.name FROM roles r NOT INDEXED
            CROSS JOIN people p ON p.id = r.person_id JOIN organizations o ON o.id = r.organization_id
            WHERE r.is_current = 1 AND r.start_on >= ? AND length(r.start_on) = 10 AND {_LIVE_CONTACT}
            ORDER BY r.start_on DESC""",
        (since_on,),
    )
    return [(int(r[0]), str(r[1]), float(r[2]), str(r[3])) for r in rows]


def linked_pairs(conn: sqlite3.Connection, ids: Iterable[int]) -> set[tuple[int, int]]:
    """(low, high) pairs among `ids` who know each other or whom the user introduced or suggested."""
    marks = id_array(ids)
    found: set[tuple[int, int]] = set()
    for table in ("knows", "introductions"):
        rows = conn.execute(
            f"""SELECT person_a_id, person_b_id FROM {table}
                WHERE person_a_id IN (SELECT value FROM json_each(?)) AND person_b_id IN (SELECT value FROM json_each(?))""",
            (marks, marks),
        )
        found.update((min(a, b), max(a, b)) for a, b in rows)
    return found


def live_contacts(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, tuple[str, float]]:
    rows = conn.execute(
        f"SELECT p.id, p.display_name, p.tie_strength FROM people p WHERE p.id IN (SELECT value FROM json_each(?)) AND {_LIVE_CONTACT}",
        (id_array(ids),),
    )
    return {int(r[0]): (str(r[1]), float(r[2])) for r in rows}


def topic_tags(conn: sqlite3.Connection, tags: Iterable[str]) -> list[tuple[int, str]]:
    """(person, tag) of every tag or interest among `tags`."""
    rows = conn.execute(
        """SELECT person_id, tag FROM person_tags
           WHERE kind IN ('tag', 'interest', 'situation', 'need') AND tag IN (SELECT value FROM json_each(?))""",
        (json.dumps(sorted(set(tags))),),
    )
    return [(int(r[0]), str(r[1])) for r in rows]


def person_tags(conn: sqlite3.Connection, ids: Iterable[int]) -> list[tuple[int, str]]:
    rows = conn.execute(
        "SELECT person_id, tag FROM person_tags WHERE person_id IN (SELECT value FROM json_each(?))", (id_array(ids),)
    )
    return [(int(r[0]), str(r[1])) for r in rows]


# -- introductions -------------------------------------------------------------------
_INTRO = """SELECT i.id, i.person_a_id, a.display_name, i.person_b_id, b.display_name, i.reason, i.stage,
                   i.created_at, i.updated_at, i.made_on
            FROM introductions i JOIN people a ON a.id = i.person_a_id JOIN people b ON b.id = i.person_b_id"""


def insert_intro(conn: sqlite3.Connection, a: int, b: int, *, reason: str, stage: str, now: str) -> int:
    cursor = conn.execute(
        """INSERT INTO introductions (person_a_id, person_b_id, reason, stage, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?)""",
        (a, b, reason, stage, now, now),
    )
    return int(cursor.lastrowid or 0)


def set_stage(conn: sqlite3.Connection, intro_id: int, stage: str, *, now: str, made_on: str | None) -> None:
    conn.execute(
        "UPDATE introductions SET stage = ?, updated_at = ?, made_on = coalesce(?, made_on) WHERE id = ?",
        (stage, now, made_on, intro_id),
    )


def get_intro(conn: sqlite3.Connection, intro_id: int) -> IntroRow | None:
    row = conn.execute(f"{_INTRO} WHERE i.id = ?", (intro_id,)).fetchone()
    return IntroRow(*row) if row else None


def intro_between(conn: sqlite3.Connection, a: int, b: int) -> IntroRow | None:
    row = conn.execute(
        f"{_INTRO} WHERE (i.person_a_id = ? AND i.person_b_id = ?) OR (i.person_a_id = ? AND i.person_b_id = ?)",
        (a, b, b, a),
    ).fetchone()
    return IntroRow(*row) if row else None


def intros(conn: sqlite3.Connection, *, open_only: bool, limit: int = 200) -> list[IntroRow]:
    where = "WHERE i.stage NOT IN ('made', 'declined', 'outcome')" if open_only else ""
    rows = conn.execute(f"{_INTRO} {where} ORDER BY i.updated_at DESC, i.id DESC LIMIT ?", (limit,))
    return [IntroRow(*row) for row in rows]


# -- items to share --------------------------------------------------------------------
_ITEM = """SELECT s.id, s.title, s.url, s.summary, s.tags, s.created_at,
                  (SELECT count(*) FROM shares WHERE item_id = s.id) FROM share_items s"""


def insert_item(conn: sqlite3.Connection, *, title: str, url: str, summary: str, tags: str, now: str) -> int:
    cursor = conn.execute(
        "INSERT INTO share_items (title, url, summary, tags, created_at) VALUES (?, ?, ?, ?, ?)",
        (title, url, summary, tags, now),
    )
    return int(cursor.lastrowid or 0)


def get_item(conn: sqlite3.Connection, item_id: int) -> ShareItemRow | None:
    row = conn.execute(f"{_ITEM} WHERE s.id = ?", (item_id,)).fetchone()
    return ShareItemRow(*row) if row else None


def items(conn: sqlite3.Connection, *, limit: int = 20) -> list[ShareItemRow]:
    return [ShareItemRow(*row) for row in conn.execute(f"{_ITEM} ORDER BY s.id DESC LIMIT ?", (limit,))]


def shared_with(conn: sqlite3.Connection, item_id: int) -> set[int]:
    return {int(r[0]) for r in conn.execute("SELECT person_id FROM shares WHERE item_id = ?", (item_id,))}


def insert_share(conn: sqlite3.Connection, item_id: int, person_id: int, on: str) -> bool:
    cursor = conn.execute(
        "INSERT INTO shares (item_id, person_id, shared_on) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
        (item_id, person_id, on),
    )
    return bool(cursor.rowcount)
