"""People: add, resolve what the user types, edit, remove and undo, search."""

from __future__ import annotations

import pytest

from knowwho.core import Knowwho
from knowwho.errors import Ambiguous, InvalidInput, NotFound, NothingToUndo
from knowwho.services.people import PersonChanges


def test_add_keeps_everything_typed(kw: Knowwho) -> None:
    person = kw.people.add(
        "Ana de la Cruz", emails=["Ana@Example.org"], phones=["+44 20 7946 0958"], organization="Acme",
        title="CTO", tags=["Machine Learning"], how_met="PyCon", note="Loves climbing",
    )  # fmt: skip
    assert (person.given_name, person.family_name) == ("Ana", "de la Cruz")
    assert person.emails == ["ana@example.org"]
    assert person.phones == ["+442079460958"]
    assert person.tags == ["machine-learning"]
    assert person.roles[0].organization == "Acme" and person.roles[0].title == "CTO"
    assert person.first_met_on is None  # how they met ("PyCon") says nothing of when
    assert kw.interactions.notes_for(person.id)[0].body == "Loves climbing"


@pytest.mark.parametrize(
    ("name", "emails", "problem"),
    [
        ("", [], "name: must not be empty"),
        ("\x00", [], "name: must not be empty"),
        ("\x1b\x07\x7f", [], "name: must not be empty"),
        ("Bo", ["not-an-email"], "not an email"),
    ],
)
def test_add_rejects_bad_input(kw: Knowwho, name: str, emails: list[str], problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem):
        kw.people.add(name, emails=emails)
    assert kw.people.count() == 0


def test_control_characters_in_a_name_become_spaces(kw: Knowwho) -> None:
    """A NUL, an escape sequence or a line break pasted into a name would garble every list, export and terminal."""
    assert kw.people.add("Ana\x00Lima").display_name == "Ana Lima"
    bo = kw.people.add("\x1bBo\r\nChen\x07 ")
    assert (bo.display_name, bo.given_name, bo.family_name) == ("Bo Chen", "Bo", "Chen")
    assert kw.people.edit(bo.id, PersonChanges(name="Bo\tChen")).display_name == "Bo Chen"


@pytest.mark.parametrize("ref", ["#99999999999999999999", "#²", "#٣", "#" + "9" * 5000])
def test_an_id_no_record_can_have_is_nobody(kw: Knowwho, ref: str) -> None:
    kw.people.add("Ana Lima", organization="Acme")
    with pytest.raises(NotFound):
        kw.people.resolve(ref)
    with pytest.raises(NotFound):
        kw.organizations.resolve(ref)
    with pytest.raises(NotFound):
        kw.paths.find(organization=ref)


