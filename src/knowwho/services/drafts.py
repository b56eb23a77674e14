"""Drafts of the message an action of the Today list calls for (copy it, or open it in the mail app).

Drafts come from the user's templates (`services/templates.py`); drafting never logs anything.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from knowwho.services.people import PeopleService
from knowwho.services.templates import TemplateService


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
    if person_id is not None:
        people.get(person_id)  # NotFound for someone removed
    rendered = TemplateService(people.ctx).for_action(action, person_id)
    return Draft(to=rendered.to, subject=rendered.subject, body=rendered.body)
