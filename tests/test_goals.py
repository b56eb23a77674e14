"""Weekly goals: set with `knowwho goal`, shown on top of today, counted per week."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from knowwho.core import Knowwho
from tests.conftest import NOW
from tests.importers.helpers import cli


def test_progress_counts_this_week_and_old_replies(kw: Knowwho) -> None:
    assert kw.goals.progress() is None
    kw.goals.set(conversations=3, new_people=1, max_old_replies=0)
    ana = kw.people.add("Ana Lima", how_met="PyCon")  # met today (a Wednesday)
    bo = kw.people.add("Bo Chen", first_met_on="2026-11-01")
    kw.interactions.log([ana.id], kind="coffee", when=NOW - timedelta(days=1))
    kw.interactions.log([bo.id], kind="email", direction="in", when=NOW - timedelta(days=2, hours=6))
    kw.interactions.log([bo.id], kind="call", when=NOW - timedelta(days=8))  # last week
    progress = kw.goals.progress()
    assert progress is not None
    assert (progress.week.conversations, progress.week.new_people, progress.old_replies) == (2, 1, 1)
    assert progress.line() == (
        "This week: 2 of 3 conversations · 1 of 1 new people ✓ · 1 reply waiting over 2 days (goal: at most 0)"
    )
    weeks = kw.goals.weeks(12)
    assert len(weeks) == 12 and weeks[-1].starts_on.isoformat() == "2026-11-16" and weeks[-2].conversations == 1


def test_goals_are_one_undoable_change_and_minus_one_clears(kw: Knowwho) -> None:
    kw.goals.set(conversations=3)
    kw.goals.set(new_people=2, conversations=-1)
    assert (kw.goals.get().conversations, kw.goals.get().new_people) == (None, 2)
    kw.history.undo()
    assert (kw.goals.get().conversations, kw.goals.get().new_people) == (3, None)


def test_goal_command_and_today_header(db_path: Path) -> None:
    code, out, _ = cli(db_path, "goal")
    assert code == 0 and "No weekly goals yet" in out
    code, out, err = cli(db_path, "goal", "--conversations", "3", "--new-people", "2", "--max-old-replies", "0",
                         "--json")  # fmt: skip
    assert code == 0, err
    data = json.loads(out)
    assert data["goals"] == {"conversations": 3, "new_people": 2, "max_old_replies": 0} and data["conversations"] == 0
    code, out, _ = cli(db_path, "today")
    assert out.startswith("This week: 0 of 3 conversations · 0 of 2 new people")
    code, _, err = cli(db_path, "goal", "--conversations", "5000")
    assert code == 2 and "--conversations" in err


def test_goals_on_top_of_the_today_page(db_path: Path) -> None:
    from fastapi.testclient import TestClient

    from knowwho.web.app import create_app
    from tests.web.conftest import factory

    cli(db_path, "goal", "--conversations", "3")
    with TestClient(create_app(factory(db_path)), base_url="http://127.0.0.1") as client:
        page = client.get("/").text
    assert "This week: 0 of 3 conversations" in page
