"""Search: one box that finds people by name, email, job title, organization, tag, notes and conversations,
and when nothing matches by words, by meaning (titles, situations, needs and offers close to the query).

When nothing matches, close names are suggested ("did you mean Henry Ford?"):
each word typed is corrected against the words of people's names, and the
people whose names hold the corrected words are ranked by closeness.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from knowwho.services import meaning
from knowwho.services.context import ServiceContext
from knowwho.services.highlight import Marked, from_snippet, mark_prefix, mark_words
from knowwho.storage import people as people_store
from knowwho.storage import search as search_store
from knowwho.storage.records import PersonRecord

_WORD = re.compile(r"\w+", re.UNICODE)
SUGGESTIONS = 3
CANDIDATES = 200  # people with a corrected name word, ranked in Python


@dataclass(frozen=True, slots=True)
class SearchHit:
    person: PersonRecord
    matched: Marked  # where the query matched, with the matching words marked


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: list[SearchHit]
    suggestions: list[PersonRecord] = field(default_factory=list)  # close names, when nobody matched


class SearchService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx
        self._words: tuple[tuple[int, int], list[str]] | None = None  # (database version, name words)

    def find(self, query: str, *, limit: int = 50) -> SearchResult:
        """People matching `query`; when nobody does, the people whose names are closest to it."""
        hits = self.people(query, limit=limit)
        return SearchResult(query=query, hits=hits, suggestions=[] if hits else self.suggest(query))

    def people(self, query: str, *, limit: int = 50) -> list[SearchHit]:
        """People matching `query`, best first: name and profile, email, tag, job title, organization, notes,
        conversations."""
        conn = self.ctx.db.conn
        match = search_store.match_expression(query)
        words = _WORD.findall(query)
        text = query.strip()
        sources: list[tuple[Callable[[], list[tuple[int, str]]], Callable[[str], Marked]]] = [
            (lambda: search_store.people_by_email(conn, query, limit), lambda s: mark_prefix(s, text)),
            (lambda: search_store.people_by_tag(conn, query, limit), lambda s: mark_words(s, [text.lstrip("#")])),
        ]
        if match:
            sources[1:1] = [(lambda: search_store.people(conn, match, limit), from_snippet)]
            sources += [
                (lambda: search_store.people_by_title(conn, match, limit), lambda s: mark_words(s, words)),
                (lambda: search_store.people_by_organization(conn, match, limit), lambda s: mark_words(s, words)),
                (lambda: search_store.people_by_note(conn, match, limit), from_snippet),
                (lambda: search_store.people_by_interaction(conn, match, limit), from_snippet),
            ]
        found: dict[int, Marked] = {}
        for fetch, marked in sources:
            for person_id, where in fetch():
                if person_id not in found:
                    found[person_id] = marked(where)
            if len(found) >= limit:
                break
        if not found:  # then by meaning (the model loads only when the words missed): "healthcare" finds a Physician
            for person_id, said in meaning.people_like(conn, text, limit=limit):
                found.setdefault(person_id, mark_words(said, []))
        ids = list(found)[:limit]
        return [SearchHit(person=p, matched=found[p.id]) for p in people_store.get_many(conn, ids)]

    def suggest(self, query: str, *, limit: int = SUGGESTIONS) -> list[PersonRecord]:
        """People whose names are a typo or two away from `query` ("henri" -> Henry Ford), closest first."""
        from knowwho.services import suggest  # the fuzzy matcher loads only when a search misses

        words = suggest.query_words(query)
        if not words:
            return []
        vocabulary = self._name_words()
        groups = [suggest.close_words(w, vocabulary) for w in words]
        kept = [(w, g) for w, g in zip(words, groups, strict=True) if g]
        if not kept:
            return []
        conn = self.ctx.db.conn
        candidates = search_store.people_by_name_words(conn, [g for _, g in kept], CANDIDATES)
        ids = suggest.rank([w for w, _ in kept], candidates, limit=limit)
        return people_store.get_many(conn, ids)

    def _name_words(self) -> list[str]:
        """The words of people's names, read again only once the database has changed."""
        conn = self.ctx.db.conn
        version = search_store.version(conn)
        if self._words is None or self._words[0] != version:
            self._words = (version, search_store.name_words(conn))
        return self._words[1]
