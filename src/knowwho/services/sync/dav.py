"""The WebDAV wire protocol that CardDAV and CalDAV share, over httpx.

What a sync needs of a collection is small (vdirsyncer's storage interface):
what changed since a sync-token (RFC 6578), or every item's href and ETag when
the server has no tokens; the text of some items (a multiget REPORT); and a
conditional PUT. Every failure becomes one `SyncFailed` line in our words.
"""

from __future__ import annotations

import ssl
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote, urljoin, urlsplit
from xml.etree import ElementTree

import httpx

from knowwho.errors import SyncFailed

DAV = "DAV:"
CARDDAV = "urn:ietf:params:xml:ns:carddav"
CALDAV = "urn:ietf:params:xml:ns:caldav"
CONNECT_TIMEOUT_S = 15.0
TIMEOUT_S = 300.0  # a server reading a large collection for the first time answers only when done
MULTIGET_SIZE = 200  # items per multiget REPORT: a few MB of cards at most
_NAMESPACES = f'xmlns:d="{DAV}" xmlns:card="{CARDDAV}" xmlns:cal="{CALDAV}"'


class TokenExpired(Exception):
    """The server no longer knows our sync-token: list the collection instead."""


class Conflict(Exception):
    """A conditional PUT found the item changed (or already there) on the server."""


@dataclass(frozen=True, slots=True)
class Collection:
    """Where an address book or calendar is, and what its items are called."""

    url: str
    data: str  # "address-data" or "calendar-data"
    namespace: str  # CARDDAV or CALDAV
    multiget: str  # "addressbook-multiget" or "calendar-multiget"
    content_type: str


def address_book(url: str) -> Collection:
    return Collection(_folder(url), "address-data", CARDDAV, "addressbook-multiget", "text/vcard; charset=utf-8")


def calendar(url: str) -> Collection:
    return Collection(_folder(url), "calendar-data", CALDAV, "calendar-multiget", "text/calendar; charset=utf-8")


@dataclass
class Changes:
    """What a sync-collection REPORT (or a full listing) says: hrefs with their ETags, hrefs gone, the new token."""

    present: dict[str, str] = field(default_factory=dict)
    removed: list[str] = field(default_factory=list)
    token: str = ""


