"""SQL for interactions, their participants and notes."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from knowwho.storage.records import InteractionRecord, NoteRecord
from knowwho.storage.sql import set_columns


def insert(
    conn: sqlite3.Connection,
    *,
    occurred_at: str,
    kind: str,
    direction: str,
    participant_ids: Iterable[int],
    now: str,
    subject: str = "",
    notes: str = "",
    channel: str = "",
    source_message_id: str | None = None,
    event_id: int | None = None,
    opportunity_id: int | None = None,
) -> int:
    cursor = conn.execute(
        """INSERT INTO interactions (occurred_at, kind, direction, subject, notes, channel,
               source_message_id, event_id, opportunity_id, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (occurred_at, kind, direction, subject, notes, channel, source_message_id, event_id, opportunity_id, now),
    )
    interaction_id = int(cursor.lastrowid or 0)
    conn.executemany(
        "INSERT OR IGNORE INTO interaction_participants (interaction_id, person_id) VALUES (?, ?)",
        [(interaction_id, pid) for pid in participant_ids],
    )
    return interaction_id


def _record(row: sqlite3.Row) -> InteractionRecord:
    return InteractionRecord(
        id=row["id"], occurred_at=row["occurred_at"], kind=row["kind"], direction=row["direction"],
        subject=row["subject"], notes=row["notes"], channel=row["channel"],
        source_message_id=row["source_message_id"], event_id=row["event_id"],
        opportunity_id=row["opportunity_id"],
    )  # fmt: skip


def for_person(
    conn: sqlite3.Connection, person_id: int, *, limit: int = 50, offset: int = 0
) -> list[InteractionRecord]:
    """A person's interactions, newest first."""
    # Who took part, read with each conversation (one statement, not two): by id, as `_load_participants` has them.
    rows = conn.execute(
        """SELECT i.*, (SELECT group_concat(x.person_id) FROM interaction_participants x
                        WHERE x.interaction_id = i.id) AS participants
           FROM interaction_participants ip JOIN interactions i ON i.id = ip.interaction_id
           WHERE ip.person_id = ? AND i.deleted_at IS NULL
           ORDER BY i.occurred_at DESC, i.id DESC LIMIT ? OFFSET ?""",
        (person_id, limit, offset),
    )
    records = []
    for row in rows:
        record = _record(row)
        if row["participants"]:
            record.participant_ids.extend(sorted(int(p) for p in row["participants"].split(",")))
        records.append(record)
    return records


def _load_participants(conn: sqlite3.Connection, records: list[InteractionRecord]) -> None:
    by_id = {r.id: r for r in records}
    if not by_id:
        return
    marks = ",".join("?" * len(by_id))
    for iid, pid in conn.execute(
        f"SELECT interaction_id, person_id FROM interaction_participants WHERE interaction_id IN ({marks})",
        list(by_id),
    ):
        by_id[iid].participant_ids.append(pid)


def get(conn: sqlite3.Connection, interaction_id: int, *, live: bool = False) -> InteractionRecord | None:
    """An interaction by id; with `live`, None once it was deleted."""
    row = conn.execute("SELECT * FROM interactions WHERE id = ?", (interaction_id,)).fetchone()
    if row is None or (live and row["deleted_at"] is not None):
        return None
    record = _record(row)
    _load_participants(conn, [record])
    return record


def set_deleted(conn: sqlite3.Connection, interaction_id: int, deleted_at: str | None) -> None:
    conn.execute("UPDATE interactions SET deleted_at = ? WHERE id = ?", (deleted_at, interaction_id))


_EDITABLE = ("occurred_at", "kind", "direction", "subject", "notes")


def update(conn: sqlite3.Connection, interaction_id: int, **fields: str) -> None:
    """Change some of an interaction's own fields (when, kind, direction, subject, notes)."""
    set_columns(conn, "interactions", interaction_id, fields, allowed=_EDITABLE)


