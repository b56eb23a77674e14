"""The network a server keeps in memory answers exactly as the database does, after any change from anywhere."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from knowwho.services import exports
from knowwho.services.paths import memory as memory_module
from knowwho.services.paths.memory import NetworkMemory
from knowwho.services.paths.region import ColleagueMemo
from knowwho.services.people import PersonChanges
from knowwho.storage.network import NetworkReader, SqlNetwork
from knowwho.web.app import create_app
from tests.importers.helpers import cli
from tests.web.conftest import factory


def _everything(network: NetworkReader, conn_of: Knowwho) -> tuple[object, ...]:
    conn = conn_of.db.conn
    people = [r[0] for r in conn.execute("SELECT id FROM people")]
    orgs = [r[0] for r in conn.execute("SELECT id FROM organizations")]
    return (
        network.nodes(people),
        sorted(network.knows_of(people), key=repr),
        sorted(network.stints_of(people), key=repr),
        sorted(network.stints_at(orgs), key=repr),
        network.organization_sizes(orgs),
        network.my_stints(),
        [network.people_titled(text) for text in ("engineer", "ANAL", "a", "data lead")],
        sorted(network.current_titles()),
        sorted(network.people_with_titles([*network.current_titles(), "nobody has this title"])),
        network.strongest_tie(),
    )


def _assert_same(memory: NetworkMemory, kw: Knowwho) -> None:
    with memory.current(kw.db.conn) as held:
        assert _everything(held, kw) == _everything(SqlNetwork(kw.db.conn), kw)


def _loaded(kw: Knowwho) -> NetworkMemory:
    memory = NetworkMemory()
    _assert_same(memory, kw)
    assert memory.reloads == 1
    return memory


def test_every_kind_of_change_is_followed_one_row_at_a_time(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima", organization="Acme", title="Engineer").id
    memory = _loaded(kw)
    ben = kw.people.add("Ben Okafor").id
    zed = kw.network.add_through("Zed Ray", via=ana, how="her cousin", organization="Globex").id
    kw.network.knows(ben, zed, how="school")
    kw.network.add_role(ben, "Acme", title="Analyst", start="2015", end="2018")
    kw.network.add_role(ben, "Initech", title="Data Lead")  # current: gone from the titled once he is removed
    kw.network.add_my_role("Acme", title="Intern", start="2016", end="2017")
    _assert_same(memory, kw)
    kw.people.edit(ana, PersonChanges(name="Ana Lima-Park", organization="Initech"))
    kw.db.conn.execute("UPDATE organizations SET name = 'Globex Corp' WHERE name = 'Globex'")
    kw.db.conn.execute("UPDATE people SET tie_strength = 0.6 WHERE id = ?", (ben,))
    _assert_same(memory, kw)
    twin = kw.people.add("Zed R.").id
    kw.network.knows(ana, twin)
    kw.duplicates.merge(zed, twin)
    kw.people.remove(ben)
    _assert_same(memory, kw)
    while kw.history.latest():
        kw.history.undo()
        _assert_same(memory, kw)
    assert memory.reloads == 1


def test_a_change_made_by_another_program_is_seen(kw: Knowwho, db_path: Path) -> None:
    kw.people.add("Ana Lima")
    memory = _loaded(kw)
    assert cli(db_path, "add", "Zed Ray", "--via", "Ana Lima", "--org", "Globex")[0] == 0
    _assert_same(memory, kw)
    with memory.current(kw.db.conn) as held:
        assert [s.organization for s in held.stints_at([kw.organizations.resolve("Globex").id])] == ["Globex"]
    assert memory.reloads == 1


def test_falling_far_behind_reads_everything_again(kw: Knowwho, monkeypatch: pytest.MonkeyPatch) -> None:
    memory = _loaded(kw)
    monkeypatch.setattr(memory_module, "CATCH_UP_AT_MOST", 2)
    kw.people.add("Ana Lima", organization="Acme")
    kw.people.add("Ben Okafor", organization="Acme")
    _assert_same(memory, kw)
    assert memory.reloads == 2


def test_a_restored_backup_is_read_again(kw: Knowwho, tmp_path: Path) -> None:
    kw.people.add("Ana Lima", organization="Acme")
    exports.export_json(kw, tmp_path / "backup.json")
    memory = _loaded(kw)
    kw.people.add("Ben Okafor", organization="Acme")
    _assert_same(memory, kw)
    restored = Knowwho.open(tmp_path / "restored.db", clock=kw.ctx.clock)
    exports.restore_json(restored, tmp_path / "backup.json")
    _assert_same(memory, restored)  # another file: its changes are not this one's
    assert memory.reloads == 2
    restored.close()


def test_the_server_answers_from_memory_and_sees_what_the_cli_records(kw: Knowwho, db_path: Path) -> None:
    ana = kw.people.add("Ana Lima").id
    kw.db.conn.execute("UPDATE people SET tie_strength = 0.45 WHERE id = ?", (ana,))
    kw.network.add_through("Zed Ray", via=ana, organization="Globex")
    app = create_app(factory(db_path))
    network: NetworkMemory = app.state.knowwho.network
    with TestClient(app, base_url="http://127.0.0.1") as client:
        for _ in range(500):  # the server reads the network as it starts, before anyone asks
            if network.reloads:
                break
            time.sleep(0.01)
        assert network.reloads == 1
        first = client.get("/api/paths", params={"org": "Globex"}).json()
        assert [[s["name"] for s in r["steps"]] for r in first["routes"]] == [["Ana Lima", "Zed Ray", "Globex"]]
        assert cli(db_path, "add", "Ben Okafor", "--org", "Globex")[0] == 0
        then = client.get("/api/paths", params={"org": "Globex"}).json()
        # Ben, just added with no history yet, is seen; he ranks below Ana, a closer tie
        assert [r["steps"][0]["name"] for r in then["routes"]] == ["Ana Lima", "Ben Okafor"]
    assert network.reloads == 1


def test_colleagues_kept_between_searches_are_worked_out_again_after_a_change(kw: Knowwho) -> None:
    """A server keeps each person's colleagues between searches; a new job must still open a route at once."""
    kw.network_memory = NetworkMemory()
    ana = kw.people.add("Ana Lima").id
    kw.network.add_role(ana, "Small Co", title="Engineer", start="2015")
    ben = kw.people.add("Ben Okafor").id
    zed = kw.network.add_through("Zed Ray", via=ben, organization="Target Inc").id
    target = kw.organizations.resolve("Target Inc").id

    def first_people() -> set[str]:
        return {route.steps[0].name for route in kw.paths.to_organization(target, limit=10).routes}

    assert first_people() == {"Ben Okafor"}
    assert kw.network_memory.colleagues.links(SqlNetwork(kw.db.conn), [zed], kw.ctx.today()) == []  # kept: none
    kw.network.add_role(zed, "Small Co", title="Designer", start="2016", end="2024")
    assert first_people() == {"Ben Okafor", "Ana Lima"}  # through Small Co, where both worked
    network, today = SqlNetwork(kw.db.conn), kw.ctx.today()
    full = ColleagueMemo(capacity=1)  # keeps nothing past one link: still the same links
    assert full.links(network, [ana, zed], today) == ColleagueMemo().links(network, [zed, ana], today) != []


