"""One email, one person: adds of the same address at the same moment leave a single record (the API's
adds and captures: tests/web/test_same_email_api.py); `dupes` says when two records share an address."""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

from knowwho.clock import fixed_clock
from knowwho.core import Knowwho
from knowwho.errors import AlreadyKnown
from knowwho.services.people import PersonChanges
from knowwho.storage import people as people_store
from tests.conftest import NOW
from tests.test_cli import kw_cli

CLIENTS = 6
EMAILS = [f"person{n}@example.org" for n in range(10)]


def emails_held_twice(db_path: Path) -> list[tuple[str, int]]:
    """Addresses that more than one person not removed holds."""
    with closing(sqlite3.connect(db_path)) as conn:
        return conn.execute(
            """SELECT e.email, COUNT(DISTINCT e.person_id) FROM person_emails e JOIN people p ON p.id = e.person_id
               WHERE p.deleted_at IS NULL GROUP BY e.email HAVING COUNT(DISTINCT e.person_id) > 1"""
        ).fetchall()


def at_once(add_one: Callable[[int, str], None]) -> None:
    """Every client adds every email; for each email, all clients start their add at the same moment."""
    start = threading.Barrier(CLIENTS)
    failures: list[BaseException] = []

    def client(number: int) -> None:
        try:
            for email in EMAILS:
                start.wait(timeout=30)
                add_one(number, email)
        except BaseException as error:  # shown by the assertion below, with the thread's error
            failures.append(error)
            start.abort()

    threads = [threading.Thread(target=client, args=(n,)) for n in range(CLIENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def at_once_in_apps(db_path: Path, act: Callable[[Knowwho, int, str], None]) -> None:
    """`at_once`, each client with its own connection to the database."""
    apps = [Knowwho.open(db_path, clock=fixed_clock(NOW), check_same_thread=False) for _ in range(CLIENTS)]
    try:
        at_once(lambda number, email: act(apps[number], number, email))
    finally:
        for app in apps:
            app.close()


def test_concurrent_adds_of_one_email_make_one_person(kw: Knowwho, db_path: Path) -> None:
    refused: list[str] = []

    def add_one(app: Knowwho, number: int, email: str) -> None:
        try:
            app.people.add(f"Client {number} contact", emails=[email])
        except AlreadyKnown as error:
            refused.append(str(error))

    at_once_in_apps(db_path, add_one)
    assert emails_held_twice(db_path) == []
    assert kw.people.count() == len(EMAILS)
    assert len(refused) == len(EMAILS) * (CLIENTS - 1)
    assert all("is already #" in message for message in refused)


def test_dupes_names_a_shared_email(kw: Knowwho) -> None:
    # Records from before adds were checked inside their transaction: one address, two people.
    first = kw.people.add("Jo Marsh", emails=["jo@marsh.example"]).id
    second = kw.people.add("Joanna M.").id
    with kw.db.transaction() as conn:
        people_store.add_emails(conn, second, ["jo@marsh.example"])
    pairs = kw.duplicates.candidates()
    assert [(p.keep_id, p.other_id) for p in pairs] == [(first, second)]
    assert "same email" in pairs[0].evidence


def test_edit_refuses_an_email_another_person_has_with_their_id(kw: Knowwho, db_path: Path) -> None:
    ana = kw.people.add("Ana Lima", emails=["ana@acme.example"]).id
    raj = kw.people.add("Raj Patel").id
    gone = kw.people.add("Old Record", emails=["old@acme.example"]).id
    kw.people.remove(gone)
    code, _, err = kw_cli(db_path, "edit", "Raj Patel", "--email", "ANA@acme.example", "--location", "Lisbon")
    assert code != 0 and err.strip().splitlines() == [
        f"knowwho: the email ana@acme.example is already #{ana} Ana Lima's; if they are one person, merge the two"
    ]
    raj_now = kw.people.get(raj)
    assert (raj_now.emails, raj_now.location) == ([], "")  # nothing of the edit was written
    assert kw_cli(db_path, "edit", "Raj Patel", "--email", "old@acme.example")[0] == 0  # a removed person's is free
    assert kw.people.get(raj).emails == ["old@acme.example"]


def test_concurrent_edits_giving_one_email_to_several_people_give_it_to_one(kw: Knowwho, db_path: Path) -> None:
    people = [kw.people.add(f"Client {n} contact").id for n in range(CLIENTS)]
    refused: list[int] = []

    def edit_one(app: Knowwho, number: int, email: str) -> None:
        try:
            app.people.edit(people[number], PersonChanges(add_emails=[email]))
        except AlreadyKnown as error:
            refused.append(error.person_id)

    at_once_in_apps(db_path, edit_one)
    assert emails_held_twice(db_path) == []
    assert len(refused) == len(EMAILS) * (CLIENTS - 1)
