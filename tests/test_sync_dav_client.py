"""The DAV client against a real Radicale server: sync-tokens, listings, multiget, conditional writes, faults."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest

from knowwho.errors import SyncFailed
from knowwho.services.sync import dav
from tests.conftest import FIXTURES
from tests.dav_server import PASSWORD, USER, DavServer, free_port, with_uid

CARDS = [FIXTURES / "vcard" / name for name in ("ezvcard_John_Doe_GMAIL.vcf", "ezvcard_rfc6350-example.vcf")]


def _client(url: str, password: str = PASSWORD) -> dav.DavClient:
    return dav.DavClient(dav.address_book(url), USER, password)


def test_sync_token_gives_everything_then_only_what_changed(dav_server: DavServer) -> None:
    book = dav_server.collection("addressbook")
    urls = dav_server.seed_cards(book, CARDS)
    with _client(book) as client:
        first = client.changes("")
        assert sorted(first.present) == sorted(urlsplit(u).path for u in urls)
        assert first.token
        dav_server.delete(urls[0])
        text = with_uid(CARDS[1].read_text().replace("Simon Perreault", "Simon P. Perreault"), CARDS[1].stem)
        dav_server.put(urls[1], text)
        second = client.changes(first.token)
    assert second.removed == [urlsplit(urls[0]).path]
    assert list(second.present) == [urlsplit(urls[1]).path]
    assert second.present[urlsplit(urls[1]).path] != first.present[urlsplit(urls[1]).path]


def test_an_unknown_token_asks_for_a_listing_instead(dav_server: DavServer) -> None:
    book = dav_server.collection("addressbook")
    dav_server.seed_cards(book, CARDS)
    with _client(book) as client, pytest.raises(dav.TokenExpired):
        client.changes("http://radicale.org/ns/sync/0000")
    with _client(book) as client:
        assert len(client.listing().present) == 2


def test_without_a_usable_token_a_listing_says_what_is_gone(dav_server: DavServer) -> None:
    book = dav_server.collection("addressbook")
    urls = dav_server.seed_cards(book, CARDS)
    gone = urlsplit(urls[0]).path
    dav_server.delete(urls[0])
    with _client(book) as client:
        changes = client.changes_since("http://radicale.org/ns/sync/0000", [gone, urlsplit(urls[1]).path])
    assert (list(changes.present), changes.removed) == ([urlsplit(urls[1]).path], [gone])


def test_multiget_reads_the_cards_with_their_etags(dav_server: DavServer) -> None:
    book = dav_server.collection("addressbook")
    urls = dav_server.seed_cards(book, CARDS)
    with _client(book) as client:
        found = client.fetch([urlsplit(u).path for u in urls])
    assert {text.split("FN:")[1].split("\r\n")[0].split("\n")[0] for _etag, text in found.values()} >= {
        "Simon Perreault"
    }
    assert all(etag for etag, _text in found.values())


def test_a_conditional_put_never_overwrites_a_card_changed_on_the_server(dav_server: DavServer) -> None:
    book = dav_server.collection("addressbook")
    url = dav_server.seed_cards(book, CARDS[1:])[0]
    path = urlsplit(url).path
    with _client(book) as client:
        etag = client.listing().present[path]
        with pytest.raises(dav.Conflict):
            client.put(path, with_uid(CARDS[1].read_text(), CARDS[1].stem), etag=None)  # "new", but already there
        dav_server.put(url, with_uid(CARDS[1].read_text().replace("Simon", "Simone"), CARDS[1].stem))
        with pytest.raises(dav.Conflict):
            client.put(path, with_uid(CARDS[1].read_text(), CARDS[1].stem), etag=etag)  # the server's copy moved on
    assert "Simone" in dav_server.get(url)


def test_a_wrong_password_is_one_line(dav_server: DavServer) -> None:
    book = dav_server.collection("addressbook")
    with _client(book, password="wrong") as client, pytest.raises(SyncFailed) as failed:
        client.changes("")
    assert str(failed.value) == "the server refused the user name or password"


def test_an_unreachable_host_is_one_line() -> None:
    with _client(f"http://127.0.0.1:{free_port()}/ada/book/") as client, pytest.raises(SyncFailed) as failed:
        client.changes("")
    assert str(failed.value).startswith("cannot reach 127.0.0.1:")
