"""Which importer a file is for, from its name and its first bytes: one drop zone takes any of them."""

from __future__ import annotations

import re
from pathlib import PurePath

HEAD_BYTES = 64 * 1024  # enough for a CSV header behind LinkedIn's notes, or a few mail headers

_BY_EXTENSION = {
    ".vcf": "vcard", ".vcard": "vcard", ".ics": "ics", ".ical": "ics", ".mbox": "mail", ".mbx": "mail",
    ".eml": "mail", ".zip": "linkedin", ".json": "json",
}  # fmt: skip
_LINKEDIN_COLUMNS = ("connected on", "conversation id", "invitation", "sent at")
_MAIL_HEADER = re.compile(rb"^(received|return-path|message-id|delivered-to|from|to|subject|date|mime-version):", re.I)


def _text(head: bytes) -> str:
    """The head as text, whatever its encoding (UTF-16 vCards, a BOM, cp1252 CSVs)."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", errors="ignore")
    if head[:1] == b"\x00" or head[1:2] == b"\x00":  # UTF-16 without a byte order mark
        return head.decode("utf-16-be" if head[:1] == b"\x00" else "utf-16-le", errors="ignore")
    return head.decode("utf-8", errors="replace").lstrip("\ufeff")


def _from_contents(head: bytes) -> str | None:
    text = _text(head)
    start = text.lstrip()[:2000].upper()
    if head.startswith(b"PK\x03\x04"):
        return "linkedin"  # the .zip LinkedIn sends (the importer says so if it is another archive)
    if "BEGIN:VCARD" in start:
        return "vcard"
    if "BEGIN:VCALENDAR" in start:
        return "ics"
    if head.startswith(b"From ") or _MAIL_HEADER.match(head.lstrip()):
        return "mail"
    if start.startswith("{") and '"PEOPLE"' in text[:HEAD_BYTES].upper():
        return "json"
    lines = [line.strip().lower() for line in text.splitlines()[:40] if line.strip()]
    header = next((line for line in lines if line.count(",") >= 2), "")
    if header:
        return "linkedin" if any(column in header for column in _LINKEDIN_COLUMNS) else "csv"
    return None


def detect_kind(filename: str, head: bytes) -> str | None:
    """'vcard', 'ics', 'mail', 'linkedin', 'csv' or 'json' for a file, or None when neither says."""
    by_contents = _from_contents(head)
    by_name = _BY_EXTENSION.get(PurePath(filename).suffix.lower())
    if by_contents == "linkedin" and by_name == "linkedin":
        return "linkedin"
    return by_contents or by_name
