"""The introduction suggestions kept from the last `knowwho intros` run, as today's list and the page show them.

Reading them loads none of the matching (words, meaning) or drafting code, so
today's list stays quick to start.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import asdict, dataclass

from knowwho.storage import access as settings_store


@dataclass(frozen=True, slots=True)
class Suggestion:
    person_a_id: int
    person_a: str
    person_b_id: int
    person_b: str
    kind: str  # situation, need-offer, new-job
    match: float
    score: float
    reason: str

    def to_dict(self) -> dict[str, object]:
        return asdict(self)


def last_suggestions(conn: sqlite3.Connection) -> tuple[str | None, list[Suggestion]]:
    """The suggestions of the last run, without pairs since introduced, linked or removed."""
    raw = settings_store.get_setting(conn, settings_store.INTRO_SUGGESTIONS_KEY)
    if not raw:
        return None, []
    from knowwho.storage import intros as store  # the checks of a kept pair: only when some were kept

    try:
        payload = json.loads(raw)
        items = [Suggestion(**item) for item in payload["items"]]
    except (ValueError, KeyError, TypeError):
        return None, []
    ids = {i for s in items for i in (s.person_a_id, s.person_b_id)}
    alive = store.live_contacts(conn, ids)
    linked = store.linked_pairs(conn, ids)
    fresh = [
        s for s in items
        if s.person_a_id in alive and s.person_b_id in alive
        and (min(s.person_a_id, s.person_b_id), max(s.person_a_id, s.person_b_id)) not in linked
    ]  # fmt: skip
    return str(payload.get("computed_on") or ""), fresh
