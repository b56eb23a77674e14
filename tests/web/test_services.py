"""The services behind the web pages: listing, stats, capture, drafts, secrets."""

from __future__ import annotations

from datetime import timedelta

import pytest

from knowwho.core import Knowwho
from knowwho.errors import InvalidInput
from knowwho.services.access import FEED_TOKEN, AccessService
from knowwho.services.browse import BrowseQuery, BrowseService, tier_range
from knowwho.services.capture import capture
from knowwho.services.drafts import draft
from knowwho.services.stats import StatsService
from tests.conftest import NOW


def test_tier_ranges_cover_the_scale_without_gaps() -> None:
    assert tier_range("strong") == (0.7, 1.01)
    assert tier_range("moderate") == (0.45, 0.7)
    assert tier_range("weak") == (0.25, 0.45)
    assert tier_range("dormant") == (0.0, 0.25)
    with pytest.raises(InvalidInput):
        tier_range("best")


def test_keyset_paging_is_stable_across_equal_sort_values(kw: Knowwho) -> None:
    for n in range(25):
        kw.people.add(f"Same Name {n % 3}")  # many equal names: the id breaks ties
    browse = BrowseService(kw.ctx, kw.search)
    seen: list[int] = []
    cursor = ""
    for sort in ("name", "recent", "strength", "added", "overdue"):
        seen, cursor = [], ""
        while True:
            page = browse.page(BrowseQuery(sort=sort, limit=4, cursor=cursor))
            seen += [p.id for p in page.people]
            cursor = page.next_cursor
            if not cursor:
                break
        assert sorted(seen) == list(range(1, 26)), sort
        assert page.total == 25


def test_search_keeps_relevance_and_honours_filters(kw: Knowwho) -> None:
    kw.people.add("Ana Lima", tags=["python"])
    kw.people.add("Ana Souza")
    browse = BrowseService(kw.ctx, kw.search)
    assert {p.display_name for p in browse.page(BrowseQuery(q="ana")).people} == {"Ana Lima", "Ana Souza"}
    assert [p.display_name for p in browse.page(BrowseQuery(q="ana", tag="Python")).people] == ["Ana Lima"]
    assert [p.display_name for p in browse.page(BrowseQuery(q="ana", sort="name", limit=1)).people] == ["Ana Lima"]


def test_weekly_stats(kw: Knowwho) -> None:
    ana = kw.people.add("Ana", how_met="PyCon", first_met_on=(NOW.date() - timedelta(days=8)).isoformat())
    kw.interactions.log([ana.id], kind="coffee", when=NOW - timedelta(days=1))
    kw.interactions.log([ana.id], kind="email", when=NOW - timedelta(days=8))
    kept = kw.followups.add(ana.id, NOW.date(), note="done the day it was due")
    kw.followups.close(kept.id, "done")
    kw.followups.add(ana.id, NOW.date() - timedelta(days=2), note="missed")
    stats = StatsService(kw.ctx).overview(weeks=4)
    assert [w.starts_on.isoformat() for w in stats.weeks] == ["2026-10-26", "2026-11-02", "2026-11-09", "2026-11-16"]
    assert [w.conversations for w in stats.weeks] == [0, 0, 1, 1]
    assert [w.new_people for w in stats.weeks] == [0, 0, 1, 0]
    assert (stats.weeks[-1].followups_due, stats.weeks[-1].followups_on_time) == (2, 1)
    assert dict(stats.by_tier)["dormant"] + dict(stats.by_tier)["weak"] + dict(stats.by_tier)["moderate"] >= 1
    assert not stats.is_empty


def test_capture_makes_one_reminder_on_the_chosen_day(kw: Knowwho) -> None:
    done = capture(
        kw.people, kw.followups, kw.agenda, name="Lea Roy", where="PyCon", note="climbs", email="lea@x.example"
    )
    assert done.followup is not None and done.followup.due_on == "2026-11-20"
    assert [i.action for i in kw.agenda.today(remember=False).items] == []
    later = capture(kw.people, kw.followups, kw.agenda, name="Max", where="PyCon", followup_days=None)
    assert later.followup is None
    assert [i.action for i in kw.agenda.today(remember=False).items] == ["nice-to-meet"]
    with pytest.raises(InvalidInput):
        capture(kw.people, kw.followups, kw.agenda, name="", where="PyCon")


def test_a_capture_with_its_reminder_is_one_change_one_undo_takes_back(kw: Knowwho) -> None:
    capture(kw.people, kw.followups, kw.agenda, name="Mia Chen", where="PyCon", email="mia@example.org")
    assert [c.description for c in kw.history.recent()] == [
        f"captured Mia Chen, met at PyCon, with a follow-up on {(NOW.date() + timedelta(days=2)).isoformat()}"
    ]
    kw.history.undo()
    assert kw.people.count() == 0 and kw.followups.open_until(NOW.date() + timedelta(days=60)) == []
    assert kw.history.latest() is None


def test_drafts_greet_by_first_name_and_fill_a_mailto(kw: Knowwho) -> None:
    ana = kw.people.add("Ana Lima", emails=["ana@acme.example"], how_met="PyCon")
    found = draft(kw.people, "nice-to-meet", ana.id)
    assert found.body.startswith("Hi Ana,\n") and "at PyCon" in found.body
    assert found.mailto.startswith("mailto:ana@acme.example?subject=Nice%20to%20meet%20you&body=Hi%20Ana")
    assert draft(kw.people, "whatever", None).to == []


def test_secrets_persist_and_regenerate(kw: Knowwho) -> None:
    access = AccessService(kw.ctx)
    first = access.secret(FEED_TOKEN)
    assert access.secret(FEED_TOKEN) == first and len(first) >= 40
    assert access.check(FEED_TOKEN, first) and not access.check(FEED_TOKEN, "nope")
    assert access.regenerate(FEED_TOKEN) != first
    with pytest.raises(ValueError):
        access.secret("anything")


def test_organizations_list_counts_people_there_now(kw: Knowwho) -> None:
    for name in ("Ana", "Bo", "Cy"):
        kw.people.add(name, organization="Acme")
    kw.people.add("Di", organization="Zeta")
    gone = kw.people.add("Ed", organization="Zeta")
    kw.people.add("Fay", organization="Beta")
    kw.people.remove(gone.id)
    zeta = kw.organizations.resolve("Zeta")
    kw.organizations.set_target(zeta.id, True)
    kw.organizations.ensure("Empty Inc")
    listed = [(org.name, n) for org, n in kw.organizations.list()]
    assert listed == [("Zeta", 1), ("Acme", 3), ("Beta", 1), ("Empty Inc", 0)]
    assert [org.name for org, _ in kw.organizations.list(limit=2, offset=2)] == ["Beta", "Empty Inc"]
    assert StatsService(kw.ctx).overview().by_organization[:3] == [
        (kw.organizations.resolve("Acme").id, "Acme", 3),
        (kw.organizations.resolve("Beta").id, "Beta", 1),
        (zeta.id, "Zeta", 1),
    ]
