"""SQL for sync sources and their status table (what each source last saw of each remote item)."""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any, Literal

PasswordKept = Literal["file", "keyring", "none"]


@dataclass(slots=True)
class SyncSource:
    """A place knowwho syncs from; the password is never here (keyring, or the file `password_file` names)."""

    id: int
    name: str
    kind: str  # "imap", "carddav" or "caldav"
    settings: dict[str, Any] = field(default_factory=dict)
    password_file: str | None = None
    created_at: str = ""
    last_run_at: str | None = None
    last_error: str | None = None
    last_summary: dict[str, Any] | None = None
    in_keyring: bool = False  # knowwho put a password in the keyring for this name

    @property
    def password_kept(self) -> PasswordKept:
        """Where its password is: "file", "keyring", or "none" (added without one: a server that asks none)."""
        if self.password_file:
            return "file"
        return "keyring" if self.in_keyring else "none"

    @property
    def where(self) -> str:
        """The server or collection it reads: an IMAP host, or a DAV collection's address."""
        return str(self.settings.get("host") or self.settings.get("url") or "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "kind": self.kind, "settings": self.settings, "password_file": self.password_file,
            "password_kept": self.password_kept, "last_run_at": self.last_run_at, "last_error": self.last_error, "last_summary": self.last_summary,
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class SyncItem:
    """What a source last saw of one remote item: an IMAP folder, a card, an event."""

    item_kind: str
    remote_key: str  # a folder name, an href
    state: str  # JSON or an ETag: the kind's own business
    local_ids: dict[str, Any]


_IN_KEYRING = "sync-keyring/"  # see "keyring passwords" below
_COLUMNS = f"""id, name, kind, settings, password_file, created_at, last_run_at, last_error, last_summary,
               EXISTS (SELECT 1 FROM settings k WHERE k.key = '{_IN_KEYRING}' || sync_sources.name)"""


def _source(row: sqlite3.Row | tuple[Any, ...]) -> SyncSource:
    summary = json.loads(row[8]) if row[8] else None
    return SyncSource(
        row[0], row[1], row[2], json.loads(row[3] or "{}"), row[4], row[5], row[6], row[7], summary, bool(row[9])
    )


def insert_source(
    conn: sqlite3.Connection, *, name: str, kind: str, settings: dict[str, Any], password_file: str | None, now: str
) -> int:
    cursor = conn.execute(
        "INSERT INTO sync_sources (name, kind, settings, password_file, created_at) VALUES (?, ?, ?, ?, ?)",
        (name, kind, json.dumps(settings, sort_keys=True), password_file, now),
    )
    return int(cursor.lastrowid or 0)


def sources(conn: sqlite3.Connection) -> list[SyncSource]:
    return [_source(row) for row in conn.execute(f"SELECT {_COLUMNS} FROM sync_sources ORDER BY name")]


def source_named(conn: sqlite3.Connection, name: str) -> SyncSource | None:
    row = conn.execute(f"SELECT {_COLUMNS} FROM sync_sources WHERE name = ?", (name,)).fetchone()
    return _source(row) if row else None


def delete_source(conn: sqlite3.Connection, source_id: int) -> None:
    conn.execute("DELETE FROM sync_items WHERE source_id = ?", (source_id,))
    conn.execute("DELETE FROM sync_sources WHERE id = ?", (source_id,))


def record_run(
    conn: sqlite3.Connection, source_id: int, *, at: str, error: str | None, summary: dict[str, Any] | None
) -> None:
    """How the last run went; a failed run keeps the summary of the last one that worked."""
    conn.execute(
        """UPDATE sync_sources SET last_run_at = ?, last_error = ?, last_summary = COALESCE(?, last_summary)
           WHERE id = ?""",
        (at, error, json.dumps(summary) if summary is not None else None, source_id),
    )


# -- keyring passwords and their lifetime ------------------------------------------------------
# `sync-keyring/NAME` (written outside any change, so undo leaves it) says knowwho put NAME's password
# in the keyring. A removed source's password is kept while its removal can be undone:
# `sync-kept-password/NAME` holds the id of the removal (undoing it takes the row away too).
# A password no source uses and no undo can bring back is forgotten.
_KEPT = "sync-kept-password/"


def note_in_keyring(conn: sqlite3.Connection, name: str) -> None:
    conn.execute("INSERT OR IGNORE INTO settings (key, value) VALUES (?, '')", (_IN_KEYRING + name,))


def keep_password(conn: sqlite3.Connection, name: str, change_id: int | None) -> None:
    conn.execute(
        "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        (_KEPT + name, str(change_id or "")),
    )


def drop_kept_password(conn: sqlite3.Connection, name: str) -> bool:
    """Drop the mark of a removed source's kept password; whether there was one."""
    return conn.execute("DELETE FROM settings WHERE key = ?", (_KEPT + name,)).rowcount > 0


def drop_kept_passwords(conn: sqlite3.Connection, names: list[str]) -> None:
    conn.executemany("DELETE FROM settings WHERE key IN (?, ?)", [(_KEPT + name, _IN_KEYRING + name) for name in names])


def unused_passwords(conn: sqlite3.Connection) -> list[str]:
    """Names whose keyring password can go: no source has the name, and no undo can bring one back."""
    rows = conn.execute(
        """WITH names (name) AS (
               SELECT substr(key, :kept_at) FROM settings WHERE key >= :kept AND key < :kept_end
               UNION SELECT substr(key, :noted_at) FROM settings WHERE key >= :noted AND key < :noted_end)
           SELECT name FROM names n
           WHERE NOT EXISTS (SELECT 1 FROM sync_sources s WHERE s.name = n.name)
             AND NOT EXISTS (SELECT 1 FROM settings m JOIN undo_log l ON l.id = CAST(m.value AS INTEGER)
                             WHERE m.key = :kept || n.name AND NOT l.pruned AND l.undone_at IS NULL)
           ORDER BY name""",
        {"kept": _KEPT, "kept_end": _KEPT[:-1] + "0", "kept_at": len(_KEPT) + 1,
         "noted": _IN_KEYRING, "noted_end": _IN_KEYRING[:-1] + "0", "noted_at": len(_IN_KEYRING) + 1},
    )  # fmt: skip
    return [row[0] for row in rows]


# -- the status table ------------------------------------------------------------------------
def items(conn: sqlite3.Connection, source_id: int, item_kind: str) -> dict[str, SyncItem]:
    """Every item of one kind the source last saw, by remote key."""
    rows = conn.execute(
        "SELECT item_kind, remote_key, state, local_ids FROM sync_items WHERE source_id = ? AND item_kind = ?",
        (source_id, item_kind),
    )
    return {row[1]: SyncItem(row[0], row[1], row[2], json.loads(row[3] or "{}")) for row in rows}


def save_item(
    conn: sqlite3.Connection,
    source_id: int,
    item_kind: str,
    remote_key: str,
    *,
    state: str,
    local_ids: dict[str, Any] | None = None,
    now: str,
) -> None:
    conn.execute(
        """INSERT INTO sync_items (source_id, item_kind, remote_key, state, local_ids, updated_at)
           VALUES (?, ?, ?, ?, ?, ?)
           ON CONFLICT (source_id, item_kind, remote_key)
           DO UPDATE SET state = excluded.state, local_ids = excluded.local_ids, updated_at = excluded.updated_at""",
        (source_id, item_kind, remote_key, state, json.dumps(local_ids or {}, sort_keys=True), now),
    )


def delete_item(conn: sqlite3.Connection, source_id: int, item_kind: str, remote_key: str) -> None:
    conn.execute(
        "DELETE FROM sync_items WHERE source_id = ? AND item_kind = ? AND remote_key = ?",
        (source_id, item_kind, remote_key),
    )
