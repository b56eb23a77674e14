"""Whom a person knows, and how: every source of a tie on one small hand-made network, with the answers."""

from __future__ import annotations

import json

import pytest

from knowwho.core import Knowwho
from knowwho.errors import NotFound
from knowwho.services.paths import score
from tests.importers.helpers import cli


def _network(kw: Knowwho) -> dict[str, int]:
    """Ana knows: Ben (recorded), Cara (colleague at Hooli), Dan and Eve (one mail of three), Fay (met at
    PyCon 2026), Gus (introduced by the user); Hal was only on a mail to six; Ivy is known through Ana."""
    ids = {n: kw.people.add(f"{n} Test").id for n in ("Ana", "Ben", "Cara", "Dan", "Eve", "Fay", "Gus", "Hal")}
    ids["Ivy"] = kw.network.add_through("Ivy Test", via=ids["Ana"], how="her cousin").id
    kw.network.knows(ids["Ana"], ids["Ben"], how="college friends")
    kw.network.add_role(ids["Ana"], "Hooli", start="2019", end="2021-06")
    kw.network.add_role(ids["Cara"], "Hooli", start="2020-03")
    kw.interactions.log([ids["Ana"], ids["Dan"], ids["Eve"]], kind="email", subject="Budget")
    six = [ids[n] for n in ("Ana", "Ben", "Cara", "Dan", "Hal", "Gus")]
    kw.interactions.log(six, kind="email", subject="Newsletter")
    with kw.db.transaction() as tx:
        tx.execute(
            "INSERT INTO events (id, name, starts_on, created_at) VALUES (1, 'PyCon', '2026-05-14', '2026-05-14')"
        )
        tx.executemany("INSERT INTO event_people (event_id, person_id) VALUES (1, ?)", [(ids["Ana"],), (ids["Fay"],)])
        tx.execute(
            """INSERT INTO introductions (person_a_id, person_b_id, stage, created_at, updated_at, made_on)
               VALUES (?, ?, 'made', '2026-06-01', '2026-06-01', '2026-06-01')""",
            (ids["Ana"], ids["Gus"]),
        )
    return ids


def test_every_source_with_its_confidence_surest_first(kw: Knowwho) -> None:
    ids = _network(kw)
    ties = kw.network.ties(ids["Ana"])
    got = [(t.name, t.source, t.how) for t in ties]
    assert got == [
        ("Ben Test", "me", "college friends"),
        ("Gus Test", "introduced", "you introduced them"),
        ("Ivy Test", "me", "her cousin"),
        ("Dan Test", "mail-co-recipient", "on the same mail thread"),
        ("Eve Test", "mail-co-recipient", "on the same mail thread"),
        ("Cara Test", "colleague", "colleague at Hooli 2020–2021"),
        ("Fay Test", "same-event", "met at PyCon 2026"),  # the same event: weak evidence, last
    ]
    confidence = {t.name: t.confidence for t in ties}
    assert confidence["Dan Test"] == 0.5  # one thread of three people
    assert confidence["Fay Test"] == score.EVENT_ONE  # the only other person met there, still little
    assert score.COLLEAGUE_MIN < confidence["Cara Test"] < 0.5
    assert "Hal Test" not in confidence  # a mail to six says nothing
    # Ivy is known through Ana, not a contact, and Fay was only at the same event: neither is a shared contact
    assert [a.name for a in kw.network.acquaintances(ids["Ana"])] == [
        n for n, _, _ in got if n not in ("Ivy Test", "Fay Test")
    ]
    assert [(a.name, a.how) for a in kw.network.met_at_events(ids["Ana"])] == [("Fay Test", "met at PyCon 2026")]
    # the other ends see it too
    assert kw.network.acquaintances(ids["Fay"]) == []
    assert [(a.name, a.how) for a in kw.network.met_at_events(ids["Fay"])] == [("Ana Test", "met at PyCon 2026")]
    assert [(a.name, a.source) for a in kw.network.acquaintances(ids["Eve"])] == [
        ("Ana Test", "mail-co-recipient"), ("Dan Test", "mail-co-recipient")
    ]  # fmt: skip


def test_the_surest_reason_wins_and_removed_people_leave(kw: Knowwho) -> None:
    ids = _network(kw)
    kw.network.knows(ids["Ana"], ids["Dan"])  # recorded beats the mail thread
    dan = next(t for t in kw.network.ties(ids["Ana"]) if t.name == "Dan Test")
    assert (dan.source, dan.confidence, dan.how) == ("me", 1.0, "you noted it")
    kw.people.remove(ids["Eve"])
    assert "Eve Test" not in [t.name for t in kw.network.ties(ids["Ana"])]


def test_more_threads_or_events_are_surer() -> None:
    assert score.co_recipient_strength(1, 2) == 0.6
    assert score.co_recipient_strength(1, 4) == 0.4
    assert score.co_recipient_strength(1, 5) == 0
    assert score.co_recipient_strength(2, 3) == 0.75
    assert score.co_recipient_strength(50, 2) == score.SHARED_MAX
    assert score.event_strength(1, 2) == score.EVENT_ONE
    assert score.event_strength(1, 30) == pytest.approx(score.EVENT_MIN)
    assert score.event_strength(3, 30) > score.event_strength(1, 30)
    assert score.event_strength(50, 2) == score.EVENT_MOST < score.co_recipient_strength(1, 4)
    assert score.event_strength(1, 1) == 0


def _client(kw: Knowwho):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from knowwho.web.app import create_app
    from tests.web.conftest import factory

    return TestClient(create_app(factory(kw.db.path)), base_url="http://127.0.0.1")


