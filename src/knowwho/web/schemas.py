"""The API's shapes: what goes in (validated here) and what comes out (built from service records)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from knowwho.services.agenda import AgendaItem
from knowwho.services.duplicates import DuplicatePair
from knowwho.services.highlight import Marked
from knowwho.services.interactions import MISSED
from knowwho.services.paths.ties import Acquaintance
from knowwho.services.people import PersonDetail
from knowwho.storage.records import (
    FollowupRecord,
    InteractionRecord,
    NoteRecord,
    OrganizationRecord,
    PersonRecord,
    RoleRecord,
)

Text = Annotated[str, StringConstraints(max_length=2000)]
ShortText = Annotated[str, StringConstraints(max_length=300)]
Name = Annotated[str, StringConstraints(min_length=1, max_length=300, strip_whitespace=True)]
Closeness = Annotated[int, Field(ge=1, le=5)]
Id = Annotated[int, Field(ge=1, le=2**62)]
BIRTHDAY = "1990-03-14, 'March 14' or --03-14 without the year."


def _date_text(value: object) -> dt.date:
    """A date is sent as text: read leniently, 0 would be 1970-01-01 and true would be a day in 1970 too."""
    if isinstance(value, dt.date):  # built by a page, not sent
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValueError("use a date as YYYY-MM-DD")


Day = Annotated[dt.date, BeforeValidator(_date_text)]


class Strict(BaseModel):
    """What the API reads: only its fields, each of its own JSON type (no "3" for 3, no 0 for false)."""

    model_config = ConfigDict(extra="forbid", strict=True)


# -- out -----------------------------------------------------------------------------
class RoleOut(BaseModel):
    organization_id: int
    organization: str
    title: str
    current: bool
    start_on: str | None
    end_on: str | None

    @classmethod
    def of(cls, r: RoleRecord) -> RoleOut:
        return cls(organization_id=r.organization_id, organization=r.organization, title=r.title,
                   current=r.is_current, start_on=r.start_on, end_on=r.end_on)  # fmt: skip


class PersonOut(BaseModel):
    id: int
    name: str
    emails: list[str]
    phones: list[str]
    links: list[str]
    tags: list[str]
    location: str
    situation: str
    needs: str
    offers: str
    how_met: str
    first_met_on: str | None
    birthday: str | None = Field(description="YYYY-MM-DD, or --MM-DD when the year is unknown")
    closeness: int | None
    cadence_days: int | None
    advocate: bool
    tie_strength: float
    last_interaction_at: str | None
    roles: list[RoleOut]

    @classmethod
    def of(cls, p: PersonRecord) -> PersonOut:
        return cls(
            id=p.id, name=p.display_name, emails=p.emails, phones=p.phones, links=p.links, tags=p.tags,
            location=p.location, situation=p.situation, needs=p.needs, offers=p.offers, how_met=p.how_met,
            first_met_on=p.first_met_on, birthday=p.birthday, closeness=p.closeness, cadence_days=p.cadence_days,
            advocate=p.is_advocate, tie_strength=p.tie_strength, last_interaction_at=p.last_interaction_at,
            roles=[RoleOut.of(r) for r in p.roles],
        )  # fmt: skip


class InteractionOut(BaseModel):
    id: int
    at: str
    kind: str
    direction: str
    subject: str
    notes: str
    people: list[int]
    missed: bool = Field(description="A call of theirs that did not reach you: a call back is owed")

    @classmethod
    def of(cls, i: InteractionRecord) -> InteractionOut:
        return cls(id=i.id, at=i.occurred_at, kind=i.kind, direction=i.direction, subject=i.subject,
                   notes=i.notes, people=i.participant_ids, missed=i.channel == MISSED)  # fmt: skip


class ConversationOut(BaseModel):
    """A conversation as a brief or an opportunity lists it."""

    id: int
    at: str
    kind: str
    subject: str
    notes: str


class NoteOut(BaseModel):
    id: int
    at: str
    body: str

    @classmethod
    def of(cls, n: NoteRecord) -> NoteOut:
        return cls(id=n.id, at=n.created_at, body=n.body)


class FollowupOut(BaseModel):
    id: int
    person_id: int | None
    due_on: str
    note: str
    kind: str
    status: str

    @classmethod
    def of(cls, f: FollowupRecord) -> FollowupOut:
        return cls(id=f.id, person_id=f.person_id, due_on=f.due_on, note=f.note, kind=f.kind, status=f.status)


class TieOut(BaseModel):
    score: float
    tier: str
    parts: dict[str, float]


class AcquaintanceOut(BaseModel):
    person_id: int
    name: str
    how: str = Field(description="In words: 'colleague at Acme 2019–2021', 'on the same mail thread'")
    source: str = Field(description="me, colleague, mail-co-recipient, same-event, introduced, same-organization")
    confidence: float = Field(description="How surely they know each other, 0..1")


class PersonDetailOut(PersonOut):
    tie: TieOut
    interactions: list[InteractionOut]
    notes_list: list[NoteOut]
    followups: list[FollowupOut]
    knows: list[AcquaintanceOut] = Field(default=[], description="The contacts of yours this person knows")
    deleted_from: list[str] = Field(
        default=[], description="Synced address books whose card of this person was deleted there (kept here)"
    )

    @classmethod
    def of_detail(cls, d: PersonDetail, knows: list[Acquaintance] | None = None) -> PersonDetailOut:
        base = PersonOut.of(d.person).model_dump()
        return cls(
            **base, tie=TieOut(score=d.tie.score, tier=d.tie.tier, parts=d.tie.parts),
            interactions=[InteractionOut.of(i) for i in d.interactions],
            notes_list=[NoteOut.of(n) for n in d.notes], followups=[FollowupOut.of(f) for f in d.followups],
            knows=[AcquaintanceOut(person_id=a.person_id, name=a.name, how=a.how, source=a.source,
                                   confidence=a.confidence) for a in knows or []],
            deleted_from=list(d.deleted_from),
        )  # fmt: skip


class MarkedOut(BaseModel):
    text: str = Field(description="Plain text, never markup")
    highlights: list[tuple[int, int]] = Field(description="[start, end) character offsets of the matching words")

    @classmethod
    def of(cls, marked: Marked) -> MarkedOut:
        return cls(text=marked.text, highlights=list(marked.highlights))


class SuggestionOut(BaseModel):
    id: int
    name: str
    organization: str = Field(description="Where they work now ('' if unknown)")

    @classmethod
    def of(cls, p: PersonRecord) -> SuggestionOut:
        role = p.roles[0] if p.roles and p.roles[0].is_current else None
        return cls(id=p.id, name=p.display_name, organization=role.organization if role else "")


class PeoplePageOut(BaseModel):
    people: list[PersonOut]
    total: int
    next_cursor: str = Field(description="Pass as `cursor` for the next page; empty on the last page.")
    matched: dict[int, MarkedOut] = Field(default={}, description="When searching: where each person matched, by id")
    suggestions: list[SuggestionOut] = Field(default=[], description="When a search found nobody: close names")


class AgendaItemOut(BaseModel):
    number: int
    action: str
    key: str
    person_id: int | None
    person: str
    due: str
    reason: str
    log_kind: str | None = Field(description="What done logs by default (null: nothing to log)")
    default_cadence: bool = Field(description="A keep-in-touch on a default cadence the user never set")

    @classmethod
    def of(cls, item: AgendaItem) -> AgendaItemOut:
        return cls(number=item.number, action=item.action, key=item.key, person_id=item.person_id,
                   person=item.person, due=item.due, reason=item.reason, log_kind=item.log_kind,
                   default_cadence=item.default_cadence)  # fmt: skip


class TodayOut(BaseModel):
    items: list[AgendaItemOut]
    more: int
    rest: dict[str, int] = Field(description="The actions beyond these, counted by kind")


class DraftOut(BaseModel):
    to: list[str]
    subject: str
    body: str
    mailto: str


class SearchHitOut(BaseModel):
    person: PersonOut
    matched: MarkedOut


class SearchOut(BaseModel):
    query: str
    hits: list[SearchHitOut]
    suggestions: list[SuggestionOut] = Field(description="When nobody matched: people with a close name")


class OrganizationOut(BaseModel):
    id: int
    name: str
    field: str
    notes: str
    is_target: bool
    interest: int | None
    domains: list[str]
    people_now: int | None = None

    @classmethod
    def of(cls, o: OrganizationRecord, people_now: int | None = None) -> OrganizationOut:
        return cls(id=o.id, name=o.name, field=o.field, notes=o.notes, is_target=o.is_target,
                   interest=o.interest, domains=o.domains, people_now=people_now)  # fmt: skip


class OrganizationDetailOut(OrganizationOut):
    people_now_list: list[PersonOut]
    people_before: list[PersonOut]
    notes_list: list[NoteOut]


class DuplicatePairOut(BaseModel):
    keep_id: int = Field(description="The older record, the one to merge into")
    keep_name: str
    other_id: int
    other_name: str
    score: float = Field(description="0 to 1: how likely the two are one person")
    evidence: list[str] = Field(description="Why, in words: 'same name', 'same phone'...")
    keep: PersonOut | None = Field(default=None, description="The older record in full, to compare")
    other: PersonOut | None = Field(default=None, description="The newer record in full, to compare")

    @classmethod
    def of(cls, p: DuplicatePair) -> DuplicatePairOut:
        return cls(keep_id=p.keep_id, keep_name=p.keep_name, other_id=p.other_id, other_name=p.other_name,
                   score=p.score, evidence=p.evidence, keep=PersonOut.of(p.keep) if p.keep else None,
                   other=PersonOut.of(p.other) if p.other else None)  # fmt: skip


class ErrorOut(BaseModel):
    """What every API error answers with (a 4xx or 503)."""

    error: str = Field(description="One line for a person: what is wrong and what to send instead")
    type: str = Field(description="The kind: InvalidInput, NotFound, Ambiguous, AlreadyKnown, Forbidden...")
    candidates: list[str] = Field(default=[], description="Ambiguous only: the records the name matched")
    person_id: int = Field(default=0, description="AlreadyKnown only: the person who has that email or URL")
    field: str = Field(default="", description="InvalidSetting only: the field refused")


# -- in ------------------------------------------------------------------------------
class PersonIn(Strict):
    name: Name
    emails: list[ShortText] = Field(default_factory=list, max_length=20)
    phones: list[ShortText] = Field(default_factory=list, max_length=20)
    organization: ShortText | None = None
    title: ShortText | None = None
    tags: list[ShortText] = Field(default_factory=list, max_length=50)
    how_met: ShortText = ""
    first_met_on: str | None = Field(default=None, description="YYYY-MM-DD, 'yesterday', '3 days ago'...")
    note: Text | None = None
    links: list[ShortText] = Field(default_factory=list, max_length=20)
    closeness: Closeness | None = None
    location: ShortText = ""
    birthday: ShortText | None = Field(default=None, description=BIRTHDAY)
    merge: bool = Field(default=False, description="Known email or profile URL: add these details to them (else 409)")


class PersonPatch(Strict):
    name: Name | None = None
    location: ShortText | None = None
    situation: Text | None = None
    needs: Text | None = None
    offers: Text | None = None
    how_met: ShortText | None = None
    closeness: Closeness | None = None
    advocate: bool | None = None
    birthday: ShortText | None = Field(default=None, description=BIRTHDAY + " 'none' or '' clears it.")
    organization: ShortText | None = Field(default=None, description="They moved: their new organization.")
    title: ShortText | None = None
    add_emails: list[ShortText] = Field(default_factory=list, max_length=20)
    remove_emails: list[ShortText] = Field(default_factory=list, max_length=20)
    add_phones: list[ShortText] = Field(default_factory=list, max_length=20)
    remove_phones: list[ShortText] = Field(default_factory=list, max_length=20)
    add_tags: list[ShortText] = Field(default_factory=list, max_length=50)
    remove_tags: list[ShortText] = Field(default_factory=list, max_length=50)
    add_links: list[ShortText] = Field(default_factory=list, max_length=20)
    cadence: ShortText | None = Field(default=None, description="Keep in touch every: 30d, 6w, 3m, 1y or none.")


class InteractionIn(Strict):
    kind: ShortText = Field(description="email, call, message, meeting, coffee, interview, ...")
    direction: ShortText | None = Field(default=None, description="in, out or mutual (default by kind)")
    when: ShortText | None = Field(default=None, description="2026-03-14, yesterday, '3 days ago' (default: now)")
    note: Text = ""
    subject: ShortText = ""
    people: list[Id] = Field(default_factory=list, max_length=50, description="Other participants' ids")
    missed: bool = Field(
        default=False, description="A call of theirs you missed (or a voicemail): kind call, direction in or left out"
    )


class InteractionPatch(Strict):
    """A correction to a logged conversation: what is left out stays as it was."""

    kind: ShortText | None = None
    direction: ShortText | None = Field(default=None, description="in, out or mutual")
    when: ShortText | None = Field(default=None, description="2026-03-14, yesterday, '3 days ago'")
    note: Text | None = None
    subject: ShortText | None = None


class NoteIn(Strict):
    body: Annotated[str, StringConstraints(min_length=1, max_length=10000)]


class FollowupIn(Strict):
    when: ShortText = Field(description="'in 2 weeks', 'next tuesday', 2026-12-01")
    note: ShortText = ""


class FollowupAct(Strict):
    action: Annotated[str, StringConstraints(pattern="^(done|dismiss|snooze|reopen)$")]
    until: ShortText | None = Field(default=None, description="For snooze: 'tomorrow', 'in 3 days', a date")


class AgendaAct(Strict):
    key: ShortText = Field(description="The `key` of a Today item")
    action: Annotated[str, StringConstraints(pattern="^(done|dismiss|snooze)$")]
    until: ShortText | None = Field(default=None, description="For snooze: 'tomorrow', 'in 3 days', a date")
    kind: ShortText | None = Field(default=None, description="For done: the conversation to log (email, call...)")
    log: bool = Field(default=True, description="For done: log the conversation; false only marks it done")
    note: Text = Field(default="", description="For done: a note on the logged conversation")


class OrganizationPatch(Strict):
    is_target: bool | None = None
    interest: Annotated[int, Field(ge=1, le=5)] | None = None
    note: Text | None = Field(default=None, description="A note to add")


class CaptureIn(Strict):
    name: Name
    where: ShortText = ""
    note: Text = ""
    email: ShortText = ""
    organization: ShortText = ""
    followup_days: Annotated[int, Field(ge=0, le=60)] | None = 2
    merge: bool = Field(default=False, description="Known email or profile URL: add these details to them (else 409)")


class MergeIn(Strict):
    other_id: Id = Field(description="The record to merge into this one (it then points at this one)")


class NotDuplicateIn(Strict):
    other_id: Id = Field(description="The record that is a different person: the pair is not proposed again")
