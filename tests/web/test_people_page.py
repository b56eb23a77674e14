"""The People page and the search API: one search box, marks around matches, suggestions when nobody matches."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from knowwho.services.people import PersonChanges
from tests.web.conftest import XSS


def _network(kw: Knowwho) -> dict[str, int]:
    henry = kw.people.add("Henry Ford", organization="Ford Motor")
    ana = kw.people.add("Ana Lima", organization="Acme")
    ben = kw.people.add("Ben Ng")
    kw.people.edit(ben.id, PersonChanges(situation="migrating email to M365"))
    evil = kw.people.add(f"{XSS} [b]x[/b]")
    return {"henry": henry.id, "ana": ana.id, "ben": ben.id, "evil": evil.id}


def test_a_match_is_marked_not_bracketed(client: TestClient, kw: Knowwho) -> None:
    _network(kw)
    html = client.get("/people?q=migrating").text
    assert "<mark>migrating</mark> email to M365" in html and "[migrating]" not in html
    part = client.get("/people?q=ben&part=results").text
    assert "<mark>Ben</mark> Ng" in part and "[Ben]" not in part


def test_user_text_in_a_match_stays_text(client: TestClient, kw: Knowwho) -> None:
    _network(kw)
    html = client.get("/people?q=img&part=results").text
    assert XSS not in html and "&lt;<mark>img</mark> src=x" in html
    assert "[b]x[/b]" in html  # brackets typed by a person are shown as typed


def test_nobody_matches_but_did_you_mean(client: TestClient, kw: Knowwho) -> None:
    ids = _network(kw)
    for typed, meant in (("henri", "henry"), ("Ana+Lma", "ana"), ("anna", "ana")):
        html = client.get(f"/people?q={typed}").text
        assert "Did you mean" in html and f'href="/people/{ids[meant]}"' in html, typed
    html = client.get("/people?q=qqqqqq").text
    assert "Did you mean" not in html and "Nobody matches" in html


def test_one_search_box_on_the_people_page(client: TestClient, kw: Knowwho) -> None:
    _network(kw)
    people = client.get("/people").text
    assert people.count('type="search"') == 1 and "data-live-search" in people and 'class="quicksearch"' not in people
    assert 'class="quicksearch"' in client.get("/").text  # the other pages keep the quick search
    # Without scripts the box is a plain form: its query answers with the whole page.
    found = client.get("/people?q=ben&sort=name").text
    assert "<html" in found and "Ben Ng" in found and "Henry Ford" not in found


def test_search_api_gives_text_offsets_and_suggestions(client: TestClient, kw: Knowwho) -> None:
    ids = _network(kw)
    found = client.get("/api/search?q=ben").json()
    assert found["hits"][0]["matched"] == {"text": "Ben Ng", "highlights": [[0, 3]]}
    assert found["suggestions"] == []
    missed = client.get("/api/search?q=henri").json()
    assert missed["hits"] == [] and missed["suggestions"][0] == {
        "id": ids["henry"], "name": "Henry Ford", "organization": "Ford Motor",
    }  # fmt: skip


def test_people_api_shares_the_page_data(client: TestClient, kw: Knowwho) -> None:
    ids = _network(kw)
    page = client.get("/api/people?q=migrating").json()
    assert [p["id"] for p in page["people"]] == [ids["ben"]]
    assert page["matched"][str(ids["ben"])]["highlights"] == [[0, 9]]
    missed = client.get("/api/people?q=anna").json()
    assert missed["people"] == [] and [s["id"] for s in missed["suggestions"]] == [ids["ana"]]
    assert client.get("/api/people").json()["suggestions"] == []


def test_every_search_box_holds_no_more_than_a_search_takes(client: TestClient) -> None:
    """A longer paste would come back as an error page instead of a search: the box cuts it to the limit."""
    boxes = [
        box for path in ("/", "/people") for box in re.findall(r'<input[^>]*name="q"[^>]*>', client.get(path).text)
    ]
    assert len(boxes) == 2 and all('maxlength="200"' in box for box in boxes)  # the header's, the page's
