"""The bounded route search over a compiled graph (igraph): who of mine reaches the target in a few steps.

The graph is directed so that the people the user can ask directly ("mine":
contacts, and colleagues of the user's own jobs) are dead ends: a route is
walked backwards from the target through people the user does not know
until it meets one the user does. Every route therefore starts with the one
person the user would ask, and goes on through people the user could not
ask themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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
