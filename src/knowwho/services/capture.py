"""Quick capture at an event: a name, where we met, one line, and a reminder to follow up."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from knowwho.errors import InvalidInput
from knowwho.services.agenda import AgendaService
from knowwho.services.followups import FollowupService
from knowwho.services.people import OnMatch, PeopleService
from knowwho.storage.records import FollowupRecord, PersonRecord

DEFAULT_FOLLOWUP_DAYS = 2


@dataclass(frozen=True, slots=True)
class Captured:
    person: PersonRecord
    followup: FollowupRecord | None


def capture(
    people: PeopleService,
    followups: FollowupService,
    agenda: AgendaService,
    *,
    name: str,
    where: str = "",
    note: str = "",
    email: str = "",
    organization: str = "",
    followup_days: int | None = DEFAULT_FOLLOWUP_DAYS,
    on_match: OnMatch = "refuse",
) -> Captured:
    """Add someone just met; met today at `where`.

    An email already known is refused as `add` refuses it, or with
    `on_match="merge"` what was captured is added to that person.

    With `followup_days`, one dated follow-up ("nice to meet you") replaces the
    agenda's generic new-contact action, so the reminder comes on the day chosen
    and only once.
    """
    if followup_days is not None and not 0 <= followup_days <= 60:
        raise InvalidInput("follow up within 0 to 60 days")
    if followup_days is None:
        return Captured(_add(people, name, where, note, email, organization, on_match), None)
    # One change: one undo takes back the person, their reminder and the generic action it replaced.
    with people.ctx.change(f"captured {name.strip()}"):
        person = _add(people, name, where, note, email, organization, on_match)
        due = people.ctx.today() + timedelta(days=followup_days)
        text = "send a “nice to meet you” note" + (f" (met at {where.strip()})" if where.strip() else "")
        followup = followups.add(person.id, due, note=text, kind="nice-to-meet")
        agenda.dismiss(f"nice-to-meet:{person.id}:{person.first_met_on}")
        met = f", met at {where.strip()}" if where.strip() else ""
        people.ctx.describe_change(f"captured {person.display_name}{met}, with a follow-up on {due.isoformat()}")
    return Captured(person, followup)


def _add(
    people: PeopleService, name: str, where: str, note: str, email: str, organization: str, on_match: OnMatch
) -> PersonRecord:
    return people.add(
        name, how_met=where.strip(), first_met_on=people.ctx.today().isoformat(), note=note.strip() or None,
        emails=[email] if email.strip() else None, organization=organization.strip() or None, on_match=on_match,
    )  # fmt: skip
