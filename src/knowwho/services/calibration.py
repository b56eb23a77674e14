"""Calibrating tie strength to the user's own closeness ratings (Gilbert & Karahalios 2009).

A small logistic fit of the ratings (1-5, read as 0 to 1) on the parts of
each rated person's score; the fitted weights (negative ones dropped, then
scaled to add up to 1) are kept in the settings table and used for everyone.
numpy is imported only here, when the user calibrates.
"""

from __future__ import annotations

from dataclasses import dataclass

from knowwho.errors import InvalidInput
from knowwho.services import tie_strength
from knowwho.services.context import ServiceContext
from knowwho.services.interactions import refresh_everyone
from knowwho.storage import interactions as interaction_store
from knowwho.storage import tie_weights

MIN_RATINGS = 20


@dataclass(frozen=True, slots=True)
class Calibration:
    ratings: int
    agreement_before: float  # share of differently rated pairs the score orders as the ratings do
    agreement_after: float
    weights: dict[str, float]
    applied: bool  # False when the fit agreed no better than the weights in use


class CalibrationService:
    def __init__(self, ctx: ServiceContext) -> None:
        self.ctx = ctx

    def weights(self) -> dict[str, float]:
        """The weights in use: calibrated, or the documented defaults."""
        return tie_strength.normalised(tie_weights.get(self.ctx.db.conn))

    def is_calibrated(self) -> bool:
        return tie_weights.get(self.ctx.db.conn) is not None

    def calibrate(self) -> Calibration:
        conn = self.ctx.db.conn
        rated = tie_weights.rated_people(conn)
        if len(rated) < MIN_RATINGS:
            raise InvalidInput(
                f"calibration needs closeness ratings for at least {MIN_RATINGS} people; you have rated "
                f"{len(rated)} (rate someone with `knowwho edit PERSON --closeness 1-5`)"
            )
        now_julian = tie_strength.julian(self.ctx.now_stamp())
        rows = []
        for person_id, _rating in rated:
            tally = tie_strength.Tally(now_julian)
            for row in interaction_store.tie_rows(conn, person_id):
                tally.add(*row)
            rows.append(tally.parts(knows_count=interaction_store.knows_count(conn, person_id)))
        ratings = [rating for _pid, rating in rated]
        current = self.weights()
        before = tie_strength.concordance([tie_strength.combine(p, current) for p in rows], ratings)
        fitted = tie_strength.normalised(_fit(rows, ratings))
        after = tie_strength.concordance([tie_strength.combine(p, fitted) for p in rows], ratings)
        applied = after > before
        if applied:
            with self.ctx.change(f"calibrated tie strength on {len(rated)} closeness ratings") as tx:
                tie_weights.put(tx, fitted)
                refresh_everyone(tx, now_julian=now_julian)
        return Calibration(len(rated), before, after, fitted if applied else current, applied)

    def reset(self) -> dict[str, float]:
        with self.ctx.change("tie strength back to its default weights") as tx:
            tie_weights.put(tx, None)
            refresh_everyone(tx, now_julian=tie_strength.julian(self.ctx.now_stamp()))
        return dict(tie_strength.WEIGHTS)


def _fit(rows: list[dict[str, float]], ratings: list[int]) -> dict[str, float]:
    """Logistic regression of the rating (1-5 as 0..1) on the parts, by gradient descent with a little L2."""
    import numpy as np

    x = np.array([[p[name] for name in tie_strength.PARTS] for p in rows], dtype=float)
    y = (np.array(ratings, dtype=float) - 1) / 4
    coef = np.zeros(x.shape[1])
    bias = 0.0
    for _ in range(3000):
        predicted = 1 / (1 + np.exp(-(x @ coef + bias)))
        error = predicted - y
        coef -= 0.5 * (x.T @ error / len(y) + 0.01 * coef)
        bias -= 0.5 * float(error.mean())
    return {name: float(value) for name, value in zip(tie_strength.PARTS, coef, strict=True)}
