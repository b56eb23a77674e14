"""SQL for opportunities (a role at an organization, moved through stages) and the people in each."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from knowwho.storage.records import OpportunityRecord


@dataclass(frozen=True, slots=True)
class Member:
    """A person's part in an opportunity."""

    person_id: int
    name: str
    part: str
    last_interaction_at: str | None


_SELECT = """SELECT o.*, COALESCE(org.name, '') AS organization FROM opportunities o
             LEFT JOIN organizations org ON org.id = o.organization_id"""


def _record(row: sqlite3.Row) -> OpportunityRecord:
    return OpportunityRecord(
        id=row["id"], organization_id=row["organization_id"], organization=row["organization"],
        role_title=row["role_title"], stage=row["stage"], opened_on=row["opened_on"], closed_on=row["closed_on"],
        outcome=row["outcome"], reengage_on=row["reengage_on"], reengaged_at=row["reengaged_at"],
        notes=row["notes"], link=row["link"],
    )  # fmt: skip


def insert(
    conn: sqlite3.Connection, *, organization_id: int, role_title: str, link: str, stage: str, opened_on: str, now: str
) -> int:
    cursor = conn.execute(
        """INSERT INTO opportunities (organization_id, role_title, link, stage, opened_on, created_at, updated_at)
           VALUES (?, ?, ?, ?, ?, ?, ?)""",
        (organization_id, role_title, link, stage, opened_on, now, now),
    )
    return int(cursor.lastrowid or 0)


def add_member(conn: sqlite3.Connection, opportunity_id: int, person_id: int, part: str) -> None:
    conn.execute(
        "INSERT OR IGNORE INTO opportunity_people (opportunity_id, person_id, part) VALUES (?, ?, ?)",
        (opportunity_id, person_id, part),
    )


def get(conn: sqlite3.Connection, opportunity_id: int) -> OpportunityRecord | None:
    row = conn.execute(f"{_SELECT} WHERE o.id = ?", (opportunity_id,)).fetchone()
    return _record(row) if row else None


def list_all(conn: sqlite3.Connection, *, limit: int = 500) -> list[OpportunityRecord]:
    """Every opportunity, the most recently moved first (a job search holds dozens, not thousands)."""
    rows = conn.execute(f"{_SELECT} ORDER BY o.updated_at DESC, o.id DESC LIMIT ?", (limit,))
    return [_record(r) for r in rows]


def members(conn: sqlite3.Connection, opportunity_ids: list[int]) -> dict[int, list[Member]]:
    """The people of these opportunities (removed people left out), by part: referrer, recruiter, ..."""
    found: dict[int, list[Member]] = {oid: [] for oid in opportunity_ids}
    if not opportunity_ids:
        return found
    marks = ",".join("?" * len(opportunity_ids))
    rows = conn.execute(
        f"""SELECT op.opportunity_id, p.id, p.display_name, op.part, p.last_interaction_at
            FROM opportunity_people op JOIN people p ON p.id = op.person_id
            WHERE op.opportunity_id IN ({marks}) AND p.deleted_at IS NULL
            ORDER BY CASE op.part WHEN 'referrer' THEN 0 WHEN 'recruiter' THEN 1 WHEN 'hiring-manager' THEN 2
                                  WHEN 'interviewer' THEN 3 ELSE 4 END, p.display_name""",
        opportunity_ids,
    )
    for row in rows:
        found[row[0]].append(Member(row[1], row[2], row[3], row[4]))
    return found


def set_stage(
    conn: sqlite3.Connection,
    opportunity_id: int,
    *,
    stage: str,
    closed_on: str | None,
    reengage_on: str | None,
    outcome: str,
    now: str,
) -> None:
    """Move to `stage`; a new re-engage date starts over (not yet re-engaged)."""
    conn.execute(
        """UPDATE opportunities SET stage = ?, closed_on = ?, reengage_on = ?, reengaged_at = NULL, outcome = ?,
                  updated_at = ? WHERE id = ?""",
        (stage, closed_on, reengage_on, outcome, now, opportunity_id),
    )


def set_opened_on(conn: sqlite3.Connection, opportunity_id: int, on: str) -> None:
    conn.execute("UPDATE opportunities SET opened_on = ? WHERE id = ?", (on, opportunity_id))


def interaction_ids(conn: sqlite3.Connection, opportunity_id: int) -> list[int]:
    """The conversations tied to an opportunity, newest first."""
    rows = conn.execute(
        """SELECT id FROM interactions WHERE opportunity_id = ? AND opportunity_id IS NOT NULL AND deleted_at IS NULL
           ORDER BY occurred_at DESC, id DESC""",
        (opportunity_id,),
    )
    return [int(r[0]) for r in rows]
