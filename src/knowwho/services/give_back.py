"""Whom to give back to: people the user received much from and gave little to (today's give-back items).

Apart from the ledger service so that today's list reads them without loading it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from knowwho.storage import agenda as agenda_store

GIVE_BACK_MIN = 2  # received at least this often, and more than twice what was given


@dataclass(frozen=True, slots=True)
class GiveBack:
    person_id: int
    name: str
    given: int
    received: int
    last_received_on: str


def most_owed(conn: sqlite3.Connection, *, limit: int) -> list[GiveBack]:
    """The people the user owes most, most owed first."""
    return [GiveBack(*row) for row in agenda_store.owed(conn, min_received=GIVE_BACK_MIN, limit=limit)]
