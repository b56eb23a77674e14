"""Introduction suggestions on hand-made contacts whose right pairs are written down, and the double opt-in."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput
from knowwho.services.intros import matching
from knowwho.services.people import PersonChanges
from tests.importers.helpers import cli


def _person(kw: Knowwho, name: str, *, closeness: int = 4, **fields: str) -> int:
    pid = kw.people.add(name).id
    kw.people.edit(pid, PersonChanges(closeness=closeness, **fields))  # type: ignore[arg-type]
    return pid


@pytest.fixture
def network(kw: Knowwho) -> dict[str, int]:
    """The right pairs: Ana–Ben (same migration), Hal–Ida (React need meets offer). Nobody else."""
    ids = {
        "ana": _person(kw, "Ana Lima", situation="migrating company email to Microsoft 365"),
        "ben": _person(kw, "Ben Cole", situation="moving our email to Microsoft 365"),
        "hal": _person(kw, "Hal Green", needs="a React mentor"),
        "ida": _person(kw, "Ida Ross", offers="React mentoring"),
        "zoe": _person(kw, "Zoe Park", situation="raising a seed round"),
        "uma": _person(kw, "Uma Diaz", needs="a good accountant"),
    }
    # Someone going through the same migration whom the user barely knows: never suggested.
    ids["dim"] = kw.people.add("Dim Faint").id
    kw.people.edit(ids["dim"], PersonChanges(situation="migrating company email to Microsoft 365"))
    return ids


def _pairs(kw: Knowwho) -> list[frozenset[int]]:
    return [frozenset((s.person_a_id, s.person_b_id)) for s in kw.intros.suggestions(limit=20)]


def test_the_right_pairs_and_nobody_else(kw: Knowwho, network: dict[str, int]) -> None:
    pairs = _pairs(kw)
    assert set(pairs) == {frozenset((network["ana"], network["ben"])), frozenset((network["hal"], network["ida"]))}
    found = {frozenset((s.person_a_id, s.person_b_id)): s for s in kw.intros.suggestions()}
    hal_ida = found[frozenset((network["hal"], network["ida"]))]
    assert hal_ida.reason == "Hal Green needs a React mentor, Ida Ross offers React mentoring"
    assert hal_ida.kind == "need-offer"
    assert "Microsoft 365" in found[frozenset((network["ana"], network["ben"]))].reason


def test_identical_situations_read_both(kw: Knowwho) -> None:
    a = _person(kw, "Ana Lima", situation="migrating company email to Microsoft 365")
    b = _person(kw, "Ben Cole", situation="Migrating company email to Microsoft 365")
    [only] = kw.intros.suggestions()
    assert {only.person_a_id, only.person_b_id} == {a, b}
    assert only.reason == "both migrating company email to Microsoft 365"


def test_score_is_match_times_geometric_mean_of_ties(kw: Knowwho, network: dict[str, int]) -> None:
    for s in kw.intros.suggestions():
        a, b = kw.people.get(s.person_a_id), kw.people.get(s.person_b_id)
        assert s.score == pytest.approx(s.match * (a.tie_strength * b.tie_strength) ** 0.5, abs=1e-3)


def test_people_who_know_each_other_are_never_suggested(kw: Knowwho, network: dict[str, int]) -> None:
    kw.network.knows(network["hal"], network["ida"])
    assert frozenset((network["hal"], network["ida"])) not in _pairs(kw)


def test_second_degree_people_are_never_suggested(kw: Knowwho, network: dict[str, int]) -> None:
    far = kw.network.add_through("Raj Far", via=network["zoe"], how="her cofounder")
    kw.db.conn.execute(
        "UPDATE people SET tie_strength = 0.9, situation = 'raising a seed round' WHERE id = ?", (far.id,)
    )
    assert all(far.id not in pair for pair in _pairs(kw))


def test_both_just_changed_jobs(kw: Knowwho) -> None:
    a = _person(kw, "Cai New", organization="Acme")  # type: ignore[arg-type]
    b = _person(kw, "Dee New", organization="Bolt")  # type: ignore[arg-type]
    [only] = kw.intros.suggestions()
    assert {only.person_a_id, only.person_b_id} == {a, b}
    assert only.reason.startswith("both just changed jobs")


def test_double_opt_in_to_made(kw: Knowwho, network: dict[str, int]) -> None:
    intro = kw.intros.introduce(network["hal"], network["ida"])
    assert intro.stage == "suggested"
    assert "React mentor" in intro.reason and "open to an introduction" in intro.drafts["a"]
    assert frozenset((network["hal"], network["ida"])) not in _pairs(kw)  # already introduced
    kw.intros.set_stage(intro.id, "asked-a")
    kw.intros.set_stage(intro.id, "asked-b")
    made = kw.intros.set_stage(intro.id, "made")
    assert made.stage == "made" and made.made_on == "2026-11-18"
    conn = kw.db.conn
    intros = conn.execute(
        "SELECT count(*) FROM interaction_participants p JOIN interactions i ON i.id = p.interaction_id WHERE i.kind = 'intro'"
    ).fetchone()[0]
    assert intros == 2
    gave = conn.execute(
        "SELECT person_id FROM ledger_entries WHERE direction = 'gave' AND what = 'intro' ORDER BY person_id"
    ).fetchall()
    assert [r[0] for r in gave] == sorted([network["hal"], network["ida"]])
    assert kw.ledger.balance(network["hal"]).given == 1
    with pytest.raises(InvalidInput):
        kw.intros.set_stage(intro.id, "made")
    kw.history.undo()  # made, undone as one
    assert conn.execute("SELECT count(*) FROM ledger_entries").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM interactions WHERE deleted_at IS NULL").fetchone()[0] == 0
    assert kw.intros.get(intro.id).stage == "asked-b"


def test_a_second_introduction_of_the_same_pair_is_refused(kw: Knowwho, network: dict[str, int]) -> None:
    kw.intros.introduce(network["hal"], network["ida"])
    with pytest.raises(InvalidInput, match="already"):
        kw.intros.introduce(network["ida"], network["hal"])
    with pytest.raises(InvalidInput, match="unknown stage"):
        kw.intros.set_stage(1, "maybe")


def test_last_suggestions_drop_pairs_introduced_since(kw: Knowwho, network: dict[str, int]) -> None:
    kw.intros.suggestions()
    _on, before = kw.intros.last_suggestions()
    assert len(before) == 2
    kw.intros.introduce(network["ana"], network["ben"])
    _on, after = kw.intros.last_suggestions()
    assert [frozenset((s.person_a_id, s.person_b_id)) for s in after] == [frozenset((network["hal"], network["ida"]))]


def test_matching_terms() -> None:
    assert matching.words("Migrating migrations") == ["migrat", "migrat"]
    assert "microsoft 365" in matching.terms("moving email to Microsoft 365")
    assert "#email-migration" in matching.terms("", ["Email-Migration"])
    assert "the" not in matching.terms("the to of")


def test_candidates_come_from_shared_terms_only() -> None:
    vecs = {1: {"a": 1.0}, 2: {"a": 1.0}, 3: {"b": 1.0}}
    scores = matching.pair_scores(vecs, vecs, strength={1: 1, 2: 1, 3: 1})
    assert set(scores) == {(1, 2)}
    needs, offers = {1: {"a": 1.0}, 2: {"b": 1.0}}, {2: {"a": 1.0}, 3: {"a": 1.0}}
    assert set(matching.pair_scores(needs, offers, strength={})) == {(1, 2), (1, 3)}


def test_people_who_wrote_the_same_are_paired_through_one_document() -> None:
    """Ana and Ben wrote one thing, Cy a close one, Di something else: documents pair first, then their writers."""
    same, close, other = {"a": 1.0}, {"a": 0.6, "b": 0.8}, {"c": 1.0}
    groups = [(same, [1, 2]), (close, [3]), (other, [4])]
    found = matching.group_scores(groups, groups, strength={})
    assert found == {(1, 2): 1.0, (1, 3): 0.6, (2, 3): 0.6}
    needs, offers = [(same, [5, 6])], [(close, [7, 8, 9])]
    assert set(matching.group_scores(needs, offers, strength={}, per_group=2)) == {(5, 7), (5, 8), (6, 7), (6, 8)}


def test_a_large_group_pairs_only_its_strongest_ties_and_the_list_stays_varied(kw: Knowwho) -> None:
    """Twelve raise a seed round, the closest first: 0–1, then 2–3 (the phrase's last early place), then 0–2.

    Asking for three pairs reads only the eight strongest ties; asking for fifty begins the same way.
    """
    ids = [_person(kw, f"Member {n}", closeness=5 - n // 4, situation="raising a seed round") for n in range(12)]
    expected = [frozenset((ids[0], ids[1])), frozenset((ids[2], ids[3])), frozenset((ids[0], ids[2]))]
    for limit in (3, 50):
        found = [frozenset((s.person_a_id, s.person_b_id)) for s in kw.intros.suggestions(limit=limit)]
        assert found[:3] == expected and len(found) == min(limit, 66)


def test_cli_intros_and_intro(db_path: Path, kw: Knowwho, network: dict[str, int]) -> None:
    code, out, _ = cli(db_path, "intros", "--json")
    assert code == 0 and len(json.loads(out)["suggestions"]) == 2
    code, out, _ = cli(db_path, "intro", "Hal", "Ida")
    assert code == 0 and "Ask Hal Green" in out and "Introduction #1" in out
    code, out, _ = cli(db_path, "intro", "1", "--stage", "made", "--json")
    assert code == 0 and json.loads(out)["stage"] == "made"
    code, _, err = cli(db_path, "intro", "1", "--stage", "made")
    assert code == 2 and "Traceback" not in err and "knowwho undo" in err
    for command in ("intros", "intro", "share", "shared", "gave", "got", "advocates"):
        code, out, _ = cli(db_path, command, "--help")
        assert code == 0 and "Usage" in out


def test_today_shows_the_kept_suggestions(kw: Knowwho, network: dict[str, int]) -> None:
    assert not [i for i in kw.agenda.today().items if i.action == "introduce"]  # nothing kept yet
    kw.intros.suggestions()  # what `knowwho intros` does
    items = [i for i in kw.agenda.today().items if i.action == "introduce"]
    assert len(items) == 2 and "React mentor" in " ".join(i.reason for i in items)
    kw.intros.introduce(network["hal"], network["ida"])
    assert len([i for i in kw.agenda.today().items if i.action == "introduce"]) == 1


def test_todays_introduce_and_give_back_items_can_be_done_dismissed_and_undone(
    kw: Knowwho, network: dict[str, int]
) -> None:
    kw.intros.suggestions()
    first, second = [i for i in kw.agenda.today().items if i.action == "introduce"]
    said = kw.agenda.done(first.key)
    # Done asked both sides (the double opt-in): an email to each is logged; `knowwho intro` goes on from there.
    assert said.startswith("done: introduction of") and " and " in said and "logged an email to each" in said
    kw.agenda.dismiss(second.key)
    assert not [i for i in kw.agenda.today().items if i.action == "introduce"]
    kw.history.undo()
    assert [i.key for i in kw.agenda.today().items if i.action == "introduce"] == [second.key]


def test_kept_suggestions_are_not_exported(kw: Knowwho, network: dict[str, int], tmp_path: Path) -> None:
    from knowwho.services import exports

    kw.intros.suggestions()  # kept for today's list
    exports.export_json(kw, tmp_path / "backup.json")
    assert "cache.intros.suggestions" not in (tmp_path / "backup.json").read_text(encoding="utf-8")
