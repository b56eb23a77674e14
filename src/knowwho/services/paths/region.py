"""The part of the network around a target: people, who knows whom, colleagues.

Reading starts at the target's people and widens one step at a time, only
through people the user does not know (the people the user knows end a
route), so a search reads a neighbourhood, never the whole network. It
reads through a `NetworkReader`: the database, or the network a server
keeps in memory.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import NamedTuple

from knowwho.services.paths import score
from knowwho.storage.network import NetworkReader, PersonNode, Stint

ME = 0  # the user, in link keys


class Link(NamedTuple):
    """Why two people (or the user, ME, and a person) are linked, and how surely.

    A named tuple: a search or a person page makes one for every pair of colleagues around them, and a frozen
    dataclass is several times dearer to make."""

    kind: str  # knows | colleague
    strength: float
    source: str = ""  # knows: me, same-organization, mail-co-recipient, same-event, introduced
    note: str = ""
    organization: str = ""  # colleague: where
    begin: date | None = None  # colleague: the shared time
    end: date | None = None  # None: still together


@dataclass
class Region:
    nodes: dict[int, PersonNode] = field(default_factory=dict)
    links: dict[tuple[int, int], Link] = field(default_factory=dict)  # (low id, high id) -> best link
    mine: dict[int, float] = field(default_factory=dict)  # person -> first-step tie strength
    my_links: dict[int, Link] = field(default_factory=dict)  # people mine through my own jobs

    def add_link(self, a: int, b: int, link: Link) -> None:
        key = (min(a, b), max(a, b))
        known = self.links.get(key)
        if known is None or link.strength > known.strength:
            self.links[key] = link


def load(
    network: NetworkReader, goals: Iterable[int], *, steps: int, today: date, memo: ColleagueMemo | None = None
) -> Region:
    """The people within `steps` links of the goals (widening through people not mine) and their links.

    `memo`: colleague links kept between searches of a network in memory (the user's own among them)."""
    region = Region()
    _my_colleagues(network, region, today, memo)
    start = set(goals)
    _add_nodes(network, region, start)
    widen(network, region, start, steps=steps, today=today, memo=memo)
    return region


def widen(
    network: NetworkReader, region: Region, start: Iterable[int], *, steps: int, today: date,
    memo: ColleagueMemo | None = None,
) -> None:  # fmt: skip
    """Read `steps` more links out from `start` (already in the region), through people not mine.

    `memo`: colleague links worked out by earlier searches of the same network (a server's network in memory)."""
    frontier = {p for p in start if p in region.nodes}
    for _ in range(steps):
        wider = {p for p in frontier if p not in region.mine}
        if not wider:
            break
        reached = _neighbours(network, region, wider, today, memo)
        new = reached - set(region.nodes)
        _add_nodes(network, region, new)
        frontier = {p for p in new if p in region.nodes}
    region.links = {k: v for k, v in region.links.items() if k[0] in region.nodes and k[1] in region.nodes}


def colleagues_of(network: NetworkReader, person_id: int, *, today: date) -> list[tuple[int, Link]]:
    """Everyone whose time at a small organization overlapped this person's, with the link."""
    found = _colleagues(network, network.stints_of([person_id]), today)
    return [(other, link) for person, other, link in found if person is not None]


def _add_nodes(network: NetworkReader, region: Region, ids: set[int]) -> None:
    found = network.nodes(ids)
    region.nodes.update(found)
    for pid, node in found.items():
        mine = node.tie_strength if node.is_contact else None
        if pid in region.my_links:
            colleague = region.my_links[pid].strength
            mine = colleague if mine is None else max(mine, colleague)
        if mine is not None:
            region.mine[pid] = mine


def _neighbours(
    network: NetworkReader, region: Region, ids: set[int], today: date, memo: ColleagueMemo | None
) -> set[int]:
    reached: set[int] = set()
    for row in network.knows_of(ids):
        strength = score.knows_strength(row.source, row.confidence)
        region.add_link(row.a, row.b, Link("knows", strength, source=row.source, note=row.note))
        reached.update((row.a, row.b))
    found = _colleagues(network, network.stints_of(ids), today) if memo is None else memo.links(network, ids, today)
    for person, colleague, link in found:
        if person is not None:
            region.add_link(person, colleague, link)
            reached.add(colleague)
    return reached - ids


class ColleagueMemo:
    """Each person's colleague links, kept between searches of a network held in memory, which clears it on
    every change it applies. Working them out is most of a search (every pair of overlapping stints at each
    small organization around the target), and the same people recur around many targets."""

    def __init__(self, capacity: int = 200_000) -> None:
        self.capacity = capacity  # links and stints kept (tens of MB); all are dropped beyond it
        self._day: date | None = None  # strengths fade with the years since: kept for one day
        self._links: dict[int, list[tuple[int, Link]]] = {}  # person -> (colleague, link)
        # organization -> everyone's (person, span) there: each person's first colleagues (a person page, a
        # search) would otherwise read and date every stint at their organizations again.
        self._spans: dict[int, list[tuple[int, Span]]] = {}
        self._kept = 0
        # The user's own colleagues ((colleague, link), as `_colleagues` finds them for `my_stints`): every search
        # starts from them, and they change only with the network or the day.
        self._mine: list[tuple[int, Link]] | None = None

    def clear(self) -> None:
        self._links, self._spans, self._kept, self._mine = {}, {}, 0, None

    def _on(self, today: date) -> None:
        if today != self._day:
            self.clear()
            self._day = today

    def mine(self, network: NetworkReader, today: date) -> list[tuple[int, Link]]:
        """The user's own colleagues and links, worked out once until the network or the day changes."""
        self._on(today)
        found = self._mine
        if found is None:
            found = [(other, link) for _, other, link in _colleagues(network, network.my_stints(), today, self)]
            self._mine = found
        return found

    def spans(self, network: NetworkReader, organization_ids: Iterable[int]) -> dict[int, list[tuple[int, Span]]]:
        """What `_spans_at` reads, kept by organization."""
        kept = self._spans
        have: dict[int, list[tuple[int, Span]]] = {}
        for organization_id in organization_ids:
            found = kept.get(organization_id)  # one look each: another search may clear it meanwhile
            if found is not None:
                have[organization_id] = found
        missing = [o for o in organization_ids if o not in have]
        if missing:
            read = _spans_at(network, missing)
            new = {o: read.get(o, []) for o in missing}
            self._keep(sum(len(spans) for spans in new.values()))
            self._spans.update(new)
            have.update(new)
        return have

    def _keep(self, more: int) -> None:
        if self._kept + more > self.capacity:
            self.clear()
        self._kept += more

    def links(self, network: NetworkReader, ids: Iterable[int], today: date) -> list[tuple[int, int, Link]]:
        """What `_colleagues` finds for the stints of `ids`: (person, colleague, link), person by person.

        Searches run side by side: each works from what it found kept and what it worked out itself."""
        self._on(today)
        ids = sorted(ids)
        links = self._links
        have = {p: links[p] for p in ids if p in links}
        missing = [p for p in ids if p not in have]
        if missing:
            found: dict[int, list[tuple[int, Link]]] = {p: [] for p in missing}
            for person, colleague, link in _colleagues(network, network.stints_of(missing), today, self):
                if person is not None:
                    found[person].append((colleague, link))
            self._keep(sum(len(kept) for kept in found.values()))
            self._links.update(found)
            have.update(found)
        return [(person, colleague, link) for person in ids for colleague, link in have[person]]


def _colleagues(
    network: NetworkReader, stints: list[Stint], today: date, memo: ColleagueMemo | None = None
) -> Iterable[tuple[int | None, int, Link]]:
    """(person of `stints`, colleague, link) for everyone whose time at a small organization overlapped."""
    orgs = {s.organization_id for s in stints}
    sizes = network.organization_sizes(orgs)
    small = {o for o, size in sizes.items() if size <= score.BIG_ORGANIZATION}  # nobody on record: no colleagues
    if not small:
        return
    by_org = _spans_at(network, small) if memo is None else memo.spans(network, small)
    for mine in stints:
        mine_span = stint_span(mine)
        if mine.organization_id not in small or mine_span is None:
            continue
        size = sizes[mine.organization_id]
        for other_id, other_span in by_org.get(mine.organization_id, []):
            if other_id != mine.person_id:
                link = overlap_link(mine.organization, mine_span, other_span, size, today)
                if link is not None:
                    yield mine.person_id, other_id, link


Span = tuple[date | None, date | None]


def _spans_at(network: NetworkReader, organization_ids: Iterable[int]) -> dict[int, list[tuple[int, Span]]]:
    """Everyone's stints at these organizations as (person, span), by organization, in the order read; each
    stint's span is worked out once, not once per pair."""
    by_org: dict[int, list[tuple[int, Span]]] = {}
    for other in network.stints_at(organization_ids):
        span = stint_span(other)
        if other.person_id is not None and span is not None:
            by_org.setdefault(other.organization_id, []).append((other.person_id, span))
    return by_org


def overlap_link(organization: str, mine: Span | None, other: Span | None, size: int, today: date) -> Link | None:
    """How surely two people who were at one organization know each other from it, from their stints' spans
    (`stint_span`); None if they never overlapped."""
    if mine is None or other is None:
        return None
    days, ended = score.overlap_days(mine, other, today)
    if not days or ended is None:
        return None
    strength = score.colleague_strength(days, (today - ended).days / 365.25, size)
    if strength <= 0:
        return None
    # Years are shown only when both starts are known, never from an assumed start.
    dated = mine[0] is not None and other[0] is not None
    begin = ended - timedelta(days=days) if dated else None
    return Link("colleague", strength, organization=organization, begin=begin, end=None if ended >= today else ended)


def _my_colleagues(network: NetworkReader, region: Region, today: date, memo: ColleagueMemo | None) -> None:
    """People the user worked with (their own job history): mine even if not recorded as contacts."""
    if memo is None:
        found = [(other, link) for _, other, link in _colleagues(network, network.my_stints(), today)]
    else:
        found = memo.mine(network, today)
    for person, link in found:
        known = region.my_links.get(person)
        if known is None or link.strength > known.strength:
            region.my_links[person] = link


def stint_span(stint: Stint) -> Span | None:
    """(start, end or None while there); None for a past job of unknown dates, which shares no known time."""
    start = parse_day(stint.start_on)
    if stint.is_current:
        return start, None
    end = parse_day(stint.end_on)
    return (start, end) if end is not None else None


@functools.lru_cache(maxsize=16_384)  # the same few thousand dates recur in every search's job histories
def parse_day(text: str | None) -> date | None:
    """'2019', '2019-05' or '2019-05-14' (anything longer is cut); None when it cannot be read."""
    if not text:
        return None
    parts = text[:10].split("-")
    try:
        numbers = [int(p) for p in parts] + [1] * (3 - len(parts))
        return date(numbers[0], numbers[1], numbers[2])
    except (ValueError, IndexError):
        return None
