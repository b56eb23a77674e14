"""The Today cache: reused while nothing changes, dropped by any write from any connection."""

from __future__ import annotations

from pathlib import Path

from knowwho.core import Knowwho
from knowwho.web.cache import ChangeCache, change_stamp
from tests.web.conftest import factory


def test_reused_until_another_connection_writes(db_path: Path, filled: dict[str, int]) -> None:
    now = [0.0]
    cache = ChangeCache(ttl=30, clock=lambda: now[0])
    server, cli = factory(db_path)(), Knowwho.open(db_path)
    first = cache.today(server, limit=25)
    assert cache.today(server, limit=25) is first
    cli.agenda.done("followup:1")  # the CLI, in its own connection
    second = cache.today(server, limit=25)
    assert second is not first and "followup:1" not in [i.key for i in second.items]
    now[0] = 31.0
    assert cache.today(server, limit=25) is not second  # and never older than the time limit


def test_in_memory_databases_are_not_cached() -> None:
    assert change_stamp(Path(":memory:")) is None
