"""SQL for matching by meaning: the distinct texts worth embedding, and who wrote them."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable

VECTOR_PREFIX = "cache.meaning."  # settings rows of kept vectors: "cache." rows are left out of backups
_LIVE = "p.deleted_at IS NULL AND p.merged_into_id IS NULL"


def current_titles(conn: sqlite3.Connection) -> list[str]:
    """The distinct current job titles (a few thousand even in a large network)."""
    return [str(r[0]) for r in conn.execute("SELECT DISTINCT title FROM roles WHERE is_current = 1 AND title != ''")]


def people_with_titles(conn: sqlite3.Connection, titles: Iterable[str]) -> list[tuple[int, str]]:
    """(person, title) of the live people whose current title is one of `titles`."""
    rows = conn.execute(
        f"""SELECT r.person_id, r.title FROM roles r JOIN people p ON p.id = r.person_id
            WHERE r.is_current = 1 AND r.title IN (SELECT value FROM json_each(?)) AND {_LIVE}""",
        (json.dumps(sorted(set(titles))),),
    )
    return [(int(r[0]), str(r[1])) for r in rows]


# -- vectors kept between runs: settings rows under "cache." (left out of backups) ------------
def cached_values(conn: sqlite3.Connection, keys: Iterable[str]) -> dict[str, str]:
    """key -> value of the cache rows among `keys`."""
    rows = conn.execute(
        "SELECT key, value FROM settings WHERE key IN (SELECT value FROM json_each(?))", (json.dumps(list(keys)),)
    )
    return {str(r[0]): str(r[1]) for r in rows}


def keep_values(conn: sqlite3.Connection, values: dict[str, str]) -> None:
    conn.executemany(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        values.items(),
    )
