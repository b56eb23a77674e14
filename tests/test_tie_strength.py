"""Tie strength helpers: the julian day used for decay and the SQL comparisons that match it."""

from __future__ import annotations

import sqlite3
from datetime import datetime, timedelta

from hypothesis import given
from hypothesis import strategies as st

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
