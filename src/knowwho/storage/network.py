"""SQL for who knows whom, job histories (people's and mine) and what the warm-path search reads.

Every read takes a set of ids and uses an index (knows by either end, roles
by person or organization), so a search reads the neighbourhood of its
target, never the whole network.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from knowwho.storage import meaning as meaning_store
from knowwho.storage.sql import contains, id_array


@dataclass(frozen=True, slots=True)
class KnowsRow:
    a: int
    b: int
    source: str
    confidence: float
    note: str


@dataclass(frozen=True, slots=True)
class Stint:
    """A person's (or my own, person None) time at an organization."""

    person_id: int | None
    organization_id: int
    organization: str
    title: str
    start_on: str | None
    end_on: str | None
    is_current: bool


@dataclass(frozen=True, slots=True)
class PersonNode:
    id: int
    name: str
    tie_strength: float
    is_contact: bool
    interaction_count: int
    first_met_on: str | None = None  # 'YYYY-MM-DD': breaks a tie between equal routes (the one met last first)


class NetworkReader(Protocol):
    """What the route search reads: the SQL below (`SqlNetwork`), or the network held in memory by a server."""

    def nodes(self, ids: Iterable[int]) -> dict[int, PersonNode]: ...
    def knows_of(self, ids: Iterable[int]) -> list[KnowsRow]: ...
    def stints_of(self, ids: Iterable[int]) -> list[Stint]: ...
    def stints_at(self, organization_ids: Iterable[int]) -> list[Stint]: ...
    def organization_sizes(self, organization_ids: Iterable[int]) -> dict[int, int]: ...
    def my_stints(self) -> list[Stint]: ...
    def people_titled(self, text: str) -> set[int]: ...
    def current_titles(self) -> list[str]: ...
    def people_with_titles(self, titles: Iterable[str]) -> list[tuple[int, str]]: ...
    def strongest_tie(self) -> float: ...


class SqlNetwork:
    """The network read from the database as each search needs it (one command, nothing kept)."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def nodes(self, ids: Iterable[int]) -> dict[int, PersonNode]:
        return nodes(self.conn, ids)

    def knows_of(self, ids: Iterable[int]) -> list[KnowsRow]:
        return knows_of(self.conn, ids)

    def stints_of(self, ids: Iterable[int]) -> list[Stint]:
        return stints_of(self.conn, ids)

    def stints_at(self, organization_ids: Iterable[int]) -> list[Stint]:
        return stints_at(self.conn, organization_ids)

    def organization_sizes(self, organization_ids: Iterable[int]) -> dict[int, int]:
        return organization_sizes(self.conn, organization_ids)

    def my_stints(self) -> list[Stint]:
        return my_stints(self.conn)

    def people_titled(self, text: str) -> set[int]:
        return people_titled(self.conn, text)

    def current_titles(self) -> list[str]:
        return meaning_store.current_titles(self.conn)

    def people_with_titles(self, titles: Iterable[str]) -> list[tuple[int, str]]:
        return meaning_store.people_with_titles(self.conn, titles)

    def strongest_tie(self) -> float:
        return strongest_tie(self.conn)


# -- writing -------------------------------------------------------------------------
def insert_my_role(
    conn: sqlite3.Connection, *, organization_id: int, title: str, start_on: str | None, end_on: str | None
) -> int:
    cursor = conn.execute(
        "INSERT INTO my_roles (organization_id, title, start_on, end_on, is_current) VALUES (?, ?, ?, ?, ?)",
        (organization_id, title, start_on, end_on, int(end_on is None)),
    )
    return int(cursor.lastrowid or 0)


def end_my_current_roles(conn: sqlite3.Connection, end_on: str) -> None:
    conn.execute("UPDATE my_roles SET is_current = 0, end_on = COALESCE(end_on, ?) WHERE is_current = 1", (end_on,))


# -- reading -------------------------------------------------------------------------
def knows_of(conn: sqlite3.Connection, ids: Iterable[int]) -> list[KnowsRow]:
    """Every knows edge touching one of these people (both ends alive)."""
    marks = id_array(ids)
    rows = conn.execute(
        """SELECT k.person_a_id, k.person_b_id, k.source, k.confidence, k.note FROM knows k
           JOIN people pa ON pa.id = k.person_a_id JOIN people pb ON pb.id = k.person_b_id
           WHERE (k.person_a_id IN (SELECT value FROM json_each(?1))
                  OR k.person_b_id IN (SELECT value FROM json_each(?1)))
             AND pa.deleted_at IS NULL AND pb.deleted_at IS NULL""",
        (marks,),
    )
    return [KnowsRow(r[0], r[1], r[2], float(r[3]), r[4]) for r in rows]


_STINT = """SELECT r.person_id, r.organization_id, o.name, r.title, r.start_on, r.end_on, r.is_current
            FROM roles r JOIN organizations o ON o.id = r.organization_id JOIN people p ON p.id = r.person_id"""


def _stints(rows: Iterable[sqlite3.Row | tuple[object, ...]]) -> list[Stint]:
    return [Stint(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows]  # type: ignore[arg-type]


def stints_of(conn: sqlite3.Connection, ids: Iterable[int]) -> list[Stint]:
    """The roles of these people, current and past."""
    rows = conn.execute(
        f"{_STINT} WHERE r.person_id IN (SELECT value FROM json_each(?)) AND p.deleted_at IS NULL", (id_array(ids),)
    )
    return _stints(rows)


def stints_at(conn: sqlite3.Connection, organization_ids: Iterable[int]) -> list[Stint]:
    """Everyone's roles at these organizations, current and past."""
    rows = conn.execute(
        f"{_STINT} WHERE r.organization_id IN (SELECT value FROM json_each(?)) AND p.deleted_at IS NULL",
        (id_array(organization_ids),),
    )
    return _stints(rows)


