"""How today's reasons are worded: pure functions, tested on their own."""

from __future__ import annotations

from datetime import date

from knowwho.services import agenda_reasons as reasons


def test_counts_by_kind_in_list_order() -> None:
    assert reasons.counted({"keep-in-touch": 9, "reply": 3, "birthday": 0}) == "3 replies, 9 keep in touch"
    assert reasons.counted({"reply": 1, "thank-you": 2}) == "1 reply, 2 thank-yous"
    assert reasons.counted({}) == ""


def test_spans() -> None:
    assert [reasons.span(d) for d in (1, 9, 20, 200, 800)] == ["1 day", "9 days", "2 weeks", "6 months", "2 years"]


def test_keep_in_touch_own_and_default_cadence() -> None:
    today = date(2026, 11, 18)
    own = reasons.keep_in_touch(
        last=date(2026, 8, 1), added=date(2025, 1, 1), today=today, cadence=60, own=True, closeness=None, tier="weak"
    )
    assert own == "last spoke 3 months ago; you keep in touch every 60 days (weak tie)"
    default = reasons.keep_in_touch(
        last=None, added=date(2026, 5, 1), today=today, cadence=30, own=False, closeness=5, tier="dormant"
    )
    assert (
        default
        == "no conversation logged since you added them 6 months ago; default for closeness 5 of 5: every 30 days"
    )


def test_reengage_wording() -> None:
    today = date(2026, 11, 18)
    common = {"role": "Data Engineer", "organization": "Acme", "stage": "rejected", "today": today}
    assert (
        reasons.reengage(**common, closed_on="2025-11-20", interviewers=[], contact="Gus Lee", part="hiring-manager")
        == "Data Engineer at Acme, with Gus Lee (hiring manager); rejected in November 2025"
    )
    assert (
        reasons.reengage(**common, closed_on=None, interviewers=["Rita", "Sam", "Lee"], contact="", part=None)
        == "you interviewed with Rita, Sam and Lee for Data Engineer at Acme; rejected"
    )


def test_an_open_application_is_still_open() -> None:
    wording = reasons.reengage(
        role="",
        organization=None,
        stage="applied",
        closed_on=None,
        interviewers=[],
        contact="",
        part=None,
        today=date(2026, 11, 18),
    )
    assert wording == "an application; still applied"


def test_birthdays_across_the_new_year_and_on_29_february() -> None:
    days = reasons.birthdays_between(date(2026, 12, 28), 7)
    assert days["01-04"] == date(2027, 1, 4) and "01-05" not in days and days["12-28"] == date(2026, 12, 28)
    assert reasons.birthdays_between(date(2027, 2, 25), 7)["02-29"] == date(2027, 2, 28)
    assert "02-29" not in reasons.birthdays_between(date(2027, 3, 1), 7)
    assert reasons.birthday(on=date(2027, 2, 28), born="2000-02-29", today=date(2027, 2, 25)) == (
        "birthday in 3 days (Sunday 28 February); turns 27"
    )
