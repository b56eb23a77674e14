"""The app factory: `create_app(db path or Knowwho factory)` builds one server; nothing happens at import."""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, PlainTextResponse, Response
from fastapi.staticfiles import StaticFiles
from pydantic import ValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import BaseRoute, Match

from knowwho.core import Knowwho
from knowwho.errors import AlreadyKnown, Ambiguous, InvalidSetting, KnowwhoError
from knowwho.services.access import API_TOKEN, FEED_TOKEN, SESSION_KEY, AccessService
from knowwho.services.paths.memory import NetworkMemory
from knowwho.services.upkeep import refresh_statistics
from knowwho.web.api.errors import describe, describe_model_errors, document_errors
from knowwho.web.security import SecurityMiddleware, check_listen, is_loopback, password_mark, verify_csrf
from knowwho.web.state import DEFAULT_MAX_UPLOAD, KnowwhoPool, WebConfig, WebState, factory_for
from knowwho.web.syncing import Syncing
from knowwho.web.templating import render

STATIC = Path(__file__).parent / "static"
STOP_SECONDS = 20.0  # an import's batch commits within seconds; then it sees the stop and ends cleanly


def create_app(
    source: str | Path | Callable[[], Knowwho],
    *,
    host: str = "127.0.0.1",
    password: str | None = None,
    max_upload_bytes: int = DEFAULT_MAX_UPLOAD,
    sync_every: float | None = None,
) -> FastAPI:
    """A server over the database at `source` (a path, or a function making a `Knowwho` per connection).

    With `sync_every` (seconds), every sync source is synced in the background that often.
    """
    check_listen(host, password)
    factory = source if callable(source) else factory_for(source)
    network = NetworkMemory()  # one for the server: every request's warm paths search it

    def with_network() -> Knowwho:
        kw = factory()
        kw.network_memory = network
        return kw

    pool = KnowwhoPool(with_network)
    config = WebConfig(password=password or None, max_upload_bytes=max_upload_bytes)
    if is_loopback(host):
        config.allowed_hosts = frozenset({"localhost", "127.0.0.1", "[::1]", host})
    with pool.borrow() as kw:
        access = AccessService(kw.ctx)
        config.session_key, config.api_token = access.secret(SESSION_KEY), access.secret(API_TOKEN)
        config.password_mark = password_mark(config.session_key, password)
        config.sessions = access.sessions(time.time())
        config.feed_token = access.secret(FEED_TOKEN)
        config.db_path = kw.db.path
        refresh_statistics(kw.ctx)
    state = WebState(pool=pool, config=config, syncing=Syncing(pool, sync_every), network=network)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        reading = threading.Thread(target=read_network, args=(pool, network), name="read-network", daemon=True)
        reading.start()
        state.syncing.start()
        yield
        state.syncing.stop(timeout=STOP_SECONDS)  # a sync, like an import, ends after its current batch
        state.jobs.stop_all(timeout=STOP_SECONDS)  # before the pool closes the connections the imports use
        reading.join(timeout=30)
        pool.close()

    app = FastAPI(
        title="knowwho",
        version="1",
        summary="Your network: people, conversations, follow-ups and today's actions.",
        docs_url=None,  # Swagger UI would load third-party scripts; the document is at /openapi.json
        redoc_url=None,
        lifespan=lifespan,
        dependencies=[Depends(verify_csrf)],
    )
    app.state.knowwho = state
    app.add_middleware(SecurityMiddleware, state=state)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    _add_error_handlers(app)
    _include_routes(app)
    document_errors(app)
    return app


def read_network(pool: KnowwhoPool, network: NetworkMemory) -> None:
    """Read the network into memory as the server starts, so that the first warm-path search does not wait."""
    try:
        with pool.borrow() as kw, network.current(kw.db.conn):
            pass
    except (KnowwhoError, sqlite3.Error):
        pass  # the first search reads it instead, and says what went wrong


