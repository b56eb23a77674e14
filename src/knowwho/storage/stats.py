"""SQL for the Stats page: activity per week, the network by organization and by tie strength."""

from __future__ import annotations

import sqlite3

# Monday of the week holding a date or a stamp (SQLite date modifiers).
_WEEK = "date({col}, '-6 days', 'weekday 1')"


def conversations_per_day(conn: sqlite3.Connection, *, since_on: str) -> dict[str, int]:
    """Conversations per UTC day: all of them from the date index alone, less the removed ones (their own index)."""
    counts = {
        r[0]: int(r[1])
        for r in conn.execute(
            """SELECT substr(occurred_at, 1, 10) AS day, COUNT(*) FROM interactions INDEXED BY interactions_occurred
               WHERE occurred_at >= ? GROUP BY day""",
            (since_on,),
        )
    }
    for day, removed in conn.execute(
        """SELECT substr(occurred_at, 1, 10) AS day, COUNT(*) FROM interactions INDEXED BY interactions_deleted
           WHERE occurred_at >= ? AND deleted_at IS NOT NULL GROUP BY day""",
        (since_on,),
    ):
        counts[day] = counts.get(day, 0) - int(removed)
    return {day: n for day, n in counts.items() if n > 0}


def new_people_per_week(conn: sqlite3.Connection, *, since_on: str) -> dict[str, int]:
    """People by the week I met them (or added them, when the meeting date is unknown)."""
    met = "COALESCE(first_met_on, substr(created_at, 1, 10))"
    rows = conn.execute(
        f"""SELECT {_WEEK.format(col=met)} AS week, COUNT(*) FROM people
            WHERE deleted_at IS NULL AND is_contact = 1 AND {met} >= ? GROUP BY week""",
        (since_on,),
    )
    return {r[0]: int(r[1]) for r in rows}


def followups_per_week(conn: sqlite3.Connection, *, since_on: str, today: str) -> dict[str, tuple[int, int]]:
    """(due, kept on time) per week of the due date, for follow-ups due up to today."""
    rows = conn.execute(
        f"""SELECT {_WEEK.format(col="due_on")} AS week, COUNT(*),
                   SUM(status = 'done' AND substr(closed_at, 1, 10) <= due_on)
            FROM followups WHERE due_on >= ? AND due_on <= ? GROUP BY week""",
        (since_on, today),
    )
    return {r[0]: (int(r[1]), int(r[2] or 0)) for r in rows}


def people_by_organization(conn: sqlite3.Connection, *, limit: int) -> list[tuple[int, str, int]]:
    rows = conn.execute(
        """SELECT o.id, o.name, COUNT(DISTINCT r.person_id) AS n FROM roles r
           JOIN organizations o ON o.id = r.organization_id JOIN people p ON p.id = r.person_id
           WHERE r.is_current = 1 AND p.deleted_at IS NULL AND p.is_contact = 1 AND o.deleted_at IS NULL
           GROUP BY o.id ORDER BY n DESC, o.name LIMIT ?""",
        (limit,),
    )
    return [(int(r[0]), r[1], int(r[2])) for r in rows]


def strength_histogram(conn: sqlite3.Connection, bounds: list[float]) -> list[int]:
    """Contacts per tie-strength band: bounds [b0 > b1 > ... ] give bands [b1, b0), [b2, b1), ..."""
    cases = " ".join(f"WHEN tie_strength >= {float(b)} THEN {i}" for i, b in enumerate(bounds[1:]))
    rows = conn.execute(
        f"""SELECT CASE {cases} ELSE {len(bounds) - 1} END AS band, COUNT(*) FROM people
            WHERE deleted_at IS NULL AND is_contact = 1 GROUP BY band"""
    )
    counts = [0] * len(bounds)  # one spare band for the ELSE, never hit with a low last bound
    for band, n in rows:
        counts[int(band)] = int(n)
    return counts[: len(bounds) - 1]
