"""Who may talk to the server, and how: loopback by default, a password elsewhere, CSRF, CSP, size limits.

- Listening on a non-loopback address needs a password; then every page and
  API call needs a login session or `Authorization: Bearer <API token>`. A
  session is a signed cookie naming a session the server keeps: signing out
  ends it, "sign out everywhere" ends all, and a new password invalidates
  every cookie signed under the old one. Password guesses are throttled per
  client and overall (`LoginThrottle`).
- The Host header must name this machine when listening on loopback, so a
  web page cannot reach the server through DNS rebinding.
- State-changing requests carry the CSRF token (form field `csrf_token` or
  header `X-CSRF-Token`, matched against an HttpOnly SameSite cookie that the
  server signed for this browser's session, so a page elsewhere on the same
  machine cannot plant one), and a browser's `Origin` / `Sec-Fetch-Site` must
  say they come from this server. API calls with a JSON body or a bearer token
  need no token, as browsers cannot send those cross-site without a CORS
  preflight, which is never granted.
- Every response carries a strict Content-Security-Policy (no inline script).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
import sqlite3
import time
from collections.abc import Callable
from http.cookies import SimpleCookie
from typing import Any

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from knowwho.errors import DatabaseBusy, KnowwhoError
from knowwho.storage.database import busy_error, busy_timeout, is_busy
from knowwho.web.numbers import whole_number

SESSION_COOKIE = "kw_session"
CSRF_COOKIE = "kw_csrf"
SESSION_SECONDS = 14 * 24 * 3600
# Only GET and POST (and HEAD) can be sent cross-site without a CORS preflight,
# which this server never grants; so only POST needs the CSRF proof.
CSRF_METHODS = frozenset({"POST"})
OPEN_PATHS = ("/login", "/static/", "/healthz", "/feed/")
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; "
    "connect-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
HEADERS = [
    (b"content-security-policy", CSP.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"no-referrer"),
    (b"cross-origin-opener-policy", b"same-origin"),
]


class Forbidden(KnowwhoError):
    http_status = 403


class TooLarge(KnowwhoError):
    http_status = 413


def is_loopback(host: str) -> bool:
    name = host.strip("[]")
    if name == "localhost":
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def check_listen(host: str, password: str | None) -> None:
    """Refuse to listen beyond this machine without a password."""
    if not is_loopback(host) and not password:
        raise Forbidden(
            f"refusing to listen on {host} without a password: set KNOWWHO_PASSWORD or use --password-file "
            "(or listen on 127.0.0.1)"
        )


def password_mark(key: str, password: str | None) -> str:
    """What a session's signature knows of the password: a new password invalidates every session."""
    return _sign(key, f"password:{password or ''}")


def session_value(key: str, session_id: str, expires: int, mark: str = "") -> str:
    return f"{expires}.{session_id}.{_sign(key, f'session:{expires}:{session_id}:{mark}')}"


def session_id_of(key: str, value: str, mark: str = "", now: float | None = None) -> str:
    """The id of the session a cookie names, if the server signed it and it has not expired; else ''."""
    expires, _, rest = value.partition(".")
    session_id, _, signature = rest.partition(".")
    expiry = whole_number(expires)
    if expiry is None or expiry < (now or time.time()) or not session_id:
        return ""
    expected = _sign(key, f"session:{expires}:{session_id}:{mark}")
    return session_id if hmac.compare_digest(signature, expected) else ""


def csrf_value(key: str, session_id: str) -> str:
    """A fresh CSRF token, signed for this session (or for no session)."""
    nonce = secrets.token_urlsafe(24)
    return f"{nonce}.{_sign(key, f'csrf:{nonce}:{session_id}')}"


def csrf_valid(key: str, session_id: str, value: str) -> bool:
    nonce, _, signature = value.partition(".")
    return bool(nonce) and hmac.compare_digest(signature, _sign(key, f"csrf:{nonce}:{session_id}"))


def password_matches(expected: str, offered: str) -> bool:
    return hmac.compare_digest(hashlib.sha256(expected.encode()).digest(), hashlib.sha256(offered.encode()).digest())


def _sign(key: str, text: str) -> str:
    return hmac.new(key.encode(), text.encode(), hashlib.sha256).hexdigest()


