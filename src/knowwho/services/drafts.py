"""Drafts of the message an action of the Today list calls for (copy it, or open it in the mail app)."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import quote

from knowwho.services.people import PeopleService

_TEXTS = {
    "reply": ("Re: your message", "Hi {first},\n\nThank you for your message, and sorry for the wait.\n\n"),
    "thank-you": (
        "Thank you for your time",
        "Hi {first},\n\nThank you for taking the time to talk with me. I learned a lot, especially about\n\n"
        "I'll keep you posted on how things go.\n\n",
    ),
    "follow-up": ("Following up", "Hi {first},\n\nI'm following up on our last conversation.\n\n"),
    "nice-to-meet": (
        "Nice to meet you",
        "Hi {first},\n\nIt was great to meet you{where}. I enjoyed our conversation and would be glad to stay in touch.\n\n",
    ),
    "keep-in-touch": (
        "Catching up",
        "Hi {first},\n\nIt's been a while since we last spoke. How are things going? "
        "I'd love to hear what you're working on these days.\n\n",
    ),
    "re-engage": (
        "Checking back in",
        "Hi {first},\n\nWe spoke a while ago about a role on your team. Since then I have been working on\n\n"
        "Would you have a few minutes to catch up?\n\n",
    ),
}


@dataclass(frozen=True, slots=True)
class Draft:
    to: list[str]
    subject: str
    body: str

    @property
    def mailto(self) -> str:
        return f"mailto:{quote(','.join(self.to), safe='@,')}?subject={quote(self.subject)}&body={quote(self.body)}"


def draft(people: PeopleService, action: str, person_id: int | None) -> Draft:
    """A short, editable first draft for `action` addressed to the person."""
    subject, body = _TEXTS.get(action, _TEXTS["follow-up"])
    if person_id is None:
        return Draft(to=[], subject=subject, body=body.format(first="there", where="") + "Best regards,\n")
    person = people.get(person_id)
    first = person.given_name or person.display_name.split()[0]
    where = f" at {person.how_met}" if person.how_met else ""
    return Draft(to=person.emails[:1], subject=subject, body=body.format(first=first, where=where) + "Best regards,\n")
