"""Learning tie strength's weights from the user's own history (DESIGN §4.2).

People differ: for one, whom they talk to next follows the last message; for
another, months of steady contact. So the few weights are fitted on the user's
own past. The history is replayed as it stood at several earlier days (each
`horizon` apart, the latest one horizon before today); at each of those days
every person already in touch gives one example: the parts of their score as
they were that day, and whether the two then talked within the horizon. A
logistic regression of that answer on the parts, shrunk toward the default
weights (fitted on public networks) by PRIOR_STRENGTH pseudo-examples, gives
the new weights: negative ones dropped, the rest scaled to add up to 1.

Pure Python (a Newton fit of seven numbers), deterministic, and bounded: at
most MAX_PEOPLE people (every k-th by id) and MAX_EXAMPLES examples are used.
"""

from __future__ import annotations

import math
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from operator import itemgetter

from knowwho.services import tie_strength

REPLAYS = 6  # earlier days replayed, at most
HORIZON_MIN_DAYS = 3.0
HORIZON_MAX_DAYS = 60.0
# The horizon is this share of the history's span (capped): 14 days of texts give a 3.5-day horizon.
HORIZON_SHARE = 0.25
PRIOR_STRENGTH = 20.0  # how many examples' worth of belief the default weights carry
MIN_EACH = 10  # examples needed of both answers (talked again, did not) to learn anything
MAX_PEOPLE = 3000
MAX_EXAMPLES = 10_000  # about a second to fit
# Refit on its own once the history has grown by this share (and at least MIN_NEW interactions) since the last fit.
GROWTH = 0.2
MIN_NEW = 50
# Days (under 0.1 s): a replay with exactly one horizon of history before it counts, whatever the rounding of julian days.
_SLACK = 1e-6

# One person's history: (kind, direction, julian day, participants) rows, and how many people they know.
History = tuple[Sequence[tuple[str, str, float, int]], int]


@dataclass(frozen=True, slots=True)
class Learned:
    weights: dict[str, float]
    examples: int
    talked_again: int  # examples where the two talked within the horizon
    replays: int  # earlier days replayed
    horizon_days: float
    auc_before: float  # how well the prior (default) weights ranked who talked again, over these examples
    auc_after: float


def replay_days(first: float, now: float) -> tuple[float, list[float]]:
    """(horizon in days, the earlier moments replayed, latest first) for a history from `first` to `now`."""
    span = now - first
    horizon = min(HORIZON_MAX_DAYS, max(HORIZON_MIN_DAYS, span * HORIZON_SHARE))
    cutoffs = []
    for k in range(1, REPLAYS + 1):
        cutoff = now - k * horizon
        if cutoff - first < horizon - _SLACK:  # too little history before it to say anything
            break
        cutoffs.append(cutoff)
    return horizon, cutoffs


def examples(
    histories: Iterable[History], cutoffs: Sequence[float], horizon: float
) -> tuple[list[dict[str, float]], list[bool]]:
    """The parts of each person at each replayed moment, and whether you then talked within the horizon.

    Each person's history is read once, oldest first: one tally grows from one
    replayed moment to the next instead of being rebuilt for each.
    """
    rows: list[dict[str, float]] = []
    labels: list[bool] = []
    ascending = sorted(set(cutoffs))
    for interactions, knows in histories:
        ordered = sorted(interactions, key=itemgetter(2))
        times = [row[2] for row in ordered]
        tally = tie_strength.Tally(0.0)
        added = 0
        at_cutoff: dict[float, tuple[dict[str, float], bool]] = {}
        for cutoff in ascending:
            before = bisect_left(times, cutoff)
            for kind, direction, at, participants in ordered[added:before]:
                tally.add_at(kind, direction, at, participants)
            added = before
            if tally.kinds:
                tally.now_julian = cutoff
                at_cutoff[cutoff] = (tally.parts(knows_count=knows), bisect_right(times, cutoff + horizon) > before)
        for cutoff in cutoffs:
            if cutoff in at_cutoff:
                parts, talked_again = at_cutoff[cutoff]
                rows.append(parts)
                labels.append(talked_again)
    return rows, labels


def learn(histories: Sequence[History], *, now: float, prior: Mapping[str, float]) -> Learned | None:
    """Weights fitted on this history, or None when it is too short to learn from."""
    first = min((at for rows, _k in histories for _kind, _dir, at, _n in rows), default=now)
    horizon, cutoffs = replay_days(first, now)
    if not cutoffs:
        return None
    rows, labels = examples(histories, cutoffs, horizon)
    if len(rows) > MAX_EXAMPLES:
        step = math.ceil(len(rows) / MAX_EXAMPLES)
        rows, labels = rows[::step], labels[::step]
    positives = sum(labels)
    if positives < MIN_EACH or len(labels) - positives < MIN_EACH:
        return None
    prior = tie_strength.normalised(prior)
    weights = fit(rows, labels, prior)
    before = auc([tie_strength.combine(p, prior) for p in rows], labels)
    after = auc([tie_strength.combine(p, weights) for p in rows], labels)
    return Learned(weights, len(rows), positives, len(cutoffs), horizon, before, after)


