"""Dates in import files outside the days knowwho records: the record is skipped (or imported without the date)
and reported; the rest of the file is imported and nothing out of range, nor any traceback, gets in."""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowwho.clock import fixed_clock
from knowwho.core import Knowwho
from knowwho.dates import birth_days, recorded_days
from knowwho.importers.base import ImportReport
from knowwho.services.imports import run_import
from tests.conftest import NOW
from tests.importers.test_fuzz_importers import PYTHON_TEXT

ME = "me@example.org"
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
RECORDED, BORN = recorded_days(NOW.date()), birth_days(NOW.date())


def _mbox(dates: list[str]) -> str:
    return "".join(
        f"From x@example.org Mon Jan  5 10:00:00 2026\nFrom: Person {n} <p{n}@example.org>\nTo: {ME}\n"
        f"Subject: hello {n}\nDate: {when}\nMessage-ID: <m{n}@example.org>\n\nhi\n\n"
        for n, when in enumerate(dates)
    )


def _calendar(starts: list[str]) -> str:
    events = "".join(
        f"BEGIN:VEVENT\r\nUID:e{n}\r\nDTSTART:{start}\r\nSUMMARY:Meeting {n}\r\nORGANIZER:mailto:{ME}\r\n"
        f"ATTENDEE;CN=Person {n}:mailto:p{n}@example.org\r\nEND:VEVENT\r\n"
        for n, start in enumerate(starts)
    )
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n"


def _vcards(birthdays: list[str]) -> str:
    return "".join(
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Person {n}\r\nEMAIL:card{n}@example.org\r\nBDAY:{day}\r\nEND:VCARD\r\n"
        for n, day in enumerate(birthdays)
    )


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as stream:
        csv.writer(stream).writerows([header, *rows])


def _import(kw: Knowwho, folder: Path, kind: str, values: list[str]) -> ImportReport:
    """Import one file of `kind` holding a record per value, each value written where that format keeps a date."""
    if kind == "mail":
        (folder / "in.mbox").write_text(_mbox(values), encoding="utf-8")
        return run_import(kw, "mail", folder / "in.mbox", me=[ME])
    if kind == "ics":
        (folder / "in.ics").write_text(_calendar(values), encoding="utf-8")
        return run_import(kw, "ics", folder / "in.ics", me=[ME])
    if kind == "vcard":
        (folder / "in.vcf").write_text(_vcards(values), encoding="utf-8")
        return run_import(kw, "vcard", folder / "in.vcf")
    if kind == "csv":
        rows = [[f"Person {n}", f"row{n}@example.org", day] for n, day in enumerate(values)]
        _write_csv(folder / "in.csv", ["Name", "E-mail 1 - Value", "Birthday"], rows)
        return run_import(kw, "csv", folder / "in.csv")
    export = folder / "export"
    export.mkdir(exist_ok=True)
    header = ["First Name", "Last Name", "URL", "Email Address", "Company", "Position", "Connected On"]
    _write_csv(export / "Connections.csv", header,
               [[f"P{n}", "Test", f"https://www.linkedin.com/in/p{n}", "", "Acme", "", day]
                for n, day in enumerate(values)])  # fmt: skip
    header = ["CONVERSATION ID", "FROM", "SENDER PROFILE URL", "TO", "RECIPIENT PROFILE URLS", "DATE", "CONTENT"]
    _write_csv(export / "messages.csv", header,
               [[f"c{n}", f"P{n} Test", f"https://www.linkedin.com/in/p{n}", "You", "https://www.linkedin.com/in/you",
                 day, "hello"] for n, day in enumerate(values)])  # fmt: skip
    return run_import(kw, "linkedin", export)


def _stored_dates(kw: Knowwho) -> tuple[list[str], list[str]]:
    """(every recorded date: conversations and first meetings; every birthday with a year)."""
    conn = kw.db.conn
    recorded = [r[0] for r in conn.execute("SELECT occurred_at FROM interactions")]
    recorded += [r[0] for r in conn.execute("SELECT first_met_on FROM people WHERE first_met_on IS NOT NULL")]
    born = [r[0] for r in conn.execute("SELECT birthday FROM people WHERE birthday NOT LIKE '--%'")]
    return recorded, born


