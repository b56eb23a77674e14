"""The web UI at desktop and phone sizes in headless Chromium: confirmations without scripts, folded filters,
an organization that leads with its notes, Today's buttons in one row, and the import drop zone."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from knowwho.core import Knowwho
from tests.conftest import FIXTURES
from tests.web.conftest import fill
from tests.web.test_browser import CHROMIUM, browser, server, shot  # noqa: F401 (fixtures)

pytest.importorskip("playwright.sync_api")
pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"),
]
SIZES = {"desktop": {"width": 1280, "height": 860}, "phone": {"width": 390, "height": 844}}


@pytest.fixture(params=list(SIZES))
def sized(browser: Any, request: pytest.FixtureRequest) -> Iterator[tuple[Any, str]]:  # noqa: F811
    context = browser.new_context(viewport=SIZES[request.param], is_mobile=request.param == "phone")
    yield context.new_page(), request.param
    context.close()


def test_confirmations_without_scripts(server: str, browser: Any, kw: Knowwho) -> None:  # noqa: F811
    ids = fill(kw)
    for size, viewport in SIZES.items():
        context = browser.new_context(viewport=viewport, java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{server}/people/{ids['raj']}")
        page.locator("#kind").select_option("call")
        page.locator("#log-note").fill(f"checked in ({size})")
        page.get_by_role("button", name="Log it").click()
        assert page.locator(".flash").inner_text() == "Logged the call."
        shot(page, f"polish-flash-logged-{size}")
        page.goto(f"{server}/history")
        page.get_by_role("button", name="Undo").first.click()
        assert page.locator(".notice").inner_text().startswith("Undid: ")  # the page says it, the flash not again
        assert page.locator(".flash").count() == 0
        context.close()
    assert [i.kind for i in kw.interactions.for_person(ids["raj"])] == ["email", "meeting"]


def test_people_filters_fold_on_a_phone(server: str, sized: tuple[Any, str], kw: Knowwho) -> None:  # noqa: F811
    fill(kw)
    page, size = sized
    page.goto(server + "/people")
    tag = page.get_by_label("Tag")
    assert tag.is_visible() == (size == "desktop")
    if size == "phone":
        assert page.locator("table.list").bounding_box()["y"] < 844  # the first people show on the first screen
        page.get_by_text("Filters and sort").click()
        assert tag.is_visible()
    page.get_by_label("Tie").select_option("moderate")
    page.wait_for_url("**tier=moderate**")
    assert page.get_by_label("Tag").is_visible()  # a filter in use stays in view
    shot(page, f"polish-people-filters-{size}")


def test_an_organization_leads_with_notes(server: str, sized: tuple[Any, str], kw: Knowwho) -> None:  # noqa: F811
    for n in range(60):
        kw.people.add(f"Person {n:02}", organization="Acme", title="Engineer")
    org_id = kw.people.resolve("Person 00").roles[0].organization_id
    kw.organizations.add_note(org_id, "Hiring data engineers in spring; ask Person 07.")
    page, size = sized
    page.goto(f"{server}/organizations/{org_id}")
    notes = page.get_by_text("Hiring data engineers in spring").bounding_box()
    people = page.get_by_role("heading", name="People there now").bounding_box()
    if size == "phone":
        assert notes["y"] < people["y"]
    assert page.evaluate("document.documentElement.scrollHeight") < 3200
    page.get_by_text("48 more people there now").click()
    assert page.get_by_role("link", name="Person 59").is_visible()
    shot(page, f"polish-organization-{size}")


def test_todays_buttons_share_one_row(server: str, sized: tuple[Any, str], kw: Knowwho) -> None:  # noqa: F811
    fill(kw)
    page, size = sized
    page.goto(server + "/")
    item = page.locator("[data-item]").filter(has_text="Raj Patel").first
    controls = item.locator(".buttons > .button, .buttons > form > *:is(button, select), .buttons > details > summary")
    middles = [box["y"] + box["height"] / 2 for box in (c.bounding_box() for c in controls.all()) if box]
    assert len(middles) == 5 and max(middles) - min(middles) < 4, f"the buttons wrap on a {size} screen"
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    shot(page, f"polish-today-buttons-{size}")


def test_the_drop_zone_takes_a_dropped_file(server: str, sized: tuple[Any, str], kw: Knowwho) -> None:  # noqa: F811
    pytest.importorskip("knowwho.importers.vcard")
    page, size = sized
    page.goto(server + "/transfer")
    card = (FIXTURES / "vcard" / "ezvcard_John_Doe_IPHONE.vcf").read_text()
    dropped = page.evaluate_handle(
        """(text) => { const data = new DataTransfer();
           data.items.add(new File([text], "from-my-phone.vcf", { type: "text/vcard" })); return data; }""",
        card,
    )
    page.dispatch_event("[data-dropzone]", "dragover", {"dataTransfer": dropped})
    assert "over" in (page.locator("[data-dropzone]").get_attribute("class") or "")
    page.dispatch_event("[data-dropzone]", "drop", {"dataTransfer": dropped})
    page.get_by_text("Chosen: from-my-phone.vcf (looks like: vCard address book)").wait_for()
    assert page.get_by_label("What it is").input_value() == "auto"
    assert page.evaluate("document.documentElement.scrollWidth") <= SIZES[size]["width"]
    shot(page, f"polish-import-dropped-{size}")
    page.get_by_role("button", name="Import").click()
    page.get_by_role("heading", name="Done").wait_for(timeout=20_000)
    assert kw.people.count() >= 1
