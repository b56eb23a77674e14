"""End-to-end flows in headless Chromium (Debian's), with screenshots in artifacts/screenshots/.

Each test drives a real server on a loopback port: add a person, log a
conversation, complete a Today action in place, search as you type, quick
capture on a phone-size screen, import a file.
"""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from knowwho.core import Knowwho
from knowwho.web.app import create_app
from tests.conftest import FIXTURES
from tests.web.conftest import XSS, factory, fill

playwright_api = pytest.importorskip("playwright.sync_api")
expect, sync_playwright = playwright_api.expect, playwright_api.sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]  # fmt: skip

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"),
]


@pytest.fixture
def server(db_path: Path) -> Iterator[str]:
    yield from _serve(create_app(factory(db_path)))


@pytest.fixture
def guarded_server(db_path: Path) -> Iterator[str]:
    yield from _serve(create_app(factory(db_path), password="correct horse"))


def _serve(app: Any) -> Iterator[str]:
    import uvicorn

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    deadline = time.time() + 10
    while not running.started and time.time() < deadline:
        time.sleep(0.02)
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=5)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 860})
    tab = context.new_page()
    problems: list[str] = []
    tab.on("console", lambda m: problems.append(m.text) if m.type == "error" else None)
    tab.on("pageerror", lambda e: problems.append(str(e)))
    tab.console_problems = problems  # a test expecting a refused form (400) takes its message away
    yield tab
    context.close()
    assert problems == [], f"browser console errors (a CSP violation?): {problems}"


def shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_add_a_person_and_log_a_conversation(server: str, page: Any) -> None:
    page.goto(server + "/people")
    shot(page, "01-people-empty")
    page.get_by_role("link", name="Add a person").first.click()
    page.get_by_label("Name").fill("Ana Lima")
    page.get_by_label("Email").fill("ana@acme.example")
    page.get_by_label("Organization").fill("Acme")
    page.get_by_label("Title").fill("Data lead")
    page.get_by_role("button", name="Add person").click()
    page.wait_for_url("**/people/1")
    assert page.get_by_role("heading", name="Ana Lima").is_visible()
    page.get_by_label("Kind").select_option("call")
    page.get_by_label("What you talked about").fill("Her team is hiring a search engineer in spring.")
    page.get_by_role("button", name="Log it").click()
    page.wait_for_load_state()
    assert page.locator(".timeline p.text").get_by_text("hiring a search engineer").is_visible()
    shot(page, "02-person-after-logging")


def test_complete_a_today_action_in_place(server: str, page: Any, kw: Knowwho) -> None:
    fill(kw)
    page.goto(server + "/")
    shot(page, "03-today")
    items = page.locator("[data-item]")
    before = items.count()
    assert page.get_by_text(XSS).first.is_visible()  # shown as text, not run
    item = items.filter(has_text="send the article")
    item.get_by_role("button", name="Done").click()
    page.get_by_role("status").filter(has_text="Done:").wait_for()
    expect(page.locator("[data-item]")).to_have_count(before - 1)
    assert page.get_by_text("send the article").count() == 0
    page.locator("[data-item]").first.get_by_role("link", name="Draft").click()
    dialog = page.locator("#draft-dialog")
    dialog.wait_for(state="visible")
    assert "Hi Raj" in dialog.locator("textarea").input_value()
    shot(page, "04-today-draft")
    page.reload()
    assert page.locator("[data-item]").count() == before - 1  # it stuck


def test_search_as_you_type(server: str, page: Any, kw: Knowwho) -> None:
    fill(kw)
    page.goto(server + "/people")
    page.keyboard.press("/")
    page.keyboard.type("glob")
    expect(page.locator("#results")).to_contain_text("1 person")
    assert page.locator("#results").get_by_text("Raj Patel").is_visible()
    assert "q=glob" in page.url
    shot(page, "05-people-search")