class DavClient:
    """One collection on one server, as one user; `ca_file` trusts a certificate authority of the user's own."""

    def __init__(self, collection: Collection, user: str, password: str | None, *, ca_file: str | None = None) -> None:
        self.collection = collection
        auth = httpx.BasicAuth(user, password or "") if user else None
        verify: ssl.SSLContext | bool = ssl.create_default_context(cafile=ca_file) if ca_file else True
        timeout = httpx.Timeout(TIMEOUT_S, connect=CONNECT_TIMEOUT_S)
        self._http = httpx.Client(auth=auth, timeout=timeout, follow_redirects=True, verify=verify)

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> DavClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- reading ------------------------------------------------------------------
    def changes(self, token: str) -> Changes:
        """What changed since `token` ("" for everything); TokenExpired when the server forgot it or has no tokens."""
        body = (
            f'<?xml version="1.0" encoding="utf-8"?><d:sync-collection {_NAMESPACES}>'
            f"<d:sync-token>{_escape(token)}</d:sync-token><d:sync-level>1</d:sync-level>"
            "<d:prop><d:getetag/></d:prop></d:sync-collection>"
        )
        response = self._send("REPORT", self.collection.url, body, depth=None, allowed=(403, 409, 412))
        if response.status_code in (403, 409, 412):  # a token it forgot, or no tokens at all
            raise TokenExpired
        root = self._xml(response)
        changes = Changes(token=(root.findtext(f"{{{DAV}}}sync-token") or "").strip())
        for href, etag, status in self._responses(root):
            if status == 404:
                changes.removed.append(href)
            elif etag is not None and self._inside(href):
                changes.present[href] = etag
        return changes

    def changes_since(self, token: str, known: list[str] | Callable[[], list[str]]) -> Changes:
        """What changed since `token`; without a usable token, every ETag listed, and the `known` hrefs not
        listed any more given as removed (`known` may be a function: asked only then)."""
        try:
            return self.changes(token)
        except TokenExpired:
            pass
        changes = self.listing()
        listed = known() if callable(known) else known
        changes.removed = [href for href in listed if href not in changes.present]
        return changes

    def listing(self) -> Changes:
        """Every item's href and ETag (for servers without sync-tokens)."""
        body = f'<?xml version="1.0" encoding="utf-8"?><d:propfind {_NAMESPACES}><d:prop><d:getetag/></d:prop></d:propfind>'
        root = self._xml(self._send("PROPFIND", self.collection.url, body, depth="1"))
        changes = Changes()
        for href, etag, _status in self._responses(root):
            if etag is not None and self._inside(href):
                changes.present[href] = etag
        return changes

    def fetch(self, hrefs: list[str]) -> dict[str, tuple[str, str]]:
        """href -> (ETag, text) of these items, by multiget REPORTs; items gone meanwhile are left out."""
        found: dict[str, tuple[str, str]] = {}
        kind, data = self.collection.multiget, self.collection.data
        for start in range(0, len(hrefs), MULTIGET_SIZE):
            refs = "".join(f"<d:href>{_escape(h)}</d:href>" for h in hrefs[start : start + MULTIGET_SIZE])
            prefix = "card" if self.collection.namespace == CARDDAV else "cal"
            body = (
                f'<?xml version="1.0" encoding="utf-8"?><{prefix}:{kind} {_NAMESPACES}>'
                f"<d:prop><d:getetag/><{prefix}:{data}/></d:prop>{refs}</{prefix}:{kind}>"
            )
            root = self._xml(self._send("REPORT", self.collection.url, body, depth="1"))
            for response in root.iter(f"{{{DAV}}}response"):
                href = _href(response)
                etag = response.findtext(f".//{{{DAV}}}getetag")
                text = response.findtext(f".//{{{self.collection.namespace}}}{data}")
                if href and etag is not None and text:
                    found[href] = (etag.strip(), text)
        return found

    def batches(self, hrefs: list[str]) -> Iterator[dict[str, tuple[str, str]]]:
        """`fetch` a multiget's worth at a time, so that a caller can store each before the next is asked for.

        The next multiget is already on its way while the caller stores one: the
        server reads items while knowwho parses and stores (one request at a
        time, from one worker thread, so the connection is never shared).
        """
        chunks = [hrefs[start : start + MULTIGET_SIZE] for start in range(0, len(hrefs), MULTIGET_SIZE)]
        if not chunks:
            return
        worker = ThreadPoolExecutor(max_workers=1, thread_name_prefix="knowwho-dav")
        try:
            pending: Future[dict[str, tuple[str, str]]] = worker.submit(self.fetch, chunks[0])
            for chunk in chunks[1:]:
                fetched = pending.result()
                pending = worker.submit(self.fetch, chunk)
                yield fetched
            yield pending.result()
        finally:
            worker.shutdown(wait=True, cancel_futures=True)

    # -- writing ------------------------------------------------------------------
    def put(self, href: str, text: str, *, etag: str | None) -> str:
        """Write an item only if it is still as we last saw it (`etag`), or new (None); its new ETag.

        Conflict when the server's copy changed or an item is already there:
        nothing on the server is overwritten blindly.
        """
        headers = {"Content-Type": self.collection.content_type}
        headers["If-Match" if etag else "If-None-Match"] = etag or "*"
        response = self._send("PUT", urljoin(self.collection.url, href), text, headers=headers, allowed=(412,))
        if response.status_code == 412:
            raise Conflict(href)
        return response.headers.get("ETag", "")

    # -- plumbing -----------------------------------------------------------------
    def _send(
        self,
        method: str,
        url: str,
        body: str,
        *,
        depth: str | None = "1",
        headers: dict[str, str] | None = None,
        allowed: tuple[int, ...] = (),
    ) -> httpx.Response:
        sent = {"Content-Type": "application/xml; charset=utf-8", **(headers or {})}
        if depth is not None:
            sent["Depth"] = depth
        try:
            response = self._http.request(method, url, content=body.encode("utf-8"), headers=sent)
        except httpx.ConnectError as error:
            raise SyncFailed(_connect_problem(error, url)) from None
        except httpx.TimeoutException:
            raise SyncFailed(f"{_host(url)} did not answer within {TIMEOUT_S:.0f} seconds") from None
        except httpx.HTTPError:
            raise SyncFailed(f"the connection to {_host(url)} failed") from None
        if response.status_code in allowed or response.is_success:
            return response
        raise SyncFailed(_status_problem(response.status_code, url))

    def _xml(self, response: httpx.Response) -> ElementTree.Element:
        try:
            return ElementTree.fromstring(response.content)
        except ElementTree.ParseError:
            raise SyncFailed("the server's answer is not the XML a DAV server sends") from None

    def _responses(self, root: ElementTree.Element) -> list[tuple[str, str | None, int]]:
        """(href, ETag or None, status) of each item a multistatus names; the collection itself left out."""
        found = []
        for response in root.iter(f"{{{DAV}}}response"):
            href = _href(response)
            status = _status_code(response.findtext(f"{{{DAV}}}status"))
            etag = response.findtext(f".//{{{DAV}}}getetag")
            found.append((href, etag.strip() if etag is not None else None, status))
        return found

    def _inside(self, href: str) -> bool:
        """Whether an href names an item of the collection (not the collection itself)."""
        path = urlsplit(self.collection.url).path
        return href.startswith(path) and href.rstrip("/") != path.rstrip("/") and not href.endswith("/")


def _folder(url: str) -> str:
    return url if url.endswith("/") else url + "/"


def _href(response: ElementTree.Element) -> str:
    href = (response.findtext(f"{{{DAV}}}href") or "").strip()
    return unquote(urlsplit(href).path) if href else ""


def _status_code(line: str | None) -> int:
    parts = (line or "").split()
    return int(parts[1]) if len(parts) > 1 and parts[1].isdigit() else 200


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _host(url: str) -> str:
    return urlsplit(url).netloc or url


def _connect_problem(error: httpx.ConnectError, url: str) -> str:
    cause = error.__context__ or error.__cause__
    if isinstance(cause, ssl.SSLCertVerificationError) or "CERTIFICATE_VERIFY_FAILED" in str(error):
        return f"the certificate of {_host(url)} was refused (it is not trusted)"
    if isinstance(cause, ssl.SSLError) or "SSL" in str(error):
        return f"a secure connection to {_host(url)} could not be made"
    return f"cannot reach {_host(url)} (is the address right and the server up?)"


def _status_problem(status: int, url: str) -> str:
    if status == 401:
        return "the server refused the user name or password"
    if status == 403:
        return "the server does not allow this user to read it"
    if status == 404:
        return f"there is no address book or calendar at {urlsplit(url).path}"
    if status >= 500:
        return f"the server failed (HTTP {status}); try again later"
    return f"the server answered HTTP {status}"


def client_for(settings: dict[str, Any], collection: Collection, secret: str | None) -> DavClient:
    """The client of a CardDAV or CalDAV source's settings (url, user, ca_file)."""
    return DavClient(collection, settings.get("user", ""), secret, ca_file=settings.get("ca_file"))
