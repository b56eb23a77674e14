"""Duplicates: candidates by blocking and fuzzy scores, and merges that keep everything and undo exactly."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput, NotFound
from knowwho.services import duplicates
from knowwho.services.imports import run_import
from knowwho.storage import people as people_store
from knowwho.storage import provenance as provenance_store
from tests.importers.helpers import cli, snapshot

LINKEDIN = Path(__file__).parent / "data" / "linkedin" / "Connections_notes_preamble_bom.csv"


def _pairs(kw: Knowwho) -> dict[tuple[str, str], duplicates.DuplicatePair]:
    return {(p.keep_name, p.other_name): p for p in kw.duplicates.candidates()}


def test_candidates_come_from_name_organization_sound_and_phone(kw: Knowwho) -> None:
    kw.people.add("John Smith", organization="Acme")
    kw.people.add("Jon Smyth", organization="Acme")  # sounds alike: metaphone block
    kw.people.add("Ana Lima", phones=["+1 415 555 0100"])
    kw.people.add("Ana L.", phones=["(415) 555-0100"])  # same phone, written otherwise
    kw.people.add("Dr. Chloé Dubois", emails=["chloe@initech.test"])
    kw.people.add("Chloe Dubois", emails=["c.dubois@initech.test"])  # same name once accents and titles go
    kw.people.add("Bo Chen", organization="Globex")
    kw.people.add("Priya Raman", organization="Globex")
    pairs = _pairs(kw)
    assert set(pairs) == {("John Smith", "Jon Smyth"), ("Ana Lima", "Ana L."), ("Dr. Chloé Dubois", "Chloe Dubois")}
    assert "same organization (Acme)" in pairs["John Smith", "Jon Smyth"].evidence
    assert "same phone" in pairs["Ana Lima", "Ana L."].evidence
    chloe = pairs["Dr. Chloé Dubois", "Chloe Dubois"]
    assert chloe.evidence == ["same name", "email at the same domain (initech.test)"] and chloe.score == 0.8
    assert all(0 < p.score <= 1 for p in pairs.values())


def test_a_full_name_within_a_longer_one_is_a_candidate(kw: Knowwho) -> None:
    kw.people.add("Mr. John Richter James Doe Sr.", organization="IBM")
    kw.people.add("John Doe", organization="IBM")
    kw.people.add("John", organization="IBM")  # one word says too little
    assert set(_pairs(kw)) == {("Mr. John Richter James Doe Sr.", "John Doe")}


def test_blocking_never_compares_all_pairs(kw: Knowwho, monkeypatch: pytest.MonkeyPatch) -> None:
    syllables = ["ka", "lo", "mi", "ne", "su", "ta", "vo", "ri", "ze", "pu"]
    with kw.db.transaction() as conn:
        for n in range(600):
            given = "".join(syllables[(n // 10**i) % 10] for i in range(3)).capitalize()
            family = "".join(syllables[(n * 7 // 10**i) % 10] for i in range(4)).capitalize()
            people_store.insert(conn, now="2026-01-01 00:00:00", display_name=f"{given} {family}",
                                given_name=given, family_name=family)  # fmt: skip
    calls = 0
    real = duplicates.score_pair

    def counting(
        a: duplicates._Person, b: duplicates._Person, min_score: float = 0.0
    ) -> duplicates.DuplicatePair | None:
        nonlocal calls
        calls += 1
        return real(a, b, min_score)

    monkeypatch.setattr(duplicates, "score_pair", counting)
    kw.duplicates.candidates()
    assert calls < 600 * 599 // 2 // 20


def _full_pair(kw: Knowwho) -> tuple[int, int, int]:
    """Two records of one person, each with something of every kind, and a third person they know."""
    a = kw.people.add("Ana Lima", emails=["ana@acme.test", "shared@x.test"], phones=["+44 20 7946 0958"],
                      organization="Acme", title="Engineer", tags=["pycon"], note="Likes tea", closeness=4).id  # fmt: skip
    b = kw.people.add("Ana M. Lima", emails=["ana@home.test"], phones=["+44 7700 900123"],
                      organization="Acme", title="engineer", tags=["climbing"], note="Has a dog",
                      links=["https://www.linkedin.com/in/ana-lima"], how_met="PyCon 2019",
                      first_met_on="2019-05-01", location="Lisbon").id  # fmt: skip
    c = kw.people.add("Bo Chen").id
    with kw.db.transaction() as conn:
        org = conn.execute("SELECT id FROM organizations WHERE name = 'Acme'").fetchone()[0]
        people_store.insert_role(conn, person_id=b, organization_id=org + 0, title="Intern", start_on="2015-01-01",
                                 end_on="2016-01-01", is_current=False)  # fmt: skip
        people_store.add_addresses(conn, b, ["1 Rua X, Lisbon"], "home")
        people_store.add_emails(conn, b, ["shared@x.test"])  # as an import would have it
        now = "2026-11-18 15:00:00"
        provenance_store.add(
            conn, entity="person", entity_id=b, source="vcard", file="a.vcf", external_id="uid-b", now=now
        )
        provenance_store.add_knows(conn, b, c, source="me", confidence=1.0, now=now)
        provenance_store.add_knows(conn, a, b, source="same-organization", confidence=0.5, now=now)
        event = conn.execute(
            "INSERT INTO events (name, starts_on, created_at) VALUES ('PyCon', '2019-05-01', ?)", (now,)
        ).lastrowid
        conn.execute(
            "INSERT INTO event_people (event_id, person_id, note) VALUES (?, ?, 'met at the booth')", (event, b)
        )
        opp = conn.execute(
            "INSERT INTO opportunities (organization_id, role_title, created_at, updated_at) VALUES (?, 'SRE', ?, ?)",
            (org, now, now),
        ).lastrowid
        conn.execute(
            "INSERT INTO opportunity_people (opportunity_id, person_id, part) VALUES (?, ?, 'referrer')", (opp, b)
        )
        conn.execute(
            "INSERT INTO introductions (person_a_id, person_b_id, created_at, updated_at) VALUES (?, ?, ?, ?)",
            (c, b, now, now),
        )
        conn.execute(
            "INSERT INTO ledger_entries (person_id, direction, what, occurred_on, created_at) VALUES (?, 'gave', 'intro', '2026-01-01', ?)",
            (b, now),
        )
    kw.interactions.log([b], kind="email", direction="in", note="hello")
    kw.interactions.log([a, b, c], kind="meeting", note="all three")
    kw.followups.add(b, date(2026, 11, 20), note="send the slides")
    return a, b, c


def test_a_merge_keeps_everything_of_both_and_undo_restores_both_exactly(kw: Knowwho) -> None:
    a, b, c = _full_pair(kw)
    before = snapshot(kw)
    merged = kw.duplicates.merge(a, b)
    assert merged.emails == ["ana@acme.test", "shared@x.test", "ana@home.test"]
    assert merged.phones == ["+442079460958", "+447700900123"] and merged.tags == ["climbing", "pycon"]
    assert merged.links == ["https://www.linkedin.com/in/ana-lima"]
    assert [(r.organization, r.title, r.is_current) for r in merged.roles] == [("Acme", "Engineer", True),
                                                                                ("Acme", "Intern", False)]  # fmt: skip
    assert (merged.how_met, merged.first_met_on, merged.location, merged.closeness) == ("PyCon 2019", "2019-05-01",
                                                                                       "Lisbon", 4)  # fmt: skip
    assert {n.body for n in kw.interactions.notes_for(a)} == {"Likes tea", "Has a dog"}
    assert {i.notes for i in kw.interactions.for_person(a)} == {"hello", "all three"}
    assert merged.interaction_count == 2 and merged.last_inbound_at is not None  # derived stats refreshed
    assert [f.note for f in kw.followups.for_person(a)] == ["send the slides"]

    def rows(sql: str) -> list[tuple[object, ...]]:
        return [tuple(r) for r in kw.db.conn.execute(sql)]

    assert rows("SELECT person_a_id, person_b_id FROM knows") == [(a, c)]  # the edge between the two is dropped
    assert rows("SELECT person_id FROM event_people") == [(a,)]
    assert rows("SELECT person_id FROM opportunity_people") == [(a,)]
    assert rows("SELECT person_b_id FROM introductions") == [(a,)]
    assert rows("SELECT person_id FROM ledger_entries") == [(a,)]
    assert rows("SELECT entity_id FROM provenance WHERE external_id = 'uid-b'") == [(a,)]
    assert rows(f"SELECT address FROM person_addresses WHERE person_id = {a}") == [("1 Rua X, Lisbon",)]
    gone = rows(f"SELECT deleted_at, merged_into_id FROM people WHERE id = {b}")[0]
    assert gone[0] is not None and gone[1] == a
    with pytest.raises(NotFound):
        kw.people.get(b)
    assert kw.history.undo() == "merged #2 Ana M. Lima into #1 Ana Lima"
    assert snapshot(kw) == before


def test_merge_refuses_the_same_person_and_removed_people(kw: Knowwho) -> None:
    a = kw.people.add("Ana Lima").id
    b = kw.people.add("Bo Chen").id
    with pytest.raises(InvalidInput):
        kw.duplicates.merge(a, a)
    kw.people.remove(b)
    with pytest.raises(NotFound):
        kw.duplicates.merge(a, b)


def test_a_reimport_after_a_merge_brings_nobody_back(kw: Knowwho) -> None:
    run_import(kw, "linkedin", LINKEDIN)
    ana, bo = kw.people.resolve_id("Ana Lima"), kw.people.resolve_id("Bo Chen")
    kw.duplicates.merge(ana, bo)
    again = run_import(kw, "linkedin", LINKEDIN)
    assert (again.added, again.merged) == (0, 0)
    assert kw.people.count() == 3


def test_dupes_merge_and_undo_commands(db_path: Path) -> None:
    cli(db_path, "add", "John Smith", "--org", "Acme", "--email", "john@acme.test")
    cli(db_path, "add", "Jon Smyth", "--org", "Acme", "--phone", "+1 415 555 0100")
    code, out, _ = cli(db_path, "dupes", "--json")
    assert code == 0
    [pair] = json.loads(out)
    assert (pair["keep"]["name"], pair["other"]["name"]) == ("John Smith", "Jon Smyth")
    assert pair["merge"] == "knowwho merge '#1' '#2'" and "same organization (Acme)" in pair["evidence"]
    code, out, _ = cli(db_path, "dupes")
    assert code == 0 and "Jon Smyth" in out and "knowwho merge" in out
    code, out, _ = cli(db_path, "merge", "#1", "#2")
    assert code == 0 and "Merged Jon Smyth (#2) into #1 John Smith" in out
    code, out, _ = cli(db_path, "show", "#1", "--json")
    assert json.loads(out)["phones"] == ["+14155550100"]
    assert cli(db_path, "dupes", "--json")[1].strip() == "[]"
    code, out, _ = cli(db_path, "undo")
    assert code == 0 and "Undid: merged #2 Jon Smyth into #1 John Smith." in out
    assert json.loads(cli(db_path, "show", "#2", "--json")[1])["name"] == "Jon Smyth"
    code, _out, err = cli(db_path, "merge", "#1", "#1")
    assert code == 2 and "themselves" in err


def test_a_shared_family_name_with_different_given_names_is_not_a_duplicate(kw: Knowwho) -> None:
    kw.people.add("John Doe", emails=["john.doe@company.com"])
    kw.people.add("Jane Doe", emails=["jane.doe@company.com"])
    kw.people.add("Jon Doe", emails=["jd@company.com"])
    names = {frozenset((p.keep_name, p.other_name)) for p in kw.duplicates.candidates()}
    assert frozenset(("John Doe", "Jane Doe")) not in names
    assert frozenset(("John Doe", "Jon Doe")) in names