def test_searches_read_side_by_side_and_catching_up_waits_for_them(kw: Knowwho, db_path: Path) -> None:
    """One search no longer waits for another to finish; a change is applied only once no search is reading."""
    import threading

    kw.people.add("Ana Lima")
    memory = _loaded(kw)
    other = Knowwho.open(db_path, check_same_thread=False)
    entered = threading.Event()
    seen: list[int] = []

    def search() -> None:
        with memory.current(other.db.conn) as held:
            entered.set()
            seen.append(len(held.nodes(range(100))))

    try:
        with memory.current(kw.db.conn):
            reader = threading.Thread(target=search)
            reader.start()
            assert entered.wait(5)  # it read while this search was still reading
            reader.join(5)
            kw.people.add("Ben Okafor")  # committed: the next search must see it
            entered.clear()
            writer = threading.Thread(target=search)
            writer.start()
            assert not entered.wait(0.3)  # catching up waits until this search is done
        writer.join(5)
        assert entered.is_set() and seen == [1, 2]
    finally:
        other.close()


def test_people_titled_in_a_field_are_kept_until_the_network_changes(
    kw: Knowwho, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A server keeps who holds a field's titles between searches; a new title must still count at once."""
    from knowwho.services import meaning

    kw.network_memory = NetworkMemory()
    kw.people.add("Ana Lima", organization="Acme", title="Data Engineer")

    def first_people() -> set[str]:
        return {route.steps[0].name for route in kw.paths.to_field("data", limit=10).routes}

    assert first_people() == {"Ana Lima"}
    read_titles = []
    monkeypatch.setattr(meaning, "titled_like", lambda *args: read_titles.append(args) or {})
    assert first_people() == {"Ana Lima"}
    assert read_titles == []  # kept: the titles were not read again
    kw.people.add("Ben Okafor", organization="Globex", title="Head of Data")
    assert first_people() == {"Ana Lima", "Ben Okafor"}
    assert len(read_titles) == 1  # read again after the change


def test_stints_kept_by_organization_are_read_again_after_a_change(kw: Knowwho) -> None:
    """A person page or search keeps each small organization's stints; a new job there must still count."""
    kw.network_memory = NetworkMemory()
    ana = kw.people.add("Ana Lima").id
    ben = kw.people.add("Ben Okafor").id
    kw.network.add_role(ana, "Small Co", title="Engineer", start="2015")
    assert [t.name for t in kw.network.ties(ana)] == []  # Small Co's stints kept: Ana's alone
    kw.network.add_role(ben, "Small Co", title="Designer", start="2016")
    assert [(t.name, t.source) for t in kw.network.ties(ana)] == [("Ben Okafor", "colleague")]
    network, today = SqlNetwork(kw.db.conn), kw.ctx.today()
    tight = ColleagueMemo(capacity=1)  # keeps next to nothing: still the same links
    assert tight.links(network, [ana, ben], today) == ColleagueMemo().links(network, [ben, ana], today) != []
