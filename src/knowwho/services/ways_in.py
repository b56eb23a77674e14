"""Ways into the organizations the user wants to join: one a day on today's list.

Networking is sometimes the only way into an organization. For each target
organization (marked on its page), the contacts who work there now are offered
in turn, the closest first and, among ties alike (a LinkedIn import's are all
dormant), the one met last: ask them for twenty minutes about their work
there, an informational interview, never a request for a job. A target where
the user wrote to someone inside within RECENT_DAYS is left alone: that way in
is being tried. The list takes one a day at most (the rest waits behind "show
more"), the targets taking turns by day, the most wanted the most often. One
indexed read: the roles at the targets.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import TYPE_CHECKING

from knowwho.services import agenda_reasons as reasons
from knowwho.storage import ways_in as store
from knowwho.storage.ways_in import InsideContact

if TYPE_CHECKING:
    from knowwho.services.agenda import AgendaItem, Candidate
    from knowwho.services.context import ServiceContext

RECENT_DAYS = 30  # a message to someone inside within this many days: that way in is being tried
PER_TARGET = 3  # contacts offered per target: a dismissed one makes way for the next


def candidates(ctx: ServiceContext, today: date) -> Iterator[Candidate]:
    """Whom to ask about a target organization, best first (today's list shows the first one not marked)."""
    for inside in ranked(store.contacts_at_targets(ctx.db.conn), today):
        key = f"way-in:{inside.person_id}:{inside.organization_id}"
        yield "way-in", key, partial(_item, inside, key, today)


def ranked(contacts: Iterable[InsideContact], today: date) -> list[InsideContact]:
    """The targets in turn by day, each with its closest contacts inside.

    A target's share of the days is its interest (1 to 5; 1 when not given): at interests 5 and 1, the first
    leads five days in six.
    """
    since = (today - timedelta(days=RECENT_DAYS)).isoformat()
    by_target: dict[int, list[InsideContact]] = {}
    for inside in contacts:
        by_target.setdefault(inside.organization_id, []).append(inside)
    untried = [people for people in by_target.values() if not any((p.last_outbound_at or "") >= since for p in people)]
    untried.sort(key=lambda people: (-people[0].interest, people[0].organization, people[0].organization_id))
    turns = [n for n, people in enumerate(untried) for _ in range(max(1, people[0].interest))]
    if not turns:
        return []
    first = turns[today.toordinal() % len(turns)]
    order = untried[first:] + untried[:first]
    return [p for people in order for p in sorted(people, key=_closest_first)[:PER_TARGET]]


def _closest_first(inside: InsideContact) -> tuple[float, int, int]:
    return (-inside.tie_strength, -_ordinal(inside.first_met_on), inside.person_id)


def _ordinal(day: str | None) -> int:
    try:
        return date.fromisoformat((day or "")[:10]).toordinal()
    except ValueError:  # not recorded (or only a year): met longest ago
        return 0


def _item(inside: InsideContact, key: str, today: date) -> AgendaItem:
    from knowwho.services.agenda import LOG_KIND, AgendaItem

    last = inside.last_interaction_at
    spoke = datetime.fromisoformat(last[:19]).replace(tzinfo=UTC).astimezone().date() if last else None
    return AgendaItem(
        action="way-in", key=key, person_id=inside.person_id, person=inside.name, due=today.isoformat(),
        reason=reasons.way_in(organization=inside.organization, title=inside.title, spoke=spoke, today=today),
        log_kind=LOG_KIND["way-in"],
    )  # fmt: skip
