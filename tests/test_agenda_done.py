"""Done means contacted: acting on today's list logs the conversation, in one change that undo reverses."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput, NotFound
from knowwho.storage.records import PersonRecord
from tests.conftest import NOW
from tests.importers.helpers import cli


def _owed_reply(kw: Knowwho, name: str = "Zed Quinn", kind: str = "email") -> PersonRecord:
    person = kw.people.add(name)
    kw.interactions.log([person.id], kind=kind, direction="in", when=NOW - timedelta(days=4), subject="Lunch?")
    return person


def _key(kw: Knowwho, action: str, person_id: int) -> str:
    return next(i.key for i in kw.agenda.today(limit=100).items if i.action == action and i.person_id == person_id)


def test_done_on_a_reply_logs_an_outbound_email_and_moves_last_spoke(kw: Knowwho) -> None:
    zed = _owed_reply(kw)
    before = kw.people.get(zed.id)
    said = kw.agenda.done(_key(kw, "reply", zed.id))
    assert said == "done: reply to Zed Quinn (logged an email)"
    latest = kw.interactions.for_person(zed.id)[0]
    assert (latest.kind, latest.direction, latest.subject) == ("email", "out", "Re: Lunch?")
    after = kw.people.get(zed.id)
    assert after.last_interaction_at == after.last_outbound_at != before.last_interaction_at
    assert after.tie_strength > before.tie_strength
    assert kw.history.recent()[0].description == said
    assert not kw.agenda.today().items


def test_undo_after_done_reverses_both_the_mark_and_the_conversation(kw: Knowwho) -> None:
    zed = _owed_reply(kw)
    before = kw.people.get(zed.id)
    kw.agenda.done(_key(kw, "reply", zed.id))
    assert kw.history.undo() == "done: reply to Zed Quinn (logged an email)"
    assert len(kw.interactions.for_person(zed.id)) == 1
    assert kw.people.get(zed.id) == before
    assert [(i.action, i.person) for i in kw.agenda.today().items] == [("reply", "Zed Quinn")]


def test_no_log_only_marks_it_done(kw: Knowwho) -> None:
    zed = _owed_reply(kw)
    assert kw.agenda.done(_key(kw, "reply", zed.id), log=False) == "done: reply to Zed Quinn"
    assert len(kw.interactions.for_person(zed.id)) == 1
    assert kw.people.get(zed.id).last_outbound_at is None
    assert not kw.agenda.today().items


def test_a_reply_goes_back_the_way_it_came_unless_told_otherwise(kw: Knowwho) -> None:
    ana = _owed_reply(kw, "Ana Lima", kind="message")
    bo = _owed_reply(kw, "Bo Chen")
    assert kw.agenda.done(_key(kw, "reply", ana.id)).endswith("(logged a message)")
    kw.agenda.done(_key(kw, "reply", bo.id), kind="phone", note="she starts in March")
    call = kw.interactions.for_person(bo.id)[0]
    assert (call.kind, call.direction, call.notes) == ("call", "out", "she starts in March")
    with pytest.raises(InvalidInput, match="unknown kind"):
        kw.agenda.done(_key(kw, "reply", _owed_reply(kw, "Cy Park").id), kind="telepathy")


def test_done_on_a_keep_in_touch_restarts_the_cadence_clock(kw: Knowwho) -> None:
    old = kw.people.add("Old Friend", closeness=4)
    kw.interactions.log([old.id], kind="coffee", when=NOW - timedelta(days=200))
    kw.agenda.done(_key(kw, "keep-in-touch", old.id), kind="coffee")
    assert kw.people.get(old.id).last_interaction_at is not None
    assert kw.interactions.for_person(old.id)[0].direction == "mutual"  # a coffee is had together
    assert not [i for i in kw.agenda.today(limit=100).items if i.person_id == old.id]


def test_done_on_a_follow_up_without_anyone_logs_nothing(kw: Knowwho) -> None:
    kw.followups.add(None, NOW.date(), note="update my CV")
    key = kw.agenda.today().items[0].key
    with pytest.raises(InvalidInput, match="not with a person"):
        kw.agenda.done(key, kind="email")
    assert kw.agenda.done(key) == "done: follow-up"
    assert kw.db.conn.execute("SELECT count(*) FROM interactions").fetchone()[0] == 0


def test_done_on_a_follow_up_with_someone_logs_it_under_the_follow_up(kw: Knowwho) -> None:
    eve = kw.people.add("Eve Santos")
    kw.followups.add(eve.id, NOW.date(), note="send the article")
    kw.agenda.done(_key(kw, "follow-up", eve.id))
    assert kw.interactions.for_person(eve.id)[0].subject == "send the article"


def test_done_sent_twice_logs_the_conversation_once(kw: Knowwho) -> None:
    """A double click, or a page sent again: the second says it is done already and logs nothing more."""
    zed = _owed_reply(kw)
    key = _key(kw, "reply", zed.id)
    assert kw.agenda.done(key) == "done: reply to Zed Quinn (logged an email)"
    assert kw.agenda.done(key, kind="call") == "already done: reply to Zed Quinn"
    assert [i.kind for i in kw.interactions.for_person(zed.id)] == ["email", "email"]  # theirs, and the reply
    assert [c.description for c in kw.history.recent() if c.description.startswith("done")] == [
        "done: reply to Zed Quinn (logged an email)"
    ]
    kw.followups.add(zed.id, NOW.date(), note="send the article")
    followup = _key(kw, "follow-up", zed.id)
    kw.agenda.done(followup)
    assert kw.agenda.done(followup) == "already done: follow-up with Zed Quinn"
    assert [i.subject for i in kw.interactions.for_person(zed.id)].count("send the article") == 1


def test_an_unknown_or_stale_key_is_not_found(kw: Knowwho) -> None:
    gone = _owed_reply(kw, "Gone Person")
    key = _key(kw, "reply", gone.id)
    kw.people.remove(gone.id)
    for bad in (
        key,
        "reply:999:x",
        "followup:42",
        "re-engage:7",
        "nonsense",
        "reply:abc",
        "reply:²",
        "reply:" + "9" * 30,
    ):
        with pytest.raises(NotFound):
            kw.agenda.done(bad)
        with pytest.raises(NotFound):
            kw.agenda.dismiss(bad)


def test_the_cli_done_logs_and_a_single_undo_reverses_it(db_path: Path) -> None:
    cli(db_path, "add", "Zed Quinn")
    cli(db_path, "log", "zed", "--kind", "email", "--direction", "in", "--date", "4 days ago")
    cli(db_path, "today")
    code, out, _ = cli(db_path, "done", "1")
    assert code == 0 and out.strip() == "Done: reply to Zed Quinn (logged an email)."
    assert "→ email" in cli(db_path, "show", "zed")[1]
    assert "Zed Quinn" not in cli(db_path, "today")[1]
    code, out, _ = cli(db_path, "undo")
    assert out.strip() == "Undid: done: reply to Zed Quinn (logged an email)."
    assert "→ email" not in cli(db_path, "show", "zed")[1]
    assert "Zed Quinn" in cli(db_path, "today")[1]


def test_the_cli_done_options(db_path: Path) -> None:
    for name in ("Ana Lima", "Bo Chen"):
        cli(db_path, "add", name)
        cli(db_path, "log", name, "--kind", "email", "--direction", "in", "--date", "3 days ago")
    cli(db_path, "today")
    code, out, _ = cli(db_path, "done", "1", "--kind", "call", "--note", "all good")
    assert code == 0 and "(logged a call)" in out
    code, out, _ = cli(db_path, "done", "2", "--no-log")
    assert code == 0 and out.strip() == "Done: reply to Bo Chen."
    assert "← email" in cli(db_path, "show", "Bo Chen")[1] and "→" not in cli(db_path, "show", "Bo Chen")[1]
    code, _, err = cli(db_path, "done", "2", "--no-log", "--note", "x")
    assert code == 2 and "nowhere to go" in err and "Traceback" not in err