def test_show_the_api_and_the_page_list_them(kw: Knowwho) -> None:
    ids = _network(kw)
    code, out, _ = cli(kw.db.path, "show", "Ana", "--json")
    knows = json.loads(out)["knows"]
    assert code == 0 and knows[0] == {
        "person_id": ids["Ben"], "name": "Ben Test", "how": "college friends", "source": "me", "confidence": 1.0
    }  # fmt: skip
    assert len(knows) == 5 and "Fay Test" not in [k["name"] for k in knows]  # only met at the same event
    code, out, _ = cli(kw.db.path, "show", "Ana")
    assert code == 0 and "Knows 5 of your contacts: Ben Test, Gus Test, Dan Test…" in out
    with _client(kw) as client:
        detail = client.get(f"/api/people/{ids['Ana']}").json()
        assert [k["name"] for k in detail["knows"]] == [k["name"] for k in knows]
        assert detail["knows"][-1]["how"] == "colleague at Hooli 2020–2021"
        page = client.get(f"/people/{ids['Ana']}").text
        assert "Knows 5 of your contacts" in page and "you introduced them" in page
        assert "Met at the same events</h2>" in page and "also met at PyCon 2026" in page


def test_the_brief_shows_people_met_at_the_same_event_apart_from_shared_contacts(kw: Knowwho) -> None:
    ids = _network(kw)
    code, out, _ = cli(kw.db.path, "brief", "Fay")
    assert code == 0 and "Shared contacts" not in out
    assert "Met at the same events\n  Ana Test: also met at PyCon 2026" in out
    data = json.loads(cli(kw.db.path, "brief", "Ana", "--json")[1])
    assert "Fay Test" not in [c["name"] for c in data["shared_contacts"]]
    assert data["also_met"] == [{"id": ids["Fay"], "name": "Fay Test", "how": "met at PyCon 2026"}]
    with _client(kw) as client:
        assert client.get(f"/api/people/{ids['Ana']}/brief").json()["also_met"] == data["also_met"]
        page = client.get(f"/people/{ids['Fay']}/brief").text
        assert "No one you know is known to know them." in page and "also met at PyCon 2026" in page


def test_the_network_picture_is_the_same_on_every_run_and_ranked(kw: Knowwho) -> None:
    from knowwho.services.paths import picture

    ids = _network(kw)
    first, again = kw.network.picture(ids["Ana"]), kw.network.picture(ids["Ana"])
    assert first is not None and first == again  # deterministic layout
    ties = kw.network.ties(ids["Ana"])
    assert kw.network.picture(ids["Ana"], ties, name="Ana Test") == first  # what the page has read already
    wide = first.views[0]
    assert [n.name for n in wide.nodes][:3] == ["Ana Test", "Ben Test", "Gus Test"]  # the centre, then surest
    assert [n.tier for n in wide.nodes][:1] == ["centre"] and "other" in {n.tier for n in wide.nodes}  # Ivy
    assert all(0 < n.x < wide.width and 0 < n.y < wide.height for n in wide.nodes)
    assert {s for s, _ in first.legend} == {"me", "introduced", "mail-co-recipient", "same-event", "colleague"}
    assert len(wide.edges) == 7 + 0 and first.more == 0
    kw.network.knows(ids["Ben"], ids["Gus"], how="neighbours")  # a link between two of them is drawn too
    linked = kw.network.picture(ids["Ana"])
    assert linked is not None and "Ben Test – Gus Test: neighbours" in [e.label for e in linked.views[0].edges]
    narrow = picture.of_person(kw.db.conn, ids["Ana"], today=kw.ctx.today(), limit=3)
    assert narrow is not None and narrow.more == 4 and len(narrow.views[0].nodes) == 4
    assert kw.network.picture(ids["Hal"]) is None  # knows nobody on record
    acme = kw.network.organization_picture(1)
    assert acme is not None and acme.views[0].nodes[0].name == "Hooli"
    assert [(n.name, n.how) for n in acme.people] == [
        ("Cara Test", "works there"),
        ("Ana Test", "worked there 2019–2021"),
    ]


def test_a_servers_network_in_memory_gives_the_same_ties_and_sees_a_new_colleague(kw: Knowwho) -> None:
    from knowwho.services.network import NetworkService
    from knowwho.services.paths.memory import NetworkMemory

    ids = _network(kw)
    held = NetworkService(kw.ctx, NetworkMemory())
    for person_id in ids.values():
        assert held.ties(person_id) == held.ties(person_id) == kw.network.ties(person_id)  # worked out, then kept
    kw.network.add_role(ids["Hal"], "Hooli", start="2020-01", end="2021-01")
    assert "Hal Test" in [t.name for t in held.ties(ids["Ana"]) if t.source == "colleague"]
    assert held.ties(ids["Ana"]) == kw.network.ties(ids["Ana"])


def test_contacts_known_are_the_acquaintances_and_those_met_at_events(kw: Knowwho) -> None:
    ids = _network(kw)
    ties = kw.network.ties(ids["Ana"])
    known, met = kw.network.contacts_known(ties)
    assert known == kw.network.acquaintances(ids["Ana"]) and met == kw.network.met_at_events(ids["Ana"])
    assert [t.name for t in met] == ["Fay Test"] and len(known) == 5
    kw.people.remove(ids["Ana"])
    with pytest.raises(NotFound):  # without the ties, the person is looked up
        kw.network.acquaintances(ids["Ana"])
