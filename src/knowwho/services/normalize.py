"""Cleaning what people type or import: emails, phones, tags, names, links."""

from __future__ import annotations

import locale
import re

from knowwho.errors import InvalidInput

_EMAIL = re.compile(r"^[^@\s<>]+@[^@\s<>]+\.[^@\s<>]+$")
_CONTROLS = re.compile(r"[\x00-\x1f\x7f-\x9f]+")
_RECORD_ID = re.compile(r"[0-9]{1,18}")  # ASCII digits, few enough to fit SQLite's 64-bit integers
MAX_NAME_LENGTH = 300  # the API's limit too: a longer "name" is pasted text, and it would widen every list
_PARTICLES = {"van", "von", "de", "del", "della", "da", "di", "la", "le", "du", "der", "den", "bin", "al"}


def record_id(text: str, *, bare: bool = False) -> int | None:
    """The id `text` names as '#12' (or '12' when `bare`), else None.

    `str.isdigit()` also accepts '²', which `int()` refuses, and SQLite cannot hold
    twenty digits: such text is read as a name instead, which then matches nothing.
    """
    digits = text[1:] if text.startswith("#") else text if bare else ""
    return int(digits) if _RECORD_ID.fullmatch(digits) else None


def clean_email(text: str) -> str:
    email = text.strip().strip("<>").lower()
    if email.startswith("mailto:"):
        email = email[7:]
    if not _EMAIL.match(email):
        raise InvalidInput(f"{text!r} is not an email address")
    return email


def default_region() -> str:
    """The phone region of the user's locale (e.g. 'en_GB' -> 'GB'), else US."""
    name = locale.getlocale()[0] or ""
    return name.split("_")[1][:2].upper() if "_" in name else "US"


def normalize_phone(text: str, region: str | None = None) -> str:
    """E.164 when the number parses, else the digits as typed (nothing is thrown away)."""
    raw = text.strip()
    if not raw or not any(c.isdigit() for c in raw):
        raise InvalidInput(f"{text!r} is not a phone number")
    import phonenumbers

    try:
        parsed = phonenumbers.parse(raw, region or default_region())
    except phonenumbers.NumberParseException:
        return raw
    if not phonenumbers.is_possible_number(parsed):
        return raw
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


def normalize_tag(text: str) -> str:
    """Tags are lower-case words joined by hyphens: 'Machine Learning' -> 'machine-learning'."""
    return "-".join(re.findall(r"\w+", text.lower().lstrip("#")))


def without_controls(text: str) -> str:
    """One line of text with its control characters (NUL, escape, line breaks) made spaces: a name pasted with
    them would garble every list, export and terminal that shows it."""
    return _CONTROLS.sub(" ", text)


def person_name(text: str) -> str:
    """A person's name as typed, on one line and trimmed; refused when empty or longer than MAX_NAME_LENGTH."""
    name = without_controls(text).strip()
    if not name:
        raise InvalidInput("name: must not be empty")
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput(f"name: at most {MAX_NAME_LENGTH} characters (this one has {len(name):,})")
    return name


def shortened_name(text: str) -> str:
    """An imported name cut to MAX_NAME_LENGTH characters (an import keeps the person rather than refuse them)."""
    return text if len(text) <= MAX_NAME_LENGTH else text[: MAX_NAME_LENGTH - 1].rstrip() + "…"


# A nickname written into a name: "Jordan [JJ]", "Jordan (JJ)", 'Jordan "JJ"'.
_NICKNAME = re.compile(r"\[[^\]]*\]|\([^)]*\)|\"[^\"]*\"|“[^”]*”")


def greeting_name(given: str, display: str) -> str:
    """The name a message greets someone by: their given name without a nickname in brackets or quotes
    ("Jordan [JJ]": Jordan), else the first word of their name, else the nickname itself."""
    if words := _NICKNAME.sub(" ", given).split():
        return " ".join(words)
    if words := _NICKNAME.sub(" ", display).split():
        return words[0]
    return " ".join((given or display).strip('[]()"“” ').split()) or "there"


def split_name(name: str) -> tuple[str, str]:
    """(given, family) of a display name; particles stay with the family name."""
    words = name.strip().split()
    if "," in name:
        family, _, given = name.partition(",")
        return given.strip(), family.strip()
    if len(words) < 2:
        return (words[0] if words else ""), ""
    cut = len(words) - 1
    while cut > 1 and words[cut - 1].lower() in _PARTICLES:
        cut -= 1
    return " ".join(words[:cut]), " ".join(words[cut:])


def link_kind(url: str) -> str:
    lowered = url.lower()
    for needle, kind in (("linkedin.com", "linkedin"), ("twitter.com", "twitter"), ("x.com/", "twitter"),
                         ("github.com", "github"), ("mastodon", "mastodon")):  # fmt: skip
        if needle in lowered:
            return kind
    return "web"


_LINKEDIN_HOST = re.compile(r"^https?://([a-z]{2,3}\.)?(www\.)?linkedin\.com", re.I)


def normalize_linkedin_url(url: str) -> str:
    """One form for a LinkedIn profile URL, so the same person matches across files."""
    if (
        url.startswith("https://www.linkedin.com/")
        and url.islower()
        and "?" not in url
        and url[-1] != "/"
        and not url[-1].isspace()
    ):
        return url  # already in that form, as in LinkedIn's own exports: the common case on large imports
    cleaned = url.strip().split("?")[0].rstrip("/")
    cleaned = _LINKEDIN_HOST.sub("https://www.linkedin.com", cleaned)
    return cleaned.lower() if "linkedin.com" in cleaned.lower() else cleaned
