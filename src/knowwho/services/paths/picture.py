"""A network picture: a person's or an organization's part of the graph, laid out for a small SVG drawing.

The centre, up to NEIGHBOURS people around it ranked by how surely they are
linked (then by the user's own tie), the links between them labelled by
source. Positions come from igraph's Kamada-Kawai layout started from a
circle, which uses no randomness: the same network always draws the same.
Coordinates are in a fixed box; the page scales the drawing to its width.
"""

from __future__ import annotations

import functools
import math
import sqlite3
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from knowwho.services.paths import explain
from knowwho.services.paths.ties import Acquaintance, ties_of
from knowwho.services.tie_strength import tier_of
from knowwho.storage import network as store

NEIGHBOURS = 25
# Two drawings of one picture: wide for a desktop, and a squarer one with the surest few for a phone
# (scaled to a phone's width, 25 people would be too small to read). (name, width, height, margins, people)
VIEWS = (("wide", 720, 460, (70, 40), NEIGHBOURS), ("narrow", 400, 440, (48, 34), 12))
# How each source of a link is named in the picture's legend.
SOURCE_WORDS = {
    "me": "you recorded it", "colleague": "colleagues", "same-organization": "colleagues",
    "mail-co-recipient": "same mail thread", "same-event": "met at the same event", "introduced": "you introduced them",
    "works": "works there", "worked": "worked there",
}  # fmt: skip


# Node, Edge and _Around are named tuples: a picture makes about a hundred, and a frozen dataclass takes
# several times longer to make (a person page's first view made them all anew).
class Node(NamedTuple):
    name: str
    short: str  # "Ana L.": what fits beside a dot
    x: float
    y: float
    tier: str  # strong | moderate | weak | dormant | other (known through others) | centre
    person_id: int | None = None
    how: str = ""  # how the centre and this person are linked


class Edge(NamedTuple):
    x1: float
    y1: float
    x2: float
    y2: float
    source: str  # a key of SOURCE_WORDS
    label: str  # "Ana Lima – Ben Okafor: colleague at Acme 2019–2021"


@dataclass(frozen=True, slots=True)
class View:
    """One drawing: its box, and the people and links placed in it."""

    name: str  # wide | narrow
    width: int
    height: int
    nodes: list[Node]  # the centre first
    edges: list[Edge]


@dataclass(frozen=True, slots=True)
class Picture:
    title: str
    views: list[View]  # wide first
    legend: list[tuple[str, str]]  # (source, words) of the sources drawn
    more: int  # people left out of the picture

    @property
    def people(self) -> list[Node]:
        """Everyone drawn around the centre, in order: the picture's text alternative."""
        return self.views[0].nodes[1:]


class _Around(NamedTuple):
    person_id: int
    name: str
    tier: str
    source: str
    how: str


def of_person(
    conn: sqlite3.Connection,
    person_id: int,
    *,
    today: date,
    limit: int = NEIGHBOURS,
    ties: list[Acquaintance] | None = None,
    name: str | None = None,
) -> Picture | None:
    """The person and the people they know, surest first; None when they know nobody on record.

    `ties`, `name`: the person's ties and name when the caller has them already (the person page lists them too).
    """
    if name is None:
        centre = store.nodes(conn, [person_id]).get(person_id)
        if centre is None:
            return None
        name = centre.name
    ties = ties_of(conn, person_id, today=today) if ties is None else ties
    if not ties:
        return None
    around = [
        _Around(t.person_id, t.name, tier_of(t.tie_strength) if t.is_contact else "other", _source(t.source), t.how)
        for t in ties[:limit]
    ]
    return _draw(conn, "Who they know", name, person_id, around, more=len(ties) - len(around))


def of_organization(
    conn: sqlite3.Connection, organization_id: int, name: str, *, limit: int = NEIGHBOURS
) -> Picture | None:
    """The organization and the people there now and before (now first, then by the user's tie)."""
    stints: dict[int, store.Stint] = {}
    for stint in store.stints_at(conn, [organization_id]):
        if stint.person_id is not None and (stint.person_id not in stints or stint.is_current):
            stints[stint.person_id] = stint
    found = store.nodes(conn, stints)
    if not found:
        return None
    ranked = sorted(found.values(), key=lambda n: (not stints[n.id].is_current, -n.tie_strength, n.name, n.id))
    around = [
        _Around(n.id, n.name, tier_of(n.tie_strength) if n.is_contact else "other",
                "works" if stints[n.id].is_current else "worked", explain.role_tie(stints[n.id]))
        for n in ranked[:limit]
    ]  # fmt: skip
    return _draw(conn, "Who is there", name, None, around, more=len(ranked) - len(around))


