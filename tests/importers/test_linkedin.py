"""LinkedIn import: the real export fixture (folder and zip), a real-style preamble, problems, idempotency."""

from __future__ import annotations

import csv
import io
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowwho.core import Knowwho
from knowwho.errors import ImportFailed
from knowwho.services.imports import run_import
from tests.importers.helpers import cli, snapshot

DATA = Path(__file__).parent.parent / "data" / "linkedin"
EXPORT = ("yangdb_Connections.csv", "yangdb_messages.csv", "yangdb_Invitations.csv")
PREAMBLE_FILE = DATA / "Connections_notes_preamble_bom.csv"


@pytest.fixture
def export_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "Basic_LinkedInDataExport"
    folder.mkdir()
    for name in EXPORT:
        shutil.copy(DATA / name, folder / name)
    return folder


def _person(kw: Knowwho, url: str) -> int:
    return kw.people.resolve_id(url)


def test_the_real_export_brings_people_roles_conversations_and_invitations(kw: Knowwho, export_dir: Path) -> None:
    report = run_import(kw, "linkedin", export_dir)
    # 1,869 connection rows: 1,796 profiles (73 rows repeat a profile with another job) + 3 people only in messages.
    assert (report.added, report.updated, report.merged) == (1799, 73, 0)
    assert report.interactions_added == 40 and report.problems == []
    lauren = kw.people.get(_person(kw, "https://www.linkedin.com/in/lrobinson"))
    assert (lauren.display_name, lauren.given_name, lauren.family_name) == ("Lauren Robinson", "Lauren", "Robinson")
    assert (lauren.how_met, lauren.first_met_on) == ("LinkedIn", "2010-01-21")
    assert ("Cognizant", "Web Developer", "2010-01-21") in [(r.organization, r.title, r.start_on) for r in lauren.roles]
    laura_id = _person(kw, "https://www.linkedin.com/in/lauracooper")
    timeline = kw.interactions.for_person(laura_id)
    conversation = [(i.occurred_at, i.direction, i.subject) for i in timeline if i.subject != "LinkedIn invitation"]
    assert conversation == [
        ("2023-11-16 09:15:00", "in", "RE: Knowledge Graph Discussion"),
        ("2023-11-15 18:45:00", "out", "RE: Knowledge Graph Discussion"),
        ("2023-11-15 14:30:00", "in", "Knowledge Graph Discussion"),
    ]
    assert all(i.kind == "message" and i.channel == "linkedin" for i in timeline)
    laura = kw.people.get(laura_id)
    assert laura.last_inbound_at == "2023-11-16 09:15:00" and laura.interaction_count == 4  # derived stats refreshed
    invitation = [i for i in timeline if i.subject == "LinkedIn invitation"]
    assert [(i.occurred_at, i.direction) for i in invitation] == [("2021-09-01 16:45:00", "out")]
    recruiter = kw.people.get(_person(kw, "https://www.linkedin.com/in/recruiter-stripe"))
    assert recruiter.how_met == "LinkedIn message" and recruiter.first_met_on == "2023-08-22"
    with pytest.raises(Exception, match="no person"):
        kw.people.resolve_id("https://www.linkedin.com/in/you")  # me, the owner of the export


def test_importing_the_same_export_twice_adds_nothing(kw: Knowwho, export_dir: Path) -> None:
    run_import(kw, "linkedin", export_dir)
    before = snapshot(kw)
    again = run_import(kw, "linkedin", export_dir)
    assert (again.added, again.updated, again.merged, again.interactions_added) == (0, 0, 0, 0)
    assert again.unchanged == 1869 and again.interactions_existing == 40
    assert snapshot(kw) == before


def test_the_zip_export_imports_like_its_folder(kw: Knowwho, export_dir: Path, tmp_path: Path) -> None:
    archive = tmp_path / "Basic_LinkedInDataExport_11-18-2026.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as out:
        for name in EXPORT:
            out.write(export_dir / name, f"Basic_LinkedInDataExport_11-18-2026/{name}")
        out.writestr("Basic_LinkedInDataExport_11-18-2026/Profile.csv", "First Name,Last Name\nSam,Me\n")
    report = run_import(kw, "linkedin", archive)
    assert (report.added, report.updated, report.interactions_added) == (1799, 73, 40)
    assert len(report.files) == 3 and all(":" in f for f in report.files)
    assert run_import(kw, "linkedin", archive).added == 0


