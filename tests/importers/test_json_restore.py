"""Restoring a JSON backup that was damaged: one plain line naming the row, exit 2, nothing written."""

from __future__ import annotations

from pathlib import Path

from tests.importers.helpers import cli

DATA = Path(__file__).parent.parent / "data" / "json"
MISSING = DATA / "knowwho_backup_note_without_created_at.json"


def _people(db: Path) -> str:
    return cli(db, "people")[1]


def test_a_row_without_a_required_field_is_named_in_words(db_path: Path) -> None:
    code, out, err = cli(db_path, "import", "json", str(MISSING))
    assert code == 2 and out == ""
    assert err == f"knowwho: {MISSING} line 33: notes row 3: created_at is missing\n"
    assert "Ana Lima" not in _people(db_path)  # the restore is all or nothing


def test_the_same_row_in_a_rewritten_backup_is_named_by_its_place(db_path: Path, tmp_path: Path) -> None:
    import json

    document = json.loads(MISSING.read_text(encoding="utf-8"))
    pretty = tmp_path / "pretty.json"
    pretty.write_text(json.dumps(document, indent=2), encoding="utf-8")  # another tool's layout: read whole
    code, _out, err = cli(db_path, "restore", str(pretty))
    assert (code, err) == (2, f"knowwho: {pretty}: notes row 3: created_at is missing\n")


def test_a_value_nested_100000_deep_is_refused_in_one_line(db_path: Path, tmp_path: Path) -> None:
    good = '{"body":"met at the fair","created_at":"2026-11-29 23:51:35","id":1,"organization_id":null,"person_id":1}'
    deep = '{"body":' + "[" * 100_000 + "]" * 100_000 + ',"id":4,"person_id":1}'
    path = tmp_path / "streamed.json"
    path.write_text(MISSING.read_text(encoding="utf-8").replace(good, good + ",\n" + deep), encoding="utf-8")
    code, _out, err = cli(db_path, "import", "json", str(path))
    assert code == 2 and "Traceback" not in err and "RecursionError" not in err
    assert (
        err
        == f"knowwho: {path}: a value is nested too deeply for a backup row (the file is damaged or not a knowwho backup)\n"
    )


def test_a_whole_document_nested_100000_deep_is_refused_in_one_line(db_path: Path, tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text('{"format":"knowwho-backup","x":' + "[" * 100_000 + "]" * 100_000 + "}", encoding="utf-8")
    code, _out, err = cli(db_path, "restore", str(path))
    assert code == 2 and err.count("\n") == 1 and "nested too deeply" in err
