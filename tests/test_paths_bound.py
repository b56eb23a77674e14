"""A search that leaves out the routes which cannot rank gives the same answers as one that walks them all."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from knowwho.clock import fixed_clock
from knowwho.core import Knowwho
from knowwho.services.demo import generate_demo
from knowwho.services.paths import search, service
from knowwho.services.paths.memory import NetworkMemory
from knowwho.services.paths.service import PathService, answer_dict
from tests.conftest import NOW


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Knowwho]:
    app = Knowwho.open(tmp_path_factory.mktemp("demo") / "demo.db", clock=fixed_clock(NOW))
    generate_demo(app, people=800, seed=3)
    yield app
    app.close()


def _questions(kw: Knowwho) -> list[dict[str, str]]:
    conn = kw.db.conn
    orgs = conn.execute(
        """SELECT o.name FROM roles r JOIN organizations o ON o.id = r.organization_id
           GROUP BY o.id ORDER BY COUNT(*) DESC, o.id LIMIT 8"""
    ).fetchall()
    others = conn.execute("SELECT id FROM people WHERE is_contact = 0 AND deleted_at IS NULL ORDER BY id LIMIT 8")
    return (
        [{"organization": name} for (name,) in orgs]
        + [{"person": f"#{pid}"} for (pid,) in others]
        + [{"field_text": word} for word in ("data", "design", "engineer")]
    )


def _answers(kw: Knowwho, paths: PathService) -> tuple[list[dict[str, object]], int]:
    walked = 0
    walk = search.walk_strong_paths

    def counting(*args: object, **kwargs: object) -> list[list[int]]:
        nonlocal walked
        found = walk(*args, **kwargs)  # type: ignore[arg-type]
        walked += len(found)
        return found

    search.walk_strong_paths = counting  # type: ignore[assignment]
    try:
        answers = [
            answer_dict(paths.find(limit=limit, **question)) for question in _questions(kw) for limit in (1, 3, 10, 50)
        ]
    finally:
        search.walk_strong_paths = walk  # type: ignore[assignment]
    return answers, walked


@pytest.mark.parametrize("in_memory", [False, True])
def test_leaving_out_weak_routes_changes_no_answer(
    demo: Knowwho, monkeypatch: pytest.MonkeyPatch, in_memory: bool
) -> None:
    paths = PathService(demo.ctx, NetworkMemory() if in_memory else None)
    bounded, walked_bounded = _answers(demo, paths)
    monkeypatch.setattr(service, "_least_onward", lambda *args: 0.0)
    every, walked_every = _answers(demo, paths)
    assert bounded == every
    assert sum(len(a["routes"]) for a in every) > 200  # type: ignore[arg-type]  # real answers were compared
    assert walked_bounded < walked_every  # and the bound did leave routes out
