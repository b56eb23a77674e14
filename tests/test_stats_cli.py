"""`knowwho stats`: the weeks against the weekly goals, and the network by tie and organization."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from knowwho.clock import fixed_clock
from knowwho.core import Knowwho
from tests.conftest import NOW
from tests.importers.helpers import cli


def test_stats_shows_the_weeks_against_the_goals(db_path: Path) -> None:
    kw = Knowwho.open(db_path, clock=fixed_clock(NOW))
    ana = kw.people.add("Ana Lima", organization="Acme")
    for days in (0, 1, 8):
        kw.interactions.log([ana.id], kind="call", when=NOW - timedelta(days=days))
    kw.goals.set(conversations=2, new_people=1)
    kw.close()
    code, out, _ = cli(db_path, "stats", "--weeks", "3")
    assert code == 0 and out.startswith("This week: 2 of 2 conversations")
    assert "2 ✓" in out and "Acme 1" in out and "Ties:" in out
    data = json.loads(cli(db_path, "stats", "--weeks", "3", "--json")[1])
    assert [w["conversations"] for w in data["weeks"]] == [0, 1, 2] and data["goals"]["conversations"] == 2
    assert data["by_organization"] == [{"id": 1, "name": "Acme", "people": 1}]
