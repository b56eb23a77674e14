"""SQL for people and their emails, phones, links, tags and roles."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

from knowwho.storage.records import PersonRecord, RoleRecord
from knowwho.storage.sql import set_columns

PERSON_COLUMNS = (
    "display_name", "given_name", "family_name", "location", "situation", "needs",
    "offers", "how_met", "first_met_on", "birthday", "cadence_days", "closeness",
    "is_advocate", "is_contact",
)  # fmt: skip
_RECORD_FIELDS = set(PersonRecord.__slots__)
_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")


def _record(row: sqlite3.Row) -> PersonRecord:
    values = {k: row[k] for k in row.keys() if k in _RECORD_FIELDS}  # noqa: SIM118 (Row iterates values)
    values["is_advocate"] = bool(values.get("is_advocate"))
    values["is_contact"] = bool(values.get("is_contact", 1))
    return PersonRecord(**values)


def insert(conn: sqlite3.Connection, *, now: str, **fields: Any) -> int:
    unknown = set(fields) - set(PERSON_COLUMNS)
    if unknown:
        raise ValueError(f"unknown person fields: {sorted(unknown)}")
    columns = [*fields, "created_at", "updated_at"]
    cursor = conn.execute(
        f"INSERT INTO people ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})",
        [*fields.values(), now, now],
    )
    return int(cursor.lastrowid or 0)


def update(conn: sqlite3.Connection, person_id: int, *, now: str, **fields: Any) -> None:
    set_columns(conn, "people", person_id, fields, allowed=PERSON_COLUMNS, updated_at=now)


def get(conn: sqlite3.Connection, person_id: int, *, with_details: bool = True) -> PersonRecord | None:
    row = conn.execute("SELECT * FROM people WHERE id = ?", (person_id,)).fetchone()
    if row is None:
        return None
    person = _record(row)
    if with_details:
        load_details(conn, [person])
    return person


def get_many(conn: sqlite3.Connection, ids: Sequence[int]) -> list[PersonRecord]:
    """People by id, in the order given, with their emails, tags and roles."""
    if not ids:
        return []
    people: dict[int, PersonRecord] = {}
    for chunk in _chunks(list(ids), 500):
        marks = ",".join("?" * len(chunk))
        for row in conn.execute(f"SELECT * FROM people WHERE id IN ({marks})", chunk):
            people[row["id"]] = _record(row)
    found = [people[i] for i in ids if i in people]
    load_details(conn, found)
    return found


def load_details(conn: sqlite3.Connection, people: list[PersonRecord]) -> None:
    by_id = {p.id: p for p in people}
    for chunk in _chunks(list(by_id), 500):
        marks = ",".join("?" * len(chunk))
        # Emails, phones and links in the order added, tags by name: one statement for the four lists (each is
        # a round trip, and a page of one person read four of them).
        for which, pid, value, _order in conn.execute(
            f"""SELECT 0, person_id, email, rowid FROM person_emails WHERE person_id IN ({marks})
                UNION ALL SELECT 1, person_id, phone, rowid FROM person_phones WHERE person_id IN ({marks})
                UNION ALL SELECT 2, person_id, url, rowid FROM person_links WHERE person_id IN ({marks})
                UNION ALL SELECT 3, person_id, tag, tag FROM person_tags
                          WHERE +kind = 'tag' AND person_id IN ({marks})
                ORDER BY 1, 4""",  # +kind: look up by person (the primary key), not by the (kind, tag) index
            chunk * 4,
        ):
            person = by_id[pid]
            (person.emails, person.phones, person.links, person.tags)[which].append(value)
        for row in conn.execute(
            f"""SELECT r.*, o.name AS organization FROM roles r JOIN organizations o ON o.id = r.organization_id
                WHERE r.person_id IN ({marks}) ORDER BY r.is_current DESC, r.start_on DESC, r.id DESC""",
            chunk,
        ):
            by_id[row["person_id"]].roles.append(_role(row))


def _role(row: sqlite3.Row) -> RoleRecord:
    return RoleRecord(
        id=row["id"], person_id=row["person_id"], organization_id=row["organization_id"],
        organization=row["organization"], title=row["title"], start_on=row["start_on"],
        end_on=row["end_on"], is_current=bool(row["is_current"]),
    )  # fmt: skip


def _chunks(items: list[int], size: int) -> Iterable[list[int]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def ids_by_email(conn: sqlite3.Connection, email: str) -> list[int]:
    rows = conn.execute(
        """SELECT DISTINCT e.person_id FROM person_emails e JOIN people p ON p.id = e.person_id
           WHERE e.email = ? AND p.deleted_at IS NULL""",
        (email.strip().lower(),),
    )
    return [r[0] for r in rows]


def ids_by_link(conn: sqlite3.Connection, url: str) -> list[int]:
    rows = conn.execute(
        """SELECT DISTINCT l.person_id FROM person_links l JOIN people p ON p.id = l.person_id
           WHERE l.url = ? AND p.deleted_at IS NULL""",
        (url,),
    )
    return [r[0] for r in rows]


def ids_by_exact_name(conn: sqlite3.Connection, name: str) -> list[int]:
    rows = conn.execute(
        "SELECT id FROM people WHERE display_name = ? COLLATE NOCASE AND deleted_at IS NULL ORDER BY id",
        (name.strip(),),
    )
    return [r[0] for r in rows]


def ids_by_name_part(conn: sqlite3.Connection, part: str, limit: int = 20) -> list[int]:
    """People whose name contains `part` (a word prefix first, via the full-text index)."""
    words = [w for w in _CONTROLS.sub(" ", part.replace('"', " ")).split() if w]  # a NUL would end the query
    if not words:
        return []
    match = " ".join(f'"{w}"*' for w in words)
    rows = conn.execute(
        """SELECT p.id FROM people_fts f JOIN people p ON p.id = f.rowid
           WHERE people_fts MATCH ? AND p.deleted_at IS NULL
           ORDER BY p.tie_strength DESC, p.id LIMIT ?""",
        (f"display_name : ({match})", limit),
    )
    return [r[0] for r in rows]


def add_emails(conn: sqlite3.Connection, person_id: int, emails: Iterable[str], label: str = "") -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO person_emails (person_id, email, label) VALUES (?, ?, ?)",
        [(person_id, e.strip().lower(), label) for e in emails if e.strip()],
    )


def add_phones(conn: sqlite3.Connection, person_id: int, phones: Iterable[str], label: str = "") -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO person_phones (person_id, phone, label) VALUES (?, ?, ?)",
        [(person_id, p, label) for p in phones if p],
    )


def add_links(conn: sqlite3.Connection, person_id: int, links: Iterable[tuple[str, str]]) -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO person_links (person_id, url, kind) VALUES (?, ?, ?)",
        [(person_id, url, kind) for url, kind in links if url],
    )


def add_tags(conn: sqlite3.Connection, person_id: int, tags: Iterable[str], kind: str = "tag") -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO person_tags (person_id, tag, kind) VALUES (?, ?, ?)",
        [(person_id, t, kind) for t in tags if t],
    )


def remove_tags(conn: sqlite3.Connection, person_id: int, tags: Iterable[str], kind: str = "tag") -> None:
    conn.executemany(
        "DELETE FROM person_tags WHERE person_id = ? AND tag = ? AND kind = ?",
        [(person_id, t, kind) for t in tags],
    )


def remove_emails(conn: sqlite3.Connection, person_id: int, emails: Iterable[str]) -> None:
    conn.executemany(
        "DELETE FROM person_emails WHERE person_id = ? AND email = ?",
        [(person_id, e.strip().lower()) for e in emails],
    )


def remove_phones(conn: sqlite3.Connection, person_id: int, phones: Iterable[str]) -> None:
    conn.executemany("DELETE FROM person_phones WHERE person_id = ? AND phone = ?", [(person_id, p) for p in phones])


def insert_role(
    conn: sqlite3.Connection,
    *,
    person_id: int,
    organization_id: int,
    title: str = "",
    start_on: str | None = None,
    end_on: str | None = None,
    is_current: bool = True,
) -> int:
    cursor = conn.execute(
        """INSERT INTO roles (person_id, organization_id, title, start_on, end_on, is_current)
           VALUES (?, ?, ?, ?, ?, ?)""",
        (person_id, organization_id, title, start_on, end_on, int(is_current)),
    )
    return int(cursor.lastrowid or 0)


def end_current_roles(conn: sqlite3.Connection, person_id: int, end_on: str) -> list[int]:
    ids = [r[0] for r in conn.execute("SELECT id FROM roles WHERE person_id = ? AND is_current = 1", (person_id,))]
    conn.execute(
        "UPDATE roles SET is_current = 0, end_on = COALESCE(end_on, ?) WHERE person_id = ? AND is_current = 1",
        (end_on, person_id),
    )
    return ids


def set_role_title(conn: sqlite3.Connection, role_id: int, title: str) -> None:
    conn.execute("UPDATE roles SET title = ? WHERE id = ?", (title, role_id))


def set_deleted(conn: sqlite3.Connection, person_id: int, deleted_at: str | None) -> None:
    conn.execute("UPDATE people SET deleted_at = ? WHERE id = ?", (deleted_at, person_id))


def refresh_stats(conn: sqlite3.Connection, person_ids: Iterable[int]) -> None:
    """Recompute the interaction-derived columns of these people in one grouped statement.

    The ids travel as one JSON array (json_each), whatever their number;
    people left without interactions are reset too.
    """
    import json

    conn.execute(
        """UPDATE people SET
             first_interaction_at = s.first_at, last_interaction_at = s.last_at,
             last_inbound_at = s.last_in, last_outbound_at = s.last_out,
             interaction_count = s.n
           FROM (SELECT t.value AS pid, MIN(i.occurred_at) AS first_at, MAX(i.occurred_at) AS last_at,
                        MAX(CASE WHEN i.direction = 'in' THEN i.occurred_at END) AS last_in,
                        MAX(CASE WHEN i.direction != 'in' THEN i.occurred_at END) AS last_out,
                        COUNT(i.id) AS n
                 FROM json_each(?) t
                 LEFT JOIN interaction_participants ip ON ip.person_id = t.value
                 LEFT JOIN interactions i ON i.id = ip.interaction_id AND i.deleted_at IS NULL
                 GROUP BY t.value) AS s
           WHERE people.id = s.pid""",
        (json.dumps(list(person_ids)),),
    )


def refresh_all_stats(conn: sqlite3.Connection) -> None:
    """The bulk form of `refresh_stats`, after a large import."""
    conn.execute(
        """UPDATE people SET
             first_interaction_at = s.first_at, last_interaction_at = s.last_at,
             last_inbound_at = s.last_in, last_outbound_at = s.last_out,
             interaction_count = s.n
           FROM (SELECT ip.person_id AS pid, MIN(i.occurred_at) AS first_at, MAX(i.occurred_at) AS last_at,
                        MAX(CASE WHEN i.direction = 'in' THEN i.occurred_at END) AS last_in,
                        MAX(CASE WHEN i.direction != 'in' THEN i.occurred_at END) AS last_out,
                        COUNT(i.id) AS n
                 FROM interaction_participants ip
                 JOIN interactions i ON i.id = ip.interaction_id AND i.deleted_at IS NULL
                 GROUP BY ip.person_id) AS s
           WHERE people.id = s.pid"""
    )


def set_tie_strengths(conn: sqlite3.Connection, values: Iterable[tuple[float, int]]) -> None:
    conn.executemany("UPDATE people SET tie_strength = ? WHERE id = ?", values)


def count(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COUNT(*) FROM people WHERE deleted_at IS NULL").fetchone()[0])


def all_closeness(conn: sqlite3.Connection) -> dict[int, int]:
    return {r[0]: r[1] for r in conn.execute("SELECT id, closeness FROM people WHERE closeness IS NOT NULL")}


def set_photo(conn: sqlite3.Connection, person_id: int, photo: bytes, photo_type: str) -> None:
    conn.execute("UPDATE people SET photo = ?, photo_type = ? WHERE id = ?", (photo, photo_type, person_id))


def has_photo(conn: sqlite3.Connection, person_id: int) -> bool:
    row = conn.execute("SELECT photo IS NOT NULL FROM people WHERE id = ?", (person_id,)).fetchone()
    return bool(row and row[0])


def has_note(conn: sqlite3.Connection, person_id: int, body: str) -> bool:
    row = conn.execute("SELECT 1 FROM notes WHERE person_id = ? AND body = ? LIMIT 1", (person_id, body)).fetchone()
    return row is not None


def add_addresses(conn: sqlite3.Connection, person_id: int, addresses: Iterable[str], label: str = "") -> None:
    conn.executemany(
        "INSERT OR IGNORE INTO person_addresses (person_id, address, label) VALUES (?, ?, ?)",
        [(person_id, a, label) for a in addresses if a],
    )


def existing_emails(conn: sqlite3.Connection, emails: Iterable[str]) -> set[str]:
    """Which of these addresses a person not removed already has."""
    return _existing(conn, "person_emails", "email", list(emails))


def existing_links(conn: sqlite3.Connection, urls: Iterable[str]) -> set[str]:
    """Which of these profile URLs a person not removed already has."""
    return _existing(conn, "person_links", "url", list(urls))


def _existing(conn: sqlite3.Connection, table: str, column: str, values: list[str]) -> set[str]:
    found: set[str] = set()
    unique = list(dict.fromkeys(values))
    for start in range(0, len(unique), 500):
        chunk = unique[start : start + 500]
        rows = conn.execute(
            f"""SELECT t.{column} FROM {table} t JOIN people p ON p.id = t.person_id
                WHERE t.{column} IN ({",".join("?" * len(chunk))}) AND p.deleted_at IS NULL""",
            chunk,
        )
        found.update(r[0] for r in rows)
    return found


_MANY_COLUMNS = ("id", "display_name", "given_name", "family_name", "location", "how_met", "first_met_on",
                 "birthday", "is_contact", "created_at", "updated_at")  # fmt: skip


def insert_many(conn: sqlite3.Connection, rows: Sequence[Sequence[Any]], *, now: str) -> list[int]:
    """Insert people given as (display, given, family, location, how_met, first_met_on, birthday, is_contact).

    Ids are handed out in a run from the current maximum (the caller's
    transaction holds the write lock); many rows go in one statement so the
    full-text trigger does not flush its index once per person.
    """
    first = int(conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM people").fetchone()[0])
    ids = list(range(first, first + len(rows)))
    width = len(_MANY_COLUMNS)
    per_statement = 400
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        values = ",".join([f"({', '.join('?' * width)})"] * len(chunk))
        params = [v for offset, row in enumerate(chunk) for v in (first + start + offset, *row, now, now)]
        conn.execute(f"INSERT INTO people ({', '.join(_MANY_COLUMNS)}) VALUES {values}", params)
    return ids


def insert_roles(conn: sqlite3.Connection, rows: Iterable[tuple[int, int, str, str | None]]) -> None:
    """Current roles given as (person id, organization id, title, start_on)."""
    conn.executemany(
        "INSERT INTO roles (person_id, organization_id, title, start_on, is_current) VALUES (?, ?, ?, ?, 1)", rows
    )


def insert_list_rows(conn: sqlite3.Connection, table: str, rows: Iterable[tuple[int, str, str]]) -> int:
    """(person id, value, label or kind) rows into person_emails/phones/links/addresses/tags; how many were new."""
    columns = {"person_emails": "email, label", "person_phones": "phone, label", "person_links": "url, kind",
               "person_addresses": "address, label", "person_tags": "tag, kind"}[table]  # fmt: skip
    cursor = conn.executemany(f"INSERT OR IGNORE INTO {table} (person_id, {columns}) VALUES (?, ?, ?)", rows)
    return max(cursor.rowcount, 0)


def organization_names(conn: sqlite3.Connection, person_id: int) -> set[str]:
    """Lower-case names of the organizations of a person's roles, past and current."""
    rows = conn.execute(
        "SELECT o.name FROM roles r JOIN organizations o ON o.id = r.organization_id WHERE r.person_id = ?",
        (person_id,),
    )
    return {r[0].lower() for r in rows}  # Python's lower(): SQLite's knows only ASCII
