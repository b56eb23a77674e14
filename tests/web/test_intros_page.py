"""The Introductions page and /api/intros, /api/share: suggestions, the stage buttons (no JavaScript), sharing."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from knowwho.services.people import PersonChanges
from tests.web.conftest import XSS, csrf_of


def make_network(kw: Knowwho) -> dict[str, int]:
    """Right pair: Hal needs what Ida offers. The XSS name must come out escaped."""
    ids = {}
    for key, name, fields in (
        ("hal", "Hal Green", {"needs": "a React mentor"}),
        ("ida", "Ida Ross", {"offers": "React mentoring"}),
        ("evil", XSS, {"situation": "migrating company email to Microsoft 365"}),
        ("ana", "Ana Lima", {"situation": "migrating company email to Microsoft 365"}),
    ):
        ids[key] = kw.people.add(name).id
        kw.people.edit(ids[key], PersonChanges(closeness=4, **fields))  # type: ignore[arg-type]
    return ids


@pytest.fixture
def network(kw: Knowwho) -> dict[str, int]:
    return make_network(kw)


def test_page_lists_suggestions_escaped(client: TestClient, network: dict[str, int]) -> None:
    page = client.get("/intros")
    assert page.status_code == 200
    assert "Hal Green needs a React mentor, Ida Ross offers React mentoring" in page.text
    assert XSS not in page.text and "&lt;img" in page.text
    assert 'href="/intros"' in client.get("/").text  # in the navigation


def test_stage_buttons_work_without_javascript(client: TestClient, kw: Knowwho, network: dict[str, int]) -> None:
    token = csrf_of(client, "/intros")
    started = client.post("/intros", data={"person_a_id": network["hal"], "person_b_id": network["ida"], "csrf_token": token},
                          follow_redirects=False)  # fmt: skip
    assert started.status_code == 303
    page = client.get("/intros").text
    assert "Asked Hal" in page and "open to an introduction" in page
    made = client.post("/intros/1/stage", data={"stage": "made", "csrf_token": token}, follow_redirects=False)
    assert made.status_code == 303
    assert kw.intros.get(1).stage == "made"
    assert "You gave 1, got 0" in client.get(f"/people/{network['hal']}").text


def test_api_intros_and_share(client: TestClient, network: dict[str, int]) -> None:
    token = csrf_of(client)
    headers = {"x-csrf-token": token}
    data: dict[str, Any] = client.get("/api/intros").json()
    assert {(s["person_a_id"], s["person_b_id"]) for s in data["suggestions"]} >= {(network["hal"], network["ida"])}
    started = client.post(
        "/api/intros", json={"person_a_id": network["hal"], "person_b_id": network["ida"]}, headers=headers
    )
    assert started.status_code == 200 and started.json()["stage"] == "suggested"
    bad = client.post(f"/api/intros/{started.json()['id']}/stage", json={"stage": "maybe"}, headers=headers)
    assert bad.status_code == 422 and "unknown stage" in bad.json()["error"]
    shared = client.post("/api/share", json={"url": "https://example.org/m365-migration", "title": "Microsoft 365 migration"},
                         headers=headers)  # fmt: skip
    assert shared.status_code == 200
    fits = [f["person_id"] for f in shared.json()["fits"]]
    assert network["ana"] in fits and network["hal"] not in fits
    sent = client.post(
        f"/api/share/{shared.json()['item']['id']}/sent", json={"person_ids": [network["ana"]]}, headers=headers
    )
    assert sent.json()["names"] == ["Ana Lima"]


@pytest.mark.parametrize(
    ("typed", "line"),
    [
        ({"url": "acme.example/post", "title": "Email migration notes", "tags": "email-migration"},
         "URL: &#39;acme.example/post&#39; is not a web address (http:// or https://)"),
        ({"url": "", "title": " ", "tags": "email-migration"}, "Title is needed when there is no URL"),
    ],
)  # fmt: skip
def test_a_refused_item_to_share_comes_back_in_its_form_as_typed(
    client: TestClient, kw: Knowwho, typed: dict[str, str], line: str
) -> None:
    answer = client.post("/intros/share", data={**typed, "csrf_token": csrf_of(client, "/intros")})
    assert answer.status_code == 422 and f'id="share-problem" role="alert">{line}' in answer.text
    assert "--title" not in answer.text
    for value in typed.values():
        assert f'value="{value}"' in answer.text
    refused = client.post("/api/share", json={"url": "", "title": ""})
    assert refused.status_code == 422 and refused.json()["error"].startswith("title is needed when there is no URL")
    assert kw.history.recent() == []
