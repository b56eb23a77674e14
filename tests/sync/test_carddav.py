"""CardDAV sync against a real Radicale server: cards become people by `import vcard`'s rules, and back."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
from contextlib import closing
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from knowwho.clock import fixed_clock
from knowwho.core import Knowwho
from knowwho.errors import SyncFailed
from knowwho.services.people import PersonChanges
from knowwho.services.sync import secrets
from knowwho.services.sync.runner import run_source
from knowwho.services.sync.sources import carddav_settings
from knowwho.storage import dav as dav_store
from knowwho.storage import provenance as provenance_store
from knowwho.storage import sync as sync_store
from knowwho.storage.sync import SyncSource
from tests.conftest import FIXTURES, NOW, MemoryKeyring
from tests.dav_server import PASSWORD, USER, DavServer, with_uid
from tests.test_cli import kw_cli
from tests.test_faults import wait_for

CARDS = [
    FIXTURES / "vcard" / name
    for name in ("ezvcard_John_Doe_GMAIL.vcf", "ezvcard_rfc6350-example.vcf", "ezvcard_gmail-single2.vcf")
]


def add_book(kw: Knowwho, tmp_path: Path, url: str, *, push: bool = False, password: str = PASSWORD) -> SyncSource:
    secret = tmp_path / "dav-password"
    secret.write_text(password + "\n")
    settings = carddav_settings(url=url, user=USER, push=push)
    return kw.sync.add("carddav", "phone", settings, password_file=str(secret))


def people(kw: Knowwho) -> dict[str, int]:
    """The live people by name."""
    rows = kw.db.conn.execute("SELECT display_name, id FROM people WHERE deleted_at IS NULL")
    return {str(name): int(person_id) for name, person_id in rows}


def web_client(db_path: Path) -> TestClient:
    from knowwho.web.app import create_app

    return TestClient(create_app(db_path), base_url="http://127.0.0.1")


def names(kw: Knowwho) -> list[str]:
    return sorted(people(kw))


def test_a_first_sync_brings_every_card_in_keeping_its_uid_and_a_second_adds_nothing(
    kw: Knowwho, tmp_path: Path, dav_server: DavServer
) -> None:
    book = dav_server.collection("addressbook")
    dav_server.seed_cards(book, CARDS)
    source = add_book(kw, tmp_path, book)
    summary = run_source(kw, source)
    assert summary.people_added == 3
    assert "Simon Perreault" in names(kw)
    simon = people(kw)["Simon Perreault"]
    uids = [row["external_id"] for row in provenance_store.for_entity(kw.db.conn, "person", simon)]
    assert uids == ["ezvcard_rfc6350-example"]
    assert run_source(kw, source).headline() == "nothing new"
    assert len(people(kw)) == 3
    kw.history.undo()  # the second run changed nothing and left no change: this undoes the first, whole
    assert people(kw) == {}


def status_rows(kw: Knowwho) -> list[tuple[str, ...]]:
    """Every status row as stored, with the time it was last written."""
    query = "SELECT item_kind, remote_key, state, local_ids, updated_at FROM sync_items ORDER BY source_id, item_kind, remote_key"
    return [tuple(row) for row in kw.db.conn.execute(query)]


def test_cards_that_complete_people_already_known_are_reported_as_people_updated(
    kw: Knowwho, db_path: Path, tmp_path: Path, dav_server: DavServer
) -> None:
    simon = kw.people.add("Simon Perreault", emails=["simon.perreault@viagenie.ca"]).id
    book = dav_server.collection("addressbook")
    dav_server.seed_cards(book, [CARDS[1]])
    add_book(kw, tmp_path, book)
    code, out, err = kw_cli(db_path, "sync", "phone", "--json")
    assert code == 0, err
    [outcome] = json.loads(out)
    assert (outcome["summary"]["people_added"], outcome["summary"]["people_updated"]) == (0, 1)
    assert outcome["headline"] == "1 person updated"
    assert names(kw) == ["Simon Perreault"] and kw.people.get(simon).phones  # the card's details filled in
    assert (
        "last run" in kw_cli(db_path, "sync", "list")[1] and ": 1 person updated" in kw_cli(db_path, "sync", "list")[1]
    )
    pages = web_client(db_path)
    summary = pages.get("/api/sync/phone").json()["last_summary"]
    assert (summary["people_updated"], summary["headline"]) == (1, "1 person updated")
    assert "phone: 1 person updated." in pages.get("/settings/sync/phone").text
    assert kw_cli(db_path, "sync", "phone")[1].strip() == "phone: nothing new"


def test_a_run_with_nothing_new_on_the_server_writes_nothing(
    kw: Knowwho, db_path: Path, tmp_path: Path, dav_server: DavServer
) -> None:
    book = dav_server.collection("addressbook")
    dav_server.seed_cards(book, CARDS)
    run_source(kw, add_book(kw, tmp_path, book))
    stored = status_rows(kw)
    with closing(Knowwho.open(db_path, clock=fixed_clock(NOW + timedelta(days=1)))) as later:
        assert run_source(later, later.sync.get("phone")).headline() == "nothing new"
    assert status_rows(kw) == stored  # not even the sync-token's row written again a day later


def test_an_edit_on_the_server_follows_and_a_deleted_card_keeps_its_person(
    kw: Knowwho, db_path: Path, tmp_path: Path, dav_server: DavServer
) -> None:
    book = dav_server.collection("addressbook")
    simon_url, john_url, _ = dav_server.seed_cards(book, [CARDS[1], CARDS[0], CARDS[2]])
    source = add_book(kw, tmp_path, book)
    run_source(kw, source)
    edited = CARDS[1].read_text().replace("FN:Simon Perreault", "FN:Simon Perreault-Tremblay")
    dav_server.put(simon_url, with_uid(edited.replace("simon.perreault@", "simon@"), CARDS[1].stem))
    dav_server.delete(john_url)
    summary = run_source(kw, source)
    assert summary.contacts_changed == 2
    simon = people(kw)["Simon Perreault-Tremblay"]
    assert "simon@viagenie.ca" in kw.people.get(simon).emails
    assert len(people(kw)) == 3  # the Gmail card's John stays though deleted on the phone
    deleted = {name: dav_store.address_books_without(kw.db.conn, i) for name, i in people(kw).items()}
    # Radicale itself cuts Gmail's bare-comma FN ("Mr. John Richter, James Doe Sr.") when it stores the card.
    assert deleted == {"Mr. John Richter": ["phone"], "Simon Perreault-Tremblay": [], "VCard Test": []}
    pages = web_client(db_path)
    note = "Deleted from your address book (phone); knowwho keeps them."
    assert note in pages.get(f"/people/{people(kw)['Mr. John Richter']}").text
    assert note not in pages.get(f"/people/{simon}").text


def test_a_name_changed_in_knowwho_is_not_overwritten_by_a_server_edit(
    kw: Knowwho, tmp_path: Path, dav_server: DavServer
) -> None:
    book = dav_server.collection("addressbook")
    [simon_url] = dav_server.seed_cards(book, [CARDS[1]])
    source = add_book(kw, tmp_path, book)
    run_source(kw, source)
    kw.people.edit(people(kw)["Simon Perreault"], PersonChanges(name="Simon (Viagenie)"))
    edited = CARDS[1].read_text().replace("FN:Simon Perreault", "FN:Simon P.")
    dav_server.put(simon_url, with_uid(edited, CARDS[1].stem))
    run_source(kw, source)
    assert names(kw) == ["Simon (Viagenie)"]


def test_a_book_added_without_a_password_sends_none_even_when_the_keyring_holds_one_under_its_name(
    kw: Knowwho, dav_server: DavServer, memory_keyring: MemoryKeyring
) -> None:
    book = dav_server.collection("addressbook")
    dav_server.seed_cards(book, CARDS)
    source = kw.sync.add_source("carddav", "phone", url=book, user=USER)
    memory_keyring.set_password(secrets.KEYRING_SERVICE, "phone", PASSWORD)  # put there by another program
    with pytest.raises(SyncFailed, match="phone: the server refused the user name or password"):
        run_source(kw, source)
    assert people(kw) == {}


def test_a_wrong_password_is_one_line_naming_the_source_and_writes_nothing(
    kw: Knowwho, tmp_path: Path, dav_server: DavServer
) -> None:
    book = dav_server.collection("addressbook")
    dav_server.seed_cards(book, CARDS)
    source = add_book(kw, tmp_path, book, password="wrong")
    with pytest.raises(SyncFailed) as failed:
        run_source(kw, source)
    assert str(failed.value) == "phone: the server refused the user name or password"
    assert people(kw) == {}
    assert kw.sync.get("phone").last_error == str(failed.value)


def test_push_writes_people_added_in_knowwho_and_never_overwrites_a_card_changed_on_the_server(
    db_path: Path, tmp_path: Path, dav_server: DavServer
) -> None:
    book = dav_server.collection("addressbook")
    [simon_url] = dav_server.seed_cards(book, [CARDS[1]])
    with closing(Knowwho.open(db_path, clock=fixed_clock(NOW))) as kw:
        source = add_book(kw, tmp_path, book, push=True)
        assert run_source(kw, source).contacts_changed == 0  # what came from the phone is not sent back
        assert len(dav_server.items(book)) == 1
    with closing(Knowwho.open(db_path, clock=fixed_clock(NOW + timedelta(hours=1)))) as kw:
        kw.people.add("Ana Lima", emails=["ana@lima.org"])
        kw.people.edit(people(kw)["Simon Perreault"], PersonChanges(name="Simon P."))
        edited = CARDS[1].read_text().replace("FN:Simon Perreault", "FN:Simon Perreault (phone)")
        dav_server.put(simon_url, with_uid(edited, CARDS[1].stem))
        summary = run_source(kw, kw.sync.get("phone"))
        assert [line for line in summary.problems if "Simon P." in line] == [
            "Simon P. changed both here and on the server since the last sync; both versions kept "
            "(the server's card was not overwritten)"
        ]
        assert names(kw) == ["Ana Lima", "Simon P."]  # knowwho keeps its version
    assert "FN:Simon Perreault (phone)" in dav_server.get(simon_url)
    cards = [dav_server.get(f"{dav_server.base}{href}") for href in dav_server.items(book)]
    assert sum("FN:Ana Lima" in card for card in cards) == 1


def card(number: int) -> str:
    """A card as a phone writes it: the shape of RFC 6350's example, with its own name, address and UID."""
    return (
        f"BEGIN:VCARD\r\nVERSION:3.0\r\nUID:card-{number}\r\nFN:Person {number}\r\nN:{number};Person;;;\r\n"
        f"EMAIL;TYPE=work:person{number}@example.com\r\nTEL;TYPE=cell:+1-418-555-{number % 10000:04d}\r\n"
        "ORG:Viagenie\r\nEND:VCARD\r\n"
    )


