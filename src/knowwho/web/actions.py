"""The use cases behind both a page and its API endpoint: validated input in, a service call, a record out.

Pages build the same input models from their forms as the API gets as JSON,
so a form and an API call can never do different things.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from typing import TypeVar

from knowwho.core import Knowwho
from knowwho.dates import parse_day, parse_duration_days, parse_when
from knowwho.errors import InvalidInput
from knowwho.services import capture as capture_service
from knowwho.services.browse import BrowseService
from knowwho.services.people import PersonChanges
from knowwho.services.stats import StatsService
from knowwho.storage.records import FollowupRecord, InteractionRecord, OrganizationRecord, PersonRecord
from knowwho.web.schemas import (
    AgendaAct,
    CaptureIn,
    FollowupAct,
    FollowupIn,
    InteractionIn,
    InteractionPatch,
    OrganizationPatch,
    PersonIn,
    PersonPatch,
)

Read = TypeVar("Read")


def browse(kw: Knowwho) -> BrowseService:
    return BrowseService(kw.ctx, kw.search)


def stats(kw: Knowwho) -> StatsService:
    return StatsService(kw.ctx)


def add_person(kw: Knowwho, data: PersonIn) -> PersonRecord:
    first_met = _read("first_met_on", parse_day, data.first_met_on, kw).isoformat() if data.first_met_on else None
    return kw.people.add(
        data.name, emails=data.emails, phones=data.phones, organization=data.organization or None,
        title=data.title or None, tags=data.tags, how_met=data.how_met, first_met_on=first_met,
        note=data.note or None, links=data.links, closeness=data.closeness, location=data.location,
        birthday=data.birthday,
        on_match="merge" if data.merge else "refuse",
    )  # fmt: skip


def edit_person(kw: Knowwho, person_id: int, patch: PersonPatch) -> PersonRecord:
    cadence = (patch.cadence or "").strip()
    days = _read("cadence", lambda text, now: parse_duration_days(text), cadence, kw) if cadence else None
    changes = PersonChanges(
        name=patch.name, location=patch.location, situation=patch.situation, needs=patch.needs,
        offers=patch.offers, how_met=patch.how_met, closeness=patch.closeness, is_advocate=patch.advocate,
        organization=patch.organization or None, title=patch.title, add_emails=patch.add_emails,
        remove_emails=patch.remove_emails, add_phones=patch.add_phones, remove_phones=patch.remove_phones,
        add_tags=patch.add_tags, remove_tags=patch.remove_tags, add_links=patch.add_links, birthday=patch.birthday,
        cadence_days=(days or 0) if cadence else None,
    )  # fmt: skip
    return kw.people.edit(person_id, changes)


def log_interaction(kw: Knowwho, person_id: int, data: InteractionIn) -> InteractionRecord:
    kw.people.get(person_id)
    others = [kw.people.get(pid).id for pid in data.people if pid != person_id]
    when = _read("when", parse_when, data.when, kw) if data.when and data.when.strip() else None
    return kw.interactions.log(
        [person_id, *others], kind=data.kind, direction=data.direction or None, when=when,
        note=data.note.strip(), subject=data.subject.strip(), missed=data.missed,
    )  # fmt: skip


def edit_interaction(kw: Knowwho, interaction_id: int, patch: InteractionPatch) -> InteractionRecord:
    when = _read("when", parse_when, patch.when, kw) if patch.when and patch.when.strip() else None
    return kw.interactions.edit(
        interaction_id, kind=patch.kind or None, direction=patch.direction or None, when=when, note=patch.note,
        subject=patch.subject,
    )  # fmt: skip


def add_followup(kw: Knowwho, person_id: int, data: FollowupIn) -> FollowupRecord:
    kw.people.get(person_id)
    return kw.followups.add(person_id, _read("when", parse_day, data.when, kw), note=data.note.strip())


def act_on_followup(kw: Knowwho, followup_id: int, data: FollowupAct) -> FollowupRecord:
    if data.action == "snooze":
        return kw.followups.snooze(followup_id, _until(kw, data.until))
    status = {"done": "done", "dismiss": "dismissed", "reopen": "open"}[data.action]
    return kw.followups.close(followup_id, status)


def act_on_today(kw: Knowwho, data: AgendaAct) -> str:
    """Done (logging the conversation), dismiss or snooze an item of the Today list; returns what happened."""
    if data.action == "done":
        did = kw.agenda.done(data.key, log=data.log, kind=data.kind or None, note=data.note)
        return did[:1].upper() + did[1:] + "."
    if data.action == "dismiss":
        kw.agenda.dismiss(data.key)
        return "Dismissed."
    until = _until(kw, data.until)
    kw.agenda.snooze(data.key, until)
    return f"Snoozed until {until.isoformat()}."


def _until(kw: Knowwho, text: str | None) -> date:
    if not text or not text.strip():
        return kw.ctx.today() + timedelta(days=1)
    until = _read("until", parse_day, text, kw)
    if until <= kw.ctx.today():
        raise InvalidInput("snooze until a day after today")
    return until


def capture(kw: Knowwho, data: CaptureIn) -> capture_service.Captured:
    return capture_service.capture(
        kw.people, kw.followups, kw.agenda, name=data.name, where=data.where, note=data.note,
        email=data.email, organization=data.organization, followup_days=data.followup_days,
        on_match="merge" if data.merge else "refuse",
    )  # fmt: skip


def patch_organization(kw: Knowwho, organization_id: int, patch: OrganizationPatch) -> OrganizationRecord:
    current = kw.organizations.get(organization_id)
    if patch.is_target is not None or patch.interest is not None:
        target = current.is_target if patch.is_target is None else patch.is_target
        kw.organizations.set_target(organization_id, target, patch.interest if target else None)
    if patch.note and patch.note.strip():
        kw.organizations.add_note(organization_id, patch.note)
    return kw.organizations.get(organization_id)


def _read(field: str, parse: Callable[..., Read], text: str, kw: Knowwho) -> Read:
    """A day, a moment or a duration as `parse` reads the text of a field; refused naming the field."""
    try:
        return parse(text, now=kw.ctx.now())
    except InvalidInput as error:
        raise InvalidInput(f"{field}: {error}") from None
