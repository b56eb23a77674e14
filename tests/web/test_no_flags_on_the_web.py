"""What the pages and the API say names their fields, never a command-line flag ("--kind")."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.web.conftest import csrf_of


def test_the_give_and_take_form_with_a_tampered_kind_names_the_field(
    client: TestClient, kw: Knowwho, filled: dict[str, int]
) -> None:
    ana = filled["ana"]
    form = {"direction": "gave", "kind": "bogus", "what": "an intro", "csrf_token": csrf_of(client, f"/people/{ana}")}
    page = client.post(f"/people/{ana}/ledger", data=form).text
    assert 'role="alert">Kind: unknown kind &#39;bogus&#39;: use one of' in page and "--kind" not in page
    assert kw.ledger.balance(ana).given == 0


@pytest.mark.parametrize(
    ("path", "body", "error"),
    [
        ("/api/opportunities", {"organization": "Acme", "role": "DS", "link": "acme.example/jobs"},
         "link: 'acme.example/jobs' is not a web address (https://...)"),
        ("/api/opportunities/{opp}/move", {"stage": "applied", "date": "2026-12-01"},
         "date: a move happens today or before, not in the future"),
        ("/api/opportunities/{opp}/move", {"stage": "applied", "reengage_days": 30},
         "reengage: getting back in touch goes with a move to rejected or withdrawn"),
        ("/api/me/updates", {"text": "gave a talk", "date": "2026-12-01"},
         "date: in the future; record an update once it has happened"),
        ("/api/events", {"name": "PyData", "starts_on": "2026-11-17", "ends_on": "2026-11-01"},
         "the event's last day is before its first: an event ends after it starts"),
        ("/api/people/{ana}/interactions", {"kind": "email", "missed": True},
         "missed: only a call they made to you is missed (kind call, direction in)"),
    ],
)  # fmt: skip
def test_api_refusals_name_the_field_not_a_flag(
    client: TestClient, kw: Knowwho, path: str, body: dict[str, Any], error: str
) -> None:
    ana = kw.people.add("Ana Lima").id
    opp = kw.opportunities.add("Acme", "Data scientist").opportunity.id
    answer = client.post(path.format(ana=ana, opp=opp), json=body)
    assert answer.status_code == 422 and answer.json()["error"] == error


def test_refusals_on_the_web_name_no_command_to_run(client: TestClient, kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima").id
    token = csrf_of(client)
    answers = {
        "no opportunity #999": client.get("/api/opportunities/999"),
        "no change #999 in the history": client.post("/history/999/undo", data={"csrf_token": token}),
        "no conversation #999": client.delete("/api/interactions/999"),
        "no note #999": client.post(f"/people/{ana}/notes/999/delete", data={"csrf_token": token}),
        "no introduction #999": client.post("/api/intros/999/stage", json={"stage": "made"}),
        "no sync source named": client.get("/api/sync/nothing"),
    }
    for words, answer in answers.items():
        assert answer.status_code == 404 and words in answer.text.replace("&#39;", "'").lower(), words
        assert "`knowwho" not in answer.text and "knowwho history" not in answer.text, answer.text[-600:]
