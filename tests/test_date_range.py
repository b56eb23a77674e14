"""One range for every date a user records: 1900-01-01 to the end of the year a hundred years ahead
(a birthday: back to 130 years ago, never in the future). Outside it, one line naming the field; inside, as before."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from knowwho.core import Knowwho
from knowwho.dates import EARLIEST, birth_days, parse_day, parse_duration_days, recorded_days
from knowwho.errors import InvalidInput
from knowwho.storage import events as event_store
from tests.conftest import NOW  # Wednesday 2026-11-18
from tests.importers.helpers import cli, snapshot
from tests.importers.test_fuzz_importers import PYTHON_TEXT

LAST = date(2126, 12, 31)
OUT_OF_RANGE = "is out of range: give a day from 1900-01-01 to 2126-12-31"


def test_the_range_runs_from_1900_to_a_hundred_years_ahead() -> None:
    days = recorded_days(NOW.date())
    assert (days.first, days.last) == (EARLIEST, LAST) == (date(1900, 1, 1), LAST)
    assert birth_days(NOW.date()).first == date(1896, 1, 1) and birth_days(NOW.date()).last == NOW.date()


@pytest.mark.parametrize("typed", ["0500-01-01", "1850-01-01", "0001-01-01T00:00+05:00", "9999-12-31", "2127-01-01",
                                   "99999999999 days ago", "in 5000 years", "in 2000000 weeks"])  # fmt: skip
def test_log_refuses_a_date_out_of_range_in_one_line(db_path: Path, typed: str) -> None:
    assert cli(db_path, "add", "Ana Lima")[0] == 0
    before = _snapshot(db_path)
    code, out, err = cli(db_path, "log", "ana", "--kind", "call", "--date", typed)
    assert code == 2 and "Traceback" not in out + err and OUT_OF_RANGE in err and len(err.strip().splitlines()) == 1
    assert _snapshot(db_path) == before


def _snapshot(db_path: Path) -> dict[str, list[tuple[object, ...]]]:
    kw = Knowwho.open(db_path)
    try:
        return snapshot(kw)
    finally:
        kw.close()


def test_the_edges_of_the_range_are_accepted(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima")
    assert parse_day("1900-01-01", now=NOW) == EARLIEST and parse_day("2126-12-31", now=NOW) == LAST
    logged = kw.interactions.log([ana.id], kind="call", when=NOW.replace(year=1900, month=1, day=1))
    assert logged.occurred_at.startswith("1900-01-01")
    assert kw.followups.add(ana.id, LAST).due_on == "2126-12-31"


def test_an_event_in_the_year_65_is_refused_and_one_stored_earlier_gives_a_clean_met(db_path: Path) -> None:
    code, _out, err = cli(db_path, "event", "add", "Old", "--date", "0065-03-01")
    assert code == 2 and f"the date 0065-03-01 {OUT_OF_RANGE}" in err
    kw = Knowwho.open(db_path)
    with kw.db.transaction() as conn:  # as a database written before the range was checked holds it
        event_store.insert(conn, name="Ancient", starts_on="0065-03-01", ends_on=None, place="", recurrence="",
                           series="", now="2026-01-01 00:00:00")  # fmt: skip
    kw.close()
    before = _snapshot(db_path)
    code, out, err = cli(db_path, "met", "Bo Chen", "--at", "Ancient")
    assert code == 2 and "Traceback" not in out + err
    assert f"the date of Ancient 0065-03-01 {OUT_OF_RANGE}" in err
    assert _snapshot(db_path) == before


def test_every_service_taking_a_day_checks_the_range(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima")
    old, far = date(1850, 1, 1), date(2400, 1, 1)
    opportunity = kw.opportunities.add("Acme", "Data scientist").opportunity
    refused = {
        "the event's date": lambda: kw.events.add("Old", starts_on=old),
        "the event's last day": lambda: kw.events.add("Long", starts_on=NOW.date(), ends_on=far),
        "the follow-up's date": lambda: kw.followups.add(ana.id, far),
        "the update's date": lambda: kw.me.add_update("Gave a talk", on=old),
        "the move's date": lambda: kw.opportunities.move(opportunity.id, "applied", on=old),
    }
    for field, call in refused.items():
        with pytest.raises(InvalidInput, match=f"^{field} [0-9-]+ is out of range"):
            call()


def test_birthdays_may_be_older_than_1900_but_not_older_than_a_life(kw: Knowwho) -> None:
    from knowwho.services.birthdays import parse_birthday

    assert parse_birthday("1899-05-01", today=NOW.date()) == "1899-05-01"
    with pytest.raises(InvalidInput, match=r"^birthday 1700-01-01 is out of range"):
        parse_birthday("1700-01-01", today=NOW.date())


def test_job_years_and_durations_stay_in_range(db_path: Path) -> None:
    assert cli(db_path, "add", "Ana Lima")[0] == 0
    code, _out, err = cli(db_path, "role", "ana", "Acme", "--from", "0500")
    assert code == 2 and "--from 0500 is out of range" in err
    assert cli(db_path, "role", "ana", "Acme", "--from", "1950", "--to", "1990")[0] == 0
    with pytest.raises(InvalidInput, match="too long: at most 100 years"):
        parse_duration_days("99999999999y")
    assert parse_duration_days("100y") == 36_500


_ISO_LIKE = st.builds("{:04d}-{:02d}-{:02d}".format, st.integers(0, 9999), st.integers(0, 13), st.integers(0, 32))
_RELATIVE = st.builds(
    "{} {} {}".format, st.sampled_from(["in", ""]), st.integers(0, 10**12),
    st.sampled_from(["days", "weeks", "months", "years ago", "y", "d ago"]),
)  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=30), _ISO_LIKE, _RELATIVE))
def test_any_typed_date_is_a_day_in_range_or_one_clean_line(typed: str) -> None:
    days = recorded_days(NOW.date())
    try:
        day = parse_day(typed, now=NOW)
    except InvalidInput as error:
        assert PYTHON_TEXT.search(str(error)) is None and "\n" not in str(error).strip()
    else:
        assert day in days
