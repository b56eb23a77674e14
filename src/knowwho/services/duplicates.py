"""Duplicates: finding people recorded twice, and merging two records into one (undoably).

Candidates come from blocking, never from comparing all pairs: people share a
block when they have the same email, LinkedIn URL or phone, the same
normalized name and organization, or family names that sound alike (metaphone)
with the same first initial. Pairs within a block are scored with rapidfuzz on
the names plus the evidence they share. A pair the user said are different
people is never proposed again.

Adding someone is checked the same way before a second record is made: an
email or profile URL already known is the same person (`known_matches`); a
name the scorer finds alike is a likely one (`likely_matches`).
"""

from __future__ import annotations

import re
import sqlite3
import unicodedata
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from knowwho.errors import InvalidInput, NotFound
from knowwho.services import tie_strength
from knowwho.services.context import ServiceContext
from knowwho.services.interactions import refresh_people
from knowwho.services.normalize import link_kind, normalize_linkedin_url, split_name
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


@dataclass(frozen=True, slots=True)
class DuplicatePair:
    """Two records that may be one person: `keep` is the older record, the one to merge into."""

    keep_id: int
    other_id: int
    keep_name: str
    other_name: str
    score: float
    evidence: list[str] = field(default_factory=list)
    # Both records in full, for comparing them side by side (left out where only the scores are wanted).
    keep: PersonRecord | None = None
    other: PersonRecord | None = None


@dataclass(frozen=True, slots=True)
class KnownMatch:
    """An existing person who has one of the emails or profile URLs given."""

    person_id: int
    name: str
    key: str  # the email or URL they share

    def message(self) -> str:
        known = f"{self.key} is already #{self.person_id} {self.name}"
        return f"{known}; edit them, or add with merge to give them these details"

    def taken_message(self) -> str:
        """Said when an edit would give someone else's email to a second person."""
        known = f"the email {self.key} is already #{self.person_id} {self.name}'s"
        return f"{known}; if they are one person, merge the two"


@dataclass(frozen=True, slots=True)
class LikelyMatch:
    """An existing person whose name (and organization, phone...) make them likely the one being added."""

    person_id: int
    name: str
    score: float
    evidence: list[str]


@dataclass(slots=True)
class _Person:
    id: int
    name: str
    key: str  # normalized name, words sorted
    orgs: dict[str, str]  # normalized organization -> as the user wrote it
    phones: set[str]
    emails: set[str]
    domains: set[str]
    blocks: list[str]


class DuplicateService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def candidates(self, *, limit: int = 50, min_score: float = MIN_SCORE) -> list[DuplicatePair]:
        """The likeliest pairs, each with both records in full to compare them before a merge."""
        pairs = find_candidates(self.ctx.db.conn, limit=limit, min_score=min_score)
        ids = sorted({i for p in pairs for i in (p.keep_id, p.other_id)})
        people = {p.id: p for p in people_store.get_many(self.ctx.db.conn, ids)}
        return [replace(p, keep=people.get(p.keep_id), other=people.get(p.other_id)) for p in pairs]

    def mark_different(self, a: int, b: int) -> tuple[PersonRecord, PersonRecord]:
        """Remember that two records are different people: the pair is never proposed again (undoable)."""
        if a == b:
            raise InvalidInput("a person is always the same as themselves; give two different people")
        conn = self.ctx.db.conn
        found = {p.id: p for p in people_store.get_many(conn, [a, b]) if p.deleted_at is None}
        for pid in (a, b):
            if pid not in found:
                raise NotFound(f"no person with id {pid}")
        first, second = found[a], found[b]
        with self.ctx.change(f"marked {first.display_name} and {second.display_name} as different people") as c:
            dup_store.add_not_duplicate(c, a, b, now=self.ctx.now_stamp())
        return first, second

    def merge(self, keep_id: int, other_id: int) -> PersonRecord:
        """Merge `other_id` into `keep_id`; `knowwho undo` separates them again."""
        conn = self.ctx.db.conn
        names = {p.id: p.display_name for p in people_store.get_many(conn, [keep_id, other_id])}
        # With ids: the two records of one person often have the same name ("merged #12 Ben Wu into #7 Ben Wu").
        label = {pid: f"#{pid} {names[pid]}" if pid in names else f"#{pid}" for pid in (keep_id, other_id)}
        description = f"merged {label[other_id]} into {label[keep_id]}"
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
    # A pair sharing several blocks is scored once; a pair the user said are two people, never.
    seen: set[tuple[int, int]] = dup_store.not_duplicates(conn)
    for members in blocks.values():
        if len(members) < 2 or len(members) > MAX_BLOCK:
            continue
        for i, first in enumerate(members):
            for second in members[i + 1 :]:
                ids = (min(first.id, second.id), max(first.id, second.id))
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
    org_keys = {normalize_name(o): o.strip() for o in sorted(orgs) if o.strip()}
    phone_keys = {k for k in (_phone_key(p) for p in phones) if k}
    domains = {e.rsplit("@", 1)[1] for e in emails if "@" in e} - _GENERIC_DOMAINS
    blocks = [f"email:{e}" for e in emails] + [f"link:{u}" for u in links] + [f"phone:{p}" for p in phone_keys]
    if key:
        blocks += [f"name-org:{key}|{o}" for o in org_keys] or [f"name:{key}"]
    # Family name by sound + first initial, from the record's name parts and from the display name.
    for first, last in ((name_words(given)[:1], name_words(family)[-1:]), (words[:1], words[1:][-1:])):
        if first and last:
            blocks.append(f"sound:{jellyfish.metaphone(last[0])}|{first[0][0]}")
    return _Person(pid, display, key, org_keys, phone_keys, set(emails), domains, list(dict.fromkeys(blocks)))


