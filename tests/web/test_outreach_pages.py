"""Informational interviews on the web and in the API: the request (re-rendered with what to learn) and the brief."""

from __future__ import annotations

from datetime import timedelta
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.conftest import NOW
from tests.web.conftest import XSS, fill
from tests.web.test_browser import browser, page, server, shot  # noqa: F401  (fixtures)


def test_person_page_links_to_ask_and_brief(client: TestClient, filled: dict[str, int]) -> None:
    html = client.get(f"/people/{filled['ana']}").text
    assert f'href="/people/{filled["ana"]}/ask">Ask for an informational interview</a>' in html
    assert f'href="/people/{filled["ana"]}/brief">Brief before a talk</a>' in html


def test_ask_page_drafts_the_request_and_rewrites_it_with_what_to_learn(
    client: TestClient, filled: dict[str, int]
) -> None:
    first = client.get(f"/people/{filled['ana']}/ask")
    assert first.status_code == 200
    assert "Hi Ana," in first.text and "not asking about a job" in first.text and "20 minutes" in first.text
    assert "what your work as Data lead at Acme is really like" in first.text
    assert 'href="mailto:ana@acme.example?subject=' in first.text
    again = client.get(f"/people/{filled['ana']}/ask", params={"about": "moving into <search> & ranking"})
    assert 'value="moving into &lt;search&gt; &amp; ranking"' in again.text  # the field keeps what was typed
    assert "I&#39;d love to hear about moving into &lt;search&gt; &amp; ranking." in again.text
    assert quote("moving into <search> & ranking") in again.text  # in the mailto link's body
    assert client.get("/people/9999/ask").status_code == 404


def test_ask_and_brief_pages_escape_names(client: TestClient, filled: dict[str, int]) -> None:
    for path in (f"/people/{filled['evil']}/ask", f"/people/{filled['evil']}/brief"):
        html = client.get(path).text
        assert XSS not in html and "&lt;img src=x onerror=alert(1)&gt;" in html, path


def test_brief_page_shows_roles_notes_shared_contacts_talks_and_questions(
    client: TestClient, kw: Knowwho, filled: dict[str, int]
) -> None:
    kw.interactions.add_note(filled["raj"], "Moved to Globex for the search team")
    html = client.get(f"/people/{filled['raj']}/brief").text
    assert "Brief: Raj Patel" in html
    assert "Staff engineer at" in html and "Globex" in html and "(before" in html  # current and past roles
    assert "Moved to Globex for the search team" in html
    assert f'href="/people/{filled["ana"]}">Ana Lima</a>' in html  # shared contact (they met together)
    assert "intro?" in html  # a past conversation
    for topic in ("Their path", "Day to day", "Culture", "The field&#39;s future", "Advice", "Whom else to talk to"):
        assert topic in html
    assert "How did you come to be Staff engineer at Globex?" in html


def test_api_ask_and_brief(client: TestClient, filled: dict[str, int]) -> None:
    ask = client.get(f"/api/people/{filled['ana']}/ask", params={"about": "hiring in search"})
    assert ask.status_code == 200
    body = ask.json()
    assert body["to"] == ["ana@acme.example"] and "hear about hiring in search" in body["body"]
    assert body["mailto"].startswith("mailto:ana@acme.example?subject=")
    brief = client.get(f"/api/people/{filled['raj']}/brief").json()
    assert brief["name"] == "Raj Patel" and [r["organization"] for r in brief["roles"]][:1] == ["Globex"]
    assert any(c["name"] == "Ana Lima" for c in brief["shared_contacts"])
    assert brief["conversations"][0]["subject"] == "intro?"
    assert list(brief["questions"])[:2] == ["Their path", "Day to day"]
    assert client.get("/api/people/9999/brief").status_code == 404
    assert client.get(f"/api/people/{filled['ana']}/ask", params={"about": "x" * 301}).status_code == 422
    paths = client.get("/openapi.json").json()["paths"]
    assert "/api/people/{person_id}/ask" in paths and "/api/people/{person_id}/brief" in paths


def test_browser_ask_rewrites_the_request(server: str, page: Any, kw: Knowwho) -> None:  # noqa: F811
    ids = fill(kw)
    kw.interactions.log([ids["mia"]], kind="coffee", when=NOW - timedelta(days=1))
    page.goto(f"{server}/people/{ids['ana']}")
    page.get_by_role("link", name="Ask for an informational interview").click()
    page.get_by_label("What you want to learn").fill("how your team runs search experiments")
    page.get_by_role("button", name="Rewrite the request").click()
    page.wait_for_load_state()
    assert "how your team runs search experiments" in page.get_by_label("Message").input_value()
    assert page.get_by_role("link", name="Open in mail app").get_attribute("href").startswith("mailto:")
    shot(page, "40-ask")
    page.get_by_role("link", name="Brief before the talk").click()
    page.get_by_role("heading", name="Questions to ask").wait_for()
    shot(page, "41-brief")
