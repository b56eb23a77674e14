"""The JSON API: people CRUD, conversations, notes, follow-ups, today, search, organizations, capture, undo."""

from __future__ import annotations

from fastapi.testclient import TestClient

from knowwho.core import Knowwho


def test_people_crud(client: TestClient) -> None:
    created = client.post("/api/people", json={"name": "Ana Lima", "emails": ["ana@acme.example"],
                                               "organization": "Acme", "tags": ["python"]})  # fmt: skip
    assert created.status_code == 201
    ana = created.json()
    assert ana["name"] == "Ana Lima" and ana["roles"][0]["organization"] == "Acme"
    patched = client.patch(f"/api/people/{ana['id']}", json={"situation": "changing jobs", "add_tags": ["mentor"],
                                                             "cadence": "6w"})  # fmt: skip
    assert patched.status_code == 200
    assert patched.json()["tags"] == ["mentor", "python"] and patched.json()["cadence_days"] == 42
    detail = client.get(f"/api/people/{ana['id']}").json()
    assert detail["situation"] == "changing jobs" and detail["tie"]["tier"] == "dormant"
    assert client.delete(f"/api/people/{ana['id']}").status_code == 200
    assert client.get(f"/api/people/{ana['id']}").status_code == 404
    assert client.post("/api/undo", json={}).json() == {"undone": "removed Ana Lima"}
    assert client.get(f"/api/people/{ana['id']}").status_code == 200


def test_errors_map_to_their_status(client: TestClient) -> None:
    missing = client.get("/api/people/12345")
    assert missing.status_code == 404 and missing.json() == {"error": "no person with id 12345", "type": "NotFound"}
    bad = client.post("/api/people", json={"name": ""})
    assert bad.status_code == 422 and bad.json()["type"] == "InvalidInput"
    unknown_kind = client.post("/api/people", json={"name": "A"}).json()["id"]
    logged = client.post(f"/api/people/{unknown_kind}/interactions", json={"kind": "telepathy"})
    assert logged.status_code == 422 and "unknown kind" in logged.json()["error"]
    assert client.post("/api/undo", json={}).status_code in (200, 409)


def test_conversations_notes_and_followups(client: TestClient, filled: dict[str, int]) -> None:
    ana = filled["ana"]
    logged = client.post(f"/api/people/{ana}/interactions", json={"kind": "call", "when": "yesterday", "note": "ok",
                                                                   "people": [filled["raj"]]})  # fmt: skip
    assert logged.status_code == 201 and sorted(logged.json()["people"]) == sorted([ana, filled["raj"]])
    timeline = client.get(f"/api/people/{ana}/interactions").json()
    assert timeline[0]["kind"] == "call"
    assert client.post(f"/api/people/{ana}/notes", json={"body": "likes tea"}).status_code == 201
    planned = client.post(f"/api/people/{ana}/followups", json={"when": "in 2 weeks", "note": "coffee"}).json()
    assert planned["due_on"] == "2026-12-02"
    done = client.post(f"/api/followups/{planned['id']}", json={"action": "done"}).json()
    assert done["status"] == "done"
    assert [f["note"] for f in client.get(f"/api/people/{ana}/followups").json()] == ["send the article"]


def test_today_act_and_draft(client: TestClient, filled: dict[str, int]) -> None:
    today = client.get("/api/today").json()
    actions = [i["action"] for i in today["items"]]
    assert actions[0] == "reply" and "nice-to-meet" in actions
    reply = today["items"][0]
    assert client.post("/api/today/act", json={"key": reply["key"], "action": "dismiss"}).json() == {
        "message": "Dismissed."
    }
    assert reply["key"] not in [i["key"] for i in client.get("/api/today").json()["items"]]
    draft = client.get(f"/api/today/draft?action=nice-to-meet&person_id={filled['mia']}").json()
    assert draft["body"].startswith("Hi Mia,") and "PyCon Berlin" in draft["body"]
    snooze = client.post("/api/today/act", json={"key": "followup:1", "action": "snooze", "until": "yesterday"})
    assert snooze.status_code == 422


def test_people_listing_filters_sorts_and_pages(client: TestClient, kw: Knowwho, filled: dict[str, int]) -> None:
    for n in range(7):
        kw.people.add(f"Extra {n}", tags=["batch"])
    assert client.get("/api/people?tag=python").json()["total"] == 1
    org = kw.organizations.resolve("Globex").id
    assert [p["name"] for p in client.get(f"/api/people?organization_id={org}").json()["people"]] == ["Raj Patel"]
    moderate = client.get("/api/people?tier=moderate").json()["people"]
    assert [p["name"] for p in moderate] == ["Ana Lima"]  # close (4 of 5), last seen for coffee 100 days ago
    names, cursor = [], ""
    while True:
        page = client.get(f"/api/people?tag=batch&limit=3&cursor={cursor}").json()
        names += [p["name"] for p in page["people"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert names == [f"Extra {n}" for n in range(7)]
    recent = client.get("/api/people?sort=recent&limit=2").json()["people"]
    assert [p["name"] for p in recent] == ["Raj Patel", "Ana Lima"]
    assert client.get("/api/people?cursor=garbage").status_code == 422
    assert client.get("/api/people?sort=relevance").status_code == 422


def test_search_and_capture(client: TestClient, filled: dict[str, int]) -> None:
    hits = client.get("/api/search?q=acme").json()["hits"]
    assert {h["person"]["name"] for h in hits} >= {"Ana Lima"}
    captured = client.post("/api/capture", json={"name": "Lea Roy", "where": "PyCon", "followup_days": 2})
    assert captured.status_code == 201 and captured.json()["how_met"] == "PyCon"


def test_organizations(client: TestClient, kw: Knowwho, filled: dict[str, int]) -> None:
    listed = client.get("/api/organizations").json()
    acme = next(o for o in listed if o["name"] == "Acme")
    assert acme["people_now"] == 1
    patched = client.patch(f"/api/organizations/{acme['id']}", json={"is_target": True, "interest": 5, "note": "x"})
    assert patched.json()["is_target"] is True and patched.json()["interest"] == 5
    detail = client.get(f"/api/organizations/{acme['id']}").json()
    assert [p["name"] for p in detail["people_before"]] == ["Raj Patel"] and detail["notes_list"][0]["body"] == "x"


def test_openapi_describes_the_api(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    paths = set(spec["paths"])
    assert {"/api/people", "/api/people/{person_id}", "/api/today", "/api/search", "/api/organizations"} <= paths
    assert not any(not p.startswith("/api/") for p in paths)


def test_open_followups_of_everyone(client: TestClient, filled: dict[str, int]) -> None:
    due = client.get("/api/followups").json()
    assert [f["note"] for f in due] == ["<img src=x onerror=alert(1)>", "send the article"]
    assert client.get("/api/followups?until=yesterday").json()[0]["person_id"] == filled["evil"]
    assert client.get("/api/followups?until=someday-ish").status_code == 422
