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
