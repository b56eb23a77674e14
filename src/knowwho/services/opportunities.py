"""Opportunities: a role at an organization moved through stages, with the people in it.

Interviewing is networking: every interview is logged with its people, and a
rejection or a withdrawal plans getting back in touch months later (today's
re-engage action reads the date set here).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from knowwho.clock import from_stamp, local_date
from knowwho.errors import InvalidInput, NotFound
from knowwho.services.context import ServiceContext
from knowwho.services.people import ensure_organization
from knowwho.storage import interactions as interaction_store
from knowwho.storage import opportunities as store
from knowwho.storage import people as people_store
from knowwho.storage.opportunities import Member
from knowwho.storage.records import InteractionRecord, OpportunityRecord

STAGES = ("exploring", "applied", "interviewing", "offer", "accepted", "rejected", "withdrawn")
CLOSED = ("accepted", "rejected", "withdrawn")
PARTS = ("referrer", "recruiter", "interviewer", "hiring-manager", "contact")
REENGAGE_DAYS = 180  # six months after a rejection or a withdrawal
# The moves a board card offers, one click each: forward, or out.
NEXT_STAGES = {
    "exploring": ("applied", "withdrawn"),
    "applied": ("interviewing", "rejected", "withdrawn"),
    "interviewing": ("offer", "rejected", "withdrawn"),
    "offer": ("accepted", "withdrawn"),
    "accepted": (),
    "rejected": ("exploring",),
    "withdrawn": ("exploring",),
}
_PART_ALIASES = {"hiring manager": "hiring-manager", "manager": "hiring-manager", "hm": "hiring-manager",
                 "referral": "referrer", "interview": "interviewer", "recruiting": "recruiter"}  # fmt: skip


def check_stage(stage: str) -> str:
    value = stage.strip().lower()
    if value not in STAGES:
        raise InvalidInput(f"unknown stage {stage!r}: use one of {', '.join(STAGES)}")
    return value


def check_part(part: str) -> str:
    value = part.strip().lower().replace("_", "-")
    value = _PART_ALIASES.get(value, value)
    if value not in PARTS:
        raise InvalidInput(f"unknown part {part!r}: use one of {', '.join(PARTS)}")
    return value


@dataclass(frozen=True, slots=True)
class Card:
    """One opportunity as the board and `opp list` show it: its people and what to do next."""

    opportunity: OpportunityRecord
    people: list[Member]
    next_action: str

    @property
    def title(self) -> str:
        return " at ".join(x for x in (self.opportunity.role_title, self.opportunity.organization) if x)

    @property
    def moves(self) -> tuple[str, ...]:
        return NEXT_STAGES[self.opportunity.stage]

    def to_dict(self) -> dict[str, object]:
        o = self.opportunity
        return {
            "id": o.id, "organization": o.organization, "organization_id": o.organization_id,
            "role": o.role_title, "link": o.link, "stage": o.stage, "opened_on": o.opened_on,
            "closed_on": o.closed_on, "reengage_on": o.reengage_on, "reengaged_at": o.reengaged_at,
            "people": [{"id": m.person_id, "name": m.name, "part": m.part} for m in self.people],
            "next_action": self.next_action, "moves": list(self.moves),
        }  # fmt: skip


@dataclass(frozen=True, slots=True)
class Column:
    stage: str
    cards: list[Card]


@dataclass(frozen=True, slots=True)
class OpportunityDetail:
    card: Card
    interactions: list[InteractionRecord]
    names: dict[int, str]  # the people of those conversations


def next_action(o: OpportunityRecord, people: list[Member], today: date) -> str:
    """What to do next for an opportunity, in a few words (a pure function of its stage and people)."""
    by_part = {m.part: m.name for m in reversed(people)}
    first = people[0].name if people else ""
    if o.stage == "exploring":
        who = by_part.get("referrer") or first
        return f"ask {who} about the role, or for a referral" if who else "find someone there: knowwho path ORG"
    if o.stage == "applied":
        who = by_part.get("recruiter") or by_part.get("referrer") or ""
        return f"check in with {who} if nothing comes in a week" if who else "wait for an answer; note who replies"
    if o.stage == "interviewing":
        return "prepare each interview (a brief on who you will meet); thank them the next day"
    if o.stage == "offer":
        return "decide; thank " + (by_part.get("referrer") or "those who helped")
    if o.stage == "accepted":
        return "thank everyone who helped, and tell them where you landed"
    if o.reengaged_at:
        return f"re-engaged on {o.reengaged_at[:10]}"
    if o.reengage_on:
        when = "today" if o.reengage_on <= today.isoformat() else f"on {o.reengage_on}"
        return f"get back in touch {when}, with what you have done since"
    return "stay in touch"


class OpportunityService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    # -- reading ---------------------------------------------------------------------
    def get(self, opportunity_id: int) -> OpportunityRecord:
        found = store.get(self.ctx.db.conn, opportunity_id)
        if found is None:
            raise NotFound(
                f"no opportunity #{opportunity_id} (`knowwho opp list` numbers them)",
                plain=f"no opportunity #{opportunity_id}",
            )
        return found

    def cards(self) -> list[Card]:
        """Every opportunity, the latest moved first: one data function for `opp list`, the board and the API."""
        conn = self.ctx.db.conn
        found = store.list_all(conn)
        people = store.members(conn, [o.id for o in found])
        today = self.ctx.today()
        return [Card(o, people[o.id], next_action(o, people[o.id], today)) for o in found]

    def board(self) -> list[Column]:
        cards = self.cards()
        return [Column(stage, [c for c in cards if c.opportunity.stage == stage]) for stage in STAGES]

    def card(self, opportunity_id: int) -> Card:
        o = self.get(opportunity_id)
        people = store.members(self.ctx.db.conn, [o.id])[o.id]
        return Card(o, people, next_action(o, people, self.ctx.today()))

    def detail(self, opportunity_id: int) -> OpportunityDetail:
        card = self.card(opportunity_id)
        conn = self.ctx.db.conn
        talks = [t for t in (interaction_store.get(conn, i) for i in store.interaction_ids(conn, opportunity_id)) if t]
        ids = sorted({pid for t in talks for pid in t.participant_ids})
        names = {p.id: p.display_name for p in people_store.get_many(conn, ids)}
        return OpportunityDetail(card, talks, names)

    # -- writing ---------------------------------------------------------------------
    def add(self, organization: str, role: str, *, people: list[tuple[int, str]] | None = None, link: str = "") -> Card:
        """A new opportunity, exploring, with its people and their parts; one undoable change."""
        if not organization.strip():
            raise InvalidInput("an opportunity needs an organization")
        if not role.strip():
            raise InvalidInput("an opportunity needs a role, e.g. 'Data scientist'")
        link = link.strip()
        if link and not link.lower().startswith(("https://", "http://")):
            raise InvalidInput(f"link: {link!r} is not a web address (https://...)")
        parts = [(pid, check_part(part)) for pid, part in people or []]
        for pid, _part in parts:
            self._person(pid)
        now = self.ctx.now_stamp()
        with self.ctx.change(f"added the opportunity {role.strip()} at {organization.strip()}") as conn:
            org_id = ensure_organization(conn, organization, now)
            oid = store.insert(
                conn, organization_id=org_id, role_title=role.strip(), link=link, stage="exploring",
                opened_on=self.ctx.today().isoformat(), now=now,
            )  # fmt: skip
            for pid, part in parts:
                store.add_member(conn, oid, pid, part)
        return self.card(oid)

    def add_person(self, opportunity_id: int, person_id: int, part: str) -> Card:
        o, person, part = self.get(opportunity_id), self._person(person_id), check_part(part)
        with self.ctx.change(f"added {person} as {part} on {_title(o)}") as conn:
            store.add_member(conn, opportunity_id, person_id, part)
        return self.card(opportunity_id)

    def move(
        self, opportunity_id: int, stage: str, *, on: date | None = None, reengage_days: int | None = None
    ) -> Card:
        """Move to a stage. A rejection or a withdrawal plans re-engaging `reengage_days` later (six months);
        accepted closes it; an open stage reopens it."""
        o = self.get(opportunity_id)
        stage = check_stage(stage)
        day = self.ctx.checked_day(on or self.ctx.today(), "the move's date")
        if day > self.ctx.today():
            raise InvalidInput("date: a move happens today or before, not in the future")
        if stage == o.stage and (stage not in CLOSED or on is None or o.closed_on == day.isoformat()):
            # Said, not done silently: logging an interview, say, already moved it there.
            raise InvalidInput(f"{_title(o)} is already {stage}; nothing to move")
        if reengage_days is not None and stage not in ("rejected", "withdrawn"):
            raise InvalidInput("reengage: getting back in touch goes with a move to rejected or withdrawn")
        if reengage_days is not None and reengage_days <= 0:
            raise InvalidInput("reengage: give a positive duration, e.g. 4m or 90d")
        closed_on = day.isoformat() if stage in CLOSED else None
        reengage_on = None
        if stage in ("rejected", "withdrawn"):
            reengage_on = (day + timedelta(days=reengage_days or REENGAGE_DAYS)).isoformat()
        outcome = stage if stage in CLOSED else ""
        on_day = f" on {day.isoformat()}" if on is not None else ""
        with self.ctx.change(f"moved {_title(o)} to {stage}{on_day}") as conn:
            store.set_stage(
                conn, opportunity_id, stage=stage, closed_on=closed_on, reengage_on=reengage_on, outcome=outcome,
                now=self.ctx.now_stamp(),
            )  # fmt: skip
            _open_by(conn, o, day)
        return self.card(opportunity_id)

    def log(
        self,
        opportunity_id: int,
        person_ids: list[int],
        *,
        kind: str,
        direction: str | None = None,
        when: datetime | None = None,
        note: str = "",
        subject: str = "",
    ) -> InteractionRecord:
        """A conversation about an opportunity, in one change: an interview adds its people as interviewers
        (unless they already have a part) and moves an opportunity not yet interviewing to interviewing."""
        from knowwho.services.interactions import InteractionService, check_kind

        o = self.get(opportunity_id)
        kind = check_kind(kind)
        with self.ctx.change(f"logged {kind} for {_title(o)}") as conn:
            done = InteractionService(self.ctx).log(
                person_ids, kind=kind, direction=direction, when=when, note=note, subject=subject,
                opportunity_id=opportunity_id,
            )  # fmt: skip
            moved = ""
            if kind == "interview":
                known = {m.person_id for m in store.members(conn, [opportunity_id])[opportunity_id]}
                for pid in person_ids:
                    if pid not in known:
                        store.add_member(conn, opportunity_id, pid, "interviewer")
                if o.stage in ("exploring", "applied"):
                    store.set_stage(
                        conn, opportunity_id, stage="interviewing", closed_on=None, reengage_on=None, outcome="",
                        now=self.ctx.now_stamp(),
                    )  # fmt: skip
                    moved = f", moving it from {o.stage} to interviewing"  # so that its undo says it moves back
            _open_by(conn, o, local_date(from_stamp(done.occurred_at)))
            names = ", ".join(p.display_name for p in people_store.get_many(conn, person_ids))
            self.ctx.describe_change(f"logged {_an(kind)} with {names} for {_title(o)}{moved}")
        return done

    def _person(self, person_id: int) -> str:
        from knowwho.services.people import PeopleService

        return PeopleService(self.ctx).name_of(person_id)


def _open_by(conn: sqlite3.Connection, o: OpportunityRecord, day: date) -> None:
    """An opportunity was open by the day anything happened in it: never closed before it opened."""
    if o.opened_on is None or day.isoformat() < o.opened_on:
        store.set_opened_on(conn, o.id, day.isoformat())


def _title(o: OpportunityRecord) -> str:
    return " at ".join(x for x in (o.role_title, o.organization) if x) or f"opportunity #{o.id}"


def _an(kind: str) -> str:
    from knowwho.wording import with_article

    return with_article(kind)
