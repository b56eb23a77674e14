"""Each thing said once and in good English: the graph legend, Stats' charts, Undid, Knows N, merges."""

from __future__ import annotations

from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from knowwho.storage import provenance as provenance_store
from tests.web.conftest import csrf_of


def test_the_graph_legend_names_colleagues_once(client: TestClient, kw: Knowwho, filled: dict[str, int]) -> None:
    ana = filled["ana"]
    cy = kw.people.add("Cy Park", organization="Acme")
    with kw.ctx.change("linked") as conn:  # known from work, as the demo and imports record it
        provenance_store.add_knows(conn, ana, cy.id, source="same-organization", confidence=0.7, now=kw.ctx.now_stamp())
    page = client.get(f"/people/{ana}").text
    legend = page.split('class="netpic-legend')[1].split("</ul>")[0]
    assert legend.count("colleagues") == 1 and "Knows 2 of your contacts" in page


def test_knows_one_of_your_contacts(client: TestClient, filled: dict[str, int]) -> None:
    assert "Knows 1 of your contacts</h2>" in client.get(f"/people/{filled['ana']}").text


def test_stats_draws_each_chart_once_with_the_goal_on_it(
    client: TestClient, kw: Knowwho, filled: dict[str, int]
) -> None:
    kw.goals.set(conversations=3, new_people=2)
    html = client.get("/stats").text
    assert html.count("<svg") == 5  # as without goals: no second chart of the same weeks
    assert html.count("Conversations per week") == 3  # one chart: its heading, label and title
    assert 'aria-label="Conversations per week, against a goal of 3"' in html
    assert 'aria-label="New people per week, against a goal of 2"' in html


def test_undid_is_said_once_on_history(client: TestClient, filled: dict[str, int]) -> None:
    token = csrf_of(client, "/history")
    change = client.get("/api/history").json()[0]["id"]
    page = client.post(f"/history/{change}/undo", data={"csrf_token": token}).text
    assert page.count("Undid: ") == 1


def test_a_fix_on_the_person_page_is_said_once_with_its_undo(client: TestClient, filled: dict[str, int]) -> None:
    ana = filled["ana"]
    token = csrf_of(client, f"/people/{ana}")
    page = client.post(f"/people/{ana}/ledger", data={"direction": "gave", "what": "an article", "csrf_token": token})
    assert page.text.count("Gave Ana Lima advice: an article") == 1


def test_a_merge_of_two_records_of_one_name_says_which_into_which(
    client: TestClient, kw: Knowwho, filled: dict[str, int]
) -> None:
    first = kw.people.add("Ben Wu", emails=["ben@wu.example"])
    second = kw.people.add("Ben Wu", phones=["+1 555 0100"])
    kw.duplicates.merge(first.id, second.id)
    assert kw.history.latest() == f"merged #{second.id} Ben Wu into #{first.id} Ben Wu"
