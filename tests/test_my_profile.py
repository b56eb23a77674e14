"""My profile: set from the CLI, the API and Settings, undoable, and signing every draft with my name."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput
from tests.importers.helpers import cli, snapshot
from tests.web.conftest import client, csrf_of  # noqa: F401  (the web client fixture)
from tests.web.test_browser import browser, page, server, shot  # noqa: F401  (Chromium fixtures)

HINT = 'Set your name for the sign-off of drafts: knowwho me set --name "Your Name"'


def _fields(kw: Knowwho) -> tuple[str, str, str, str]:
    p = kw.me.profile()
    return p.name, p.headline, p.interests, p.targets


# -- service -------------------------------------------------------------------------


def test_set_profile_trims_keeps_what_is_left_out_and_undoes(kw: Knowwho) -> None:
    saved = kw.me.set_profile(name="  Ana \n Lima ", headline=" Data  scientist\nmoving into climate ",
                              interests="  search ranking\nclimate data  \n")  # fmt: skip
    assert (saved.name, saved.headline, saved.interests, saved.targets) == (
        "Ana Lima", "Data scientist moving into climate", "search ranking\nclimate data", "")  # fmt: skip
    kw.me.set_profile(targets="Nettle")  # the others stay as they are
    assert _fields(kw) == ("Ana Lima", "Data scientist moving into climate", "search ranking\nclimate data", "Nettle")
    assert kw.history.undo() == "updated my profile"
    assert _fields(kw)[3] == ""
    kw.history.undo()
    assert _fields(kw) == ("", "", "", "")
    assert kw.db.conn.execute("SELECT COUNT(*) FROM my_profile").fetchone()[0] == 0  # the row it made went too


def test_nothing_is_written_when_nothing_changes(kw: Knowwho) -> None:
    kw.me.set_profile(name="Ana Lima")
    changes = len(kw.history.recent(limit=200))
    before = snapshot(kw)
    kw.me.set_profile(name=" Ana Lima ")
    kw.me.set_profile()
    assert snapshot(kw) == before and len(kw.history.recent(limit=200)) == changes


def test_a_field_too_long_is_refused_by_name_and_nothing_changes(kw: Knowwho) -> None:
    kw.me.set_profile(name="Ana Lima")
    with pytest.raises(InvalidInput, match="your headline is 201 characters long; at most 200"):
        kw.me.set_profile(name="Bo Chen", headline="x" * 201)
    with pytest.raises(InvalidInput, match="your name"):
        kw.me.set_profile(name="n" * 101)
    assert _fields(kw) == ("Ana Lima", "", "", "")


def test_a_keep_in_touch_draft_is_signed_with_my_name(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima", emails=["ana@example.org"])
    unsigned = kw.templates.render("keep-in-touch", ana.id).body
    assert unsigned.rstrip().endswith("Best regards,")
    kw.me.set_profile(name="Bo Chen")
    signed = kw.templates.render("keep-in-touch", ana.id).body
    assert signed.rstrip().endswith("Best regards,\nBo Chen")


# -- CLI -----------------------------------------------------------------------------


def test_me_set_prints_what_was_saved_and_undo_takes_it_back(db_path: Path) -> None:
    code, out, _ = cli(db_path, "me")
    assert code == 0 and HINT in out and out.splitlines()[0] == "You"
    code, out, err = cli(db_path, "me", "set", "--name", "Ana [b]Lima", "--headline", "Data scientist")
    assert code == 0, err
    assert "Name: Ana [b]Lima" in out and "Headline: Data scientist" in out
    code, out, _ = cli(db_path, "me")
    assert out.splitlines()[0] == "Ana [b]Lima · Data scientist" and HINT not in out
    code, out, _ = cli(db_path, "me", "set", "--interests", "search", "--targets", "Nettle", "--json")
    assert code == 0
    assert json.loads(out) == {"name": "Ana [b]Lima", "headline": "Data scientist", "interests": "search",
                               "targets": "Nettle"}  # fmt: skip
    code, out, _ = cli(db_path, "undo")
    assert code == 0 and "updated my profile" in out
    code, out, _ = cli(db_path, "me", "--json")
    assert json.loads(out)["interests"] == "" and json.loads(out)["name"] == "Ana [b]Lima"


def test_me_set_without_an_option_or_too_long_says_so(db_path: Path) -> None:
    code, out, err = cli(db_path, "me", "set")
    assert code == 2 and out == ""
    assert err.strip().splitlines() == ["knowwho: say what to set: --name, --headline, --interests or --targets"]
    code, _, err = cli(db_path, "me", "set", "--name", "n" * 101)
    assert code == 2 and "your name is 101 characters long" in err and "Traceback" not in err


# -- API and web ---------------------------------------------------------------------


def test_patch_api_me_then_get(client: TestClient, kw: Knowwho) -> None:  # noqa: F811
    patched = client.patch("/api/me", json={"name": " Ana Lima ", "headline": "Data scientist"})
    assert patched.status_code == 200
    assert patched.json() == client.get("/api/me").json()
    assert patched.json()["name"] == "Ana Lima" and patched.json()["roles"] == []
    kept = client.patch("/api/me", json={"interests": "search"}).json()
    assert (kept["name"], kept["headline"], kept["interests"]) == ("Ana Lima", "Data scientist", "search")
    assert client.patch("/api/me", json={"headline": "x" * 201}).status_code == 422
    assert client.patch("/api/me", json={"nickname": "Ana"}).status_code == 422  # a strict body
    assert client.get("/api/me").json()["headline"] == "Data scientist"
    assert kw.history.undo() == "updated my profile" and kw.me.profile().interests == ""


def test_settings_form_saves_my_profile(client: TestClient, kw: Knowwho) -> None:  # noqa: F811
    settings = client.get("/settings").text
    assert 'action="/settings/profile"' in settings and 'id="profile-name"' in settings
    token = csrf_of(client, "/settings")
    form = {"name": "Ana <b>Lima</b>", "headline": "Data scientist", "interests": "search", "targets": "Nettle"}
    assert client.post("/settings/profile", data=form).status_code == 403  # no CSRF token, no change
    assert kw.me.profile().name == ""
    saved = client.post("/settings/profile", data=form | {"csrf_token": token})
    assert saved.status_code == 200 and "Saved your profile." in saved.text
    assert 'value="Ana &lt;b&gt;Lima&lt;/b&gt;"' in saved.text and ">Nettle</textarea>" in saved.text
    assert _fields(kw) == ("Ana <b>Lima</b>", "Data scientist", "search", "Nettle")
    refused = client.post("/settings/profile", data=form | {"name": "n" * 101, "csrf_token": token})
    assert refused.status_code == 400 and "your name is 101 characters long" in refused.text
    assert f'value="{"n" * 101}"' in refused.text  # shown again as typed
    assert kw.me.profile().name == "Ana <b>Lima</b>"


def test_in_chromium_the_you_form_saves_my_name(server: str, page: Any, kw: Knowwho) -> None:  # noqa: F811
    page.goto(server + "/settings")
    you = page.locator("#profile")
    you.get_by_label("Name").fill("Ana Lima")
    you.get_by_label("Headline").fill("Data scientist moving into climate tech")
    you.get_by_label("Interests").fill("search ranking, climate data")
    you.get_by_role("button", name="Save", exact=True).click()
    page.wait_for_load_state()
    assert page.get_by_text("Saved your profile.").is_visible()
    assert page.locator("#profile-name").input_value() == "Ana Lima"
    assert kw.me.profile().headline == "Data scientist moving into climate tech"
    shot(page, "52-settings-you")
