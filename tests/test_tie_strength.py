"""Tie strength helpers: the julian day used for decay and the SQL comparisons that match it."""

from __future__ import annotations

import math
import sqlite3
from datetime import datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput
from knowwho.services import tie_strength

_SQL = sqlite3.connect(":memory:")


def _sqlite_julian(stamp: str) -> float:
    return float(_SQL.execute("SELECT julianday(?)", (stamp,)).fetchone()[0])


def test_julian_of_known_days() -> None:
    assert tie_strength.julian("2000-01-01 00:00:00") == 2451544.5
    assert tie_strength.julian("2000-01-01 12:00:00") == 2451545.0
    assert tie_strength.julian("2024-02-29") == _sqlite_julian("2024-02-29")


def test_julian_equals_sqlite_on_edges() -> None:
    stamps = [
        "1900-01-01 00:00:00", "1900-02-28 23:59:59", "1900-03-01 00:00:00", "2000-02-29 12:34:56",
        "2023-12-31 23:59:59", "2024-01-01 00:00:00", "2024-03-01 00:00:01", "2100-02-28 00:00:00",
        "9999-12-31 23:59:59", "2018-06-15", "1970-01-01 00:00:00",
    ]  # fmt: skip
    for stamp in stamps:
        assert tie_strength.julian(stamp) == _sqlite_julian(stamp), stamp


@given(st.datetimes(min_value=datetime(1900, 1, 1), max_value=datetime(9999, 12, 31, 23, 59, 59)))
def test_julian_equals_sqlite_bit_for_bit(moment: datetime) -> None:
    stamp = moment.replace(microsecond=0).isoformat(" ")
    assert tie_strength.julian(stamp) == _sqlite_julian(stamp)
    assert tie_strength.julian(stamp[:10]) == _sqlite_julian(stamp[:10])


def test_julian_days_apart_are_exact() -> None:
    start = datetime(2019, 3, 30, 22, 15, 0)
    for days in (1, 31, 365, 366, 1461):
        later = start + timedelta(days=days)
        assert tie_strength.julian(later.isoformat(" ")) - tie_strength.julian(start.isoformat(" ")) == days


# -- the score, part by part, on small hand-made histories -------------------------------------

NOW = datetime(2024, 6, 1, 12, 0, 0)
NOW_JULIAN = tie_strength.julian(NOW.isoformat(" "))


def _ago(days: float) -> str:
    return (NOW - timedelta(days=days)).isoformat(" ", timespec="seconds")


