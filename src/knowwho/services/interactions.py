"""Interactions: logging conversations, notes, and keeping derived stats fresh."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from datetime import datetime
from itertools import groupby
from operator import itemgetter

from knowwho.clock import to_stamp
from knowwho.errors import InvalidInput, NotFound
from knowwho.services import tie_strength
from knowwho.services.context import ServiceContext
from knowwho.storage import bulk_import, tie_weights
from knowwho.storage import interactions as interaction_store
from knowwho.storage import organizations as org_store
from knowwho.storage import people as people_store
from knowwho.storage.records import InteractionRecord, NoteRecord
from knowwho.wording import with_article

KINDS = (
    "email", "call", "message", "meeting", "coffee", "interview",
    "informational-interview", "event", "intro",
)  # fmt: skip
DIRECTIONS = ("in", "out", "mutual")
# The channel of a call that did not take place (missed, or a voicemail left): the one call that owes a call back.
MISSED = "missed"
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


def _described(conn: sqlite3.Connection, interaction: InteractionRecord) -> str:
    """'the coffee with Ana Lima on 2026-11-02', to say in the history what was fixed."""
    names = ", ".join(p.display_name for p in people_store.get_many(conn, interaction.participant_ids))
    return f"the {interaction.kind} with {names or 'nobody'} on {interaction.occurred_at[:10]}"


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
        opportunity_id: int | None = None,
        missed: bool = False,
    ) -> InteractionRecord:
        """Log a conversation; `missed`: a call they made that did not reach the user (a voicemail too),
        which, unlike a call held, owes them a call back."""
        if not person_ids:
            raise InvalidInput("an interaction needs at least one person")
        kind = check_kind(kind)
        if missed:
            if kind != "call" or direction not in (None, "in"):
                raise InvalidInput("missed: only a call they made to you is missed (kind call, direction in)")
            direction, channel = "in", MISSED
        direction = check_direction(direction, kind)
        moment = when or self.ctx.now()
        self._check_when(moment)
        now = self.ctx.now_stamp()
        with self.ctx.change(f"logged {with_article(kind)}") as conn:
            interaction_id = interaction_store.insert(
                conn, occurred_at=to_stamp(moment), kind=kind, direction=direction,
                participant_ids=person_ids, now=now, subject=subject, notes=note, channel=channel,
                opportunity_id=opportunity_id,
            )  # fmt: skip
            bulk_import.mark_contacts(conn, person_ids, now)  # known through others until you talk
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

    # -- fixing the history: each fix is one undoable change, and moves the derived stats with it --
    def get(self, interaction_id: int) -> InteractionRecord:
        found = interaction_store.get(self.ctx.db.conn, interaction_id, live=True)
        if found is None:
            raise NotFound(
                f"no conversation #{interaction_id} (`knowwho show PERSON` numbers them)",
                plain=f"no conversation #{interaction_id}",
            )
        return found

    def edit(
        self,
        interaction_id: int,
        *,
        kind: str | None = None,
        direction: str | None = None,
        when: datetime | None = None,
        note: str | None = None,
        subject: str | None = None,
    ) -> InteractionRecord:
        """Correct a logged conversation; what is None stays as it was."""
        before = self.get(interaction_id)
        fields: dict[str, str] = {}
        if kind is not None:
            fields["kind"] = check_kind(kind)
        if direction is not None:
            fields["direction"] = check_direction(direction, fields.get("kind", before.kind))
        if when is not None:
            self._check_when(when)
            fields["occurred_at"] = to_stamp(when)
        if note is not None:
            fields["notes"] = note.strip()
        if subject is not None:
            fields["subject"] = subject.strip()
        fields = {k: v for k, v in fields.items() if v != getattr(before, k)}  # columns named as the record
        if not fields:
            return before
        with self.ctx.change(f"edited {_described(self.ctx.db.conn, before)}") as conn:
            interaction_store.update(conn, interaction_id, **fields)
            refresh_people(conn, before.participant_ids, now_julian=tie_strength.julian(self.ctx.now_stamp()))
        return self.get(interaction_id)

    def remove(self, interaction_id: int) -> InteractionRecord:
        """Delete a logged conversation (kept aside: `knowwho undo` brings it back)."""
        before = self.get(interaction_id)
        now = self.ctx.now_stamp()
        with self.ctx.change(f"deleted {_described(self.ctx.db.conn, before)}") as conn:
            interaction_store.set_deleted(conn, interaction_id, now)
            refresh_people(conn, before.participant_ids, now_julian=tie_strength.julian(now))
        return before

    def get_note(self, note_id: int) -> NoteRecord:
        found = interaction_store.get_note(self.ctx.db.conn, note_id)
        if found is None:
            raise NotFound(f"no note #{note_id} (`knowwho show PERSON` numbers them)", plain=f"no note #{note_id}")
        return found

    def edit_note(self, note_id: int, body: str, *, person_id: int | None = None) -> NoteRecord:
        """Rewrite a note; with `person_id`, only a note on that person."""
        before = self._note_of(note_id, person_id)
        text = body.strip()
        if not text:
            raise InvalidInput("the note is empty; to remove it, delete it")
        if text != before.body:
            with self.ctx.change(f"edited a note on {self._note_owner(before)}") as conn:
                interaction_store.update_note(conn, note_id, text)
        return self.get_note(note_id)

    def remove_note(self, note_id: int, *, person_id: int | None = None) -> NoteRecord:
        before = self._note_of(note_id, person_id)
        with self.ctx.change(f"deleted a note on {self._note_owner(before)}") as conn:
            interaction_store.delete_note(conn, note_id)
        return before

    def _note_of(self, note_id: int, person_id: int | None) -> NoteRecord:
        note = self.get_note(note_id)
        if person_id is not None and note.person_id != person_id:
            who = people_store.get_many(self.ctx.db.conn, [person_id])
            raise InvalidInput(f"note #{note_id} is not on {who[0].display_name if who else f'#{person_id}'}")
        return note

    def _note_owner(self, note: NoteRecord) -> str:
        conn = self.ctx.db.conn
        if note.person_id is not None:
            found = people_store.get_many(conn, [note.person_id])
            return found[0].display_name if found else f"#{note.person_id}"
        org = org_store.get(conn, note.organization_id) if note.organization_id is not None else None
        return org.name if org else "an organization"

    def _check_when(self, moment: datetime) -> None:
        self.ctx.checked_day(moment.date(), "the date")
        if moment > self.ctx.now() and (moment - self.ctx.now()).days > 0:
            raise InvalidInput("an interaction cannot be in the future; use `followup` to plan one")


def score_person(
    conn: sqlite3.Connection,
    person_id: int,
    *,
    now_julian: float,
    closeness: int | None,
    rows: list[tuple[str, str, str, int]] | None = None,
) -> tie_strength.TieStrength:
    """One person's tie strength and its parts, with the user's calibrated weights (if any).

    `rows`: the person's live interactions as `tie_rows` reads them, when the caller has them all already."""
    return tie_strength.compute(
        interaction_store.tie_rows(conn, person_id) if rows is None else rows, now_julian=now_julian,
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
