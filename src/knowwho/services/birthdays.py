"""Birthdays: read what the user types, store 'YYYY-MM-DD' (or '--MM-DD' when the year is unknown), word it back."""

from __future__ import annotations

import re
from datetime import date

from knowwho.dates import birth_days
from knowwho.errors import InvalidInput
from knowwho.importers.reading import parse_date

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")  # fmt: skip
_MONTH_DAY = re.compile(r"^([a-z]{3,})\.?\s+(\d{1,2})(?:st|nd|rd|th)?$")
_DAY_MONTH = re.compile(r"^(\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?([a-z]{3,})\.?$")
CLEAR = ("", "none", "-")


def parse_birthday(text: str, *, today: date) -> str | None:
    """'1990-03-14', 'March 14', '14 March 1990', '--03-14' -> stored form; None to clear ('none', '')."""
    value = " ".join(text.strip().lower().replace(",", " ").split())
    if value in CLEAR:
        return None
    stored = _yearless(value) or parse_date(value)
    if stored is None:
        raise InvalidInput(f"birthday: cannot read {text.strip()!r}; use 1990-03-14, 'March 14' or --03-14")
    if not stored.startswith("--"):
        born = date.fromisoformat(stored)
        if born > today:
            raise InvalidInput(f"birthday: {stored} is in the future")
        birth_days(today).check(born, what="birthday")
    return stored


def _yearless(value: str) -> str | None:
    found = _MONTH_DAY.match(value)
    month_word, day_text = (found[1], found[2]) if found else ("", "")
    if not found:
        other = _DAY_MONTH.match(value)
        if other is None:
            return None
        month_word, day_text = other[2], other[1]
    month = _month(month_word)
    if month is None:
        return None
    return parse_date(f"--{month:02d}-{int(day_text):02d}")


def _month(word: str) -> int | None:
    for number, name in enumerate(_MONTHS, start=1):
        if name.startswith(word):
            return number
    return None


def describe(birthday: str | None, *, today: date) -> str:
    """'14 March (turns 36)' when the year is known, '14 March' without it, '' for none."""
    if not birthday:
        return ""
    month, day = int(birthday[-5:-3]), int(birthday[-2:])
    words = f"{day} {_MONTHS[month - 1].capitalize()}"
    if birthday.startswith("--"):
        return words
    born = date.fromisoformat(birthday)
    upcoming_year = today.year if (month, day) >= (today.month, today.day) else today.year + 1
    age = upcoming_year - born.year
    if (month, day) == (today.month, today.day):
        return f"{words} (turns {age} today)"
    return f"{words} (turns {age})" if age > 0 else words
