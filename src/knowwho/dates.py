"""Reading the dates people type: ISO dates, "today", "3 days ago", "in 2 weeks", "next tuesday".

Every date knowwho records lies in one range (`recorded_days`): nothing a user
logs, plans or imports happened before 1900 or is planned more than a hundred
years ahead. A birthday has its own range (`birth_days`): a contact's birth
year may be older than 1900 but no older than a human life, and never in the future.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from knowwho.errors import InvalidInput

EARLIEST = date(1900, 1, 1)  # before this no conversation, event, job or follow-up of a living network
YEARS_AHEAD = 100  # a follow-up or an event planned further off is a typo
LIFESPAN_YEARS = 130  # the oldest birth year a contact can have, counted back from today
MAX_DURATION_DAYS = YEARS_AHEAD * 365  # a cadence or a re-engage delay: dates it gives stay in range

_UNITS = {"d": 1, "day": 1, "w": 7, "week": 7, "m": 30, "month": 30, "y": 365, "year": 365}
_RELATIVE = re.compile(r"^(?:(in)\s+)?(\d+)\s*([a-z]+?)s?(?:\s+(ago))?$")
_DURATION = re.compile(r"^(\d+)\s*([a-z]+?)s?$")
# A number with a sign ("-5 days ago", "+3 weeks"): "ago" and "in" already say which way, so a sign is a typo
# that dateparser would read either way; an ISO time's offset ("10:00-05:00") follows a digit and is not one.
_SIGNED_NUMBER = re.compile(r"(?:^|\s)[-+\u2212]\s*\d+(?=\s*[a-z]|\s*$)")


class DateOutOfRange(InvalidInput):
    """A date that reads well but lies outside the days knowwho records."""


@dataclass(frozen=True, slots=True)
class DayRange:
    """The days a kind of date may take, both ends included."""

    first: date
    last: date

    def __contains__(self, day: date) -> bool:
        return self.first <= day <= self.last

    def holds(self, text: str) -> bool:
        """Whether 'YYYY-MM-DD…' text (an importer's day or stamp) is a day in the range; False for other text."""
        try:
            return date.fromisoformat(text[:10]) in self
        except ValueError:
            return False

    def check(self, day: date, *, what: str = "the date") -> date:
        """The day itself, or InvalidInput naming the field when it lies outside the range."""
        if day not in self:
            raise DateOutOfRange(f"{what} {day.isoformat()} is {self.words()}")
        return day

    def words(self) -> str:
        return f"out of range: give a day from {self.span()}"

    def span(self) -> str:
        return f"{self.first.isoformat()} to {self.last.isoformat()}"


def recorded_days(today: date) -> DayRange:
    """What a conversation, an event, a job, a follow-up or a snooze may be dated."""
    return DayRange(EARLIEST, date(today.year + YEARS_AHEAD, 12, 31))


def birth_days(today: date) -> DayRange:
    """What a birthday with a year may be."""
    return DayRange(date(today.year - LIFESPAN_YEARS, 1, 1), today)


def parse_duration_days(text: str) -> int | None:
    """'90d', '2w', '3 months', 'none' -> days (None for 'none'); at most a hundred years."""
    cleaned = text.strip().lower()
    if cleaned in {"none", "off", "never", "0"}:
        return None
    found = _DURATION.match(cleaned)
    if not found or found.group(2) not in _UNITS:
        raise InvalidInput(f"cannot read the duration {text!r}: use e.g. 30d, 6w, 3m, 1y or none")
    days = int(found.group(1)) * _UNITS[found.group(2)]
    if days > MAX_DURATION_DAYS:
        raise InvalidInput(f"the duration {text.strip()!r} is too long: at most {YEARS_AHEAD} years")
    return days


def parse_when(text: str, *, now: datetime, what: str = "the date") -> datetime:
    """A moment from what the user typed, relative to `now` (aware, local time), inside `recorded_days`.

    Fast paths cover ISO dates and simple relative phrases; anything else goes
    to dateparser, imported only then because it is slow to load. `what` names
    the field in the error when the date falls outside the range.
    """
    cleaned = text.strip().lower()
    if not cleaned:
        raise InvalidInput(f"{what} is empty")
    if _SIGNED_NUMBER.search(cleaned):
        raise InvalidInput(
            f"cannot read {what} {text.strip()!r}: no sign before the number; say '5 days ago' or 'in 5 days'"
        )
    local_now = now.astimezone()
    moment = _recorded(lambda: _quick(cleaned, local_now) or _dateparser(text, cleaned, local_now), text,
                       today=local_now.date(), what=what)  # fmt: skip
    if moment is None:
        raise InvalidInput(f"cannot read {what} {text!r}: try 2026-03-14, 'yesterday', '3 days ago' or 'in 2 weeks'")
    return moment


def _recorded(read: Callable[[], datetime | None], text: str, *, today: date, what: str) -> datetime | None:
    """What `read` makes of `text`, refused when it falls outside `recorded_days` (or past any calendar)."""
    days = recorded_days(today)
    try:
        moment = read()
    except OverflowError:  # '99999 years ago'
        raise DateOutOfRange(f"{what} {text.strip()!r} is {days.words()}") from None
    if moment is not None:
        days.check(moment.date(), what=what)
    return moment


def _dateparser(text: str, cleaned: str, local_now: datetime) -> datetime | None:
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
    return parsed.replace(tzinfo=local_now.tzinfo) if parsed is not None else None


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


def date_word(text: str, *, now: datetime, what: str = "the date") -> date | None:
    """The day `text` names when it is plainly a date ('yesterday', '3 days ago', '2026-03-14'), else None.

    For fields that take either a date or words: `--met yesterday` is when, `--met "PyCon 2026"` is where.
    A plain date outside `recorded_days` is refused rather than taken for words.
    """
    local_now = now.astimezone()
    found = _recorded(lambda: _quick(text.strip().lower(), local_now), text, today=local_now.date(), what=what)
    return found.date() if found else None


def parse_day(text: str, *, now: datetime, what: str = "the date") -> date:
    return parse_when(text, now=now, what=what).date()
