"""The Opportunities board and its API: columns by stage, one-click moves without script, add, get, move."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.conftest import NOW
from tests.web.conftest import XSS, csrf_of
from tests.web.test_browser import browser, page, server, shot  # noqa: F401  (fixtures)


def _search(kw: Knowwho) -> dict[str, int]:
    ana = kw.people.add("Ana Lima", emails=["ana@acme.example"], organization="Acme")
    raj = kw.people.add("Raj Patel", organization="Acme")
    first = kw.opportunities.add("Acme", "Data scientist", people=[(ana.id, "referrer"), (raj.id, "recruiter")])
    second = kw.opportunities.add("Globex", XSS, link="https://globex.example/jobs/7")
    kw.opportunities.move(second.opportunity.id, "interviewing")
    return {"ana": ana.id, "first": first.opportunity.id, "second": second.opportunity.id}


def test_board_has_a_column_per_stage_with_people_next_action_and_moves(client: TestClient, kw: Knowwho) -> None:
    ids = _search(kw)
    html = client.get("/opportunities").text
    stages = ("exploring", "applied", "interviewing", "offer", "accepted", "rejected", "withdrawn")
    assert all(f'data-stage="{s}"' in html for s in stages)
    assert 'href="/opportunities" aria-current="page"' in html
    exploring = html.split('data-stage="exploring"')[1].split('data-stage="applied"')[0]
    assert f'id="opp-{ids["first"]}"' in exploring and "Ana Lima" in exploring and "referrer" in exploring
    assert "ask Ana Lima about the role, or for a referral" in exploring
    assert f'action="/opportunities/{ids["first"]}/move"' in exploring and 'value="applied"' in exploring
    assert XSS not in html and "&lt;img src=x" in html


def test_one_post_moves_a_card_and_a_rejection_is_remembered(client: TestClient, kw: Knowwho) -> None:
    ids = _search(kw)
    token = csrf_of(client, "/opportunities")
    answer = client.post(f"/opportunities/{ids['first']}/move", data={"stage": "rejected", "csrf_token": token},
                         follow_redirects=False)  # fmt: skip
    assert answer.status_code == 303 and answer.headers["location"] == f"/opportunities#opp-{ids['first']}"
    o = kw.opportunities.get(ids["first"])
    assert o.stage == "rejected" and o.reengage_on == (NOW.date() + timedelta(days=180)).isoformat()
    bad = client.post(f"/opportunities/{ids['first']}/move", data={"stage": "hired", "csrf_token": token})
    assert bad.status_code == 422 and "nknown stage &#39;hired&#39;" in bad.text


def test_add_form_creates_an_opportunity_with_a_person(client: TestClient, kw: Knowwho) -> None:
    kw.people.add("Ana Lima")
    token = csrf_of(client, "/opportunities")
    form = {"organization": "Initech", "role": "Analyst", "person": "Ana", "part": "referrer", "csrf_token": token}
    assert client.post("/opportunities", data=form, follow_redirects=False).status_code == 303
    [card] = kw.opportunities.cards()
    assert card.title == "Analyst at Initech" and [(m.name, m.part) for m in card.people] == [("Ana Lima", "referrer")]


@pytest.mark.parametrize(
    ("changes", "status", "line"),
    [
        ({"link": "initech.example/jobs"}, 422, "Link: &#39;initech.example/jobs&#39; is not a web address"),
        ({"person": "Sam"}, 409, "&#39;Sam&#39; matches 2 people"),
        ({"person": "Zoe Nobody"}, 404, "No person matches &#39;Zoe Nobody&#39;"),
    ],
)  # fmt: skip
def test_a_refused_opportunity_comes_back_in_its_form_as_typed(
    client: TestClient, kw: Knowwho, changes: dict[str, str], status: int, line: str
) -> None:
    kw.people.add("Sam Lee")
    kw.people.add("Sam Park")
    form = {"organization": "Initech", "role": "Analyst", "person": "", "part": "referrer", "link": "",
            "csrf_token": csrf_of(client, "/opportunities")} | changes  # fmt: skip
    answer = client.post("/opportunities", data=form)
    assert answer.status_code == status and f'id="opp-problem" role="alert">{line}' in answer.text
    assert '<details class="card opp-add" open>' in answer.text and '<option value="referrer" selected>' in answer.text
    for value in ("Initech", "Analyst", *changes.values()):
        assert f'value="{value}"' in answer.text
    assert kw.opportunities.cards() == []


def test_api_list_create_get_move(client: TestClient, kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima", emails=["ana@acme.example"])
    made = client.post("/api/opportunities", json={
        "organization": "Acme", "role": "ML engineer", "people": [{"person_id": ana.id, "part": "hiring-manager"}],
    })  # fmt: skip
    assert made.status_code == 201, made.text
    oid = made.json()["id"]
    assert made.json()["people"] == [{"id": ana.id, "name": "Ana Lima", "part": "hiring-manager"}]
    assert [o["id"] for o in client.get("/api/opportunities").json()] == [oid]
    moved = client.post(f"/api/opportunities/{oid}/move", json={"stage": "withdrawn", "reengage_days": 90})
    assert moved.status_code == 200 and moved.json()["reengage_on"] == (NOW.date() + timedelta(days=90)).isoformat()
    detail = client.get(f"/api/opportunities/{oid}").json()
    assert detail["reengage_draft"]["to"] == ["ana@acme.example"] and detail["moves"] == ["exploring"]
    assert client.get("/api/opportunities/99").status_code == 404
    bad = client.post("/api/opportunities", json={"organization": "X", "role": "Y", "link": "javascript:alert(1)"})
    assert bad.status_code == 422 and "not a web address" in bad.json()["error"]
    assert client.post(f"/api/opportunities/{oid}/move", json={"stage": "hired"}).status_code == 422
    assert "/api/opportunities/{opportunity_id}/move" in client.get("/openapi.json").json()["paths"]


@pytest.mark.browser
def test_browser_one_click_moves_a_card(server: str, page: Any, kw: Knowwho) -> None:  # noqa: F811
    ids = _search(kw)
    kw.interactions.log([ids["ana"]], kind="coffee", when=NOW - timedelta(days=3))
    page.goto(server + "/opportunities")
    shot(page, "30-opportunities-board")
    card = page.locator(f"#opp-{ids['first']}")
    assert card.locator("xpath=ancestor::section").get_attribute("data-stage") == "exploring"
    card.get_by_role("button", name="Applied: Data scientist at Acme").click()
    page.wait_for_load_state()
    moved = page.locator(f"#opp-{ids['first']}")
    assert moved.locator("xpath=ancestor::section").get_attribute("data-stage") == "applied"
    assert "check in with Raj Patel" in moved.inner_text()
    shot(page, "31-opportunities-moved")
    assert kw.opportunities.get(ids["first"]).stage == "applied"
