"""Tie strength: a score in [0, 1] per contact, explainable by its parts.

Following Gilbert & Karahalios (2009), a tie is measured on several
dimensions. Each is mapped to a part in [0, 1]; the score is the weighted sum
of the parts (the weights add up to 1, so the score stays in [0, 1]):

- intensity (0.50): how much we talk, lately. Each conversation counts once,
  weighted by kind (a meeting 3, a call 2, an email 1, a message 0.7; see
  KIND_WEIGHTS). A conversation is contact of one kind with no silence of
  CONVERSATION_GAP_HOURS or more inside it: a long thread on one evening is one
  conversation, not forty, even across midnight, and a morning call and an
  evening call are two. More contact within one adds only logarithmically
  (1 + ln n), a message to many people counts less (full weight up to
  GROUP_SIZE participants, then GROUP_SIZE / n: Kossinets & Watts drop those
  to more than four), and every conversation is decayed from its latest
  contact with a half-life of HALF_LIFE_DAYS. The sum D maps to
  D / (D + INTENSITY_SCALE). Counting by silence, not by calendar day, keeps
  the score independent of the clock: where midnight falls in the user's time
  zone (or in UTC, which the stamps are in) changes nothing.
- recency (0.15): 0.5 ** (days since we last spoke / RECENCY_HALF_LIFE_DAYS).
- reciprocity (0.05): the smaller of inbound and outbound (a conversation held
  together counts as both), decayed like intensity, as r / (r + 3): both sides
  must talk, and more than once.
- duration (0.15): time since first contact, t / (t + 90 days).
- multiplexity (0.075): kinds of contact used, saturating at 3.
- embeddedness (0.075): known mutual contacts, k / (k + 5).

Checked as a predictor of "will we talk again" on real timestamped networks
(bench/README.md, "Tie strength"): the score ranks better than days since the
last message, the message count or a decayed count. The weights above are the
defaults, chosen on one email network only (the best there among weights that
keep every part at 0.05 or more and the tiers' meaning below). They are
learned from the user's own history (tie_learning.py) or fitted to their
closeness ratings (`knowwho calibrate`); a rating, where given, is half of
that person's score.

Tiers read the score on a fixed scale whose steps mean something in a life:
"strong" needs weeks of frequent, two-way, recent contact, so only a handful
reach it; one call leaves a moderate tie moderate; a tie silent for over a
year is not strong, however long it was.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from operator import itemgetter

HALF_LIFE_DAYS = 90.0
RECENCY_HALF_LIFE_DAYS = 60.0
INTENSITY_SCALE = 6.0
RECIPROCITY_SCALE = 3.0
DURATION_SCALE_DAYS = 90.0
EMBEDDEDNESS_SCALE = 5.0
GROUP_SIZE = 4
# Contact of one kind with a person less than this far apart is one conversation (counted once). Chosen on one
# email network (bench/README.md, "Tie strength"): 4 to 12 hours rank alike there; a night's silence separates.
CONVERSATION_GAP_HOURS = 6.0
KIND_WEIGHTS = {
    "meeting": 3.0, "coffee": 3.0, "interview": 3.0, "informational-interview": 3.0,
    "call": 2.0, "event": 2.0, "intro": 1.5, "email": 1.0, "message": 0.7,
}  # fmt: skip
PARTS = ("intensity", "recency", "reciprocity", "duration", "multiplexity", "embeddedness")
WEIGHTS: dict[str, float] = {
    "intensity": 0.50, "recency": 0.15, "reciprocity": 0.05,
    "duration": 0.15, "multiplexity": 0.075, "embeddedness": 0.075,
}  # fmt: skip
CLOSENESS_SHARE = 0.5
TIERS = ((0.7, "strong"), (0.45, "moderate"), (0.25, "weak"))

_LN2 = math.log(2)
_GAP_DAYS = CONVERSATION_GAP_HOURS / 24


@dataclass(frozen=True, slots=True)
class TieStrength:
    score: float
    parts: dict[str, float]
    tier: str


def tier_of(score: float) -> str:
    for threshold, name in TIERS:
        if score >= threshold:
            return name
    return "dormant"


def normalised(weights: Mapping[str, float] | None) -> dict[str, float]:
    """Weights for every part, non-negative and adding up to 1 (the defaults when none are usable)."""
    if not weights:
        return dict(WEIGHTS)
    clean = {part: max(0.0, float(weights.get(part, 0.0))) for part in PARTS}
    total = sum(clean.values())
    if not math.isfinite(total) or total <= 0:
        return dict(WEIGHTS)
    return {part: value / total for part, value in clean.items()}


def shares(weights: Mapping[str, float], *, rated: bool) -> dict[str, float]:
    """What each part is multiplied by in the score: its weight, halved beside a closeness rating,
    which takes the other half. Parts times shares add up to the score."""
    if not rated:
        return {part: weights.get(part, 0.0) for part in PARTS}
    return {part: (1 - CLOSENESS_SHARE) * weights.get(part, 0.0) for part in PARTS} | {"closeness": CLOSENESS_SHARE}


def combine(parts: Mapping[str, float], weights: Mapping[str, float], closeness: int | None = None) -> float:
    """The score of these parts: their weighted sum, half of it my closeness rating where given."""
    values = dict(parts)
    if closeness is not None:
        values["closeness"] = closeness_part(closeness)
    score = sum(share * values.get(name, 0.0) for name, share in shares(weights, rated=closeness is not None).items())
    return round(min(1.0, max(0.0, score)), 4)


def closeness_part(closeness: int) -> float:
    return min(1.0, max(0.0, (closeness - 1) / 4))


def compute(
    interactions: Iterable[tuple[str, str, str] | tuple[str, str, str, int]],
    *,
    now_julian: float,
    knows_count: int = 0,
    closeness: int | None = None,
    weights: Mapping[str, float] | None = None,
) -> TieStrength:
    """Score one person from (kind, direction, occurred_at[, participants]) tuples."""
    tally = Tally(now_julian)
    add = tally.add
    for row in interactions:
        add(*row)
    return tally.result(knows_count=knows_count, closeness=closeness, weights=weights)


class Tally:
    """The running sums a score is made of, fed one interaction at a time, in any order.

    A large import tallies conversations as it writes them instead of reading
    them all back at the end; the result equals `compute` on the same rows.
    Interactions of one kind less than CONVERSATION_GAP_HOURS apart are one
    conversation (a chain: each within the gap of the one before), kept per
    kind in time order and decayed by the age of its latest interaction. Rows
    in time order extend or start the last conversation; an earlier row joins,
    starts or bridges conversations where it falls, so the order never changes
    the result.
    """

    __slots__ = ("first", "kinds", "last", "now_julian")

    def __init__(self, now_julian: float) -> None:
        self.now_julian = now_julian
        # kind -> conversations in time order, each [first julian day, latest, weight sum, count, inbound, outbound]
        self.kinds: dict[str, list[list[float]]] = {}
        self.first = math.inf
        self.last = -math.inf

    def add(self, kind: str, direction: str, occurred_at: str, participants: int = 1) -> None:
        self.add_at(kind, direction, julian(occurred_at), participants)

    def add_at(self, kind: str, direction: str, at: float, participants: int = 1) -> None:
        """`add` with the moment as a julian day (SQLite's julianday gives the same value)."""
        share = 1.0 if participants <= GROUP_SIZE else GROUP_SIZE / participants
        ins = 0.0 if direction == "out" else share
        outs = 0.0 if direction == "in" else share
        runs = self.kinds.get(kind)
        if runs is None:
            self.kinds[kind] = [[at, at, share, 1.0, ins, outs]]
        elif at >= runs[-1][1]:  # the usual case: rows come oldest first
            run = runs[-1]
            if at - run[1] < _GAP_DAYS:
                run[1] = at
                run[2] += share
                run[3] += 1.0
                run[4] += ins
                run[5] += outs
            else:
                runs.append([at, at, share, 1.0, ins, outs])
        else:
            _place(runs, [at, at, share, 1.0, ins, outs])
        if at < self.first:
            self.first = at
        if at > self.last:
            self.last = at

    def parts(self, *, knows_count: int = 0) -> dict[str, float]:
        """Each part of the score in [0, 1], before weighting."""
        if not self.kinds:
            return {part: 0.0 for part in PARTS} | {"embeddedness": _saturate(knows_count, EMBEDDEDNESS_SCALE)}
        now = self.now_julian
        intensity = inbound = outbound = 0.0
        # `_decay` written out: this loop runs for every conversation of every person at every replayed moment.
        rate, exp, log = _LN2 / HALF_LIFE_DAYS, math.exp, math.log
        for kind, runs in self.kinds.items():
            weight = KIND_WEIGHTS.get(kind, 1.0)
            for _first, latest, shares, count, ins, outs in runs:
                decay = exp((latest - now) * rate) if latest < now else 1.0
                intensity += weight * shares / count * (1.0 + log(count)) * decay
                inbound += ins * decay
                outbound += outs * decay
        return {
            "intensity": _saturate(intensity, INTENSITY_SCALE),
            "recency": _decay(now - self.last, RECENCY_HALF_LIFE_DAYS),
            "reciprocity": _saturate(min(inbound, outbound), RECIPROCITY_SCALE),
            "duration": _saturate(max(0.0, now - self.first), DURATION_SCALE_DAYS),
            "multiplexity": min(1.0, len(self.kinds) / 3),
            "embeddedness": _saturate(knows_count, EMBEDDEDNESS_SCALE),
        }

    def result(
        self, *, knows_count: int = 0, closeness: int | None = None, weights: Mapping[str, float] | None = None
    ) -> TieStrength:
        parts = self.parts(knows_count=knows_count)
        score = combine(parts, weights or WEIGHTS, closeness)
        if closeness is not None:
            parts["closeness"] = closeness_part(closeness)
        return TieStrength(score=score, parts=parts, tier=tier_of(score))


def _place(runs: list[list[float]], new: list[float]) -> None:
    """Put a single-row conversation that starts before the latest one where it falls in time:
    into the conversation it is within the gap of, or between two it bridges, or on its own."""
    at = new[0]
    i = bisect_right(runs, at, key=itemgetter(0))  # runs[i - 1] starts at or before `at`, runs[i] after it
    joins_before = i > 0 and at - runs[i - 1][1] < _GAP_DAYS
    joins_after = i < len(runs) and runs[i][0] - at < _GAP_DAYS
    if joins_before and joins_after:
        _merge(runs[i - 1], new)
        _merge(runs[i - 1], runs.pop(i))
    elif joins_before:
        _merge(runs[i - 1], new)
    elif joins_after:
        _merge(runs[i], new)
    else:
        runs.insert(i, new)


def _merge(into: list[float], other: list[float]) -> None:
    into[0] = min(into[0], other[0])
    into[1] = max(into[1], other[1])
    for k in range(2, 6):
        into[k] += other[k]


def _decay(age_days: float, half_life: float) -> float:
    return math.exp(-max(0.0, age_days) * _LN2 / half_life)


def _saturate(value: float, scale: float) -> float:
    return value / (value + scale) if value > 0 else 0.0


# -- agreement with the user's own ratings (for `knowwho calibrate`) ---------------------------


def concordance(scores: Iterable[float], ratings: Iterable[int]) -> float:
    """Of the pairs of people rated differently, the share the scores put in the same order (ties count half).

    0.5 is chance, 1.0 means the score orders everyone as the ratings do.
    """
    pairs = sorted(zip(ratings, scores, strict=True))
    agree = total = 0.0
    for i, (rating_a, score_a) in enumerate(pairs):
        for rating_b, score_b in pairs[i + 1 :]:
            if rating_a == rating_b:
                continue
            total += 1
            agree += 1.0 if score_b > score_a else 0.5 if score_b == score_a else 0.0
    return agree / total if total else 0.5


_MS_PER_DAY = 86_400_000
_day_starts: dict[str, int] = {}  # 'YYYY-MM-DD' -> its first millisecond; stamps of one day repeat


def julian(stamp: str) -> float:
    """Julian day of a stored 'YYYY-MM-DD HH:MM:SS' stamp (or 'YYYY-MM-DD'), exactly as SQLite's julianday.

    Integer arithmetic in SQLite's own steps (its computeJD, in milliseconds):
    faster than going through datetime, and equal to the last bit, so scores
    computed here and comparisons made in SQL agree.
    """
    ms = _day_starts.get(stamp[:10])
    if ms is None:
        ms = _day_start(stamp)
    if len(stamp) >= 19:
        ms += (int(stamp[11:13]) * 3600 + int(stamp[14:16]) * 60 + int(stamp[17:19])) * 1000
    return ms / _MS_PER_DAY


def _day_start(stamp: str) -> int:
    year, month, day = int(stamp[0:4]), int(stamp[5:7]), int(stamp[8:10])
    if month <= 2:
        year -= 1
        month += 12
    century = year // 100
    days = 36525 * (year + 4716) // 100 + 306001 * (month + 1) // 10000 + day + 2 - century + century // 4
    ms = days * _MS_PER_DAY - 131_716_800_000  # the formula's "- 1524.5" days
    if len(_day_starts) >= 100_000:
        _day_starts.clear()
    _day_starts[stamp[:10]] = ms
    return ms