def kind_times(conn: sqlite3.Connection, person_id: int) -> list[tuple[str, str, str, str]]:
    """(kind, direction, channel, occurred_at) of a person's interactions, for tie strength."""
    rows = conn.execute(
        """SELECT i.kind, i.direction, i.channel, i.occurred_at FROM interaction_participants ip
           JOIN interactions i ON i.id = ip.interaction_id
           WHERE ip.person_id = ? AND i.deleted_at IS NULL""",
        (person_id,),
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def all_kind_times(conn: sqlite3.Connection) -> Iterable[tuple[int, str, str, float, int]]:
    """(person_id, kind, direction, julian day, interaction id) for everyone's live interactions, grouped by person."""
    return conn.execute(
        """SELECT ip.person_id, i.kind, i.direction, julianday(i.occurred_at), i.id
           FROM interaction_participants ip JOIN interactions i ON i.id = ip.interaction_id
           WHERE i.deleted_at IS NULL ORDER BY ip.person_id"""
    )


def group_sizes(conn: sqlite3.Connection, *, more_than: int) -> dict[int, int]:
    """interaction id -> participants, for the interactions with more than this many (a handful of group mails)."""
    return dict(
        conn.execute(
            """SELECT interaction_id, COUNT(*) FROM interaction_participants
               GROUP BY interaction_id HAVING COUNT(*) > ?""",
            (more_than,),
        )
    )


def tie_rows(conn: sqlite3.Connection, person_id: int) -> list[tuple[str, str, str, int]]:
    """(kind, direction, occurred_at, participants) of a person's live interactions, for tie strength."""
    rows = conn.execute(
        """SELECT i.kind, i.direction, i.occurred_at,
                  (SELECT COUNT(*) FROM interaction_participants x WHERE x.interaction_id = i.id)
           FROM interaction_participants ip JOIN interactions i ON i.id = ip.interaction_id
           WHERE ip.person_id = ? AND i.deleted_at IS NULL""",
        (person_id,),
    )
    return [(r[0], r[1], r[2], r[3]) for r in rows]


def knows_count(conn: sqlite3.Connection, person_id: int) -> int:
    """How many people this person is known to know (embeddedness)."""
    row = conn.execute(
        "SELECT (SELECT COUNT(*) FROM knows WHERE person_a_id = ?) + (SELECT COUNT(*) FROM knows WHERE person_b_id = ?)",
        (person_id, person_id),
    ).fetchone()
    return int(row[0])


def all_knows_counts(conn: sqlite3.Connection) -> dict[int, int]:
    counts: dict[int, int] = {}
    for pid, n in conn.execute(
        """SELECT pid, COUNT(*) FROM (SELECT person_a_id AS pid FROM knows UNION ALL
                                      SELECT person_b_id FROM knows) GROUP BY pid"""
    ):
        counts[pid] = n
    return counts


def insert_note(
    conn: sqlite3.Connection, *, body: str, now: str, person_id: int | None = None, organization_id: int | None = None
) -> int:
    cursor = conn.execute(
        "INSERT INTO notes (person_id, organization_id, body, created_at) VALUES (?, ?, ?, ?)",
        (person_id, organization_id, body, now),
    )
    return int(cursor.lastrowid or 0)


def get_note(conn: sqlite3.Connection, note_id: int) -> NoteRecord | None:
    row = conn.execute("SELECT * FROM notes WHERE id = ?", (note_id,)).fetchone()
    if row is None:
        return None
    return NoteRecord(
        id=row["id"], body=row["body"], created_at=row["created_at"], person_id=row["person_id"],
        organization_id=row["organization_id"],
    )  # fmt: skip


def update_note(conn: sqlite3.Connection, note_id: int, body: str) -> None:
    conn.execute("UPDATE notes SET body = ? WHERE id = ?", (body, note_id))


def notes_for_person(conn: sqlite3.Connection, person_id: int) -> list[NoteRecord]:
    rows = conn.execute("SELECT * FROM notes WHERE person_id = ? ORDER BY created_at DESC, id DESC", (person_id,))
    return [NoteRecord(id=r["id"], body=r["body"], created_at=r["created_at"], person_id=r["person_id"]) for r in rows]


def notes_for_organization(conn: sqlite3.Connection, organization_id: int) -> list[NoteRecord]:
    rows = conn.execute(
        "SELECT * FROM notes WHERE organization_id = ? ORDER BY created_at DESC, id DESC", (organization_id,)
    )
    return [
        NoteRecord(id=r["id"], body=r["body"], created_at=r["created_at"], organization_id=r["organization_id"])
        for r in rows
    ]


def delete_note(conn: sqlite3.Connection, note_id: int) -> None:
    conn.execute("DELETE FROM notes WHERE id = ?", (note_id,))
