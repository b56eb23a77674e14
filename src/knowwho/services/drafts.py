"""Drafts of the message an action of the Today list calls for (copy it, or open it in the mail app).

Drafts come from the user's templates (`services/templates.py`); drafting never logs anything.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote

from knowwho.services.people import PeopleService
from knowwho.services.templates import TemplateService
from knowwho.storage import agenda as agenda_store

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


def draft(people: PeopleService, action: str, person_id: int | None) -> Draft:
    """A short, editable first draft for `action` addressed to the person."""
    extra: dict[str, str] = {}
    if person_id is not None:
        person = people.get(person_id)  # NotFound for someone removed
        if action == "reply" and person.last_inbound_at:
            found = agenda_store.inbound_at(people.ctx.db.conn, person_id, person.last_inbound_at)
            if found and found[1].strip():
                extra["subject"] = _REPLY_PREFIX.sub("", found[1].strip())  # the template adds its own "Re: "
    rendered = TemplateService(people.ctx).for_action(action, person_id, **extra)
    return Draft(to=rendered.to, subject=rendered.subject, body=rendered.body)