def _with_fresh_db(check: Callable[[Knowwho, Path], None]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        kw = Knowwho.open(Path(folder) / "dates.db", clock=fixed_clock(NOW))
        try:
            check(kw, Path(folder))
        finally:
            kw.close()


def test_a_mail_dated_past_the_calendar_is_reported_and_the_rest_imported() -> None:
    def check(kw: Knowwho, folder: Path) -> None:
        report = _import(kw, folder, "mail", ["Fri, 31 Dec 9999 23:59:59 -1200", "Mon, 5 Jan 2026 10:00:00 +0000",
                                              "Mon, 5 Jan 1850 10:00:00 +0000"])  # fmt: skip
        assert report.interactions_added == 1
        problems = [p.message for p in report.problems]
        assert problems == ["unreadable Date 'Fri, 31 Dec 9999 23:59:59 -1200'; message skipped",
                            "Date 'Mon, 5 Jan 1850 10:00:00 +0000' is out of range (1900-01-01 to 2126-12-31); "
                            "message skipped"]  # fmt: skip

    _with_fresh_db(check)


def test_a_meeting_in_the_year_500_is_reported_and_the_rest_imported() -> None:
    def check(kw: Knowwho, folder: Path) -> None:
        report = _import(kw, folder, "ics", ["05000101T100000Z", "20260105T100000Z"])
        assert report.interactions_added == 1
        assert [str(p).split(", ", 1)[1] for p in report.problems] == [
            "line 4: event e0 skipped: it starts on 0500-01-01, out of range (1900-01-01 to 2126-12-31)"
        ]

    _with_fresh_db(check)


def test_contacts_with_impossible_birthdays_or_connection_dates_come_in_without_them() -> None:
    def check(kw: Knowwho, folder: Path) -> None:
        vcard = _import(kw, folder, "vcard", ["0500-01-01", "1990-04-12"])
        assert vcard.added == 2 and [p.message for p in vcard.problems] == [
            "birthday 0500-01-01 is out of range (1896-01-01 to 2026-11-18); imported without it"
        ]
        people = _import(kw, folder, "csv", ["1700-02-03"])
        assert people.added == 1 and "birthday 1700-02-03 is out of range" in people.problems[0].message
        linkedin = _import(kw, folder, "linkedin", ["01 Jan 0500", "0500-01-01 10:00:00 UTC"])
        messages = [p.message for p in linkedin.problems]
        assert "'Connected On' 0500-01-01 is out of range (1900-01-01 to 2126-12-31); imported without it" in messages
        assert "'DATE' 0500-01-01 is out of range (1900-01-01 to 2126-12-31); left out" in messages
        assert sorted(_stored_dates(kw)[1]) == ["1990-04-12"]

    _with_fresh_db(check)


_YEARS = st.one_of(st.integers(1, 9999), st.integers(1890, 2140))
_DAYS = st.builds(date, _YEARS, st.integers(1, 12), st.integers(1, 28))


def _written(kind: str, day: date, hour: int, offset: int) -> str:
    """The day as this kind of file writes a date."""
    sign, minutes = ("-" if offset < 0 else "+"), abs(offset)
    if kind == "mail":
        return f"Mon, {day.day} {MONTHS[day.month - 1]} {day.year:04d} {hour:02d}:30:00 {sign}{minutes // 60:02d}00"
    if kind == "ics":
        return f"{day.year:04d}{day.month:02d}{day.day:02d}T{hour:02d}3000Z"
    return day.isoformat() if kind in ("vcard", "csv") else f"{day.day:02d} {MONTHS[day.month - 1]} {day.year:04d}"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kind=st.sampled_from(["mail", "ics", "vcard", "csv", "linkedin"]),
    values=st.lists(st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=40), max_size=3),
    days=st.lists(st.tuples(_DAYS, st.integers(0, 23), st.integers(-14 * 60, 14 * 60)), min_size=1, max_size=4),
)
def test_any_date_in_any_import_is_stored_in_range_or_reported(
    kind: str, values: list[str], days: list[tuple[date, int, int]]
) -> None:
    written = [_written(kind, day, hour, offset) for day, hour, offset in days] + [v.strip() for v in values]

    def check(kw: Knowwho, folder: Path) -> None:
        report = _import(kw, folder, kind, written)
        for problem in report.problems:
            assert PYTHON_TEXT.search(str(problem)) is None, str(problem)
        recorded, born = _stored_dates(kw)
        assert all(RECORDED.holds(stamp) for stamp in recorded), recorded
        assert all(BORN.holds(day) for day in born), born

    _with_fresh_db(check)
