"""Pages that read well: confirmations after a redirect, one date per follow-up, one import form, reply subjects."""

from __future__ import annotations

import re
import time
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from knowwho.services.drafts import draft
from knowwho.services.file_kinds import HEAD_BYTES, detect_kind
from knowwho.web.flash import COOKIE
from tests.conftest import FIXTURES, NOW
from tests.web.conftest import csrf_of


def test_without_scripts_a_confirmation_survives_the_redirect(client: TestClient, filled: dict[str, int]) -> None:
    token = csrf_of(client, f"/people/{filled['ana']}")
    posted = client.post(f"/people/{filled['ana']}/log", data={"csrf_token": token, "kind": "call",
                         "note": "talked about the offsite"}, follow_redirects=False)  # fmt: skip
    assert posted.status_code == 303 and COOKIE in posted.cookies
    page = client.get(posted.headers["location"])
    assert re.search(r'class="flash" role="status"[^>]*>Logged the call\.<', page.text)
    assert "Logged the call" not in client.get(posted.headers["location"]).text  # shown once
    undone = client.post("/undo", data={"csrf_token": token})
    assert "Undid: " in undone.text


def test_a_forged_confirmation_is_not_shown(client: TestClient) -> None:
    client.cookies.set(COOKIE, "UGF5IG1lLg.0000")  # "Pay me." with a wrong signature
    assert "Pay me" not in client.get("/people").text


def test_a_far_follow_up_shows_its_date_once(client: TestClient, kw: Knowwho, filled: dict[str, int]) -> None:
    far, near = NOW.date() + timedelta(days=20), NOW.date() + timedelta(days=3)
    kw.followups.add(filled["ana"], far, note="the offsite")
    kw.followups.add(filled["ana"], near, note="the article")
    far_text, near_text = far.isoformat(), near.isoformat()
    page = client.get(f"/people/{filled['ana']}").text
    assert page.count(far_text) == 1
    assert page.count(near_text) == 1 and "in 3 days" in page


def test_reply_drafts_answer_the_subject_of_the_message(kw: Knowwho, filled: dict[str, int]) -> None:
    assert draft(kw.people, "reply", filled["raj"]).subject == "Re: intro?"
    kw.interactions.log([filled["ana"]], kind="email", direction="in", when=NOW - timedelta(days=2),
                        subject="RE: Re: Offsite plans")  # fmt: skip
    assert draft(kw.people, "reply", filled["ana"]).subject == "Re: Offsite plans"
    assert draft(kw.people, "reply", filled["mia"]).subject == "Re: your message"  # nothing received: no subject


@pytest.mark.parametrize(
    ("path", "kind"),
    [("vcard/apple_utf16_no_bom.vcf", "vcard"), ("ics/knowwho_meetings.ics", "ics"),
     ("email/mbox/cpython_mailbox_01.mbox", "mail"), ("linkedin/Connections_notes_preamble_bom.csv", "linkedin"),
     ("linkedin/yangdb_messages.csv", "linkedin"), ("csv/outlook_contacts_cp1252.csv", "csv"),
     ("json/knowwho_backup_note_without_created_at.json", "json")],
)  # fmt: skip
def test_a_file_is_recognised_by_its_contents(path: str, kind: str) -> None:
    data = (FIXTURES / path).read_bytes()[:HEAD_BYTES]
    assert detect_kind("upload.txt", data) == kind  # even under a name that says nothing
    assert detect_kind("notes", b"just some words") is None


def test_one_import_form_recognises_the_file(client: TestClient, kw: Knowwho) -> None:
    pytest.importorskip("knowwho.importers.vcard")
    page = client.get("/transfer").text
    assert page.count('type="file"') == 1 and 'value="auto"' in page and 'value="vcard"' in page
    card = (FIXTURES / "vcard" / "ezvcard_John_Doe_IPHONE.vcf").read_bytes()
    started = client.post("/transfer/import", data={"csrf_token": csrf_of(client, "/transfer"), "kind": "auto"},
                          files={"file": ("contacts.dat", card)}, follow_redirects=False)  # fmt: skip
    assert started.status_code == 303 and "/transfer/jobs/" in started.headers["location"]
    for _ in range(200):  # let the import finish before the server closes its database
        job = client.get(started.headers["location"], headers={"accept": "application/json"}).json()
        if job["state"] != "running":
            break
        time.sleep(0.05)
    assert job["state"] == "done" and job["kind"] == "vcard"
    unknown = client.post("/transfer/import", data={"csrf_token": csrf_of(client, "/transfer")},
                          files={"file": ("notes", b"just some words")})  # fmt: skip
    assert unknown.status_code == 400 and "Which kind of file is notes?" in unknown.text


def test_an_organization_leads_with_notes_and_folds_long_lists(client: TestClient, kw: Knowwho, db_path: Path) -> None:
    for n in range(30):
        kw.people.add(f"Person {n:02}", organization="Acme", title="Engineer")
    org_id = kw.people.resolve("Person 00").roles[0].organization_id
    page = client.get(f"/organizations/{org_id}").text
    assert page.index("Notes</h2>") < page.index("People there now")
    assert "18 more people there now" in page and page.count("<details") >= 1


def test_a_browsing_view_is_reused_only_until_the_data_changes(client: TestClient, filled: dict[str, int]) -> None:
    assert client.get("/people?sort=added").text.count("Zoe Quill") == 0
    assert client.post("/api/people", json={"name": "Zoe Quill"}).status_code == 201
    page = client.get("/people?sort=added").text
    assert "Zoe Quill" in page and "5 people" in page
