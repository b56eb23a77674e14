"""Reading the dates people type: ISO dates, "today", "3 days ago", "in 2 weeks", "next tuesday"."""

from __future__ import annotations

import re
from datetime import date, datetime, time, timedelta

from knowwho.errors import InvalidInput

_UNITS = {"d": 1, "day": 1, "w": 7, "week": 7, "m": 30, "month": 30, "y": 365, "year": 365}
_RELATIVE = re.compile(r"^(?:(in)\s+)?(\d+)\s*([a-z]+?)s?(?:\s+(ago))?$")
_DURATION = re.compile(r"^(\d+)\s*([a-z]+?)s?$")


def parse_duration_days(text: str) -> int | None:
    """'90d', '2w', '3 months', 'none' -> days (None for 'none')."""
    cleaned = text.strip().lower()
    if cleaned in {"none", "off", "never", "0"}:
        return None
    found = _DURATION.match(cleaned)
    if not found or found.group(2) not in _UNITS:
        raise InvalidInput(f"cannot read the duration {text!r}: use e.g. 30d, 6w, 3m, 1y or none")
    return int(found.group(1)) * _UNITS[found.group(2)]


def parse_when(text: str, *, now: datetime) -> datetime:
    """A moment from what the user typed, relative to `now` (aware, local time).

    Fast paths cover ISO dates and simple relative phrases; anything else goes
    to dateparser, imported only then because it is slow to load.
    """
    cleaned = text.strip().lower()
    if not cleaned:
        raise InvalidInput("the date is empty")
    local_now = now.astimezone()
    quick = _quick(cleaned, local_now)
    if quick is not None:
        return quick
    import dateparser

    parsed = dateparser.parse(
        text,
        languages=["en"],  # every language: 1.3 s to give up on a typo; English alone: under 0.1 s
        settings={
            "RELATIVE_BASE": local_now.replace(tzinfo=None),
            "PREFER_DATES_FROM": "future" if not cleaned.endswith("ago") else "past",
            "RETURN_AS_TIMEZONE_AWARE": False,
        },
    )
    if parsed is None:
        raise InvalidInput(f"cannot read the date {text!r}: try 2026-03-14, 'yesterday', '3 days ago' or 'in 2 weeks'")
    return parsed.replace(tzinfo=local_now.tzinfo)


def _quick(cleaned: str, local_now: datetime) -> datetime | None:
    words = {"now": 0, "today": 0, "yesterday": -1, "tomorrow": 1}
    if cleaned in words:
        if cleaned == "now":
            return local_now
        return local_now + timedelta(days=words[cleaned])
    try:
        if len(cleaned) == 10:
            day = date.fromisoformat(cleaned)
            return datetime.combine(day, time(12, 0), tzinfo=local_now.tzinfo)
        moment = datetime.fromisoformat(cleaned.upper())
        return moment if moment.tzinfo else moment.replace(tzinfo=local_now.tzinfo)
    except ValueError:
        pass
    found = _RELATIVE.match(cleaned)
    if found and found.group(3) in _UNITS and bool(found.group(1)) != bool(found.group(4)):
        days = int(found.group(2)) * _UNITS[found.group(3)]
        return local_now + timedelta(days=-days if found.group(4) else days)
    return None


def date_word(text: str, *, now: datetime) -> date | None:
    """The day `text` names when it is plainly a date ('yesterday', '3 days ago', '2026-03-14'), else None.

    For fields that take either a date or words: `--met yesterday` is when, `--met "PyCon 2026"` is where.
    """
    found = _quick(text.strip().lower(), now.astimezone())
    return found.date() if found else None


def parse_day(text: str, *, now: datetime) -> date:
    return parse_when(text, now=now).date()
