"""Sharing: an item, the contacts it fits (their situation, needs and tags), and logging it sent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput
from knowwho.services.people import PersonChanges
from tests.importers.helpers import cli


@pytest.fixture
def people(kw: Knowwho) -> dict[str, int]:
    ids = {
        "ana": kw.people.add("Ana Lima").id,
        "ben": kw.people.add("Ben Cole", tags=["machine-learning"]).id,
        "cai": kw.people.add("Cai Wu", tags=["gardening"]).id,
    }
    kw.people.edit(ids["ana"], PersonChanges(situation="migrating company email to Microsoft 365"))
    return ids


def test_an_item_fits_the_people_it_is_about(kw: Knowwho, people: dict[str, int]) -> None:
    item = kw.sharing.add("https://example.org/blog/microsoft-365-migration-tips")
    assert item.title == "microsoft 365 migration tips"
    assert [f.person_id for f in kw.sharing.fits(item.id)] == [people["ana"]]
    tagged = kw.sharing.add("https://example.org/ml", title="Machine learning in production", tags=["ML Ops"])
    assert [f.person_id for f in kw.sharing.fits(tagged.id)] == [people["ben"]]


def test_shared_logs_an_outbound_message_and_a_gift(kw: Knowwho, people: dict[str, int]) -> None:
    item = kw.sharing.add("https://example.org/m365", title="M365 tips")
    kw.sharing.shared(item.id, [people["ana"], people["ben"]])
    ana = kw.people.get(people["ana"])
    assert ana.last_outbound_at is not None and ana.interaction_count == 1
    assert kw.ledger.balance(people["ben"]).given == 1
    assert kw.sharing.get(item.id).shared_with == 2
    assert people["ana"] not in [f.person_id for f in kw.sharing.fits(item.id)]
    kw.history.undo()
    assert kw.sharing.get(item.id).shared_with == 0
    assert kw.people.get(people["ana"]).interaction_count == 0


def test_bad_input(kw: Knowwho) -> None:
    with pytest.raises(InvalidInput, match="URL"):
        kw.sharing.add("not a link")
    with pytest.raises(InvalidInput):
        kw.sharing.add("", title=" ")


def test_cli_share_and_shared(db_path: Path, kw: Knowwho, people: dict[str, int]) -> None:
    code, out, _ = cli(
        db_path, "share", "https://example.org/x", "--title", "Email migration to Microsoft 365", "--json"
    )
    assert code == 0
    data = json.loads(out)
    assert data["fits"][0]["person_id"] == people["ana"]
    code, out, _ = cli(db_path, "shared", str(data["item"]["id"]), "Ana")
    assert code == 0 and "Ana Lima" in out