def organization_sizes(conn: sqlite3.Connection, organization_ids: Iterable[int]) -> dict[int, int]:
    """How many roles (people, present and past) each organization has on record."""
    rows = conn.execute(
        """SELECT organization_id, COUNT(*) FROM roles WHERE organization_id IN (SELECT value FROM json_each(?))
           GROUP BY organization_id""",
        (id_array(organization_ids),),
    )
    return {r[0]: r[1] for r in rows}


def my_stints(conn: sqlite3.Connection) -> list[Stint]:
    # CROSS JOIN: read the user's few roles first; left to choose, the planner walked every organization.
    rows = conn.execute(
        """SELECT NULL, m.organization_id, o.name, m.title, m.start_on, m.end_on, m.is_current
           FROM my_roles m CROSS JOIN organizations o ON o.id = m.organization_id
           ORDER BY m.is_current DESC, m.start_on DESC, m.id DESC"""
    )
    return _stints(rows)


def nodes(conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, PersonNode]:
    """Name, tie strength and contact flag of these people (removed people left out)."""
    rows = conn.execute(
        """SELECT id, display_name, tie_strength, is_contact, interaction_count, first_met_on FROM people
           WHERE id IN (SELECT value FROM json_each(?)) AND deleted_at IS NULL""",
        (id_array(ids),),
    )
    return {r[0]: PersonNode(r[0], r[1], float(r[2]), bool(r[3]), int(r[4]), r[5]) for r in rows}


def strongest_tie(conn: sqlite3.Connection) -> float:
    """The user's closest tie to any contact (0 with none), read through the tie-strength index."""
    row = conn.execute(
        # `+is_contact`: walk the tie-strength index from the top rather than every contact
        """SELECT tie_strength FROM people WHERE deleted_at IS NULL AND +is_contact = 1
           ORDER BY tie_strength DESC LIMIT 1"""
    ).fetchone()
    return float(row[0]) if row else 0.0


def organization_ids_by_name_part(conn: sqlite3.Connection, text: str, limit: int = 20) -> list[tuple[int, str]]:
    """Organizations whose name contains `text` (case-insensitive), shortest names first."""
    rows = conn.execute(
        f"""SELECT id, name FROM organizations WHERE {contains("name")} AND deleted_at IS NULL
           ORDER BY length(name), name COLLATE NOCASE, id LIMIT ?""",
        (text.strip(), limit),
    )
    return [(r[0], r[1]) for r in rows]


def people_titled(conn: sqlite3.Connection, text: str) -> set[int]:
    """People whose current title contains `text` (case-insensitive; removed people too: the caller filters)."""
    rows = conn.execute(
        f"SELECT person_id FROM roles WHERE is_current = 1 AND {contains('title')}",
        (text.strip(),),
    )
    return {r[0] for r in rows}


def people_mentioning(conn: sqlite3.Connection, text: str, fts_match: str | None) -> set[int]:
    """People whose tags, offers or notes mention `text` (removed people too: the caller filters)."""
    tag = text.strip().lower().replace(" ", "-")
    # the tag itself, or a longer one after a dash ("data" finds "data-science"), through the index
    parts = [
        """SELECT person_id FROM person_tags WHERE tag >= :tag AND tag < :tag || '.'
           AND (tag = :tag OR substr(tag, length(:tag) + 1, 1) = '-')"""
    ]
    if fts_match:
        parts += [
            "SELECT rowid FROM people_fts WHERE people_fts MATCH 'offers : (' || :match || ')'",
            "SELECT person_id FROM notes WHERE id IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH :match)",
        ]
    rows = conn.execute(" UNION ".join(parts), {"tag": tag, "match": fts_match or ""})
    return {r[0] for r in rows if r[0] is not None}


