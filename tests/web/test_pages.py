"""Every page answers on an empty and on a filled database, escapes what users typed, and acts on forms."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.web.conftest import csrf_of

PAGES = ["/", "/people", "/people/new", "/capture", "/organizations", "/stats", "/transfer", "/settings",
         "/people?q=ana", "/people?sort=recent", "/people?sort=strength&tier=strong", "/people?overdue=true",
         "/people?q=&tag=&organization_id=&tier=&sort="]  # fmt: skip


@pytest.mark.parametrize("path", PAGES)
def test_pages_answer_on_an_empty_database(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code == 200
    assert "text/html" in response.headers["content-type"]


def test_empty_pages_tell_a_newcomer_what_to_do(client: TestClient) -> None:
    assert "knowwho demo" in client.get("/").text
    assert "import your LinkedIn export" in client.get("/people").text
    assert "knowwho demo" in client.get("/stats").text


@pytest.mark.parametrize("path", [*PAGES, "/people/{ana}", "/people/{evil}", "/organizations/1", "/people?tag=python"])
def test_pages_answer_on_a_filled_database(client: TestClient, filled: dict[str, int], path: str) -> None:
    response = client.get(path.format(**filled))
    assert response.status_code == 200, response.text[:500]


@pytest.mark.parametrize("path", ["/", "/people", "/people/{evil}", "/organizations", "/stats", "/people?q=img"])
def test_user_text_renders_as_text(client: TestClient, filled: dict[str, int], path: str) -> None:
    html = client.get(path.format(**filled)).text
    assert "<img src=x" not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


def test_today_lists_actions_and_done_removes_one(client: TestClient, filled: dict[str, int]) -> None:
    html = client.get("/").text
    assert "Raj Patel" in html and "has no reply yet" in html
    token = csrf_of(client)
    response = client.post(
        "/today/act", data={"key": "followup:1", "op": "done", "csrf_token": token}, follow_redirects=False
    )
    assert response.status_code == 303
    assert "send the article" not in client.get("/").text


def test_today_act_answers_json_to_scripts(client: TestClient, filled: dict[str, int]) -> None:
    token = csrf_of(client)
    response = client.post(
        "/today/act", data={"key": "followup:1", "op": "snooze:in 3 days"},
        headers={"accept": "application/json", "x-csrf-token": token},
    )  # fmt: skip
    assert response.status_code == 200
    assert response.json()["message"] == "Snoozed until 2026-11-21."


def test_draft_page_addresses_the_person(client: TestClient, filled: dict[str, int]) -> None:
    html = client.get(f"/today/draft?action=reply&person_id={filled['raj']}").text
    assert "Hi Raj" in html and "mailto:raj@globex.example" in html


def test_add_a_person_then_log_a_conversation(client: TestClient, kw: Knowwho) -> None:
    token = csrf_of(client)
    response = client.post(
        "/people", data={"name": "Zoë Park", "emails": "zoe@ex.example", "organization": "Initech",
                         "tags": "Machine Learning, python", "csrf_token": token},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303
    location = response.headers["location"]
    person_id = int(location.rsplit("/", 1)[1])
    logged = client.post(
        f"/people/{person_id}/log",
        data={"kind": "coffee", "when": "yesterday", "note": "talked about ML", "csrf_token": token},
    )
    assert logged.status_code == 200
    assert "talked about ML" in logged.text
    person = kw.people.get(person_id)
    assert person.interaction_count == 1 and person.tags == ["machine-learning", "python"]


def test_edit_changes_only_what_changed(client: TestClient, kw: Knowwho, filled: dict[str, int]) -> None:
    ana = filled["ana"]
    token = csrf_of(client)
    form = {"name": "Ana Lima", "organization": "Acme", "title": "Data lead", "location": "Lisbon",
            "tags": "python, mentor, climbing", "emails": "ana@acme.example", "phones": "", "closeness": "4",
            "cadence": "30d", "advocate_shown": "1", "advocate": "true", "csrf_token": token}  # fmt: skip
    assert client.post(f"/people/{ana}/edit", data=form).status_code == 200
    person = kw.people.get(ana)
    assert person.location == "Lisbon" and person.is_advocate and person.cadence_days == 30
    assert sorted(person.tags) == ["climbing", "mentor", "python"]
    assert len(person.roles) == 1  # the unchanged organization is not a move


def test_remove_then_undo(client: TestClient, kw: Knowwho, filled: dict[str, int]) -> None:
    token = csrf_of(client)
    response = client.post(f"/people/{filled['mia']}/delete", data={"csrf_token": token})
    assert response.status_code == 200 and "Removed Mia Chen. You can undo it." in response.text
    assert client.get(f"/people/{filled['mia']}").status_code == 404
    client.post("/undo", data={"csrf_token": token})
    assert client.get(f"/people/{filled['mia']}").status_code == 200


def test_quick_capture_remembers_the_event(client: TestClient, kw: Knowwho) -> None:
    token = csrf_of(client, "/capture")
    response = client.post(
        "/capture", data={"name": "Lea Roy", "where": "PyCon Berlin", "note": "search at Acme", "followup": "true",
                          "csrf_token": token},
    )  # fmt: skip
    assert response.status_code == 200
    assert "Saved" in response.text and "follow-up on 2026-11-20" in response.text
    assert 'value="PyCon Berlin"' in response.text
    lea = kw.people.resolve("Lea Roy")
    assert lea.how_met == "PyCon Berlin" and lea.first_met_on == "2026-11-18"
    actions = [i.action for i in kw.agenda.today(remember=False).items if i.person_id == lea.id]
    assert actions == []  # one reminder, on the day chosen, not also a generic one today


def test_organization_target_and_note(client: TestClient, kw: Knowwho, filled: dict[str, int]) -> None:
    token = csrf_of(client)
    org = kw.organizations.resolve("Acme")
    client.post(f"/organizations/{org.id}/target", data={"is_target": "true", "interest": "4", "csrf_token": token})
    client.post(f"/organizations/{org.id}/note", data={"body": "hiring in spring", "csrf_token": token})
    html = client.get(f"/organizations/{org.id}").text
    assert "interest 4/5" in html and "hiring in spring" in html
    assert "Raj Patel" in html  # there before


def test_an_organization_note_of_spaces_is_refused_not_said_to_be_noted(
    client: TestClient, kw: Knowwho, filled: dict[str, int]
) -> None:
    org = kw.organizations.resolve("Acme")
    answer = client.post(f"/organizations/{org.id}/note", data={"body": "  \n ", "csrf_token": csrf_of(client)})
    assert answer.status_code == 422 and "The note is empty" in answer.text and "Noted." not in answer.text
    assert kw.organizations.detail(org.id).notes == []


def test_people_search_part_and_paging(client: TestClient, kw: Knowwho) -> None:
    for n in range(60):
        kw.people.add(f"Person {n:02d}")
    first = client.get("/people?sort=name").text
    assert "60 people" in first and "Next page" in first
    part = client.get("/people?q=person&part=results").text
    assert part.lstrip().startswith("<p") and "<html" not in part


def test_errors_are_friendly_pages(client: TestClient) -> None:
    response = client.get("/people/999")
    assert response.status_code == 404
    assert "No person with id 999" in response.text and "<html" in response.text
    assert client.get("/people/abc").status_code == 404
    assert client.get("/no/such/page").status_code == 404


def test_stats_draws_svg_charts(client: TestClient, filled: dict[str, int]) -> None:
    html = client.get("/stats").text
    assert html.count("<svg") == 5 and "Conversations per week" in html


def test_settings_shows_a_working_calendar_feed(client: TestClient, filled: dict[str, int]) -> None:
    html = client.get("/settings").text
    feed = html.split('id="feed" type="text" readonly value="')[1].split('"')[0]
    path = feed.replace("http://127.0.0.1", "")
    pytest.importorskip("knowwho.services.exports")
    response = client.get(path)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
    assert "BEGIN:VCALENDAR" in response.text and "send the article" in response.text
    assert client.get("/feed/wrong-token.ics").status_code == 404


def test_concurrent_requests_use_separate_connections(client: TestClient, filled: dict[str, int]) -> None:
    from concurrent.futures import ThreadPoolExecutor

    paths = ["/", f"/people/{filled['ana']}", "/people", "/stats"] * 10
    with ThreadPoolExecutor(8) as pool:
        codes = list(pool.map(lambda p: client.get(p).status_code, paths))
    assert set(codes) == {200}


def test_web_and_cli_write_at_the_same_time(
    client: TestClient, kw: Knowwho, filled: dict[str, int], db_path: Path
) -> None:
    """The CLI (its own connection) and web requests write together: no "database is locked"."""
    import threading

    token = csrf_of(client)
    errors: list[Exception] = []

    def cli_writes() -> None:
        cli = Knowwho.open(db_path)  # another process would have its own connection too
        try:
            for n in range(30):
                cli.interactions.log([filled["raj"]], kind="email", direction="out", note=f"cli {n}")
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            cli.close()

    thread = threading.Thread(target=cli_writes)
    thread.start()
    codes = [client.post(f"/people/{filled['ana']}/note", data={"body": f"web {n}", "csrf_token": token},
                         follow_redirects=False).status_code for n in range(30)]  # fmt: skip
    thread.join()
    assert errors == [] and set(codes) == {303}
    assert len(kw.interactions.notes_for(filled["ana"])) == 31


@pytest.mark.parametrize(
    ("kind", "marker"),
    [("json", b"Ana Lima"), ("vcard", b"BEGIN:VCARD"), ("csv", b"Ana Lima"), ("ics", b"BEGIN:VCALENDAR"),
     ("backup", b"SQLite format 3")],
)  # fmt: skip
def test_exports_download(client: TestClient, filled: dict[str, int], kind: str, marker: bytes) -> None:
    pytest.importorskip("knowwho.services.exports")
    response = client.get(f"/transfer/export/{kind}")
    assert response.status_code == 200, response.text[:300]
    assert "attachment" in response.headers["content-disposition"]
    assert marker in response.content


def test_import_of_a_bad_file_says_what_went_wrong(client: TestClient) -> None:
    pytest.importorskip("knowwho.importers.vcard")
    token = csrf_of(client, "/transfer")
    started = client.post("/transfer/import", data={"kind": "vcard", "csrf_token": token},
                          files={"file": ("broken.vcf", b"\x00\x01 not a vcard", "text/vcard")})  # fmt: skip
    assert started.status_code == 200
    import time

    for _ in range(100):
        job = client.get(started.url.path, headers={"accept": "application/json"}).json()
        if job["state"] != "running":
            break
        time.sleep(0.05)
    page = client.get(started.url.path).text
    assert job["state"] in ("done", "failed")
    assert ("did not work" in page) or ("had problems" in page) or ("Added" in page)
    assert "knowwho-import-" not in page and "broken.vcf" in page  # the user's file name, not the temporary copy


def test_long_timelines_show_the_latest_then_everything(client: TestClient, kw: Knowwho) -> None:
    from datetime import timedelta

    from tests.conftest import NOW

    ana = kw.people.add("Ana Lima")
    for n in range(35):
        kw.interactions.log([ana.id], kind="email", when=NOW - timedelta(days=n + 1), subject=f"message {n}")
    page = client.get(f"/people/{ana.id}").text
    assert "message 29" in page and "message 30" not in page and "Show 5 older conversations" in page
    everything = client.get(f"/people/{ana.id}?everything=true").text
    assert "message 34" in everything and "older conversation" not in everything
