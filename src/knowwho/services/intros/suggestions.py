"""Which two of the user's contacts to introduce, and why (DESIGN 4.4).

Three kinds of match, each scored in [0, 1]:
- the same situation ("both migrating company email to Microsoft 365"): the
  cosine of their situation documents;
- a need met by an offer ("Hal needs a React mentor, Ida offers React
  mentoring"): the cosine of one's needs and the other's offers;
- both just changed jobs (a current job begun in the last 90 days): a fixed
  match, since the situation is the same for all of them.
Each text match is the higher of the word match (TF-IDF) and the meaning
match (services.meaning: "defending my thesis" meets "finishing my PhD").
A pair's match is its best kind; its score is match × the geometric mean of
the user's ties to both. Pairs who know each other, were introduced already,
or include someone the user barely knows (a dormant tie, unless asked) are
left out. The list is varied: one person or one phrase fills few places.
"""

from __future__ import annotations

import math
import sqlite3
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from knowwho.services import meaning, tie_strength
from knowwho.services.intros import matching
from knowwho.services.intros.kept import Suggestion
from knowwho.storage import intros as store

NEW_JOB_DAYS = 90
NEW_JOB_MATCH = 0.5
MIN_MATCH = 0.2  # below this two texts share a word or two, not a situation
PER_TERM = 100  # a common term pairs only its this-many members with the strongest ties
FIELDS = (("situation", "situation", "situation"), ("needs", "needs", "need"), ("offers", "offers", "offer"))
PER_PERSON = 1  # places one person fills before everyone else had one
PER_PHRASE = 2  # places one reason's phrase fills before the other phrases had theirs


_Ranked = tuple[float, tuple[int, int], float, str, int, int]  # -score, pair, match, kind, a, b


@dataclass(frozen=True, slots=True)
class _Person:
    id: int
    name: str
    tie: float
    situation: str
    needs: str
    offers: str


def suggest(
    conn: sqlite3.Connection,
    *,
    today: date,
    limit: int = 20,
    only: set[int] | None = None,
    include_dormant: bool = False,
) -> list[Suggestion]:
    """The best introductions to make among the user's contacts (or among `only` of them), best first."""
    people = {pid: p for pid, p in _intent_people(conn, include_dormant).items() if only is None or pid in only}
    tags: dict[tuple[int, str], list[str]] = defaultdict(list)
    for pid, tag, kind in store.intent_tags(conn):
        if pid in people:
            tags[(pid, kind)].append(tag)
    strength = {p.id: p.tie for p in people.values()}
    # Each listed pair uses up two people (PER_PERSON), so a pair that can be listed lies among the
    # 2 × limit + 2 strongest ties of its group: the rest of a large group cannot rank.
    per_group = min(PER_TERM, 2 * limit + 2)
    written = {field: _written(people, tags, attr, kind) for field, attr, kind in FIELDS}
    said = {key: matching.terms(*key) for field in written.values() for key in field}
    weights = matching.idf(
        (said[key] for field in written.values() for key in field),
        (len(who) for field in written.values() for who in field.values()),
    )
    documents = {key: matching.vector(terms, weights) for key, terms in said.items()}
    groups = {field: [(documents[key], who) for key, who in found.items()] for field, found in written.items()}
    vectors = {
        field: {pid: documents[key] for key, who in found.items() for pid in who} for field, found in written.items()
    }
    best: dict[tuple[int, int], tuple[float, str, int, int]] = {}  # (low, high) -> (match, kind, first, second)
    for (a, b), match in matching.group_scores(
        groups["situation"], groups["situation"], strength=strength, per_term=PER_TERM, per_group=per_group
    ).items():
        _keep(best, a, b, match, "situation")
    for (a, b), match in matching.group_scores(
        groups["needs"], groups["offers"], strength=strength, per_term=PER_TERM, per_group=per_group
    ).items():
        _keep(best, a, b, match, "need-offer")
    _keep_meaning(conn, best, people, tags, strength, per_group)
    jobs = {pid: job for pid, job in _new_jobs(conn, today, include_dormant).items() if only is None or pid in only}
    for a, b in _strongest_pairs(list(jobs), {pid: t for pid, (_n, t, _o) in jobs.items()}, per_group):
        _keep(best, a, b, NEW_JOB_MATCH, "new-job")
    for pid, (name, tie, _org) in jobs.items():
        people.setdefault(pid, _Person(pid, name, tie, "", "", ""))
    linked = store.linked_pairs(conn, {i for pair in best for i in pair})
    ties = {pid: max(p.tie, 0.0) for pid, p in people.items()}
    ranked = sorted(  # best score first; the same score by the pair's ids (a sort on plain tuples, no key function)
        (-match * math.sqrt(ties[a] * ties[b]), pair, match, kind, a, b)
        for pair, (match, kind, a, b) in best.items() if pair not in linked
    )  # fmt: skip
    return [
        Suggestion(
            person_a_id=a,
            person_a=people[a].name,
            person_b_id=b,
            person_b=people[b].name,
            kind=kind,
            match=round(match, 4),
            score=round(-minus_score, 4),
            reason=_reason(kind, people[a], people[b], jobs, vectors),
        )
        for minus_score, _pair, match, kind, a, b in _varied(ranked, people, limit)
    ]


