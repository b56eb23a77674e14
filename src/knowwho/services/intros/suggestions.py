"""Which two of the user's contacts to introduce, and why (DESIGN 4.4).

Three kinds of match, each scored in [0, 1]:
- the same situation ("both migrating company email to Microsoft 365"): the
  cosine of their situation documents;
- a need met by an offer ("Hal needs a React mentor, Ida offers React
  mentoring"): the cosine of one's needs and the other's offers;
- both just changed jobs (a current job begun in the last 90 days): a fixed
  match, since the situation is the same for all of them.
A pair's match is its best kind; its score is match × the geometric mean of
the user's ties to both. Pairs who know each other, were introduced already,
or include someone the user barely knows (a dormant tie) are left out.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from datetime import date, timedelta

from knowwho.services import tie_strength
from knowwho.services.intros import matching
from knowwho.storage import intros as store

NEW_JOB_DAYS = 90
NEW_JOB_MATCH = 0.5
MIN_MATCH = 0.2  # below this two texts share a word or two, not a situation
PER_TERM = 100  # a common term pairs only its this-many members with the strongest ties


@dataclass(frozen=True, slots=True)
class Suggestion:
    person_a_id: int
    person_a: str
    person_b_id: int
    person_b: str
    kind: str  # situation, need-offer, new-job
    match: float
    score: float
    reason: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class _Person:
    id: int
    name: str
    tie: float
    situation: str
    needs: str
    offers: str


def suggest(
    conn: sqlite3.Connection, *, today: date, limit: int = 20, only: set[int] | None = None
) -> list[Suggestion]:
    """The best introductions to make among the user's contacts (or among `only` of them), best first."""
    people = {pid: p for pid, p in _known_well(conn).items() if only is None or pid in only}
    tags: dict[tuple[int, str], list[str]] = defaultdict(list)
    for pid, tag, kind in store.intent_tags(conn):
        if pid in people:
            tags[(pid, kind)].append(tag)
    docs = {
        field: {
            p.id: matching.terms(getattr(p, attr), tags.get((p.id, kind), ()))
            for p in people.values()
            if getattr(p, attr) or (p.id, kind) in tags
        }
        for field, attr, kind in (("situation", "situation", "situation"), ("needs", "needs", "need"),
                                  ("offers", "offers", "offer"))
    }  # fmt: skip
    weights = matching.idf(d for field in docs.values() for d in field.values())
    vectors = {field: {pid: matching.vector(d, weights) for pid, d in found.items()} for field, found in docs.items()}
    strength = {p.id: p.tie for p in people.values()}
    best: dict[tuple[int, int], tuple[float, str, int, int]] = {}  # (low, high) -> (match, kind, first, second)
    for (a, b), match in matching.pair_scores(
        vectors["situation"], vectors["situation"], strength=strength, per_term=PER_TERM
    ).items():
        if a < b:
            _keep(best, a, b, match, "situation")
    for (a, b), match in matching.pair_scores(
        vectors["needs"], vectors["offers"], strength=strength, per_term=PER_TERM
    ).items():
        _keep(best, a, b, match, "need-offer")
    jobs = {pid: job for pid, job in _new_jobs(conn, today).items() if only is None or pid in only}
    for a, b in _strongest_pairs(list(jobs), strength_of={pid: t for pid, (_n, t, _o) in jobs.items()}):
        _keep(best, a, b, NEW_JOB_MATCH, "new-job")
    for pid, (name, tie, _org) in jobs.items():
        people.setdefault(pid, _Person(pid, name, tie, "", "", ""))
    linked = store.linked_pairs(conn, {i for pair in best for i in pair})
    ranked = sorted(
        ((match * matching.tie_mean(people[a].tie, people[b].tie), pair, match, kind, a, b)
         for pair, (match, kind, a, b) in best.items() if pair not in linked),
        key=lambda r: (-r[0], r[1]),
    )  # fmt: skip
    return [
        Suggestion(
            person_a_id=a,
            person_a=people[a].name,
            person_b_id=b,
            person_b=people[b].name,
            kind=kind,
            match=round(match, 4),
            score=round(score, 4),
            reason=_reason(kind, people[a], people[b], jobs, vectors),
        )
        for score, _pair, match, kind, a, b in ranked[:limit]
    ]


def _known_well(conn: sqlite3.Connection) -> dict[int, _Person]:
    """Contacts with something to match on, leaving out those the user barely knows."""
    return {
        r.id: _Person(r.id, r.name, r.tie_strength, r.situation, r.needs, r.offers)
        for r in store.intent_people(conn)
        if tie_strength.tier_of(r.tie_strength) != "dormant"
    }


def _keep(best: dict[tuple[int, int], tuple[float, str, int, int]], a: int, b: int, match: float, kind: str) -> None:
    if match < MIN_MATCH:
        return
    pair = (min(a, b), max(a, b))
    if pair not in best or best[pair][0] < match:
        best[pair] = (min(match, 1.0), kind, a, b)


def _new_jobs(conn: sqlite3.Connection, today: date) -> dict[int, tuple[str, float, str]]:
    since = (today - timedelta(days=NEW_JOB_DAYS)).isoformat()
    found: dict[int, tuple[str, float, str]] = {}
    for pid, name, tie, org in store.recent_starts(conn, since):
        if pid not in found and tie_strength.tier_of(tie) != "dormant":
            found[pid] = (name, tie, org)
    return found


def _strongest_pairs(ids: list[int], *, strength_of: Mapping[int, float]) -> list[tuple[int, int]]:
    """Pairs among the PER_TERM strongest ties of a group that all share one situation."""
    top = sorted(ids, key=lambda i: -strength_of[i])[:PER_TERM]
    return [(a, b) for n, a in enumerate(top) for b in top[n + 1 :]]


def _reason(
    kind: str,
    a: _Person,
    b: _Person,
    jobs: Mapping[int, tuple[str, float, str]],
    vectors: Mapping[str, Mapping[int, Mapping[str, float]]],
) -> str:
    if kind == "new-job":
        return f"both just changed jobs: {a.name} to {jobs[a.id][2]}, {b.name} to {jobs[b.id][2]}"
    if kind == "need-offer":
        return f"{a.name} needs {_said(a.needs, vectors['needs'][a.id])}, {b.name} offers {_said(b.offers, vectors['offers'][b.id])}"
    if a.situation and a.situation.strip().lower() == b.situation.strip().lower():
        return f"both {a.situation.strip()}"
    shared = matching.shared_words(vectors["situation"][a.id], vectors["situation"][b.id], limit=1)
    if a.situation and b.situation:
        return f"both going through the same: {a.name} is {a.situation.strip()}; {b.name} is {b.situation.strip()}"
    return f"both going through {_term_words(shared[0]) if shared else 'the same'}"


def _said(text: str, vec: Mapping[str, float]) -> str:
    if text.strip():
        return text.strip()
    tags = [t[1:] for t in vec if t.startswith("#")]
    return ", ".join(tags) or "help"


def _term_words(term: str) -> str:
    return term[1:].replace("-", " ") if term.startswith("#") else term
