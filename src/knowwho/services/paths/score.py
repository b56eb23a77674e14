"""How a warm route is scored: small pure functions, each tested on its own.

The rule. A route is "you → first contact → … → target". Its score is the
value of your tie to the first contact times the strength of every step
onward:

    score = first_tie_value(your tie strength) × Π onward step strengths

- Your own tie counts on an inverted U that peaks at moderately weak ties
  (tie strength ≈ 0.45): those contacts reach beyond your own circle and
  still answer, which is what made them the most useful for job mobility in
  Rajkumar et al. (Science, 2022). A strong tie is still good, a dormant one
  nearly worthless.
- Onward steps are how sure the link is: a recorded "knows" counts its
  confidence (1.0 when you recorded it), colleagues inferred from
  overlapping jobs count less the shorter the overlap and the longer ago it
  ended, a current job at the target counts 1.0 and a past one 0.5.
- Fewer introductions come first: a contact who is already there beats any
  route through someone else; among routes of one length, the higher score.

So a moderately weak first tie with a strong link onward (0.45 → 0.9 → now
at Acme: 0.9) beats a chain of weak ones (0.1 → 0.4 → used to be at Acme:
0.5 × 0.4 × 0.5 = 0.1).
"""

from __future__ import annotations

import math
from datetime import date, timedelta

PEAK = 0.45  # the tie strength worth most as a first step (moderately weak)
FLOOR = 0.05  # a contact with no recorded history is still someone to ask
CURRENT_ROLE = 1.0
PAST_ROLE = 0.5
COLLEAGUE_MAX = 0.8  # long overlap, recent
COLLEAGUE_MIN = 0.2
ASSUMED_STINT = timedelta(days=365)  # a stint whose start is not known
BIG_ORGANIZATION = 150  # beyond this many people on record, sharing an employer says little


def first_tie_value(strength: float) -> float:
    """The worth of asking a contact of this tie strength: FLOOR..1, highest at PEAK.

    x·e^(1−x) with x = strength / PEAK rises to 1 at the peak and falls
    slowly after it (a strong tie at 1.0 is still worth about 0.67).
    """
    s = min(max(strength, 0.0), 1.0)
    x = s / PEAK
    return FLOOR + (1 - FLOOR) * x * math.exp(1 - x)


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


def route_key(introductions: int, score: float, names: tuple[str, ...]) -> tuple[int, float, tuple[str, ...]]:
    """Sort key, best first: fewer introductions, then higher score, then names (stable output)."""
    return (introductions, -round(score, 9), names)


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
EVENT_MIN = 0.1
BIG_EVENT = 150  # beyond this many people met there, having been there too says little (as for employers)


def co_recipient_strength(threads: int, size: int) -> float:
    """On the same personal mail threads: 0.6 for one thread with two people, 0.5 with three, 0.4 with four;
    every further thread makes it surer, up to SHARED_MAX; nothing for threads of more than THREAD_MOST."""
    if threads <= 0 or not 2 <= size <= THREAD_MOST:
        return 0.0
    one = 0.6 - 0.1 * (size - 2)
    return round(min(SHARED_MAX, 1 - (1 - one) ** threads), 4)


def event_strength(events: int, size: int) -> float:
    """Met by the user at the same events: 0.5 at an event where the user met at most three people,
    less the more people met there (1.5 / size, at least EVENT_MIN); every further event makes it surer."""
    if events <= 0 or size < 2:
        return 0.0
    one = max(EVENT_MIN, min(0.5, 1.5 / size))
    return round(min(SHARED_MAX, 1 - (1 - one) ** events), 4)
