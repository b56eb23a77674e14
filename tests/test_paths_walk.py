"""The plain-Python route walk a search runs finds exactly the routes of the igraph search, without igraph."""

from __future__ import annotations

import random
import subprocess
import sys
from itertools import pairwise
from pathlib import Path

import pytest

from knowwho.services.paths.search import build_graph, candidate_paths, walk_paths, walk_strong_paths
from knowwho.services.paths.service import _contenders


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_walk_finds_the_routes_the_igraph_search_finds(seed: int) -> None:
    rng = random.Random(seed)
    people = 60
    edges = {tuple(sorted(rng.sample(range(people), 2))) for _ in range(180)}
    mine = {p for p in range(people) if rng.random() < 0.2}
    is_mine = [p in mine for p in range(people)]
    arcs: dict[int, list[int]] = {}
    for a, b in edges:
        if a not in mine:
            arcs.setdefault(a, []).append(b)
        if b not in mine:
            arcs.setdefault(b, []).append(a)
    graph = build_graph(people, edges, is_mine)
    lengths = set()
    for max_people in (1, 2, 3):
        goals = rng.sample(range(people), 10)
        expected = sorted(map(tuple, candidate_paths(graph, goals, is_mine, max_people)))
        assert sorted(map(tuple, walk_paths(arcs, goals, mine, max_people))) == expected
        lengths |= {len(route) for route in expected}
    assert lengths == {1, 2, 3}  # routes of every length were compared


def test_a_route_search_does_not_load_igraph(tmp_path: Path) -> None:
    """Loading igraph and numpy costs a command more than the walk itself."""
    script = f"""
import sys
from knowwho.core import Knowwho
from knowwho.storage import organizations
kw = Knowwho.open({str(tmp_path / "kw.db")!r})
organizations.insert(kw.db.conn, name="Acme", now="2026-01-01T00:00:00")
for query in ({{"organization": "Acme"}}, {{"field_text": "data"}}):
    assert kw.paths.find(**query).routes == []
print("igraph" in sys.modules, "numpy" in sys.modules)
"""
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_only_routes_that_can_be_among_the_best_are_named_and_sorted() -> None:
    valued = [(0.5, [1]), (0.9, [2]), (0.2, [3]), (0.5, [4]), (0.7, [5, 6])]
    assert _contenders(valued, 2) == [(0.9, [2]), (0.7, [5, 6])]
    # a tie at the cut keeps every route with that score: names and introductions decide among them
    assert _contenders(valued, 3) == [(0.5, [1]), (0.9, [2]), (0.5, [4]), (0.7, [5, 6])]
    assert _contenders(valued, 5) == valued


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_strong_walk_leaves_out_only_the_routes_below_its_bound(seed: int) -> None:
    rng = random.Random(seed)
    people = 60
    strength = {tuple(sorted(rng.sample(range(people), 2))): rng.choice([0.2, 0.5, 0.9, 1.0]) for _ in range(180)}
    mine = {p for p in range(people) if rng.random() < 0.2}
    arcs: dict[int, list[int]] = {}
    weighted: dict[int, list[tuple[int, float]]] = {}
    for (a, b), s in strength.items():
        for x, y in ((a, b), (b, a)):
            if x not in mine:
                arcs.setdefault(x, []).append(y)
                weighted.setdefault(x, []).append((y, s))
    goals = {g: rng.choice([0.4, 1.0]) for g in rng.sample(range(people), 15)}

    def onward(route: list[int]) -> float:
        product = goals[route[-1]]
        for a, b in pairwise(route):
            product *= strength[(min(a, b), max(a, b))]
        return product

    every = walk_paths(arcs, goals, mine, 3)
    assert walk_strong_paths(weighted, goals, mine, 3, least=0.0) == every
    for least in (0.1, 0.3, 0.6):
        kept = walk_strong_paths(weighted, goals, mine, 3, least=least)
        assert kept == [r for r in every if len(r) == 1 or onward(r) >= least]  # the same order too
        assert len(kept) < len(every)
