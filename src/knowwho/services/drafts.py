"""Drafts of the message an action of the Today list calls for (copy it, or open it in the mail app).

Drafts come from the user's templates (`services/templates.py`); drafting never logs anything.
One function drafts each kind, whoever asks: `knowwho draft N`, the Draft button, the API, `opp show`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any
from urllib.parse import quote

from knowwho.services.context import ServiceContext
from knowwho.services.normalize import greeting_name
from knowwho.storage import agenda as agenda_store
from knowwho.storage import interactions as interaction_store
from knowwho.storage import me as me_store
from knowwho.storage import people as people_store

if TYPE_CHECKING:  # imported where used: today's list reads introductions' drafts without loading the people service
    from knowwho.services.people import PeopleService
    from knowwho.services.templates import TemplateService

_REPLY_PREFIX = re.compile(r"^((re|aw|sv|antw)\s*:\s*)+", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Draft:
    to: list[str]
    subject: str
    body: str

    @property
    def mailto(self) -> str:
        return f"mailto:{quote(','.join(self.to), safe='@,')}?subject={quote(self.subject)}&body={quote(self.body)}"

    def to_dict(self) -> dict[str, object]:
        return {"to": self.to, "subject": self.subject, "body": self.body, "mailto": self.mailto}


def _templates(ctx: ServiceContext) -> TemplateService:
    from knowwho.services.templates import TemplateService

    return TemplateService(ctx)


def draft(people: PeopleService, action: str, person_id: int | None, **extra: Any) -> Draft:
    """A short, editable first draft for `action` addressed to the person."""
    if person_id is not None:
        person = people.get(person_id)  # NotFound for someone removed
        if action == "reply" and person.last_inbound_at:
            found = agenda_store.inbound_at(people.ctx.db.conn, person_id, person.last_inbound_at)
            if found and found[1].strip():
                extra["subject"] = _REPLY_PREFIX.sub("", found[1].strip())  # the template adds its own "Re: "
    rendered = _templates(people.ctx).for_action(action, person_id, **extra)
    return Draft(to=rendered.to, subject=rendered.subject, body=rendered.body)


def for_item(people: PeopleService, key: str) -> list[Draft]:
    """The messages an item of today's list (by its key) calls for: two for an introduction (ask each
    side first), one otherwise."""
    from knowwho.services.agenda import AgendaService

    ctx = people.ctx
    target = AgendaService(ctx).target(key)
    if target.action == "introduce":
        from knowwho.services.intros.service import IntroService

        other = target.other_id or 0
        return introduction_asks(ctx, target.ref, other, IntroService(ctx).reason_for(target.ref, other))
    if target.action == "re-engage":
        return [reengage(ctx, target.ref)]
    if target.action == "way-in":  # the informational-interview request, as the person's page drafts it
        from knowwho.services.outreach import OutreachService

        return [OutreachService(ctx).ask(target.ref)]
    extra = _interview_notes(ctx, _interview_of(key)) if target.action == "thank-you" else {}
    return [draft(people, target.action, target.person_id, **extra)]


def introduction_asks(ctx: ServiceContext, a: int, b: int, reason: str) -> list[Draft]:
    """The double opt-in: the message asking A about meeting B, and B about meeting A, each addressed to them."""
    templates, found = _templates(ctx), []
    for one, other in ((a, b), (b, a)):
        names = [_name(ctx, pid) for pid in (one, other)]
        why = addressed(reason, to=names[0], other=names[1])
        rendered = templates.render("intro", one, other=names[1], why=why)
        found.append(Draft(to=rendered.to, subject=rendered.subject, body=rendered.body))
    return found


def addressed(reason: str, *, to: str, other: str = "") -> str:
    """An introduction's reason as told to one of the two: "Ana Lima needs X, Raj Patel offers Y" is, to Ana,
    "you need X, Raj offers Y" (reasons speak of both people by full name; a message speaks to one, and
    has named the other in full already)."""
    text = reason.strip()
    if other:
        text = text.replace(other, greeting_name("", other))
    if text.startswith("both just "):
        text = "you both just " + text.removeprefix("both just ")
    elif text.startswith("both "):
        text = "you are both " + text.removeprefix("both ")
    if to:
        for said, to_them in ((" needs ", " need "), (" offers ", " offer "), (" is ", " are "), (" to ", " to ")):
            text = re.sub(rf"(^|[:;,] ){re.escape(to)}{said}", rf"\1you{to_them}", text)
    return text


def reengage(ctx: ServiceContext, opportunity_id: int) -> Draft:
    """Getting back in touch after a rejection or a withdrawal, with what the user has done since they spoke."""
    from knowwho.services.opportunities import OpportunityService

    o = OpportunityService(ctx).get(opportunity_id)
    conn = ctx.db.conn
    _exists, contact_id = agenda_store.reengage_contact(conn, opportunity_id)
    if contact_id is None:
        contact_id = next(iter(agenda_store.interviewers(conn, [o.id]).get(o.id, [])), (None, ""))[0]
    contact = people_store.get(conn, contact_id) if contact_id else None
    spoke = ((contact.last_interaction_at if contact else None) or o.closed_on or o.opened_on or "")[:10]
    updates = [
        f"{u.title} ({_month(u.happened_on)})" for u in reversed(me_store.updates(conn, since=spoke or None, limit=5))
    ]
    rendered = _templates(ctx).render(
        "re-engage", contact_id, role=o.role_title, organization=o.organization or "", spoke_in=_month(spoke),
        updates=updates,
    )  # fmt: skip
    return Draft(to=rendered.to, subject=rendered.subject, body=rendered.body)


def _interview_notes(ctx: ServiceContext, interaction_id: int) -> dict[str, str]:
    """What a thank-you can mention of the interview it thanks for: their advice, what the user learned."""
    from knowwho.services.leads import InterviewNotes

    talk = interaction_store.get(ctx.db.conn, interaction_id)
    notes = InterviewNotes.read(talk.notes if talk else "")
    return {"advice": notes.advice.rstrip(" ."), "learned": notes.learned.rstrip(" .")}


def _interview_of(key: str) -> int:
    """The interview a thank-you's key names ("thank-you:3:12": 12)."""
    parts = key.split(":")
    return int(parts[2]) if len(parts) > 2 and parts[2].isascii() and parts[2].isdigit() and len(parts[2]) < 19 else 0


def _name(ctx: ServiceContext, person_id: int) -> str:
    from knowwho.services.people import PeopleService

    return PeopleService(ctx).name_of(person_id)


def _month(day: str) -> str:
    return date.fromisoformat(day).strftime("%B %Y") if day else ""