def mentions_of(
    conn: sqlite3.Connection, ids: Iterable[int], text: str, fts_match: str | None
) -> dict[int, tuple[str, str]]:
    """Where each of these people mentions `text`, as `people_mentioning` finds it: the first of their tag,
    their offers or the latest note that does, as ("tag" | "offers" | "note", its text)."""
    wanted = id_array(ids)
    if wanted == "[]":
        return {}
    given = {"tag": text.strip().lower().replace(" ", "-"), "match": fts_match or "", "ids": wanted}
    found: dict[int, tuple[str, str]] = {}
    for person, tag in conn.execute(
        """SELECT person_id, tag FROM person_tags WHERE person_id IN (SELECT value FROM json_each(:ids))
           AND tag >= :tag AND tag < :tag || '.' AND (tag = :tag OR substr(tag, length(:tag) + 1, 1) = '-')
           ORDER BY length(tag), tag""",
        given,
    ):
        found.setdefault(person, ("tag", tag))
    if fts_match:
        offers = """SELECT id, 'offers', offers FROM people WHERE id IN (SELECT value FROM json_each(:ids))
                    AND id IN (SELECT rowid FROM people_fts WHERE people_fts MATCH 'offers : (' || :match || ')')"""
        notes = """SELECT person_id, 'note', body FROM notes WHERE person_id IN (SELECT value FROM json_each(:ids))
                   AND id IN (SELECT rowid FROM notes_fts WHERE notes_fts MATCH :match) ORDER BY created_at DESC"""
        for query in (offers, notes):
            for person, where, words in conn.execute(query, given):
                found.setdefault(person, (where, words))
    return found