def test_a_sync_killed_in_the_middle_loses_nothing_and_the_next_run_completes_it_with_nothing_doubled(
    db_path: Path, tmp_path: Path, dav_server: DavServer
) -> None:
    cards = 400
    book = dav_server.collection("addressbook")
    dav_server.write_items(book, {f"card-{n}.vcf": card(n) for n in range(cards)})
    assert len(dav_server.items(book)) == cards  # the server reads them in (its first look is slow)
    with closing(Knowwho.open(db_path, clock=fixed_clock(NOW))) as kw:
        add_book(kw, tmp_path, book)
    sync = subprocess.Popen(
        [sys.executable, "-m", "knowwho", "sync", "phone"], env={**os.environ, "KNOWWHO_DB": str(db_path)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_for(lambda: stored(db_path) > 0, seconds=60)
    finally:
        sync.send_signal(signal.SIGKILL)
        sync.wait()
    assert 0 < stored(db_path) < cards  # killed in the middle
    with closing(Knowwho.open(db_path, clock=fixed_clock(NOW))) as kw:
        run_source(kw, kw.sync.get("phone"))
        assert len(people(kw)) == cards
        assert len(sync_store.items(kw.db.conn, kw.sync.get("phone").id, "card")) == cards
        assert run_source(kw, kw.sync.get("phone")).headline() == "nothing new"


def stored(db: Path) -> int:
    """How many cards a run has stored so far, read beside it."""
    conn = sqlite3.connect(db, timeout=5)
    try:
        return int(conn.execute("SELECT count(*) FROM sync_items WHERE item_kind = 'card'").fetchone()[0])
    except sqlite3.OperationalError:  # tables not made yet
        return 0
    finally:
        conn.close()


def test_from_the_command_line_a_wrong_password_or_a_refused_certificate_is_one_line_and_a_failing_exit(
    db_path: Path, tmp_path: Path, dav_server: DavServer, dav_server_tls: DavServer
) -> None:
    wrong = tmp_path / "wrong-password"
    wrong.write_text("not it\n")
    book = dav_server.collection("addressbook")
    add = ["sync", "add", "carddav", "phone", "--url", book, "--user", USER, "--password-file", str(wrong)]
    assert kw_cli(db_path, *add)[0] == 0
    code, err = knowwho_process(db_path, "sync", "phone")
    assert (code, err) == (3, "knowwho: phone: the server refused the user name or password\n")
    tls_book = dav_server_tls.collection("addressbook")
    add = ["sync", "add", "carddav", "tls", "--url", tls_book, "--user", USER, "--password-file", str(wrong)]
    assert kw_cli(db_path, *add)[0] == 0
    code, err = knowwho_process(db_path, "sync", "tls")
    host = tls_book.split("/")[2]
    assert (code, err) == (3, f"knowwho: tls: the certificate of {host} was refused (it is not trusted)\n")


def knowwho_process(db: Path, *args: str) -> tuple[int, str]:
    """`knowwho ARGS...` run as its own process: the exit code and what it wrote to stderr."""
    done = subprocess.run(
        [sys.executable, "-m", "knowwho", *args, "--db", str(db)], capture_output=True, text=True, timeout=120
    )
    return done.returncode, done.stderr
