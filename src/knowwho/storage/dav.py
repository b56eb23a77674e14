"""SQL the address-book and calendar sources need beyond the status table itself."""

from __future__ import annotations

import sqlite3


def contacts_changed_since(conn: sqlite3.Connection, stamp: str) -> list[int]:
    """Live contacts added or edited after `stamp`, oldest change first (what a push writes)."""
    rows = conn.execute(
        """SELECT id FROM people WHERE deleted_at IS NULL AND is_contact = 1 AND updated_at > ?
           ORDER BY updated_at, id""",
        (stamp,),
    )
    return [int(row[0]) for row in rows]


def address_books_without(conn: sqlite3.Connection, person_id: int) -> list[str]:
    """The names of the address books whose card of this person was deleted there (knowwho keeps them)."""
    rows = conn.execute(
        """SELECT DISTINCT s.name FROM sync_items i JOIN sync_sources s ON s.id = i.source_id
           WHERE i.item_kind = 'card' AND json_extract(i.local_ids, '$.person') = ?
             AND json_extract(i.state, '$.removed') = 1
             AND NOT EXISTS (SELECT 1 FROM sync_items live WHERE live.source_id = i.source_id
                             AND live.item_kind = 'card' AND json_extract(live.local_ids, '$.person') = ?
                             AND json_extract(live.state, '$.removed') IS NOT 1)
           ORDER BY s.name""",
        (person_id, person_id),
    )
    return [str(row[0]) for row in rows]


def meetings_on(conn: sqlite3.Connection, day: str) -> list[str]:
    """The calendar sources' coming meetings (JSON: at, day, summary, people) on `day` (YYYY-MM-DD, local)."""
    rows = conn.execute(
        """SELECT u.value FROM sync_items i, json_each(i.state, '$.upcoming') u
           WHERE i.item_kind = 'event' AND json_valid(i.state) AND json_extract(u.value, '$.day') = ?
           ORDER BY json_extract(u.value, '$.at')""",
        (day,),
    )
    return [str(row[0]) for row in rows]


def events_due(conn: sqlite3.Connection, source_id: int, now: str) -> list[str]:
    """The hrefs of a calendar's items to read again though unchanged: a meeting came near or began by `now`."""
    rows = conn.execute(
        """SELECT remote_key FROM sync_items WHERE source_id = ? AND item_kind = 'event' AND json_valid(state)
             AND json_extract(state, '$.again') <= ?""",
        (source_id, now),
    )
    return [str(row[0]) for row in rows]


def meetings_from(conn: sqlite3.Connection, source: str, uids: list[str]) -> dict[str, int]:
    """external id -> live interaction, of the meetings a calendar source derived from these event UIDs."""
    found: dict[str, int] = {}
    for uid in uids:
        rows = conn.execute(
            """SELECT p.external_id, p.entity_id FROM provenance p JOIN interactions i ON i.id = p.entity_id
               WHERE p.source = ? AND p.entity = 'interaction' AND p.external_id >= ? AND p.external_id < ?
                 AND p.external_id != '' AND i.deleted_at IS NULL""",  # != '': through the partial unique index
            (source, f"{uid}/", f"{uid}0"),  # "0" follows "/": every "UID/…" id
        )
        found.update({str(r[0]): int(r[1]) for r in rows})
    return found
