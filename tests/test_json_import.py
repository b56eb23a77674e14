"""`knowwho import json` restores an export exactly, through the same command as every importer."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from knowwho.clock import fixed_clock
from knowwho.core import Knowwho
from knowwho.errors import InvalidInput
from knowwho.services.exports import export_json
from knowwho.services.imports import run_import
from tests.conftest import NOW


def test_import_json_round_trips_through_the_import_command(kw: Knowwho, tmp_path: Path) -> None:
    ana = kw.people.add("Ana Lima", emails=["ana@lima.org"], organization="Acme")
    kw.interactions.log([ana.id], kind="coffee", when=NOW - timedelta(days=3), note="robotics")
    first = tmp_path / "first.json"
    export_json(kw, first)
    restored = Knowwho.open(tmp_path / "restored.db", clock=fixed_clock(NOW))
    report = run_import(restored, "json", first)
    assert report.added == 1 and report.interactions_added == 1
    second = tmp_path / "second.json"
    export_json(restored, second)
    assert first.read_bytes() == second.read_bytes()
    with pytest.raises(InvalidInput, match="already holds data"):
        run_import(restored, "json", first)
