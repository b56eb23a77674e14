"""The person page's Give and take panel records what was given and got, undoably, without a terminal."""

from __future__ import annotations

from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.web.conftest import csrf_of


def test_the_panel_has_a_form_not_a_command_to_run(client: TestClient, filled: dict[str, int]) -> None:
    page = client.get(f"/people/{filled['ana']}").text
    panel = page.split('id="ledger-title"')[1].split("</section>")[0]
    assert "knowwho gave" not in panel and "<code>" not in panel
    assert f'action="/people/{filled["ana"]}/ledger"' in panel and '<option value="received">I got</option>' in panel


def test_recording_a_gift_shows_it_and_undo_takes_it_back(
    client: TestClient, kw: Knowwho, filled: dict[str, int]
) -> None:
    ana = filled["ana"]
    token = csrf_of(client, f"/people/{ana}")
    form = {"direction": "gave", "kind": "intro", "what": "an intro to Raj", "csrf_token": token}
    response = client.post(f"/people/{ana}/ledger", data=form)
    assert response.status_code == 200 and response.url.fragment == "ledger"
    assert "Gave Ana Lima intro: an intro to Raj. You can undo it." in response.text
    assert "You gave 1, got 0." in response.text and "Gave intro: an intro to Raj" in response.text
    got = client.post(f"/people/{ana}/ledger", data={**form, "direction": "received", "kind": "advice",
                                                      "what": "feedback on my CV"})  # fmt: skip
    assert "You gave 1, got 1." in got.text
    client.post("/undo", data={"csrf_token": token})
    client.post("/undo", data={"csrf_token": token})
    balance = kw.ledger.balance(ana)
    assert (balance.given, balance.received) == (0, 0)


def test_an_empty_gift_is_refused_beside_the_form(client: TestClient, kw: Knowwho, filled: dict[str, int]) -> None:
    ana = filled["ana"]
    token = csrf_of(client, f"/people/{ana}")
    response = client.post(f"/people/{ana}/ledger", data={"direction": "gave", "what": "   ", "csrf_token": token})
    assert response.status_code == 422
    assert 'id="ledger-problem" role="alert">What it was: say what you gave or got' in response.text
    wrong = client.post(f"/people/{ana}/ledger", data={"direction": "gave", "kind": "cake", "what": "a cake",
                                                        "csrf_token": token})  # fmt: skip
    assert wrong.status_code == 422 and "unknown kind" in wrong.text
    assert kw.ledger.balance(ana).given == 0
