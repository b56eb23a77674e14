"""Search: one box that finds people by name, email, organization, tag, notes and conversations."""

from __future__ import annotations

from dataclasses import dataclass

from knowwho.services.context import ServiceContext
from knowwho.storage import people as people_store
from knowwho.storage import search as search_store
from knowwho.storage.records import PersonRecord


@dataclass(frozen=True, slots=True)
class SearchHit:
    person: PersonRecord
    matched: str  # where the query matched, for display


class SearchService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def people(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        """People matching `query`, best first: name and profile, email, organization, tag, notes, conversations."""
        conn = self.ctx.db.conn
        match = search_store.match_expression(query)
        found: dict[int, str] = {}
        sources = [lambda: search_store.people_by_email(conn, query, limit),
                   lambda: search_store.people_by_tag(conn, query, limit)]  # fmt: skip
        if match:
            sources[1:1] = [lambda: search_store.people(conn, match, limit)]
            sources += [
                lambda: search_store.people_by_organization(conn, match, limit),
                lambda: search_store.people_by_note(conn, match, limit),
                lambda: search_store.people_by_interaction(conn, match, limit),
            ]
        for source in sources:
            for person_id, matched in source():
                found.setdefault(person_id, matched)
            if len(found) >= limit:
                break
        ids = list(found)[:limit]
        return [SearchHit(person=p, matched=found[p.id]) for p in people_store.get_many(conn, ids)]
