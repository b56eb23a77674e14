"""Adding someone already known: refused with their id, merged on request, or flagged as a likely match."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.errors import AlreadyKnown
from tests.importers.helpers import cli, snapshot


@pytest.fixture
def kim(kw: Knowwho) -> int:
    kw.people.add("Bo Chen")
    return kw.people.add("Kim Other", emails=["kim@x.org"], organization="Learning Maple").id


def test_add_with_a_known_email_is_refused_with_the_id(kw: Knowwho, db_path: Path, kim: int) -> None:
    before = snapshot(kw)
    code, out, err = cli(db_path, "add", "Kim O.", "--email", "KIM@x.org", "--phone", "+1 555 0100")
    assert code == 2 and out == ""
    assert err.startswith(f"knowwho: kim@x.org is already #{kim} Kim Other; edit them, or add with merge")
    assert err.count("\n") == 1 and "Traceback" not in err
    assert snapshot(kw) == before  # nothing written


def test_add_with_a_known_profile_url_is_refused(kw: Knowwho, kim: int) -> None:
    kw.people.edit(kim, _changes(add_links=["https://www.linkedin.com/in/kim-other"]))
    with pytest.raises(AlreadyKnown, match=f"is already #{kim} Kim Other") as refused:
        kw.people.add("Kim", links=["https://linkedin.com/in/Kim-Other/"])  # written otherwise, same profile
    assert refused.value.person_id == kim and refused.value.exit_code == 2


def test_add_merge_puts_the_details_on_the_known_person_in_one_change(kw: Knowwho, db_path: Path, kim: int) -> None:
    before = snapshot(kw)
    code, out, err = cli(db_path, "add", "Kim O.", "-e", "kim@x.org", "-e", "kim@home.test", "--phone",
                         "+1 555 0100", "--org", "Acme", "--tag", "pycon", "--met", "PyCon", "--merge")  # fmt: skip
    assert code == 0, err
    assert out.startswith(f"Added to #{kim} Kim Other") and err == ""
    person = kw.people.get(kim)
    assert person.display_name == "Kim Other" and kw.people.count() == 2  # no second record
    assert person.emails == ["kim@x.org", "kim@home.test"] and person.phones == ["+15550100"]
    assert person.tags == ["pycon"] and person.how_met == "PyCon"
    assert {r.organization for r in person.roles} == {"Learning Maple", "Acme"}
    assert kw.history.undo() == "added details to Kim Other"  # one change, undone as a whole
    assert snapshot(kw) == before


def test_merge_without_a_match_adds_someone_new(kw: Knowwho, kim: int) -> None:
    added = kw.people.add("Raj Patel", emails=["raj@globex.test"], on_match="merge")
    assert added.id != kim and kw.people.count() == 3


def test_a_likely_match_by_name_warns_and_still_adds(kw: Knowwho, db_path: Path, kim: int) -> None:
    code, out, err = cli(db_path, "add", "Kim Other", "--email", "kim@home.test")
    assert code == 0 and out.startswith("Added #3 Kim Other")
    assert err == f"knowwho: #3 may be #{kim} Kim Other (same name); if so: knowwho merge '#{kim}' '#3'\n"
    assert kw.people.count() == 3


def test_likely_matches_use_the_duplicate_rules(kw: Knowwho, kim: int) -> None:
    jon = kw.people.add("John Smith", organization="Acme").id
    assert [m.person_id for m in kw.people.likely_matches("Jon Smyth", organization="acme")] == [jon]
    match = kw.people.likely_matches("kim other", organization="learning maple")[0]
    assert (match.person_id, match.evidence) == (kim, ["same name", "same organization (Learning Maple)"])
    assert kw.people.likely_matches("Jane Smith") == []  # a shared family name is not a shared person
    assert kw.people.likely_matches("Ana Lima") == []


def _changes(**fields: object):  # type: ignore[no-untyped-def]
    from knowwho.services.people import PersonChanges

    return PersonChanges(**fields)  # type: ignore[arg-type]


def test_dupes_shows_the_evidence_side_by_side_with_names_as_written(kw: Knowwho, db_path: Path) -> None:
    first = kw.people.add("Kim Other", emails=["kim@x.org"], organization="Learning Maple").id
    second = kw.people.add("Kim Other", phones=["+1 555 0100"], organization="learning maple").id
    kw.interactions.log([first], kind="coffee")
    pair = kw.duplicates.candidates()[0]
    assert pair.evidence == ["same name", "same organization (Learning Maple)"]
    assert pair.keep is not None and pair.other is not None
    assert (pair.keep.emails, pair.other.phones) == (["kim@x.org"], ["+15550100"])
    code, out, _err = cli(db_path, "dupes")
    out = " ".join(out.split())  # the table wraps to the terminal's width
    assert code == 0 and "Learning" in out and "learning" not in out
    assert all(word in out for word in ("kim@x.org", "+15550100", "conversation", "never"))
    code, out, _err = cli(db_path, "dupes", "--json")
    data = json.loads(out)[0]
    assert data["keep"]["conversations"] == 1 and data["other"]["phones"] == ["+15550100"]
    assert data["keep"]["organizations"] == [{"name": "Learning Maple", "title": "", "current": True}]
    assert data["not"] == f"knowwho dupes --not '#{first}' '#{second}'"
    assert data["evidence"] == ["same name", "same organization (Learning Maple)"]


def test_dupes_not_is_remembered_undoable_and_kept_through_a_merge(kw: Knowwho, db_path: Path) -> None:
    first = kw.people.add("Kim Other", organization="Acme").id
    second = kw.people.add("Kim Other", organization="Acme").id
    code, out, _err = cli(db_path, "dupes", "--not", f"#{first}", f"#{second}")
    assert code == 0 and "will not be proposed again" in " ".join(out.split())
    assert cli(db_path, "dupes")[1] == "No likely duplicates.\n"
    assert cli(db_path, "undo")[0] == 0
    assert [(p.keep_id, p.other_id) for p in kw.duplicates.candidates()] == [(first, second)]
    kw.duplicates.mark_different(second, first)
    third = kw.people.add("Kim Other", emails=["kim@elsewhere.test"], organization="Acme").id
    kw.duplicates.merge(second, third)  # the record kept apart grows; it is still not the first
    assert kw.duplicates.candidates() == []
    assert cli(db_path, "dupes", "--not", f"#{first}", f"#{first}")[0] == 2
