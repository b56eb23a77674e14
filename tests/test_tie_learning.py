"""Tie strength learned from the user's own history: replayed days, examples, the fit, and where it is kept."""

from __future__ import annotations

import json
import random
import re
from datetime import timedelta
from email.utils import format_datetime
from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.services import tie_learning, tie_strength
from knowwho.services.calibration import CalibrationService, refit_if_grown
from knowwho.storage import tie_weights
from tests.conftest import NOW
from tests.importers.helpers import cli


def test_replayed_days_follow_the_length_of_the_history() -> None:
    assert tie_learning.replay_days(0.0, 100.0) == (25.0, [75.0, 50.0, 25.0])
    assert tie_learning.replay_days(0.0, 14.0) == (3.5, [10.5, 7.0, 3.5])  # four weeks of texts: days ahead
    assert tie_learning.replay_days(0.0, 1000.0) == (60.0, [940.0, 880.0, 820.0, 760.0, 700.0, 640.0])
    assert tie_learning.replay_days(0.0, 5.0) == (3.0, [])  # too short to replay anything


def test_the_moment_of_the_replay_does_not_decide_how_many_days_are_replayed() -> None:
    """A history shorter than four horizons' cap has three replayed days, the last one horizon after the first
    contact: the rounding of julian days at one moment or another must not drop it."""
    rng = random.Random(5)
    for _ in range(500):
        now = tie_strength.julian("2024-06-01 12:00:00") + rng.random()
        span = rng.uniform(12.0, 4 * tie_learning.HORIZON_MAX_DAYS)
        _horizon, cutoffs = tie_learning.replay_days(now - span, now)
        assert len(cutoffs) == 3, span


def test_an_example_is_someone_already_in_touch_and_whether_we_talked_within_the_horizon() -> None:
    ana = [("email", "in", 1.0, 1), ("email", "out", 5.0, 1), ("email", "in", 9.0, 1)]  # again on day 9
    ben = [("email", "in", 2.0, 1)]  # never again
    cara = [("email", "in", 8.0, 1)]  # first met after the replayed day: no example
    rows, labels = tie_learning.examples([(ana, 0), (ben, 0), (cara, 0)], [7.0], 3.0)
    assert labels == [True, False]
    assert rows[0]["recency"] == tie_strength._decay(2.0, tie_strength.RECENCY_HALF_LIFE_DAYS)


def test_replaying_one_growing_tally_gives_the_examples_of_a_tally_rebuilt_for_each_day() -> None:
    rng = random.Random(3)
    kinds = ("email", "call", "meeting")
    histories = [
        (
            [(rng.choice(kinds), rng.choice(("in", "out")), rng.uniform(0, 100), rng.randint(1, 9)) for _ in range(n)],
            n % 4,
        )
        for n in range(0, 40)
    ]
    cutoffs = [75.0, 50.0, 25.0]
    rebuilt_rows, rebuilt_labels = [], []
    for interactions, knows in histories:
        for cutoff in cutoffs:
            earlier = [row for row in interactions if row[2] < cutoff]
            if earlier:
                tally = tie_strength.Tally(cutoff)
                for row in earlier:
                    tally.add_at(*row)
                rebuilt_rows.append(tally.parts(knows_count=knows))
                rebuilt_labels.append(any(cutoff <= at <= cutoff + 25.0 for _k, _d, at, _n in interactions))
    rows, labels = tie_learning.examples(histories, cutoffs, 25.0)
    assert labels == rebuilt_labels
    assert len(rows) == len(rebuilt_rows) > 60
    for row, rebuilt in zip(rows, rebuilt_rows, strict=True):
        assert row == {part: pytest.approx(value, rel=1e-12) for part, value in rebuilt.items()}


def test_auc_counts_pairs_ranked_right() -> None:
    assert tie_learning.auc([0.1, 0.4, 0.35, 0.8], [False, False, True, True]) == 0.75
    assert tie_learning.auc([0.5, 0.5], [True, False]) == 0.5


