"""In Chromium: weekly goals set on the Stats page, and an outreach template reworded in Settings."""

from __future__ import annotations

from typing import Any

from knowwho.core import Knowwho
from tests.web.test_browser import browser, page, server, shot  # noqa: F401  (fixtures)


def test_set_weekly_goals_then_reword_a_template(server: str, page: Any, kw: Knowwho) -> None:  # noqa: F811
    ana = kw.people.add("Ana Lima")
    kw.interactions.log([ana.id], kind="coffee")
    page.goto(server + "/stats")
    page.get_by_label("Conversations a week").fill("3")
    page.get_by_label("New people a week").fill("2")
    page.get_by_role("button", name="Save goals").click()
    page.wait_for_load_state()
    goals = page.locator("#goals")
    assert goals.get_by_text("1 of 3 conversations this week").is_visible()
    assert goals.locator("svg").count() == 0  # the goals are drawn on the week charts below, not twice
    assert page.locator("svg .goal").count() == 2
    shot(page, "50-stats-goals")
    page.goto(server + "/settings")
    page.locator("#template-thank-you summary").click()
    page.locator("#subject-thank-you").fill("Thanks for the coffee")
    page.locator("#template-thank-you").get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "your wording" in page.locator("#template-thank-you summary").inner_text()
    assert kw.templates.get("thank-you").subject == "Thanks for the coffee"
    shot(page, "51-settings-template")
