"""SQL for provenance: where each imported record came from."""

from __future__ import annotations

import sqlite3


def find(conn: sqlite3.Connection, *, source: str, entity: str, external_id: str) -> int | None:
    # `external_id != ''` lets SQLite use the partial unique index (else every lookup scans).
    row = conn.execute(
        "SELECT entity_id FROM provenance WHERE source = ? AND entity = ? AND external_id = ? AND external_id != ''",
        (source, entity, external_id),
    ).fetchone()
    return int(row[0]) if row else None


def add(
    conn: sqlite3.Connection, *, entity: str, entity_id: int, source: str, file: str, external_id: str, now: str
) -> None:
    conn.execute(
        """INSERT OR IGNORE INTO provenance (entity, entity_id, source, file, external_id, imported_at)
           VALUES (?, ?, ?, ?, ?, ?)""",
        (entity, entity_id, source, file, external_id, now),
    )


def for_entity(conn: sqlite3.Connection, entity: str, entity_id: int) -> list[sqlite3.Row]:
    return conn.execute(
        "SELECT source, file, external_id, imported_at FROM provenance WHERE entity = ? AND entity_id = ? ORDER BY id",
        (entity, entity_id),
    ).fetchall()


def interaction_by_message_id(conn: sqlite3.Connection, message_id: str) -> int | None:
    row = conn.execute("SELECT id FROM interactions WHERE source_message_id = ? LIMIT 1", (message_id,)).fetchone()
    return int(row[0]) if row else None


def my_emails(conn: sqlite3.Connection) -> set[str]:
    return {r[0] for r in conn.execute("SELECT email FROM my_emails")}


def add_my_email(conn: sqlite3.Connection, email: str) -> None:
    conn.execute("INSERT OR IGNORE INTO my_emails (email) VALUES (?)", (email.strip().lower(),))


def add_knows(
    conn: sqlite3.Connection, a: int, b: int, *, source: str, confidence: float, now: str, note: str = ""
) -> bool:
    """Record that a and b know each other; False when that was known already (a note given is then updated)."""
    low, high = (a, b) if a < b else (b, a)
    cursor = conn.execute(
        """INSERT OR IGNORE INTO knows (person_a_id, person_b_id, source, confidence, note, created_at)
           VALUES (?, ?, ?, ?, ?, ?)""",
        (low, high, source, confidence, note, now),
    )
    if cursor.rowcount:
        return True
    if note:
        conn.execute(
            "UPDATE knows SET note = ? WHERE person_a_id = ? AND person_b_id = ? AND source = ? AND note != ?",
            (note, low, high, source, note),
        )
    return False


def find_many(conn: sqlite3.Connection, *, source: str, entity: str, external_ids: list[str]) -> dict[str, int]:
    """external id -> entity id, for those of `external_ids` this source already brought in."""
    found: dict[str, int] = {}
    wanted = [e for e in dict.fromkeys(external_ids) if e]
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        rows = conn.execute(
            f"""SELECT external_id, entity_id FROM provenance
                WHERE source = ? AND entity = ? AND external_id IN ({",".join("?" * len(chunk))}) AND external_id != ''""",
            [source, entity, *chunk],
        )
        found.update((r[0], int(r[1])) for r in rows)
    return found


def add_many(conn: sqlite3.Connection, rows: list[tuple[str, int, str, str, str, str]]) -> None:
    """Rows of (entity, entity id, source, file, external id, imported at)."""
    conn.executemany(
        """INSERT OR IGNORE INTO provenance (entity, entity_id, source, file, external_id, imported_at)
           VALUES (?, ?, ?, ?, ?, ?)""",
        rows,
    )


def replace_my_emails(conn: sqlite3.Connection, emails: list[str]) -> None:
    """The user's own addresses become exactly `emails` (already checked and lower-cased)."""
    conn.execute("DELETE FROM my_emails")
    conn.executemany("INSERT OR IGNORE INTO my_emails (email) VALUES (?)", [(e,) for e in emails])
