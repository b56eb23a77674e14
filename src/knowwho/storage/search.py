"""Full-text search over people, organizations, notes and interactions (FTS5)."""

from __future__ import annotations

import re
import sqlite3

_WORD = re.compile(r"\w+", re.UNICODE)
# What snippets wrap a match in: private-use characters nobody types (see services/highlight.py).
OPEN, CLOSE = "\ue000", "\ue001"


def version(conn: sqlite3.Connection) -> tuple[int, int]:
    """Something that moves whenever anything is committed: by another connection, or by this one."""
    return int(conn.execute("PRAGMA data_version").fetchone()[0]), conn.total_changes


def match_expression(query: str) -> str | None:
    """User text -> an FTS5 query where every word must match as a prefix."""
    # A word twice (in any case: the index ignores it) asks nothing more, and each word is one more scan.
    words: dict[str, str] = {}
    for word in _WORD.findall(query):
        words.setdefault(word.lower(), word)
    if not words:
        return None
    return " ".join(f'"{w}"*' for w in words.values())


def people(conn: sqlite3.Connection, match: str, limit: int) -> list[tuple[int, str]]:
    rows = conn.execute(
        """SELECT p.id, snippet(people_fts, -1, :open, :close, '…', 8) FROM people_fts f
           JOIN people p ON p.id = f.rowid
           WHERE people_fts MATCH :match AND p.deleted_at IS NULL
           ORDER BY bm25(people_fts, 10.0, 2.0, 2.0, 2.0, 2.0, 1.0) LIMIT :limit""",
        _params(match, limit),
    )
    return [(r[0], r[1]) for r in rows]


def people_by_email(conn: sqlite3.Connection, query: str, limit: int) -> list[tuple[int, str]]:
    text = query.strip().lower()
    if "@" not in text and "." not in text:
        return []
    rows = conn.execute(
        """SELECT e.person_id, e.email FROM person_emails e JOIN people p ON p.id = e.person_id
           WHERE e.email >= ? AND e.email < ? AND p.deleted_at IS NULL LIMIT ?""",
        (text, text + "\uffff", limit),
    )
    return [(r[0], r[1]) for r in rows]


def people_by_organization(conn: sqlite3.Connection, match: str, limit: int) -> list[tuple[int, str]]:
    rows = conn.execute(
        """SELECT r.person_id, o.name || CASE WHEN r.title != '' THEN ' · ' || r.title ELSE '' END
           FROM organizations_fts f JOIN organizations o ON o.id = f.rowid
           JOIN roles r ON r.organization_id = o.id JOIN people p ON p.id = r.person_id
           WHERE organizations_fts MATCH ? AND p.deleted_at IS NULL
           ORDER BY r.is_current DESC, p.tie_strength DESC LIMIT ?""",
        (match, limit),
    )
    return [(r[0], r[1]) for r in rows]


def people_by_title(conn: sqlite3.Connection, match: str, limit: int) -> list[tuple[int, str]]:
    """People whose job title matches, current jobs first: (id, 'Title at Organization')."""
    rows = conn.execute(
        """SELECT r.person_id, r.title || ' at ' || o.name FROM roles_fts f JOIN roles r ON r.id = f.rowid
           JOIN organizations o ON o.id = r.organization_id JOIN people p ON p.id = r.person_id
           WHERE roles_fts MATCH ? AND p.deleted_at IS NULL
           ORDER BY r.is_current DESC, f.rank, p.tie_strength DESC LIMIT ?""",
        (match, limit),
    )
    return [(r[0], r[1]) for r in rows]


def people_by_tag(conn: sqlite3.Connection, query: str, limit: int) -> list[tuple[int, str]]:
    rows = conn.execute(
        """SELECT t.person_id, t.kind || ': ' || t.tag FROM person_tags t JOIN people p ON p.id = t.person_id
           WHERE t.tag = ? COLLATE NOCASE AND p.deleted_at IS NULL LIMIT ?""",
        (query.strip().lstrip("#"), limit),
    )
    return [(r[0], r[1]) for r in rows]


def people_by_note(conn: sqlite3.Connection, match: str, limit: int) -> list[tuple[int, str]]:
    rows = conn.execute(
        """SELECT n.person_id, snippet(notes_fts, 0, :open, :close, '…', 8) FROM notes_fts f
           JOIN notes n ON n.id = f.rowid JOIN people p ON p.id = n.person_id
           WHERE notes_fts MATCH :match AND p.deleted_at IS NULL ORDER BY rank LIMIT :limit""",
        _params(match, limit),
    )
    return [(r[0], r[1]) for r in rows]


def people_by_interaction(conn: sqlite3.Connection, match: str, limit: int) -> list[tuple[int, str]]:
    rows = conn.execute(
        """SELECT ip.person_id, snippet(interactions_fts, -1, :open, :close, '…', 8) FROM interactions_fts f
           JOIN interactions i ON i.id = f.rowid JOIN interaction_participants ip ON ip.interaction_id = i.id
           JOIN people p ON p.id = ip.person_id
           WHERE interactions_fts MATCH :match AND p.deleted_at IS NULL AND i.deleted_at IS NULL
           ORDER BY rank LIMIT :limit""",
        _params(match, limit),
    )
    return [(r[0], r[1]) for r in rows]


def organizations(conn: sqlite3.Connection, match: str, limit: int) -> list[int]:
    rows = conn.execute(
        """SELECT o.id FROM organizations_fts f JOIN organizations o ON o.id = f.rowid
           WHERE organizations_fts MATCH ? AND o.deleted_at IS NULL ORDER BY rank LIMIT ?""",
        (match, limit),
    )
    return [r[0] for r in rows]


def _params(match: str, limit: int) -> dict[str, object]:
    return {"match": match, "limit": limit, "open": OPEN, "close": CLOSE}


def name_words(conn: sqlite3.Connection) -> list[str]:
    """Every distinct word of people's names, as the full-text index folds them (lower case, no accents).

    Read from the index's own vocabulary: one pass over the index, no scan of the people table.
    """
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.people_words USING fts5vocab(main, people_fts, col)")
    return [r[0] for r in conn.execute("SELECT term FROM temp.people_words WHERE col = 'display_name'")]


def people_by_name_words(conn: sqlite3.Connection, groups: list[list[str]], limit: int) -> list[tuple[int, str]]:
    """(id, name) of people whose name holds a word of every group (any word of a group will do).

    The closest ties first: the one a user meant is most often someone they know well.
    """
    match = " AND ".join("display_name : (" + " OR ".join(f'"{w}"' for w in group) + ")" for group in groups)
    rows = conn.execute(
        """SELECT p.id, p.display_name FROM people_fts f JOIN people p ON p.id = f.rowid
           WHERE people_fts MATCH ? AND p.deleted_at IS NULL
           ORDER BY p.is_contact DESC, p.tie_strength DESC LIMIT ?""",
        (match, limit),
    )
    return [(r[0], r[1]) for r in rows]