def why_none(conn: sqlite3.Connection, *, today: date) -> str:
    """Why `suggest` found nothing: nobody to match, only dormant ties matching, or no two who match."""
    everyone = _intent_people(conn, include_dormant=True)
    if not everyone and not _new_jobs(conn, today, include_dormant=True):
        return (
            "nobody has a situation, needs or offers yet (`knowwho edit NAME --situation ...`), "
            "and nobody began a job lately"
        )
    with_dormant = suggest(conn, today=today, limit=1, include_dormant=True)
    if with_dormant:
        s = with_dormant[0]
        faint = [
            name for pid, name in ((s.person_a_id, s.person_a), (s.person_b_id, s.person_b))
            if pid not in everyone or tie_strength.tier_of(everyone[pid].tie) == "dormant"
        ]  # fmt: skip
        return (
            f"{s.person_a} and {s.person_b} match ({s.reason}), but {' and '.join(faint)} "
            f"{'is a dormant tie' if len(faint) == 1 else 'are dormant ties'} you barely know; "
            "`knowwho intros --dormant` includes dormant ties"
        )
    return (
        f"no two of the {len(everyone)} people with a situation, needs or offers match, "
        "or those who match already know each other or were introduced"
    )


def _intent_people(conn: sqlite3.Connection, include_dormant: bool) -> dict[int, _Person]:
    """Contacts with something to match on, leaving out those the user barely knows (unless asked)."""
    return {
        r.id: _Person(r.id, r.name, r.tie_strength, r.situation, r.needs, r.offers)
        for r in store.intent_people(conn)
        if include_dormant or tie_strength.tier_of(r.tie_strength) != "dormant"
    }


def _keep_meaning(
    conn: sqlite3.Connection,
    best: dict[tuple[int, int], tuple[float, str, int, int]],
    people: Mapping[int, _Person],
    tags: Mapping[tuple[int, str], list[str]],
    strength: Mapping[int, float],
    per_text: int,
) -> None:
    """Pairs whose situations, or one's needs and the other's offers, mean the same in other words."""
    if not meaning.available():
        return

    def texts(attr: str, kind: str) -> dict[int, str]:
        said = {p.id: " ".join([getattr(p, attr), *(t.replace("-", " ") for t in tags.get((p.id, kind), ()))])
                for p in people.values()}  # fmt: skip
        return {pid: text.strip() for pid, text in said.items() if text.strip()}

    situations = texts("situation", "situation")
    for (a, b), match in meaning.people_matches(
        conn, situations, situations, strength=strength, per_text=per_text
    ).items():
        _keep(best, a, b, match, "situation")
    needs, offers = texts("needs", "need"), texts("offers", "offer")
    for (a, b), match in meaning.people_matches(conn, needs, offers, strength=strength, per_text=per_text).items():
        _keep(best, a, b, match, "need-offer")


def _written(
    people: Mapping[int, _Person], tags: Mapping[tuple[int, str], list[str]], attr: str, kind: str
) -> dict[tuple[str, tuple[str, ...]], list[int]]:
    """(words, tags) -> the people who wrote exactly them, strongest ties first: one document for them all."""
    found: dict[tuple[str, tuple[str, ...]], list[int]] = defaultdict(list)
    for p in sorted(people.values(), key=lambda p: (-p.tie, p.id)):
        text, marks = getattr(p, attr), tuple(sorted(tags.get((p.id, kind), ())))
        if text or marks:
            found[(text, marks)].append(p.id)
    return found


def _varied(ranked: list[_Ranked], people: Mapping[int, _Person], limit: int) -> list[_Ranked]:
    """The best `limit`, with each person and each reason's phrase filling few places while others wait."""
    chosen: list[_Ranked] = []
    waiting: list[_Ranked] = []
    seen: dict[object, int] = defaultdict(int)
    said: dict[tuple[int, str], str] = {}  # (person, field) -> the words as compared: each person's read once
    for row in ranked:
        if len(chosen) >= limit:
            break
        _score, _pair, _match, kind, a, b = row
        if seen[a] >= PER_PERSON or seen[b] >= PER_PERSON:
            waiting.append(row)
            continue
        phrase = _phrase(kind, people[a], people[b], said)
        if seen[phrase] >= PER_PHRASE:
            waiting.append(row)
            continue
        chosen.append(row)
        for key in (a, b):
            seen[key] += 1
        seen[phrase] += 1
    return [*chosen, *waiting][:limit]


def _phrase(kind: str, a: _Person, b: _Person, said: dict[tuple[int, str], str]) -> tuple[str, ...]:
    """What a suggestion's reason would repeat: the texts it quotes."""

    def words(p: _Person, field: str) -> str:
        if (p.id, field) not in said:
            said[(p.id, field)] = getattr(p, field).strip().lower()
        return said[(p.id, field)]

    if kind == "situation":
        return (kind, *sorted((words(a, "situation"), words(b, "situation"))))
    if kind == "need-offer":
        return (kind, words(a, "needs"), words(b, "offers"))
    return (kind,)


def _keep(best: dict[tuple[int, int], tuple[float, str, int, int]], a: int, b: int, match: float, kind: str) -> None:
    if match < MIN_MATCH:
        return
    pair = (min(a, b), max(a, b))
    if pair not in best or best[pair][0] < match:
        best[pair] = (min(match, 1.0), kind, a, b)


def _new_jobs(conn: sqlite3.Connection, today: date, include_dormant: bool) -> dict[int, tuple[str, float, str]]:
    since = (today - timedelta(days=NEW_JOB_DAYS)).isoformat()
    found: dict[int, tuple[str, float, str]] = {}
    for pid, name, tie, org in store.recent_starts(conn, since):
        if pid not in found and (include_dormant or tie_strength.tier_of(tie) != "dormant"):
            found[pid] = (name, tie, org)
    return found


def _strongest_pairs(ids: list[int], strength_of: Mapping[int, float], cap: int) -> list[tuple[int, int]]:
    """Pairs among the `cap` strongest ties of a group that all share one situation."""
    top = sorted(ids, key=lambda i: (-strength_of[i], i))[:cap]
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
