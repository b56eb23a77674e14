"""Who can get me in: resolve the target, read its neighbourhood, search it and explain the best routes."""

from __future__ import annotations

import heapq
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from itertools import pairwise
from typing import TYPE_CHECKING

from knowwho.errors import InvalidInput, NotFound
from knowwho.services import meaning
from knowwho.services.context import ServiceContext
from knowwho.services.paths import explain, fields, region, score, search
from knowwho.storage import network as store
from knowwho.storage import organizations as org_store
from knowwho.storage import search as search_store
from knowwho.storage.network import NetworkReader, PersonNode, SqlNetwork, Stint

if TYPE_CHECKING:
    from knowwho.services.paths.memory import NetworkMemory

MAX_LIMIT = 50
MAX_PEOPLE = 3  # on a route, from the one the user asks to the target (DESIGN 4.3)
FIELD_PEOPLE = 300  # the user's contacts in a field a search starts from, best-tied first
FIELD_OTHERS = 20  # and people known through others, best reached first
ROUNDING = 2e-9  # routes are ranked by their score rounded to 9 places


@dataclass(frozen=True, slots=True)
class Step:
    """One person on a route (or the organization at its end) and the tie that leads to them."""

    name: str
    person_id: int | None
    organization_id: int | None
    strength: float
    tie: str
    why: str


@dataclass(frozen=True, slots=True)
class Route:
    steps: list[Step]
    score: float
    introductions: int  # how many people must introduce the user onward (0: ask the first one directly)
    why: str


@dataclass(frozen=True, slots=True)
class Target:
    kind: str  # organization | person | field
    name: str
    id: int | None = None


@dataclass(frozen=True, slots=True)
class PathAnswer:
    target: Target
    routes: list[Route] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class _Goal:
    strength: float  # the last step beyond the person (a job at the organization), 1.0 otherwise
    stint: Stint | None = None


