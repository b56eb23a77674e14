"""How knowwho words counts and ages, the same on the terminal and on the web."""

from __future__ import annotations

from datetime import datetime

from knowwho.clock import from_stamp


def days_ago(days: int) -> str:
    """'today', 'yesterday', '5 days ago', '3 weeks ago', '4 months ago', '2 years ago'."""
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    return f"{span(days)} ago"


def span(days: int) -> str:
    """'9 days', '3 weeks', '4 months', '2 years': how long."""
    if days < 14:
        return f"{days} day{'s' if days != 1 else ''}"
    if days < 60:
        return f"{days // 7} weeks"
    if days < 730:
        return f"{days // 30} months"
    return f"{days // 365} years"


def plural(count: int, word: str, many: str = "") -> str:
    """'1 person', '2,011 people' (with `many`), '3 problems'."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"


def with_article(word: str) -> str:
    """'a coffee', 'an email', 'an informational-interview'."""
    return f"{'an' if word[:1].lower() in 'aeiou' else 'a'} {word}"


def moment_ago(stamp: str, now: datetime) -> str:
    """A stored UTC stamp as 'just now', '5 minutes ago', '3 hours ago', or in days."""
    seconds = (now - from_stamp(stamp)).total_seconds()
    if seconds < 60:
        return "just now"
    if seconds < 3600:
        return plural(int(seconds // 60), "minute") + " ago"
    if seconds < 86400:
        return plural(int(seconds // 3600), "hour") + " ago"
    return days_ago(int(seconds // 86400))


# How a place we met is said after "We met": "at PyCon", "through Ana", "on LinkedIn" (a network, not a venue).
_MET_PREPOSITIONS = ("at ", "through ", "via ", "in ", "on ", "during ", "when ", "referred ")
_MET_ONLINE = {"linkedin"}


def met_where(how_met: str) -> str:
    """' at PyCon', ' through Ana', ' on LinkedIn': how we met, as it follows "We met" ('' if not known)."""
    how = how_met.strip()
    if not how:
        return ""
    if how.lower().startswith(_MET_PREPOSITIONS):
        return f" {how}"
    return f" on {how}" if how.lower() in _MET_ONLINE else f" at {how}"
