"""Whom a person knows, and how: recorded, colleagues, on the same mail, met at the same event, introduced.

One function answers for the person page, the API and `knowwho show`. Each
tie names its source and how sure it is; where several reasons link two
people, the surest is kept. Every read starts at the one person and uses an
index, so it costs the same in a network of any size.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from knowwho.services.paths import explain, region, score
from knowwho.storage import network as store
from knowwho.storage.network import NetworkReader

MAIL_KINDS = ("email",)  # personal mail: threads of a few people say who knows whom


class Acquaintance(NamedTuple):
    """Someone a person knows, how (in words), from what (source) and how surely (0..1).

    A named tuple: a person page makes one for each of tens of ties, and a frozen dataclass is several
    times dearer to make."""

    person_id: int
    name: str
    how: str
    source: str  # me, colleague, mail-co-recipient, same-event, introduced, same-organization
    confidence: float
    is_contact: bool  # one of the user's own contacts
    tie_strength: float  # the user's own tie to them

    @property
    def only_met_at_events(self) -> bool:
        """Known only to have been at the same event: weak evidence, shown apart from people they know."""
        return self.source == score.SAME_EVENT


def ties_of(
    conn: sqlite3.Connection, person_id: int, *, today: date, network: NetworkReader | None = None,
    memo: region.ColleagueMemo | None = None,
) -> list[Acquaintance]:  # fmt: skip
    """Everyone this person knows (contacts and people known through others), surest first.

    `network`, `memo`: a server's network in memory and the colleague links its searches keep. Recorded ties,
    colleagues and names are then read from memory; mail, events and introductions always from `conn`."""
    network = store.SqlNetwork(conn) if network is None else network
    best: dict[int, tuple[str, float, str]] = {}

    def offer(other: int, source: str, confidence: float, how: str) -> None:
        known = best.get(other)
        if other != person_id and confidence > 0 and (known is None or confidence > known[1]):
            best[other] = (source, confidence, how)

    for row in network.knows_of([person_id]):
        confidence = score.knows_strength(row.source, row.confidence)
        offer(row.b if row.a == person_id else row.a, row.source, confidence, recorded_how(row))
    for other, link in _colleagues_of(network, person_id, today, memo):
        offer(other, "colleague", link.strength, explain.colleague_tie(link))
    mail = store.co_recipients(conn, person_id, kinds=MAIL_KINDS, fewest=2, most=score.THREAD_MOST)
    for shared in mail:
        offer(shared.other, "mail-co-recipient", score.co_recipient_strength(shared.times, shared.size), mailed(shared))
    for shared in store.met_together(conn, person_id, most=score.BIG_EVENT):
        offer(shared.other, score.SAME_EVENT, score.event_strength(shared.times, shared.size), met_at(shared))
    for shared in store.introduced_to(conn, person_id):
        offer(shared.other, "introduced", score.INTRODUCED, explain.SOURCES["introduced"])
    found = network.nodes(best)
    ties = [
        Acquaintance(pid, node.name, best[pid][2], best[pid][0], best[pid][1], node.is_contact, node.tie_strength)
        for pid, node in found.items()
    ]
    ties.sort(key=lambda t: (-t.confidence, -t.tie_strength, t.name, t.person_id))
    return ties


def _colleagues_of(
    network: NetworkReader, person_id: int, today: date, memo: region.ColleagueMemo | None
) -> list[tuple[int, region.Link]]:
    if memo is None:
        return region.colleagues_of(network, person_id, today=today)
    return [(other, link) for _person, other, link in memo.links(network, [person_id], today)]


def recorded_how(row: store.KnowsRow) -> str:
    """How a knows edge on record came about: the user's note, or where it was found."""
    return row.note or ("you noted it" if row.source == "me" else explain.SOURCES.get(row.source, "knows"))


def mailed(shared: store.SharedRow) -> str:
    return "on the same mail thread" if shared.times == 1 else f"on {shared.times} mail threads together"


