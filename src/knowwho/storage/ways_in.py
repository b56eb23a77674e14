"""SQL for ways into target organizations (today's list): the contacts who work at a target now.

Apart from the network's SQL so that today's list reads them without loading the rest.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple


class InsideContact(NamedTuple):
    """A contact who works at one of the user's target organizations now."""

    organization_id: int
    organization: str
    interest: int  # the user's interest in the organization, 1-5 (0: not given)
    person_id: int
    name: str
    title: str
    tie_strength: float
    first_met_on: str | None
    last_interaction_at: str | None
    last_outbound_at: str | None


def contacts_at_targets(conn: sqlite3.Connection) -> list[InsideContact]:
    """Every contact (not someone known only through others) with a current job at a target organization.

    The targets first, then their roles by the roles index: in one statement SQLite would filter people
    through a Bloom filter built from all of them (twice the time at 100,000 people).
    """
    targets = {
        row[0]: (row[1], row[2])
        for row in conn.execute(
            "SELECT id, name, COALESCE(interest, 0) FROM organizations WHERE is_target = 1 AND deleted_at IS NULL"
        )
    }
    if not targets:
        return []
    rows = conn.execute(
        f"""SELECT r.organization_id, p.id, p.display_name, COALESCE(MAX(r.title), ''), p.tie_strength,
                   p.first_met_on, p.last_interaction_at, p.last_outbound_at
            FROM roles r CROSS JOIN people p ON p.id = r.person_id
            WHERE r.organization_id IN ({",".join("?" * len(targets))}) AND r.is_current = 1
              AND p.deleted_at IS NULL AND p.is_contact = 1
            GROUP BY r.organization_id, p.id""",
        list(targets),
    )
    return [InsideContact(org, *targets[org], *rest) for org, *rest in rows]
