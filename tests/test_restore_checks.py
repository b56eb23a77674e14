"""What a backup brings in is checked: a date knowwho cannot read refuses the whole restore in one line naming
the table, the row, the field and what is wrong, so that no page or command breaks on it later."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from knowwho.core import Knowwho
from knowwho.errors import ImportFailed
from knowwho.services import exports
from knowwho.storage import dump
from tests.conftest import NOW
from tests.importers.helpers import cli


def small_network(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima", emails=["ana@lima.org"], organization="Acme", title="CTO", birthday="1990-04-01")
    kw.interactions.log([ana.id], kind="call", when=NOW)


def backup_with(kw: Knowwho, tmp_path: Path, table: str, column: str, value: Any) -> Path:
    """A backup of the small network whose first row of `table` holds `value` in `column`."""
    path = tmp_path / "backup.json"
    exports.export_json(kw, path)
    lines = path.read_text(encoding="utf-8").split("\n")
    start = lines.index(f'"{table}":[') + 1
    row = json.loads(lines[start].rstrip(","))
    assert column in row
    row[column] = value
    comma = "," if lines[start].endswith(",") else ""
    lines[start] = json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":")) + comma
    path.write_text("\n".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("table", "column", "value", "problem"),
    [
        ("interactions", "occurred_at", "yesterday", "'yesterday' is not a date and time (YYYY-MM-DD HH:MM:SS)"),
        ("interactions", "occurred_at", "2026-13-45 10:00:00", "is not a date and time"),
        ("interactions", "occurred_at", 12345, "12345 is not a date and time"),
        ("people", "first_met_on", "31/12/2020", "'31/12/2020' is not a date (YYYY-MM-DD)"),
        ("people", "birthday", "April 1st", "'April 1st' is not a date (YYYY-MM-DD, or --MM-DD without the year)"),
        ("people", "last_interaction_at", "2026-02-30 10:00:00", "is not a date and time"),
        ("roles", "start_on", "2019-99-01", "'2019-99-01' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"),
        ("roles", "start_on", "2019-13", "'2019-13' is not a date (YYYY-MM-DD, YYYY-MM or YYYY)"),
    ],
)
def test_a_malformed_date_refuses_the_restore_in_one_line(
    kw: Knowwho, tmp_path: Path, table: str, column: str, value: Any, problem: str
) -> None:
    small_network(kw)
    bad = backup_with(kw, tmp_path, table, column, value)
    target = Knowwho.open(tmp_path / "restored.db")
    try:
        with pytest.raises(ImportFailed) as refused:
            exports.restore_json(target, bad)
        text = str(refused.value)
        assert text.startswith(f"{bad} line ") and f": {table} row 1: {column} " in text and problem in text
        assert "\n" not in text and "Error" not in text
        assert dump.tables_with_rows(target.db.conn, dump.table_specs(target.db.conn)) == []  # all or nothing
    finally:
        target.close()


def test_after_a_refused_restore_show_log_and_strength_answer_in_one_line(kw: Knowwho, tmp_path: Path) -> None:
    small_network(kw)
    bad = backup_with(kw, tmp_path, "interactions", "occurred_at", "yesterday")
    restored = tmp_path / "restored.db"
    for command in (("restore", str(bad)), ("import", "json", str(bad))):
        code, _out, err = cli(restored, *command)
        assert code == 2 and err.count("\n") == 1 and "interactions row 1: occurred_at 'yesterday'" in err
    for command in (("show", "Ana"), ("log", "Ana", "--kind", "call"), ("strength", "Ana")):
        code, _out, err = cli(restored, *command)
        assert code == 1 and err == "knowwho: no person matches 'Ana'\n"


def test_every_form_of_date_knowwho_writes_restores(kw: Knowwho, tmp_path: Path) -> None:
    small_network(kw)
    leap = backup_with(kw, tmp_path, "people", "birthday", "--02-29")  # a birthday without its year
    text = leap.read_text(encoding="utf-8").replace('"start_on":null', '"start_on":"2019-05"', 1)  # a job's month
    leap.write_text(text, encoding="utf-8")
    restored = tmp_path / "restored.db"
    assert cli(restored, "restore", str(leap))[0] == 0
    for command in (("show", "Ana"), ("log", "Ana", "--kind", "email"), ("strength", "Ana")):
        code, out, err = cli(restored, *command)
        assert code == 0 and "Traceback" not in out + err
    assert "birthday  29 February" in cli(restored, "show", "Ana")[1]
