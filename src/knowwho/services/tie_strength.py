"""Tie strength: a score in [0, 1] per contact, explainable by its parts.

Following Gilbert & Karahalios (2009), a tie is measured by several
dimensions; each is mapped to [0, 1] and combined with documented weights:

- intensity (0.45): interactions weighted by kind, each decayed with a
  half-life of HALF_LIFE_DAYS, saturating (1 - exp(-x / 6));
- reciprocity (0.15): balance of inbound and outbound (mutual counts as both),
  scaled by evidence (full weight from 10 interactions on: one call proves little);
- duration (0.10): years since first contact, saturating at 5;
- multiplexity (0.10): distinct kinds of interaction, saturating at 3;
- embeddedness (0.10): known mutual contacts, saturating at 10;
- closeness (0.10, and half the score when rated): my own 1-5 rating.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass

HALF_LIFE_DAYS = 180.0
KIND_WEIGHTS = {
    "meeting": 3.0, "coffee": 3.0, "interview": 3.0, "informational-interview": 3.0,
    "call": 2.0, "event": 2.0, "intro": 1.5, "email": 1.0, "message": 0.7,
}  # fmt: skip
WEIGHTS = {"intensity": 0.45, "reciprocity": 0.15, "duration": 0.10, "multiplexity": 0.10, "embeddedness": 0.10}
TIERS = ((0.55, "strong"), (0.3, "moderate"), (0.1, "weak"))


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


def compute(
    interactions: Iterable[tuple[str, str, str]],
    *,
    now_julian: float,
    knows_count: int = 0,
    closeness: int | None = None,
) -> TieStrength:
    """Score one person from (kind, direction, occurred_at) tuples."""
    tally = Tally(now_julian)
    add = tally.add
    for kind, direction, occurred_at in interactions:
        add(kind, direction, occurred_at)
    return tally.result(knows_count=knows_count, closeness=closeness)


class Tally:
    """The running sums a score is made of, fed one interaction at a time.

    Feeding the same interactions in the same order gives exactly `compute`'s
    score: a large import tallies conversations as it writes them instead of
    reading them all back at the end.
    """

    __slots__ = ("first", "inbound", "intensity", "kinds", "now_julian", "outbound")

    def __init__(self, now_julian: float) -> None:
        self.now_julian = now_julian
        self.intensity = 0.0
        self.inbound = self.outbound = 0
        self.kinds: set[str] = set()
        self.first = now_julian

    def add(self, kind: str, direction: str, occurred_at: str) -> None:
        at = julian(occurred_at)
        age = max(0.0, self.now_julian - at)
        self.intensity += KIND_WEIGHTS.get(kind, 1.0) * 0.5 ** (age / HALF_LIFE_DAYS)
        self.inbound += direction != "out"
        self.outbound += direction != "in"
        self.kinds.add(kind)
        if at < self.first:
            self.first = at

    def result(self, *, knows_count: int = 0, closeness: int | None = None) -> TieStrength:
        now_julian = self.now_julian
        parts = {
            "intensity": 1 - math.exp(-self.intensity / 6),
            "reciprocity": _reciprocity(self.inbound, self.outbound),
            "duration": min(1.0, (now_julian - self.first) / 365.25 / 5),
            "multiplexity": min(1.0, len(self.kinds) / 3),
            "embeddedness": min(1.0, knows_count / 10),
        }
        score = sum(WEIGHTS[k] * v for k, v in parts.items()) / 0.9
        if closeness is not None:
            parts["closeness"] = (closeness - 1) / 4
            score = 0.5 * score + 0.5 * parts["closeness"]
        score = round(min(1.0, max(0.0, score)), 4)
        return TieStrength(score=score, parts=parts, tier=tier_of(score))


def _reciprocity(inbound: int, outbound: int) -> float:
    if not (inbound and outbound):
        return 0.0
    evidence = min(1.0, max(inbound, outbound) / 10)
    return min(inbound, outbound) / max(inbound, outbound) * evidence


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
