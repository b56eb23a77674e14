"""Accessibility in headless Chromium: axe-core on every page at desktop and phone sizes, and the keyboard alone.

axe-core (the engine of browsers' own audit tools) comes from npm at test time
(`make test` installs it into artifacts/npm); without npm these tests are skipped.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute

import knowwho.web.routes
from knowwho.core import Knowwho
from knowwho.services.demo import generate_demo
from knowwho.web.app import create_app
from tests.web.conftest import factory, fill
from tests.web.test_browser import ARGS, CHROMIUM, _serve, browser, server, shot  # noqa: F401 (fixtures)

playwright_api = pytest.importorskip("playwright.sync_api")
expect, sync_playwright = playwright_api.expect, playwright_api.sync_playwright

ROOT = Path(__file__).resolve().parents[2]
NPM_PREFIX = ROOT / "artifacts" / "npm"
AXE = NPM_PREFIX / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP, PHONE = {"width": 1280, "height": 860}, {"width": 390, "height": 844}
SIZES = {"desktop": (DESKTOP, "light"), "phone": (PHONE, "light"), "phone-dark": (PHONE, "dark")}
NOT_PAGES = ("/feed/", "/transfer/export/", "/login")  # calendar feeds and downloads; sign-in has its own test
SERIOUS = """async () => {
  const result = await axe.run(document, { resultTypes: ["violations"] });
  return result.violations.filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}"""

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"),
]


def _axe() -> Path:
    """axe-core's script, installed from npm once if it is missing (a folder git ignores)."""
    if not AXE.exists() and shutil.which("npm"):
        subprocess.run(["npm", "install", "--no-save", "--no-package-lock", "--no-audit", "--no-fund",
                        "--prefix", str(NPM_PREFIX), "axe-core"], check=False, capture_output=True, timeout=120)  # fmt: skip
    if not AXE.exists():
        pytest.skip("axe-core is not installed and npm is missing: install Node.js (npm), then `make test`")
    return AXE


@pytest.fixture
def site(db_path: Path) -> Iterator[tuple[str, dict[str, str]]]:
    """A server over a demo network plus the tricky records, and the values for each page's path parameters."""
    kw = factory(db_path)()
    generate_demo(kw, people=60, workers=1)
    ids = fill(kw)
    kw.followups.add(ids["ana"], kw.ctx.today().replace(day=28).replace(month=12), note="ask about the offsite")
    person = kw.people.get(ids["ana"])
    values = {"person_id": str(ids["ana"]), "organization_id": str(person.roles[0].organization_id)}
    kw.close()
    for url in _serve(create_app(factory(db_path))):
        yield url, values


def _page_urls(values: dict[str, str]) -> list[str]:
    """Every page a GET route serves (routes added later included), with real ids in its path."""
    urls = ["/today/draft?action=reply&person_id=" + values["person_id"], "/people?q=ana", "/people?q=Ana%20Lma",
            "/nobody-here", "/paths?kind=field&q=data", "/paths?kind=organization&q=a"]  # fmt: skip
    for info in pkgutil.iter_modules(knowwho.web.routes.__path__):
        router = getattr(importlib.import_module(f"knowwho.web.routes.{info.name}"), "router", None)
        for route in router.routes if router else []:
            if not isinstance(route, APIRoute) or "GET" not in route.methods or route.path.startswith(NOT_PAGES):
                continue
            urls.append(re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "1"), route.path))
    return sorted(set(urls))


@pytest.mark.parametrize("size", SIZES)
def test_no_serious_accessibility_problems_on_any_page(site: tuple[str, dict[str, str]], size: str) -> None:
    axe = _axe()
    base, values = site
    problems: dict[str, list[str]] = {}
    checked = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        viewport, scheme = SIZES[size]
        context = browser.new_context(viewport=viewport, color_scheme=scheme, bypass_csp=True)  # axe's script too
        page = context.new_page()
        for url in _page_urls(values):
            response = page.goto(base + url)
            status = 404 if url == "/nobody-here" else 200
            if response is None or response.status != status or "text/html" not in response.headers["content-type"]:
                continue  # a page that needs records this network does not have (its own tests cover it)
            checked.append(url)
            page.add_script_tag(path=str(axe))
            found = page.evaluate(SERIOUS)
            if found:
                problems[url] = found
                shot(page, f"axe-{size}-{re.sub(r'[^a-z0-9]+', '-', url.lower()).strip('-') or 'today'}")
        browser.close()
    assert {"/", "/people", "/capture", "/stats", "/transfer", "/nobody-here"} <= set(checked)
    assert ("/people/" + values["person_id"]) in checked
    assert ("/organizations/" + values["organization_id"]) in checked
    assert problems == {}, "\n".join(f"{url}: {p}" for url, found in problems.items() for p in found)