def met_at(shared: store.SharedRow) -> str:
    """'met at PyCon 2026': the latest event, with its year unless its name has it."""
    year = shared.on[:4]
    name = shared.label or "the same event"
    more = f" (and {shared.times - 1} more)" if shared.times > 1 else ""
    return f"met at {name}" + (f" {year}" if year and year not in name else "") + more


def summary(ties: list[Acquaintance], *, names: int = 3) -> str:
    """'knows 12 of your contacts: Ana Lima, Ben Okafor, Dan Wu…' (the contacts only, not those only met at events)."""
    contacts = [t for t in ties if t.is_contact and not t.only_met_at_events]
    if not contacts:
        return ""
    shown = ", ".join(t.name for t in contacts[:names]) + ("…" if len(contacts) > names else "")
    return f"knows {len(contacts)} of your contact{'s' if len(contacts) != 1 else ''}: {shown}"


@dataclass(frozen=True, slots=True)
class Tie:
    """Two people (a < b) who know each other: how, from what and how surely (the surest reason kept)."""

    a: int
    b: int
    how: str
    source: str
    confidence: float


def every_tie(conn: sqlite3.Connection, *, today: date) -> list[Tie]:
    """Every pair of people who know each other, recorded or inferred, for the network export.

    The same reasons as `ties_of`, read for all pairs at once: what the user recorded, colleagues
    at small organizations, personal mail threads, events and introductions.
    """
    best: dict[tuple[int, int], Tie] = {}

    def offer(a: int, b: int, source: str, confidence: float, how: str) -> None:
        key = (a, b) if a < b else (b, a)
        known = best.get(key)
        if a != b and confidence > 0 and (known is None or confidence > known.confidence):
            best[key] = Tie(key[0], key[1], how, source, confidence)

    alive = store.all_nodes(conn)
    for row in store.knows_rows(conn).values():
        if row.a in alive and row.b in alive:
            offer(row.a, row.b, row.source, score.knows_strength(row.source, row.confidence), recorded_how(row))
    for a, b, link in _colleague_pairs(conn, today):
        offer(a, b, "colleague", link.strength, explain.colleague_tie(link))
    for a, shared in store.co_recipient_pairs(conn, kinds=MAIL_KINDS, fewest=2, most=score.THREAD_MOST):
        offer(
            a, shared.other, "mail-co-recipient", score.co_recipient_strength(shared.times, shared.size), mailed(shared)
        )
    for a, shared in store.met_together_pairs(conn, most=score.BIG_EVENT):
        offer(a, shared.other, score.SAME_EVENT, score.event_strength(shared.times, shared.size), met_at(shared))
    for a, shared in store.introduced_pairs(conn):
        offer(a, shared.other, "introduced", score.INTRODUCED, explain.SOURCES["introduced"])
    return [best[key] for key in sorted(best)]


def _colleague_pairs(conn: sqlite3.Connection, today: date) -> Iterator[tuple[int, int, region.Link]]:
    """Everyone whose time at one small organization overlapped, each pair once."""
    network = store.SqlNetwork(conn)
    sizes = network.organization_sizes(store.organization_names(conn))
    small = [o for o, size in sizes.items() if size <= score.BIG_ORGANIZATION]
    by_org: dict[int, list[store.Stint]] = {}
    for stint in network.stints_at(small):
        by_org.setdefault(stint.organization_id, []).append(stint)
    for organization_id, stints in by_org.items():
        spans = [(s.person_id, region.stint_span(s)) for s in stints]
        name, size = stints[0].organization, sizes[organization_id]
        for i, (mine, mine_span) in enumerate(spans):
            for other, other_span in spans[i + 1 :]:
                if mine is None or other is None or mine == other:
                    continue
                link = region.overlap_link(name, mine_span, other_span, size, today)
                if link is not None:
                    yield mine, other, link
