"""The import page: whole-file notes, skipped reasons and each problem with its file and line; the user's addresses."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from knowwho.services.imports import my_addresses
from tests.web.conftest import csrf_of

DATA = Path(__file__).resolve().parents[1] / "data"


def _finished(client: TestClient, path: str) -> dict[str, object]:
    for _ in range(200):
        job: dict[str, object] = client.get(path, headers={"accept": "application/json"}).json()
        if job["state"] != "running":
            return job
        time.sleep(0.05)
    raise AssertionError("the import did not finish")


def _upload(client: TestClient, kind: str, name: str, content: bytes, **fields: str):  # type: ignore[no-untyped-def]
    token = csrf_of(client, "/transfer")
    return client.post("/transfer/import", data={"kind": kind, "csrf_token": token, **fields},
                       files={"file": (name, content, "application/octet-stream")})  # fmt: skip


def test_summary_shows_notes_and_each_problem_with_file_and_line(client: TestClient) -> None:
    pytest.importorskip("knowwho.importers.csv_contacts")
    content = (DATA / "csv" / "outlook_contacts_cp1252.csv").read_bytes()
    broken = b"Name,Email,Birthday,Notes\nAna Lima,ana@example.com,someday,\n,,,just a note\n"
    first = _upload(client, "csv", "outlook.csv", content)
    assert _finished(client, first.url.path)["state"] == "done"
    page = client.get(first.url.path).text
    assert "About the file" in page and "Windows-1252" in page and "outlook.csv" in page
    second = _upload(client, "csv", "empty rows.csv", broken)
    job = _finished(client, second.url.path)
    page = client.get(second.url.path).text
    assert job["state"] == "done", job
    assert "2 problems" in page and "each says what was left out; the rest is in" in page
    assert '<td class="file">empty rows.csv</td><td class="where">line 2</td>' in page
    assert "birthday &#39;someday&#39; is not a date; imported without it" in page
    assert "no name, email or phone" in page and "knowwho-import-" not in page


def test_mail_import_without_addresses_says_so_on_the_page(client: TestClient) -> None:
    pytest.importorskip("knowwho.importers.mail")
    mbox = b"From a@b Mon Jan  1 00:00:00 2024\nFrom: a@example.com\nTo: b@example.com\nSubject: hi\n\nhello\n"
    missing = _upload(client, "mail", "inbox.mbox", mbox)
    assert missing.status_code == 400
    assert "Which email addresses are yours?" in missing.text and 'aria-invalid="true"' in missing.text
    wrong = _upload(client, "ics", "cal.ics", b"BEGIN:VCALENDAR\nEND:VCALENDAR\n", me="not an address")
    assert wrong.status_code == 400 and "is not an email address" in wrong.text
    started = _upload(client, "mail", "inbox.mbox", mbox, me="B@example.com, me@work.example")
    assert started.status_code == 200
    assert _finished(client, started.url.path)["state"] == "done"
    form = client.get("/transfer").text
    assert 'value="b@example.com, me@work.example"' in form  # remembered, and offered next time


def test_settings_keep_my_addresses(client: TestClient, kw: Knowwho) -> None:
    token = csrf_of(client, "/settings")
    saved = client.post("/settings/my-addresses", data={"addresses": "Ana@Example.com; ana@work.example",
                                                        "csrf_token": token})  # fmt: skip
    assert saved.status_code == 200 and "Saved." in saved.text
    assert my_addresses(kw) == ["ana@example.com", "ana@work.example"]
    refused = client.post("/settings/my-addresses", data={"addresses": "ana@", "csrf_token": token})
    assert refused.status_code == 400 and "is not an email address" in refused.text and 'value="ana@"' in refused.text
    assert my_addresses(kw) == ["ana@example.com", "ana@work.example"]  # a typo changes nothing


def test_a_csv_without_a_header_we_know_says_so_without_a_command_line_option(client: TestClient) -> None:
    pytest.importorskip("knowwho.importers.csv_contacts")
    answer = _upload(client, "csv", "scores.csv", b"Team,Points,Rank\nRed,10,1\n")
    job = _finished(client, answer.url.path)
    assert job["state"] == "failed" and "--map" not in str(job["error"])
    assert str(job["error"]).startswith("scores.csv: no header we recognise")
    assert "--map" not in client.get(answer.url.path).text


def test_a_file_field_sent_as_text_asks_for_a_file_in_words(client: TestClient) -> None:
    token = csrf_of(client, "/transfer")
    answer = client.post("/transfer/import", files={"csrf_token": (None, token), "file": (None, "not a file")})
    assert answer.status_code == 422 and "file: choose a file to upload" in answer.text
    assert "UploadFile" not in answer.text and "&lt;class" not in answer.text
