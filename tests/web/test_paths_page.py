"""The warm-paths page: routes into an organization or to a field, a choice among organizations, no match."""

from __future__ import annotations

import re

from fastapi.testclient import TestClient

from knowwho.core import Knowwho
from tests.web.conftest import XSS


def _people(kw: Knowwho) -> dict[str, int]:
    ana = kw.people.add("Ana Lima", organization="Tidal Press", title="Editor", closeness=4).id
    kw.people.add("Bo Chen", organization="Tidal Press", title="Producer", closeness=5)
    cleo = kw.people.add("Cleo Park", closeness=5).id
    zed = kw.network.add_through("Zed Ray", via=cleo, organization="Tidal Press Lisbon", title="Data Engineer").id
    evil = kw.people.add(XSS, organization="Tidal Media", title=XSS, closeness=3).id
    return {"ana": ana, "cleo": cleo, "zed": zed, "evil": evil}


def _routes(page: str) -> list[str]:
    """Each route's line of steps, as read (tags dropped)."""
    items = re.findall(r"<li>\s*<div>(.*?)</div>", page, re.S)
    return [" ".join(re.sub(r"<[^>]+>", "", item).split()) for item in items]


def test_routes_into_an_organization_best_first_each_with_why(client: TestClient, kw: Knowwho) -> None:
    ids = _people(kw)
    page = client.get("/paths", params={"kind": "organization", "q": "Tidal Press"})  # exact beats "… Lisbon"
    assert page.status_code == 200
    assert _routes(page.text) == [
        "you → Bo Chen (moderate tie) → Tidal Press (works there: Producer)",
        "you → Ana Lima (weak tie) → Tidal Press (works there: Editor)",
    ]
    assert "Ana Lima works at Tidal Press as Editor." in page.text
    assert f'href="/people/{ids["ana"]}"' in page.text and 'href="/organizations/' in page.text
    assert 'value="Tidal Press"' in page.text  # the form keeps what was asked


def test_a_field_finds_people_known_through_others_by_title(client: TestClient, kw: Knowwho) -> None:
    _people(kw)
    page = client.get("/paths", params={"kind": "field", "q": "data"})
    assert page.status_code == 200 and "Routes to people in “data”" in page.text
    assert _routes(page.text) == ["you → Cleo Park (moderate tie) → Zed Ray (knows)"]
    assert "Zed Ray works at Tidal Press Lisbon as Data Engineer." in page.text


def test_a_name_several_organizations_share_offers_each_and_one_that_none_has_says_so(
    client: TestClient, kw: Knowwho
) -> None:
    _people(kw)
    page = client.get("/paths", params={"kind": "organization", "q": "Tidal"})
    assert page.status_code == 200 and "“Tidal” matches 3 organizations: pick one." in page.text
    links = re.findall(r'href="/paths\?kind=organization&amp;q=(%23\d+)">([^<]+)</a>', page.text)
    assert sorted(name for _ref, name in links) == ["Tidal Media", "Tidal Press", "Tidal Press Lisbon"]
    chosen = client.get(f"/paths?kind=organization&q={links[0][0]}")
    assert chosen.status_code == 200 and "Routes into" in chosen.text
    missing = client.get("/paths", params={"kind": "organization", "q": "Nowhere Inc"})
    assert missing.status_code == 200 and "No organization matches “Nowhere Inc”." in missing.text
    assert 'value="Nowhere Inc"' in missing.text


def test_what_people_typed_comes_back_escaped_and_a_bad_kind_is_refused(client: TestClient, kw: Knowwho) -> None:
    _people(kw)
    page = client.get("/paths", params={"kind": "organization", "q": XSS})
    assert page.status_code == 200 and XSS not in page.text and "&lt;img" in page.text
    field = client.get("/paths", params={"kind": "field", "q": "img"})
    assert field.status_code == 200 and XSS not in field.text
    assert client.get("/paths", params={"kind": "planet", "q": "x"}).status_code == 422
    empty = client.get("/paths")
    assert empty.status_code == 200 and "Find a way in" in empty.text and "Routes" not in empty.text
    assert 'href="/paths?kind=field"' in client.get("/organizations").text  # reached from Organizations


def test_an_id_no_organization_can_have_is_no_match_not_a_server_error(client: TestClient, kw: Knowwho) -> None:
    _people(kw)
    for ref in ("#²", "#99999999999999999999"):
        page = client.get("/paths", params={"kind": "organization", "q": ref})
        assert page.status_code == 200 and f"No organization matches “{ref}”" in page.text
