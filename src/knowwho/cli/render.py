"""Rich renderings shared by commands."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from rich.console import Console
from rich.segment import Segment
from rich.text import Text

from knowwho.cli.plain import UNPRINTABLE

if TYPE_CHECKING:  # every command loads this module; `today` needs neither
    from knowwho.services.highlight import Marked
    from knowwho.storage.records import PersonRecord


class _Console(Console):
    """A console that never writes the control characters a stored text holds (an imported name, a note).

    An escape sequence in a vCard's name would otherwise restyle the terminal, clear it or retitle its
    window; the console's own styling, written after this, is kept.
    """

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            segment if segment.control else Segment(segment.text.translate(UNPRINTABLE), segment.style)
            for segment in buffer
        )


console = _Console(highlight=False)
MATCH_STYLE = "bold yellow"


def marked_text(marked: Marked, style: str = MATCH_STYLE) -> Text:
    """Where a search matched, the matching words styled; the text is never read as markup."""
    text = Text(marked.text)
    for start, end in marked.highlights:
        text.stylize(style, start, end)
    return text


def current_organization(person: PersonRecord) -> str:
    role = person.roles[0] if person.roles and person.roles[0].is_current else None
    return role.organization if role else ""


def person_line(person: PersonRecord) -> str:
    role = person.roles[0] if person.roles and person.roles[0].is_current else None
    where = f" — {role.title + ' at ' if role and role.title else ''}{role.organization}" if role else ""
    return f"{person.display_name}{where}"


def person_dict(person: PersonRecord) -> dict[str, Any]:
    return {
        "id": person.id,
        "name": person.display_name,
        "emails": person.emails,
        "phones": person.phones,
        "links": person.links,
        "tags": person.tags,
        "location": person.location,
        "situation": person.situation,
        "needs": person.needs,
        "offers": person.offers,
        "how_met": person.how_met,
        "first_met_on": person.first_met_on,
        "closeness": person.closeness,
        "cadence_days": person.cadence_days,
        "advocate": person.is_advocate,
        "tie_strength": person.tie_strength,
        "last_interaction_at": person.last_interaction_at,
        "roles": [
            {"organization": r.organization, "title": r.title, "current": r.is_current,
             "start_on": r.start_on, "end_on": r.end_on}
            for r in person.roles
        ],
    }  # fmt: skip


def print_item(number: int, head: str, reason: str) -> None:
    """A numbered list item: its head (Rich markup) and its reason (plain text) under it, both wrapping
    under the item's text rather than under its number or the left edge."""
    indent = "    "
    width = max(40, console.width) - len(indent)
    first = True
    for part in (Text.from_markup(head), Text(reason)):
        for line in part.wrap(console, width):
            line.rstrip()
            console.print(Text(f"{number:>2}. " if first else indent) + line, soft_wrap=True)
            first = False