def test_a_name_part_with_control_characters_is_read_as_spaces(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima")
    assert kw.people.resolve_id("Lim\x00") == ana.id
    assert kw.paths.find(person="An\x00 Li") is not None


def test_resolve_by_email_name_part_and_id(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima", emails=["ana@lima.org"])
    kw.people.add("Bruno Lima")
    assert kw.people.resolve_id("ana@lima.org") == ana.id
    assert kw.people.resolve_id("ana") == ana.id
    assert kw.people.resolve_id("Ana Lima") == ana.id
    assert kw.people.resolve_id(f"#{ana.id}") == ana.id
    with pytest.raises(Ambiguous) as found:
        kw.people.resolve_id("lima")
    assert len(found.value.candidates) == 2
    with pytest.raises(NotFound):
        kw.people.resolve_id("nobody")


def test_edit_and_undo_restore_the_person(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima", emails=["ana@lima.org"], organization="Acme", title="Engineer", tags=["python"])
    kw.people.edit(
        ana.id,
        PersonChanges(name="Ana Lima Souza", organization="Globex", title="CTO", add_emails=["ana@globex.com"],
                      remove_tags=["python"], add_tags=["leadership"], situation="changing jobs"),
    )  # fmt: skip
    edited = kw.people.get(ana.id)
    assert edited.display_name == "Ana Lima Souza" and edited.situation == "changing jobs"
    assert [(r.organization, r.is_current) for r in edited.roles] == [("Globex", True), ("Acme", False)]
    assert set(edited.emails) == {"ana@lima.org", "ana@globex.com"} and edited.tags == ["leadership"]
    assert kw.history.undo() == "edited Ana Lima"
    back = kw.people.get(ana.id)
    assert back.display_name == "Ana Lima" and back.situation == ""
    assert [(r.organization, r.is_current) for r in back.roles] == [("Acme", True)]
    assert back.emails == ["ana@lima.org"] and back.tags == ["python"]


def test_remove_and_undo(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima")
    kw.people.remove(ana.id)
    with pytest.raises(NotFound):
        kw.people.resolve_id("Ana")
    kw.history.undo()
    assert kw.people.resolve_id("Ana") == ana.id
    assert kw.history.undo() == "added Ana Lima"
    assert kw.people.count() == 0
    with pytest.raises(NothingToUndo):
        kw.history.undo()


def test_undo_a_logged_interaction(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima")
    kw.interactions.log([ana.id], kind="coffee", note="talked about PhD programs")
    assert kw.people.get(ana.id).interaction_count == 1
    kw.history.undo()
    assert kw.people.get(ana.id).interaction_count == 0
    assert kw.interactions.for_person(ana.id) == []


def test_interaction_rules(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima")
    with pytest.raises(InvalidInput, match="unknown kind"):
        kw.interactions.log([ana.id], kind="telepathy")
    with pytest.raises(InvalidInput, match="direction"):
        kw.interactions.log([ana.id], kind="email", direction="sideways")
    assert kw.interactions.log([ana.id], kind="coffee").direction == "mutual"
    assert kw.interactions.log([ana.id], kind="info").kind == "informational-interview"


def test_search_finds_by_name_email_org_tag_note_and_conversation(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima", emails=["ana@lima.org"], organization="Acme Robotics", tags=["robotics"])
    kw.interactions.add_note(ana.id, "Her aunt is a life coach")
    kw.interactions.log([ana.id], kind="email", subject="Kubernetes migration")
    for query in ("Ana", "ana@lima", "acme", "robotics", "life coach", "kubernetes"):
        hits = kw.search.people(query)
        assert [h.person.id for h in hits] == [ana.id], query
    assert kw.search.people("zebra") == []


def test_tie_strength_grows_with_contact(kw: Knowwho) -> None:
    from datetime import timedelta

    from tests.conftest import NOW

    ana, bo = kw.people.add("Ana Lima"), kw.people.add("Bo Chen")
    for days in range(0, 300, 20):
        kw.interactions.log([ana.id], kind="meeting", when=NOW - timedelta(days=days))
        kw.interactions.log([ana.id], kind="email", direction="in", when=NOW - timedelta(days=days + 1))
    kw.interactions.log([bo.id], kind="email", direction="out", when=NOW - timedelta(days=400))
    strong, weak = kw.people.get(ana.id).tie_strength, kw.people.get(bo.id).tie_strength
    assert strong > 0.5 > weak
    detail = kw.people.detail(ana.id)
    assert detail.tie.tier == "strong" and set(detail.tie.parts) >= {"intensity", "reciprocity", "duration"}


def test_a_closeness_rating_moves_tie_strength_at_once(kw: Knowwho) -> None:
    ben = kw.people.add("Ben Okafor", closeness=4)
    assert kw.people.get(ben.id).tie_strength >= 0.375  # half the score is the rating
    kw.people.edit(ben.id, PersonChanges(closeness=1))
    assert kw.people.get(ben.id).tie_strength < 0.1


def test_the_page_scores_the_tie_as_reading_every_conversation_does(kw: Knowwho) -> None:
    """A person page scores tie strength from the conversations it shows when they are all of them."""
    from datetime import timedelta

    from knowwho.services import tie_strength
    from knowwho.services.interactions import score_person

    ana, ben = kw.people.add("Ana Lima", closeness=3).id, kw.people.add("Ben Okafor").id
    for days, kind, group in (
        (400, "coffee", [ana]),
        (90, "email", [ana, ben]),
        (3, "call", [ana]),
        (2, "email", [ana]),
    ):
        kw.interactions.log(group, kind=kind, when=kw.ctx.now() - timedelta(days=days), direction="out")
    kw.interactions.remove(kw.people.detail(ana).interactions[0].id)  # a removed one counts for neither
    now = tie_strength.julian(kw.ctx.now_stamp())
    read = score_person(kw.db.conn, ana, now_julian=now, closeness=3)
    for shown in (30, 3, 2):  # all shown, all shown exactly, fewer shown than there are
        detail = kw.people.detail(ana, interactions=shown)
        assert detail.tie == read and 0 < read.score < 1


def test_lists_are_read_for_several_people_at_once_in_their_order(kw: Knowwho) -> None:
    from knowwho.storage import people as people_store

    ana = kw.people.add(
        "Ana Lima", emails=["z@x.org", "a@x.org"], phones=["+4930123", "+4930001"], tags=["zeta", "alpha"]
    )
    ben = kw.people.add("Ben Okafor", emails=["b@y.org"], tags=["mid"])
    kw.people.edit(ana.id, PersonChanges(add_links=["https://b.example", "https://a.example"]))
    found = people_store.get_many(kw.db.conn, [ben.id, ana.id])
    assert [(p.emails, p.phones, p.links, p.tags) for p in found] == [
        (["b@y.org"], [], [], ["mid"]),
        (
            ["z@x.org", "a@x.org"],
            ["+4930123", "+4930001"],
            ["https://b.example", "https://a.example"],
            ["alpha", "zeta"],
        ),
    ]


def test_conversations_on_a_page_name_everyone_who_took_part(kw: Knowwho) -> None:
    from knowwho.storage import interactions as interaction_store

    cy, ana, ben = (kw.people.add(name).id for name in ("Cy Ode", "Ana Lima", "Ben Okafor"))
    kw.interactions.log([ben, cy, ana], kind="meeting")
    kw.interactions.log([ana], kind="call")
    listed = interaction_store.for_person(kw.db.conn, ana, limit=5)
    assert [sorted(i.participant_ids) == i.participant_ids for i in listed] == [True, True]
    assert sorted(len(i.participant_ids) for i in listed) == [1, 3]
    assert all(i == interaction_store.get(kw.db.conn, i.id) for i in listed)  # as one conversation reads
