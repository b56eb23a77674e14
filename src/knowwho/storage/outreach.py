"""SQL for reaching out: who referred whom to the user."""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from knowwho.storage import provenance

# A knows edge has no direction (a < b), so a referral's direction is in its source: who sent the user to whom.
A_REFERRED_B = "a-referred-b"
B_REFERRED_A = "b-referred-a"


@dataclass(frozen=True, slots=True)
class Referral:
    referrer_id: int
    referrer: str
    lead_id: int
    lead: str
    created_at: str


def add_referral(conn: sqlite3.Connection, referrer_id: int, lead_id: int, *, note: str, now: str) -> bool:
    """Record that `referrer_id` sent the user to `lead_id`; False when that was known already."""
    low, high = min(referrer_id, lead_id), max(referrer_id, lead_id)
    source = A_REFERRED_B if referrer_id == low else B_REFERRED_A
    return provenance.add_knows(conn, low, high, source=source, confidence=1.0, now=now, note=note)


def referrals(conn: sqlite3.Connection, person_id: int) -> list[Referral]:
    """Referrals touching a person, either end: who sent the user to them, whom they sent the user to."""
    rows = conn.execute(
        """SELECT k.person_a_id, a.display_name, k.person_b_id, b.display_name, k.source, k.created_at
           FROM knows k JOIN people a ON a.id = k.person_a_id JOIN people b ON b.id = k.person_b_id
           WHERE (k.person_a_id = ? OR k.person_b_id = ?) AND k.source IN (?, ?)
             AND a.deleted_at IS NULL AND b.deleted_at IS NULL
           ORDER BY k.created_at, k.id""",
        (person_id, person_id, A_REFERRED_B, B_REFERRED_A),
    ).fetchall()
    return [
        Referral(a, a_name, b, b_name, at) if source == A_REFERRED_B else Referral(b, b_name, a, a_name, at)
        for a, a_name, b, b_name, source, at in rows
    ]