def knows_counts(conn: sqlite3.Connection, person_id: int) -> list[tuple[int, str, str, str]]:
    """The contacts this person knows: (id, name, source, note), recorded edges first."""
    rows = conn.execute(
        """SELECT p.id, p.display_name, k.source, k.note FROM knows k
           JOIN people p ON p.id = CASE WHEN k.person_a_id = ?1 THEN k.person_b_id ELSE k.person_a_id END
           WHERE (k.person_a_id = ?1 OR k.person_b_id = ?1) AND p.deleted_at IS NULL AND p.is_contact = 1
           ORDER BY k.source != 'me', p.tie_strength DESC, p.id""",
        (person_id,),
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def set_role_start(conn: sqlite3.Connection, role_id: int, start_on: str) -> None:
    conn.execute("UPDATE roles SET start_on = ? WHERE id = ?", (start_on, role_id))


# -- what is inferred about whom someone knows ---------------------------------------------
@dataclass(frozen=True, slots=True)
class SharedRow:
    """Another person on something this person shared: a mail thread, an event, an introduction."""

    other: int
    times: int  # how many threads or events they shared
    size: int  # how many people were on one, on average (the fewer, the surer they know each other)
    label: str  # the latest subject or event name
    on: str  # the latest date (YYYY-MM-DD), '' when unknown


def co_recipients(
    conn: sqlite3.Connection, person_id: int, *, kinds: tuple[str, ...], fewest: int, most: int
) -> list[SharedRow]:
    """People on the same conversations of these kinds with `fewest`..`most` participants (removed ones left out)."""
    rows = conn.execute(
        f"""WITH small AS (
                SELECT i.id, i.occurred_at, i.subject,
                       (SELECT COUNT(*) FROM interaction_participants c WHERE c.interaction_id = i.id) AS size
                FROM interaction_participants mine JOIN interactions i ON i.id = mine.interaction_id
                WHERE mine.person_id = ? AND i.deleted_at IS NULL
                  AND i.kind IN ({",".join("?" * len(kinds))}))
            SELECT o.person_id, COUNT(*), ROUND(AVG(s.size)), s.subject, MAX(s.occurred_at)
            FROM small s JOIN interaction_participants o ON o.interaction_id = s.id
            JOIN people p ON p.id = o.person_id
            WHERE s.size BETWEEN ? AND ? AND o.person_id != ? AND p.deleted_at IS NULL
            GROUP BY o.person_id""",
        (person_id, *kinds, fewest, most, person_id),
    )
    return [SharedRow(r[0], r[1], int(r[2]), r[3] or "", (r[4] or "")[:10]) for r in rows]


def met_together(conn: sqlite3.Connection, person_id: int, *, most: int) -> list[SharedRow]:
    """People the user met at the same events as this person (the latest event named).

    Events where the user met more than `most` people are left out: with thousands met at
    one conference, having been there too says little (and listing them all is slow).
    """
    rows = conn.execute(
        """WITH mine AS (
                SELECT e.id, e.name, e.starts_on,
                       (SELECT COUNT(*) FROM event_people c WHERE c.event_id = e.id) AS size
                FROM event_people ep JOIN events e ON e.id = ep.event_id WHERE ep.person_id = ?)
            SELECT o.person_id, COUNT(*), ROUND(AVG(m.size)), m.name, MAX(m.starts_on)
            FROM mine m JOIN event_people o ON o.event_id = m.id JOIN people p ON p.id = o.person_id
            WHERE m.size <= ? AND o.person_id != ? AND p.deleted_at IS NULL
            GROUP BY o.person_id""",
        (person_id, most, person_id),
    )
    return [SharedRow(r[0], r[1], int(r[2]), r[3] or "", r[4] or "") for r in rows]


def introduced_to(conn: sqlite3.Connection, person_id: int) -> list[SharedRow]:
    """People the user introduced this person to (introductions made)."""
    rows = conn.execute(
        """SELECT CASE WHEN i.person_a_id = ?1 THEN i.person_b_id ELSE i.person_a_id END AS other,
                  COUNT(*), 2, i.reason, MAX(COALESCE(i.made_on, ''))
           FROM introductions i JOIN people p
             ON p.id = CASE WHEN i.person_a_id = ?1 THEN i.person_b_id ELSE i.person_a_id END
           WHERE (i.person_a_id = ?1 OR i.person_b_id = ?1) AND p.deleted_at IS NULL
             AND (i.stage IN ('made', 'outcome') OR i.made_on IS NOT NULL)
           GROUP BY other""",
        (person_id,),
    )
    return [SharedRow(r[0], r[1], r[2], r[3] or "", r[4] or "") for r in rows]


# -- the same, for every pair at once (the network export) --------------------------------------
_BOTH_ALIVE = """JOIN people pa ON pa.id = a.person_id JOIN people pb ON pb.id = b.person_id
    WHERE pa.deleted_at IS NULL AND pb.deleted_at IS NULL GROUP BY a.person_id, b.person_id"""


def _pairs(rows: sqlite3.Cursor) -> list[tuple[int, SharedRow]]:
    return [(r[0], SharedRow(r[1], r[2], int(r[3]), r[4] or "", (r[5] or "")[:10])) for r in rows]


def co_recipient_pairs(
    conn: sqlite3.Connection, *, kinds: tuple[str, ...], fewest: int, most: int
) -> list[tuple[int, SharedRow]]:
    """(a, shared with b) for every two people on the same conversations of `fewest`..`most` participants (a < b)."""
    rows = conn.execute(
        f"""WITH small AS (
                SELECT i.id, i.subject, i.occurred_at, COUNT(*) AS size
                FROM interactions i JOIN interaction_participants ip ON ip.interaction_id = i.id
                WHERE i.deleted_at IS NULL AND i.kind IN ({",".join("?" * len(kinds))})
                GROUP BY i.id HAVING size BETWEEN ? AND ?)
            SELECT a.person_id, b.person_id, COUNT(*), ROUND(AVG(s.size)), s.subject, MAX(s.occurred_at)
            FROM small s JOIN interaction_participants a ON a.interaction_id = s.id
            JOIN interaction_participants b ON b.interaction_id = s.id AND b.person_id > a.person_id {_BOTH_ALIVE}""",
        (*kinds, fewest, most),
    )
    return _pairs(rows)


def met_together_pairs(conn: sqlite3.Connection, *, most: int) -> list[tuple[int, SharedRow]]:
    """(a, shared with b) for every two people the user met at the same events of at most `most` people."""
    rows = conn.execute(
        f"""WITH small AS (
                SELECT e.id, e.name, e.starts_on, COUNT(*) AS size
                FROM events e JOIN event_people ep ON ep.event_id = e.id GROUP BY e.id HAVING size <= ?)
            SELECT a.person_id, b.person_id, COUNT(*), ROUND(AVG(s.size)), s.name, MAX(s.starts_on)
            FROM small s JOIN event_people a ON a.event_id = s.id
            JOIN event_people b ON b.event_id = s.id AND b.person_id > a.person_id {_BOTH_ALIVE}""",
        (most,),
    )
    return _pairs(rows)


def introduced_pairs(conn: sqlite3.Connection) -> list[tuple[int, SharedRow]]:
    """(a, b) for every two people the user introduced to each other (a < b)."""
    rows = conn.execute(
        """SELECT MIN(i.person_a_id, i.person_b_id) AS a, MAX(i.person_a_id, i.person_b_id) AS b,
                  COUNT(*), 2, i.reason, MAX(COALESCE(i.made_on, ''))
           FROM introductions i JOIN people pa ON pa.id = i.person_a_id JOIN people pb ON pb.id = i.person_b_id
           WHERE pa.deleted_at IS NULL AND pb.deleted_at IS NULL
             AND (i.stage IN ('made', 'outcome') OR i.made_on IS NOT NULL)
           GROUP BY a, b"""
    )
    return _pairs(rows)


def knows_among(conn: sqlite3.Connection, ids: Iterable[int]) -> list[KnowsRow]:
    """The recorded edges with both ends among these people."""
    marks = id_array(ids)
    rows = conn.execute(
        """SELECT person_a_id, person_b_id, source, confidence, note FROM knows
           WHERE person_a_id IN (SELECT value FROM json_each(?1)) AND person_b_id IN (SELECT value FROM json_each(?1))""",
        (marks,),
    )
    return [KnowsRow(r[0], r[1], r[2], float(r[3]), r[4]) for r in rows]


# -- the whole network at once, and which rows changed since (for a reader that keeps it in memory) --
@dataclass(frozen=True, slots=True)
class RoleRow:
    id: int
    person_id: int
    organization_id: int
    title: str
    start_on: str | None
    end_on: str | None
    is_current: bool


def _only(column: str, ids: Iterable[int] | None) -> tuple[str, tuple[str, ...]]:
    return ("", ()) if ids is None else (f" WHERE {column} IN (SELECT value FROM json_each(?))", (id_array(ids),))


def all_nodes(conn: sqlite3.Connection) -> dict[int, PersonNode]:
    """Every person not removed, as the route search sees them."""
    rows = conn.execute(
        """SELECT id, display_name, tie_strength, is_contact, interaction_count, first_met_on FROM people
           WHERE deleted_at IS NULL"""
    )
    return {r[0]: PersonNode(r[0], r[1], float(r[2]), bool(r[3]), int(r[4]), r[5]) for r in rows}


def knows_rows(conn: sqlite3.Connection, ids: Iterable[int] | None = None) -> dict[int, KnowsRow]:
    """Knows edges by their id: all of them, or those with these ids (either end may be removed)."""
    where, args = _only("id", ids)
    rows = conn.execute(f"SELECT id, person_a_id, person_b_id, source, confidence, note FROM knows{where}", args)
    return {r[0]: KnowsRow(r[1], r[2], r[3], float(r[4]), r[5]) for r in rows}


def role_rows(conn: sqlite3.Connection, ids: Iterable[int] | None = None) -> dict[int, RoleRow]:
    """People's roles by their id: all of them, or those with these ids."""
    where, args = _only("id", ids)
    rows = conn.execute(
        f"SELECT id, person_id, organization_id, title, start_on, end_on, is_current FROM roles{where}", args
    )
    return {r[0]: RoleRow(r[0], r[1], r[2], r[3], r[4], r[5], bool(r[6])) for r in rows}


def organization_names(conn: sqlite3.Connection, ids: Iterable[int] | None = None) -> dict[int, str]:
    where, args = _only("id", ids)
    return {r[0]: r[1] for r in conn.execute(f"SELECT id, name FROM organizations{where}", args)}


def network_changes_since(conn: sqlite3.Connection, seq: int, limit: int) -> list[tuple[int, str, int]]:
    """(seq, table, row id) of the changes after `seq`, oldest first, at most `limit` (a range names each row)."""
    rows = conn.execute(
        "SELECT seq, tbl, row_id, last_row_id FROM network_changes WHERE seq > ? ORDER BY seq LIMIT ?", (seq, limit)
    )
    found: list[tuple[int, str, int]] = []
    for change, tbl, first, last in rows:
        found.extend((change, tbl, row_id) for row_id in range(first, min(last or first, first + limit) + 1))
        if len(found) >= limit:
            return found[:limit]
    return found


def network_change_bounds(conn: sqlite3.Connection) -> tuple[int, int]:
    """(oldest change kept, newest change ever made); a reader older than the first has missed some."""
    row = conn.execute(
        """SELECT (SELECT MIN(seq) FROM network_changes),
                  (SELECT seq FROM sqlite_sequence WHERE name = 'network_changes')"""
    ).fetchone()
    newest = int(row[1] or 0)
    return int(row[0] if row[0] is not None else newest + 1), newest