# -- the keyboard alone ------------------------------------------------------------------------------------------
FOCUSED = """() => { const e = document.activeElement;
  return [e.tagName, e.getAttribute("aria-label") || e.labels?.[0]?.textContent?.trim() || e.textContent.trim(),
          getComputedStyle(e).outlineStyle]; }"""


def _tab_to(page: Any, name: str, *, limit: int = 120) -> None:
    """Press Tab until the focused control is called `name` (its label, aria-label or text), as a keyboard user does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        _tag, label, outline = page.evaluate(FOCUSED)
        if label.startswith(name):
            assert outline != "none", f"{name} has focus but shows no focus ring"
            return
    raise AssertionError(f"Tab never reached {name!r}")


@pytest.fixture
def keyboard(browser: Any, request: pytest.FixtureRequest) -> Iterator[Any]:  # noqa: F811
    context = browser.new_context(viewport=SIZES[request.param][0])
    page = context.new_page()
    yield page
    context.close()


@pytest.mark.parametrize("keyboard", ["desktop", "phone"], indirect=True)
def test_today_by_keyboard(server: str, keyboard: Any, kw: Knowwho) -> None:  # noqa: F811
    fill(kw)
    page = keyboard
    page.goto(server + "/")
    items = page.locator("[data-item]")
    before = items.count()
    _tab_to(page, "Done: Ana Lima")
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Done").wait_for()
    expect(items).to_have_count(before - 1)
    _tab_to(page, "Snooze")
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    assert page.evaluate(FOCUSED)[1] == "Tomorrow"
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Snoozed").wait_for()
    expect(items).to_have_count(before - 2)


@pytest.mark.parametrize("keyboard", ["desktop", "phone"], indirect=True)
def test_capture_by_keyboard_keeps_where_you_met(server: str, keyboard: Any, kw: Knowwho) -> None:  # noqa: F811
    page = keyboard
    page.goto(server + "/capture")
    expect(page.locator("#c-name")).to_be_focused()  # the name box has focus when the page opens
    page.keyboard.type("Lea Roy")
    _tab_to(page, "Where you met")
    page.keyboard.type("JSConf Café, day 2")
    _tab_to(page, "One line")
    page.keyboard.type("works on maps")
    page.keyboard.press("Enter")
    page.get_by_text("Saved Lea Roy").wait_for()
    assert page.get_by_label("Where you met").input_value() == "JSConf Café, day 2"
    page.keyboard.type("Tom Ito")
    page.keyboard.press("Enter")
    page.get_by_text("Saved Tom Ito").wait_for()
    assert page.get_by_label("Where you met").input_value() == "JSConf Café, day 2"
    shot(page, f"a11y-capture-keyboard-{page.viewport_size['width']}")
    assert {kw.people.resolve(n).how_met for n in ("Lea Roy", "Tom Ito")} == {"JSConf Café, day 2"}


@pytest.mark.parametrize("keyboard", ["desktop", "phone"], indirect=True)
def test_person_page_by_keyboard(server: str, keyboard: Any, kw: Knowwho) -> None:  # noqa: F811
    ids = fill(kw)
    page = keyboard
    page.goto(f"{server}/people/{ids['raj']}")
    _tab_to(page, "Kind")
    page.keyboard.type("call")  # a closed select takes typed letters
    _tab_to(page, "What you talked about")
    page.keyboard.type("He starts at Initech in May.")
    _tab_to(page, "Log it")
    page.keyboard.press("Enter")
    page.locator(".flash").filter(has_text="Logged the call.").wait_for()
    assert page.locator(".timeline p.text").get_by_text("He starts at Initech in May.").is_visible()
    shot(page, f"a11y-person-keyboard-{page.viewport_size['width']}")
    assert kw.interactions.for_person(ids["raj"])[0].kind == "call"
