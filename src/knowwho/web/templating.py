"""Jinja2 set up for the pages: autoescaping everywhere, and small filters for dates and ties."""

from __future__ import annotations

from collections.abc import Callable, Hashable
from datetime import UTC, date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import jinja2
from fastapi import Request
from fastapi.responses import HTMLResponse

from knowwho.services import tie_strength
from knowwho.web import flash, svg
from knowwho.wording import days_ago, plural

if TYPE_CHECKING:
    from knowwho.core import Knowwho
    from knowwho.web.cache import ChangeCache

TEMPLATES = Path(__file__).parent / "templates"
NAV = (
    ("today", "/", "Today"),
    ("people", "/people", "People"),
    ("capture", "/capture", "Capture"),
    ("events", "/events", "Events"),
    ("organizations", "/organizations", "Organizations"),
    ("opportunities", "/opportunities", "Opportunities"),
    ("intros", "/intros", "Introductions"),
    ("stats", "/stats", "Stats"),
    ("transfer", "/transfer", "Import / export"),
    ("history", "/history", "History"),
    ("settings", "/settings", "Settings"),
)
ARROWS = {"in": "←", "out": "→", "mutual": "↔"}
DIRECTION_WORDS = {"in": "from them", "out": "from you", "mutual": "together"}


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(TEMPLATES)),
        autoescape=True,  # every template, whatever its name: user and import text is data
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        # The templates ship with the package: checking each one's modification time on every page cost a
        # file system call per template per page, and each such call waits its turn for the interpreter lock.
        auto_reload=False,
    )
    env.filters.update(day=day, ago=ago, tier=tie_strength.tier_of, plural=plural, kind_words=kind_words)
    env.globals.update(
        nav=NAV,
        arrows=ARROWS,
        direction_words=DIRECTION_WORDS,
        svg_edges=svg.edges,
        svg_nodes=svg.nodes,
        svg_people=svg.people,
    )
    return env


def render(request: Request, name: str, context: dict[str, Any], *, status: int = 200) -> HTMLResponse:
    page = {"request": request, "csrf": request.state.csrf, "active": "", "title": "", "bare": False,
            "flash": flash.take(request), **context}  # fmt: skip
    response = HTMLResponse(environment().get_template(name).render(page), status_code=status)
    flash.clear(request, response)
    return response


# Stands for the browser's CSRF token in a page rendered once for everyone (see `render_kept`).
_TOKEN_MARK = "csrf-token-of-this-browser-4f1c9a"


def render_kept(
    request: Request, cache: ChangeCache, kw: Knowwho, key: Hashable, name: str, context: Callable[[], dict[str, Any]]
) -> HTMLResponse:
    """A page that is the same for everyone until the data changes: rendered once and kept, this
    browser's token put in on the way out. A confirmation to show (after a redirect) renders afresh."""
    if flash.take(request):
        return render(request, name, context())
    html = cache.get(kw, key, lambda: _render_for_anyone(name, context()))
    response = HTMLResponse(html.replace(_TOKEN_MARK, request.state.csrf))
    flash.clear(request, response)
    return response


def _render_for_anyone(name: str, context: dict[str, Any]) -> str:
    page = {"request": None, "csrf": _TOKEN_MARK, "active": "", "title": "", "bare": False, "flash": "", **context}
    return environment().get_template(name).render(page)


def kind_words(kind: str) -> str:
    """A kind of conversation as words ("informational interview"); a filter, not a method call in the template,
    which the template engine makes several times dearer."""
    return kind.replace("-", " ")


def day(stamp: str | None) -> str:
    """A stored stamp or date as the local calendar date."""
    if not stamp:
        return ""
    if len(stamp) == 10:
        return stamp
    # The stored 'YYYY-MM-DD HH:MM:SS' read by the C parser: `strptime` cost a tenth of a millisecond a page.
    return datetime.fromisoformat(stamp[:19]).replace(tzinfo=UTC).astimezone().date().isoformat()


def ago(stamp: str | None, today: date) -> str:
    if not stamp:
        return "never"
    then = date.fromisoformat(day(stamp))
    days = (today - then).days
    if days < 0:
        return f"in {-days} day{'s' if days < -1 else ''}" if days > -14 else then.isoformat()
    return days_ago(days)
