"""Fitting tie strength's weights to the user: their closeness ratings, and their own history.

Calibrating (Gilbert & Karahalios 2009): a small logistic fit of the ratings
(1-5, read as 0 to 1) on the parts of each rated person's score; numpy is
imported only here, when the user calibrates. Learning: a fit on the user's
replayed history (services/tie_learning.py), done on `knowwho strength --learn`
and after an import once the history has grown by a fifth since the last fit.
Either fit's weights (negative ones dropped, then scaled to add up to 1) are
kept in the settings table and used for everyone; ratings win over history.
Each fit is an undoable change; the one after an import is part of the import.
"""

from __future__ import annotations

import math
import sqlite3
from dataclasses import asdict, dataclass
from itertools import groupby
from operator import itemgetter

from knowwho.errors import InvalidInput
from knowwho.services import tie_learning, tie_strength
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
        """The weights in use: calibrated, learned, or the documented defaults."""
        return tie_strength.normalised(tie_weights.get(self.ctx.db.conn))

    def is_calibrated(self) -> bool:
        return tie_weights.calibrated(self.ctx.db.conn) is not None

    def source(self) -> str:
        """Where the weights in use come from, in words."""
        conn = self.ctx.db.conn
        if tie_weights.calibrated(conn) is not None:
            return "fitted to your closeness ratings"
        learned = learned_weights(conn)
        if learned is not None and learned.improved:
            return "learned from your history"
        return "the defaults"

    def learned(self) -> LearnedWeights | None:
        """What the last fit to the user's history found, or None before there was one."""
        return learned_weights(self.ctx.db.conn)

    def tried_on(self) -> int | None:
        """Conversations in the history when learning last found it too short to learn from, or None."""
        return tie_weights.tried_on(self.ctx.db.conn)

    def learn(self) -> LearnedWeights | None:
        """Refit the weights on the history as it stands now (one undoable change); None if too short."""
        with self.ctx.change("learned tie strength's weights from your history") as conn:
            return refit(conn, now_julian=tie_strength.julian(self.ctx.now_stamp()))

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
        """Drop the fit to the ratings: the weights learned from history (or the defaults) apply again."""
        with self.ctx.change("tie strength no longer fitted to your ratings") as tx:
            tie_weights.put(tx, None)
            refresh_everyone(tx, now_julian=tie_strength.julian(self.ctx.now_stamp()))
        return self.weights()


@dataclass(frozen=True, slots=True)
class LearnedWeights:
    weights: dict[str, float]  # in use unless the ratings were calibrated
    improved: bool  # False: the fit ranked the past no better than the defaults, which were kept
    interactions: int  # conversations in the history when fitted
    fitted_on: float  # julian day
    examples: int
    talked_again: int
    replays: int
    horizon_days: float
    auc_before: float
    auc_after: float


def learned_weights(conn: sqlite3.Connection) -> LearnedWeights | None:
    record = tie_weights.learned(conn)
    if record is None:
        return None
    try:
        return LearnedWeights(**record)  # type: ignore[arg-type]
    except TypeError:  # written by another version: as if never fitted
        return None


def refit_if_grown(conn: sqlite3.Connection, *, now_julian: float) -> LearnedWeights | None:
    """Refit when the history has grown by a fifth (and at least MIN_NEW conversations) since the last fit."""
    last = learned_weights(conn)
    before = max(last.interactions if last else 0, tie_weights.tried_on(conn) or 0)
    grown = tie_weights.live_interactions(conn) - before
    if grown < max(tie_learning.MIN_NEW, tie_learning.GROWTH * before):
        return None
    return refit(conn, now_julian=now_julian)


def refit(conn: sqlite3.Connection, *, now_julian: float) -> LearnedWeights | None:
    """Fit the weights on the replayed history and keep the fit (rescoring everyone if the weights in use
    changed); None if the history is too short to learn from."""
    prior = dict(tie_strength.WEIGHTS)
    found = tie_learning.learn(_histories(conn), now=now_julian, prior=prior)
    if found is None:  # remembered, so that only a grown history is tried again
        tie_weights.put_tried_on(conn, tie_weights.live_interactions(conn))
        return None
    tie_weights.put_tried_on(conn, None)
    improved = found.auc_after > found.auc_before
    result = LearnedWeights(
        weights=found.weights if improved else prior, improved=improved,
        interactions=tie_weights.live_interactions(conn), fitted_on=now_julian, examples=found.examples,
        talked_again=found.talked_again, replays=found.replays, horizon_days=round(found.horizon_days, 2),
        auc_before=round(found.auc_before, 4), auc_after=round(found.auc_after, 4),
    )  # fmt: skip
    in_use = tie_strength.normalised(tie_weights.get(conn))
    tie_weights.put_learned(conn, asdict(result))
    if tie_strength.normalised(tie_weights.get(conn)) != in_use:
        refresh_everyone(conn, now_julian=now_julian)
    return result


def _histories(conn: sqlite3.Connection) -> list[tie_learning.History]:
    """Each person's (kind, direction, julian day, participants) rows and mutual contacts; every k-th person if many."""
    groups = interaction_store.group_sizes(conn, more_than=tie_strength.GROUP_SIZE)
    knows = interaction_store.all_knows_counts(conn)
    people = [
        (person_id, [(kind, way, at, groups.get(iid, 1)) for _p, kind, way, at, iid in rows])
        for person_id, rows in groupby(interaction_store.all_kind_times(conn), key=itemgetter(0))
    ]
    step = max(1, math.ceil(len(people) / tie_learning.MAX_PEOPLE))
    return [(rows, knows.get(person_id, 0)) for person_id, rows in people[::step]]


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
