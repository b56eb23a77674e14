"""History and undo: every change can be taken back, exactly, and only the change asked for."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowwho.clock import fixed_clock
from knowwho.core import Knowwho
from knowwho.errors import AlreadyKnown, InvalidInput, NothingToUndo
from knowwho.services.people import PersonChanges
from knowwho.storage import dump
from tests.conftest import NOW
from tests.importers.helpers import cli


def export(kw: Knowwho) -> dict[str, list[dict[str, Any]]]:
    """What `knowwho export json` holds: every table of the user's network, row by row."""
    conn = kw.db.conn
    return {spec.name: list(dump.iter_rows(conn, spec)) for spec in dump.table_specs(conn)}


def test_undo_after_dismiss_brings_the_item_back_and_keeps_the_email(db_path: Path) -> None:
    assert cli(db_path, "add", "Zed Quinn")[0] == 0
    assert cli(db_path, "log", "zed", "--kind", "email", "--direction", "in", "--date", "4 days ago")[0] == 0
    code, listing, _ = cli(db_path, "today")
    assert code == 0 and "Zed Quinn" in listing and "reply" in listing
    assert cli(db_path, "dismiss", "1")[0] == 0
    assert "Zed Quinn" not in cli(db_path, "today")[1]
    code, out, _ = cli(db_path, "undo")
    assert code == 0 and out.strip() == "Undid: dismissed reply to Zed Quinn."
    assert "Zed Quinn" in cli(db_path, "today")[1]  # the item is back
    code, shown, _ = cli(db_path, "show", "zed")
    assert "email" in shown  # and the email was never touched


