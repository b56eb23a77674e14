"""Colleagues are a network too: now and then, today suggests a coffee with a colleague the user barely knows.

With the user's current job recorded (`knowwho me role ORG` without an end),
every few days one contact who works there now and whose tie is weak or
dormant is suggested, a different one each time (rotating by date), so the
user gets to know the people around them, and through them their networks.
Two indexed reads: the current jobs, then a count and one row of colleagues.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime
from functools import partial
from typing import TYPE_CHECKING

from knowwho.services.tie_strength import TIERS
from knowwho.storage import colleagues as store
from knowwho.wording import days_ago

if TYPE_CHECKING:
    from knowwho.services.agenda import AgendaItem, Candidate
    from knowwho.services.context import ServiceContext

EVERY_DAYS = 3  # "now and then": one day in three
BARELY = dict((name, floor) for floor, name in TIERS)["moderate"]  # below a moderate tie: weak or dormant


def suggests_today(today: date) -> bool:
    return today.toordinal() % EVERY_DAYS == 0


def pick(today: date, organizations: int, colleagues_at: list[int]) -> tuple[int, int] | None:
    """(which organization, which colleague there) for this day; the same all day, the next one next time."""
    if not suggests_today(today) or organizations == 0:
        return None
    turn = today.toordinal() // EVERY_DAYS
    org = turn % organizations
    count = colleagues_at[org]
    return (org, (turn // organizations) % count) if count else None


def coffee_with_a_colleague(ctx: ServiceContext, today: date) -> Iterator[Candidate]:
    """At most one keep-in-touch action a day: a coffee with a colleague at the user's current job."""
    if not suggests_today(today):
        return
    conn = ctx.db.conn
    organizations = store.my_current_organizations(conn)
    counts = [store.barely_known_colleagues(conn, oid, below=BARELY) for oid, _ in organizations]
    chosen = pick(today, len(organizations), counts)
    if chosen is None:
        return
    org_id, organization = organizations[chosen[0]]
    found = store.barely_known_colleague(conn, org_id, below=BARELY, number=chosen[1])
    if found is None:
        return
    person_id = found[0]
    yield (
        "keep-in-touch",
        f"keep-in-touch:{person_id}:colleague-{today.isoformat()}",
        partial(_item, found, organization, today),
    )


def _item(found: tuple[int, str, str, str | None], organization: str, today: date) -> AgendaItem:
    from knowwho.services.agenda import AgendaItem

    person_id, name, title, last = found
    spoke = datetime.fromisoformat(last[:19]).replace(tzinfo=UTC).astimezone().date() if last else None
    known = f"you last spoke {days_ago((today - spoke).days)}" if spoke else "you have not really talked yet"
    role = f" ({title})" if title else ""
    return AgendaItem(
        action="keep-in-touch", key=f"keep-in-touch:{person_id}:colleague-{today.isoformat()}", person_id=person_id,
        person=name, due=today.isoformat(), log_kind="coffee",
        reason=f"works with you at {organization}{role} and {known}: ask them for a coffee; every colleague opens "
        "a network of their own",
    )  # fmt: skip
