"""The id a knowwho export gives each person, so that importing the file back finds them again.

`urn:knowwho:person:<id>:<created>`: the person's id in this database and when
their record was made. The second part keeps another database's person #12
from being taken for this one's (a file exported elsewhere is matched by email
and profile URL as any other file).
"""

from __future__ import annotations

import re

PREFIX = "urn:knowwho:person:"
_REF = re.compile(r"^urn:knowwho:person:(\d{1,18}):(\d{8}T\d{6}Z)$", re.IGNORECASE)


def person_ref(person_id: int, created_at: str) -> str:
    return f"{PREFIX}{person_id}:{_compact(created_at)}"


def parse_person_ref(text: str) -> tuple[int, str] | None:
    """(id, compact creation stamp) of a knowwho person id, None for anything else."""
    found = _REF.match(text.strip())
    return (int(found[1]), found[2].upper()) if found else None


def same_record(ref: tuple[int, str], person_id: int, created_at: str) -> bool:
    return ref == (person_id, _compact(created_at))


def _compact(stamp: str) -> str:
    """'2026-11-18 15:00:00' -> '20261118T150000Z' (stamps are UTC)."""
    digits = re.sub(r"\D", "", stamp)[:14].ljust(14, "0")
    return f"{digits[:8]}T{digits[8:]}Z"