def _every(days: int, span: int, *, start: int = 2, kind: str = "email") -> list[tuple[str, str, str]]:
    """One contact every `days` over `span` days, the last `start` days ago, alternating who wrote."""
    return [(kind, "in" if n % 2 else "out", _ago(start + n * days)) for n in range(span // days + 1)]


def _score(rows: list[tuple[str, str, str]] | list[tuple[str, str, str, int]], **kw: int) -> tie_strength.TieStrength:
    return tie_strength.compute(rows, now_julian=NOW_JULIAN, knows_count=kw.get("knows", 0))


def test_no_history_scores_only_embeddedness() -> None:
    alone = _score([])
    assert alone.score == 0.0 and alone.tier == "dormant"
    known = _score([], knows=5)
    assert known.parts["embeddedness"] == 0.5
    assert known.score == round(0.5 * tie_strength.WEIGHTS["embeddedness"], 4)


def test_intensity_counts_days_not_messages() -> None:
    one = _score([("email", "out", _ago(1))]).parts["intensity"]
    thread = _score([("email", "out", _ago(1))] * 40).parts["intensity"]
    days = _score([("email", "out", _ago(d)) for d in range(1, 41)]).parts["intensity"]
    # 40 messages on one evening: 1 + ln 40 = 4.7 days' worth, far less than 40 days of contact
    assert one < thread < days
    assert round(one, 3) == round(0.5 ** (1 / 90) / (0.5 ** (1 / 90) + 6), 3)


def test_intensity_halves_in_three_months() -> None:
    fresh = _score([("email", "out", _ago(0))]).parts["intensity"]
    old = _score([("email", "out", _ago(90))]).parts["intensity"]
    assert fresh == 1 / 7
    assert abs(old - 0.5 / 6.5) < 1e-9


def test_in_person_counts_more_than_a_message() -> None:
    scores = [
        _score([(kind, "mutual", _ago(3))]).parts["intensity"] for kind in ("message", "email", "call", "meeting")
    ]
    assert scores == sorted(scores) and len(set(scores)) == 4


def test_a_mail_to_many_counts_less() -> None:
    direct = _score([("email", "in", _ago(3), 1)]).parts["intensity"]
    small_group = _score([("email", "in", _ago(3), 4)]).parts["intensity"]
    crowd = _score([("email", "in", _ago(3), 40)]).parts["intensity"]
    assert direct == small_group
    assert abs(crowd - direct * 0.1 * 7 / (0.1 * 0.5 ** (3 / 90) + 6)) < 0.01


def test_recency_halves_in_two_months() -> None:
    assert _score([("email", "out", _ago(0))]).parts["recency"] == 1.0
    assert abs(_score([("email", "out", _ago(60))]).parts["recency"] - 0.5) < 1e-9


def test_reciprocity_needs_both_sides() -> None:
    one_way = _score([("email", "in", _ago(d)) for d in range(1, 20)])
    two_way = _score(_every(1, 18, start=1))
    assert one_way.parts["reciprocity"] == 0.0
    assert two_way.parts["reciprocity"] > 0.7
    # a conversation held together counts for both sides
    assert _score([("coffee", "mutual", _ago(1))]).parts["reciprocity"] > 0


def test_duration_and_multiplexity() -> None:
    rows = [("email", "out", _ago(90)), ("call", "mutual", _ago(5)), ("coffee", "mutual", _ago(1))]
    parts = _score(rows).parts
    assert abs(parts["duration"] - 0.5) < 1e-9  # 90 days since first contact
    assert parts["multiplexity"] == 1.0
    assert _score(rows[:1]).parts["multiplexity"] == 1 / 3


def test_score_is_the_weighted_sum_and_closeness_half() -> None:
    rows = _every(7, 365)
    tie = _score(rows)
    expected = sum(tie_strength.WEIGHTS[k] * tie.parts[k] for k in tie_strength.PARTS)
    assert tie.score == round(expected, 4)
    rated = tie_strength.compute(rows, now_julian=NOW_JULIAN, closeness=5)
    assert rated.parts["closeness"] == 1.0
    assert rated.score == round(0.5 * expected + 0.5, 4)


def test_scores_stay_in_range() -> None:
    heavy = [(kind, "mutual", _ago(d / 4)) for d in range(4000) for kind in ("meeting", "call")]
    tie = tie_strength.compute(heavy, now_julian=NOW_JULIAN, knows_count=10_000, closeness=5)
    assert 0.0 <= tie.score <= 1.0
    assert all(0.0 <= v <= 1.0 for v in tie.parts.values())


def test_tally_in_any_order_equals_compute() -> None:
    rows = [*_every(3, 200), ("call", "mutual", _ago(4)), ("email", "in", _ago(10), 9)]
    forward = tie_strength.compute(rows, now_julian=NOW_JULIAN, knows_count=2)
    backward = tie_strength.compute(list(reversed(rows)), now_julian=NOW_JULIAN, knows_count=2)
    assert forward == backward


# -- conversations: contact separated by silence, not by the calendar -------------------------


def _worth(rows: list[tuple[str, str, str]]) -> float:
    """Intensity before saturation: the decayed conversations' worth."""
    part = _score(rows).parts["intensity"]
    return tie_strength.INTENSITY_SCALE * part / (1 - part)


def _decayed(stamp: str) -> float:
    return 0.5 ** ((NOW_JULIAN - tie_strength.julian(stamp)) / tie_strength.HALF_LIFE_DAYS)


def test_a_conversation_across_midnight_counts_once() -> None:
    late, early = "2024-05-20 23:30:00", "2024-05-21 00:30:00"
    across = _worth([("message", "in", late), ("message", "out", early)])
    assert abs(across - 0.7 * (1 + math.log(2)) * _decayed(early)) < 1e-9
    assert across < _worth([("message", "in", late)]) + _worth([("message", "out", early)])


def test_two_conversations_on_one_day_count_twice() -> None:
    assert tie_strength.CONVERSATION_GAP_HOURS < 10
    morning, evening = "2024-05-21 08:00:00", "2024-05-21 18:00:00"
    both = _worth([("call", "out", morning), ("call", "in", evening)])
    assert abs(both - 2.0 * (_decayed(morning) + _decayed(evening))) < 1e-9


def test_a_chain_of_replies_is_one_conversation_in_any_order() -> None:
    step = tie_strength.CONVERSATION_GAP_HOURS * 0.9
    start = datetime(2024, 5, 20, 9, 0, 0)
    stamps = [(start + timedelta(hours=step * k)).isoformat(" ") for k in range(4)]
    rows = [("email", "in" if k % 2 else "out", stamp) for k, stamp in enumerate(stamps)]
    expected = (1 + math.log(4)) * _decayed(stamps[-1])  # 2.7 gaps of silence wide, yet one conversation
    for order in ([0, 1, 2, 3], [3, 0, 2, 1], [0, 3, 1, 2], [2, 0, 3, 1]):  # the last rows bridge two
        assert abs(_worth([rows[k] for k in order]) - expected) < 1e-9


@given(
    offsets=st.lists(st.floats(min_value=0, max_value=5, allow_nan=False), min_size=1, max_size=12),
    shift=st.floats(min_value=0, max_value=1, allow_nan=False),
)
def test_where_midnight_falls_does_not_move_a_score(offsets: list[float], shift: float) -> None:
    """Moving every contact and the moment of scoring by the same hours leaves the parts as they were."""

    def parts(moved: float) -> dict[str, float]:
        tally = tie_strength.Tally(NOW_JULIAN + moved)
        for k, offset in enumerate(offsets):
            tally.add_at("message", "in" if k % 2 else "out", NOW_JULIAN - 10 + moved + offset)
        return tally.parts()

    still, moved = parts(0.0), parts(shift)
    assert all(abs(still[name] - moved[name]) < 1e-6 for name in tie_strength.PARTS)


# -- tiers: a handful strong, the rest by real evidence ----------------------------------------


def test_tiers_follow_how_often_we_talk() -> None:
    assert _score(_every(7, 365), knows=3).tier == "strong"  # weekly for a year, friends in common
    assert _score(_every(7, 365, kind="call")).tier == "strong"  # a weekly call
    assert _score(_every(30, 365)).tier == "moderate"  # monthly
    assert _score(_every(91, 730)).tier == "weak"  # a few times a year
    assert _score([("email", "out", _ago(730))]).tier == "dormant"  # once, two years ago


def test_one_call_does_not_make_a_moderate_tie_strong() -> None:
    monthly = _every(30, 365)
    assert _score(monthly).tier == "moderate"
    assert _score([*monthly, ("call", "mutual", _ago(0.1))]).tier == "moderate"
    assert _score([*monthly, ("meeting", "mutual", _ago(0.1))]).tier == "moderate"


def test_sixteen_months_of_silence_is_not_strong() -> None:
    daily_then_silent = _every(1, 730, start=487)
    assert _score(_every(1, 730)).tier == "strong"
    assert _score(daily_then_silent).tier in {"weak", "dormant"}


def test_tier_of_thresholds() -> None:
    assert [tie_strength.tier_of(s) for s in (1.0, 0.7, 0.69, 0.45, 0.3, 0.25, 0.1, 0.0)] == [
        "strong", "strong", "moderate", "moderate", "weak", "weak", "dormant", "dormant",
    ]  # fmt: skip


# -- calibration helpers -----------------------------------------------------------------------


def test_default_weights_keep_every_part_and_add_up_to_one() -> None:
    # The defaults were chosen on one network under this rule: a part its data
    # cannot judge (mutual contacts, channels) or barely rewards still counts.
    assert set(tie_strength.WEIGHTS) == set(tie_strength.PARTS)
    assert min(tie_strength.WEIGHTS.values()) >= 0.05
    assert abs(sum(tie_strength.WEIGHTS.values()) - 1.0) < 1e-9
    assert tie_strength.WEIGHTS["intensity"] == max(tie_strength.WEIGHTS.values())


def test_normalised_weights() -> None:
    assert tie_strength.normalised(None) == tie_strength.WEIGHTS
    assert tie_strength.normalised({"intensity": -1.0}) == tie_strength.WEIGHTS
    fitted = tie_strength.normalised({"intensity": 3.0, "recency": 1.0, "duration": -2.0})
    assert fitted["intensity"] == 0.75 and fitted["recency"] == 0.25 and fitted["duration"] == 0.0
    assert abs(sum(fitted.values()) - 1.0) < 1e-12


def test_concordance() -> None:
    assert tie_strength.concordance([0.1, 0.5, 0.9], [1, 3, 5]) == 1.0
    assert tie_strength.concordance([0.9, 0.5, 0.1], [1, 3, 5]) == 0.0
    assert tie_strength.concordance([0.5, 0.5], [1, 5]) == 0.5
    assert tie_strength.concordance([0.2, 0.3], [4, 4]) == 0.5  # no pair rated differently


# -- calibrating to the user's ratings ---------------------------------------------------------


def _rated_network(kw: Knowwho, count: int) -> None:
    """People rated 1-5 whose closeness follows how often we talk."""
    for n in range(count):
        rating = 1 + n % 5
        person = kw.people.add(f"Person {n}", closeness=rating)
        for k in range(rating * 3):
            kw.interactions.log([person.id], kind="email", direction="in" if k % 2 else "out",
                                when=kw.ctx.now() - timedelta(days=3 + k * 9))  # fmt: skip


def test_calibrate_needs_twenty_ratings(kw: Knowwho) -> None:
    from knowwho.services.calibration import CalibrationService

    _rated_network(kw, 19)
    with pytest.raises(InvalidInput, match="at least 20 people; you have rated 19"):
        CalibrationService(kw.ctx).calibrate()


def test_calibrate_fits_stores_and_resets(kw: Knowwho) -> None:
    pytest.importorskip("numpy")
    from knowwho.services.calibration import CalibrationService

    _rated_network(kw, 20)
    service = CalibrationService(kw.ctx)
    result = service.calibrate()
    assert result.ratings == 20
    assert 0.0 <= result.agreement_before <= 1.0 and 0.0 <= result.agreement_after <= 1.0
    if result.applied:
        assert service.is_calibrated()
        assert abs(sum(service.weights().values()) - 1.0) < 1e-9
    service.reset()
    assert not service.is_calibrated()
    assert service.weights() == tie_strength.WEIGHTS
