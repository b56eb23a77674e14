"""SQL for the people listing: filters, sort orders and keyset paging that stay fast at 100,000 people.

Each sort order is one indexed expression plus the id as a tie-break, so the
next page starts from the last row's (value, id) with an index range, not an
OFFSET that rescans every earlier row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from knowwho.storage.agenda import EFFECTIVE_CADENCE

_OVERDUE_RATIO = f"((:now_julian - julianday(COALESCE(p.last_interaction_at, p.created_at))) / {EFFECTIVE_CADENCE})"


@dataclass(frozen=True, slots=True)
class SortSpec:
    expression: str
    descending: bool


# The expressions match the indexes of migration 0002 exactly, so SQLite uses them.
SORTS: dict[str, SortSpec] = {
    "name": SortSpec("p.display_name COLLATE NOCASE", descending=False),
    "recent": SortSpec("COALESCE(p.last_interaction_at, '')", descending=True),
    "strength": SortSpec("p.tie_strength", descending=True),
    "added": SortSpec("p.id", descending=True),
    "overdue": SortSpec(f"CASE WHEN {EFFECTIVE_CADENCE} > 0 THEN {_OVERDUE_RATIO} ELSE -1 END", descending=True),
}


@dataclass(slots=True)
class Filters:
    """Conditions on people; every field left empty matches everyone."""

    ids: Sequence[int] | None = None  # restrict to these (search results)
    tag: str = ""
    organization_id: int | None = None
    strength_range: tuple[float, float] | None = None  # [low, high)
    overdue: bool = False
    contacts_only: bool = True
    params: dict[str, Any] = field(default_factory=dict)


def _where(filters: Filters, now_julian: float, *, for_count: bool = False) -> tuple[str, dict[str, Any]]:
    clauses = ["p.deleted_at IS NULL"]
    params: dict[str, Any] = {"now_julian": now_julian}
    if filters.contacts_only:
        # Nearly everyone is a contact: a page must walk its sort index, not this one (the "+" says so);
        # a count is best served by the (is_contact, tie_strength) index alone.
        clauses.append("p.is_contact = 1" if for_count else "+p.is_contact = 1")
    if filters.ids is not None:
        ids = [int(i) for i in filters.ids] or [-1]
        clauses.append(f"p.id IN ({','.join(str(i) for i in ids)})")
    if filters.tag:
        clauses.append("p.id IN (SELECT person_id FROM person_tags WHERE kind = 'tag' AND tag = :tag)")
        params["tag"] = filters.tag
    if filters.organization_id is not None:
        clauses.append("p.id IN (SELECT person_id FROM roles WHERE organization_id = :org AND is_current = 1)")
        params["org"] = filters.organization_id
    if filters.strength_range is not None:
        clauses.append("p.tie_strength >= :low AND p.tie_strength < :high")
        params["low"], params["high"] = filters.strength_range
    if filters.overdue:
        clauses.append(f"{EFFECTIVE_CADENCE} > 0 AND {_OVERDUE_RATIO} >= 1")
    return " AND ".join(clauses), params


def page(
    conn: sqlite3.Connection,
    filters: Filters,
    *,
    sort: str,
    after: tuple[Any, int] | None,
    limit: int,
    now_julian: float,
) -> list[tuple[int, Any]]:
    """(id, sort value) of the next `limit` people after the cursor `after` = (value, id)."""
    spec = SORTS[sort]
    where, params = _where(filters, now_julian)
    if after is not None:
        # A bounding term the index can range over, then the exact keyset test.
        edge, strict = ("<=", "<") if spec.descending else (">=", ">")
        where += f" AND {spec.expression} {edge} :after_value AND ({spec.expression} {strict} :after_value OR p.id {strict} :after_id)"
        params["after_value"], params["after_id"] = after
    direction = "DESC" if spec.descending else "ASC"
    sql = (
        f"SELECT p.id, {spec.expression} AS sort_value FROM people p WHERE {where} "
        f"ORDER BY {spec.expression} {direction}, p.id {direction} LIMIT :limit"
    )
    params["limit"] = limit
    return [(int(r[0]), r[1]) for r in conn.execute(sql, params)]


def count(conn: sqlite3.Connection, filters: Filters, *, now_julian: float) -> int:
    where, params = _where(filters, now_julian, for_count=True)
    return int(conn.execute(f"SELECT COUNT(*) FROM people p WHERE {where}", params).fetchone()[0])


def keep_matching(conn: sqlite3.Connection, ids: Sequence[int], filters: Filters, *, now_julian: float) -> set[int]:
    """Which of `ids` pass the filters (for search results kept in relevance order)."""
    if not ids:
        return set()
    narrowed = Filters(
        ids=ids, tag=filters.tag, organization_id=filters.organization_id,
        strength_range=filters.strength_range, overdue=filters.overdue, contacts_only=filters.contacts_only,
    )  # fmt: skip
    where, params = _where(narrowed, now_julian)
    return {int(r[0]) for r in conn.execute(f"SELECT p.id FROM people p WHERE {where}", params)}


def tags_in_use(conn: sqlite3.Connection, limit: int = 300) -> list[str]:
    """Tags in use, alphabetically, for the filter menu (read from the tag index alone)."""
    rows = conn.execute("SELECT DISTINCT tag FROM person_tags WHERE kind = 'tag' ORDER BY tag LIMIT ?", (limit,))
    return [r[0] for r in rows]


def organization_choices(conn: sqlite3.Connection, limit: int = 200) -> list[tuple[int, str]]:
    """Organizations with the most people there now, for the filter menu."""
    rows = conn.execute(
        """SELECT o.id, o.name FROM roles r JOIN organizations o ON o.id = r.organization_id
           WHERE r.is_current = 1 AND o.deleted_at IS NULL
           GROUP BY o.id ORDER BY COUNT(*) DESC, o.name LIMIT ?""",
        (limit,),
    )
    return [(int(r[0]), r[1]) for r in rows]
