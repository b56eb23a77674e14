"""Contacts CSV import: Google (both formats), Outlook in Windows-1252, generic columns, --map, refusals."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowwho.core import Knowwho
from knowwho.errors import ImportFailed, InvalidInput
from knowwho.services.imports import run_import
from tests.importers.helpers import cli, snapshot

DATA = Path(__file__).parent.parent / "data" / "csv"


def _labels(kw: Knowwho, table: str, column: str) -> dict[str, str]:
    return dict(kw.db.conn.execute(f"SELECT {column}, label FROM {table}").fetchall())


def test_google_contacts_export(kw: Knowwho) -> None:
    report = run_import(kw, "csv", DATA / "google_contacts.csv")
    assert (report.added, report.problems) == (2, [])  # the empty row is no one
    ana = kw.people.get(kw.people.resolve_id("Ana Lima"))
    assert ana.emails == ["ana@acme.test", "ana.lima@acme.test", "ana@home.test"]  # ' ::: ' holds several
    assert _labels(kw, "person_emails", "email") == {
        "ana@acme.test": "work", "ana.lima@acme.test": "work", "ana@home.test": "home",
    }  # fmt: skip
    assert ana.phones == ["+14155550100"] and _labels(kw, "person_phones", "phone")["+14155550100"] == "mobile"
    assert ana.tags == ["conference"]  # myContacts and starred are Google's own labels
    assert ana.links == ["https://www.linkedin.com/in/ana-lima"] and ana.birthday == "1990-04-12"
    assert [(r.organization, r.title) for r in ana.roles] == [("Acme", "Engineer")]
    assert _labels(kw, "person_addresses", "address") == {"1 Main St, Springfield": "home"}
    assert [n.body for n in kw.interactions.notes_for(ana.id)] == ["Met at PyCon, 2019"]
    bo = kw.people.get(kw.people.resolve_id("Bo Chen"))
    assert bo.birthday == "--05-17" and bo.phones == ["+14155550101"]


def test_google_legacy_export(kw: Knowwho) -> None:
    run_import(kw, "csv", DATA / "google_contacts_legacy.csv")
    carla = kw.people.get(kw.people.resolve_id("carla@rossi.test"))
    assert (carla.display_name, carla.location, carla.birthday) == ("Carla Rossi", "Milan", "1979-11-02")
    assert carla.tags == ["family"] and carla.roles[0].organization == "Rossi Design"


def test_outlook_export_in_windows_1252(kw: Knowwho) -> None:
    report = run_import(kw, "csv", DATA / "outlook_contacts_cp1252.csv")
    assert report.notes == [
        f"{DATA / 'outlook_contacts_cp1252.csv'}: not UTF-8; read as Windows-1252 (Western European)"
    ]
    assert report.problems == []  # Outlook's 0/0/00 birthday means none
    rene = kw.people.get(kw.people.resolve_id("René Müller"))
    assert rene.emails == ["rene@sg.test", "rene.m@sg.test"] and rene.birthday is None
    assert [(r.organization, r.title) for r in rene.roles] == [("Société Générale", "Analyst")]
    assert rene.tags == ["clients", "paris"] and _labels(kw, "person_phones", "phone")["+33123456789"] == "business"
    assert _labels(kw, "person_addresses", "address") == {"12 Rue de la Paix, Paris, 75001, France": "business"}
    zoe = kw.people.get(kw.people.resolve_id("Zoë Beck"))
    assert zoe.birthday == "1980-03-22" and zoe.phones == ["+447700900123"]


def test_a_generic_csv_with_a_bom_is_read_by_its_column_names(kw: Knowwho) -> None:
    report = run_import(kw, "csv", DATA / "generic_bom.csv")
    assert report.added == 2
    ana = kw.people.get(kw.people.resolve_id("ana@x.test"))
    assert ana.display_name == "Ana Lima" and ana.tags == ["friend", "pycon"] and ana.roles[0].organization == "Acme"


def test_short_rows_are_read_as_far_as_they_go(kw: Knowwho) -> None:
    report = run_import(kw, "csv", DATA / "missing_columns.csv")
    assert (report.added, report.problems) == (2, [])


def test_columns_named_otherwise_are_mapped_with_map(kw: Knowwho) -> None:
    path = DATA / "custom_columns.csv"
    with pytest.raises(ImportFailed, match="--map"):
        run_import(kw, "csv", path)
    mapping = ["Person=name", "Correo=email", "Employer=organization", "Born=birthday"]
    report = run_import(kw, "csv", path, mapping=mapping)
    assert report.added == 2
    assert [(p.where, p.message) for p in report.problems] == [
        ("line 3", "birthday 'not a date' is not a date; imported without it")
    ]
    assert kw.people.get(kw.people.resolve_id("Ana Lima")).birthday == "1990-04-12"  # day first when dotted
    assert run_import(kw, "csv", path, mapping=mapping).added == 0


def test_a_bad_map_is_refused_before_writing(kw: Knowwho) -> None:
    path = DATA / "custom_columns.csv"
    with pytest.raises(InvalidInput, match="unknown field 'surname'"):
        run_import(kw, "csv", path, mapping=["Person=surname"])
    with pytest.raises(InvalidInput, match="column=field"):
        run_import(kw, "csv", path, mapping=["Person"])
    with pytest.raises(ImportFailed, match="no column named 'nickname'"):
        run_import(kw, "csv", path, mapping=["Nickname=name"])
    assert kw.people.count() == 0


def test_importing_twice_adds_nothing(kw: Knowwho) -> None:
    for name in ("google_contacts.csv", "outlook_contacts_cp1252.csv", "generic_bom.csv"):
        run_import(kw, "csv", DATA / name)
    before = snapshot(kw)
    for name in ("google_contacts.csv", "outlook_contacts_cp1252.csv", "generic_bom.csv"):
        again = run_import(kw, "csv", DATA / name)
        assert (again.added, again.updated, again.merged) == (0, 0, 0)
    assert snapshot(kw) == before


def test_an_address_already_known_is_the_same_person(kw: Knowwho) -> None:
    known = kw.people.add("A. Lima", emails=["ana@x.test"])
    report = run_import(kw, "csv", DATA / "custom_columns.csv", mapping=["Person=name", "Correo=email"])
    assert (report.added, report.merged) == (1, 1)
    assert kw.people.resolve_id("ana@x.test") == known.id


def test_no_recognisable_header_is_one_line_exit_2_and_nothing_written(db_path: Path, kw: Knowwho) -> None:
    before = snapshot(kw)
    code, out, err = cli(db_path, "import", "csv", str(DATA / "not_contacts.csv"))
    assert code == 2 and out.strip() == "" and err.count("\n") == 1
    assert "not_contacts.csv: no header we recognise" in err and "Traceback" not in err
    assert snapshot(kw) == before
    code, _out, err = cli(db_path, "import", "csv", str(DATA))
    assert code == 2 and "is a folder" in err
    code, out, _err = cli(db_path, "import", "csv", str(DATA / "custom_columns.csv"), "--map", "Person=name")
    assert code == 0 and "2 added" in out


# -- no input makes the importer crash ------------------------------------------------------------
_HYPOTHESIS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_HYPOTHESIS
@given(content=st.binary(max_size=600))
def test_random_bytes_fail_cleanly_or_import(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "contacts.csv"
    path.write_bytes(b"Name,Email,Phone,Birthday\n" + content)
    _import_without_crash(path)


@_HYPOTHESIS
@given(rows=st.lists(st.lists(st.text(st.characters(codec="utf-8"), max_size=30), max_size=8), max_size=12))
def test_random_rows_under_known_headers_are_imported_or_reported(tmp_path: Path, rows: list[list[str]]) -> None:
    for header in ((DATA / "google_contacts.csv").read_text(encoding="utf-8").splitlines()[0],
                   "Name,Email,Phone,Company,Tags,Birthday,Website,Notes"):  # fmt: skip
        text = io.StringIO()
        text.write(header + "\n")
        csv.writer(text).writerows(rows)
        path = tmp_path / "contacts.csv"
        path.write_text(text.getvalue(), encoding="utf-8")
        report = _import_without_crash(path)
        if report is not None:
            assert all(p.where.startswith("line ") for p in report.problems)  # type: ignore[attr-defined]


def _import_without_crash(path: Path) -> object:
    app = Knowwho.open(":memory:")
    try:
        return run_import(app, "csv", path)
    except ImportFailed as failure:
        assert "\n" not in str(failure)
        return None
    finally:
        app.close()


def test_slash_dates_that_only_fit_day_first_are_read_day_first(kw: Knowwho) -> None:
    report = run_import(kw, "csv", DATA / "uk_contacts_day_first_dates.csv")  # a British export: 20/01/1991
    births = {p.display_name: p.birthday for p in kw.people.get_many(list(range(1, 5)))}
    assert births == {
        "Oliver Bennett": "1991-01-20",
        "Amelia Clarke": "1988-03-04",  # fits both ways: slash dates stay month first
        "Harry Patel": "1979-12-31",
        "Isla Murphy": None,
    }
    assert [(p.where, p.message) for p in report.problems] == [
        ("line 5", "birthday '13/13/1990' is not a date; imported without it")
    ]


def test_a_field_over_128_kb_is_imported_whole(db_path: Path, tmp_path: Path) -> None:
    note = "Long thread pasted from mail. " * 8000  # about 240 KB, past the csv module's 128 KB default
    text = (DATA / "uk_contacts_day_first_dates.csv").read_text(encoding="utf-8")
    path = tmp_path / "long_note.csv"
    path.write_text(text.replace("Met at the Leeds meetup", note.strip()), encoding="utf-8")
    code, out, err = cli(db_path, "import", "csv", str(path))
    assert code == 0 and "field limit" not in out + err and "4 added" in out
    code, out, _err = cli(db_path, "show", "Oliver Bennett")
    assert code == 0 and "Long thread pasted from mail." in out


def test_a_row_the_csv_module_refuses_is_described_in_words() -> None:
    from knowwho.importers.reading import csv_problem

    with pytest.raises(csv.Error) as refused:
        next(csv.reader(io.StringIO("a," + "x" * (csv.field_size_limit() + 1))))
    assert csv_problem(refused.value) == "a field is longer than 16 MB"
    assert csv_problem(csv.Error("something new")) == "it is not well-formed CSV"
