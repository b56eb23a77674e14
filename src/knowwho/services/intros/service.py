"""Introductions: suggestions, and the double opt-in from suggested to made.

Double opt-in: the user asks each side first, and introduces them only when
both said yes. Each step is one undoable change; "made" logs an intro with
both, a "gave" entry in the ledger with each, and that they now know each other.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass

from knowwho.errors import InvalidInput, NotFound
from knowwho.services import meaning
from knowwho.services.context import ServiceContext
from knowwho.services.drafts import introduction_asks
from knowwho.services.intros import kept
from knowwho.services.intros.suggestions import Suggestion, suggest, why_none
from knowwho.services.normalize import greeting_name
from knowwho.storage import access as settings_store
from knowwho.storage import intros as store
from knowwho.storage.intros import IntroRow

STAGES = ("suggested", "asked-a", "asked-b", "made", "declined")
_STAGE_WORDS = {
    "suggested": "noted", "asked-a": "asked {a} about", "asked-b": "asked {b} about",
    "made": "made", "declined": "marked declined",
}  # fmt: skip
CACHED = 20  # suggestions kept for today's list
LIVE_UP_TO = (
    2_000  # people; beyond this only `knowwho intros` computes them (seconds at 100,000), so the page stays fast
)


@dataclass(frozen=True, slots=True)
class Introduction(IntroRow):
    """An introduction as stored, with the messages to send."""

    drafts: dict[str, str]  # the message asking each side (a, b), and the introduction itself

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def made_text(a: str, b: str, reason: str) -> str:
    """The introduction itself, to both, once both said yes."""
    why = reason.strip()
    said = f" {why[:1].upper()}{why[1:]}." if why else ""
    first_a, first_b = (greeting_name("", name) for name in (a, b))
    return f"{first_a}, meet {b}; {first_b}, meet {a}.{said} I'll let you two take it from here."


class IntroService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- suggestions ---------------------------------------------------------------------
    def suggestions(self, *, limit: int = 10, include_dormant: bool = False) -> list[Suggestion]:
        """The best introductions to make, best first; the first few are kept for today's list and the page."""
        found = suggest(
            self.ctx.db.conn, today=self.ctx.today(), limit=max(limit, CACHED), include_dormant=include_dormant
        )
        if include_dormant:  # a look past the usual list: today's list keeps the usual one
            return found[:limit]
        payload = {"computed_on": self.ctx.today().isoformat(), "items": [s.to_dict() for s in found[:CACHED]]}
        with self.ctx.db.transaction() as conn:  # a pure cache, not a change of the user's
            settings_store.set_setting(conn, settings_store.INTRO_SUGGESTIONS_KEY, json.dumps(payload))
            meaning.keep(conn)  # the vectors of new texts, so the next run need not load the model for them
        return found[:limit]

    def why_none(self) -> str:
        """Why there is no suggestion, and what would bring some."""
        return why_none(self.ctx.db.conn, today=self.ctx.today())

    @staticmethod
    def matched_by() -> str:
        """How texts are matched: by meaning and words, or by words alone (no embedding model installed)."""
        return meaning.method()

    def current(self, *, limit: int = 10) -> list[Suggestion]:
        """Suggestions for the Introductions page, without writing: computed on a small network,
        else those `knowwho intros` kept (seconds at 100,000 people would slow the page down)."""
        if store.highest_person_id(self.ctx.db.conn) <= LIVE_UP_TO:
            return suggest(self.ctx.db.conn, today=self.ctx.today(), limit=limit)
        return self.last_suggestions()[1][:limit]

    def last_suggestions(self) -> tuple[str | None, list[Suggestion]]:
        """The suggestions of the last run, without pairs since introduced, linked or removed."""
        return kept.last_suggestions(self.ctx.db.conn)

    # -- the double opt-in ---------------------------------------------------------------
    def introduce(self, a: int, b: int, *, note: str = "") -> Introduction:
        """Start an introduction (stage suggested), with the messages asking each side."""
        if a == b:
            raise InvalidInput("an introduction needs two different people")
        first, second = self._person(a), self._person(b)
        existing = store.intro_between(self.ctx.db.conn, a, b)
        if existing is not None:
            said = f"{first} and {second} already have introduction #{existing.id} ({existing.stage})"
            raise InvalidInput(f"{said}; move it on with `knowwho intro {existing.id} --stage S`",
                               plain=f"{said}; move that one on instead")  # fmt: skip
        reason = note.strip() or self.reason_for(a, b)
        with self.ctx.change(f"suggested introducing {first} to {second}") as conn:
            intro_id = store.insert_intro(conn, a, b, reason=reason, stage="suggested", now=self.ctx.now_stamp())
        return self.get(intro_id)

    def set_stage(self, intro_id: int, stage: str) -> Introduction:
        stage = stage.strip().lower().replace("_", "-").replace(" ", "-")
        stage = {"asked": "asked-a", "asked-1": "asked-a", "asked-2": "asked-b", "done": "made"}.get(stage, stage)
        if stage not in STAGES:
            raise InvalidInput(f"unknown stage {stage!r}: use one of {', '.join(STAGES)}")
        intro = self._row(intro_id)
        if intro.stage == "made":
            raise InvalidInput(
                f"introduction #{intro_id} was made on {intro.made_on}; `knowwho undo` reverses that if it was a mistake"
            )
        if intro.stage == stage:
            raise InvalidInput(f"introduction #{intro_id} is already at stage {stage}")
        words = _STAGE_WORDS[stage].format(a=intro.person_a, b=intro.person_b)
        what = f"{words} the introduction of {intro.person_a} and {intro.person_b}"
        now = self.ctx.now_stamp()
        with self.ctx.change(what) as conn:
            store.set_stage(
                conn, intro_id, stage, now=now, made_on=self.ctx.today().isoformat() if stage == "made" else None
            )
            if stage == "made":
                self._made(conn, intro, now)
        return self.get(intro_id)

    def _made(self, conn: sqlite3.Connection, intro: IntroRow, now: str) -> None:
        from knowwho.services import tie_strength
        from knowwho.services.interactions import refresh_people
        from knowwho.storage import interactions as interaction_store
        from knowwho.storage import ledger as ledger_store
        from knowwho.storage import provenance as provenance_store

        pair = [intro.person_a_id, intro.person_b_id]
        interaction_store.insert(
            conn, occurred_at=now, kind="intro", direction="out", participant_ids=pair, now=now,
            subject=f"introduced {intro.person_a} and {intro.person_b}", notes=intro.reason,
        )  # fmt: skip
        for pid, other in ((intro.person_a_id, intro.person_b), (intro.person_b_id, intro.person_a)):
            ledger_store.insert(
                conn, person_id=pid, direction="gave", what="intro", note=f"introduced to {other}",
                on=self.ctx.today().isoformat(), now=now,
            )  # fmt: skip
        provenance_store.add_knows(conn, *pair, source="introduced", confidence=1.0, note=intro.reason, now=now)
        refresh_people(conn, pair, now_julian=tie_strength.julian(now))

    # -- reading -------------------------------------------------------------------------
    def get(self, intro_id: int) -> Introduction:
        return self._introduction(self._row(intro_id))

    def listing(self, *, open_only: bool = True) -> list[Introduction]:
        return [self._introduction(r) for r in store.intros(self.ctx.db.conn, open_only=open_only)]

    def _row(self, intro_id: int) -> IntroRow:
        row = store.get_intro(self.ctx.db.conn, intro_id)
        if row is None:
            raise NotFound(
                f"no introduction #{intro_id}; `knowwho intro --list` shows them", plain=f"no introduction #{intro_id}"
            )
        return row

    def _person(self, person_id: int) -> str:
        from knowwho.services.people import PeopleService

        return PeopleService(self.ctx).name_of(person_id)

    def _introduction(self, row: IntroRow) -> Introduction:
        """The introduction with its messages: the double opt-in asks today's list drafts too, and the intro."""
        ask_a, ask_b = introduction_asks(self.ctx, row.person_a_id, row.person_b_id, row.reason)
        texts = {"a": ask_a.body, "b": ask_b.body, "made": made_text(row.person_a, row.person_b, row.reason)}
        return Introduction(**{**asdict(row), "drafts": texts})

    def reason_for(self, a: int, b: int) -> str:
        """The reason a suggestion gave for this pair, when it was one."""
        _on, found = self.last_suggestions()
        for s in found:
            if {s.person_a_id, s.person_b_id} == {a, b}:
                return s.reason
        pair = suggest(self.ctx.db.conn, today=self.ctx.today(), limit=1, only={a, b})
        return pair[0].reason if pair else ""
