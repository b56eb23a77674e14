"""SQL for organizations and their domains."""

from __future__ import annotations

import sqlite3

from knowwho.storage.records import OrganizationRecord
from knowwho.storage.sql import set_columns


def _record(row: sqlite3.Row, domains: list[str]) -> OrganizationRecord:
    return OrganizationRecord(
        id=row["id"], name=row["name"], field=row["field"], notes=row["notes"],
        is_target=bool(row["is_target"]), interest=row["interest"], domains=domains,
    )  # fmt: skip


def find_id_by_name(conn: sqlite3.Connection, name: str) -> int | None:
    row = conn.execute(
        "SELECT id FROM organizations WHERE name = ? COLLATE NOCASE AND deleted_at IS NULL ORDER BY id LIMIT 1",
        (name.strip(),),
    ).fetchone()
    return int(row[0]) if row else None


def insert(conn: sqlite3.Connection, *, name: str, now: str, field: str = "", notes: str = "") -> int:
    cursor = conn.execute(
        "INSERT INTO organizations (name, field, notes, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
        (name.strip(), field, notes, now, now),
    )
    return int(cursor.lastrowid or 0)


def get(conn: sqlite3.Connection, organization_id: int) -> OrganizationRecord | None:
    row = conn.execute("SELECT * FROM organizations WHERE id = ?", (organization_id,)).fetchone()
    if row is None:
        return None
    domains = [
        r[0]
        for r in conn.execute(
            "SELECT domain FROM organization_domains WHERE organization_id = ? ORDER BY domain", (organization_id,)
        )
    ]
    return _record(row, domains)


_EDITABLE = ("name", "field", "notes", "is_target", "interest")


def update(conn: sqlite3.Connection, organization_id: int, *, now: str, **fields: object) -> None:
    set_columns(conn, "organizations", organization_id, fields, allowed=_EDITABLE, updated_at=now)


def add_domain(conn: sqlite3.Connection, organization_id: int, domain: str) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO organization_domains (organization_id, domain) VALUES (?, ?)",
        (organization_id, domain.lower()),
    )


def list_all(conn: sqlite3.Connection, *, limit: int = 100, offset: int = 0) -> list[tuple[OrganizationRecord, int]]:
    """Organizations with the number of people there now: targets first, then most people, then by name.

    The counts come from the `roles_current_org` index alone (migration 0007),
    grouped once; only the page's organizations are then read in full.
    """
    rows = conn.execute(
        """WITH counts AS (
               SELECT organization_id AS org, COUNT(DISTINCT person_id) AS n FROM roles INDEXED BY roles_current_org
               WHERE is_current = 1 AND person_id NOT IN (SELECT id FROM people WHERE deleted_at IS NOT NULL)
               GROUP BY organization_id),
           ranked AS (
               SELECT o.id, COALESCE(c.n, 0) AS people_now FROM organizations o LEFT JOIN counts c ON c.org = o.id
               WHERE o.deleted_at IS NULL
               ORDER BY o.is_target DESC, people_now DESC, o.name COLLATE NOCASE, o.id LIMIT ? OFFSET ?)
           SELECT o.*, ranked.people_now FROM ranked JOIN organizations o ON o.id = ranked.id
           ORDER BY o.is_target DESC, ranked.people_now DESC, o.name COLLATE NOCASE, o.id""",
        (limit, offset),
    )
    return [(_record(r, []), int(r["people_now"])) for r in rows]


def targets(conn: sqlite3.Connection) -> list[OrganizationRecord]:
    """The organizations marked as targets, the most wanted first (by interest, then name)."""
    rows = conn.execute(
        """SELECT * FROM organizations WHERE is_target = 1 AND deleted_at IS NULL
           ORDER BY COALESCE(interest, 0) DESC, name COLLATE NOCASE, id"""
    )
    return [_record(r, []) for r in rows]


def people_ids(conn: sqlite3.Connection, organization_id: int, *, current: bool) -> list[int]:
    rows = conn.execute(
        """SELECT DISTINCT r.person_id FROM roles r JOIN people p ON p.id = r.person_id
           WHERE r.organization_id = ? AND r.is_current = ? AND p.deleted_at IS NULL
           ORDER BY p.tie_strength DESC""",
        (organization_id, int(current)),
    )
    return [r[0] for r in rows]