class PathService:
    """`memory`: the network a long-running server keeps in memory; without it each search reads the database."""

    def __init__(self, ctx: ServiceContext, memory: NetworkMemory | None = None) -> None:
        self.ctx = ctx
        self.memory = memory

    @contextmanager
    def _network(self) -> Iterator[NetworkReader]:
        if self.memory is None:
            yield SqlNetwork(self.ctx.db.conn)
        else:
            with self.memory.current(self.ctx.db.conn) as network:
                yield network

    def find(
        self, *, organization: str | None = None, person: str | None = None, field_text: str | None = None,
        limit: int = 5,
    ) -> PathAnswer:  # fmt: skip
        """Routes to exactly one of an organization, a person or a field, as the user typed it."""
        given = [x for x in (organization, person, field_text) if x is not None]
        if len(given) != 1:
            raise InvalidInput("say where to: one of --org, --person or --field")
        if organization is not None:
            from knowwho.services.organizations import OrganizationService

            return self.to_organization(OrganizationService(self.ctx).resolve_id(organization), limit=limit)
        if person is not None:
            from knowwho.services.people import PeopleService

            return self.to_person(PeopleService(self.ctx).resolve_id(person), limit=limit)
        return self.to_field(field_text or "", limit=limit)

    def to_organization(self, organization_id: int, *, limit: int = 5) -> PathAnswer:
        conn = self.ctx.db.conn
        found = org_store.get(conn, organization_id)
        if found is None:
            raise NotFound(f"no organization with id {organization_id}")
        target = Target("organization", found.name, found.id)
        with self._network() as network:
            goals: dict[int, _Goal] = {}
            for stint in network.stints_at([organization_id]):
                if stint.person_id is None:
                    continue
                known = goals.get(stint.person_id)
                strength = score.role_strength(stint.is_current)
                if known is None or strength > known.strength:
                    goals[stint.person_id] = _Goal(strength, stint)
            return PathAnswer(target, self._routes(network, goals, limit=limit, target=target))

    def to_person(self, person_id: int, *, limit: int = 5) -> PathAnswer:
        with self._network() as network:
            node = network.nodes([person_id]).get(person_id)
            if node is None:
                raise NotFound(f"no person with id {person_id}")
            target = Target("person", node.name, person_id)
            goals = {person_id: _Goal(1.0)}
            return PathAnswer(target, self._routes(network, goals, limit=limit, target=target))

    def to_field(self, text: str, *, limit: int = 5) -> PathAnswer:
        text = text.strip()
        if not text:
            raise InvalidInput("no field given")
        match = search_store.match_expression(text)
        target = Target("field", text)
        with self._network() as network:
            by_title = self._titled(network, text)
            mentioned = store.people_mentioning(self.ctx.db.conn, text, match or None) - by_title.ids
            more = network.nodes(mentioned).values()  # not removed
            contacts = [*by_title.contacts, *(n for n in more if n.is_contact)]
            others = [*by_title.others, *(n for n in more if not n.is_contact)]
            goals = {node.id: _Goal(1.0) for node in _field_people(network, contacts, others)}
            routes = self._routes(network, goals, limit=limit, target=target)
            return PathAnswer(target, self._with_field_reasons(network, routes, by_title.ids, text, match or None))

    def _with_field_reasons(
        self, network: NetworkReader, routes: list[Route], titled: AbstractSet[int], text: str, match: str | None
    ) -> list[Route]:
        """Each route's why ends with what puts its last person in the field: their title, or where they mention it."""
        last = {person for route in routes if (person := route.steps[-1].person_id) is not None}
        roles = {s.person_id: s for s in network.stints_of(last & titled) if s.is_current and s.title}
        mentions = store.mentions_of(self.ctx.db.conn, last - roles.keys(), text, match)
        reasoned = []
        for route in routes:
            person, name = route.steps[-1].person_id, route.steps[-1].name
            role = roles.get(person) if person is not None else None
            mention = mentions.get(person) if person is not None else None
            reason = explain.role_sentence(name, role) if role else explain.mention_sentence(name, mention)
            reasoned.append(replace(route, why=f"{route.why[:-1]}; {reason}."))
        return reasoned

    def _titled(self, network: NetworkReader, text: str) -> fields.Titled:
        """The people whose current title contains `text` or means it ("healthcare" finds a Physician); a
        server's network keeps them until it changes."""

        def work() -> fields.Titled:
            ids = network.people_titled(text) | meaning.titled_like(self.ctx.db.conn, text, network).keys()
            return fields.titled(ids, network.nodes(ids), FIELD_PEOPLE)

        if self.memory is None:
            return work()
        return self.memory.fields.get(text, FIELD_PEOPLE, work)

    # -- the search --------------------------------------------------------------
    def _routes(self, network: NetworkReader, goals: dict[int, _Goal], *, limit: int, target: Target) -> list[Route]:
        if not 1 <= limit <= MAX_LIMIT:
            raise InvalidInput(f"limit is a number from 1 to {MAX_LIMIT}")
        today = self.ctx.today()
        memo = self.memory.colleagues if self.memory is not None else None
        near = region.load(network, goals, steps=0, today=today, memo=memo)
        # Each step outward is read only from people who can still lead to a route among the best `limit`:
        # a route scores at most the best first step anyone of mine is worth times its onward steps.
        best_first = score.first_tie_value(
            max([network.strongest_tie(), *(x.strength for x in near.my_links.values())])
        )
        direct = [score.route_score(near.mine[g], [goals[g].strength]) for g in goals if g in near.mine]
        reach = {g: goal.strength for g, goal in goals.items() if g not in near.mine}
        region.widen(network, near, _worth_reading(reach, best_first, direct, limit), steps=1, today=today, memo=memo)
        least = _least_onward(best_first, direct, limit)
        shorter = [_value(near, people, goals) for people in self._search(near, goals, MAX_PEOPLE - 1, least)]
        frontier = _worth_reading(self._onward_best(near, goals), best_first, shorter, limit)
        region.widen(network, near, frontier, steps=1, today=today, memo=memo)
        least = _least_onward(best_first, shorter, limit)
        contenders = _contenders(
            [(_value(near, people, goals), people) for people in self._search(near, goals, MAX_PEOPLE, least)], limit
        )
        ranked = heapq.nsmallest(
            limit, (self._ranked(near, people, value) for value, people in contenders), key=lambda r: r[0]
        )
        return [self._explain(near, people, value, goals, target) for _, people, value in ranked]

    @staticmethod
    def _onward_best(near: region.Region, goals: dict[int, _Goal]) -> dict[int, float]:
        """People one link from a goal, neither mine nor goals, with the best product of that link and the goal."""
        best: dict[int, float] = {}
        for (a, b), link in near.links.items():
            for person, goal in ((a, b), (b, a)):
                if goal in goals and goal not in near.mine and person not in goals and person not in near.mine:
                    best[person] = max(best.get(person, 0.0), link.strength * goals[goal].strength)
        return best

    def _search(self, near: region.Region, goals: dict[int, _Goal], max_people: int, least: float) -> list[list[int]]:
        """Every route of at most `max_people` people from someone mine to a goal, none through another goal,
        leaving out those whose onward steps multiply to less than `least` (`_least_onward`)."""
        arcs: dict[int, list[tuple[int, float]]] = {}  # walked only out of people not mine
        for (a, b), link in near.links.items():
            if a not in near.mine:
                arcs.setdefault(a, []).append((b, link.strength))
            if b not in near.mine:
                arcs.setdefault(b, []).append((a, link.strength))
        starts = {g: goal.strength for g, goal in goals.items() if g in near.nodes}
        routes = []
        for people in search.walk_strong_paths(arcs, starts, near.mine.keys(), max_people, least=least):
            if any(p in goals and goals[p].strength >= goals[people[-1]].strength for p in people[:-1]):
                continue  # someone on the way is there already: their own, shorter route covers it
            routes.append(people)
        return routes

    @staticmethod
    def _ranked(
        near: region.Region, people: list[int], value: float
    ) -> tuple[tuple[float, int, int, tuple[str, ...]], list[int], float]:
        names = tuple(near.nodes[p].name for p in people)
        return score.route_key(len(people) - 1, value, names, near.nodes[people[0]].first_met_on), people, value

    def _explain(
        self, near: region.Region, people: list[int], value: float, goals: dict[int, _Goal], target: Target
    ) -> Route:
        first = near.nodes[people[0]]
        my_link = near.my_links.get(first.id)
        tie = explain.my_tie(first) if first.is_contact or my_link is None else explain.colleague_tie(my_link)
        steps = [Step(first.name, first.id, None, near.mine[first.id], tie, explain.first_sentence(first, my_link))]
        for a, b in pairwise(people):
            link = near.links[_key(a, b)]
            name_a, name_b = near.nodes[a].name, near.nodes[b].name
            steps.append(Step(name_b, b, None, link.strength, explain.link_tie(link),
                              explain.link_sentence(name_a, name_b, link)))  # fmt: skip
        stint = goals[people[-1]].stint
        if stint is not None:
            last = near.nodes[people[-1]].name
            steps.append(Step(stint.organization, None, stint.organization_id, goals[people[-1]].strength,
                              explain.role_tie(stint), explain.role_sentence(last, stint)))  # fmt: skip
        onward = [s.why for s in steps[1:]]
        if not onward:
            onward = [f"You know {first.name} already" if target.kind == "person" else steps[0].why]
        why = "; ".join(onward) + "."
        return Route(steps=steps, score=round(value, 4), introductions=len(people) - 1, why=why)


