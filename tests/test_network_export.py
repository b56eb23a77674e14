"""The network export: every tie, recorded or inferred, with its basis and confidence, as graph tools read it."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import networkx as nx
from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from knowwho.services.exports import export_network
from knowwho.services.paths.ties import every_tie, ties_of
from tests.importers.helpers import cli


def _network(kw: Knowwho) -> dict[str, int]:
    """Ana knows Zed (her cousin); Ben and Yan were colleagues at Tiny; Ana and Ben are on one mail thread;
    you met Cleo and Dan at a meetup; you introduced Ben and Cleo. Gone Guy was removed."""
    ana, ben, cleo = (kw.people.add(n).id for n in ("Ana Lima", "Ben Okafor", "Cleo Park"))
    zed = kw.network.add_through("Zed Ray", via=ana, how="her cousin").id
    yan = kw.network.add_through("Yan Li", via=kw.people.add("Someone Else").id).id
    kw.network.add_role(yan, "Tiny", start="2010-01", end="2011-06")
    kw.network.add_role(ben, "Tiny", start="2009", end="2012")
    kw.interactions.log([ana, ben], kind="email", subject="Slides", note="the deck")
    meetup = kw.events.add("Data meetup", starts_on=date(2026, 11, 2)).id
    dan = kw.events.met("Dan Wu", event_id=meetup).person_id
    kw.events.met("Cleo Park", event_id=meetup)
    intro = kw.intros.introduce(ben, cleo)
    kw.intros.set_stage(intro.id, "made")
    gone = kw.people.add("Gone Guy").id
    kw.network.knows(gone, ana)
    kw.people.remove(gone)
    return {"ana": ana, "ben": ben, "cleo": cleo, "zed": zed, "yan": yan, "dan": dan, "gone": gone}


def test_the_export_holds_every_tie_with_its_basis_and_graph_tools_read_it(kw: Knowwho, tmp_path: Path) -> None:
    ids = _network(kw)
    result = export_network(kw, tmp_path / "network.json")
    graph = nx.node_link_graph(json.loads(result.path.read_text(encoding="utf-8")), edges="links")
    assert ids["gone"] not in graph and graph.nodes[ids["zed"]] == {"name": "Zed Ray", "contact": False,
                                                                   "tie_strength": 0.0}  # fmt: skip
    basis = {tuple(sorted((a, b))): data["basis"] for a, b, data in graph.edges(data=True)}
    assert basis[tuple(sorted((ids["ana"], ids["zed"])))] == "me"
    assert basis[tuple(sorted((ids["ben"], ids["yan"])))] == "colleague"
    assert basis[tuple(sorted((ids["ana"], ids["ben"])))] == "mail-co-recipient"
    assert basis[tuple(sorted((ids["cleo"], ids["dan"])))] == "same-event"
    assert basis[tuple(sorted((ids["ben"], ids["cleo"])))] == "introduced"
    colleagues = graph.edges[ids["ben"], ids["yan"]]
    assert colleagues["how"] == "colleague at Tiny 2010–2011" and 0.2 < colleagues["confidence"] < 0.8
    assert graph.edges[ids["ana"], ids["zed"]] == {"basis": "me", "confidence": 1.0, "how": "her cousin"}
    assert result.count == graph.number_of_edges()


def test_every_tie_agrees_with_each_persons_ties(kw: Knowwho) -> None:
    _network(kw)
    today = kw.ctx.today()
    every = every_tie(kw.db.conn, today=today)
    people = [r[0] for r in kw.db.conn.execute("SELECT id FROM people WHERE deleted_at IS NULL")]
    from_each = {
        (min(p, t.person_id), max(p, t.person_id), t.source, t.confidence, t.how)
        for p in people
        for t in ties_of(kw.db.conn, p, today=today)
    }
    assert {(t.a, t.b, t.source, t.confidence, t.how) for t in every} == from_each


def test_command_and_download(kw: Knowwho, db_path: Path, tmp_path: Path) -> None:
    _network(kw)
    code, out, _ = cli(db_path, "export", "network", str(tmp_path / "net.json"))
    assert code == 0 and out.startswith("Wrote the network with 6 ties to")
    from knowwho.web.app import create_app
    from tests.web.conftest import factory

    with TestClient(create_app(factory(db_path)), base_url="http://127.0.0.1") as client:
        assert "Who knows whom (JSON graph)" in client.get("/transfer").text
        download = client.get("/transfer/export/network")
        assert download.status_code == 200 and len(download.json()["links"]) == 6
