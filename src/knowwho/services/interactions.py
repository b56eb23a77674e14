"""Interactions: logging conversations, notes, and keeping derived stats fresh."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime
from itertools import groupby
from operator import itemgetter

from knowwho.clock import to_stamp
from knowwho.errors import InvalidInput
from knowwho.services import tie_strength
from knowwho.services.context import ServiceContext
from knowwho.storage import bulk_import, tie_weights
from knowwho.storage import interactions as interaction_store
from knowwho.storage import people as people_store
from knowwho.storage.records import InteractionRecord, NoteRecord
from knowwho.wording import with_article

KINDS = (
    "email", "call", "message", "meeting", "coffee", "interview",
    "informational-interview", "event", "intro",
)  # fmt: skip
DIRECTIONS = ("in", "out", "mutual")
# Conversations held together rather than sent one way.
_MUTUAL_BY_DEFAULT = {"meeting", "coffee", "interview", "informational-interview", "event", "call"}
_KIND_ALIASES = {"info": "informational-interview", "informational": "informational-interview", "chat": "message",
                 "sms": "message", "text": "message", "phone": "call", "meet": "meeting"}  # fmt: skip
_DIRECTION_ALIASES = {"inbound": "in", "outbound": "out", "both": "mutual", "received": "in", "sent": "out"}


def check_kind(kind: str) -> str:
    value = kind.strip().lower()
    value = _KIND_ALIASES.get(value, value)
    if value not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r}: use one of {', '.join(KINDS)}")
    return value


def check_direction(direction: str | None, kind: str) -> str:
    if direction is None:
        return "mutual" if kind in _MUTUAL_BY_DEFAULT else "out"
    value = direction.strip().lower()
    value = _DIRECTION_ALIASES.get(value, value)
    if value not in DIRECTIONS:
        raise InvalidInput(f"unknown direction {direction!r}: use in, out or mutual")
    return value


class InteractionService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def log(
        self,
        person_ids: list[int],
        *,
        kind: str,
        direction: str | None = None,
        when: datetime | None = None,
        note: str = "",
        subject: str = "",
        channel: str = "",
    ) -> InteractionRecord:
        if not person_ids:
            raise InvalidInput("an interaction needs at least one person")
        kind = check_kind(kind)
        direction = check_direction(direction, kind)
        moment = when or self.ctx.now()
        if moment > self.ctx.now() and (moment - self.ctx.now()).days > 0:
            raise InvalidInput("an interaction cannot be in the future; use `followup` to plan one")
        now = self.ctx.now_stamp()
        with self.ctx.change(f"logged {with_article(kind)}") as conn:
            interaction_id = interaction_store.insert(
                conn, occurred_at=to_stamp(moment), kind=kind, direction=direction,
                participant_ids=person_ids, now=now, subject=subject, notes=note, channel=channel,
            )  # fmt: skip
            refresh_people(conn, person_ids, now_julian=tie_strength.julian(now))
            names = people_store.get_many(conn, person_ids)
            self.ctx.describe_change(f"logged {with_article(kind)} with {', '.join(p.display_name for p in names)}")
        found = interaction_store.get(self.ctx.db.conn, interaction_id)
        assert found is not None
        return found

    def for_person(self, person_id: int, *, limit: int = 50, offset: int = 0) -> list[InteractionRecord]:
        return interaction_store.for_person(self.ctx.db.conn, person_id, limit=limit, offset=offset)

    def add_note(self, person_id: int, body: str) -> NoteRecord:
        if not body.strip():
            raise InvalidInput("the note is empty")
        now = self.ctx.now_stamp()
        names = people_store.get_many(self.ctx.db.conn, [person_id])
        who = names[0].display_name if names else f"#{person_id}"
        with self.ctx.change(f"added a note on {who}") as conn:
            note_id = interaction_store.insert_note(conn, body=body.strip(), now=now, person_id=person_id)
        return NoteRecord(id=note_id, body=body.strip(), created_at=now, person_id=person_id)

    def notes_for(self, person_id: int) -> list[NoteRecord]:
        return interaction_store.notes_for_person(self.ctx.db.conn, person_id)

    def tie_strength_of(self, person_id: int, closeness: int | None) -> tie_strength.TieStrength:
        conn = self.ctx.db.conn
        rows = [(k, d, at) for k, d, _c, at in interaction_store.kind_times(conn, person_id)]
        return tie_strength.compute(
            rows, now_julian=tie_strength.julian(self.ctx.now_stamp()),
            knows_count=interaction_store.knows_count(conn, person_id), closeness=closeness,
        )  # fmt: skip


def score_person(
    conn: sqlite3.Connection, person_id: int, *, now_julian: float, closeness: int | None
) -> tie_strength.TieStrength:
    """One person's tie strength and its parts, with the user's calibrated weights (if any)."""
    return tie_strength.compute(
        interaction_store.tie_rows(conn, person_id), now_julian=now_julian,
        knows_count=interaction_store.knows_count(conn, person_id), closeness=closeness,
        weights=tie_weights.get(conn),
    )  # fmt: skip


def refresh_people(conn: sqlite3.Connection, person_ids: Iterable[int], *, now_julian: float) -> None:
    """Recompute the derived stats and tie strength of these people (after a change)."""
    ids = list(dict.fromkeys(person_ids))
    people_store.refresh_stats(conn, ids)
    weights = tie_weights.get(conn)
    values = []
    for person in people_store.get_many(conn, ids):
        score = tie_strength.compute(
            interaction_store.tie_rows(conn, person.id), now_julian=now_julian,
            knows_count=interaction_store.knows_count(conn, person.id), closeness=person.closeness, weights=weights,
        ).score  # fmt: skip
        values.append((score, person.id))
    people_store.set_tie_strengths(conn, values)


def refresh_many(conn: sqlite3.Connection, person_ids: Iterable[int], *, now_julian: float) -> None:
    """`refresh_people` for many people at once (after an import): the same results from three grouped queries."""
    ids = list(dict.fromkeys(person_ids))
    if not ids:
        return
    people_store.refresh_stats(conn, ids)
    facts = bulk_import.closeness_and_knows(conn, ids)
    weights = tie_weights.get(conn)
    tallies = {pid: tie_strength.Tally(now_julian) for pid in facts}
    for person_id, kind, direction, occurred_at, participants in bulk_import.kind_times(conn, ids):
        tallies[person_id].add(kind, direction, occurred_at, participants)
    values = []
    for person_id, (closeness, knows) in facts.items():
        score = tallies[person_id].result(knows_count=knows, closeness=closeness, weights=weights)
        values.append((score.score, person_id))
    people_store.set_tie_strengths(conn, values)


def refresh_everyone(conn: sqlite3.Connection, *, now_julian: float) -> None:
    """The bulk form of `refresh_people`, after an import, the demo or a calibration."""
    people_store.refresh_all_stats(conn)
    knows = interaction_store.all_knows_counts(conn)
    closeness = people_store.all_closeness(conn)
    weights = tie_weights.get(conn)
    groups = interaction_store.group_sizes(conn, more_than=tie_strength.GROUP_SIZE)
    values = []
    for person_id, rows in groupby(interaction_store.all_kind_times(conn), key=itemgetter(0)):
        tally = tie_strength.Tally(now_julian)
        add = tally.add_at
        for _p, kind, direction, at, interaction_id in rows:
            add(kind, direction, at, groups.get(interaction_id, 1) if groups else 1)
        score = tally.result(knows_count=knows.get(person_id, 0), closeness=closeness.get(person_id), weights=weights)
        values.append((score.score, person_id))
    people_store.set_tie_strengths(conn, values)
