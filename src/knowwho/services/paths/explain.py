"""Plain words for each step of a route: the tie, and one sentence why."""

from __future__ import annotations

from datetime import date

from knowwho.services.paths.region import Link
from knowwho.services.tie_strength import tier_of
from knowwho.storage.network import PersonNode, Stint

SOURCES = {
    "same-organization": "from work",
    "mail-co-recipient": "on the same mail thread",
    "same-event": "met at the same event",
    "introduced": "you introduced them",
}


def years(begin: date | None, end: date | None) -> str:
    """'2019–2021', 'in 2020', 'since 2019' (end None: until now), '' when the start is unknown."""
    if begin is None:
        return ""
    if end is None:
        return f"since {begin.year}"
    return f"in {begin.year}" if begin.year == end.year else f"{begin.year}–{end.year}"


def my_tie(node: PersonNode) -> str:
    talks = f", {node.interaction_count} conversation{'s' if node.interaction_count != 1 else ''}"
    return f"{tier_of(node.tie_strength)} tie" + (talks if node.interaction_count else "")


def colleague_tie(link: Link) -> str:
    when = years(link.begin, link.end)
    return f"colleague at {link.organization}" + (f" {when}" if when else "")


def link_tie(link: Link) -> str:
    if link.kind == "colleague":
        return colleague_tie(link)
    return link.note or SOURCES.get(link.source, "knows")


def link_sentence(a: str, b: str, link: Link) -> str:
    """'Ben worked with Zed at Hooli 2019–2021', 'Ana knows Raj (her aunt)'."""
    if link.kind == "colleague":
        when = years(link.begin, link.end)
        verb = "works" if link.end is None else "worked"
        return f"{a} {verb} with {b} at {link.organization}" + (f" {when}" if when else "")
    extra = link.note or SOURCES.get(link.source, "")
    return f"{a} knows {b}" + (f" ({extra})" if extra else "")


def first_sentence(node: PersonNode, my_link: Link | None) -> str:
    if my_link is not None and not node.is_contact:
        return link_sentence("You", node.name, my_link)
    return f"You know {node.name} ({my_tie(node)})"


def role_tie(stint: Stint) -> str:
    if stint.is_current:
        return f"works there{': ' + stint.title if stint.title else ''}"
    span = _stint_years(stint)
    return "worked there" + (f" {span}" if span else "")


def role_sentence(name: str, stint: Stint) -> str:
    if stint.is_current:
        return f"{name} works at {stint.organization}" + (f" as {stint.title}" if stint.title else "")
    span = _stint_years(stint)
    return f"{name} worked at {stint.organization}" + (f" {span}" if span else " before")


def mention_sentence(name: str, mention: tuple[str, str] | None) -> str:
    """Why someone without a matching title is in a field: 'Ana is tagged data-science', 'Ana offers “…”',
    'your note on Ana: “…”'."""
    if mention is None:  # a title close in meaning, no longer held
        return f"{name} is in that field"
    where, words = mention
    if where == "tag":
        return f"{name} is tagged {words}"
    quoted = f"“{_clipped(words.strip().rstrip('.'))}”"
    return f"{name} offers {quoted}" if where == "offers" else f"your note on {name}: {quoted}"


def _clipped(text: str, most: int = 90) -> str:
    return text if len(text) <= most else text[: most - 1].rstrip() + "…"


def _stint_years(stint: Stint) -> str:
    from knowwho.services.paths.region import parse_day

    begin, end = parse_day(stint.start_on), parse_day(stint.end_on)
    if begin is None and end is not None:
        return f"until {end.year}"
    return years(begin, end) if end is not None else ""
