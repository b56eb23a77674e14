"""The network picture in headless Chromium, at desktop and phone size, with screenshots to look at."""

from __future__ import annotations

from typing import Any

import pytest

from knowwho.core import Knowwho
from tests.web.test_browser import CHROMIUM, browser, page, server, shot  # noqa: F401  (fixtures)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's Chromium at /usr/bin/chromium"),
]


def network(kw: Knowwho) -> int:
    """Ana Lima at Acme with colleagues, mail threads, an event, introductions and people known through her."""
    ana = kw.people.add("Ana Lima", organization="Acme", title="Data lead", closeness=4).id
    kw.network.add_role(ana, "Acme", start="2020")
    names = ["Ben Okafor", "Chloé Martin", "Dan Wu", "Eve Adams", "Farid Haddad", "Gus Berg", "Hana Sato",
             "Ivo Petrov", "Jia Li", "Kofi Mensah", "Lena Vogel", "Mo Salah", "Nia Brown", "Omar Khan",
             "Priya Nair", "Quinn Ross", "<b>Rae</b> O'Neil", "Sara Costa", "Tom Berg", "Uma Rao"]  # fmt: skip
    ids = [kw.people.add(n, closeness=(i % 5) + 1).id for i, n in enumerate(names)]
    for pid in ids[:6]:
        kw.network.add_role(pid, "Acme", start="2021")
    kw.interactions.log([ana, ids[6], ids[7]], kind="email", subject="Planning")
    kw.interactions.log([ana, ids[8]], kind="email", subject="Slides")
    for pid in ids[9:12]:
        kw.network.knows(ana, pid, how="climbing club")
    kw.network.knows(ids[0], ids[1], how="old friends")
    kw.network.knows(ids[6], ids[9])
    with kw.db.transaction() as tx:
        tx.execute(
            "INSERT INTO events (id, name, starts_on, created_at) VALUES (1, 'PyCon', '2026-05-14', '2026-05-14')"
        )
        tx.executemany(
            "INSERT INTO event_people (event_id, person_id) VALUES (1, ?)", [(p,) for p in [ana, *ids[12:16]]]
        )
        tx.executemany(
            """INSERT INTO introductions (person_a_id, person_b_id, stage, created_at, updated_at, made_on)
               VALUES (?, ?, 'made', '2026-06-01', '2026-06-01', '2026-06-01')""",
            [(ana, ids[16]), (ana, ids[17])],
        )
    for name in ("Rosa Lima", "Vic Lima"):
        kw.network.add_through(name, via=ana, how="her aunt" if name == "Rosa Lima" else "her brother")
    return ana


def test_the_network_picture_at_desktop_and_phone_size(server: str, page: Any, browser: Any, kw: Knowwho) -> None:  # noqa: F811
    ana = network(kw)
    page.goto(server + f"/people/{ana}")
    picture = page.locator(".netpic svg.view-wide")
    assert (
        picture.is_visible()
        and not page.locator(".netpic svg.view-narrow").is_visible()
        and page.locator(".netpic svg.view-wide circle").count() == 21
    )
    assert page.get_by_role("group", name="Who they know").is_visible()
    assert "<b>Rae</b>" in page.locator(".netpic").inner_text()  # a name is text, never markup
    picture.scroll_into_view_if_needed()
    shot(page, "network-1-person")
    page.locator(".netpic").screenshot(path=str(shot_path("network-1b-person-picture")))
    page.locator(".netpic summary").click()
    assert page.locator(".netpic-list li").count() == 20
    page.goto(server + "/organizations/1")
    assert page.get_by_role("group", name="Who is there").is_visible()
    shot(page, "network-2-organization")
    page.locator(".netpic").screenshot(path=str(shot_path("network-2b-organization-picture")))
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    tab = phone.new_page()
    tab.goto(server + f"/people/{ana}")
    assert tab.evaluate("document.documentElement.scrollWidth") <= 390
    assert tab.get_by_role("group", name="Who they know").is_visible()
    assert tab.locator(".netpic svg.view-narrow circle").count() == 13  # the surest twelve
    tab.locator(".netpic").screenshot(path=str(shot_path("network-3-person-phone")))
    phone.close()


def shot_path(name: str) -> Any:
    from tests.web.test_browser import SHOTS

    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS / f"{name}.png"