def _last_message_decides(count: int) -> tuple[list[dict[str, float]], list[bool]]:
    rng = random.Random(7)
    rows = [{part: rng.random() for part in tie_strength.PARTS} for _ in range(count)]
    return rows, [row["recency"] > 0.6 for row in rows]


def test_a_long_history_where_the_last_message_decides_moves_the_weight_to_recency() -> None:
    weights = tie_learning.fit(*_last_message_decides(2000), tie_strength.WEIGHTS)
    assert weights["recency"] > 0.4 > tie_strength.WEIGHTS["recency"]
    assert weights["recency"] > weights["intensity"]
    assert abs(sum(weights.values()) - 1.0) < 1e-9


def test_a_short_history_keeps_the_default_weights() -> None:
    weights = tie_learning.fit(*_last_message_decides(20), tie_strength.WEIGHTS)
    assert all(abs(weights[part] - tie_strength.WEIGHTS[part]) < 0.01 for part in tie_strength.PARTS)


# -- in the product: an import refits, `strength --learn` refits, both undoable --------------------


def _mailbox(path: Path, schedule: dict[str, range]) -> Path:
    """A mailbox of mail with each person on the days (counted from 120 days ago) of their schedule."""
    start = NOW - timedelta(days=120)
    lines = []
    for number, (person, days) in enumerate(schedule.items()):
        for day in days:
            when = start + timedelta(days=day, hours=number % 5)
            sender, to = (f"{person}@example.net", "me@example.net")
            if day % 2:
                sender, to = to, sender
            lines.append(
                f"From {sender} {when:%a %b %d %H:%M:%S %Y}\nFrom: {sender}\nTo: {to}\n"
                f"Date: {format_datetime(when)}\nMessage-ID: <m{person}.{day}@example.net>\nSubject: hi\n\nhello\n"
            )
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


def _still_writing_and_stopped(path: Path) -> Path:
    """Every 4 days for 120 days: 15 people to this day, 15 who stopped after 36 days."""
    schedule = {f"still{n}": range(0, 120, 4) for n in range(15)}
    return _mailbox(path, schedule | {f"stopped{n}": range(0, 40, 4) for n in range(15)})


def test_an_import_learns_from_the_history_and_undo_takes_both_back(db_path: Path, tmp_path: Path) -> None:
    mbox = _still_writing_and_stopped(tmp_path / "mail.mbox")
    code, _out, err = cli(db_path, "import", "mail", str(mbox), "--me", "me@example.net")
    assert code == 0, err
    code, out, _err = cli(db_path, "strength", "--json")
    learned = json.loads(out)["learned"]
    # Replayed 30, 60 and 90 days back (a quarter of the 120 days), 30 people each time: all 15 still
    # writing talked again, and the 15 who stopped did only at the earliest day (days 30-36).
    assert (learned["replays"], learned["horizon_days"], learned["examples"], learned["talked_again"]) == (
        3, 30.0, 90, 60,
    )  # fmt: skip
    assert learned["interactions"] == 600
    code, out, _err = cli(db_path, "strength")
    said = " ".join(out.split())
    assert "Replayed your history at 3 earlier days (90 ties, 60 of them talked again within 30 days)" in said
    assert cli(db_path, "undo")[0] == 0  # one change: the import and its refit
    code, out, _err = cli(db_path, "strength", "--json")
    assert json.loads(out)["learned"] is None
    assert json.loads(out)["weights_from"] == "the defaults"


