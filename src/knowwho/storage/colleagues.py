"""SQL for a coffee with a colleague (today's list): the user's current jobs and the contacts who work there.

Apart from the network's SQL so that today's list reads them without loading the rest.
"""

from __future__ import annotations

import sqlite3


def my_current_organizations(conn: sqlite3.Connection) -> list[tuple[int, str]]:
    """(id, name) of the organizations where the user works now."""
    rows = conn.execute(
        """SELECT DISTINCT m.organization_id, o.name FROM my_roles m JOIN organizations o ON o.id = m.organization_id
           WHERE m.is_current = 1 AND o.deleted_at IS NULL ORDER BY m.organization_id"""
    )
    return [(r[0], r[1]) for r in rows]


# CROSS JOIN keeps SQLite reading the organization's roles first (a few rows), never every weak tie.
_BARELY_KNOWN = """FROM roles r CROSS JOIN people p ON p.id = r.person_id
    WHERE r.organization_id = ? AND r.is_current = 1 AND p.deleted_at IS NULL AND p.is_contact = 1
      AND p.tie_strength < ?"""


def barely_known_colleagues(conn: sqlite3.Connection, organization_id: int, *, below: float) -> int:
    """How many contacts working at this organization now have a tie weaker than `below` (roles index)."""
    row = conn.execute(f"SELECT COUNT(DISTINCT p.id) {_BARELY_KNOWN}", (organization_id, below)).fetchone()
    return int(row[0])


def barely_known_colleague(
    conn: sqlite3.Connection, organization_id: int, *, below: float, number: int
) -> tuple[int, str, str, str | None] | None:
    """The `number`-th (0-based, by id) of them: (id, name, title, last interaction stamp)."""
    row = conn.execute(
        f"""SELECT p.id, p.display_name, MAX(r.title), p.last_interaction_at {_BARELY_KNOWN}
            GROUP BY p.id ORDER BY p.id LIMIT 1 OFFSET ?""",
        (organization_id, below, number),
    ).fetchone()
    return (row[0], row[1], row[2] or "", row[3]) if row else None
