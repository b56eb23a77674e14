"""knowwho's own exports come back without adding anyone; LinkedIn's importer takes only LinkedIn's files; BDAY."""

from __future__ import annotations

from pathlib import Path

import pytest

from knowwho.clock import fixed_clock
from knowwho.core import Knowwho
from knowwho.services.imports import run_import
from tests.conftest import NOW
from tests.importers.helpers import cli

DATA = Path(__file__).parent.parent / "data"


def _network(kw: Knowwho) -> None:
    """People with little to match them by: no email, no profile; two share a name."""
    kw.people.add("Ana Lima", phones=["+44 20 7946 0958"], organization="Acme", birthday="1990-04-12")
    kw.people.add("Bo Chen", note="met at the booth", birthday="--02-29")
    kw.people.add("Ana Lima", tags=["climbing"], organization="Globex")
    kw.people.add("Kim Other", emails=["kim@x.org"])


@pytest.mark.parametrize(("kind", "args"), [("vcard", []), ("vcard", ["--version", "3.0"]), ("csv", [])])
def test_export_then_import_adds_nobody(kw: Knowwho, db_path: Path, tmp_path: Path, kind: str, args: list[str]) -> None:
    _network(kw)
    path = tmp_path / ("out.vcf" if kind == "vcard" else "out.csv")
    assert cli(db_path, "export", kind, str(path), *args)[0] == 0
    code, _out, err = cli(db_path, "import", kind, str(path), "--json")
    assert code == 0, err
    assert kw.people.count() == 4
    assert [p.display_name for p in kw.people.get_many([1, 2, 3, 4])] == [
        "Ana Lima",
        "Bo Chen",
        "Ana Lima",
        "Kim Other",
    ]
    assert kw.people.get(2).birthday == "--02-29" and kw.people.get(1).birthday == "1990-04-12"
    # Each record found again by its id, not by name: the two Ana Limas stay two.
    assert [r.organization for r in kw.people.get(3).roles] == ["Globex"]


def test_ids_name_the_person_and_their_database(kw: Knowwho, tmp_path: Path) -> None:
    _network(kw)
    path = tmp_path / "out.vcf"
    cli(kw.db.path, "export", "vcard", str(path))
    assert "UID:urn:knowwho:person:2:20261118T150000Z" in path.read_text()
    csv_path = tmp_path / "out.csv"
    cli(kw.db.path, "export", "csv", str(csv_path))
    header, first = csv_path.read_text().splitlines()[:2]
    assert header.endswith(",knowwho_id") and first.endswith(",urn:knowwho:person:1:20261118T150000Z")


def test_another_databases_ids_do_not_match(tmp_path: Path) -> None:
    """Person #1 of another database is someone else: matched by email as any file, never by its id."""
    other = Knowwho.open(tmp_path / "other.db", clock=fixed_clock(NOW.replace(year=2025)))
    other.people.add("Zed Quinn")
    path = tmp_path / "other.vcf"
    assert cli(tmp_path / "other.db", "export", "vcard", str(path))[0] == 0
    other.close()
    mine = Knowwho.open(tmp_path / "mine.db", clock=fixed_clock(NOW))
    mine.people.add("Ana Lima")
    report = run_import(mine, "vcard", path)
    assert report.added == 1 and mine.people.get(1).display_name == "Ana Lima"
    mine.close()


def test_a_person_removed_since_the_export_stays_removed(kw: Knowwho, tmp_path: Path) -> None:
    _network(kw)
    path = tmp_path / "out.vcf"
    cli(kw.db.path, "export", "vcard", str(path))
    kw.people.remove(2)
    report = run_import(kw, "vcard", path)
    assert report.added == 0 and report.skipped["removed earlier by you"] == 1 and kw.people.count() == 3


@pytest.mark.parametrize("name", ["google_contacts.csv", "generic_bom.csv", "outlook_contacts_cp1252.csv"])
def test_import_linkedin_refuses_a_contacts_csv(kw: Knowwho, db_path: Path, name: str) -> None:
    code, out, err = cli(db_path, "import", "linkedin", str(DATA / "csv" / name))
    assert code == 2 and out == "" and err.count("\n") == 1
    assert f"{DATA / 'csv' / name}: not a LinkedIn file; expected the header of LinkedIn's Connections.csv" in err
    assert "First Name, Last Name, URL, Email Address, Company, Position, Connected On" in err
    assert kw.people.count() == 0


def test_linkedin_files_are_still_taken(kw: Knowwho) -> None:
    report = run_import(kw, "linkedin", DATA / "linkedin" / "Connections_notes_preamble_bom.csv")
    assert report.added >= 3


@pytest.mark.parametrize(
    ("name", "birthday"),
    [
        ("ezvcard_rfc6350-example.vcf", "--02-03"),  # BDAY:--0203
        ("ezvcard_John_Doe_GMAIL.vcf", "1980-03-22"),  # BDAY:1980-03-22
        ("ezvcard_John_Doe_MS_OUTLOOK.vcf", "1980-03-22"),  # BDAY:19800322
        ("ezvcard_John_Doe_IPHONE.vcf", "2012-06-06"),  # BDAY;value=date:2012-06-06
    ],
)
def test_bday_is_imported(kw: Knowwho, name: str, birthday: str) -> None:
    run_import(kw, "vcard", DATA / "vcard" / name)
    assert kw.people.get(1).birthday == birthday


def test_bday_is_exported_in_each_version(kw: Knowwho, tmp_path: Path) -> None:
    kw.people.add("Ana Lima", birthday="1990-04-12")
    kw.people.add("Bo Chen", birthday="--02-03")
    v4, v3 = tmp_path / "v4.vcf", tmp_path / "v3.vcf"
    cli(kw.db.path, "export", "vcard", str(v4))
    cli(kw.db.path, "export", "vcard", str(v3), "--version", "3.0")
    assert "BDAY:19900412" in v4.read_text() and "BDAY:--0203" in v4.read_text()
    text3 = v3.read_text()
    assert "BDAY:1990-04-12" in text3 and "BDAY;X-APPLE-OMIT-YEAR=1604:1604-02-03" in text3
    fresh = Knowwho.open(tmp_path / "fresh.db", clock=fixed_clock(NOW))
    for path in (v4, v3):
        run_import(fresh, "vcard", path)
    assert {(p.display_name, p.birthday) for p in fresh.people.get_many([1, 2, 3, 4]) if p.deleted_at is None} == {
        ("Ana Lima", "1990-04-12"), ("Bo Chen", "--02-03")
    }  # fmt: skip
    fresh.close()