def _source(source: str) -> str:
    return source if source in SOURCE_WORDS else "me"


def _draw(
    conn: sqlite3.Connection, title: str, centre: str, centre_id: int | None, around: list[_Around], *, more: int
) -> Picture:
    index = {a.person_id: i + 1 for i, a in enumerate(around)}
    pairs: list[tuple[int, int, str, str]] = [(0, i + 1, a.source, a.how) for i, a in enumerate(around)]
    for row in store.knows_among(conn, index):
        if row.a != centre_id and row.b != centre_id:
            how = row.note or explain.SOURCES.get(row.source, "knows")
            pairs.append((index[row.a], index[row.b], _source(row.source), how))
    names = [centre] + [a.name for a in around]
    views = []
    for name, width, height, margins, people in VIEWS:
        drawn = [p for p in pairs if p[0] <= people and p[1] <= people]
        height = min(height, 120 + 40 * min(people, len(around)))  # a few people need no tall, empty box
        points = layout(min(people, len(around)) + 1, [(a, b) for a, b, _, _ in drawn], (width, height), margins)
        nodes = [Node(centre, _short(centre, whole=True), *points[0], "centre", centre_id)]
        nodes += [Node(a.name, _short(a.name), *points[i + 1], a.tier, a.person_id, a.how)
                  for i, a in enumerate(around[:people])]  # fmt: skip
        edges = [Edge(*points[a], *points[b], source, f"{names[a]} – {names[b]}: {how}") for a, b, source, how in drawn]
        views.append(View(name, width, height, nodes, edges))
    sources = sorted({p[2] for p in pairs}, key=list(SOURCE_WORDS).index)
    legend: list[tuple[str, str]] = []
    for source in sources:  # two sources drawn alike (colleague, same-organization) are named once
        if SOURCE_WORDS[source] not in (words for _s, words in legend):
            legend.append((source, SOURCE_WORDS[source]))
    return Picture(title, views, legend, more)


def layout(
    count: int, edges: list[tuple[int, int]], box: tuple[int, int], margins: tuple[int, int]
) -> list[tuple[float, float]]:
    """Positions in a box for `count` vertices (vertex 0 in the middle, margins left for names), the same on every run."""
    return list(_layout(count, tuple(edges), box, margins))


# Pictures of the same shape (how many people, who of them knows whom) are laid out alike, and shapes recur:
# 2,200 different people of the 100,000-person demo drew 4,218 views of only 699 shapes.
@functools.lru_cache(maxsize=4096)
def _layout(
    count: int, edges: tuple[tuple[int, int], ...], box: tuple[int, int], margins: tuple[int, int]
) -> tuple[tuple[float, float], ...]:
    import igraph

    (width, height), (margin_x, margin_y) = box, margins
    if count == 1:
        return ((width / 2, height / 2),)
    graph = igraph.Graph(n=count, edges=list(edges))
    start = [[0.0, 0.0]] + [
        [math.cos(2 * math.pi * i / (count - 1)), math.sin(2 * math.pi * i / (count - 1))] for i in range(count - 1)
    ]
    coords = graph.layout_kamada_kawai(seed=start, maxiter=50 * count).coords
    cx, cy = coords[0]
    reach_x = max(abs(x - cx) for x, _ in coords) or 1.0
    reach_y = max(abs(y - cy) for _, y in coords) or 1.0
    half_w, half_h = width / 2 - margin_x, height / 2 - margin_y
    return tuple(
        (round(width / 2 + (x - cx) / reach_x * half_w, 1), round(height / 2 + (y - cy) / reach_y * half_h, 1))
        for x, y in coords
    )


def _short(name: str, *, whole: bool = False) -> str:
    """'Ana L.' for 'Ana Lima'; a long single word cut to 12 letters."""
    parts = name.split()
    if whole or not parts:
        return name if len(name) <= 24 else name[:23] + "…"
    short = parts[0] if len(parts) == 1 else f"{parts[0]} {parts[-1][0]}."
    return short if len(short) <= 12 else short[:11] + "…"
