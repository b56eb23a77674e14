"""Duplicates: finding people recorded twice, and merging two records into one (undoably).

Candidates come from blocking, never from comparing all pairs: people share a
block when they have the same email, LinkedIn URL or phone, the same
normalized name and organization, or family names that sound alike (metaphone)
with the same first initial. Pairs within a block are scored with rapidfuzz on
the names plus the evidence they share.
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from knowwho.errors import InvalidInput, NotFound
from knowwho.services import tie_strength
from knowwho.services.context import ServiceContext
from knowwho.services.interactions import refresh_people
from knowwho.storage import duplicates as dup_store
from knowwho.storage import people as people_store
from knowwho.storage.records import PersonRecord

MIN_SCORE = 0.6
MAX_BLOCK = 40  # a block this big ("John" with no family name) says nothing; skip it
_GENERIC_DOMAINS = {"gmail.com", "googlemail.com", "yahoo.com", "hotmail.com", "outlook.com", "live.com",
                    "icloud.com", "me.com", "aol.com", "gmx.de", "gmx.net", "proton.me", "protonmail.com"}  # fmt: skip
_WORD = re.compile(r"[a-z0-9]+")
_TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "sir", "jr", "sr", "ii", "iii", "iv", "phd", "md", "esq"}
# Columns of the kept person filled from the other when empty.
_FILLED = ("given_name", "family_name", "location", "situation", "needs", "offers", "how_met", "birthday",
           "cadence_days", "closeness")  # fmt: skip
# Columns recomputed from interactions rather than restored.
_DERIVED = {"id", "first_interaction_at", "last_interaction_at", "last_inbound_at", "last_outbound_at",
            "interaction_count", "tie_strength"}  # fmt: skip


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    """Two records that may be one person: `keep` is the older record, the one to merge into."""

    keep_id: int
    other_id: int
    keep_name: str
    other_name: str
    score: float
    evidence: list[str] = field(default_factory=list)


@dataclass(slots=True)
class _Person:
    id: int
    name: str
    key: str  # normalized name, words sorted
    orgs: set[str]
    phones: set[str]
    domains: set[str]
    blocks: list[str]


class DuplicateService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def candidates(self, *, limit: int = 50, min_score: float = MIN_SCORE) -> list[DuplicatePair]:
        return find_candidates(self.ctx.db.conn, limit=limit, min_score=min_score)

    def merge(self, keep_id: int, other_id: int) -> PersonRecord:
        """Merge `other_id` into `keep_id`; `knowwho undo` separates them again."""
        conn = self.ctx.db.conn
        names = {p.id: p.display_name for p in people_store.get_many(conn, [keep_id, other_id])}
        description = f"merged {names.get(other_id, f'#{other_id}')} into {names.get(keep_id, f'#{keep_id}')}"
        with self.ctx.change(description):
            merge_people(conn, keep_id, other_id, now=self.ctx.now_stamp())
        person = people_store.get(conn, keep_id)
        assert person is not None
        return person


# -- finding -----------------------------------------------------------------------------
def find_candidates(conn: sqlite3.Connection, *, limit: int = 50, min_score: float = MIN_SCORE) -> list[DuplicatePair]:
    people = [_prepare(row) for row in dup_store.people_for_matching(conn)]
    blocks: dict[str, list[_Person]] = defaultdict(list)
    for person in people:
        for key in person.blocks:
            blocks[key].append(person)
    pairs: dict[tuple[int, int], DuplicatePair] = {}
    seen: set[tuple[int, int]] = set()  # a pair sharing several blocks is scored once
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                ids = (first.id, second.id)
                if ids in seen:
                    continue
                seen.add(ids)
                pair = score_pair(first, second, min_score)
                if pair is not None:
                    pairs[ids] = pair
    ranked = sorted(pairs.values(), key=lambda p: (-p.score, p.keep_id, p.other_id))
    return ranked[:limit]


def name_words(text: str) -> list[str]:
    """The words of a name in order: lower case, without accents, punctuation or titles."""
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    if "@" in plain and " " not in plain.strip():
        plain = plain.split("@")[0]  # a name that is an address: its local part is the name
    return [w for w in _WORD.findall(plain) if w not in _TITLES]


def normalize_name(text: str) -> str:
    """The words of a name sorted: 'Mr. Doe, John' == 'john DOE'."""
    return " ".join(sorted(name_words(text)))


def _phone_key(phone: str) -> str:
    digits = re.sub(r"\D", "", phone)
    return digits[-9:] if len(digits) >= 7 else ""  # the tail survives country-code differences


def _prepare(row: tuple[int, str, str, str, list[str], list[str], list[str], list[str]]) -> _Person:
    import jellyfish

    pid, display, given, family, orgs, phones, emails, links = row
    words = name_words(display)
    key = " ".join(sorted(words))
    org_keys = {normalize_name(o) for o in orgs if o.strip()}
    phone_keys = {k for k in (_phone_key(p) for p in phones) if k}
    domains = {e.rsplit("@", 1)[1] for e in emails if "@" in e} - _GENERIC_DOMAINS
    blocks = [f"email:{e}" for e in emails] + [f"link:{u}" for u in links] + [f"phone:{p}" for p in phone_keys]
    if key:
        blocks += [f"name-org:{key}|{o}" for o in org_keys] or [f"name:{key}"]
    # Family name by sound + first initial, from the record's name parts and from the display name.
    for first, last in ((name_words(given)[:1], name_words(family)[-1:]), (words[:1], words[1:][-1:])):
        if first and last:
            blocks.append(f"sound:{jellyfish.metaphone(last[0])}|{first[0][0]}")
    return _Person(pid, display, key, org_keys, phone_keys, domains, list(dict.fromkeys(blocks)))


def score_pair(a: _Person, b: _Person, min_score: float = 0.0) -> DuplicatePair | None:
    """Name similarity (0.7 of the score) plus shared organization (0.2), phone (0.3) or email domain (0.1).

    None below `min_score` (the evidence is only put into words for pairs worth showing).
    """
    similarity = name_similarity(a, b)
    orgs, domains = a.orgs & b.orgs, a.domains & b.domains
    same_phone = bool(a.phones & b.phones)
    score = round(min(0.7 * similarity + 0.2 * bool(orgs) + 0.3 * same_phone + 0.1 * bool(domains), 1.0), 3)
    if score < min_score:
        return None
    evidence = ["same name" if a.key == b.key else f"names {similarity:.0%} alike"]
    if orgs:
        evidence.append(f"same organization ({', '.join(sorted(orgs))})")
    elif a.orgs and b.orgs:
        evidence.append("different organizations")
    if same_phone:
        evidence.append("same phone")
    if domains:
        evidence.append(f"email at the same domain ({', '.join(sorted(domains))})")
    keep, other = (a, b) if a.id < b.id else (b, a)
    return DuplicatePair(keep.id, other.id, keep.name, other.name, score, evidence)


def name_similarity(a: _Person, b: _Person) -> float:
    """token_sort_ratio of the normalized names; a full name inside a longer one counts nearly as much."""
    from rapidfuzz.fuzz import token_set_ratio, token_sort_ratio

    if not a.key or not b.key:
        return 0.0
    if a.key == b.key:
        return 1.0
    score = token_sort_ratio(a.key, b.key) / 100
    if not _given_names_compatible(a.name, b.name):
        return score * 0.6  # John Doe and Jane Doe: a shared family name is not a shared person
    if min(len(a.key.split()), len(b.key.split())) >= 2:  # 'John Doe' in 'John Richter Doe', not 'John' in anyone
        score = max(score, 0.9 * token_set_ratio(a.key, b.key) / 100)
    return score


def _given_names_compatible(a: str, b: str) -> bool:
    """First names that may be the same person: equal, an initial or short form, or a near spelling."""
    from rapidfuzz.fuzz import ratio

    first_a, first_b = name_words(a)[:1], name_words(b)[:1]
    if not first_a or not first_b or len(name_words(a)) < 2 or len(name_words(b)) < 2:
        return True  # a single word gives no given name to compare
    x, y = first_a[0], first_b[0]
    return x.startswith(y) or y.startswith(x) or ratio(x, y) >= 85  # jon/john, not michelle/michael


# -- merging -----------------------------------------------------------------------------
def merge_people(conn: sqlite3.Connection, keep_id: int, other_id: int, *, now: str) -> None:
    """Merge `other_id` into `keep_id` inside the caller's change (the journal makes it undoable).

    Everything of the other record moves to the kept one (emails, phones, links,
    tags, roles, notes, interactions, follow-ups, knows edges, events,
    opportunities, provenance); empty fields of the kept one are filled; the
    other is soft-deleted with `merged_into_id` pointing at the kept one.
    """
    if keep_id == other_id:
        raise InvalidInput("cannot merge a person into themselves")
    keep = dup_store.person_row(conn, keep_id)
    other = dup_store.person_row(conn, other_id)
    for pid, row in ((keep_id, keep), (other_id, other)):
        if row is None or row["deleted_at"] is not None:
            raise NotFound(f"no person with id {pid}")
    assert keep is not None and other is not None
    for table, column, has_id in dup_store.person_references(conn):
        if has_id:
            dup_store.repoint(conn, table, column, dup_store.owned_ids(conn, table, column, other_id), keep_id)
        else:
            dup_store.move_link_rows(conn, table, column, other_id, keep_id)
    dup_store.repoint(conn, "roles", "person_id", dup_store.distinct_role_ids(conn, other_id, keep_id), keep_id)
    dup_store.move_knows(conn, other_id, keep_id)
    dup_store.repoint_provenance(conn, dup_store.provenance_ids(conn, other_id), keep_id)
    dup_store.copy_photo_if_missing(conn, other_id, keep_id)
    dup_store.set_person_columns(conn, keep_id, {**_filled(keep, other), "updated_at": now})
    dup_store.set_person_columns(conn, other_id, {"deleted_at": now, "merged_into_id": keep_id, "updated_at": now})
    refresh_people(conn, [keep_id], now_julian=tie_strength.julian(now))


def _filled(keep: dict[str, Any], other: dict[str, Any]) -> dict[str, Any]:
    values = {name: other[name] for name in _FILLED if other[name] not in (None, "") and keep[name] in (None, "")}
    met = [d for d in (keep["first_met_on"], other["first_met_on"]) if d]
    if met and min(met) != keep["first_met_on"]:
        values["first_met_on"] = min(met)  # they were met when the first of the two records says
    for flag in ("is_advocate", "is_contact"):
        if other[flag] and not keep[flag]:
            values[flag] = other[flag]
    return values
