"""Warm paths (DESIGN 4.3): the route-score rule on its own, and routes on small hand-made networks.

Every route test runs twice: reading the database as a command does, and
through the network a server keeps in memory.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.errors import Ambiguous, InvalidInput, NotFound
from knowwho.services.paths import score
from knowwho.services.paths.memory import NetworkMemory
from knowwho.services.paths.service import answer_dict
from knowwho.services.people import PersonChanges
from knowwho.storage import provenance
from knowwho.storage.network import SqlNetwork
from tests.importers.helpers import cli

TODAY = date(2026, 11, 18)


# -- the rule, as pure functions -----------------------------------------------------------
def test_first_tie_value_rises_with_the_tie() -> None:
    values = [score.first_tie_value(s) for s in (0.0, 0.1, 0.3, 0.45, 0.7, 0.9, 1.0)]
    assert values == sorted(values) and len(set(values)) == len(values)  # the closer, the likelier they help
    assert values[0] == pytest.approx(score.FLOOR) and values[-1] == pytest.approx(1.0)
    assert score.first_tie_value(5.0) == score.first_tie_value(1.0)  # clamped
    # spread: a strong tie and a moderately weak one are far apart, not both near the top
    assert score.first_tie_value(0.9) - score.first_tie_value(0.45) > 0.4


def test_a_close_friend_inside_beats_weak_ties_and_someone_who_left() -> None:
    strong_inside = score.route_score(0.9, [score.role_strength(True)])
    weak_inside = score.route_score(0.2, [score.role_strength(True)])
    strong_left = score.route_score(0.9, [score.role_strength(False)])
    strong_through_a_sure_link = score.route_score(0.9, [1.0, score.role_strength(True)])
    weak_chain = score.route_score(0.1, [0.4, score.role_strength(False)])
    assert strong_inside == strong_through_a_sure_link > strong_left > weak_inside > weak_chain


def test_routes_are_listed_by_score_fewer_introductions_only_break_ties() -> None:
    direct = score.route_key(0, 0.44, ("Dan",))
    introduced = score.route_key(1, 0.87, ("Ana", "Zed"))
    assert sorted([direct, introduced]) == [introduced, direct]
    assert score.route_key(0, 0.5, ("Z",)) < score.route_key(1, 0.5, ("A", "B"))
    assert score.route_key(1, 0.5, ("B",)) < score.route_key(1, 0.4, ("A",))


def test_meeting_at_the_same_event_counts_little() -> None:
    assert score.knows_strength(score.SAME_EVENT, 0.5) == score.EVENT_ONE < 0.2
    assert score.knows_strength("me", 1.0) == 1.0
    assert score.event_strength(5, 2) <= score.EVENT_MOST < score.co_recipient_strength(1, 4)


def test_colleague_strength_grows_with_overlap_and_fades_with_time() -> None:
    assert score.colleague_strength(0, 0, 10) == 0
    assert score.colleague_strength(700, 0, score.BIG_ORGANIZATION + 1) == 0
    short, long = score.colleague_strength(60, 0, 10), score.colleague_strength(1000, 0, 10)
    assert score.COLLEAGUE_MIN < short < long <= score.COLLEAGUE_MAX
    assert score.colleague_strength(1000, 8, 10) < long


def test_overlap_days() -> None:
    y = date
    assert score.overlap_days((y(2019, 1, 1), y(2021, 1, 1)), (y(2020, 1, 1), None), TODAY) == (366, y(2021, 1, 1))
    assert score.overlap_days((y(2010, 1, 1), y(2011, 1, 1)), (y(2012, 1, 1), None), TODAY) == (0, None)
    # two people both there now, without dates: they share the last year
    assert score.overlap_days((None, None), (None, None), TODAY) == (365, TODAY)


# -- routes on a hand-made network -----------------------------------------------------------
@pytest.fixture(params=["database", "memory"])
def kw(kw: Knowwho, request: pytest.FixtureRequest) -> Iterator[Knowwho]:
    """In memory: read while the network is empty, so that everything the test adds comes as changes."""
    if request.param == "database":
        yield kw
        return
    memory = kw.network_memory = NetworkMemory()
    with memory.current(kw.db.conn):
        pass
    yield kw
    assert memory.reloads == 1  # every change was applied one by one, never by reading everything again


def _tie(kw: Knowwho, person_id: int, strength: float) -> None:
    kw.db.conn.execute("UPDATE people SET tie_strength = ? WHERE id = ?", (strength, person_id))


@pytest.fixture
def net(kw: Knowwho) -> dict[str, int]:
    """You know Ana (moderately weak), Ben (weak), Cleo (strong) and Dan (dormant, works at Acme now).

    Zed works at Acme; Ana and Cleo know him. Yan worked at Acme 2015-2018 and
    was Ben's colleague at Tiny (a small place) in 2010-2011.
    """
    ana, ben, cleo = (kw.people.add(n).id for n in ("Ana Lima", "Ben Okafor", "Cleo Park"))
    dan = kw.people.add("Dan Wu", organization="Acme", title="Recruiter").id
    for pid, strength in ((ana, 0.45), (ben, 0.1), (cleo, 0.9), (dan, 0.02)):
        _tie(kw, pid, strength)
    zed = kw.network.add_through("Zed Ray", via=ana, how="her cousin", organization="Acme", title="Data lead").id
    kw.network.knows(cleo, zed)
    yan = kw.network.add_through("Yan Li", via=kw.people.add("Someone Else").id).id
    kw.network.add_role(yan, "Acme", title="Analyst", start="2015", end="2018")
    kw.network.add_role(yan, "Tiny", start="2010-01", end="2011-06")
    kw.network.add_role(ben, "Tiny", start="2009", end="2012")
    kw.people.add("Other Acme Person", organization="Acme Research")
    return {"ana": ana, "ben": ben, "cleo": cleo, "dan": dan, "zed": zed, "yan": yan}


def _names(answer: dict[str, object]) -> list[list[str]]:
    return [[s["name"] for s in r["steps"]] for r in answer["routes"]]  # type: ignore[index, union-attr]


def test_routes_into_an_organization_best_first(kw: Knowwho, net: dict[str, int]) -> None:
    answer = kw.paths.find(organization="Acme", limit=10)
    assert answer.target.name == "Acme"
    assert [[s.name for s in r.steps] for r in answer.routes] == [
        ["Cleo Park", "Zed Ray", "Acme"],  # strong tie, recorded link, works there now
        ["Ana Lima", "Zed Ray", "Acme"],  # moderately weak tie: less likely to help
        ["Dan Wu", "Acme"],  # there already, but a dormant tie
        ["Someone Else", "Yan Li", "Acme"],  # no history with you, a recorded link to someone who left
        ["Ben Okafor", "Yan Li", "Acme"],  # weak tie, an inferred old colleague who left: last
    ]
    assert [r.score for r in answer.routes] == [0.905, 0.4775, 0.069, 0.02, 0.0172]  # best first, as shown
    ana_route, ben_route = answer.routes[1], answer.routes[4]
    assert ana_route.why == "Ana Lima knows Zed Ray (her cousin); Zed Ray works at Acme as Data lead."
    assert ben_route.steps[1].why == "Ben Okafor worked with Yan Li at Tiny 2010–2011"
    assert ben_route.steps[2].tie == "worked there 2015–2018"
    assert [s.strength for s in ana_route.steps] == [0.45, 1.0, 1.0]


def test_limit_and_a_direct_contact_alone(kw: Knowwho, net: dict[str, int]) -> None:
    only = kw.paths.find(organization="Acme", limit=1)
    assert [[s.name for s in r.steps] for r in only.routes] == [["Cleo Park", "Zed Ray", "Acme"]]
    _tie(kw, net["dan"], 0.95)  # Dan becomes a close friend: asking him directly is best
    only = kw.paths.find(organization="Acme", limit=1)
    assert [[s.name for s in r.steps] for r in only.routes] == [["Dan Wu", "Acme"]]
    assert only.routes[0].introductions == 0


def test_routes_to_a_person_and_a_contact_is_reached_directly(kw: Knowwho, net: dict[str, int]) -> None:
    to_zed = kw.paths.find(person="Zed Ray")
    assert _names(answer_dict(to_zed)) == [["Cleo Park", "Zed Ray"], ["Ana Lima", "Zed Ray"], ["Dan Wu", "Zed Ray"]]
    # Dan and Zed are both at Acme now (no dates given): colleagues, without made-up years
    assert to_zed.routes[2].why == "Dan Wu works with Zed Ray at Acme."
    direct = kw.paths.find(person="Cleo Park")
    assert _names(answer_dict(direct)) == [["Cleo Park"]] and direct.routes[0].why == "You know Cleo Park already."


def test_three_people_routes_to_a_person(kw: Knowwho, net: dict[str, int]) -> None:
    far = kw.network.add_through("Far Away", via=net["zed"], how="his sister").id
    routes = kw.paths.to_person(far).routes
    assert [[s.name for s in r.steps] for r in routes] == [
        ["Cleo Park", "Zed Ray", "Far Away"],
        ["Ana Lima", "Zed Ray", "Far Away"],
        ["Dan Wu", "Zed Ray", "Far Away"],
    ]
    assert routes[0].introductions == 2


def test_routes_to_a_field(kw: Knowwho, net: dict[str, int]) -> None:
    answer = kw.paths.find(field_text="data lead")
    assert _names(answer_dict(answer)) == [["Cleo Park", "Zed Ray"], ["Ana Lima", "Zed Ray"], ["Dan Wu", "Zed Ray"]]
    assert answer.target.kind == "field"
    kw.people.add("Tess Nu", tags=["data-science"])
    kw.people.add("Uma Vo", tags=["databases"])  # another word: not this field
    tagged = _names(answer_dict(kw.paths.find(field_text="Data", limit=10)))
    assert ["Tess Nu"] in tagged and ["Uma Vo"] not in tagged


def test_a_field_route_says_what_puts_its_person_in_the_field(kw: Knowwho, net: dict[str, int]) -> None:
    kw.people.add("Tess Nu", tags=["data-science"])
    kw.people.edit(kw.people.add("Olu Ade").id, PersonChanges(offers="reviewing data pipelines"))
    kw.interactions.add_note(kw.people.add("Ned Oak").id, "Runs the data meetup; always looking for speakers.")
    whys: dict[str, str] = {}
    for route in kw.paths.find(field_text="data", limit=10).routes:
        whys.setdefault(route.steps[-1].name, route.why)  # the best route to each
    assert whys["Zed Ray"] == "Cleo Park knows Zed Ray; Zed Ray works at Acme as Data lead."
    assert whys["Tess Nu"] == "You know Tess Nu (dormant tie); Tess Nu is tagged data-science."
    assert whys["Olu Ade"].endswith("; Olu Ade offers “reviewing data pipelines”.")
    assert whys["Ned Oak"].endswith("; your note on Ned Oak: “Runs the data meetup; always looking for speakers”.")


def test_my_own_job_makes_former_colleagues_reachable(kw: Knowwho) -> None:
    mo = kw.network.add_through("Mo Said", via=kw.people.add("Pat Doe").id, organization="Initech").id
    kw.network.add_role(mo, "Hooli", start="2017", end="2020")
    assert _names(answer_dict(kw.paths.find(organization="Initech"))) == [["Pat Doe", "Mo Said", "Initech"]]
    kw.network.add_my_role("Hooli", title="Analyst", start="2018", end="2019")
    routes = kw.paths.find(organization="Initech").routes
    assert [[s.name for s in r.steps] for r in routes] == [["Mo Said", "Initech"]]
    assert routes[0].steps[0].why == "You worked with Mo Said at Hooli 2018–2019"


def test_my_own_job_where_nobody_else_is_on_record_finds_the_other_routes(kw: Knowwho) -> None:
    mo = kw.network.add_through("Mo Said", via=kw.people.add("Pat Doe").id, organization="Initech").id
    kw.network.add_role(mo, "Hooli", start="2017", end="2020")
    kw.network.add_my_role("Globex", title="Analyst", start="2018", end="2019")  # nobody else worked there
    assert _names(answer_dict(kw.paths.find(organization="Initech"))) == [["Pat Doe", "Mo Said", "Initech"]]
    assert _names(answer_dict(kw.paths.find(person="Mo Said"))) == [["Pat Doe", "Mo Said"]]


def test_organization_names_exact_wins_partial_is_ambiguous(kw: Knowwho, net: dict[str, int]) -> None:
    assert kw.paths.find(organization="acme").target.name == "Acme"
    assert kw.paths.find(organization="research").target.name == "Acme Research"
    with pytest.raises(Ambiguous) as found:
        kw.paths.find(organization="acm")
    assert found.value.candidates[0].endswith(" Acme") and found.value.candidates[1].endswith(" Acme Research")
    with pytest.raises(NotFound):
        kw.paths.find(organization="Globex")
    with pytest.raises(InvalidInput):
        kw.paths.find(organization="Acme", person="Zed")
    with pytest.raises(InvalidInput):
        kw.paths.find()


def test_removed_people_are_no_route(kw: Knowwho, net: dict[str, int]) -> None:
    kw.people.remove(net["ana"])
    assert ["Ana Lima", "Zed Ray"] not in _names(answer_dict(kw.paths.find(person="Zed Ray")))


# -- ranking like a person would: each case on its own small network ---------------------------------
def _contact(kw: Knowwho, name: str, strength: float, **details: str) -> int:
    person_id = kw.people.add(name, **details).id  # type: ignore[arg-type]
    _tie(kw, person_id, strength)
    return person_id


def test_a_close_friend_who_works_there_comes_before_weak_ties_and_people_who_left(kw: Knowwho) -> None:
    _contact(kw, "Ana Weak", 0.2, organization="Tidal Press", title="Editor")  # one conversation
    _contact(kw, "Bo Moderate", 0.45, organization="Tidal Press", title="Designer")
    _contact(kw, "Eitan González", 0.85, organization="Tidal Press", title="Producer")
    gil = _contact(kw, "Gil Left", 0.85)
    kw.network.add_role(gil, "Tidal Press", start="2018", end="2022")
    answer = kw.paths.find(organization="Tidal Press", limit=10)
    assert [r.steps[0].name for r in answer.routes] == ["Eitan González", "Bo Moderate", "Gil Left", "Ana Weak"]
    with _client(kw) as client:
        page = client.get(f"/organizations/{answer.target.id}").text
        assert "How to get in" in page and "Eitan González works at Tidal Press as Producer" in page


def test_the_head_of_ml_who_referred_you_beats_the_recruiter_who_rejected_you(kw: Knowwho) -> None:
    _contact(kw, "Rui Recruiter", 0.45, organization="Hooli", title="Recruiter")  # a moderately weak tie
    _contact(kw, "Hana Head", 0.8, organization="Hooli", title="Head of ML")
    routes = kw.paths.find(organization="Hooli").routes
    assert [r.steps[0].name for r in routes] == ["Hana Head", "Rui Recruiter"]


def test_routes_are_listed_by_the_score_shown_not_by_their_length(kw: Knowwho) -> None:
    ana, cleo = _contact(kw, "Ana Lima", 0.2), _contact(kw, "Cleo Park", 0.9)
    zed = kw.network.add_through("Zed Ray", via=cleo, how="her brother").id
    far = kw.network.add_through("Far Away", via=zed).id
    kw.network.knows(ana, far)
    routes = kw.paths.to_person(far).routes
    assert [[s.name for s in r.steps] for r in routes] == [
        ["Cleo Park", "Zed Ray", "Far Away"],
        ["Ana Lima", "Far Away"],
    ]
    assert [r.score for r in routes] == sorted((r.score for r in routes), reverse=True)
    assert routes[0].score - routes[1].score > 0.5  # spread apart, not a cluster near the top


def test_a_three_person_route_into_an_organization(kw: Knowwho) -> None:
    cleo = _contact(kw, "Cleo Park", 0.9)
    _contact(kw, "Dan Wu", 0.2, organization="Globex")
    zed = kw.network.add_through("Zed Ray", via=cleo).id
    far = kw.network.add_through("Far Away", via=zed, organization="Globex", title="CTO").id
    to_far = [[s.name for s in r.steps] for r in kw.paths.to_person(far).routes]
    assert to_far == [["Cleo Park", "Zed Ray", "Far Away"], ["Dan Wu", "Far Away"]]  # Dan: a colleague there
    routes = kw.paths.find(organization="Globex").routes
    assert [[s.name for s in r.steps] for r in routes] == [
        ["Cleo Park", "Zed Ray", "Far Away", "Globex"],
        ["Dan Wu", "Globex"],
    ]
    best = kw.paths.find(organization="Globex", limit=1).routes  # found even when shorter routes fill the limit
    assert [s.name for s in best[0].steps] == ["Cleo Park", "Zed Ray", "Far Away", "Globex"]
    assert best[0].why == "Cleo Park knows Zed Ray; Zed Ray knows Far Away; Far Away works at Globex as CTO."
    code, out, _ = cli(kw.db.path, "path", "--org", "Globex")  # the route and its reason are longer than 80 columns
    first = out.split("\n 2. ")[0].splitlines()[1:]
    assert code == 0 and first[0].startswith(" 1. you → Cleo Park") and len(first) == 4
    assert all(line.startswith("    ") and len(line) <= 80 for line in first[1:])  # each wraps under its text
    assert first[1].strip().endswith("score 0.91")  # the route's own line, then its reason
    assert " ".join(line.strip() for line in first[2:]) == best[0].why


def test_people_known_through_others_are_found_by_title_and_tag(kw: Knowwho, monkeypatch: pytest.MonkeyPatch) -> None:
    from knowwho.services.paths import service

    monkeypatch.setattr(service, "FIELD_PEOPLE", 2)  # many contacts in the field, fewer than in a real network
    monkeypatch.setattr(service, "FIELD_OTHERS", 1)  # and the one a close contact knows is taken first
    for n in range(3):
        _contact(kw, f"Weak Scientist {n}", 0.1, organization="Acme", title="Data Scientist")
    _contact(kw, "Cleo Park", 0.9)
    db = kw.db.path
    assert (
        cli(db, "add", "Pia Ray", "--via", "Weak Scientist 0", "--org", "Umbrella", "--title", "Data Scientist")[0] == 0
    )
    assert cli(db, "add", "Mei Lin", "--via", "Cleo Park", "--org", "Initech", "--title", "Data Scientist")[0] == 0
    assert cli(db, "add", "Nia Obi", "--via", "Cleo Park", "--tag", "Bioinformatics")[0] == 0
    field = _names(answer_dict(kw.paths.find(field_text="data scientist")))
    assert field[0] == ["Cleo Park", "Mei Lin"]
    assert _names(answer_dict(kw.paths.find(field_text="bioinformatics"))) == [["Cleo Park", "Nia Obi"]]
    code, _, err = cli(db, "add", "Oz Pol", "--via", "Cleo Park", "--title", "Life coach")
    assert code == 2 and "--title needs --org" in err and "Traceback" not in err
    assert "Oz Pol" not in cli(db, "list", "--json")[1]


def test_having_met_at_the_same_event_is_a_weak_step(kw: Knowwho) -> None:
    ana, ben = _contact(kw, "Ana Lima", 0.9), _contact(kw, "Ben Okafor", 0.3)
    zed = kw.network.add_through("Zed Ray", via=ben, how="college friends").id
    with kw.db.transaction() as tx:  # as a calendar import records it
        provenance.add_knows(tx, ana, zed, source=score.SAME_EVENT, confidence=0.5, now="2026-05-14 10:00:00")
    routes = kw.paths.to_person(zed).routes
    assert [r.steps[0].name for r in routes] == ["Ben Okafor", "Ana Lima"]
    assert routes[1].steps[1].strength == score.EVENT_ONE and routes[1].steps[1].tie == "met at the same event"


# -- the command -----------------------------------------------------------------------------
def test_path_command_json_text_and_exit_codes(kw: Knowwho, net: dict[str, int]) -> None:
    db = kw.db.path
    code, out, _ = cli(db, "path", "--org", "Acme", "--limit", "2", "--json")
    assert code == 0
    import json

    data = json.loads(out)
    assert data["target"] == {"kind": "organization", "name": "Acme", "id": data["target"]["id"]}
    assert _names(data) == [["Cleo Park", "Zed Ray", "Acme"], ["Ana Lima", "Zed Ray", "Acme"]]
    assert data["routes"][1]["steps"][1]["tie"] == "her cousin"
    code, out, _ = cli(db, "path", "--person", "Zed Ray")
    assert code == 0 and "Ana Lima knows Zed Ray (her cousin)." in out
    code, _, err = cli(db, "path", "--org", "acm")
    assert code == 2 and "matches 2 organizations" in err and "Acme Research" in err
    code, _, err = cli(db, "path", "--field", "astronaut")
    assert code == 1 and "no route to astronaut" in err
    code, out, _ = cli(db, "path", "--field", "astronaut", "--json")
    assert code == 0 and json.loads(out)["routes"] == []
    code, _, err = cli(db, "path")
    assert code == 2 and "--org" in err


@pytest.mark.parametrize("command", [["path"], ["knows"], ["role"], ["me", "role"], ["me", "roles"]])
def test_help(kw: Knowwho, command: list[str]) -> None:
    code, out, _ = cli(kw.db.path, *command, "--help")
    assert code == 0 and "Usage" in out


# -- the pages and the API -------------------------------------------------------------------
def _client(kw: Knowwho):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from knowwho.web.app import create_app
    from tests.web.conftest import factory

    return TestClient(create_app(factory(kw.db.path)), base_url="http://127.0.0.1")


def test_api_paths_and_the_pages(kw: Knowwho, net: dict[str, int]) -> None:
    with _client(kw) as client:
        answer = client.get("/api/paths", params={"org": "Acme", "limit": 2}).json()
        assert _names(answer) == [["Cleo Park", "Zed Ray", "Acme"], ["Ana Lima", "Zed Ray", "Acme"]]
        assert answer["routes"][1]["why"] == "Ana Lima knows Zed Ray (her cousin); Zed Ray works at Acme as Data lead."
        ambiguous = client.get("/api/paths", params={"org": "acm"})
        assert ambiguous.status_code == 409 and len(ambiguous.json()["candidates"]) == 2
        assert client.get("/api/paths", params={"org": "Acme", "person": "Zed"}).status_code == 422
        assert client.get("/api/paths", params={"field": "data lead"}).json()["target"]["kind"] == "field"
        acme = answer["target"]["id"]
        page = client.get(f"/organizations/{acme}").text
        assert "How to get in" in page and "Ana Lima knows Zed Ray (her cousin)" in page
        zed = client.get(f"/people/{net['zed']}").text
        assert "How to reach them" in zed and "known through others" in zed
        assert "Knows 3 of your contacts" in zed and "her cousin" in zed
        ana = client.get(f"/people/{net['ana']}").text
        assert "How to reach them" not in ana and "Knows 0" not in ana


def test_a_former_employee_on_the_way_does_not_hide_who_is_there_now(db_path: Path) -> None:
    for args in (
        ("add", "Ben Okafor", "--org", "Hooli", "--closeness", "4"),
        ("role", "Ben Okafor", "Globex", "--from", "2019", "--to", "2021"),
        ("add", "Zed Quinn", "--org", "Globex", "--via", "Ben Okafor", "--how", "worked together"),
    ):
        assert cli(db_path, *args)[0] == 0
    code, out, _ = cli(db_path, "path", "--org", "Globex", "--json")
    routes = [[step["name"] for step in route["steps"]] for route in json.loads(out)["routes"]]
    # Zed is there now: through him beats Ben, who left
    assert code == 0 and routes == [["Ben Okafor", "Zed Quinn", "Globex"], ["Ben Okafor", "Globex"]]


def test_my_own_colleagues_kept_by_a_server_follow_a_new_job_of_mine(kw: Knowwho) -> None:
    """A server keeps the user's own colleagues between searches: a job of theirs recorded meanwhile counts."""
    kw.network_memory = NetworkMemory()
    mo = kw.network.add_through("Mo Said", via=kw.people.add("Pat Doe").id, organization="Initech").id
    kw.network.add_role(mo, "Hooli", start="2017", end="2020")
    kw.network.add_my_role("Globex", title="Analyst", start="2018", end="2019")
    for _ in range(2):  # the second answer from what the first kept
        assert _names(answer_dict(kw.paths.find(organization="Initech"))) == [["Pat Doe", "Mo Said", "Initech"]]
    kw.network.add_my_role("Hooli", title="Analyst", start="2018", end="2019")
    routes = kw.paths.find(organization="Initech").routes
    assert [[s.name for s in r.steps] for r in routes] == [["Mo Said", "Initech"]]
    assert kw.network_memory.colleagues.mine(SqlNetwork(kw.db.conn), kw.ctx.today())[0][0] == mo


@pytest.mark.parametrize("in_memory", [False, True], ids=["database", "server"])
def test_equal_routes_start_with_the_person_met_last(kw: Knowwho, in_memory: bool) -> None:
    """A LinkedIn import's connections are all dormant, so every route in scores alike: the newer connection,
    who remembers you better, comes first; someone with no date met comes last; then names."""
    if in_memory:
        kw.network_memory = NetworkMemory()
    for name, met in (
        ("Ann Old", "2012-05-01"),
        ("Bea New", "2025-03-01"),
        ("Cal None", None),
        ("Dee Mid", "2019-01-01"),
    ):
        kw.people.add(name, organization="Globex", how_met="LinkedIn", first_met_on=met)
    globex = kw.organizations.resolve_id("Globex")

    def order() -> list[str]:
        return [route.steps[0].name for route in kw.paths.to_organization(globex, limit=10).routes]

    assert order() == ["Bea New", "Dee Mid", "Ann Old", "Cal None"]
    kw.people.edit(kw.people.resolve_id("Ann Old"), PersonChanges(first_met_on="2026-01-05"))  # met again
    assert order() == ["Ann Old", "Bea New", "Dee Mid", "Cal None"]  # a server's network follows the change
