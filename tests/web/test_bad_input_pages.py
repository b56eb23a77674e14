"""Bad input on the pages: the form comes back with one line saying what to fix; never a 500 or Python's words."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from knowwho.web.app import create_app
from tests.web.conftest import csrf_of, factory

PYTHON_WORDS = ("Traceback", "ValueError", "ValidationError", "invalid literal", "Internal Server Error")


def _post(client: TestClient, path: str, **fields: str) -> tuple[int, str]:
    response = client.post(path, data={**fields, "csrf_token": csrf_of(client)}, follow_redirects=False)
    assert not any(words in response.text for words in PYTHON_WORDS), response.text
    return response.status_code, response.text


@pytest.fixture
def lenient(db_path: Path) -> TestClient:
    """A client that answers a server error with its 500 rather than raise it, as a browser would see it."""
    return TestClient(create_app(factory(db_path)), base_url="http://127.0.0.1", raise_server_exceptions=False)


def test_quick_capture_of_a_name_of_spaces_shows_the_form_again(lenient: TestClient, kw: Knowwho) -> None:
    status, page = _post(lenient, "/capture", name="   ", note="met at the bar", email="mia@example.org")
    assert status == 422
    assert 'role="alert">Name: must not be empty</p>' in page
    assert 'value="mia@example.org"' in page and 'value="met at the bar"' in page  # what was typed stays
    assert kw.people.count() == 0


def test_add_a_person_with_a_name_of_spaces_shows_the_form_again(lenient: TestClient, kw: Knowwho) -> None:
    status, page = _post(lenient, "/people", name="  \t ", organization="Initech")
    assert status == 422
    assert "Name: must not be empty" in page and 'value="Initech"' in page
    assert kw.people.count() == 0


@pytest.mark.parametrize("path", ["/capture", "/people"])
def test_a_name_too_long_in_capture_or_add_shows_the_form_again(lenient: TestClient, kw: Knowwho, path: str) -> None:
    status, page = _post(lenient, path, name="N" * 301, organization="Initech")
    assert status == 422
    assert 'role="alert">Name: at most 300 characters</p>' in page and 'value="Initech"' in page
    assert kw.people.count() == 0


def test_edit_details_with_a_name_of_spaces_says_so_on_the_person_page(
    lenient: TestClient, kw: Knowwho, filled: dict[str, int]
) -> None:
    ana = filled["ana"]
    status, page = _post(lenient, f"/people/{ana}/edit", name="   ")
    assert status == 422
    assert '<details class="card edit" id="edit" open>' in page and "Name: must not be empty" in page
    assert kw.people.get(ana).display_name == "Ana Lima"


def test_edit_details_with_a_name_too_long_comes_back_with_what_was_typed(
    lenient: TestClient, kw: Knowwho, filled: dict[str, int]
) -> None:
    ana = filled["ana"]
    status, page = _post(lenient, f"/people/{ana}/edit", name="N" * 301, location="Lisbon", closeness="2")
    assert status == 422
    assert '<details class="card edit" id="edit" open>' in page
    assert 'id="edit-problem" role="alert">Name: at most 300 characters</p>' in page
    assert 'value="Lisbon"' in page and '<option value="2" selected>' in page  # what was typed stays
    assert (kw.people.get(ana).display_name, kw.people.get(ana).location) == ("Ana Lima", "")


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("emails", "x" * 301 + "@example.org", "Emails item 1: at most 300 characters"),
        ("situation", "s" * 2001, "Going through: at most 2000 characters"),
        ("needs", "n" * 10001, "Needs: at most 2000 characters"),
        ("cadence", "often", "Keep in touch every: cannot read the duration &#39;often&#39;"),
        ("emails", "raj@globex.example", "The email raj@globex.example is already #2 Raj Patel&#39;s; if they are one"),
    ],
)
def test_any_field_error_in_edit_details_comes_back_in_the_form(
    lenient: TestClient, kw: Knowwho, filled: dict[str, int], field: str, value: str, message: str
) -> None:
    ana = filled["ana"]
    status, page = _post(lenient, f"/people/{ana}/edit", name="Ana Lima", **{field: value})
    assert status == 422
    assert f'id="edit-problem" role="alert">{message}' in page
    assert kw.people.get(ana).emails == ["ana@acme.example"] and kw.people.get(ana).situation == ""


def test_a_bad_date_in_the_quick_log_shows_the_form_with_the_message(
    lenient: TestClient, kw: Knowwho, filled: dict[str, int]
) -> None:
    ana = filled["ana"]
    before = len(kw.interactions.for_person(ana))
    status, page = _post(lenient, f"/people/{ana}/log", kind="call", when="the 45th of Nowember", note="about jobs")
    assert status == 422
    assert 'id="log-problem" role="alert">' in page and "Nowember" in page
    assert '<option value="call" selected>' in page and ">about jobs</textarea>" in page
    assert len(kw.interactions.for_person(ana)) == before


@pytest.mark.parametrize("path", ["/people/abc", "/people/0", "/organizations/x1", "/people/1.5/brief"])
def test_a_page_whose_path_names_nothing_is_not_found(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 404
    assert "There is no page here." in response.text


@pytest.mark.parametrize("value", ["1" * 4301, "9" * 30 + ".abc.def", "²³.abc.def"])
def test_any_session_cookie_is_read_safely(lenient: TestClient, value: str) -> None:
    cookie = {"cookie": f"kw_session={value}".encode("latin-1")}  # as a browser may send it: bytes
    assert lenient.get("/", headers=cookie).status_code == 200
    assert lenient.get("/api/people", headers=cookie).status_code == 200


def test_a_session_cookie_of_many_digits_is_refused_without_error_behind_a_password(db_path: Path) -> None:
    app = create_app(factory(db_path), host="0.0.0.0", password="hunter2")
    client = TestClient(app, base_url="http://127.0.0.1", raise_server_exceptions=False)
    client.cookies.set("kw_session", "1" * 4301)
    assert client.get("/api/people").status_code == 401
    assert client.get("/people", follow_redirects=False).status_code == 303


def test_a_content_length_of_many_digits_is_too_large(lenient: TestClient) -> None:
    response = lenient.post("/api/people", content=b"{}", headers={"content-length": "9" * 4400})
    assert response.status_code == 413


@pytest.mark.parametrize("typed", ["²", "1" * 4400])
def test_goals_and_closeness_of_odd_digits_are_refused_in_words(
    lenient: TestClient, filled: dict[str, int], typed: str
) -> None:
    status, page = _post(lenient, "/stats/goals", conversations=typed[:10])
    assert status == 422 and "a weekly number from 0 to 1000" in page
    status, page = _post(lenient, f"/people/{filled['ana']}/edit", name="Ana Lima", closeness=typed[:300])
    assert status == 422 and "Closeness is a number from 1 to 5" in page


def test_a_password_file_with_a_nul_comes_back_in_the_sync_form(lenient: TestClient, kw: Knowwho) -> None:
    form = {"kind": "imap", "name": "mail", "host": "imap.example.org", "user": "me", "password_file": "pw\x00"}
    status, page = _post(lenient, "/settings/sync", **form)
    assert status == 400 and 'id="sync-imap-problem" role="alert">Password file' in page
    assert "Password file is not a file name: it holds a NUL character; nothing was added." in page
    assert kw.sync.list() == []


def test_a_name_of_control_characters_shows_the_form_again_naming_the_field(lenient: TestClient, kw: Knowwho) -> None:
    status, page = _post(lenient, "/people", name="\x00\x1b", organization="Initech")
    assert status == 422 and 'role="alert">Name: must not be empty</p>' in page and 'value="Initech"' in page
    refused = lenient.post("/api/people", json={"name": "\x07"})
    assert refused.status_code == 422 and refused.json()["error"] == "name: must not be empty"
    assert kw.people.count() == 0


@pytest.mark.parametrize("when", ["2026-02-30", "someday"])
def test_a_follow_up_on_a_day_that_cannot_be_read_comes_back_in_its_form(
    lenient: TestClient, kw: Knowwho, filled: dict[str, int], when: str
) -> None:
    ana = filled["ana"]
    before = kw.followups.for_person(ana)
    status, page = _post(lenient, f"/people/{ana}/followups", when=when, note="send the paper")
    assert status == 422
    assert f'id="followup-problem" role="alert">When: cannot read the date &#39;{when}&#39;' in page
    assert (
        f'id="fu-when" maxlength="300" name="when" type="text" value="{when}"' in page
        and 'value="send the paper"' in page
    )
    refused = lenient.post(f"/api/people/{ana}/followups", json={"when": when, "note": "x"})
    assert refused.status_code == 422 and refused.json()["error"].startswith(f"when: cannot read the date '{when}'")
    assert kw.followups.for_person(ana) == before


@pytest.mark.parametrize("port", ["²", "٣٣", "1" * 7])
def test_a_port_of_odd_digits_comes_back_in_the_sync_form(lenient: TestClient, kw: Knowwho, port: str) -> None:
    form = {"kind": "imap", "name": "mail", "host": "imap.example.org", "user": "me", "password": "pw", "port": port}
    status, page = _post(lenient, "/settings/sync", **form)
    assert status == 400 and 'id="sync-imap-problem" role="alert">Port ' in page and "is not a port number" in page
    assert kw.sync.list() == []


def test_paths_to_a_reference_no_record_can_have_find_nobody(lenient: TestClient, kw: Knowwho) -> None:
    kw.people.add("Ana Lima", organization="Acme")
    for where in ("person", "org"):
        for ref in ("#99999999999999999999", "#²"):
            answer = lenient.get("/api/paths", params={where: ref})
            assert answer.status_code == 404 and answer.json()["type"] == "NotFound", (where, ref)
    assert lenient.get("/api/paths", params={"person": "Ana Li\x00"}).status_code == 200


@pytest.mark.parametrize(
    ("path", "form", "words"),
    [
        ("/settings/profile", {"name": "x" * 3000}, "name"),
        ("/settings/templates/reply", {"subject": "Hi", "body": "{{ 1 / 0 }}"}, "does not render"),
        ("/settings/my-addresses", {"addresses": "not-an-email"}, "not-an-email"),
        ("/stats/goals", {"conversations": "abc"}, "conversations: a weekly number"),
        ("/settings/sync", {"kind": "imap", "name": "two words", "host": "h", "user": "u", "password": "p"}, "name"),
    ],
)  # fmt: skip
def test_a_form_refused_to_a_script_is_answered_in_json(
    client: TestClient, kw: Knowwho, path: str, form: dict[str, str], words: str
) -> None:
    answer = client.post(path, data={**form, "csrf_token": csrf_of(client)}, headers={"accept": "application/json"})
    assert 400 <= answer.status_code < 500 and answer.headers["content-type"] == "application/json"
    assert words in answer.json()["error"] and "--" not in answer.json()["error"]
    assert kw.history.recent() == []


def test_an_upload_of_a_kind_knowwho_cannot_tell_is_answered_in_json_to_a_script(client: TestClient) -> None:
    answer = client.post("/transfer/import", data={"kind": "auto", "csrf_token": csrf_of(client)},
                         files={"file": ("a.png", b"\x89PNG\r\n", "image/png")}, headers={"accept": "application/json"})  # fmt: skip
    assert answer.status_code == 422 and answer.headers["content-type"] == "application/json"
    assert "Which kind of file is a.png?" in answer.json()["error"]


def test_text_boxes_hold_no_more_than_their_form_takes(client: TestClient, kw: Knowwho, filled: dict[str, int]) -> None:
    """A longer paste would end on an error page that loses what was typed: each box cuts it to the limit."""
    ana = filled["ana"]
    coffee = next(i.id for i in kw.interactions.for_person(ana) if i.kind == "coffee")
    note = kw.interactions.notes_for(ana)[0].id
    org = kw.organizations.resolve("Acme").id
    limits = {
        f"/people/{ana}?edit=i{coffee}": {"when": 300, "log-note": 10000, "note-body": 10000, "fu-when": 300,
                                           "fu-note": 300, f"i{coffee}-when": 300, f"i{coffee}-subject": 300,
                                           f"i{coffee}-note": 10000},
        f"/people/{ana}?edit=n{note}": {f"n{note}-body": 10000},
        f"/organizations/{org}": {"o-note": 10000},
        "/intros": {"share-url": 2000, "share-tags": 300},
    }  # fmt: skip
    for path, boxes in limits.items():
        page = client.get(path).text
        for box, limit in boxes.items():
            found = re.search(rf'<(?:input|textarea) id="{box}"[^>]*>', page)
            assert found and f'maxlength="{limit}"' in found.group(0), (path, box)