def test_quick_capture_on_a_phone(server: str, browser: Any, kw: Knowwho) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + "/capture")
    shot(page, "06-capture-phone")
    page.get_by_label("Name").fill("Lea Roy")
    page.get_by_label("Where you met").fill("PyCon Berlin")
    page.get_by_label("One line to remember them by").fill("search at Acme, climbs")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Saved").wait_for()
    assert page.get_by_label("Where you met").input_value() == "PyCon Berlin"  # ready for the next person
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, "the page scrolls sideways on a phone"
    shot(page, "07-capture-phone-saved")
    page.goto(server + "/")
    shot(page, "08-today-phone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    context.close()
    assert kw.people.resolve("Lea Roy").how_met == "PyCon Berlin"


def test_import_a_file(server: str, page: Any, kw: Knowwho) -> None:
    pytest.importorskip("knowwho.importers.vcard")
    page.goto(server + "/transfer")
    shot(page, "09-import-export")
    page.get_by_label("Drop a file here, or choose one").set_input_files(
        str(FIXTURES / "vcard" / "ezvcard_John_Doe_IPHONE.vcf")
    )
    assert page.get_by_text("looks like: vCard address book").is_visible()
    page.get_by_role("button", name="Import").click()
    page.get_by_role("heading", name="Done").wait_for(timeout=20_000)
    shot(page, "10-import-done")
    assert kw.people.count() >= 1
    page.get_by_role("link", name="See your people").click()
    assert page.locator("table.list tbody tr").count() >= 1


def test_import_summary_lists_problems_and_asks_for_my_addresses(
    server: str, page: Any, kw: Knowwho, tmp_path: Path
) -> None:
    pytest.importorskip("knowwho.importers.csv_contacts")
    pytest.importorskip("knowwho.importers.mail")
    messy = tmp_path / "contacts.csv"
    messy.write_bytes(
        "Name,Email,Birthday,Notes\nJosé Núñez,jose@example.com,someday,\n,,,just a note\n".encode("cp1252")
    )
    page.goto(server + "/transfer")
    page.get_by_label("Drop a file here, or choose one").set_input_files(str(messy))
    page.get_by_role("button", name="Import").click()
    page.get_by_role("heading", name="Done").wait_for(timeout=20_000)
    assert page.get_by_role("heading", name="About the file").is_visible()
    assert page.locator("table.problems tbody tr").count() == 2
    shot(page, "10b-import-problems")
    page.goto(server + "/transfer")
    page.get_by_label("Drop a file here, or choose one").set_input_files(str(messy))
    page.get_by_label("What it is").select_option(label="Email")  # the explicit choice overrides recognition
    page.get_by_label("Your email addresses").fill("")
    page.get_by_role("button", name="Import").click()
    assert page.get_by_role("alert").filter(has_text="Which email addresses are yours?").is_visible()
    page.console_problems.remove("Failed to load resource: the server responded with a status of 400 (Bad Request)")
    page.get_by_role("alert").scroll_into_view_if_needed()
    page.screenshot(path=str(SHOTS / "10c-import-needs-my-address.png"))


def test_stats_and_organization_pages_look_right(server: str, page: Any, kw: Knowwho) -> None:
    ids = fill(kw)
    page.goto(server + "/stats")
    assert page.locator("svg").count() == 5
    shot(page, "11-stats")
    page.goto(server + f"/people/{ids['ana']}")
    page.get_by_role("link", name="Edit", exact=True).click()
    assert page.get_by_label("Location").is_visible()
    shot(page, "12-person-edit")
    page.goto(server + "/organizations/1")
    shot(page, "13-organization")
    page.goto(server + "/organizations")
    assert page.locator("table.list tbody tr").count() >= 3
    shot(page, "13b-organizations")


def test_sign_in_when_a_password_is_set(guarded_server: str, page: Any, kw: Knowwho) -> None:
    ids = fill(kw)
    page.goto(guarded_server + f"/people/{ids['ana']}")
    assert "/login" in page.url
    shot(page, "14-sign-in")
    page.get_by_label("Password").fill("correct horse")
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**/people/{ids['ana']}")
    assert page.get_by_role("heading", name="Ana Lima").is_visible()


def test_person_page_and_errors_on_a_phone(server: str, browser: Any, kw: Knowwho) -> None:
    ids = fill(kw)
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(server + f"/people/{ids['ana']}")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    shot(page, "15-person-phone")
    page.goto(server + "/people/424242")
    assert page.get_by_text("no person with id 424242").is_visible()
    shot(page, "16-not-found-phone")
    context.close()


def test_merge_a_duplicate_and_undo(server: str, page: Any, kw: Knowwho) -> None:
    fill(kw)
    twin = kw.people.add("Ana Lima", emails=["ana.lima@home.example"], organization="Acme")
    page.goto(server + "/people")
    shot(page, "17-people-with-duplicates")
    page.get_by_role("link", name="Possible duplicates (1)").click()
    page.wait_for_url("**/people/duplicates")
    row = page.locator("table.list tbody tr").filter(has_text="Same name")
    expect(row).to_have_count(1)
    shot(page, "18-duplicates")
    row.get_by_role("button", name="Merge into the older record").click()
    page.get_by_role("status").filter(has_text="Merged into").wait_for()
    assert page.get_by_text("No likely duplicates").is_visible()
    shot(page, "19-duplicates-merged")
    page.get_by_role("button", name="Undo").click()
    page.wait_for_url("**/people")
    assert kw.people.get(twin.id).emails == ["ana.lima@home.example"]
