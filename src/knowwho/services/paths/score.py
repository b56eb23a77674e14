"""How a warm route is scored: small pure functions, each tested on its own.

The rule. A route is "you → first contact → … → target". Its score is the
value of your tie to the first contact times the strength of every step
onward:

    score = first_tie_value(your tie strength) × Π onward step strengths

- Your own tie counts the more the closer it is: a close friend answers,
  vouches and passes you on; a one-conversation acquaintance may not reply.
  (Moderately weak ties carry the most new information across a network,
  Rajkumar et al., Science 2022; that is about where news comes from, not
  whom to ask for a favour.) A contact with no history still counts a little.
- Onward steps are how sure the link is: a recorded "knows" counts its
  confidence (1.0 when you recorded it), colleagues inferred from
  overlapping jobs count less the shorter the overlap and the longer ago it
  ended, having met at the same event counts little, a current job at the
  target counts 1.0 and a past one PAST_ROLE.
- Routes are listed by that score, best first; among equal scores, fewer
  introductions first, then the first person met last.

So a strong first tie with a sure link onward (0.9 → knows, 1.0 → at Acme
now: 0.9 × 1.0 × 1.0) beats a weak contact who is there already (0.2 → at
Acme now: 0.24), and both beat a chain of weak ones.
"""

from __future__ import annotations

import math
from datetime import date, timedelta

FLOOR = 0.05  # a contact with no recorded history is still someone to ask
CURRENT_ROLE = 1.0
PAST_ROLE = 0.4  # someone who left knows the place, but is no longer inside it
COLLEAGUE_MAX = 0.8  # long overlap, recent
COLLEAGUE_MIN = 0.2
ASSUMED_STINT = timedelta(days=365)  # a stint whose start is not known
BIG_ORGANIZATION = 150  # beyond this many people on record, sharing an employer says little


def first_tie_value(strength: float) -> float:
    """The worth of asking a contact of this tie strength: rises with the tie, from FLOOR (none) to 1 (closest)."""
    s = min(max(strength, 0.0), 1.0)
    return FLOOR + (1 - FLOOR) * s


def role_strength(is_current: bool) -> float:
    """The last step into an organization: working there now, or having worked there."""
    return CURRENT_ROLE if is_current else PAST_ROLE


def colleague_strength(overlap_days: int, years_since: float, organization_size: int) -> float:
    """How surely two people who worked at one place at the same time know each other (0 when they can't).

    Longer overlap raises it (a year's overlap reaches most of the way),
    every year since they last shared the place lowers it a little, and a
    large organization (over BIG_ORGANIZATION people on record) gives none.
    """
    if overlap_days <= 0 or organization_size > BIG_ORGANIZATION:
        return 0.0
    grown = 1 - math.exp(-overlap_days / 365)
    faded = math.exp(-max(years_since, 0.0) / 10)
    return round(COLLEAGUE_MIN + (COLLEAGUE_MAX - COLLEAGUE_MIN) * grown * faded, 4)


def route_score(first_tie: float, onward: list[float]) -> float:
    """first_tie_value(first_tie) × the product of the onward step strengths."""
    return first_tie_value(first_tie) * math.prod(onward)


def route_key(
    introductions: int, score: float, names: tuple[str, ...], met_on: str | None = None
) -> tuple[float, int, int, tuple[str, ...]]:
    """Sort key, best first: higher score, then fewer introductions, then the first person met last (among
    contacts alike, such as a LinkedIn import's, the newer connection remembers you better), then names."""
    return (-round(score, 9), introductions, -_day_number(met_on), names)


def _day_number(day: str | None) -> int:
    try:
        return date.fromisoformat((day or "")[:10]).toordinal()
    except ValueError:  # not recorded, or only a year: as if met longest ago
        return 0


def overlap_days(
    a: tuple[date | None, date | None], b: tuple[date | None, date | None], today: date
) -> tuple[int, date | None]:
    """Days two stints (start, end; end None: still there) share, and the day the shared time ended.

    An unknown start counts as a year before the stint's end (or today):
    two people both recorded at a place now, without dates, have shared it
    for at least a while.
    """
    (a_start, a_end), (b_start, b_end) = a, b
    a_stop, b_stop = min(a_end or today, today), min(b_end or today, today)
    begin = max(a_start or a_stop - ASSUMED_STINT, b_start or b_stop - ASSUMED_STINT)
    end = min(a_stop, b_stop)
    days = (end - begin).days
    return (days, end) if days > 0 else (0, None)


# -- how surely two people know each other, from what they shared --------------------------
INTRODUCED = 1.0  # the user introduced them: they have met
THREAD_MOST = 4  # a personal mail to more people than this says little about who knows whom
SHARED_MAX = 0.9  # nothing inferred is as sure as what the user recorded
# Having been at the same event is weak evidence that two people know each other (a five-day conference
# gathers thousands): never a "shared contact", and little weight on a route, however it was recorded.
EVENT_ONE = 0.15  # one event where the user met at most two people
EVENT_MIN = 0.03
EVENT_MOST = 0.3  # many events together still say less than one mail thread
SAME_EVENT = "same-event"  # the source of such a tie
BIG_EVENT = 150  # beyond this many people met there, having been there too says little (as for employers)


def co_recipient_strength(threads: int, size: int) -> float:
    """On the same personal mail threads: 0.6 for one thread with two people, 0.5 with three, 0.4 with four;
    every further thread makes it surer, up to SHARED_MAX; nothing for threads of more than THREAD_MOST."""
    if threads <= 0 or not 2 <= size <= THREAD_MOST:
        return 0.0
    one = 0.6 - 0.1 * (size - 2)
    return round(min(SHARED_MAX, 1 - (1 - one) ** threads), 4)


def event_strength(events: int, size: int) -> float:
    """Met by the user at the same events: EVENT_ONE at an event where the user met two people, less the
    more people met there (0.3 / size, at least EVENT_MIN); every further event adds a little, up to EVENT_MOST."""
    if events <= 0 or size < 2:
        return 0.0
    one = max(EVENT_MIN, min(EVENT_ONE, 0.3 / size))
    return round(min(EVENT_MOST, 1 - (1 - one) ** events), 4)


def knows_strength(source: str, confidence: float) -> float:
    """A "knows" on record, as a step of a route: its confidence, except that a meeting at the same event
    (as a calendar import records it) counts at most EVENT_ONE."""
    return min(confidence, EVENT_ONE) if source == SAME_EVENT else confidence
