"""A real Radicale CardDAV/CalDAV server on a loopback port, for the sync tests, the benchmarks and the README's tour.

The server keeps its collections in a folder of the caller's and checks passwords
against a plain htpasswd file; each test gets its own address book or calendar
(a fresh path), seeded over HTTP from real producers' files.
"""

from __future__ import annotations

import importlib.util
import os
import re
import socket
import ssl
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

USER, PASSWORD = "ada", "correct horse"
MISSING = "Radicale is not installed: `make test` installs it with the test extra (pip install -e '.[test]')"
START_TIMEOUT_S = 20.0
_COMPONENT = re.compile(r"^BEGIN:(VEVENT|VTIMEZONE)\r?$.*?^END:\1\r?$", re.MULTILINE | re.DOTALL)
_UID = re.compile(r"^UID:(.*?)\r?$", re.MULTILINE)
_MKCOL = {
    "addressbook": '<?xml version="1.0"?><d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:carddav">'
    "<d:set><d:prop><d:resourcetype><d:collection/><c:addressbook/></d:resourcetype></d:prop></d:set></d:mkcol>",
    "calendar": '<?xml version="1.0"?><d:mkcol xmlns:d="DAV:" xmlns:c="urn:ietf:params:xml:ns:caldav">'
    "<d:set><d:prop><d:resourcetype><d:collection/><c:calendar/></d:resourcetype>"
    "<c:supported-calendar-component-set><c:comp name='VEVENT'/></c:supported-calendar-component-set>"
    "</d:prop></d:set></d:mkcol>",
}


class ServerMissing(RuntimeError):
    """The server is not installed on this computer."""


@dataclass
class DavServer:
    base: str  # http://127.0.0.1:PORT
    http: httpx.Client
    store: Path  # Radicale's filesystem store

    def write_items(self, collection: str, items: dict[str, str]) -> None:
        """Many items at once, written straight into the server's store (as fast as a disk, for the big tests)."""
        folder = self.store / "collection-root" / collection.removeprefix(self.base).strip("/")
        for name, text in items.items():
            (folder / name).write_text(text, encoding="utf-8")

    def collection(self, kind: str) -> str:
        """A new, empty address book ("addressbook") or calendar ("calendar"); its URL."""
        url = f"{self.base}/{USER}/{kind}-{uuid.uuid4().hex[:8]}/"
        response = self.http.request("MKCOL", url, content=_MKCOL[kind])
        response.raise_for_status()
        return url

    def put(self, url: str, text: str, content_type: str = "text/vcard") -> str:
        response = self.http.put(url, content=text.encode("utf-8"), headers={"Content-Type": content_type})
        response.raise_for_status()
        return response.headers.get("ETag", "")

    def get(self, url: str) -> str:
        response = self.http.get(url)
        response.raise_for_status()
        return response.text

    def delete(self, url: str) -> None:
        self.http.delete(url).raise_for_status()

    def items(self, collection: str) -> list[str]:
        """The hrefs (paths) of a collection's items."""
        body = '<?xml version="1.0"?><d:propfind xmlns:d="DAV:"><d:prop><d:getetag/></d:prop></d:propfind>'
        response = self.http.request("PROPFIND", collection, content=body, headers={"Depth": "1"})
        hrefs = re.findall(r"<(?:\w+:)?href>([^<]+)</(?:\w+:)?href>", response.text)
        return [h for h in hrefs if not h.endswith("/")]

    def seed_cards(self, collection: str, files: list[Path]) -> list[str]:
        """Each file's card as one item (named after the file); the item URLs.

        A card without a UID gets one, as a phone gives each card it uploads
        (a CardDAV server requires it).
        """
        urls = []
        for file in files:
            url = f"{collection}{file.stem}.vcf"
            self.put(url, with_uid(file.read_text(encoding="utf-8"), file.stem))
            urls.append(url)
        return urls

    def seed_events(self, collection: str, file: Path, *, leave_out: tuple[str, ...] = ()) -> dict[str, str]:
        """A calendar file split into one item per UID (with its time zones), as calendar apps store them:
        UID -> item URL. Events without a UID are left out (a server refuses them), and those named."""
        text = file.read_text(encoding="utf-8-sig")
        zones = [m.group(0) for m in _COMPONENT.finditer(text) if m.group(1) == "VTIMEZONE"]
        by_uid: dict[str, list[str]] = {}
        for found in _COMPONENT.finditer(text):
            uid = _UID.search(found.group(0))
            if found.group(1) == "VEVENT" and uid and uid.group(1).strip() not in leave_out:
                by_uid.setdefault(uid.group(1).strip(), []).append(found.group(0))
        return {uid: self.put_event(collection, uid, calendar_text(zones + events)) for uid, events in by_uid.items()}

    def put_event(self, collection: str, uid: str, text: str) -> str:
        url = f"{collection}{uuid.uuid5(uuid.NAMESPACE_URL, uid).hex}.ics"
        self.put(url, text, "text/calendar")
        return url


def with_uid(card: str, uid: str) -> str:
    if re.search(r"^UID[:;]", card, re.MULTILINE | re.IGNORECASE):
        return card
    return re.sub(r"^(VERSION:[^\r\n]*\r?\n)", rf"\g<1>UID:{uid}\r\n", card, count=1, flags=re.MULTILINE)


def calendar_text(components: list[str]) -> str:
    body = "\r\n".join(c.strip().replace("\r\n", "\n").replace("\n", "\r\n") for c in components)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//knowwho tests//dav//EN\r\n{body}\r\nEND:VCALENDAR\r\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def radicale(folder: Path, *, tls: tuple[Path, Path] | None = None) -> Iterator[DavServer]:
    if importlib.util.find_spec("radicale") is None:
        raise ServerMissing(MISSING)
    (folder / "users").write_text(f"{USER}:{PASSWORD}\n")
    port = free_port()
    command = [
        sys.executable, "-m", "radicale", "--server-hosts", f"127.0.0.1:{port}",
        "--storage-filesystem-folder", str(folder / "collections"),
        "--auth-type", "htpasswd", "--auth-htpasswd-filename", str(folder / "users"),
        "--auth-htpasswd-encryption", "plain", "--rights-type", "owner_only", "--logging-level", "warning",
    ]  # fmt: skip
    if tls:
        command += ["--server-ssl", "--server-certificate", str(tls[0]), "--server-key", str(tls[1])]
    env = {**os.environ, "RADICALE_CONFIG": ""}
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=(folder / "log").open("wb"))
    base = f"{'https' if tls else 'http'}://127.0.0.1:{port}"
    # A first look at many new items is slow; the test's own client trusts the self-signed certificate.
    http = httpx.Client(auth=(USER, PASSWORD), timeout=300, verify=_trusting(tls[0]) if tls else True)
    try:
        _wait_until_up(http, base, server)
        yield DavServer(base, http, folder / "collections")
    finally:
        http.close()
        server.terminate()
        server.wait(timeout=30)


def _trusting(certificate: Path) -> ssl.SSLContext:
    return ssl.create_default_context(cafile=str(certificate))


def _wait_until_up(http: httpx.Client, base: str, server: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"radicale stopped: {server.stderr.read().decode() if server.stderr else ''}")
        try:
            http.request("PROPFIND", f"{base}/{USER}/", headers={"Depth": "0"})
            return
        except httpx.TransportError:
            time.sleep(0.1)
    raise RuntimeError("radicale did not start")
