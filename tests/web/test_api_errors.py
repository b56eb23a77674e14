"""API errors: one documented shape on every route, and messages that say what to send."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

JSON = {"content-type": "application/json"}


def _error(response: Any, status: int) -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) >= {"error", "type"} and "detail" not in body
    message: str = body["error"]
    return message


def test_a_wrong_choice_names_the_choices(client: TestClient) -> None:
    message = _error(client.get("/api/people", params={"tier": "warm"}), 422)
    assert message == "tier: use one of strong, moderate, weak, dormant"


def test_broken_json_says_so_without_parser_talk(client: TestClient) -> None:
    assert _error(client.post("/api/people", content=b"{bad", headers=JSON), 422) == "the body is not valid JSON"
    undecodable = client.post("/api/people", content=b"\xff\xfe\x00", headers=JSON)
    assert _error(undecodable, 422) == "the body is not valid JSON"


def test_fields_are_named_in_words(client: TestClient) -> None:
    assert _error(client.post("/api/people", json={"name": ""}), 422) == "name: must not be empty"
    assert _error(client.post("/api/people", json={"nam": "x"}), 422) == "name: required; nam: not a field here"
    assert _error(client.post("/api/people", json=[1]), 422) == "the body: send a JSON object"
    assert _error(client.post("/api/people", headers=JSON), 422) == "the body: required: a JSON object"
    assert _error(client.get("/api/people/abc"), 422) == "person_id: use a whole number"
    assert _error(client.get("/api/people", params={"limit": 0}), 422) == "limit: at least 1"
    many = _error(client.post("/api/people", json={"name": "A", "emails": ["x" * 301]}), 422)
    assert many == "emails item 1: at most 300 characters"


def test_pattern_choices_read_as_choices(client: TestClient, filled: dict[str, int]) -> None:
    message = _error(client.post("/api/today/act", json={"key": "k", "action": "later"}), 422)
    assert message == "action: use one of done, dismiss, snooze"


def test_an_api_post_without_json_says_what_to_send(client: TestClient) -> None:
    message = _error(client.post("/api/undo"), 403)
    assert "Content-Type: application/json" in message and "expired" not in message
    assert _error(client.post("/api/undo", headers=JSON), 409)  # now it is understood: nothing to undo


def test_a_known_email_answers_with_the_person(client: TestClient, filled: dict[str, int]) -> None:
    response = client.post("/api/people", json={"name": "Ana L", "emails": ["ana@acme.example"]})
    _error(response, 409)
    assert response.json()["person_id"] == filled["ana"]


def test_every_operation_documents_the_real_error_shape(client: TestClient) -> None:
    document = client.get("/openapi.json").json()
    schemas = document["components"]["schemas"]
    assert "HTTPValidationError" not in schemas and set(schemas["Error"]["required"]) == {"error", "type"}
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "422" in responses, (method, path)
            for code, response in responses.items():
                if code.startswith(("4", "5")):
                    ref = response["content"]["application/json"]["schema"]["$ref"]
                    assert ref == "#/components/schemas/Error", (method, path, code)
            if "{" in path or method != "get":
                assert "404" in responses, (method, path)


def test_a_page_form_error_is_worded_the_same(client: TestClient) -> None:
    page = client.get("/people", params={"tier": "warm"})
    assert page.status_code == 422 and "tier: use one of strong, moderate, weak, dormant" in page.text
    assert "literal" not in page.text


def test_a_day_or_duration_that_cannot_be_read_is_named_by_its_field(
    client: TestClient, filled: dict[str, int]
) -> None:
    ana = filled["ana"]
    [followup] = client.get(f"/api/people/{ana}/followups").json()
    [talk, *_] = client.get(f"/api/people/{ana}/interactions").json()
    key = client.get("/api/today").json()["items"][0]["key"]
    cases = [
        ("post", "/api/people", {"name": "Bo", "first_met_on": "2026-02-30"}, "first_met_on: cannot read the date"),
        ("patch", f"/api/people/{ana}", {"cadence": "often"}, "cadence: cannot read the duration 'often'"),
        ("post", f"/api/people/{ana}/interactions", {"kind": "call", "when": "9999-12-31"},
         "when: the date 9999-12-31 is out of range"),
        ("patch", f"/api/interactions/{talk['id']}", {"when": "2026-02-30"}, "when: cannot read the date"),
        ("post", f"/api/followups/{followup['id']}", {"action": "snooze", "until": "someday"},
         "until: cannot read the date 'someday'"),
        ("post", "/api/today/act", {"key": key, "action": "snooze", "until": "2026-02-30"},
         "until: cannot read the date '2026-02-30'"),
    ]  # fmt: skip
    for method, path, body, start in cases:
        assert _error(getattr(client, method)(path, json=body), 422).startswith(start), (path, body)
