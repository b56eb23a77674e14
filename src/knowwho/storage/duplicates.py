"""SQL for finding duplicate people and for merging one person into another, and back.

A merge moves every row that belongs to the person merged away onto the one
kept, and returns exactly what it changed so that undo can put every row
back where it was.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator, Sequence
from typing import Any

from knowwho.storage.sql import set_columns

# Handled on their own: the people row itself, knows edges (two people, ordered),
# roles (merged without repeating a job both records hold).
_SPECIAL = {"people", "knows", "roles"}
_KNOWS_COLUMNS = ("id", "person_a_id", "person_b_id", "source", "confidence", "note", "created_at")
_SEP = "\x1f"


# -- candidates --------------------------------------------------------------------------
def people_for_matching(
    conn: sqlite3.Connection, ids: Sequence[int] | None = None
) -> Iterator[tuple[int, str, str, str, list[str], list[str], list[str], list[str]]]:
    """(id, display, given, family, organizations, phones, emails, linkedin urls) of everyone not removed.

    With `ids`, of those people only.
    """
    chosen = "" if ids is None else "AND p.id IN (SELECT value FROM json_each(?))"
    rows = conn.execute(
        f"""SELECT p.id, p.display_name, p.given_name, p.family_name,
              (SELECT group_concat(o.name, '{_SEP}') FROM roles r JOIN organizations o ON o.id = r.organization_id
               WHERE r.person_id = p.id),
              (SELECT group_concat(phone, '{_SEP}') FROM person_phones WHERE person_id = p.id),
              (SELECT group_concat(email, '{_SEP}') FROM person_emails WHERE person_id = p.id),
              (SELECT group_concat(url, '{_SEP}') FROM person_links WHERE person_id = p.id AND kind = 'linkedin')
            FROM people p WHERE p.deleted_at IS NULL {chosen} ORDER BY p.id""",
        () if ids is None else (json.dumps(list(ids)),),
    )
    for pid, display, given, family, orgs, phones, emails, links in rows:
        yield pid, display, given, family, _split(orgs), _split(phones), _split(emails), _split(links)


def ids_named_like(conn: sqlite3.Connection, words: Sequence[str], limit: int = 500) -> list[int]:
    """People not removed whose given or family name is one of these words (lower case), or whose names start
    as the first and last words do (Jon Smyth: John Smith), the ones a fuzzy name match can find."""
    first, last = (words[0][:1], words[-1][:2]) if len(words) > 1 else ("", "")
    rows = conn.execute(
        """SELECT id FROM people WHERE deleted_at IS NULL
             AND (lower(family_name) IN (SELECT value FROM json_each(:w))
                  OR lower(given_name) IN (SELECT value FROM json_each(:w))
                  OR (:first != '' AND lower(substr(given_name, 1, 1)) = :first
                      AND lower(substr(family_name, 1, 2)) = :last))
           ORDER BY id LIMIT :limit""",
        {"w": json.dumps(list(words)), "first": first, "last": last, "limit": limit},
    )
    return [r[0] for r in rows]


def not_duplicates(conn: sqlite3.Connection) -> set[tuple[int, int]]:
    """The pairs (lower id first) the user said are different people."""
    rows = conn.execute("SELECT min(person_a_id, person_b_id), max(person_a_id, person_b_id) FROM not_duplicates")
    return {(a, b) for a, b in rows}


def add_not_duplicate(conn: sqlite3.Connection, a: int, b: int, *, now: str) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO not_duplicates (person_a_id, person_b_id, created_at) VALUES (?, ?, ?)",
        (min(a, b), max(a, b), now),
    )


def _split(value: str | None) -> list[str]:
    return value.split(_SEP) if value else []


# -- merging -----------------------------------------------------------------------------
def person_references(conn: sqlite3.Connection) -> list[tuple[str, str, bool]]:
    """(table, column, rows have their own id) for every column that points at a person.

    Read from the schema, so that tables added by later migrations move on a merge too.
    """
    found = []
    tables = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")]
    for table in tables:
        if table in _SPECIAL:
            continue
        for fk in conn.execute(f"PRAGMA foreign_key_list('{table}')"):
            if fk["table"] == "people":
                found.append((table, fk["from"], _has_id(conn, table)))
    return found


def _has_id(conn: sqlite3.Connection, table: str) -> bool:
    return any(c["name"] == "id" and c["pk"] == 1 for c in conn.execute(f"PRAGMA table_info('{table}')"))


def _columns(conn: sqlite3.Connection, table: str) -> tuple[list[str], list[str]]:
    """(all columns, primary-key columns) of a table."""
    info = list(conn.execute(f"PRAGMA table_info('{table}')"))
    columns = [c["name"] for c in info]
    key = [c["name"] for c in sorted(info, key=lambda c: c["pk"]) if c["pk"]]
    return columns, key or columns


def move_link_rows(
    conn: sqlite3.Connection, table: str, column: str, from_id: int, to_id: int
) -> tuple[list[list[Any]], list[list[Any]]]:
    """Move `from_id`'s rows of a table without ids to `to_id`: (rows taken away, rows added for `to_id`)."""
    columns, _key = _columns(conn, table)
    names = ", ".join(columns)
    taken = [list(r) for r in conn.execute(f"SELECT {names} FROM {table} WHERE {column} = ?", (from_id,))]
    added = []
    slot = columns.index(column)
    insert = f"INSERT OR IGNORE INTO {table} ({names}) VALUES ({', '.join('?' * len(columns))})"
    for row in taken:
        moved = [*row[:slot], to_id, *row[slot + 1 :]]
        if conn.execute(insert, moved).rowcount:
            added.append(moved)
    conn.execute(f"DELETE FROM {table} WHERE {column} = ?", (from_id,))
    return taken, added


