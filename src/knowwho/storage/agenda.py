"""The agenda's queries: each one indexed, none loads the interaction table.

Each function returns rows of candidates for one kind of action; the agenda
service turns them into ranked actions with their reasons.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

# Default keep-in-touch cadence by closeness when a person has none of their own.
EFFECTIVE_CADENCE = """COALESCE(p.cadence_days,
    CASE p.closeness WHEN 5 THEN 30 WHEN 4 THEN 60 WHEN 3 THEN 90 WHEN 2 THEN 180 ELSE 0 END)"""


def replies_owed(conn: sqlite3.Connection, *, newest: str, oldest: str) -> list[sqlite3.Row]:
    """People whose last inbound message falls in [oldest, newest] with nothing sent since.

    Only a message waits for an answer: an email, a message, or a call that did not take place (a missed
    call, a voicemail); a call held, a meeting or an interview was itself the conversation.

    A cold LinkedIn invitation (the first thing a stranger ever sent) is not a reply owed:
    accepting one puts the user's name behind someone they don't know.

    The `people_reply_owed` index (migration 0004) holds only people whose last
    message is inbound, so the month's window reads those, not everyone written to.
    """
    return conn.execute(
        """SELECT * FROM (
             SELECT p.id, p.display_name, p.last_inbound_at, p.first_interaction_at,
                  (SELECT CASE WHEN i.channel = 'missed' THEN 'missed call' ELSE i.kind END || char(31) || i.subject
                   FROM interaction_participants ip JOIN interactions i ON i.id = ip.interaction_id
                   WHERE ip.person_id = p.id AND i.occurred_at = p.last_inbound_at AND i.direction = 'in'
                     AND i.deleted_at IS NULL AND (i.kind IN ('email', 'message') OR i.channel = 'missed')
                   LIMIT 1) AS what
             FROM people p
             WHERE p.deleted_at IS NULL AND p.is_contact = 1 AND p.last_inbound_at BETWEEN ? AND ?
               AND (p.last_outbound_at IS NULL OR p.last_outbound_at < p.last_inbound_at)) p
           WHERE p.what IS NOT NULL
             AND NOT (p.first_interaction_at = p.last_inbound_at AND EXISTS (
                 SELECT 1 FROM interaction_participants ip JOIN interactions i ON i.id = ip.interaction_id
                 WHERE ip.person_id = p.id AND i.occurred_at = p.last_inbound_at AND i.direction = 'in'
                   AND i.channel = 'linkedin' AND i.subject LIKE '%invitation%'))
           ORDER BY p.last_inbound_at""",
        (oldest, newest),
    ).fetchall()


def new_contacts(conn: sqlite3.Connection, *, since_on: str, today: str) -> list[sqlite3.Row]:
    """People first met on or after `since_on` with no message sent to them since.

    Met at an event, a meeting or a coffee counts as met, not as a message sent:
    only an outbound conversation ("nice to meet you") on or after that day settles it.
    """
    return conn.execute(
        f"""SELECT p.id, p.display_name, p.first_met_on, p.how_met FROM people p
           WHERE p.deleted_at IS NULL AND p.is_contact = 1 AND p.first_met_on BETWEEN ? AND ?
             AND (p.last_outbound_at IS NULL OR substr(p.last_outbound_at, 1, 10) < p.first_met_on
                  OR NOT {_SENT_SINCE.format(since="p.first_met_on")})
           ORDER BY p.first_met_on""",
        (since_on, today),
    ).fetchall()


# Whether anything was sent to the person (not a meeting held together) since a day.
_SENT_SINCE = """EXISTS (SELECT 1 FROM interaction_participants sp JOIN interactions s ON s.id = sp.interaction_id
                        WHERE sp.person_id = p.id AND s.direction = 'out' AND s.deleted_at IS NULL
                          AND s.occurred_at >= {since})"""


def met_in_person(conn: sqlite3.Connection, *, since: str, today_end: str) -> list[sqlite3.Row]:
    """People whose first interaction, since `since`, was in person (an event, a meeting, a coffee), with
    nothing sent to them since: met, even where no "first met" date was recorded (one recorded before
    `since` means they are not new, and so does a keep-in-touch cadence: the user knew them already).

    CROSS JOIN keeps SQLite starting from the few people first seen this week: it would otherwise read every
    conversation of the week (the join's date equality makes them a range too), 40-200 ms at 100,000 people.
    """
    return conn.execute(
        f"""SELECT p.id, p.display_name, p.first_interaction_at, p.how_met, f.kind, e.name AS event
           FROM people p INDEXED BY people_first_interaction
           CROSS JOIN interaction_participants fp ON fp.person_id = p.id
           CROSS JOIN interactions f ON f.id = fp.interaction_id AND f.occurred_at = p.first_interaction_at
           LEFT JOIN events e ON e.id = f.event_id
           WHERE p.deleted_at IS NULL AND p.is_contact = 1 AND p.first_interaction_at BETWEEN ?1 AND ?2
             AND f.kind IN ('event', 'meeting', 'coffee') AND f.deleted_at IS NULL
             AND (p.first_met_on IS NULL OR p.first_met_on >= substr(?1, 1, 10)) AND p.cadence_days IS NULL
             AND NOT {_SENT_SINCE.format(since="p.first_interaction_at")}
           GROUP BY p.id ORDER BY p.first_interaction_at""",
        (since, today_end),
    ).fetchall()


def thank_yous(conn: sqlite3.Connection, *, since: str) -> list[sqlite3.Row]:
    """Interviews and informational interviews since `since` with nothing sent afterwards.

    The kind condition is the very WHERE of the `interactions_interviews` partial
    index (migration 0005), which holds only interviews.
    """
    return conn.execute(
        """SELECT p.id, p.display_name, i.id AS interaction_id, i.kind, i.occurred_at
           FROM interactions i
           JOIN interaction_participants ip ON ip.interaction_id = i.id
           JOIN people p ON p.id = ip.person_id
           WHERE i.occurred_at >= ? AND i.deleted_at IS NULL AND p.deleted_at IS NULL AND p.is_contact = 1
             AND i.kind IN ('interview', 'informational-interview')
             AND NOT EXISTS (
                 SELECT 1 FROM interaction_participants ip2 JOIN interactions j ON j.id = ip2.interaction_id
                 WHERE ip2.person_id = p.id AND j.occurred_at > i.occurred_at
                   AND j.direction = 'out' AND j.deleted_at IS NULL)
           ORDER BY i.occurred_at""",
        (since,),
    ).fetchall()


def followups_due(conn: sqlite3.Connection, *, today: str) -> list[sqlite3.Row]:
    return conn.execute(
        """SELECT f.id, f.person_id, f.due_on, f.note, f.kind, p.display_name FROM followups f
           LEFT JOIN people p ON p.id = f.person_id
           WHERE f.status = 'open' AND f.due_on <= ? AND (p.id IS NULL OR p.deleted_at IS NULL)
           ORDER BY f.due_on, f.id""",
        (today,),
    ).fetchall()


def keep_in_touch(conn: sqlite3.Connection, *, now_julian: float) -> Iterator[sqlite3.Row]:
    """Contacts past their cadence, most overdue (relative to cadence) x tie strength first.

    "Past their cadence" is written as due day <= now with the very expressions
    of the `people_keep_in_touch_due` index (migration 0004), so only the
    overdue rows are read, not every contact: 2 ms instead of 200 ms at 100,000
    people. INDEXED BY, because without statistics the planner prefers the
    equality on is_contact of another index.
    """
    return conn.execute(
        f"""SELECT id, display_name, last_interaction_at, created_at, cadence_days, closeness, cadence, tie_strength,
                   overdue_ratio FROM (
              SELECT p.id, p.display_name, p.last_interaction_at, p.created_at, p.cadence_days, p.closeness,
                     p.tie_strength,
                     {EFFECTIVE_CADENCE} AS cadence,
                     (? - julianday(COALESCE(p.last_interaction_at, p.created_at))) / {EFFECTIVE_CADENCE}
                        AS overdue_ratio
              FROM people p INDEXED BY people_keep_in_touch_due
              WHERE p.deleted_at IS NULL AND p.is_contact = 1 AND {EFFECTIVE_CADENCE} > 0
                AND julianday(COALESCE(p.last_interaction_at, p.created_at)) + {EFFECTIVE_CADENCE} <= ?)
            ORDER BY overdue_ratio * (0.25 + tie_strength) DESC, id""",
        (now_julian, now_julian),
    )


# The contact to get back in touch with about an opportunity: its recruiter, else its hiring manager, else the
# best-tied of its people.
_CONTACT = """SELECT {column} FROM opportunity_people op JOIN people p ON p.id = op.person_id
              WHERE op.opportunity_id = o.id AND p.deleted_at IS NULL
              ORDER BY CASE op.part WHEN 'recruiter' THEN 0 WHEN 'hiring-manager' THEN 1 ELSE 2 END,
                       p.tie_strength DESC, p.id LIMIT 1"""


def reengage_due(conn: sqlite3.Connection, *, today: str) -> list[sqlite3.Row]:
    """Opportunities whose re-engage date has come, with their best-tied contact and their part in it."""
    return conn.execute(
        f"""SELECT o.id, o.role_title, o.stage, o.reengage_on, o.closed_on, org.name AS organization,
                   ({_CONTACT.format(column="op.person_id")}) AS person_id, ({_CONTACT.format(column="op.part")}) AS part
            FROM opportunities o LEFT JOIN organizations org ON org.id = o.organization_id
            WHERE o.reengage_on IS NOT NULL AND o.reengage_on <= ? AND o.reengaged_at IS NULL
            ORDER BY o.reengage_on""",
        (today,),
    ).fetchall()


def reengage_contact(conn: sqlite3.Connection, opportunity_id: int) -> tuple[bool, int | None]:
    """(whether the opportunity exists, the contact its re-engage action is with)."""
    row = conn.execute(
        f"SELECT ({_CONTACT.format(column='op.person_id')}) FROM opportunities o WHERE o.id = ?", (opportunity_id,)
    ).fetchone()
    return (row is not None, row[0] if row else None)


def interviewers(conn: sqlite3.Connection, opportunity_ids: list[int]) -> dict[int, list[tuple[int, str]]]:
    """(id, first name) of the people met in each opportunity's interviews, first met first (a few opportunities).

    Read through the `interactions_interviews` index (migration 0005), which holds only interviews.
    """
    found: dict[int, list[tuple[int, str]]] = {}
    if not opportunity_ids:
        return found
    marks = ",".join("?" * len(opportunity_ids))
    rows = conn.execute(
        f"""SELECT i.opportunity_id, p.id, p.display_name, p.given_name, MIN(i.occurred_at) AS first_at
            FROM interactions i INDEXED BY interactions_interviews
            JOIN interaction_participants ip ON ip.interaction_id = i.id
            JOIN people p ON p.id = ip.person_id
            WHERE i.kind IN ('interview', 'informational-interview') AND i.kind = 'interview'
              AND i.opportunity_id IN ({marks}) AND i.deleted_at IS NULL AND p.deleted_at IS NULL
            GROUP BY i.opportunity_id, p.id ORDER BY first_at, p.id""",
        opportunity_ids,
    )
    for row in rows:
        found.setdefault(row["opportunity_id"], []).append((row["id"], row["given_name"] or row["display_name"]))
    return found


def birthdays(conn: sqlite3.Connection, month_days: list[str]) -> list[sqlite3.Row]:
    """Contacts whose birthday ('YYYY-MM-DD' or '--MM-DD') falls on one of these 'MM-DD' days.

    Written with the very expressions of the `people_birthday` index (migration 0011).
    """
    if not month_days:
        return []
    marks = ",".join("?" * len(month_days))
    return conn.execute(
        f"""SELECT id, display_name, birthday, closeness, tie_strength FROM people
            WHERE substr(birthday, -5) IN ({marks}) AND birthday IS NOT NULL AND deleted_at IS NULL
              AND is_contact = 1
            ORDER BY id""",
        month_days,
    ).fetchall()


def inbound_at(conn: sqlite3.Connection, person_id: int, at: str) -> tuple[str, str] | None:
    """(kind, subject) of the message a person sent at `at`: what a reply answers."""
    row = conn.execute(
        """SELECT i.kind, i.subject FROM interaction_participants ip JOIN interactions i ON i.id = ip.interaction_id
           WHERE ip.person_id = ? AND i.occurred_at = ? AND i.direction = 'in' AND i.deleted_at IS NULL LIMIT 1""",
        (person_id, at),
    ).fetchone()
    return (row[0], row[1]) if row else None


def live_person(conn: sqlite3.Connection, person_id: int) -> str | None:
    """The name of a person not removed, or None."""
    row = conn.execute("SELECT display_name FROM people WHERE id = ? AND deleted_at IS NULL", (person_id,)).fetchone()
    return str(row[0]) if row else None


def event_exists(conn: sqlite3.Connection, event_id: int) -> bool:
    return conn.execute("SELECT 1 FROM events WHERE id = ?", (event_id,)).fetchone() is not None


def followup_target(conn: sqlite3.Connection, followup_id: int) -> tuple[bool, int | None, str]:
    """(whether the follow-up exists, the person it is with, its note)."""
    row = conn.execute("SELECT person_id, note FROM followups WHERE id = ?", (followup_id,)).fetchone()
    return (row is not None, row[0], row[1] or "") if row else (False, None, "")


def person_names(conn: sqlite3.Connection, ids: list[int]) -> dict[int, str]:
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    return {r[0]: r[1] for r in conn.execute(f"SELECT id, display_name FROM people WHERE id IN ({marks})", ids)}


def marks(conn: sqlite3.Connection) -> dict[str, tuple[str, str | None]]:
    return {r[0]: (r[1], r[2]) for r in conn.execute("SELECT key, status, until_on FROM agenda_marks")}


def mark_of(conn: sqlite3.Connection, key: str) -> str | None:
    """The status an action's key is marked with (done, dismissed, snoozed), if any."""
    row = conn.execute("SELECT status FROM agenda_marks WHERE key = ?", (key,)).fetchone()
    return str(row[0]) if row else None


def set_mark(conn: sqlite3.Connection, key: str, status: str, until_on: str | None, now: str) -> None:
    conn.execute(
        """INSERT INTO agenda_marks (key, status, until_on, updated_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (key) DO UPDATE SET status = excluded.status, until_on = excluded.until_on,
                                           updated_at = excluded.updated_at""",
        (key, status, until_on, now),
    )


def clear_mark(conn: sqlite3.Connection, key: str) -> None:
    conn.execute("DELETE FROM agenda_marks WHERE key = ?", (key,))


ListingRow = tuple[int, str, str, int | None, str]  # number, key, action, person_id, label


def listing(conn: sqlite3.Connection) -> list[ListingRow]:
    """The last listing's rows, by number."""
    rows = conn.execute("SELECT number, key, action, person_id, label FROM agenda_listing ORDER BY number")
    return [tuple(row) for row in rows]


def save_listing(conn: sqlite3.Connection, rows: list[ListingRow]) -> None:
    conn.execute("DELETE FROM agenda_listing")
    conn.executemany("INSERT INTO agenda_listing (number, key, action, person_id, label) VALUES (?, ?, ?, ?, ?)", rows)


def listed(conn: sqlite3.Connection, number: int) -> sqlite3.Row | None:
    return conn.execute("SELECT * FROM agenda_listing WHERE number = ?", (number,)).fetchone()


def set_opportunity_reengaged(conn: sqlite3.Connection, opportunity_id: int, at: str | None) -> None:
    conn.execute("UPDATE opportunities SET reengaged_at = ? WHERE id = ?", (at, opportunity_id))


def set_opportunity_reengage_on(conn: sqlite3.Connection, opportunity_id: int, on: str) -> None:
    conn.execute("UPDATE opportunities SET reengage_on = ? WHERE id = ?", (on, opportunity_id))


def label_of(conn: sqlite3.Connection, key: str) -> str | None:
    """The label a listed item had ("reply Zed Quinn"), if it was listed."""
    row = conn.execute("SELECT label FROM agenda_listing WHERE key = ? LIMIT 1", (key,)).fetchone()
    return str(row[0]) if row else None


def owed(conn: sqlite3.Connection, *, min_received: int, limit: int) -> list[tuple[int, str, int, int, str]]:
    """(person, name, given, received, last received on) where the user received much more than they gave."""
    rows = conn.execute(
        """SELECT p.id, p.display_name, l.given, l.received, l.last_received FROM (
               SELECT person_id, sum(direction = 'gave') AS given, sum(direction = 'received') AS received,
                      max(CASE WHEN direction = 'received' THEN occurred_on END) AS last_received
               FROM ledger_entries GROUP BY person_id) l
           JOIN people p ON p.id = l.person_id
           WHERE p.deleted_at IS NULL AND p.merged_into_id IS NULL AND l.received >= ? AND l.received >= 2 * l.given + 1
           ORDER BY l.received - l.given DESC, l.last_received DESC LIMIT ?""",
        (min_received, limit),
    )
    return [(int(r[0]), str(r[1]), int(r[2]), int(r[3]), str(r[4])) for r in rows]
