"""SQL for large imports: set-at-a-time lookups and inserts (mail brings in 100,000 messages at once).

Everything here runs inside the caller's transaction, which holds SQLite's
write lock: that is what makes `next_interaction_id` safe to hand out a run of
consecutive ids for one `executemany`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from knowwho.storage import feed, journal

_CHUNK = 500  # bound parameters per IN (...) query


def email_index(conn: sqlite3.Connection) -> dict[str, tuple[int, bool]]:
    """Every live person's addresses: email -> (person id, is a contact); the lowest id wins a shared address."""
    index: dict[str, tuple[int, bool]] = {}
    for email, person_id, is_contact in conn.execute(
        """SELECT e.email, e.person_id, p.is_contact FROM person_emails e JOIN people p ON p.id = e.person_id
           WHERE p.deleted_at IS NULL ORDER BY e.person_id DESC"""
    ):
        index[email] = (person_id, bool(is_contact))
    return index


def known_external_ids(conn: sqlite3.Connection, *, source: str, entity: str, external_ids: Sequence[str]) -> set[str]:
    """Which of these external ids this source already brought in."""
    found: set[str] = set()
    unique = [e for e in dict.fromkeys(external_ids) if e]
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        marks = ",".join("?" * len(chunk))
        found.update(
            row[0]
            for row in conn.execute(
                # `external_id != ''` lets SQLite use the partial unique index instead of scanning
                f"""SELECT external_id FROM provenance
                    WHERE source = ? AND entity = ? AND external_id IN ({marks}) AND external_id != ''""",
                [source, entity, *chunk],
            )
        )
    return found