def test_undo_after_cadence_reverses_the_cadence_not_the_coffee(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima")
    kw.interactions.log([ana.id], kind="coffee")
    kw.people.set_cadence(ana.id, 60)
    assert kw.history.undo() == "set keep-in-touch with Ana Lima to every 60 days"
    assert kw.people.get(ana.id).cadence_days is None
    assert len(kw.interactions.for_person(ana.id)) == 1


@pytest.mark.parametrize(
    ("act", "description"),
    [
        (lambda kw, pid: kw.interactions.add_note(pid, "likes sailing"), "added a note on Ana Lima"),
        (
            lambda kw, pid: kw.followups.add(pid, NOW.date() + timedelta(days=3)),
            "planned a follow-up with Ana Lima on 2026-11-21",
        ),
        (lambda kw, pid: kw.people.remove(pid), "removed Ana Lima"),
    ],
)
def test_each_change_is_recorded_and_undone_alone(kw: Knowwho, act: Any, description: str) -> None:
    ana = kw.people.add("Ana Lima", emails=["ana@lima.org"])
    before = export(kw)
    act(kw, ana.id)
    assert export(kw) != before
    assert kw.history.undo() == description
    assert export(kw) == before


def test_undo_of_an_import_removes_it_as_a_whole(kw: Knowwho) -> None:
    from knowwho.services.imports import run_import

    kw.people.add("Ana Lima")
    before = export(kw)
    report = run_import(kw, "vcard", Path(__file__).parent / "data" / "vcard" / "ezvcard_John_Doe_ANDROID.vcf")
    assert report.added > 1
    assert kw.history.latest() == "imported ezvcard_John_Doe_ANDROID.vcf (vcard)"
    kw.history.undo()
    assert export(kw) == before


def test_history_lists_changes_and_undo_id_takes_back_an_older_one(db_path: Path) -> None:
    for args in (("add", "Ana Lima"), ("add", "Bo Chen"), ("cadence", "ana", "30d"), ("log", "bo", "--kind", "call")):
        assert cli(db_path, *args)[0] == 0
    code, out, _ = cli(db_path, "history")
    lines = [line.split(None, 1) for line in out.strip().splitlines()[1:]]
    assert code == 0 and [number for number, _rest in lines] == ["4", "3", "2", "1"]
    assert "logged a call with Bo Chen" in out and "set keep-in-touch with Ana Lima" in out
    code, out, _ = cli(db_path, "undo", "3")  # the cadence, older than the call
    assert code == 0 and out.strip() == "Undid: set keep-in-touch with Ana Lima to every 30 days."
    kw = Knowwho.open(db_path, clock=fixed_clock(NOW))
    assert kw.people.resolve("ana").cadence_days is None and kw.people.resolve("bo").last_interaction_at
    assert "(undone)" in cli(db_path, "history")[1]
    code, _, err = cli(db_path, "undo", "3")
    assert code == 2 and err.strip().endswith(
        "change #3 (set keep-in-touch with Ana Lima to every 30 days) was already undone"
    )


def test_undo_id_refuses_when_a_later_change_depends_on_it(kw: Knowwho) -> None:
    bo = kw.people.add("Bo Chen")
    added = kw.history.recent()[0].id
    kw.interactions.add_note(bo.id, "met at PyCon")  # the note would go with Bo
    with pytest.raises(InvalidInput, match=r"can't undo #1 \(added Bo Chen\) alone: later changes to notes"):
        kw.history.undo(added)
    kw.interactions.log([bo.id], kind="call")  # the call changed Bo's record (last spoke)
    with pytest.raises(InvalidInput, match=r"#3 \(logged a call with Bo Chen\) changed the same records"):
        kw.history.undo(added)
    assert len(kw.interactions.notes_for(bo.id)) == 1 and len(kw.interactions.for_person(bo.id)) == 1
    assert kw.history.undo(3) == "logged a call with Bo Chen"  # the latest, then the one before
    assert kw.history.undo(2) == "added a note on Bo Chen"
    assert kw.history.undo(added) == "added Bo Chen" and kw.people.count() == 0


def test_nothing_to_undo_and_no_entry_for_a_change_that_wrote_nothing(kw: Knowwho) -> None:
    with pytest.raises(NothingToUndo):
        kw.history.undo()
    with pytest.raises(InvalidInput):
        kw.people.add("")
    assert kw.history.recent() == []


# -- the property: after each undo the export is what it was before the undone change ----------
_OPS = st.lists(
    st.one_of(
        st.tuples(st.just("add"), st.sampled_from(["Ana Lima", "Ana M. Lima", "Bo Chen", "Cy Dee"])),
        st.tuples(st.just("edit"), st.integers(0, 5)),
        st.tuples(st.just("log"), st.integers(0, 5)),
        st.tuples(st.just("merge"), st.integers(0, 5)),
        st.tuples(st.just("rm"), st.integers(0, 5)),
        st.tuples(st.just("done"), st.integers(1, 3)),
        st.tuples(st.just("dismiss"), st.integers(1, 3)),
        st.tuples(st.just("undo"), st.just(0)),
    ),
    min_size=1,
    max_size=14,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=_OPS)
def test_undo_restores_the_export_before_the_undone_change(tmp_path: Path, ops: list[tuple[str, Any]]) -> None:
    db = tmp_path / f"property-{abs(hash(tuple(ops)))}.db"
    kw = Knowwho.open(db, clock=fixed_clock(NOW))
    try:
        befores: list[dict[str, Any]] = []
        for op, arg in ops:
            before = export(kw)
            if op == "undo":
                if befores:
                    kw.history.undo()
                    assert export(kw) == befores.pop()
                continue
            if _apply(kw, op, arg):
                befores.append(before)
            else:
                assert export(kw) == before  # a refused change leaves nothing behind
    finally:
        kw.close()


def _apply(kw: Knowwho, op: str, arg: Any) -> bool:
    """Run one user action; False when it was refused (nothing to act on)."""
    people = [p for p in kw.people.get_many(_live_ids(kw))]
    if op == "add":
        try:
            kw.people.add(arg, emails=[f"{arg.split()[0].lower()}{len(people)}@example.org"])
        except AlreadyKnown:  # that email is already someone's (kept through a merge)
            return False
        return True
    if not people:
        return False
    person = people[arg % len(people)] if isinstance(arg, int) else people[0]
    if op == "edit":
        kw.people.edit(person.id, PersonChanges(location=f"City {arg}", organization="Acme", add_tags=["t"]))
    elif op == "log":
        kw.interactions.log([person.id], kind="email", direction="in", when=NOW - timedelta(days=arg + 2))
    elif op == "merge":
        if len(people) < 2:
            return False
        kw.duplicates.merge(people[0].id, people[-1].id)
    elif op == "rm":
        kw.people.remove(person.id)
    else:
        agenda = kw.agenda.today()
        if len(agenda.items) < arg:
            return False
        key = agenda.items[arg - 1].key
        kw.agenda.done(key) if op == "done" else kw.agenda.dismiss(key)
    return True


def _live_ids(kw: Knowwho) -> list[int]:
    rows = kw.db.conn.execute("SELECT id FROM people WHERE deleted_at IS NULL ORDER BY id").fetchall()
    return [int(r[0]) for r in rows]