def _cookies(scope: Scope) -> dict[str, str]:
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            jar: SimpleCookie = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:  # a malformed cookie header is treated as none
                return {}
            return {k: m.value for k, m in jar.items()}
    return {}


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", []):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def host_name(header: str) -> str:
    """'127.0.0.1:8765' -> '127.0.0.1'; '[::1]:8765' -> '[::1]' (lower-case)."""
    value = header.strip().lower()
    if value.startswith("["):
        return value[: value.find("]") + 1] if "]" in value else value
    return value.rsplit(":", 1)[0]


def _host_allowed(allowed: frozenset[str], name: str) -> bool:
    """A name this server answers to: one it listens on, or any spelling of loopback ([0:0::1], 127.0.0.1...)."""
    return name in allowed or is_loopback(name)


def bearer_ok(scope: Scope, api_token: str) -> bool:
    auth = _header(scope, b"authorization")
    if not auth.lower().startswith("bearer ") or not api_token:
        return False
    return hmac.compare_digest(auth[7:].strip().encode(), api_token.encode())


class SecurityMiddleware:
    """Host check, authentication, body size limit and security headers, before any route runs."""

    def __init__(self, app: ASGIApp, state: Any) -> None:
        self.app = app
        self.state = state  # WebState; read at request time so regenerated secrets apply at once

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        config = self.state.config
        cookies = _cookies(scope)
        session_id = session_id_of(config.session_key, cookies.get(SESSION_COOKIE, ""), config.password_mark)
        if session_id not in config.sessions:
            session_id = ""  # ended (signed out) or never started here
        csrf = cookies.get(CSRF_COOKIE, "")
        new_csrf = (
            "" if csrf_valid(config.session_key, session_id, csrf) else csrf_value(config.session_key, session_id)
        )
        state = scope.setdefault("state", {})
        state["csrf"], state["session_id"] = new_csrf or csrf, session_id
        path: str = scope["path"]

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers.extend(HEADERS)
                if message["status"] == 503:  # the database is busy: say when to come back
                    headers.append((b"retry-after", str(DatabaseBusy.retry_after).encode()))
                if new_csrf:
                    cookie = f"{CSRF_COOKIE}={new_csrf}; Path=/; HttpOnly; SameSite=Strict"
                    headers.append((b"set-cookie", cookie.encode()))
                message["headers"] = headers
            await send(message)

        if config.allowed_hosts and not _host_allowed(config.allowed_hosts, host_name(_header(scope, b"host"))):
            await _plain(send_with_headers, 400, b"unknown host name")
            return
        length = _header(scope, b"content-length")
        if len(length) > 18 or (whole_number(length) or 0) > config.max_upload_bytes:
            await _plain(send_with_headers, 413, b"the upload is larger than the server accepts")
            return
        if config.password and not path.startswith(OPEN_PATHS):
            scope["state"]["via_bearer"] = bearer_ok(scope, config.api_token)
            if not session_id and not scope["state"]["via_bearer"]:
                await _refuse(scope, send_with_headers)
                return
        else:
            scope["state"]["via_bearer"] = bearer_ok(scope, config.api_token)
        body = _BodyLimit(receive, send_with_headers, config.max_upload_bytes)
        try:
            await self.app(scope, body.receive, body.send)
        except sqlite3.OperationalError as error:  # a lock met outside a unit of work's own wait
            if not is_busy(error) or body.started:
                raise
            text = json.dumps({"error": str(busy_error(None, busy_timeout())), "type": "DatabaseBusy"}).encode()
            await _plain(send_with_headers, 503, text, b"application/json")
        except TooLarge:
            if not body.exceeded or body.started:
                raise
        if body.exceeded and not body.started:
            await _plain(send_with_headers, 413, b"the upload is larger than the server accepts")


class _BodyLimit:
    """Stop reading a body (chunked or lying about its length) once it passes the limit, and answer 413.

    The body parser turns any failure to read into its own 400, so whatever
    the route answers after the limit is passed is replaced by the 413.
    """

    def __init__(self, receive: Receive, send: Send, limit: int) -> None:
        self._receive, self._send, self.limit = receive, send, limit
        self.seen = 0
        self.exceeded = self.started = False

    async def receive(self) -> Message:
        message = await self._receive()
        if message["type"] == "http.request":
            self.seen += len(message.get("body", b""))
            if self.seen > self.limit:
                self.exceeded = True
                raise TooLarge("the upload is larger than the server accepts")
        return message

    async def send(self, message: Message) -> None:
        if self.exceeded and not self.started:
            return
        self.started = True
        await self._send(message)