def test_the_notes_preamble_and_bom_are_skipped_and_bad_rows_reported_by_line(kw: Knowwho) -> None:
    report = run_import(kw, "linkedin", PREAMBLE_FILE)
    assert [(p.where, p.message) for p in report.problems] == [
        ("line 6", "no first or last name; left out"),
        ("line 7", "'Connected On' is not a date ('31 Feb 2022'); imported without it"),
    ]
    assert all(p.file == str(PREAMBLE_FILE) for p in report.problems)
    assert report.added == 4
    ana = kw.people.get(kw.people.resolve_id("ana@lima.org"))  # email lower-cased
    assert ana.links == ["https://www.linkedin.com/in/ana-lima"]
    assert [(r.organization, r.title) for r in ana.roles] == [("Acme", "Engineer, Platform")]
    bo = kw.people.get(kw.people.resolve_id("Bo Chen"))
    assert bo.links == ["https://www.linkedin.com/in/bo-chen"] and bo.first_met_on is None  # country host, slash
    chloe = kw.people.get(kw.people.resolve_id("Chloé Dubois"))
    assert (
        chloe.links == ["https://www.linkedin.com/in/chloe-dubois"] and chloe.roles[0].organization == "Initech, Inc."
    )
    assert kw.people.resolve_id("Dmitri Ivanov")  # no URL, no date: still a connection
    again = run_import(kw, "linkedin", PREAMBLE_FILE)
    assert (again.added, again.updated, again.unchanged) == (0, 0, 4)


def test_me_is_found_without_a_folder_column_and_group_messages_reach_everyone(kw: Knowwho) -> None:
    report = run_import(kw, "linkedin", DATA / "messages_no_folder_column.csv")
    assert report.interactions_added == 3
    assert [(p.where, p.message) for p in report.problems] == [
        ("line 4", "'DATE' is not a date ('yesterday-ish'); left out")
    ]
    ana, bo = kw.people.resolve_id("Ana Lima"), kw.people.resolve_id("Bo Chen")
    group = [i for i in kw.interactions.for_person(bo) if i.subject == "Both of you"]
    assert len(group) == 1 and group[0].direction == "out" and sorted(group[0].participant_ids) == sorted([ana, bo])
    assert [i.direction for i in kw.interactions.for_person(ana)] == ["out", "out", "in"]
    with pytest.raises(Exception, match="no person"):
        kw.people.resolve_id("Sam Me")


def test_an_exact_email_merges_into_the_person_already_there(kw: Knowwho) -> None:
    known = kw.people.add("Ana L.", emails=["ana@lima.org"], tags=["pycon"])
    report = run_import(kw, "linkedin", PREAMBLE_FILE)
    assert (report.added, report.merged) == (3, 1)
    ana = kw.people.get(known.id)
    assert ana.display_name == "Ana L." and ana.links == ["https://www.linkedin.com/in/ana-lima"]
    assert ana.how_met == "LinkedIn" and ana.tags == ["pycon"]


def test_a_candidate_whose_email_and_profile_belong_to_two_people_merges_them(kw: Knowwho) -> None:
    by_email = kw.people.add("Ana (work)", emails=["ana@lima.org"])
    by_link = kw.people.add("A. Lima", links=["https://www.linkedin.com/in/ana-lima"])
    report = run_import(kw, "linkedin", PREAMBLE_FILE)
    assert report.merged == 2  # the two records into one, then the candidate into it
    ana = kw.people.get(by_email.id)
    assert ana.emails == ["ana@lima.org"] and ana.links == ["https://www.linkedin.com/in/ana-lima"]
    assert kw.db.conn.execute("SELECT merged_into_id FROM people WHERE id = ?", (by_link.id,)).fetchone()[0] == ana.id
    assert kw.history.undo() == "imported Connections_notes_preamble_bom.csv (linkedin)"  # the import as a whole
    assert kw.people.get(by_link.id).links == ["https://www.linkedin.com/in/ana-lima"]
    assert kw.people.get(by_email.id).links == [] and kw.people.count() == 2


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"sku,qty\nA1,3\n", "not a LinkedIn file"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary file"),
        (b"", "not a LinkedIn file"),
    ],
)
def test_a_wrong_file_fails_in_one_line_before_writing(
    kw: Knowwho, tmp_path: Path, content: bytes, message: str
) -> None:
    path = tmp_path / "Connections.csv"
    path.write_bytes(content)
    before = snapshot(kw)
    with pytest.raises(ImportFailed, match=message) as failure:
        run_import(kw, "linkedin", path)
    assert str(path) in str(failure.value) and "\n" not in str(failure.value)
    assert snapshot(kw) == before