def owned_ids(conn: sqlite3.Connection, table: str, column: str, person_id: int) -> list[int]:
    return [r[0] for r in conn.execute(f"SELECT id FROM {table} WHERE {column} = ? ORDER BY id", (person_id,))]


def repoint(conn: sqlite3.Connection, table: str, column: str, ids: list[int], to_id: int) -> None:
    conn.executemany(f"UPDATE {table} SET {column} = ? WHERE id = ?", [(to_id, i) for i in ids])


def distinct_role_ids(conn: sqlite3.Connection, from_id: int, to_id: int) -> list[int]:
    """`from_id`'s roles that `to_id` does not already hold (same organization and title, or no title)."""
    rows = conn.execute(
        """SELECT r.id FROM roles r WHERE r.person_id = ? AND NOT EXISTS (
             SELECT 1 FROM roles k WHERE k.person_id = ? AND k.organization_id = r.organization_id
               AND (lower(k.title) = lower(r.title) OR r.title = ''))
           ORDER BY r.id""",
        (from_id, to_id),
    )
    return [r[0] for r in rows]


def provenance_ids(conn: sqlite3.Connection, person_id: int) -> list[int]:
    rows = conn.execute("SELECT id FROM provenance WHERE entity = 'person' AND entity_id = ?", (person_id,))
    return [r[0] for r in rows]


def repoint_provenance(conn: sqlite3.Connection, ids: list[int], to_id: int) -> None:
    conn.executemany("UPDATE provenance SET entity_id = ? WHERE id = ?", [(to_id, i) for i in ids])


def move_knows(conn: sqlite3.Connection, from_id: int, to_id: int) -> tuple[list[list[Any]], list[int]]:
    """Re-point `from_id`'s knows edges to `to_id`: (original rows, ids of the edges added)."""
    names = ", ".join(_KNOWS_COLUMNS)
    taken = [
        list(r)
        for r in conn.execute(
            f"SELECT {names} FROM knows WHERE person_a_id = ? OR person_b_id = ? ORDER BY id", (from_id, from_id)
        )
    ]
    conn.execute("DELETE FROM knows WHERE person_a_id = ? OR person_b_id = ?", (from_id, from_id))
    added = []
    for _id, a, b, source, confidence, note, created_at in taken:
        other = b if a == from_id else a
        if other == to_id:
            continue  # an edge between the two people merged becomes meaningless
        low, high = min(other, to_id), max(other, to_id)
        cursor = conn.execute(
            """INSERT OR IGNORE INTO knows (person_a_id, person_b_id, source, confidence, note, created_at)
               VALUES (?, ?, ?, ?, ?, ?)""",
            (low, high, source, confidence, note, created_at),
        )
        if cursor.rowcount:
            added.append(int(cursor.lastrowid or 0))
    return taken, added


def person_row(conn: sqlite3.Connection, person_id: int) -> dict[str, Any] | None:
    """Every column of a person, photo excepted (undo journals are JSON)."""
    row = conn.execute("SELECT * FROM people WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        return None
    return {k: row[k] for k in row.keys() if k != "photo"}  # noqa: SIM118 (Row iterates values)


def set_person_columns(conn: sqlite3.Connection, person_id: int, values: dict[str, Any]) -> None:
    """Write columns as given, `updated_at` included (a merge and its undo restore rows exactly)."""
    set_columns(conn, "people", person_id, values, allowed=set(person_row(conn, person_id) or {}) - {"id"})


def copy_photo_if_missing(conn: sqlite3.Connection, from_id: int, to_id: int) -> bool:
    cursor = conn.execute(
        """UPDATE people SET photo = (SELECT photo FROM people WHERE id = :src),
                             photo_type = (SELECT photo_type FROM people WHERE id = :src)
           WHERE id = :dst AND photo IS NULL AND (SELECT photo IS NOT NULL FROM people WHERE id = :src)""",
        {"src": from_id, "dst": to_id},
    )
    return cursor.rowcount > 0