def test_a_history_too_short_to_learn_from_is_said_and_tried_again_only_once_it_grew(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Three weeks of mail with ten people who all keep writing: replayed days exist, but nobody stopped,
    # so there are no examples of "did not talk again" to learn from.
    short = _mailbox(tmp_path / "short.mbox", {f"p{n}": range(99, 120, 3) for n in range(10)})
    assert cli(db_path, "import", "mail", str(short), "--me", "me@example.net")[0] == 0
    _code, out, _err = cli(db_path, "strength", "--json")
    shown = json.loads(out)
    assert (shown["learned"], shown["too_short_at"], shown["weights_from"]) == (None, 70, "the defaults")
    said = " ".join(cli(db_path, "strength")[1].split())
    assert "Tried on your history of 70 conversations: too little to learn from yet" in said
    tried: list[int] = []
    learn = tie_learning.learn
    monkeypatch.setattr(tie_learning, "learn", lambda *a, **k: tried.append(1) or learn(*a, **k))
    kw = Knowwho.open(db_path)
    with kw.db.transaction() as conn:
        assert refit_if_grown(conn, now_julian=tie_strength.julian(kw.ctx.now_stamp())) is None
    kw.close()
    assert tried == []  # the same history is not tried again
    assert cli(db_path, "undo")[0] == 0  # the import and the note of the attempt go together
    assert json.loads(cli(db_path, "strength", "--json")[1])["too_short_at"] is None


def test_learning_again_is_a_change_of_its_own(kw: Knowwho, db_path: Path, tmp_path: Path) -> None:
    assert (
        cli(
            db_path, "import", "mail", str(_still_writing_and_stopped(tmp_path / "mail.mbox")), "--me", "me@example.net"
        )[0]
        == 0
    )
    with kw.db.transaction() as conn:
        assert refit_if_grown(conn, now_julian=tie_strength.julian(kw.ctx.now_stamp())) is None  # nothing new
        tie_weights.put_learned(conn, None)
    service = CalibrationService(kw.ctx)
    assert service.learn() is not None
    assert service.learned() is not None
    assert "learned tie strength" in kw.history.undo()
    assert service.learned() is None


def test_when_the_last_message_decides_the_learned_weights_rank_today_by_it(db_path: Path, tmp_path: Path) -> None:
    # 20 people wrote daily for three weeks and then never again; 20 write every 15 days. At every replayed
    # day the steady ones talked again and the others did not, but the defaults, weighing how much
    # we talked, put the three busy weeks first.
    schedule = {f"burst{n}": range(0, 21) for n in range(20)} | {f"steady{n}": range(0, 120, 15) for n in range(20)}
    mbox = _mailbox(tmp_path / "mail.mbox", schedule)
    assert cli(db_path, "import", "mail", str(mbox), "--me", "me@example.net")[0] == 0
    shown = json.loads(cli(db_path, "strength", "--json")[1])
    assert shown["weights_from"] == "learned from your history"
    assert shown["learned"]["auc_before"] == 0.0 and shown["learned"]["auc_after"] > 0.5
    assert shown["weights"]["recency"] > shown["weights"]["intensity"]
    burst = json.loads(cli(db_path, "strength", "burst0", "--json")[1])
    steady = json.loads(cli(db_path, "strength", "steady0", "--json")[1])
    assert steady["score"] > burst["score"]
    defaults = tie_strength.WEIGHTS
    assert tie_strength.combine(steady["parts"], defaults) < tie_strength.combine(burst["parts"], defaults)


def test_the_parts_shown_add_up_to_the_score_shown(db_path: Path) -> None:
    assert cli(db_path, "add", "Ana Lima", "--closeness", "5")[0] == 0
    for days in (3, 10, 40):
        when = (NOW - timedelta(days=days)).strftime("%Y-%m-%d")
        assert cli(db_path, "log", "Ana Lima", "--kind", "call", "--date", when)[0] == 0
    code, out, err = cli(db_path, "strength", "Ana")
    assert code == 0, err
    added = sum(float(value) for value in re.findall(r"= (\d\.\d{3})$", out, flags=re.M))
    score = float(re.search(r"\((\d\.\d\d)\)", out).group(1))  # type: ignore[union-attr]
    assert "closeness     1.00 × 0.500 = 0.500" in out  # the rating is half the score
    assert abs(added - score) <= 0.005
    assert score > 0.5