def fit(rows: Sequence[Mapping[str, float]], labels: Sequence[bool], prior: Mapping[str, float]) -> dict[str, float]:
    """Logistic regression of `labels` on the parts, shrunk toward `prior` (scaled to the data), as weights."""
    xs = [[row[part] for part in tie_strength.PARTS] for row in rows]
    ys = [1.0 if label else 0.0 for label in labels]
    base = [sum(w * x for w, x in zip(prior.values(), row, strict=True)) for row in xs]
    # How steeply the default score alone predicts: the prior, in the regression's own units.
    (scale,), _ = _logistic([[b] for b in base], ys, target=[0.0], strength=1e-6)
    target = [max(scale, 1.0) * prior[part] for part in tie_strength.PARTS]
    coef, _ = _logistic(xs, ys, target=target, strength=PRIOR_STRENGTH)
    return tie_strength.normalised({part: max(0.0, c) for part, c in zip(tie_strength.PARTS, coef, strict=True)})


def _logistic(
    xs: Sequence[Sequence[float]], ys: Sequence[float], *, target: Sequence[float], strength: float
) -> tuple[list[float], float]:
    """(coefficients, intercept) maximising the likelihood minus strength/2 × |coef - target|².

    Newton steps, each halved until the objective improves (a full step can overshoot far from the answer).
    """
    p = len(target)
    mean = min(max(sum(ys) / len(ys), 1e-6), 1 - 1e-6)
    theta = [*target, math.log(mean / (1 - mean))]  # the intercept last
    loss = _penalised_loss(theta, xs, ys, target, strength)
    for _ in range(50):
        grad, hess = _derivatives(theta, xs, ys, target, strength)
        step = _solve(hess, grad)
        for _halving in range(30):
            trial = [t - s for t, s in zip(theta, step, strict=True)]
            trial_loss = _penalised_loss(trial, xs, ys, target, strength)
            if trial_loss <= loss:
                break
            step = [s / 2 for s in step]
        else:
            break
        done = loss - trial_loss < 1e-10
        theta, loss = trial, trial_loss
        if done:
            break
    return theta[:p], theta[p]


def _penalised_loss(
    theta: Sequence[float], xs: Sequence[Sequence[float]], ys: Sequence[float], target: Sequence[float], strength: float
) -> float:
    total = strength / 2 * sum((c - t) ** 2 for c, t in zip(theta, target, strict=False))
    bias = theta[-1]
    for x, y in zip(xs, ys, strict=True):
        z = bias + sum(c * v for c, v in zip(theta, x, strict=False))
        # log(1 + e^z) - y z, written to stay finite for large |z|
        total += (z if z > 0 else 0.0) + math.log1p(math.exp(-abs(z))) - y * z
    return total


def _derivatives(
    theta: Sequence[float], xs: Sequence[Sequence[float]], ys: Sequence[float], target: Sequence[float], strength: float
) -> tuple[list[float], list[list[float]]]:
    """Gradient and Hessian of `_penalised_loss`."""
    p = len(target)
    grad = [strength * (c - t) for c, t in zip(theta, target, strict=False)] + [0.0]
    hess = [[0.0] * (p + 1) for _ in range(p + 1)]
    for j in range(p):
        hess[j][j] = strength
    hess[p][p] = 1e-9
    bias = theta[p]
    for x, y in zip(xs, ys, strict=True):
        z = bias + sum(c * v for c, v in zip(theta, x, strict=False))
        q = 1 / (1 + math.exp(-z)) if z > -700 else 0.0
        xa = [*x, 1.0]
        residual, curvature = q - y, q * (1 - q)
        for i in range(p + 1):
            grad[i] += residual * xa[i]
            weighted = curvature * xa[i]
            row = hess[i]
            for j in range(i + 1):
                row[j] += weighted * xa[j]
    for i in range(p + 1):
        for j in range(i):
            hess[j][i] = hess[i][j]
    return grad, hess


def _solve(matrix: list[list[float]], vector: list[float]) -> list[float]:
    """x with matrix · x = vector (Gaussian elimination with partial pivoting; the matrix is small)."""
    n = len(vector)
    a = [[*row, v] for row, v in zip(matrix, vector, strict=True)]
    for col in range(n):
        pivot = max(range(col, n), key=lambda r: abs(a[r][col]))
        a[col], a[pivot] = a[pivot], a[col]
        if abs(a[col][col]) < 1e-12:
            continue
        for r in range(col + 1, n):
            factor = a[r][col] / a[col][col]
            if factor:
                for c in range(col, n + 1):
                    a[r][c] -= factor * a[col][c]
    x = [0.0] * n
    for r in range(n - 1, -1, -1):
        if abs(a[r][r]) < 1e-12:
            continue
        x[r] = (a[r][n] - sum(a[r][c] * x[c] for c in range(r + 1, n))) / a[r][r]
    return x


def auc(scores: Sequence[float], labels: Sequence[bool]) -> float:
    """Chance that someone who talked again outranks someone who did not (ties count half); 0.5 is chance."""
    positives = sum(labels)
    negatives = len(labels) - positives
    if not positives or not negatives:
        return 0.5
    order = sorted(range(len(scores)), key=scores.__getitem__)
    rank_sum = 0.0
    i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and scores[order[j + 1]] == scores[order[i]]:
            j += 1
        mid = (i + j) / 2 + 1
        rank_sum += mid * sum(1 for k in range(i, j + 1) if labels[order[k]])
        i = j + 1
    return (rank_sum - positives * (positives + 1) / 2) / (positives * negatives)