def _include_routes(app: FastAPI) -> None:
    from knowwho.web.api import agenda as api_agenda
    from knowwho.web.api import duplicates as api_duplicates
    from knowwho.web.api import events as api_events
    from knowwho.web.api import history as api_history
    from knowwho.web.api import intros as api_intros
    from knowwho.web.api import me as api_me
    from knowwho.web.api import opportunities as api_opportunities
    from knowwho.web.api import orgs as api_orgs
    from knowwho.web.api import outreach as api_outreach
    from knowwho.web.api import paths as api_paths
    from knowwho.web.api import people as api_people
    from knowwho.web.api import sync as api_sync
    from knowwho.web.routes import capture, duplicates, history, orgs, person, settings, stats, sync, today, transfer
    from knowwho.web.routes import events as event_pages
    from knowwho.web.routes import intros as intro_pages
    from knowwho.web.routes import opportunities as opportunity_pages
    from knowwho.web.routes import outreach as outreach_pages
    from knowwho.web.routes import paths as path_pages
    from knowwho.web.routes import people as people_pages

    # /people/duplicates comes before /people/{person_id}, which would otherwise take it.
    pages = (today, people_pages, duplicates, person, capture, orgs, opportunity_pages, stats, transfer, settings, sync)
    for module in (*pages, history):
        app.include_router(module.router, include_in_schema=False)
    for module in (api_people, api_duplicates, api_agenda, api_orgs, api_opportunities, api_history, api_paths):
        app.include_router(module.router, prefix="/api")
    app.include_router(intro_pages.router, include_in_schema=False)
    app.include_router(api_intros.router, prefix="/api")
    for page in (outreach_pages, event_pages, path_pages):
        app.include_router(page.router, include_in_schema=False)
    for api in (api_outreach, api_events, api_me, api_sync):
        app.include_router(api.router, prefix="/api")

    @app.get("/healthz", include_in_schema=False)
    def healthz() -> PlainTextResponse:
        """A trivial endpoint: the ceiling of this server, for the benchmark."""
        return PlainTextResponse("ok")


def _wants_json(request: Request) -> bool:
    return request.url.path.startswith("/api") or "application/json" in request.headers.get("accept", "")


def _add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(KnowwhoError)
    async def knowwho_error(request: Request, error: KnowwhoError) -> Response:
        # Said without what only the command line can do: a command to run, an option to give.
        if _wants_json(request):
            body: dict[str, object] = {"error": error.plain, "type": type(error).__name__}
            if isinstance(error, Ambiguous):
                body["candidates"] = error.candidates
            if isinstance(error, AlreadyKnown):
                body["person_id"] = error.person_id
            if isinstance(error, InvalidSetting):  # named as the API names it, not as the command line does
                body["error"], body["field"] = f"{error.field} {error.problem}", error.field
            return JSONResponse(body, status_code=error.http_status)
        return _error_page(request, error.http_status, error.plain)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> Response:
        if error.status_code == 400 and error.detail == "There was an error parsing the body":
            return await invalid(request, RequestValidationError([{"type": "json_invalid", "loc": ("body",)}]))
        message = "There is no page here." if error.status_code == 404 else str(error.detail)
        headers = {"Allow": _allowed_methods(request)} if error.status_code == 405 else error.headers
        if _wants_json(request):
            body = {"error": message, "type": "HTTPError"}
            return JSONResponse(body, status_code=error.status_code, headers=headers)
        page = _error_page(request, error.status_code, message)
        page.headers.update(headers or {})
        return page

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> Response:
        if not _wants_json(request) and any(e["loc"][:1] == ("path",) for e in error.errors()):
            return await http_error(request, StarletteHTTPException(404))  # /people/abc names no page
        message = describe(error.errors())
        if _wants_json(request):
            return JSONResponse({"error": message, "type": "InvalidInput"}, status_code=422)
        return _error_page(request, 422, "Some of what was sent cannot be read: " + message)

    @app.exception_handler(ValidationError)
    async def invalid_form(request: Request, error: ValidationError) -> Response:
        """A page built an input model from its form and the form's values do not fit it."""
        message = describe_model_errors(error)
        if _wants_json(request):
            return JSONResponse({"error": message, "type": "InvalidInput"}, status_code=422)
        return _error_page(request, 422, message)


def _allowed_methods(request: Request) -> str:
    """Every method the requested path takes, from all its routes (the route that refused knows only its own)."""
    routes = [route for route in request.app.routes if isinstance(route, BaseRoute)]
    allowed = [
        method
        for method in ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE")
        if any(route.matches({**request.scope, "method": method})[0] == Match.FULL for route in routes)
    ]
    return ", ".join(allowed)


def _error_page(request: Request, status: int, message: str) -> Response:
    titles = {403: "Not allowed", 404: "Not found", 409: "Conflict", 413: "Too large", 422: "Please check"}
    context = {"status": status, "message": message, "title": titles.get(status, "Something went wrong")}
    if not hasattr(request.state, "csrf"):
        request.state.csrf = ""
    return render(request, "error.html", context, status=status)
