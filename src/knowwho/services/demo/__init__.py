"""A realistic synthetic career network, deterministic for a seed (`knowwho demo`).

The network is relative to the app clock's "now", so today's list is always
lively. It is built in blocks of people (see `network`), generated in
worker processes when there are several blocks, and written in bulk inside
one transaction; then the scripted scenes (see `scenes`) add what today's
list should show. Derived columns (last inbound/outbound, counts, tie
strength) are computed by the generator with the same `tie_strength.compute`
the service uses, and by `refresh_people` for everyone the scenes touch.
"""

from __future__ import annotations

import gc
import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import TYPE_CHECKING, Any

from knowwho.errors import InvalidInput
from knowwho.services import tie_strength
from knowwho.services.demo.network import generate_block
from knowwho.services.demo.person_names import NameBook, PersonName
from knowwho.services.demo.plan import DAY, Plan, build_plan, day_text, stamp
from knowwho.services.demo.scenes import Scenes
from knowwho.services.interactions import refresh_people
from knowwho.storage import bulk
from knowwho.storage import people as people_store
from knowwho.storage import upkeep as upkeep_store

if TYPE_CHECKING:
    from knowwho.core import Knowwho

# stage, done, total: called as the work advances (e.g. to drive a progress bar).
Progress = Callable[[str, int, int], None]
MIN_PEOPLE = 50
MAX_PEOPLE = 1_000_000
# Tables the blocks write, in insert order (parents before children).
BLOCK_TABLES = (
    "people", "person_emails", "person_phones", "person_links", "person_tags", "roles", "notes", "knows",
    "event_people", "interactions", "interaction_participants",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class DemoSummary:
    seed: int
    people: int
    organizations: int
    interactions: int
    events: int
    seconds: float

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def check_size(people: int, busyness: float) -> None:
    """Refuse a demo of a size the generator does not make (before any database is opened or created)."""
    if not 0.1 <= busyness <= 20:
        raise InvalidInput("--busyness is a factor from 0.1 to 20 (1: one busy professional's network)")
    if not MIN_PEOPLE <= people <= MAX_PEOPLE:
        raise InvalidInput(f"a demo network has {MIN_PEOPLE:,} to {MAX_PEOPLE:,} people")


def generate_demo(
    kw: Knowwho,
    *,
    people: int = 1_000,
    seed: int = 1,
    force: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
    busyness: float = 1.0,
) -> DemoSummary:
    """Add a demo network of `people` people to the database (all of it, or nothing on failure).

    A database that already has people is refused unless `force`: the demo
    would mix with them (it adds, it never removes).

    `workers`: processes generating blocks (None: one per CPU, up to four, when
    there is more than one block; 0: all in this process). They are started
    with "spawn", so a script calling this needs the `if __name__ == "__main__"`
    guard of multiprocessing.
    The result is the same whatever the number of workers.
    """
    check_size(people, busyness)
    existing = people_store.count(kw.db.conn)
    if existing and not force:
        raise InvalidInput(
            f"{kw.db.path} already has {existing:,} people; use another --db, or --force to add the demo to them"
        )
    report = progress or (lambda stage, done, total: None)
    started = time.perf_counter()
    db = kw.db
    with bulk.loading(db), db.transaction() as conn:
        ids = bulk.max_ids(conn)
        plan = build_plan(
            seed=seed, people=people, now=kw.ctx.now(), person_base=ids["people"],
            org_base=ids["organizations"], event_base=ids["events"], busyness=busyness,
        )  # fmt: skip
        interactions = 0
        big = people * 20 > ids["interactions"]  # rebuilding indexes beats growing them
        with bulk.deferred_upkeep(conn, ("organizations", *BLOCK_TABLES), drop_indexes=big) as upkeep:
            _insert_frame(conn, plan)
            emails = bulk.existing_emails(conn)
            done = 0
            for rows in _blocks(plan, workers):
                _unique_emails(rows["person_emails"], emails)
                for table in BLOCK_TABLES:
                    offsets = {"id": ids["interactions"] + interactions + 1} if table == "interactions" else None
                    if table == "interaction_participants":
                        offsets = {"interaction_id": ids["interactions"] + interactions + 1}
                    bulk.insert(conn, table, rows[table], offsets=offsets)
                interactions += len(rows["interactions"])
                upkeep.catch_up()  # full-text indexing while the workers generate the next blocks
                done += len(rows["people"])
                report("people", done, people)
            report("indexing", 0, 1)
        report("scenes", 0, 1)
        after = bulk.max_ids(conn)
        scenes = Scenes(
            conn, plan, first_new_id=after["people"] + 1, next_interaction=after["interactions"] + 1,
            next_opportunity=after["opportunities"] + 1,
        )  # fmt: skip
        touched = scenes.play()
        refresh_people(conn, sorted(touched), now_julian=tie_strength.julian(stamp(plan.now_ts)))
        upkeep_store.refresh_statistics(conn)  # the planner's statistics, for a network this size
        final = bulk.max_ids(conn)
        report("finishing", 1, 1)
    return DemoSummary(
        seed=seed, people=final["people"] - ids["people"], organizations=len(plan.orgs),
        interactions=final["interactions"] - ids["interactions"], events=final["events"] - ids["events"],
        seconds=round(time.perf_counter() - started, 2),
    )  # fmt: skip


def _insert_frame(conn: Any, plan: Plan) -> None:
    """Organizations, their domains and the past events every block refers to."""
    created = stamp(plan.now_ts - 3 * 365 * DAY)
    bulk.insert(conn, "organizations", [(o.id, o.name, o.field, "", 0, None, created, created) for o in plan.orgs])
    bulk.insert(conn, "organization_domains", [(o.id, o.domain) for o in plan.orgs])
    bulk.insert(conn, "events", [
        (e.id, e.name, e.starts_on, day_text(e.starts_ts // DAY + e.days - 1) if e.days > 1 else None, e.place,
         e.recurrence, e.series, "", stamp(e.starts_ts - 30 * DAY))
        for e in plan.events
    ])  # fmt: skip


def _unique_emails(rows: list[tuple[Any, ...]], seen: set[str]) -> None:
    """An address belongs to one person: a second Ana Lima at Acme gets ana.lima.<id>@acme."""
    for n, (pid, email, label) in enumerate(rows):
        if email in seen:
            local, _, domain = email.partition("@")
            email = f"{local}.{pid}@{domain}"
            rows[n] = (pid, email, label)
        seen.add(email)


# -- blocks, here or in worker processes --------------------------------------------------
_PLAN: Plan | None = None


def _start_worker(plan: Plan) -> None:
    global _PLAN
    _PLAN = plan


def _worker_block(block: int, names: list[PersonName]) -> dict[str, list[tuple[Any, ...]]]:
    assert _PLAN is not None
    with _no_gc():
        return generate_block(_PLAN, block, names)


@contextmanager
def _no_gc() -> Iterator[None]:
    """Millions of short-lived acyclic tuples: the cycle collector only costs time (~10%) here."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _blocks(plan: Plan, workers: int | None) -> Iterator[dict[str, list[tuple[Any, ...]]]]:
    """The blocks in order; a few ahead at most, so memory stays flat. Their people's names are drawn here,
    block after block, so that nobody in the network is called like another."""
    book = NameBook(plan.names_rng())

    def names(block: int) -> list[PersonName]:
        return book.next_names(len(plan.block_ids(block)))

    if workers is None:
        # One per CPU: this process inserts while they generate, and both keep a core busy.
        workers = min(4, os.cpu_count() or 1) if plan.blocks > 1 else 0
    if workers == 0:
        for block in range(plan.blocks):
            with _no_gc():
                rows = generate_block(plan, block, names(block))
            yield rows
        return
    import multiprocessing
    from concurrent.futures import Future, ProcessPoolExecutor

    # spawn: workers start clean (no inherited database handle or threads).
    context = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(plan,)) as pool:
        pending: list[Future[dict[str, list[tuple[Any, ...]]]]] = []
        submitted = 0
        while submitted < plan.blocks or pending:
            while submitted < plan.blocks and len(pending) < workers + 1:
                pending.append(pool.submit(_worker_block, submitted, names(submitted)))
                submitted += 1
            yield pending.pop(0).result()
