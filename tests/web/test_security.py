"""Loopback by default, a password elsewhere, CSRF on every change, a strict CSP, size limits, host checks."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from knowwho.errors import KnowwhoError
from knowwho.web.app import create_app
from knowwho.web.security import CSP
from tests.web.conftest import csrf_of, factory


@pytest.mark.parametrize("host", ["0.0.0.0", "192.168.1.10", "::"])
def test_listening_beyond_this_machine_needs_a_password(db_path: Path, host: str) -> None:
    with pytest.raises(KnowwhoError, match="without a password"):
        create_app(factory(db_path), host=host)


@pytest.fixture
def guarded(db_path: Path) -> TestClient:
    app = create_app(factory(db_path), host="0.0.0.0", password="s3cret pass")
    return TestClient(app, base_url="http://192.168.1.10:8765")


def test_with_a_password_everything_needs_a_session_or_token(guarded: TestClient) -> None:
    response = guarded.get("/people", follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"].startswith("/login?next=/people")
    assert guarded.get("/api/people").status_code == 401
    assert guarded.get("/openapi.json").status_code == 401
    assert guarded.get("/static/app.css").status_code == 200
    assert guarded.get("/login").status_code == 200


def test_login_with_the_password(guarded: TestClient) -> None:
    token = csrf_of(guarded, "/login")
    bad = guarded.post("/login", data={"password": "nope", "csrf_token": token, "next": "/people"})
    assert bad.status_code == 401 and "not the password" in bad.text
    good = guarded.post("/login", data={"password": "s3cret pass", "csrf_token": token, "next": "//evil.example/"},
                        follow_redirects=False)  # fmt: skip
    assert good.status_code == 303 and good.headers["location"] == "/"
    assert guarded.get("/people").status_code == 200
    assert guarded.get("/api/today").status_code == 200


def test_bearer_token_opens_the_api(guarded: TestClient, db_path: Path) -> None:
    from knowwho.services.access import API_TOKEN, AccessService

    kw = factory(db_path)()
    token = AccessService(kw.ctx).secret(API_TOKEN)
    headers = {"authorization": f"Bearer {token}"}
    assert guarded.get("/api/today", headers=headers).status_code == 200
    created = guarded.post("/api/people", json={"name": "Ana"}, headers=headers)
    assert created.status_code == 201
    assert guarded.get("/api/today", headers={"authorization": "Bearer wrong"}).status_code == 401


def test_forms_without_the_csrf_token_are_refused(client: TestClient) -> None:
    response = client.post("/people", data={"name": "Mallory"})
    assert response.status_code == 403
    assert "did not come from knowwho" in response.text
    wrong = client.post("/people", data={"name": "Mallory", "csrf_token": "x" * 43})
    assert wrong.status_code == 403
    assert client.get("/api/people").json()["total"] == 0


def test_api_posts_need_json_or_the_token(client: TestClient) -> None:
    # A cross-site form can send neither a JSON content type nor our header.
    assert (
        client.post("/api/people", content=b'{"name": "M"}', headers={"content-type": "text/plain"}).status_code == 403
    )
    assert client.post("/api/people", content=b'{"name": "M"}').status_code == 403
    assert client.post("/api/today/act", data={"key": "k", "action": "done"}).status_code == 403
    assert client.post("/api/people", json={"name": "Ana"}).status_code == 201


def test_security_headers_on_every_response(client: TestClient) -> None:
    for path in ["/", "/api/today", "/static/app.js", "/no/such/page"]:
        headers = client.get(path).headers
        assert headers["content-security-policy"] == CSP
        assert "script-src 'self'" in CSP and "unsafe-inline" not in CSP
        assert headers["x-frame-options"] == "DENY" and headers["x-content-type-options"] == "nosniff"


def test_pages_have_no_inline_script_or_style(client: TestClient, filled: dict[str, int]) -> None:
    for path in ["/", "/people", f"/people/{filled['ana']}", "/capture", "/stats", "/transfer", "/settings"]:
        html = client.get(path).text
        assert "<script>" not in html and "<script " not in html.replace('<script src="/static/app.js" defer>', "")
        assert " style=" not in html and "<style" not in html and "onclick" not in html


def test_csrf_cookie_is_httponly_and_same_site(client: TestClient) -> None:
    cookie = client.get("/").headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=Strict" in cookie


def test_unknown_host_names_are_refused_on_loopback(db_path: Path) -> None:
    """A page on another site cannot reach the local server by rebinding its own name to 127.0.0.1."""
    client = TestClient(create_app(factory(db_path)), base_url="http://attacker.example")
    assert client.get("/api/people").status_code == 400
    assert TestClient(create_app(factory(db_path)), base_url="http://localhost:8765").get("/").status_code == 200


def test_uploads_are_size_limited(db_path: Path) -> None:
    client = TestClient(create_app(factory(db_path), max_upload_bytes=1000), base_url="http://127.0.0.1")
    token = csrf_of(client, "/transfer")
    response = client.post("/transfer/import", data={"kind": "vcard", "csrf_token": token},
                           files={"file": ("big.vcf", b"x" * 5000, "text/vcard")})  # fmt: skip
    assert response.status_code == 413


def test_serve_command_refuses_0000_without_password(db_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from knowwho.cli.app import app, run

    monkeypatch.delenv("KNOWWHO_PASSWORD", raising=False)
    assert run(app, ["serve", "--host", "0.0.0.0", "--db", str(db_path)]) == 1
    assert not db_path.exists()  # refused before touching anything


def test_host_names() -> None:
    from knowwho.web.security import host_name

    assert host_name("127.0.0.1:8765") == "127.0.0.1"
    assert host_name("LOCALHOST") == "localhost"
    assert host_name("[::1]:8765") == "[::1]"
    assert host_name("[2001:db8::1]:80") == "[2001:db8::1]"


# -- sessions, password guessing, CSRF, loopback, uploads ---------------------------------


def _sign_in(client: TestClient, password: str = "s3cret pass") -> str:
    token = csrf_of(client, "/login")
    response = client.post("/login", data={"password": password, "csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303, response.text
    return str(client.cookies.get("kw_session"))


def test_signing_out_ends_the_session_on_the_server(guarded: TestClient) -> None:
    old_cookie = _sign_in(guarded)
    assert guarded.post("/logout", data={"csrf_token": csrf_of(guarded, "/settings")}).status_code == 200
    guarded.cookies.set("kw_session", old_cookie)  # a copy of the cookie kept from before
    assert guarded.get("/api/today").status_code == 401


def test_a_new_password_ends_every_session(db_path: Path) -> None:
    first = TestClient(create_app(factory(db_path), host="0.0.0.0", password="old password"),
                       base_url="http://192.168.1.10:8765")  # fmt: skip
    cookie = _sign_in(first, "old password")
    assert first.get("/api/today").status_code == 200
    second = TestClient(create_app(factory(db_path), host="0.0.0.0", password="new password"),
                        base_url="http://192.168.1.10:8765")  # fmt: skip
    second.cookies.set("kw_session", cookie)
    assert second.get("/api/today").status_code == 401
    # The same password again: the session lives on across a restart.
    third = TestClient(create_app(factory(db_path), host="0.0.0.0", password="old password"),
                       base_url="http://192.168.1.10:8765")  # fmt: skip
    third.cookies.set("kw_session", cookie)
    assert third.get("/api/today").status_code == 200


def test_signing_out_everywhere_ends_all_sessions(guarded: TestClient) -> None:
    cookie = _sign_in(guarded)
    done = guarded.post("/settings/regenerate", data={"which": "sessions", "csrf_token": csrf_of(guarded, "/settings")})
    assert done.status_code == 200
    guarded.cookies.set("kw_session", cookie)
    assert guarded.get("/api/today").status_code == 401


def test_password_guessing_is_throttled(guarded: TestClient) -> None:
    token = csrf_of(guarded, "/login")
    answers = [
        guarded.post("/login", data={"password": f"guess {n}", "csrf_token": token}).status_code for n in range(6)
    ]
    assert answers == [401] * 5 + [429]
    refused = guarded.post("/login", data={"password": "s3cret pass", "csrf_token": token}, follow_redirects=False)
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert "try again in" in refused.text and "kw_session" not in refused.headers.get("set-cookie", "")


def test_the_throttle_backs_off_per_client_and_overall() -> None:
    from knowwho.web.security import LoginThrottle

    now = [1000.0]
    throttle = LoginThrottle(free=2, overall_free=5, longest=60, forget=3600, clock=lambda: now[0])
    for _ in range(2):
        assert throttle.wait("a") == 0
        throttle.failed("a")
    throttle.failed("a")
    assert throttle.wait("a") == 2  # doubles with each failure past the free ones
    now[0] += 2
    assert throttle.wait("a") == 0 and throttle.wait("b") == 0
    for _ in range(10):
        throttle.failed("a")
    assert throttle.wait("a") == 60  # capped
    throttle.succeeded("a")
    assert 0 < throttle.wait("a") == throttle.wait("b")  # everyone together failed too often: all wait
    now[0] += 3600
    assert throttle.wait("b") == 0  # forgotten after a quiet hour


def test_a_planted_csrf_cookie_is_refused(client: TestClient) -> None:
    """A page on another port of 127.0.0.1 can set a cookie for 127.0.0.1 and post a form with the same value."""
    planted = "A" * 43
    client.cookies.set("kw_csrf", planted)
    assert client.post("/people", data={"name": "Mallory", "csrf_token": planted}).status_code == 403
    signed_elsewhere = "nonce.0123456789abcdef"
    client.cookies.set("kw_csrf", signed_elsewhere)
    assert client.post("/people", data={"name": "Mallory", "csrf_token": signed_elsewhere}).status_code == 403
    assert client.get("/api/people").json()["total"] == 0


def test_posts_from_another_origin_are_refused(client: TestClient) -> None:
    token = csrf_of(client)
    form = {"name": "Mallory", "csrf_token": token}
    for headers in ({"origin": "http://127.0.0.1:9999"}, {"sec-fetch-site": "same-site"},
                    {"sec-fetch-site": "cross-site"}, {"origin": "null"}):  # fmt: skip
        assert client.post("/people", data=form, headers=headers).status_code == 403
    assert (
        client.post("/api/people", json={"name": "M"}, headers={"origin": "http://127.0.0.1:9999"}).status_code == 403
    )
    same = {"origin": "http://127.0.0.1", "sec-fetch-site": "same-origin"}
    assert client.post("/people", data=form, headers=same, follow_redirects=False).status_code == 303
    # Chromium's own form post from a page that sends no referrer (checked in the browser tests too)
    ours = {"origin": "null", "sec-fetch-site": "same-origin"}
    form["name"] = "Ann Other"
    assert client.post("/people", data=form, headers=ours, follow_redirects=False).status_code == 303


@pytest.mark.parametrize("host", ["0:0:0:0:0:0:0:1", "::1", "127.0.0.2", "0000::1"])
def test_every_spelling_of_loopback_checks_the_host_name(db_path: Path, host: str) -> None:
    app = create_app(factory(db_path), host=host)
    assert TestClient(app, base_url="http://rebound.attacker.example:8765").get("/").status_code == 400
    shown = f"[{host}]" if ":" in host else host
    assert TestClient(app, base_url=f"http://{shown}:8765").get("/").status_code == 200


def test_a_streamed_upload_over_the_limit_is_413(db_path: Path) -> None:
    client = TestClient(create_app(factory(db_path), max_upload_bytes=1000), base_url="http://127.0.0.1")
    token = csrf_of(client, "/transfer")
    body = (
        (
            f'--XX\r\nContent-Disposition: form-data; name="csrf_token"\r\n\r\n{token}\r\n'
            '--XX\r\nContent-Disposition: form-data; name="kind"\r\n\r\nvcard\r\n'
            '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.vcf"\r\n\r\n'
        ).encode()
        + b"x" * 5000
        + b"\r\n--XX--\r\n"
    )
    chunks = (body[i : i + 500] for i in range(0, len(body), 500))  # no Content-Length: sent in chunks
    response = client.post(
        "/transfer/import", content=chunks, headers={"content-type": "multipart/form-data; boundary=XX"}
    )
    assert response.status_code == 413
