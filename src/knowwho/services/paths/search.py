"""The bounded route search: who of mine reaches the target in a few steps.

The graph is directed so that the people the user can ask directly ("mine":
contacts, and colleagues of the user's own jobs) are dead ends: a route is
walked backwards from the target through people the user does not know
until it meets one the user does. Every route therefore starts with the one
person the user would ask, and goes on through people the user could not
ask themselves.

A search walks the few thousand people read around one target in plain
Python (`walk_paths`): loading igraph and numpy would cost a command more
than the walk. `candidate_paths` runs the same search over a compiled
igraph graph, for graphs of millions of links (bench/bench_paths.py).
"""

from __future__ import annotations

from collections.abc import Container, Iterable, Mapping, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import igraph


def build_graph(vertices: int, edges: Iterable[tuple[int, int]], is_mine: Sequence[bool]) -> igraph.Graph:
    """A directed graph over `vertices` people: each undirected edge walks only out of people not mine."""
    import igraph

    arcs: list[tuple[int, int]] = []
    for u, v in edges:
        if not is_mine[u]:
            arcs.append((u, v))
        if not is_mine[v]:
            arcs.append((v, u))
    return igraph.Graph(n=vertices, edges=arcs, directed=True)


def candidate_paths(
    graph: igraph.Graph, goals: Iterable[int], is_mine: Sequence[bool], max_people: int, max_results: int = 20_000
) -> list[list[int]]:
    """Routes of at most `max_people` people, each from someone mine to a goal (in that order).

    A goal who is mine is a route of one person. The search is igraph's
    simple-path enumeration from each goal, bounded in length and in results.
    """
    routes: list[list[int]] = []
    for goal in goals:
        if is_mine[goal]:
            routes.append([goal])
            continue
        if max_people < 2:
            continue
        found = graph.get_all_simple_paths(goal, maxlen=max_people - 1, mode="out", max_results=max_results)
        routes.extend(path[::-1] for path in found if is_mine[path[-1]])
    return routes


def walk_paths(
    arcs: Mapping[int, Sequence[int]], goals: Iterable[int], is_mine: Container[int], max_people: int
) -> list[list[int]]:
    """The routes `candidate_paths` finds, by a plain walk: `arcs` maps each person not mine to their links,
    `is_mine` holds the people mine (where a walk stops)."""
    routes: list[list[int]] = []

    def walk(path: list[int]) -> None:
        for nxt in arcs.get(path[-1], ()):
            if nxt in path:
                continue
            if nxt in is_mine:
                routes.append([nxt, *reversed(path)])
            elif len(path) + 1 < max_people:
                walk([*path, nxt])

    for goal in goals:
        if goal in is_mine:
            routes.append([goal])
        elif max_people >= 2:
            walk([goal])
    return routes


def walk_strong_paths(
    arcs: Mapping[int, Sequence[tuple[int, float]]], goals: Mapping[int, float], is_mine: Container[int],
    max_people: int, *, least: float,
) -> list[list[int]]:  # fmt: skip
    """The routes `walk_paths` finds (in the same order) whose onward product — the goal's strength times each
    link's, `arcs` giving each link's — is at least `least`; the routes straight to a goal of mine always.

    Strengths are at most 1, so a walk whose product has fallen below `least` goes no further: a search that
    already holds enough good routes reads only the strong links around the target."""
    routes: list[list[int]] = []

    def walk(path: list[int], product: float) -> None:
        for nxt, strength in arcs.get(path[-1], ()):
            onward = product * strength
            if onward < least or nxt in path:
                continue
            if nxt in is_mine:
                routes.append([nxt, *reversed(path)])
            elif len(path) + 1 < max_people:
                walk([*path, nxt], onward)

    for goal, strength in goals.items():
        if goal in is_mine:
            routes.append([goal])
        elif max_people >= 2 and strength >= least:
            walk([goal], strength)
    return routes
