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
from datetime import datetime

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
    intensity = 0.0
    inbound = outbound = 0
    kinds: set[str] = set()
    first = now_julian
    for kind, direction, occurred_at in interactions:
        at = julian(occurred_at)
        age = max(0.0, now_julian - at)
        intensity += KIND_WEIGHTS.get(kind, 1.0) * 0.5 ** (age / HALF_LIFE_DAYS)
        inbound += direction != "out"
        outbound += direction != "in"
        kinds.add(kind)
        first = min(first, at)
    parts = {
        "intensity": 1 - math.exp(-intensity / 6),
        "reciprocity": _reciprocity(inbound, outbound),
        "duration": min(1.0, (now_julian - first) / 365.25 / 5),
        "multiplexity": min(1.0, len(kinds) / 3),
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


_EPOCH = datetime(2000, 1, 1)
_EPOCH_JULIAN = 2451544.5


def julian(stamp: str) -> float:
    """Julian day of a stored 'YYYY-MM-DD HH:MM:SS' stamp (as SQLite's julianday)."""
    moment = datetime(
        int(stamp[0:4]), int(stamp[5:7]), int(stamp[8:10]),
        int(stamp[11:13] or 0), int(stamp[14:16] or 0), int(stamp[17:19] or 0),
    ) if len(stamp) >= 19 else datetime(int(stamp[0:4]), int(stamp[5:7]), int(stamp[8:10]))  # fmt: skip
    return _EPOCH_JULIAN + (moment - _EPOCH).total_seconds() / 86400
