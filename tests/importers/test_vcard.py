"""vCard import on real files from Apple, Google, Outlook, Android and RFC 6350, and on broken ones."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowwho.core import Knowwho
from knowwho.errors import ImportFailed
from knowwho.importers.reading import parse_date
from knowwho.importers.vcard import escape_text_commas, parse_card
from knowwho.services.imports import run_import
from knowwho.storage.records import PersonRecord
from tests.importers.helpers import cli, snapshot

DATA = Path(__file__).parent.parent / "data" / "vcard"
REAL = sorted(DATA.glob("ezvcard_*.vcf"))


def _only(kw: Knowwho) -> PersonRecord:
    ids = [r[0] for r in kw.db.conn.execute("SELECT id FROM people WHERE deleted_at IS NULL")]
    assert len(ids) == 1, ids
    return kw.people.get(ids[0])


def _labels(kw: Knowwho, table: str, column: str) -> dict[str, str]:
    return dict(kw.db.conn.execute(f"SELECT {column}, label FROM {table}").fetchall())


def _note(kw: Knowwho, person_id: int) -> str:
    return "\n".join(n.body for n in kw.interactions.notes_for(person_id))


def _photo(kw: Knowwho, person_id: int) -> tuple[bytes, str]:
    row = kw.db.conn.execute("SELECT photo, photo_type FROM people WHERE id = ?", (person_id,)).fetchone()
    return row[0], row[1]


def test_gmail_30_keeps_commas_groups_labels_and_folded_note(kw: Knowwho) -> None:
    report = run_import(kw, "vcard", DATA / "ezvcard_John_Doe_GMAIL.vcf")
    assert (report.added, report.problems) == (1, [])
    john = _only(kw)
    assert john.display_name == "Mr. John Richter, James Doe Sr."  # FN with a bare comma, whole
    assert (john.given_name, john.family_name, john.birthday) == ("John", "Doe", "1980-03-22")
    assert john.emails == ["john.doe@ibm.com"] and _labels(kw, "person_emails", "email") == {"john.doe@ibm.com": "home"}
    assert john.phones == ["+19055551234", "+19056661234"]
    assert [(r.organization, r.title) for r in john.roles] == [("IBM", "Money Counter")]
    assert john.links == ["http://www.ibm.com"]  # Google's escaped 'http\\://'
    note = _note(kw, john.id)
    assert "INCLUDING, BUT NOT LIMITED TO" in note and "Favotire Color: Blue" in note
    assert "Anniversary: 1975-03-01" in note and "Spouse: Jenny" in note  # item groups labelled by X-ABLabel


def test_iphone_photo_and_item_group_labels(kw: Knowwho) -> None:
    report = run_import(kw, "vcard", DATA / "ezvcard_John_Doe_IPHONE.vcf")  # CR CR LF line ends
    assert (report.added, report.problems) == (1, [])
    john = _only(kw)
    photo, kind = _photo(kw, john.id)
    assert photo.startswith(b"\xff\xd8") and len(photo) > 20_000 and kind == "image/jpeg"
    phones = _labels(kw, "person_phones", "phone")
    assert phones["+19052221234"] == "assistantphone" and phones["+19055551234"] == "cell"
    addresses = _labels(kw, "person_addresses", "address")
    assert addresses["Street4, Building 6, Floor 8, New York, 12345, USA"] == "work"
    assert john.birthday == "2012-06-06" and john.links == ["http://www.ibm.com"]


def test_outlook_21_quoted_printable_and_photo(kw: Knowwho) -> None:
    report = run_import(kw, "vcard", DATA / "ezvcard_John_Doe_MS_OUTLOOK.vcf")
    assert (report.added, report.problems) == (1, [])
    john = _only(kw)
    assert john.display_name == "Mr. John Richter James Doe Sr." and john.birthday == "1980-03-22"
    assert "INCLUDING, BUT NOT LIMITED TO, THE IMPLIED WARRANTIES" in _note(kw, john.id)
    assert _photo(kw, john.id)[0].startswith(b"\xff\xd8")
    assert "Cresent moon drive, Albaney, New York, 12345, United States of America" in _labels(
        kw, "person_addresses", "address"
    )


def test_outlook_2003_multiline_quoted_printable_note(kw: Knowwho) -> None:
    run_import(kw, "vcard", DATA / "ezvcard_outlook-2003.vcf")
    john = _only(kw)
    assert _note(kw, john.id).startswith("This is the note field!!\nSecond line\n\nThird line is empty")
    assert john.roles[0].organization == "Company, The" and john.roles[0].title == "The Job Title"
    assert john.phones == []  # 'BusinessPhone' and friends hold no number


def test_android_21_imports_every_card_leaving_out_only_what_is_broken(kw: Knowwho) -> None:
    report = run_import(kw, "vcard", DATA / "ezvcard_John_Doe_ANDROID.vcf")
    assert report.added == 6
    assert [(p.where, p.message) for p in report.problems] == [
        ("card 5 (line 36)", "its photo could not be decoded and was left out"),
        ("card 6 (line 71)", "its ORG could not be read and was left out"),  # a stray =80 in one of three
    ]
    sixth = kw.people.get(kw.people.resolve_id("henry@company.com"))
    assert sixth.display_name == "ÑÑÑÑ" and sixth.phones == ["55556666"]
    names = {p.display_name for p in kw.people.get_many(list(range(1, 6)))}
    assert {"john.doe@company.com", "jane.doe@company.com", "Ñ Ñ Ñ Ñ Ñ"} <= names  # QP UTF-8, soft line breaks


def test_vcard_40_fullcontact_gmail_single_and_rfc6350(kw: Knowwho) -> None:
    run_import(kw, "vcard", DATA / "ezvcard_fullcontact.vcf")
    full = kw.people.get(kw.people.resolve_id("work@example.com"))
    assert len(full.emails) == 5 and full.tags == ["tag"] and full.birthday == "2016-08-01"
    assert _labels(kw, "person_emails", "email")["custom@example.com"] == "customtype"
    run_import(kw, "vcard", DATA / "ezvcard_gmail-single2.vcf")
    single = kw.people.get(kw.people.resolve_id("VCard Test"))
    assert _labels(kw, "person_emails", "email")["customcategory@example.com"] == "customemailcategory"
    assert single.birthday == "1912-06-23" and len(single.phones) >= 10
    run_import(kw, "vcard", DATA / "ezvcard_rfc6350-example.vcf")
    simon = kw.people.get(kw.people.resolve_id("Simon Perreault"))
    assert simon.birthday == "--02-03" and simon.phones == ["+14186569254", "+14182626501"]
    assert simon.roles[0].organization == "Viagenie"


@pytest.mark.parametrize("path", REAL, ids=[p.name for p in REAL])
def test_every_real_file_imports_and_reimports_to_nothing(kw: Knowwho, path: Path) -> None:
    first = run_import(kw, "vcard", path)
    assert first.added >= 1
    before = snapshot(kw)
    second = run_import(kw, "vcard", path)
    assert (second.added, second.updated, second.merged) == (0, 0, 0)
    assert second.unchanged == first.added + first.merged + first.updated
    assert snapshot(kw) == before


def test_a_folder_imports_every_card_and_twice_adds_nothing(kw: Knowwho) -> None:
    first = run_import(kw, "vcard", DATA)
    assert first.merged == 1  # the iPhone card has the Gmail card's address: the same John Doe
    assert any("not_a_vcard.vcf" in str(p) and "not a vCard file" in p.message for p in first.problems)
    second = run_import(kw, "vcard", DATA)
    assert (second.added, second.merged, second.updated) == (0, 0, 0)


def test_a_broken_card_is_reported_by_number_and_line_and_the_rest_imported(kw: Knowwho) -> None:
    report = run_import(kw, "vcard", DATA / "broken_second_card.vcf")
    assert [(p.where, p.message) for p in report.problems] == [
        ("card 2 (line 8)", "its N could not be read and was left out"),
        ("card 2 (line 8)", "its FN could not be read and was left out"),
        ("card 2 (line 8)", "has no name, email or phone; left out"),
        ("card 3 (line 13)", "has no name, email or phone; left out"),
        ("card 5 (line 23)", "the file ends inside this card; it was left out"),
    ]
    jane = kw.people.get(kw.people.resolve_id("jane@example.org"))
    assert jane.display_name == "Doe, Jane" and jane.roles[0].organization == "Doe, Smith & Partners"
    ana = kw.people.get(kw.people.resolve_id("Ana Lima"))
    assert ana.phones == ["+442079460958"]
    uid = kw.db.conn.execute("SELECT external_id FROM provenance WHERE entity_id = ?", (ana.id,)).fetchone()[0]
    assert uid == "urn:uuid:4fbe8971-0bc3-424c-9c26-36c3e1eff6b1"


def test_vcard_21_latin1_quoted_printable_with_soft_line_breaks(kw: Knowwho) -> None:
    run_import(kw, "vcard", DATA / "vcard21_latin1_quoted_printable.vcf")
    heinz = _only(kw)
    assert heinz.display_name == "Heinz Müller, Geschäftsführer" and heinz.family_name == "Müller"
    assert _note(kw, heinz.id) == "Met at the fair, 2019.\nSecond line continues"
    assert heinz.tags == ["trade-fair"]  # "My Contacts" is the address book's, not a tag


def test_apple_address_book_61_profile_line_is_dropped_not_the_card(kw: Knowwho) -> None:
    # Lotus Notes and Apple's Address Book write "PROFILE:vCard"; vobject refuses any spelling but "VCARD".
    report = run_import(kw, "vcard", DATA / "apple_address_book_61_profile.vcf")
    assert (report.added, report.problems) == (2, [])
    alex = kw.people.get(kw.people.resolve_id("alex.wilbur@contoso.example"))
    assert alex.display_name == "Alex Wilbur" and alex.roles[0].title == "Facilities Manager"


def test_the_bat_quoted_printable_polish_names_without_charset(kw: Knowwho) -> None:
    # vCard 2.1 from The Bat!: quoted-printable Windows-1250 bytes and no CHARSET parameter.
    report = run_import(kw, "vcard", DATA / "thebat_vcard21_qp_cp1250_no_charset.vcf")
    assert (report.added, report.problems) == (2, [])
    pawel = kw.people.get(kw.people.resolve_id("pawel.lukasiewicz@example.pl"))
    assert (pawel.display_name, pawel.given_name, pawel.family_name) == ("Paweł Łukasiewicz", "Paweł", "Łukasiewicz")
    assert pawel.roles[0].organization == "Politechnika Wrocławska"
    assert kw.people.get(kw.people.resolve_id("m.wisniewska@example.pl")).display_name == "Małgorzata Wiśniewska"


def test_apple_utf16_without_byte_order_mark(db_path: Path) -> None:
    code, out, err = cli(db_path, "import", "vcard", str(DATA / "apple_utf16_no_bom.vcf"))
    assert (code, err) == (0, "") and "2 added" in out
    code, out, _err = cli(db_path, "show", "Zoë Ångström")
    assert code == 0 and "Zoë Ångström" in out


def test_a_card_vobject_refuses_whole_loses_only_the_bad_property() -> None:
    card = "BEGIN:VCARD\nVERSION:3.0\nPROFILE:Card\nFN:Ana Lima\nEMAIL:ana@example.org\nPHOTO;ENCODING=b:abcde\nEND:VCARD\n"
    component, notes = parse_card(card)
    assert component.fn.value == "Ana Lima" and component.email.value == "ana@example.org"
    assert notes == ["its photo could not be decoded and was left out"]


def test_bom_cr_cr_lf_folding_and_a_data_uri_photo(kw: Knowwho) -> None:
    run_import(kw, "vcard", DATA / "bom_crcrlf_folded.vcf")
    zoe = _only(kw)
    assert zoe.display_name == "Zoë Okafor-Brandt" and zoe.birthday == "1985-07-04"
    photo, kind = _photo(kw, zoe.id)
    assert photo.startswith(b"\x89PNG") and kind == "image/png"


def test_an_unreadable_line_is_reported_not_printed(
    kw: Knowwho, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "junk_line.vcf"
    path.write_text("BEGIN:VCARD\nVERSION:3.0\nFN:Ana Lima\nthis line has no colon\nEND:VCARD\n", encoding="utf-8")
    report = run_import(kw, "vcard", path)
    assert report.added == 1
    assert [p.message for p in report.problems] == ["card line 4 could not be read and was left out"]
    assert "vobject" not in capfd.readouterr().err


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [("list.vcf", b"Milk\nEggs\n", "not a vCard file"), ("photo.vcf", b"\x00\x01\x02\x03" * 50, "binary file")],
)
def test_a_file_that_is_not_vcards_fails_before_writing(
    kw: Knowwho, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    before = snapshot(kw)
    with pytest.raises(ImportFailed, match=message):
        run_import(kw, "vcard", path)
    assert snapshot(kw) == before


def test_a_folder_without_vcards_fails(kw: Knowwho, tmp_path: Path) -> None:
    with pytest.raises(ImportFailed, match=r"no \.vcf files"):
        run_import(kw, "vcard", tmp_path)


def test_the_command_exits_2_on_a_wrong_file(db_path: Path) -> None:
    code, _out, err = cli(db_path, "import", "vcard", str(DATA / "not_a_vcard.vcf"))
    assert code == 2 and "not a vCard file" in err and err.count("\n") == 1


def test_bare_commas_are_escaped_only_in_single_text_values() -> None:
    card = 'BEGIN:VCARD\nFN:Doe, Jane\nN:Doe;Jane;Ann,Marie;;\nitem1.NOTE;X-A="a:b":one, two\n three, four\nORG:A\\, B\nEND:VCARD'
    assert escape_text_commas(card).split("\n") == [
        "BEGIN:VCARD", "FN:Doe\\, Jane", "N:Doe;Jane;Ann,Marie;;", 'item1.NOTE;X-A="a:b":one\\, two',
        " three\\, four", "ORG:A\\, B", "END:VCARD",
    ]  # fmt: skip


def test_parse_card_reads_what_vobject_reads() -> None:
    component, notes = parse_card("BEGIN:VCARD\nVERSION:3.0\nFN:Doe, Jane\nEND:VCARD\n")
    assert component.fn.value == "Doe, Jane" and notes == []


def test_dates_as_contact_files_write_them() -> None:
    cases = {"1980-03-22": "1980-03-22", "19800322": "1980-03-22", "--0203": "--02-03", "--05-17": "--05-17",
             "21 Jan 2010": "2010-01-21", "Jan 21, 2010": "2010-01-21", "3/22/1980": "1980-03-22",
             "22.03.1980": "1980-03-22", "1980-02-30": None, "0/0/00": None, "soon": None, "": None}  # fmt: skip
    assert {text: parse_date(text) for text in cases} == cases


# -- no input makes the importer crash ------------------------------------------------------------
_HYPOTHESIS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_HYPOTHESIS
@given(content=st.binary(max_size=800), inside_a_card=st.booleans())
def test_random_bytes_fail_cleanly_or_import(tmp_path: Path, content: bytes, inside_a_card: bool) -> None:
    path = tmp_path / "random.vcf"
    path.write_bytes(b"BEGIN:VCARD\r\nVERSION:2.1\r\n" + content + b"\r\nEND:VCARD\r\n" if inside_a_card else content)
    _import_without_crash(path)


@_HYPOTHESIS
@given(
    lines=st.lists(st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=40), max_size=8),
    version=st.sampled_from(["2.1", "3.0", "4.0"]),
)
def test_random_lines_inside_a_card_are_imported_or_reported(tmp_path: Path, lines: list[str], version: str) -> None:
    body = "\n".join(line.replace("\r", " ").replace("\n", " ") for line in lines)
    path = tmp_path / "random.vcf"
    path.write_text(f"BEGIN:VCARD\nVERSION:{version}\nFN:Ana Lima\n{body}\nEND:VCARD\n", encoding="utf-8")
    report = _import_without_crash(path)
    assert report is not None


def _import_without_crash(path: Path) -> object:
    app = Knowwho.open(":memory:")
    try:
        return run_import(app, "vcard", path)
    except ImportFailed as failure:
        assert "\n" not in str(failure)
        return None
    finally:
        app.close()
