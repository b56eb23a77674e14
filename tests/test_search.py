"""Search that forgives: close names suggested, matches marked without markup, `find` and `people` in the terminal."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.services import suggest
from knowwho.services.highlight import CLOSE, OPEN, Marked, from_snippet, mark_prefix, mark_words
from knowwho.services.people import PersonChanges
from tests.importers.helpers import cli, run_argv


@pytest.fixture
def network(kw: Knowwho) -> dict[str, int]:
    henry = kw.people.add("Henry Ford", organization="Ford Motor", tags=["cars"])
    ana = kw.people.add("Ana Lima", emails=["ana@acme.example"], organization="Acme", tags=["python"])
    ben = kw.people.add("Ben Ng")
    kw.people.edit(ben.id, PersonChanges(situation="migrating email to M365", needs="wants intros to hardware people"))
    return {"henry": henry.id, "ana": ana.id, "ben": ben.id}


# -- marking where a search matched ---------------------------------------------------


def test_a_snippet_becomes_plain_text_and_offsets() -> None:
    marked = from_snippet(f"{OPEN}Ben{CLOSE} Ng")
    assert marked == Marked("Ben Ng", ((0, 3),))
    assert marked.pieces() == [("Ben", True), (" Ng", False)]
    assert marked.as_dict() == {"text": "Ben Ng", "highlights": [[0, 3]]}
    # Brackets typed by a person are their text, not markers.
    assert from_snippet(f"[x] {OPEN}hardware{CLOSE}").pieces() == [("[x] ", False), ("hardware", True)]


def test_words_are_marked_as_the_index_matches_them() -> None:
    assert mark_words("Zoë Müller · Acme", ["zoe", "acm"]).highlights == ((0, 3), (13, 16))
    assert mark_words("Acme", ["globex"]).highlights == ()
    assert mark_prefix("ana@acme.example", "ANA@").highlights == ((0, 4),)


# -- "did you mean" -------------------------------------------------------------------


def test_close_words_allow_a_typo_but_not_a_different_name() -> None:
    vocabulary = ["henry", "ana", "lima", "ben", "ken", "hannah"]
    assert suggest.close_words("henri", vocabulary) == ["henry"]
    assert suggest.close_words("lma", vocabulary) == ["lima"]
    assert "ken" not in suggest.close_words("ben", vocabulary)
    assert suggest.query_words("Al Smth") == ["smth"]  # two letters are too few to correct


def test_rank_prefers_the_closest_name_then_the_earlier_candidate() -> None:
    candidates = [(1, "Hannah Cohen"), (2, "Ana Lima"), (3, "Ana Silva")]
    assert suggest.rank(["ana", "lma"], candidates, limit=2) == [2, 3]


@pytest.mark.parametrize(("typed", "meant"), [("henri", "henry"), ("Ana Lma", "ana"), ("anna", "ana")])
def test_nobody_matches_but_a_close_name_is_suggested(
    kw: Knowwho, network: dict[str, int], typed: str, meant: str
) -> None:
    found = kw.search.find(typed)
    assert found.hits == []
    assert [p.id for p in found.suggestions][:1] == [network[meant]]
    assert kw.search.people(typed) == []  # plain search stays exact


def test_suggestions_follow_changes_and_skip_removed_people(kw: Knowwho, network: dict[str, int]) -> None:
    assert [p.id for p in kw.search.find("henri").suggestions] == [network["henry"]]
    henri = kw.people.add("Henri Blanc")
    found = kw.search.find("henri")
    assert [h.person.id for h in found.hits] == [henri.id] and found.suggestions == []
    kw.people.remove(henri.id)
    kw.people.remove(network["henry"])
    assert kw.search.find("henri").suggestions == []
    assert kw.search.find("zzzzzz").suggestions == []


def test_matches_are_marked_in_every_field(kw: Knowwho, network: dict[str, int]) -> None:
    by_query = {q: kw.search.people(q)[0].matched for q in ("ben", "migrating", "acme", "ana@acme", "python")}
    assert by_query["ben"] == Marked("Ben Ng", ((0, 3),))
    assert by_query["migrating"].pieces()[0] == ("migrating", True)
    assert by_query["acme"] == Marked("Acme", ((0, 4),))
    assert by_query["ana@acme"].highlights == ((0, 8),)
    assert ("python", True) in by_query["python"].pieces()


# -- the terminal ---------------------------------------------------------------------


def _people(db: Path) -> None:
    for args in (
        ("add", "Henry Ford", "--org", "Ford Motor", "--tag", "cars"),
        ("add", "Ana Lima", "--org", "Acme", "--tag", "python", "--closeness", "5"),
        ("add", "Ben Ng", "--org", "Acme", "--tag", "python"),
        ("edit", "Ben", "--needs", "wants intros to hardware people"),
    ):
        assert cli(db, *args)[0] == 0, args


def test_find_says_did_you_mean(db_path: Path) -> None:
    _people(db_path)
    code, out, _ = cli(db_path, "find", "henri")
    assert code == 1 and out.strip() == "Nobody matches 'henri'. Did you mean Henry Ford (#1)?"
    assert "Did you mean Ana Lima (#2)?" in cli(db_path, "find", "Ana Lma")[1]
    assert "Did you mean Ana Lima (#2)?" in cli(db_path, "find", "anna")[1]
    code, out, _ = cli(db_path, "find", "qqqqqq")
    assert code == 1 and out.strip() == "Nobody matches 'qqqqqq'."
    found = json.loads(cli(db_path, "find", "henri", "--json")[1])
    assert found["hits"] == [] and found["suggestions"] == [
        {"id": 1, "name": "Henry Ford", "organization": "Ford Motor"}
    ]


def test_find_json_gives_plain_text_and_offsets(db_path: Path) -> None:
    _people(db_path)
    found = json.loads(cli(db_path, "find", "ben", "--json")[1])
    assert found["hits"][0]["matched"] == {"text": "Ben Ng", "highlights": [[0, 3]]}
    assert "[" not in json.dumps(found["hits"][0]["matched"]["text"])


def test_find_shows_the_matched_word_and_people_text_as_typed(db_path: Path) -> None:
    _people(db_path)
    code, out, _ = cli(db_path, "find", "hardware")
    assert code == 0 and "wants intros to hardware people" in out
    code, out, _ = cli(db_path, "add", "[bold]Hidden[/bold] Person")
    assert code == 0 and "[bold]Hidden[/bold] Person" in out
    assert "[bold]Hidden[/bold] Person" in cli(db_path, "find", "hidden")[1]
    for args in (("edit", "Hidden", "--location", "Lyon"), ("followup", "Hidden", "2026-12-01"),
                 ("cadence", "Hidden", "30d"), ("rm", "Hidden")):  # fmt: skip
        assert "[bold]Hidden[/bold] Person" in cli(db_path, *args)[1], args


def test_find_without_words_points_to_people(db_path: Path) -> None:
    _people(db_path)
    code, out, err = cli(db_path, "find", "")
    assert code == 2 and "Nobody matches" not in out + err and "knowwho people" in err


def test_people_lists_with_the_people_page_filters_and_sorts(db_path: Path) -> None:
    code, out, _ = cli(db_path, "people")
    assert code == 0 and "No people yet" in out
    _people(db_path)
    code, out, _ = cli(db_path, "people")
    assert code == 0 and out.index("Ana Lima") < out.index("Ben Ng") < out.index("Henry Ford")
    listed = json.loads(cli(db_path, "people", "--tag", "python", "--sort", "added", "--json")[1])
    assert [p["name"] for p in listed["people"]] == ["Ben Ng", "Ana Lima"] and listed["total"] == 2
    by_org = json.loads(cli(db_path, "people", "--org", "Ford Motor", "--json")[1])
    assert [p["name"] for p in by_org["people"]] == ["Henry Ford"]
    first = json.loads(cli(db_path, "people", "--limit", "2", "--json")[1])
    rest = json.loads(cli(db_path, "people", "--limit", "2", "--cursor", first["next_cursor"], "--json")[1])
    assert [p["name"] for p in first["people"] + rest["people"]] == ["Ana Lima", "Ben Ng", "Henry Ford"]
    assert "2 of 3 people" in cli(db_path, "people", "--limit", "2")[1]
    assert cli(db_path, "people", "--tier", "dormant", "--json")[0] == 0
    code, _, err = cli(db_path, "people", "--tier", "best")
    assert code == 2 and "unknown tier 'best'" in err
    code, _, err = cli(db_path, "people", "--sort", "bogus")
    assert code == 2 and "unknown sort 'bogus'" in err
    code, out, _ = cli(db_path, "people", "--tag", "nope")
    assert code == 1 and "Nobody matches these filters." in out


def test_people_pages_in_the_table_too_and_lists_beyond_two_hundred(kw: Knowwho, db_path: Path) -> None:
    """The hint under a page is the command for the next one; --limit is not held to one API page (200)."""
    for n in range(230):
        kw.people.add(f"Person {n:03}", tags=["many"] if n % 10 else [])
    everyone = json.loads(cli(db_path, "people", "--limit", "300", "--json")[1])
    assert len(everyone["people"]) == 230 and everyone["next_cursor"] == ""
    first = ["people", "--tag", "many", "--limit", "100", "--db", str(db_path)]
    pages, hints, args = [], [], first
    while args:
        code, out, _err = run_argv(args)
        assert code == 0
        pages.append([line.split()[2] for line in out.splitlines() if line.split()[1:2] == ["Person"]])
        shown, _sep, hint = out.splitlines()[-1].partition(" · next: ")
        hints.append(shown)
        args = shlex.split(hint)[1:]
        assert not args or args[:-1] == [*first, "--cursor"]
    assert [len(page) for page in pages] == [100, 100, 7]
    assert [name for page in pages for name in page] == [f"{n:03}" for n in range(230) if n % 10]
    assert hints[:2] == ["100 of 207 people", "100 more of 207 people"]


# -- job titles ----------------------------------------------------------------------------


def _titles_found(kw: Knowwho, query: str) -> list[str]:
    return [f"{h.person.display_name}: {h.matched.text}" for h in kw.search.people(query)]


def test_people_are_found_by_job_title_and_the_index_follows_edits_undo_and_removal(kw: Knowwho) -> None:
    yuki = kw.people.add("Yuki Li", organization="Upland Analytics", title="Data Scientist").id
    kw.people.add("Ola Ek", organization="Clinic", title="Physician")
    talk = kw.people.add("Tom Ray").id
    kw.interactions.log([talk], kind="email", direction="in", subject="our data scientist opening")
    assert _titles_found(kw, "data scientist") == [
        "Yuki Li: Data Scientist at Upland Analytics",  # a title before a conversation that mentions it
        "Tom Ray: our data scientist opening",
    ]
    assert _titles_found(kw, "scientist")[0] == "Yuki Li: Data Scientist at Upland Analytics"
    kw.people.edit(yuki, PersonChanges(title="Staff Statistician"))
    assert [h.person.id for h in kw.search.people("statistician")] == [yuki]
    assert yuki not in [h.person.id for h in kw.search.people("scientist")]
    kw.history.undo()
    assert yuki in [h.person.id for h in kw.search.people("scientist")]
    assert kw.search.people("statistician") == []
    kw.people.remove(yuki)
    assert yuki not in [h.person.id for h in kw.search.people("scientist")]


def test_a_database_from_before_title_search_gets_its_titles_indexed_on_upgrade(db_path: Path) -> None:
    import sqlite3

    first = Knowwho.open(db_path)
    first.people.add("Yuki Li", organization="Upland Analytics", title="Data Scientist")
    first.close()
    conn = sqlite3.connect(db_path)  # as a version without the title index left it
    for trigger in ("roles_fts_ai", "roles_fts_ad", "roles_fts_au"):
        conn.execute(f"DROP TRIGGER {trigger}")
    conn.execute("DROP TABLE roles_fts")
    conn.execute("PRAGMA user_version = 19")
    conn.commit()
    conn.close()
    upgraded = Knowwho.open(db_path)
    try:
        assert [h.person.display_name for h in upgraded.search.people("scientist")] == ["Yuki Li"]
    finally:
        upgraded.close()


def test_a_demo_network_is_found_by_title(kw: Knowwho) -> None:
    from knowwho.services.demo import generate_demo

    generate_demo(kw, people=60, workers=1)
    titled = kw.ctx.db.conn.execute("SELECT person_id, title FROM roles WHERE title != '' LIMIT 1").fetchone()
    assert titled[0] in [h.person.id for h in kw.search.people(titled[1], limit=200)]