def next_interaction_id(conn: sqlite3.Connection) -> int:
    return int(conn.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM interactions").fetchone()[0])


def insert_interactions(
    conn: sqlite3.Connection, rows: Sequence[tuple[int, str, str, str, str, str, str | None, str]]
) -> None:
    """Rows of (id, occurred_at, kind, direction, subject, channel, source_message_id, created_at), ids ascending
    from `next_interaction_id` (so the change journal keeps them as one range).

    Many rows per INSERT statement: the full-text trigger then runs inside one
    statement instead of one per row, which keeps FTS5 from flushing its
    pending index at every row's statement savepoint (about 8x faster).
    """
    if not rows:
        return
    with journal.inserting_range(conn, "interactions", first=rows[0][0]):
        _insert_rows(
            conn, "INSERT INTO interactions",
            ("id", "occurred_at", "kind", "direction", "subject", "channel", "source_message_id", "created_at"), rows,
        )  # fmt: skip


def _insert_rows(conn: sqlite3.Connection, verb: str, columns: tuple[str, ...], rows: Sequence[tuple[Any, ...]]) -> int:
    """`verb (columns) VALUES (...), (...), ...` with as many rows per statement as SQLite allows (up to 500);
    returns how many rows went in (OR IGNORE leaves some out)."""
    width = len(columns)
    per_statement = max(1, min(500, conn.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // width))
    row_marks = "(" + ", ".join("?" * width) + ")"
    added = 0
    for start in range(0, len(rows), per_statement):
        chunk = rows[start : start + per_statement]
        cursor = conn.execute(
            f"{verb} ({', '.join(columns)}) VALUES {', '.join([row_marks] * len(chunk))}",
            [value for row in chunk for value in row],
        )
        added += max(0, cursor.rowcount)
    return added


def insert_participants(conn: sqlite3.Connection, rows: Sequence[tuple[int, int]]) -> None:
    """Rows of (interaction id, person id); journaled as one range when they are all of new interactions."""
    if not rows:
        return
    # In the table's own key order (person, interaction): each person's new rows land side by side.
    ordered = sorted(rows, key=lambda row: (row[1], row[0]))
    with journal.inserting_range(conn, "interaction_participants", "interaction_id", first=min(r[0] for r in rows)):
        _insert_rows(conn, "INSERT OR IGNORE INTO interaction_participants", ("interaction_id", "person_id"), ordered)


def add_provenance(conn: sqlite3.Connection, rows: Sequence[tuple[str, int, str, str, str, str]]) -> None:
    """Rows of (entity, entity id, source, file, external id, imported at)."""
    with journal.inserting_range(conn, "provenance"):  # new rowids follow the largest
        _insert_rows(
            conn, "INSERT OR IGNORE INTO provenance",
            ("entity", "entity_id", "source", "file", "external_id", "imported_at"), rows,
        )  # fmt: skip


def add_knows(conn: sqlite3.Connection, rows: Iterable[tuple[int, int, str, float, str]]) -> int:
    """Rows of (lower id, higher id, source, confidence, created at); returns how many were new."""
    with journal.inserting_range(conn, "knows"), feed.feeding_range(conn, "knows"):  # new rowids follow the largest
        return _insert_rows(
            conn, "INSERT OR IGNORE INTO knows", ("person_a_id", "person_b_id", "source", "confidence", "created_at"),
            sorted(rows),  # in the order of its unique key: each person's new rows side by side
        )  # fmt: skip


def mark_contacts(conn: sqlite3.Connection, person_ids: Iterable[int], now: str) -> None:
    """People known only through others become contacts once I talk with them."""
    conn.executemany(
        "UPDATE people SET is_contact = 1, updated_at = ? WHERE id = ? AND is_contact = 0",
        [(now, pid) for pid in person_ids],
    )


# -- derived per-person stats for many people at once -----------------------------------------


def closeness_and_knows(conn: sqlite3.Connection, person_ids: Sequence[int]) -> dict[int, tuple[int | None, int]]:
    """person id -> (my closeness rating, how many people they know), for those of these ids that exist."""
    return {
        pid: (closeness, knows)
        for pid, closeness, knows in conn.execute(
            """SELECT p.id, p.closeness,
                      (SELECT COUNT(*) FROM knows WHERE person_a_id = p.id)
                      + (SELECT COUNT(*) FROM knows WHERE person_b_id = p.id)
               FROM people p WHERE p.id IN (SELECT value FROM json_each(?))""",
            (json.dumps(list(person_ids)),),
        )
    }


def kind_times(conn: sqlite3.Connection, person_ids: Sequence[int]) -> Iterator[tuple[int, str, str, str, int]]:
    """(person id, kind, direction, occurred_at, participants) of these people's live interactions, grouped by person."""
    return iter(
        conn.execute(
            """SELECT ip.person_id, i.kind, i.direction, i.occurred_at,
                      (SELECT COUNT(*) FROM interaction_participants x WHERE x.interaction_id = i.id)
               FROM interaction_participants ip JOIN interactions i ON i.id = ip.interaction_id
               WHERE ip.person_id IN (SELECT value FROM json_each(?)) AND i.deleted_at IS NULL
               ORDER BY ip.person_id""",
            (json.dumps(list(person_ids)),),
        )
    )


def set_stats(
    conn: sqlite3.Connection, rows: Iterable[tuple[str | None, str | None, str | None, str | None, int, int]]
) -> None:
    """Rows of (first, last, last inbound, last outbound interaction at, interaction count, person id)."""
    conn.executemany(
        """UPDATE people SET first_interaction_at = ?, last_interaction_at = ?, last_inbound_at = ?,
                             last_outbound_at = ?, interaction_count = ? WHERE id = ?""",
        rows,
    )


def change_marks(conn: sqlite3.Connection) -> tuple[int, int]:
    """What tells whether anything else changed the people during an import: (data version, merged people).

    SQLite's data_version moves when another connection commits; merges made by
    this one (an address shared by several people) show in the merged count.
    """
    version = int(conn.execute("PRAGMA data_version").fetchone()[0])
    merged = int(conn.execute("SELECT COUNT(*) FROM people WHERE merged_into_id IS NOT NULL").fetchone()[0])
    return version, merged


def set_tie_strengths(conn: sqlite3.Connection, rows: Iterable[tuple[float, int]]) -> None:
    """Rows of (tie strength, person id)."""
    conn.executemany("UPDATE people SET tie_strength = ? WHERE id = ?", rows)