def test_a_folder_or_zip_without_export_files_fails(kw: Knowwho, tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ImportFailed, match=r"no Connections\.csv"):
        run_import(kw, "linkedin", tmp_path / "empty")
    archive = tmp_path / "other.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("notes.txt", "hello")
    with pytest.raises(ImportFailed, match=r"no Connections\.csv"):
        run_import(kw, "linkedin", archive)


def test_the_command_exits_2_with_one_line_and_leaves_the_database_unchanged(db_path: Path, tmp_path: Path) -> None:
    code, _out, err = cli(db_path, "import", "linkedin", str(tmp_path / "missing.zip"))
    assert code == 2 and err.count("\n") == 1 and "missing.zip" in err and "Traceback" not in err
    bad = tmp_path / "Connections.csv"
    bad.write_text("hello,world\n1,2\n", encoding="utf-8")
    code, _out, err = cli(db_path, "import", "linkedin", str(bad))
    assert code == 2 and "not a LinkedIn file" in err
    code, out, _err = cli(db_path, "import", "linkedin", str(PREAMBLE_FILE))
    assert code == 0 and "4 added" in out and "line 6" in out


# -- no input makes the importer crash ------------------------------------------------------------
_HYPOTHESIS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@_HYPOTHESIS
@given(content=st.binary(max_size=600))
def test_random_bytes_fail_cleanly_or_import(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "Connections.csv"
    path.write_bytes(content)
    _import_without_crash(path)


@_HYPOTHESIS
@given(
    rows=st.lists(
        st.lists(st.text(st.characters(codec="utf-8", exclude_characters="\x00"), max_size=30), max_size=9), max_size=12
    ),
    kind=st.sampled_from(["connections", "messages", "invitations"]),
)
def test_random_rows_under_a_real_header_are_imported_or_reported(
    tmp_path: Path, rows: list[list[str]], kind: str
) -> None:
    headers = {
        "connections": "First Name,Last Name,URL,Email Address,Company,Position,Connected On",
        "messages": "CONVERSATION ID,CONVERSATION TITLE,FROM,SENDER PROFILE URL,TO,RECIPIENT PROFILE URLS,DATE,SUBJECT,CONTENT,FOLDER",
        "invitations": "From,To,Sent At,Message,Direction,inviterProfileUrl,inviteeProfileUrl",
    }
    text = io.StringIO()
    text.write("Notes:\n\n" + headers[kind] + "\n")
    csv.writer(text).writerows(rows)
    path = tmp_path / f"{kind}.csv"
    path.write_text(text.getvalue(), encoding="utf-8")
    report = _import_without_crash(path)
    assert report is not None
    assert all(p.where.startswith("line ") for p in report.problems)


def _import_without_crash(path: Path) -> object:
    app = Knowwho.open(":memory:")
    try:
        return run_import(app, "linkedin", path)
    except ImportFailed as failure:
        assert "\n" not in str(failure)
        return None
    finally:
        app.close()


@settings(max_examples=200)
@given(
    url=st.one_of(
        st.text(max_size=40),
        st.builds(lambda s: "https://www.linkedin.com/in/" + s, st.text(max_size=20)),
    )
)
def test_the_quick_path_of_profile_urls_agrees_with_the_full_one(url: str) -> None:
    from knowwho.services.normalize import normalize_linkedin_url

    assert normalize_linkedin_url(url) == normalize_linkedin_url(" " + url)  # a leading space takes the full path


def test_a_file_cut_short_in_the_middle_of_a_row_leaves_that_row_out_and_says_so(kw: Knowwho, tmp_path: Path) -> None:
    whole = (DATA / "yangdb_Connections.csv").read_bytes()
    cut = whole[: whole.index(b"\n", 200) + 40]  # two rows and a half
    assert not cut.endswith(b"\n") and cut.rsplit(b"\n", 1)[1].count(b",") < 6
    path = tmp_path / "Connections.csv"
    path.write_bytes(cut)
    report = run_import(kw, "linkedin", path)
    rows = cut.count(b"\n")  # the header and the whole rows
    assert report.added == rows - 1
    assert [(p.where, p.message) for p in report.problems] == [
        (f"line {rows + 1}", "the file ends in the middle of this row (it was cut short); left out")
    ]
    without_end = tmp_path / "whole" / "Connections.csv"
    without_end.parent.mkdir()
    without_end.write_bytes(whole.rstrip(b"\r\n"))  # complete, only without a last line break
    assert run_import(kw, "linkedin", without_end).problems == []
