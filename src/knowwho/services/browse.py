"""The people listing: search, filters (tag, organization, tier, overdue), sort orders and paging.

One data function for the People page and `GET /api/people`. Paging is by
cursor: an opaque token naming the last row shown, so every page is an index
range however deep it is.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field, replace
from typing import Any

from knowwho.errors import InvalidInput
from knowwho.services import tie_strength
from knowwho.services.context import ServiceContext
from knowwho.services.highlight import Marked
from knowwho.services.normalize import normalize_tag
from knowwho.services.search import SearchService
from knowwho.storage import browse as browse_store
from knowwho.storage import people as people_store
from knowwho.storage.records import PersonRecord

SORTS = ("relevance", *browse_store.SORTS)
TIERS = ("strong", "moderate", "weak", "dormant")
MAX_LIMIT = 200
SEARCH_DEPTH = 50  # search hits considered before filters and paging (deeper costs much more)


def tier_range(tier: str) -> tuple[float, float]:
    """The [low, high) tie-strength range of a tier (see tie_strength.TIERS)."""
    bounds = [1.01, *(t for t, _ in tie_strength.TIERS), 0.0]
    names = [name for _, name in tie_strength.TIERS] + ["dormant"]
    if tier not in names:
        raise InvalidInput(f"unknown tier {tier!r}: use one of {', '.join(TIERS)}")
    index = names.index(tier)
    return bounds[index + 1], bounds[index]


@dataclass(frozen=True, slots=True)
class BrowseQuery:
    q: str = ""
    tag: str = ""
    organization_id: int | None = None
    tier: str = ""
    overdue: bool = False
    everyone: bool = False  # include second-degree people known only through others
    sort: str = ""  # default: relevance when searching, else name
    cursor: str = ""
    limit: int = 50

    def effective_sort(self) -> str:
        return self.sort or ("relevance" if self.q.strip() else "name")


@dataclass(frozen=True, slots=True)
class BrowsePage:
    people: list[PersonRecord]
    total: int
    next_cursor: str  # empty on the last page
    query: BrowseQuery
    matched: dict[int, Marked]  # where a search matched, by person id
    suggestions: list[PersonRecord] = field(default_factory=list)  # close names, when a search found nobody


class BrowseService:
    def __init__(self, ctx: ServiceContext, search: SearchService) -> None:
        self.ctx = ctx
        self.search = search  # for the full-text part

    def page(self, query: BrowseQuery, *, count: bool = True) -> BrowsePage:
        """A page of people; `count=False` leaves `total` as -1 (see `total`, which a caller may cache)."""
        sort = query.effective_sort()
        if sort not in SORTS:
            raise InvalidInput(f"unknown sort {sort!r}: use one of {', '.join(SORTS)}")
        if not 1 <= query.limit <= MAX_LIMIT:
            raise InvalidInput(f"limit is a number from 1 to {MAX_LIMIT}")
        filters = self._filters(query)
        conn = self.ctx.db.conn
        now_julian = tie_strength.julian(self.ctx.now_stamp())
        matched: dict[int, Marked] = {}
        suggestions: list[PersonRecord] = []
        if query.q.strip():
            found = self.search.find(query.q, limit=SEARCH_DEPTH)
            matched = {h.person.id: h.matched for h in found.hits}
            suggestions = found.suggestions
            filters.ids = list(matched)
            if sort == "relevance":
                return replace(self._relevance_page(query, filters, matched, now_julian), suggestions=suggestions)
        elif sort == "relevance":
            raise InvalidInput("sort by relevance needs a search (q)")
        after = _decode(query.cursor) if query.cursor else None
        rows = browse_store.page(conn, filters, sort=sort, after=after, limit=query.limit + 1, now_julian=now_julian)
        more = len(rows) > query.limit
        rows = rows[: query.limit]
        next_cursor = _encode(rows[-1][1], rows[-1][0]) if more and rows else ""
        return BrowsePage(
            people=people_store.get_many(conn, [r[0] for r in rows]),
            total=browse_store.count(conn, filters, now_julian=now_julian) if count else -1,
            next_cursor=next_cursor, query=query, matched=matched, suggestions=suggestions,
        )  # fmt: skip

    def total(self, query: BrowseQuery) -> int:
        """How many people the query's filters match (the search words aside: those are counted by `page`)."""
        now_julian = tie_strength.julian(self.ctx.now_stamp())
        return browse_store.count(self.ctx.db.conn, self._filters(query), now_julian=now_julian)

    def _filters(self, query: BrowseQuery) -> browse_store.Filters:
        return browse_store.Filters(
            tag=normalize_tag(query.tag) if query.tag.strip() else "",
            organization_id=query.organization_id,
            strength_range=tier_range(query.tier) if query.tier else None,
            overdue=query.overdue,
            contacts_only=not query.everyone,
        )

    def _relevance_page(
        self, query: BrowseQuery, filters: browse_store.Filters, matched: dict[int, Marked], now_julian: float
    ) -> BrowsePage:
        conn = self.ctx.db.conn
        keep = browse_store.keep_matching(conn, list(matched), filters, now_julian=now_julian)
        ranked = [pid for pid in matched if pid in keep]
        start = int(_decode(query.cursor)[1]) if query.cursor else 0
        chunk = ranked[start : start + query.limit]
        more = start + query.limit < len(ranked)
        return BrowsePage(
            people=people_store.get_many(conn, chunk), total=len(ranked),
            next_cursor=_encode(None, start + query.limit) if more else "", query=query, matched=matched,
        )  # fmt: skip

    def long_page(self, query: BrowseQuery) -> BrowsePage:
        """A page of any length (the command line prints as many as asked), read MAX_LIMIT people at a time."""
        first = self.page(replace(query, limit=min(query.limit, MAX_LIMIT)))
        page, people = first, list(first.people)
        while page.next_cursor and len(people) < query.limit:
            rest = replace(query, cursor=page.next_cursor, limit=min(query.limit - len(people), MAX_LIMIT))
            page = self.page(rest, count=False)
            people += page.people
        return replace(first, people=people, next_cursor=page.next_cursor, query=query)

    def tags(self, limit: int = 300) -> list[str]:
        return browse_store.tags_in_use(self.ctx.db.conn, limit)

    def organizations(self, limit: int = 200) -> list[tuple[int, str]]:
        return browse_store.organization_choices(self.ctx.db.conn, limit)


def _encode(value: Any, row_id: int) -> str:
    raw = json.dumps([value, row_id], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str) -> tuple[Any, int]:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        value, row_id = json.loads(raw)
        if not isinstance(row_id, int) or isinstance(value, (dict, list)):
            raise ValueError
        if any(isinstance(n, int) and not -(2**63) <= n < 2**63 for n in (value, row_id)):  # beyond SQLite
            raise ValueError
    except (ValueError, TypeError) as error:
        raise InvalidInput("this page link is out of date; start again from the first page") from error
    return value, row_id
