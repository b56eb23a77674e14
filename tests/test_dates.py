"""Reading the dates people type."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowwho.dates import parse_day, parse_duration_days
from knowwho.errors import InvalidInput
from tests.conftest import NOW  # Wednesday 2026-11-18
from tests.importers.helpers import cli


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("2026-03-14", date(2026, 3, 14)),
        ("yesterday", date(2026, 11, 17)),
        ("3 days ago", date(2026, 11, 15)),
        ("in 2 weeks", date(2026, 12, 2)),
        ("next tuesday", date(2026, 11, 24)),
        ("March 14 2027", date(2027, 3, 14)),
    ],
)
def test_dates_people_type(text: str, day: date) -> None:
    assert parse_day(text, now=NOW) == day


@pytest.mark.parametrize("text", ["someday", "blurgh", "13/45/2026"])
def test_an_unreadable_date_says_what_works(text: str) -> None:
    with pytest.raises(InvalidInput, match=rf"cannot read the date '{text}': try 2026-03-14"):
        parse_day(text, now=NOW)


def test_durations() -> None:
    assert parse_duration_days("6w") == 42 and parse_duration_days("none") is None
    with pytest.raises(InvalidInput, match="30d, 6w"):
        parse_duration_days("often")


def test_met_with_a_date_word_is_when_not_where(db_path: Path) -> None:
    assert cli(db_path, "add", "Bo Chen", "--met", "yesterday")[0] == 0
    assert cli(db_path, "add", "Cy Park", "--met", "PyCon 2026")[0] == 0
    code, out, _ = cli(db_path, "today")
    assert code == 0 and "you met yesterday; send" in out and "(yesterday)" not in out
    assert "Cy Park" not in out  # where they met ("PyCon 2026") is not when: no date, no nice-to-meet


@pytest.mark.parametrize("text", ["-5 days ago", "- 5 days ago", "+5 days ago", "in -2 weeks", "\u22123 days", "-5"])
def test_a_number_with_a_sign_is_refused_rather_than_read_either_way(text: str) -> None:
    with pytest.raises(InvalidInput, match=r"no sign before the number; say '5 days ago' or 'in 5 days'$"):
        parse_day(text, now=NOW)


def test_log_refuses_a_date_of_minus_five_days_ago_in_one_line(db_path: Path) -> None:
    assert cli(db_path, "add", "Bo Chen")[0] == 0
    code, _, err = cli(db_path, "log", "Bo Chen", "--kind", "call", "--date", "-5 days ago")
    assert code != 0 and err.strip().splitlines() == [
        "knowwho: cannot read the date '-5 days ago': no sign before the number; say '5 days ago' or 'in 5 days'"
    ]
    assert cli(db_path, "history")[1].count("logged") == 0