async def _plain(send: Send, status: int, body: bytes, content_type: bytes = b"text/plain; charset=utf-8") -> None:
    await send({"type": "http.response.start", "status": status, "headers": [(b"content-type", content_type)]})
    await send({"type": "http.response.body", "body": body})


async def _refuse(scope: Scope, send: Send) -> None:
    path = scope["path"]
    if path.startswith("/api") or path == "/openapi.json":
        body = b'{"error": "sign in first: a session cookie or an Authorization: Bearer token", "type": "Unauthorized"}'
        await send({"type": "http.response.start", "status": 401, "headers": [
            (b"content-type", b"application/json"), (b"www-authenticate", b"Bearer")]})  # fmt: skip
        await send({"type": "http.response.body", "body": body})
        return
    from urllib.parse import quote

    target = quote(path + (("?" + scope["query_string"].decode("latin-1")) if scope.get("query_string") else ""))
    await send(
        {"type": "http.response.start", "status": 303, "headers": [(b"location", f"/login?next={target}".encode())]}
    )
    await send({"type": "http.response.body", "body": b""})


async def verify_csrf(request: Request) -> None:
    """FastAPI dependency on every route: state-changing requests must prove they come from our pages."""
    if request.method not in CSRF_METHODS or request.state.via_bearer:
        return
    _same_origin(request)
    expected = request.state.csrf
    offered = request.headers.get("x-csrf-token", "")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not offered and content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        value = form.get("csrf_token")
        offered = value if isinstance(value, str) else ""
    if offered and hmac.compare_digest(offered.encode(), str(expected).encode()):
        return
    if request.url.path.startswith("/api/"):
        if content_type == "application/json":
            return
        raise Forbidden("send Content-Type: application/json (or sign in with the Authorization: Bearer token)")
    raise Forbidden("this form has expired or did not come from knowwho; reload the page and try again")


def _same_origin(request: Request) -> None:
    """A browser says where a request comes from; only this server's own pages may change anything."""
    site = request.headers.get("sec-fetch-site", "")
    origin = request.headers.get("origin", "")
    if origin == "null" and site == "same-origin":  # our pages send no referrer: a form post says "Origin: null"
        origin = ""
    own = f"{request.url.scheme}://{request.headers.get('host', '')}".lower()
    if site in ("cross-site", "same-site") or (origin and origin.lower() != own):
        raise Forbidden("this request came from another site or port; use knowwho's own pages")


class LoginThrottle:
    """Slows password guessing: per client and for all clients together, each failure past a few costs a wait.

    The first `free` failures (per client; `overall_free` for everyone) cost
    nothing; then each doubles the wait before the next attempt, up to
    `longest` seconds. A success clears its client; the counts are forgotten
    after `forget` quiet seconds.
    """

    def __init__(
        self,
        *,
        free: int = 5,
        overall_free: int = 20,
        longest: float = 900.0,
        forget: float = 3600.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.free, self.overall_free, self.longest, self.forget = free, overall_free, longest, forget
        self.clock = clock
        self.clients: dict[str, tuple[int, float]] = {}  # client -> (failures, time of the last)
        self.overall: tuple[int, float] = (0, 0.0)

    def wait(self, client: str) -> float:
        """Seconds before `client` may try a password again (0: now)."""
        now = self.clock()
        return max(
            self._wait(self.clients.get(client, (0, 0.0)), self.free, now),
            self._wait(self.overall, self.overall_free, now),
        )

    def failed(self, client: str) -> None:
        now = self.clock()
        count, last = self.clients.get(client, (0, 0.0))
        self.clients[client] = (count + 1 if now - last < self.forget else 1, now)
        count, last = self.overall
        self.overall = (count + 1 if now - last < self.forget else 1, now)
        if len(self.clients) > 10_000:  # forget quiet clients rather than grow
            self.clients = {c: v for c, v in self.clients.items() if now - v[1] < self.forget}

    def succeeded(self, client: str) -> None:
        self.clients.pop(client, None)

    def _wait(self, tally: tuple[int, float], free: int, now: float) -> float:
        count, last = tally
        if count < free or now - last >= self.forget:
            return 0.0
        return max(0.0, last + min(self.longest, 2.0 ** (count - free)) - now)
