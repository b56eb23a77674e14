"""My updates, templates and `draft N`: drafts say what I've done since we spoke, and never log anything."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput, NotFound
from tests.conftest import NOW
from tests.importers.helpers import cli, snapshot


def test_keep_in_touch_draft_lists_my_updates_since_we_last_spoke(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima", emails=["ana@example.org"], organization="Acme")
    kw.interactions.log([ana.id], kind="coffee", when=NOW - timedelta(days=100))
    kw.me.add_update("wrote about search ranking", on=date(2026, 6, 1))  # before we spoke: not news
    kw.me.add_update("gave a talk at PyData Berlin", on=date(2026, 10, 2), tags=["Talk"])
    found = kw.templates.render("keep-in-touch", ana.id)
    assert found.to == ["ana@example.org"] and found.subject == "Catching up"
    assert "Hi Ana," in found.body and "at Acme?" in found.body
    assert "- gave a talk at PyData Berlin" in found.body and "search ranking" not in found.body


def test_an_edited_template_is_used_checked_and_undone(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima")
    kw.templates.edit("nice to meet you", subject="Hello {{ first }}", body="Dear {{ name }}, {{ my_name or 'me' }}")
    assert kw.templates.render("nice-to-meet", ana.id).body == "Dear Ana Lima, me"
    assert kw.templates.get("nice-to-meet").edited
    with pytest.raises(InvalidInput, match="body line 1"):
        kw.templates.edit("thank-you", body="{% if %}")
    with pytest.raises(InvalidInput):  # the sandbox refuses reaching into Python
        kw.templates.edit("thank-you", body="{{ first.__class__.__mro__ }}{{ ''.__class__.__subclasses__() }}")
    with pytest.raises(NotFound, match="no template"):
        kw.templates.get("love letter")
    kw.history.undo()
    assert not kw.templates.get("nice-to-meet").edited


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        ("{{ 1/0 }}", "a calculation, filter or loop in it fails as it is filled in"),
        ("{% include 'footer' %}", "a calculation, filter or loop in it fails as it is filled in"),
        ("{{ first|truncate(-1) }}", "a calculation, filter or loop in it fails as it is filled in"),
        ("{{ 'x' * 999999999 }}", "a repeat longer than 100,000 is refused"),
        ("{{ [0] * 10**8 }}", "a repeat longer than 100,000 is refused"),
        ("{{ 2 ** 99999999 }}", "a power above 100 is refused"),
        ("{{ lipsum(10**8) }}", "'lipsum' is undefined"),
    ],
)
def test_a_template_that_fails_or_fills_the_memory_is_refused_in_one_line(
    db_path: Path, body: str, problem: str
) -> None:
    code, _, err = cli(db_path, "template", "edit", "thank-you", "--body", body)
    assert code == 2 and err.startswith("knowwho: the template's body does not render: ") and problem in err
    assert "Traceback" not in err and cli(db_path, "template", "show", "thank-you")[1].count("{{ first }}")


def test_draft_n_prints_the_draft_logs_nothing_and_opens_mailto(
    db_path: Path, kw: Knowwho, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = kw.events.add("PyData Berlin", starts_on=NOW.date())
    kw.events.met("Vera Ng", event_id=event.id, email="vera@example.org")
    assert cli(db_path, "today")[0] == 0
    before = snapshot(kw)
    opened: list[str] = []
    monkeypatch.setattr("webbrowser.open", lambda url, *a, **k: opened.append(url) or True)
    code, out, err = cli(db_path, "draft", "1", "--open")
    assert code == 0, err
    assert "Subject: Nice to meet you at PyData Berlin" in out and "Hi Vera," in out
    assert opened and opened[0].startswith("mailto:vera@example.org?subject=Nice%20to%20meet%20you")
    code, out, _ = cli(db_path, "draft", "1", "--json")
    assert json.loads(out)["to"] == ["vera@example.org"]
    assert snapshot(kw) == before  # drafting never logs anything
    code, _, err = cli(db_path, "draft", "9")
    assert code == 1 and "no item 9" in err


def test_me_and_me_update(db_path: Path) -> None:
    code, out, err = cli(db_path, "me", "update", "gave a talk [on] search", "--date", "2026-11-02", "--tag", "talk",
                         "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == {"id": 1, "date": "2026-11-02", "text": "gave a talk [on] search", "tags": ["talk"]}
    code, out, _ = cli(db_path, "me")
    assert "2026-11-02  gave a talk [on] search #talk" in out
    code, out, _ = cli(db_path, "me", "--json")
    assert json.loads(out)["updates"][0]["text"] == "gave a talk [on] search" and json.loads(out)["roles"] == []
    code, _, err = cli(db_path, "me", "update", "later", "--date", "2027-01-01")
    assert code == 2 and "future" in err


def test_template_commands(db_path: Path, tmp_path: Path) -> None:
    code, out, _ = cli(db_path, "template", "list", "--json")
    assert {t["key"] for t in json.loads(out)} >= {"informational-interview", "nice-to-meet", "thank-you", "intro",
                                                  "keep-in-touch", "re-engage"}  # fmt: skip
    body = tmp_path / "body.txt"
    body.write_text("Hi {{ first }},\nthanks!\n", encoding="utf-8")
    code, out, err = cli(db_path, "template", "edit", "thank-you", "--file", str(body), "--subject", "Thanks", "--json")
    assert code == 0, err
    assert json.loads(out)["body"] == "Hi {{ first }},\nthanks!\n" and json.loads(out)["edited"]
    code, out, _ = cli(db_path, "template", "show", "thank-you")
    assert "Subject: Thanks" in out
    code, _, err = cli(db_path, "template", "edit", "thank-you", "--body", "{{ first }")
    assert (
        code == 2 and err.startswith("knowwho: the template's body line 1 does not render") and "Traceback" not in err
    )
    code, out, _ = cli(db_path, "template", "edit", "thank-you", "--reset", "--json")
    assert not json.loads(out)["edited"]
