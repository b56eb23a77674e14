"""Leads: people a contact sent the user to, and the notes of an informational interview that name them.

A referral is remembered on both people (the lead's "how met", and a knows
edge from the referrer), and plans reaching out to the lead, mentioning the
referrer, three days later. After an informational interview its notes are
kept in a readable, searchable form, each "talk to next" name becomes a lead,
and an update to the person is planned for six weeks later.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from knowwho.errors import InvalidInput, NotFound
from knowwho.services.context import ServiceContext
from knowwho.storage import followups as followup_store
from knowwho.storage import outreach as store
from knowwho.storage import people as people_store
from knowwho.storage.outreach import Referral
from knowwho.storage.records import InteractionRecord, PersonRecord

LEAD_DAYS = 3  # reach out to a lead three days after hearing of them
UPDATE_DAYS = 42  # tell an adviser what came of their advice six weeks later
INFORMATIONAL = "informational-interview"


@dataclass(frozen=True, slots=True)
class InterviewNotes:
    """What the user noted after an informational interview."""

    did: str = ""  # what they do
    advice: str = ""
    learned: str = ""  # about the role or the field, "not for me" included
    talk_to: list[str] = field(default_factory=list)
    note: str = ""

    def is_empty(self) -> bool:
        return not (self.did or self.advice or self.learned or self.talk_to)

    def text(self) -> str:
        """Labelled lines, readable in the timeline and found by search."""
        parts = [
            (_LABELS["did"], self.did), (_LABELS["advice"], self.advice), (_LABELS["learned"], self.learned),
            (_LABELS["talk_to"], ", ".join(self.talk_to)),
        ]  # fmt: skip
        lines = [f"{label}: {value.strip()}" for label, value in parts if value.strip()]
        return "\n".join([*lines, *([self.note.strip()] if self.note.strip() else [])])

    @classmethod
    def read(cls, text: str) -> InterviewNotes:
        """The notes back from their labelled lines (what a thank-you mentions); other lines are the note."""
        found: dict[str, str] = {}
        rest: list[str] = []
        for line in text.splitlines():
            label, _, value = line.partition(": ")
            field_name = next((name for name, known in _LABELS.items() if known == label), None)
            if field_name and value.strip():
                found[field_name] = value.strip()
            elif line.strip():
                rest.append(line.strip())
        talk_to = [n.strip() for n in found.pop("talk_to", "").split(",") if n.strip()]
        return cls(**found, talk_to=talk_to, note="\n".join(rest))


_LABELS = {"did": "What they do", "advice": "Their advice", "learned": "What I learned", "talk_to": "Talk to next"}


@dataclass(frozen=True, slots=True)
class LoggedInterview:
    interaction: InteractionRecord
    leads: list[PersonRecord]
    update_due: str


class LeadService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def referrals(self, person_id: int) -> list[Referral]:
        """Who sent the user to this person, and whom this person sent the user to."""
        return store.referrals(self.ctx.db.conn, person_id)

    def add(
        self,
        name: str,
        *,
        referred_by: int,
        organization: str | None = None,
        title: str | None = None,
        emails: list[str] | None = None,
        links: list[str] | None = None,
        tags: list[str] | None = None,
        note: str | None = None,
    ) -> PersonRecord:
        """A lead someone sent the user to: one change, with the referral and a follow-up in three days."""
        from knowwho.services.people import PeopleService

        referrer = self._person(referred_by)
        with self.ctx.change(f"added {name.strip()}, referred by {referrer.display_name}") as conn:
            lead = PeopleService(self.ctx).add(
                name, emails=emails, organization=organization, title=title, links=links, tags=tags, note=note
            )
            self._refer(conn, referrer, lead)
            self.ctx.describe_change(f"added {lead.display_name}, referred by {referrer.display_name}")
        return self._person(lead.id)

    def log_informational(
        self,
        person_ids: list[int],
        notes: InterviewNotes,
        *,
        when: datetime | None = None,
        subject: str = "",
        direction: str | None = None,
    ) -> LoggedInterview:
        """Log an informational interview with its structured notes; each name to talk to next becomes a lead
        (an exact name already known is reused), and an update is planned: all in one undoable change."""
        from knowwho.services.interactions import InteractionService
        from knowwho.services.people import PeopleService

        if not person_ids:
            raise InvalidInput("log: say with whom (a name, an email or #id)")
        adviser = self._person(person_ids[0])
        names = [n.strip() for n in notes.talk_to if n.strip()]
        update_due = (self.ctx.today() + timedelta(days=UPDATE_DAYS)).isoformat()
        with self.ctx.change(f"logged an informational interview with {adviser.display_name}") as conn:
            talk = InteractionService(self.ctx).log(
                person_ids, kind=INFORMATIONAL, direction=direction, when=when, note=notes.text(), subject=subject
            )
            leads = []
            for name in names:
                known = people_store.ids_by_exact_name(conn, name)
                lead = self._person(known[0]) if len(known) == 1 else PeopleService(self.ctx).add(name)
                self._refer(conn, adviser, lead)
                leads.append(lead)
            followup_store.insert(
                conn, person_id=adviser.id, due_on=update_due, now=self.ctx.now_stamp(), interaction_id=talk.id,
                note="send an update: “I took your advice…”, and what came of it",
            )  # fmt: skip
            who = f"; {len(leads)} to talk to next" if leads else ""
            self.ctx.describe_change(f"logged an informational interview with {adviser.display_name}{who}")
        return LoggedInterview(talk, [self._person(p.id) for p in leads], update_due)

    def _refer(self, conn: sqlite3.Connection, referrer: PersonRecord, lead: PersonRecord) -> None:
        """Remember who sent the user to `lead`, and plan reaching out mentioning them."""
        if referrer.id == lead.id:
            raise InvalidInput(f"{referrer.display_name} cannot be referred by themselves")
        now = self.ctx.now_stamp()
        if not lead.how_met:
            people_store.update(conn, lead.id, now=now, how_met=f"referred by {referrer.display_name}")
        note = f"{referrer.display_name} referred you to {lead.display_name}"
        if not store.add_referral(conn, referrer.id, lead.id, note=note, now=now):
            return  # heard of them from the same person before: the follow-up is planned already
        due = (self.ctx.today() + timedelta(days=LEAD_DAYS)).isoformat()
        followup_store.insert(
            conn, person_id=lead.id, due_on=due, now=now, note=f"reach out, mentioning {referrer.display_name}"
        )

    def _person(self, person_id: int) -> PersonRecord:
        found = people_store.get(self.ctx.db.conn, person_id)
        if found is None or found.deleted_at is not None:
            raise NotFound(f"no person with id {person_id}")
        return found
