"""The Duplicates page and API: pairs listed side by side, merged through a form or JSON, undone, escaped."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.web.conftest import XSS, csrf_of


@pytest.fixture
def twins(kw: Knowwho) -> tuple[int, int]:
    """One person recorded twice: same name and organization, a different email each."""
    first = kw.people.add("Ana Lima", emails=["ana@acme.example"], organization="Acme")
    kw.people.add("Raj Patel", emails=["raj@globex.example"], organization="Globex")
    second = kw.people.add("Ana Lima", emails=["ana.lima@home.example"], organization="Acme")
    return first.id, second.id


def test_people_page_links_to_the_pairs(client: TestClient, twins: tuple[int, int]) -> None:
    html = client.get("/people").text
    assert 'href="/people/duplicates"' in html and "Possible duplicates (1)" in html
    page = client.get("/people/duplicates")
    assert page.status_code == 200
    html = page.text
    keep, other = twins
    assert f'href="/people/{keep}"' in html and f'href="/people/{other}"' in html
    assert "Same name, same organization (Acme)" in html
    assert f'action="/people/{keep}/merge"' in html and f'name="other_id" value="{other}"' in html
    assert "Merge into the older record" in html and "Raj Patel" not in html


def test_empty_state(client: TestClient, kw: Knowwho) -> None:
    kw.people.add("Ana Lima")
    assert "Possible duplicates" not in client.get("/people").text  # nothing to point at
    assert "No likely duplicates" in client.get("/people/duplicates").text


def test_merge_through_the_page_then_undo(client: TestClient, kw: Knowwho, twins: tuple[int, int]) -> None:
    keep, other = twins
    token = csrf_of(client, "/people/duplicates")
    response = client.post(
        f"/people/{keep}/merge", data={"other_id": str(other), "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/people/duplicates?merged={keep}"
    assert set(kw.people.get(keep).emails) == {"ana@acme.example", "ana.lima@home.example"}
    html = client.get(response.headers["location"]).text
    assert "Merged into" in html and 'action="/undo"' in html and "No likely duplicates" in html
    assert "Possible duplicates" not in client.get("/people").text  # the cached count was dropped
    undone = client.post("/undo", data={"csrf_token": token}, follow_redirects=False)
    assert undone.status_code == 303
    assert kw.people.get(keep).emails == ["ana@acme.example"]
    assert kw.people.get(other).emails == ["ana.lima@home.example"]
    assert "Possible duplicates (1)" in client.get("/people").text
    # A reload of the notice after the undo offers no Undo of something else.
    assert 'action="/undo"' not in client.get(f"/people/duplicates?merged={keep}").text


def test_merge_needs_the_form_token(client: TestClient, kw: Knowwho, twins: tuple[int, int]) -> None:
    keep, other = twins
    assert client.post(f"/people/{keep}/merge", data={"other_id": str(other)}).status_code == 403
    assert kw.people.get(other).emails == ["ana.lima@home.example"]


def test_merge_through_the_api_then_undo(client: TestClient, kw: Knowwho, twins: tuple[int, int]) -> None:
    keep, other = twins
    pairs = client.get("/api/duplicates").json()
    sides = [(p.pop("keep")["emails"], p.pop("other")["emails"]) for p in pairs]
    assert pairs == [{
        "keep_id": keep, "keep_name": "Ana Lima", "other_id": other, "other_name": "Ana Lima", "score": 0.9,
        "evidence": ["same name", "same organization (Acme)"],
    }]  # fmt: skip
    assert sides == [(["ana@acme.example"], ["ana.lima@home.example"])]
    merged = client.post(f"/api/people/{keep}/merge", json={"other_id": other})
    assert merged.status_code == 200
    assert merged.json()["id"] == keep
    assert set(merged.json()["emails"]) == {"ana@acme.example", "ana.lima@home.example"}
    assert client.get("/api/duplicates").json() == []
    assert client.get(f"/api/people/{other}").status_code == 404
    assert client.post("/api/undo", json={}).json() == {"undone": "merged #3 Ana Lima into #1 Ana Lima"}
    assert client.get(f"/api/people/{other}").json()["emails"] == ["ana.lima@home.example"]
    assert len(client.get("/api/duplicates").json()) == 1


def test_unknown_ids_and_self_merges(client: TestClient, twins: tuple[int, int]) -> None:
    keep, other = twins
    missing = client.post(f"/api/people/{keep}/merge", json={"other_id": 424242})
    assert missing.status_code == 404 and "424242" in missing.json()["error"]
    assert client.post("/api/people/424242/merge", json={"other_id": keep}).status_code == 404
    itself = client.post(f"/api/people/{keep}/merge", json={"other_id": keep})
    assert itself.status_code == 422 and "themselves" in itself.json()["error"]
    assert client.post(f"/api/people/{keep}/merge", json={"other_id": 0}).status_code == 422
    token = csrf_of(client)
    page = client.post("/people/424242/merge", data={"other_id": str(other), "csrf_token": token})
    assert page.status_code == 404 and "No person with id 424242" in page.text
    assert client.get("/people/duplicates?merged=424242").status_code == 200  # a stale notice link: no notice


def test_names_render_as_text(client: TestClient, kw: Knowwho) -> None:
    kw.people.add(XSS, organization="Acme")
    kw.people.add(XSS, organization="Acme")
    html = client.get("/people/duplicates").text
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_api_is_documented(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "get" in paths["/api/duplicates"]
    assert "post" in paths["/api/people/{keep_id}/merge"]
    assert "/people/duplicates" not in paths


def test_the_search_is_cached_until_the_data_changes(client: TestClient, kw: Knowwho, twins: tuple[int, int]) -> None:
    from knowwho.web.api.duplicates import CACHE_KEY

    cache = client.app.state.knowwho.cache  # type: ignore[attr-defined]
    assert cache.peek(kw, CACHE_KEY) is None
    client.get("/people/duplicates")
    found = cache.peek(kw, CACHE_KEY, ttl=float("inf"))
    assert [(p.keep_id, p.other_id) for p in found] == [twins]
    kw.people.add("Mia Chen")  # any write, from any connection
    assert cache.peek(kw, CACHE_KEY, ttl=float("inf")) is None


def test_the_page_shows_both_records_side_by_side(client: TestClient, kw: Knowwho, twins: tuple[int, int]) -> None:
    keep, other = twins
    kw.people.edit(other, _changes(add_phones=["+1 415 555 0100"]))
    kw.interactions.log([keep], kind="coffee")
    html = client.get("/people/duplicates").text
    assert "ana@acme.example" in html and "ana.lima@home.example" in html and "+14155550100" in html
    assert "1 conversation" in html and "never spoke" in html and html.count(">Acme<") + html.count("Acme</li>") >= 2


def test_not_the_same_person_is_remembered_and_undone(client: TestClient, kw: Knowwho, twins: tuple[int, int]) -> None:
    keep, other = twins
    token = csrf_of(client, "/people/duplicates")
    assert f'action="/people/{keep}/not-duplicate"' in client.get("/people/duplicates").text
    response = client.post(
        f"/people/{keep}/not-duplicate", data={"other_id": str(other), "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303 and response.headers["location"] == "/people/duplicates?marked=true"
    html = client.get(response.headers["location"]).text
    assert "Marked Ana Lima and Ana Lima as different people" in html and "No likely duplicates" in html
    assert kw.duplicates.candidates() == []
    assert client.post("/api/undo", json={}).json() == {"undone": "marked Ana Lima and Ana Lima as different people"}
    assert [p["other_id"] for p in client.get("/api/duplicates").json()] == [other]
    marked = client.post(f"/api/people/{other}/not-duplicate", json={"other_id": keep})
    assert marked.status_code == 200 and [p["id"] for p in marked.json()] == [other, keep]
    assert client.get("/api/duplicates").json() == []
    assert client.post(f"/api/people/{keep}/not-duplicate", json={"other_id": keep}).status_code == 422


def _changes(**fields: object):  # type: ignore[no-untyped-def]
    from knowwho.services.people import PersonChanges

    return PersonChanges(**fields)  # type: ignore[arg-type]


def test_a_merge_sent_twice_says_it_is_done_not_that_the_person_is_missing(
    client: TestClient, kw: Knowwho, twins: tuple[int, int]
) -> None:
    keep, other = twins
    form = {"other_id": str(other), "csrf_token": csrf_of(client, "/people/duplicates")}
    first = client.post(f"/people/{keep}/merge", data=form, follow_redirects=False)
    again = client.post(f"/people/{keep}/merge", data=form, follow_redirects=False)
    assert first.status_code == again.status_code == 303
    assert again.headers["location"] == f"/people/duplicates?merged={keep}"
    html = client.get(again.headers["location"]).text
    assert "Ana Lima was already merged into Ana Lima." in html and 'action="/undo"' in html
    assert [c.description for c in kw.history.recent()][:1] == ["merged #3 Ana Lima into #1 Ana Lima"]


def test_a_removal_sent_twice_says_it_is_done_not_that_the_person_is_missing(
    client: TestClient, kw: Knowwho, twins: tuple[int, int]
) -> None:
    keep, _ = twins
    token = csrf_of(client)
    first = client.post(f"/people/{keep}/delete", data={"csrf_token": token}, follow_redirects=False)
    again = client.post(f"/people/{keep}/delete", data={"csrf_token": token}, follow_redirects=False)
    assert first.status_code == again.status_code == 303 and again.headers["location"] == f"/people?removed={keep}"
    html = client.get(again.headers["location"]).text
    assert "Ana Lima was already removed." in html and 'action="/undo"' in html
    assert client.post("/people/999/delete", data={"csrf_token": token}).status_code == 404
