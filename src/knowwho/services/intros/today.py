"""Today's suggestions (DESIGN 4.1, item 7): the best introductions to make, and whom to give back to.

Suggestions are read from the last `knowwho intros` run (checked against
introductions and acquaintances made since), never computed here: matching
reads every contact with a situation, need or offer, and the list must stay
fast and read through indexes on a large network.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import partial
from typing import TYPE_CHECKING

from knowwho.services.context import ServiceContext

if TYPE_CHECKING:
    from knowwho.services.agenda import AgendaItem, Candidate
    from knowwho.services.intros.kept import Suggestion

INTROS_PER_DAY = 2
GIVE_BACK_PER_DAY = 2


def candidates(ctx: ServiceContext, today: date) -> Iterator[Candidate]:
    """Today's introduce and give-back actions, each built only when listed."""
    from knowwho.services.give_back import most_owed

    for owed in most_owed(ctx.db.conn, limit=GIVE_BACK_PER_DAY):
        reason = (
            f"they gave you {owed.received} things (last on {owed.last_received_on}) and you gave {owed.given}: "
            "share something useful, make an introduction, or say thanks"
        )
        key = f"give-back:{owed.person_id}:{owed.received}"
        yield "give-back", key, partial(_item, "give-back", key, owed.person_id, owed.name, today, reason)
    for s in _suggestions(ctx):
        key = f"introduce:{s.person_a_id}:{s.person_b_id}"
        reason = f"introduce them: {s.reason} (`knowwho intro {s.person_a_id} {s.person_b_id}`)"
        person = f"{s.person_a} ↔ {s.person_b}"
        yield "introduce", key, partial(_item, "introduce", key, s.person_a_id, person, today, reason)


def _suggestions(ctx: ServiceContext) -> list[Suggestion]:
    from knowwho.services.intros.kept import last_suggestions

    return last_suggestions(ctx.db.conn)[1][:INTROS_PER_DAY]


def _item(action: str, key: str, person_id: int, person: str, today: date, reason: str) -> AgendaItem:
    from knowwho.services.agenda import AgendaItem

    return AgendaItem(
        action=action, key=key, person_id=person_id, person=person, due=today.isoformat(), reason=reason, log_kind=None
    )