def score_pair(a: _Person, b: _Person, min_score: float = 0.0) -> DuplicatePair | None:
    """Name similarity (0.7 of the score) plus shared email (0.5), organization (0.2), phone (0.3) or email
    domain (0.1).

    None below `min_score` (the evidence is only put into words for pairs worth showing).
    """
    similarity = name_similarity(a, b)
    orgs = a.orgs.keys() & b.orgs.keys()
    same_email, same_phone = bool(a.emails & b.emails), bool(a.phones & b.phones)
    domains = set() if same_email else a.domains & b.domains  # one address shared says more than its domain
    score = 0.7 * similarity + 0.5 * same_email + 0.2 * bool(orgs) + 0.3 * same_phone + 0.1 * bool(domains)
    score = round(min(score, 1.0), 3)
    if score < min_score:
        return None
    evidence = ["same name" if a.key == b.key else f"names {similarity:.0%} alike"]
    if same_email:
        evidence.append("same email")
    if orgs:
        evidence.append(f"same organization ({', '.join(sorted(a.orgs[o] for o in orgs))})")
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


# -- before adding someone ------------------------------------------------------------------
def known_matches(conn: sqlite3.Connection, emails: Sequence[str], links: Sequence[str]) -> list[KnownMatch]:
    """People who already have one of these emails or profile URLs, oldest record first."""
    found: dict[int, str] = {}
    for email in emails:
        for pid in people_store.ids_by_email(conn, email):
            found.setdefault(pid, email.strip().lower())
    for url in links:
        if link_kind(url) == "web":
            continue  # a homepage may be a company's; profiles name one person
        for form in dict.fromkeys((url.strip(), normalize_linkedin_url(url))):
            for pid in people_store.ids_by_link(conn, form):
                found.setdefault(pid, url.strip())
    names = {p.id: p.display_name for p in people_store.get_many(conn, sorted(found))}
    return [KnownMatch(pid, names.get(pid, ""), key) for pid, key in sorted(found.items())]


def likely_matches(
    conn: sqlite3.Connection,
    name: str,
    *,
    emails: Sequence[str] = (),
    phones: Sequence[str] = (),
    links: Sequence[str] = (),
    organization: str = "",
    limit: int = 5,
) -> list[LikelyMatch]:
    """People the `dupes` scorer would pair with someone of this name and details, likeliest first.

    Only people named alike (a shared given or family name, or the same initials) are scored: quick on a
    large network.
    """
    words = name_words(name)
    if not words:
        return []
    given, family = split_name(name)
    new = _prepare((0, name.strip(), given, family, [organization] if organization else [], list(phones),
                    [e.strip().lower() for e in emails], list(links)))  # fmt: skip
    ids = dup_store.ids_named_like(conn, words)
    matches = []
    for row in dup_store.people_for_matching(conn, ids):
        pair = score_pair(_prepare(row), new, MIN_SCORE)  # the evidence as the existing record words it
        if pair is not None:
            matches.append(LikelyMatch(pair.other_id, pair.other_name, pair.score, pair.evidence))
    return sorted(matches, key=lambda m: (-m.score, m.person_id))[:limit]


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
