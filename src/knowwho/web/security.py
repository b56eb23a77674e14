"""Who may talk to the server, and how: loopback by default, a password elsewhere, CSRF, CSP, size limits.

- Listening on a non-loopback address needs a password; then every page and
  API call needs a login session (a signed cookie) or `Authorization: Bearer
  <API token>`.
- The Host header must name this machine when listening on loopback, so a
  web page cannot reach the server through DNS rebinding.
- State-changing requests carry the CSRF token (form field `csrf_token` or
  header `X-CSRF-Token`, double-submitted against an HttpOnly SameSite cookie);
  API calls with a JSON body or a bearer token need none, as browsers cannot
  send those cross-site without a CORS preflight, which is never granted.
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
from http.cookies import SimpleCookie
from typing import Any

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from knowwho.errors import DatabaseBusy, KnowwhoError
from knowwho.storage.database import busy_error, busy_timeout, is_busy

SESSION_COOKIE = "kw_session"
CSRF_COOKIE = "kw_csrf"
SESSION_SECONDS = 14 * 24 * 3600
# Only GET and POST (and HEAD) can be sent cross-site without a CORS preflight,
# which this server never grants; so only POST needs the CSRF proof.
CSRF_METHODS = frozenset({"POST"})
OPEN_PATHS = ("/login", "/static/", "/healthz", "/feed/")
LOOPBACK_NAMES = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
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


def session_value(key: str, now: float | None = None) -> str:
    expires = int((now or time.time()) + SESSION_SECONDS)
    return f"{expires}.{_sign(key, f'session:{expires}')}"


def session_valid(key: str, value: str, now: float | None = None) -> bool:
    expires, _, signature = value.partition(".")
    if not expires.isdigit() or int(expires) < (now or time.time()):
        return False
    return hmac.compare_digest(signature, _sign(key, f"session:{expires}"))


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
        csrf = cookies.get(CSRF_COOKIE, "")
        new_csrf = "" if len(csrf) >= 32 else secrets.token_urlsafe(32)
        scope.setdefault("state", {})["csrf"] = csrf or new_csrf
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

        if config.allowed_hosts and host_name(_header(scope, b"host")) not in config.allowed_hosts:
            await _plain(send_with_headers, 400, b"unknown host name")
            return
        length = _header(scope, b"content-length")
        if length.isdigit() and int(length) > config.max_upload_bytes:
            await _plain(send_with_headers, 413, b"the upload is larger than the server accepts")
            return
        if config.password and not path.startswith(OPEN_PATHS):
            signed_in = session_valid(config.session_key, cookies.get(SESSION_COOKIE, ""))
            scope["state"]["via_bearer"] = bearer_ok(scope, config.api_token)
            if not signed_in and not scope["state"]["via_bearer"]:
                await _refuse(scope, send_with_headers)
                return
        else:
            scope["state"]["via_bearer"] = bearer_ok(scope, config.api_token)
        try:
            await self.app(scope, _limited(receive, config.max_upload_bytes), send_with_headers)
        except sqlite3.OperationalError as error:  # a lock met outside a unit of work's own wait
            if not is_busy(error):
                raise
            body = json.dumps({"error": str(busy_error(None, busy_timeout())), "type": "DatabaseBusy"}).encode()
            await _plain(send_with_headers, 503, body, b"application/json")


def _limited(receive: Receive, limit: int) -> Receive:
    """Stop reading a body (chunked or lying about its length) once it passes the limit."""
    seen = 0

    async def wrapped() -> Message:
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise TooLarge("the upload is larger than the server accepts")
        return message

    return wrapped


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
    expected = request.state.csrf
    offered = request.headers.get("x-csrf-token", "")
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if not offered and content_type in ("application/x-www-form-urlencoded", "multipart/form-data"):
        form = await request.form()
        value = form.get("csrf_token")
        offered = value if isinstance(value, str) else ""
    if offered and hmac.compare_digest(offered.encode(), str(expected).encode()):
        return
    if request.url.path.startswith("/api/") and content_type == "application/json":
        return
    raise Forbidden("this form has expired or did not come from knowwho; reload the page and try again")
