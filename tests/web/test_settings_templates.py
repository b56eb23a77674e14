"""Settings: the outreach templates, edited and reset in the page, without scripts, each save undoable."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.web.conftest import csrf_of


def test_every_template_has_an_edit_form_with_a_csrf_token(client: TestClient, kw: Knowwho) -> None:
    page = client.get("/settings").text
    assert 'id="templates"' in page
    for template in kw.templates.all():
        assert f'action="/settings/templates/{template.key}"' in page
        assert f'id="body-{template.key}"' in page
    assert "Informational-interview request" in page and "Nice to meet you" in page
    forms = re.findall(r'<form method="post" action="/settings/templates/[^"]+">(.*?)</form>', page, re.S)
    assert forms and all('name="csrf_token"' in form for form in forms)


def test_saving_a_template_is_one_undoable_change(client: TestClient, kw: Knowwho) -> None:
    token = csrf_of(client, "/settings")
    answer = client.post(
        "/settings/templates/thank-you",
        data={"csrf_token": token, "subject": "Thanks, {{ first }}", "body": "Dear {{ first }},\nthank you!\n"},
        follow_redirects=False,
    )
    assert answer.status_code == 303 and answer.headers["location"] == "/settings#template-thank-you"
    saved = kw.templates.get("thank-you")
    assert saved.edited and saved.subject == "Thanks, {{ first }}" and saved.body == "Dear {{ first }},\nthank you!\n"
    page = client.get("/settings").text
    assert "your wording" in page and 'action="/settings/templates/thank-you/reset"' in page
    assert "Dear {{ first }}" in page
    kw.history.undo()
    assert not kw.templates.get("thank-you").edited


def test_a_broken_template_is_refused_with_one_line_and_kept_as_typed(client: TestClient, kw: Knowwho) -> None:
    token = csrf_of(client, "/settings")
    answer = client.post(
        "/settings/templates/nice-to-meet",
        data={"csrf_token": token, "subject": "Hello", "body": "Hi {{ first ,\n{% for %}"},
    )
    assert answer.status_code == 400
    problem = re.search(r'<p class="notice error" id="problem-nice-to-meet" role="alert">([^<]*)</p>', answer.text)
    assert problem and "does not render" in problem.group(1) and "Traceback" not in answer.text
    assert "\n" not in problem.group(1).strip()
    assert "Hi {{ first ,\n{% for %}" in answer.text.replace("&#34;", '"')  # kept for the user to fix
    assert not kw.templates.get("nice-to-meet").edited


def test_reset_brings_the_default_back(client: TestClient, kw: Knowwho) -> None:
    default = kw.templates.get("re-engage")
    kw.templates.edit("re-engage", body="Hello again {{ first }}")
    token = csrf_of(client, "/settings")
    answer = client.post("/settings/templates/re-engage/reset", data={"csrf_token": token}, follow_redirects=False)
    assert answer.status_code == 303
    assert kw.templates.get("re-engage") == default


def test_a_post_without_the_csrf_token_is_refused(client: TestClient, kw: Knowwho) -> None:
    answer = client.post("/settings/templates/thank-you", data={"subject": "x", "body": "y"})
    assert answer.status_code == 403
    assert not kw.templates.get("thank-you").edited


def test_an_unknown_template_is_not_found(client: TestClient) -> None:
    token = csrf_of(client, "/settings")
    answer = client.post("/settings/templates/nope", data={"csrf_token": token, "subject": "x", "body": "y"})
    assert answer.status_code == 404


@pytest.mark.parametrize(
    "body",
    ["Hi {{ 1 / 0 }}", "{% for i in range(99999999) %}x{% endfor %}", "{% include 'base.html' %}",
     "{{ first | format(1, 2) }}"],
)  # fmt: skip
def test_a_template_that_fails_as_it_is_filled_in_is_refused_in_words(
    client: TestClient, kw: Knowwho, body: str
) -> None:
    token = csrf_of(client, "/settings")
    answer = client.post("/settings/templates/follow-up", data={"csrf_token": token, "subject": "Hello", "body": body})
    assert answer.status_code == 400 and "the template was not changed" in answer.text
    assert "does not render" in answer.text and "Error" not in answer.text.split("<main")[1].split("</main>")[0]
    refused = client.put("/api/templates/follow-up", json={"subject": "Hello", "body": body})
    assert refused.status_code == 422 and refused.json()["error"].startswith("the template's body does not render")
    assert not kw.templates.get("follow-up").edited


def test_a_saved_template_that_fails_for_one_person_is_a_422_not_a_server_error(
    client: TestClient, kw: Knowwho
) -> None:
    ana = kw.people.add("Ana Lima").id  # no updates of mine since they last spoke: the division below fails
    kw.templates.edit("follow-up", body="{{ 10 // (updates | length) }} things")
    answer = client.get("/api/today/draft", params={"action": "follow-up", "person_id": ana})
    assert answer.status_code == 422 and answer.json()["error"].startswith("the template's body does not render")