def _field_people(network: NetworkReader, contacts: list[PersonNode], others: list[PersonNode]) -> list[PersonNode]:
    """The people of a field a search starts from: the best-tied of the user's contacts, and the people known
    only through others whom a close contact is recorded to know (many contacts in a field must not hide the
    one a close friend knows; reading onward from every such person would be slow in a large network)."""
    reach = {node.id: 0.0 for node in others}
    rows = network.knows_of(reach)
    near = network.nodes({row.a for row in rows} | {row.b for row in rows})
    for row in rows:
        for person, other in ((row.a, row.b), (row.b, row.a)):
            contact = near.get(other)
            if person in reach and contact is not None and contact.is_contact:
                value = score.route_score(contact.tie_strength, [score.knows_strength(row.source, row.confidence)])
                reach[person] = max(reach[person], value)
    best_others = heapq.nsmallest(FIELD_OTHERS, others, key=lambda n: (-reach[n.id], n.id))
    return fields.best_contacts(contacts, FIELD_PEOPLE) + best_others


def _value(near: region.Region, people: list[int], goals: dict[int, _Goal]) -> float:
    """A route's score: the first person's worth times each onward step (the last into the organization)."""
    onward = [near.links[_key(a, b)].strength for a, b in pairwise(people)]
    onward.append(goals[people[-1]].strength)
    return score.route_score(near.mine[people[0]], onward)


def _contenders(valued: list[tuple[float, list[int]]], limit: int) -> list[tuple[float, list[int]]]:
    """The routes that can be among the best `limit` (score first, as `score.route_key` sorts), so that only
    these are named and sorted in full."""
    if len(valued) <= limit:
        return valued
    rounded = [round(value, 9) for value, _ in valued]
    cut = heapq.nlargest(limit, rounded)[-1]
    return [route for route, r in zip(valued, rounded, strict=True) if r >= cut]


def _worth_reading(reach: dict[int, float], best_first: float, found: list[float], limit: int) -> list[int]:
    """The people to read onward from: whose best onward product, after the best first step, could still beat
    the `limit`-th best score found so far (a route beyond them has more introductions, so a tie loses)."""
    floor = heapq.nlargest(limit, found)[-1] if len(found) >= limit else -1.0
    return [p for p, most in reach.items() if most * best_first > floor]


def _least_onward(best_first: float, found: list[float], limit: int) -> float:
    """The smallest product of onward steps a route can have and still be among the best `limit`, when `found`
    holds at least `limit` scores of routes the search finds again (a wider region only adds links). A route
    left out scores below all of them, even rounded as `score.route_key` rounds (the margin)."""
    if len(found) < limit or best_first <= 0:
        return 0.0
    floor = heapq.nlargest(limit, found)[-1]
    return (floor - ROUNDING) / best_first


def _key(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def answer_dict(answer: PathAnswer) -> dict[str, object]:
    """The JSON form shared by `knowwho path --json` and /api/paths."""
    return {
        "target": {"kind": answer.target.kind, "name": answer.target.name, "id": answer.target.id},
        "routes": [
            {"score": r.score, "introductions": r.introductions, "why": r.why,
             "steps": [{"name": s.name, "person_id": s.person_id, "organization_id": s.organization_id,
                        "strength": round(s.strength, 4), "tie": s.tie, "why": s.why} for s in r.steps]}
            for r in answer.routes
        ],
    }  # fmt: skip
