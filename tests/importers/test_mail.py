"""Mail import: real .eml and mbox fixtures, a hand-written mailbox, maildir, re-imports, bad input, random bytes."""

from __future__ import annotations

import io
import mailbox
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from knowwho.cli.app import app, run
from knowwho.clock import fixed_clock
from knowwho.core import Knowwho
from knowwho.errors import ImportFailed, Interrupted, InvalidInput, KnowwhoError
from knowwho.importers import mail as mail_importer
from knowwho.importers import mail_reader
from knowwho.importers.mail_headers import decode_words, parse_addresses, parse_date, parse_headers
from knowwho.importers.mail_mbox import iter_mbox, read_file_headers
from knowwho.services.imports import run_import
from knowwho.storage import provenance as provenance_store
from tests.conftest import NOW
from tests.importers.helpers import cli, snapshot

DATA = Path(__file__).parent.parent / "data" / "email"
EML = DATA / "eml"
MBOX = DATA / "mbox" / "knowwho_conversations.mbox"
ME = "me@example.org"


def person(kw: Knowwho, email: str) -> dict[str, Any]:
    row = kw.db.conn.execute(
        "SELECT p.* FROM people p JOIN person_emails e ON e.person_id = p.id WHERE e.email = ?", (email,)
    ).fetchone()
    assert row is not None, email
    return dict(row)


def conversations(kw: Knowwho) -> list[tuple[str, str, str, list[str]]]:
    """(occurred_at, direction, subject, sorted participant emails) of every interaction."""
    rows = kw.db.conn.execute(
        """SELECT i.id, i.occurred_at, i.direction, i.subject, e.email FROM interactions i
           JOIN interaction_participants ip ON ip.interaction_id = i.id
           JOIN person_emails e ON e.person_id = ip.person_id ORDER BY i.occurred_at, i.id"""
    ).fetchall()
    found: dict[int, tuple[str, str, str, list[str]]] = {}
    for r in rows:
        found.setdefault(r["id"], (r["occurred_at"], r["direction"], r["subject"], []))[3].append(r["email"])
    return [(at, d, s, sorted(emails)) for at, d, s, emails in found.values()]


def knows(kw: Knowwho) -> set[tuple[str, str]]:
    rows = kw.db.conn.execute(
        """SELECT ea.email, eb.email FROM knows k JOIN person_emails ea ON ea.person_id = k.person_a_id
           JOIN person_emails eb ON eb.person_id = k.person_b_id WHERE k.source = 'mail-co-recipient'"""
    )
    return {tuple(sorted((a, b))) for a, b in rows}  # type: ignore[misc]


# -- the header reader on real files -----------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "sender", "to", "subject"),
    [
        ("stalwart_hunny_outlook2000_utf7.eml", ("Doug Sauder", "doug@example.com"),
         [("Joe Blow", "jblow@example.com"), ("Jürgen Schmürgen", "schmuergen@example.com")],
         "Die Hasen und die Frösche (Microsoft Outlook 00)"),
        ("stalwart_hunny_eudora_raw8bit.eml", ("Doug Sauder", "dwsauder@example.com"),
         [("Jürgen Schmürgen", "jschmuergen@example.com")], "Die Hasen und die Frösche"),
        ("stalwart_hunny_netscape_mixedsubject.eml", ("Doug Sauder", "dwsauder@example.com"),
         [("Heinz Müller", "mueller@example.com")], "Die Hasen und die Frösche (Netscape Messenger 4.7)"),
        ("stalwart_hunny_pine_2recips.eml", ("Doug Sauder", "doug@penguin.example.com"),
         [("Joe Blow", "blow@example.com"), ("Heinz Müller", "mueller@example.com")], "Die Hasen und die Frösche"),
        ("stalwart_dovecot_utf8_b_subject.eml", None, [], "こんにちは"),
        ("stalwart_malformed_017.eml", ("Test User", "test@example.org"), [("Another User", "test2@example.org")],
         "Hello world"),
    ],
)  # fmt: skip
def test_real_messages_decode_encoded_words_utf7_and_raw_8bit(
    name: str, sender: tuple[str, str] | None, to: list[tuple[str, str]], subject: str
) -> None:
    headers = parse_headers(read_file_headers(EML / name))
    assert headers.sender == sender
    assert list(headers.to) == to
    assert headers.subject == subject


def test_list_and_bounce_fixtures_are_recognised() -> None:
    post = parse_headers(read_file_headers(EML / "stalwart_dovecot_mailman_list_post.eml"))
    bounce = parse_headers(read_file_headers(EML / "cpython_msg_16_bounce_dsn.eml"))
    assert post.is_list and bounce.is_list
    assert bounce.sender == ("Internet Mail Delivery", "postmaster@ucla.edu")
    assert bounce.date == "2001-09-24 03:14:35"  # -0700 turned into UTC


def test_unescaped_from_line_in_a_body_stays_in_its_message() -> None:
    path = DATA / "mbox" / "cpython_mailbox_01.mbox"
    with path.open("rb") as stream:
        messages = list(iter_mbox(stream))
    assert len(messages) == 1  # "From time to time" is body text, not a new message
    assert parse_headers(messages[0][2]).subject == "unquoted From in body; extra info on From line"
    assert len(mailbox.mbox(str(path))) == 2  # the standard library splits it there


@pytest.mark.parametrize("chunk_size", [1, 7, 64, 1 << 20])
def test_mbox_reading_does_not_depend_on_chunk_boundaries(chunk_size: int) -> None:
    data = MBOX.read_bytes()
    expected = [m[2] for m in iter_mbox(io.BytesIO(data))]
    assert [m[2] for m in iter_mbox(io.BytesIO(data), chunk_size=chunk_size)] == expected
    assert len(expected) == 11


def test_a_huge_body_is_skipped_not_kept() -> None:
    body = b"x" * 70 + b"\n"
    data = (
        b"From a@example.com Mon Jan  5 10:00:00 2026\nFrom: a@example.com\nSubject: big\n\n" + body * 60_000
        + b"\nFrom b@example.com Mon Jan  5 11:00:00 2026\nFrom: b@example.com\nSubject: after\n\nhi\n"
    )  # fmt: skip

    class Watched(io.BytesIO):
        largest = 0

        def read(self, size: int | None = -1) -> bytes:
            chunk = super().read(size)
            Watched.largest = max(Watched.largest, len(chunk))
            return chunk

    stream = Watched(data)
    subjects = [parse_headers(m[2]).subject for m in iter_mbox(stream, chunk_size=64 * 1024)]
    assert subjects == ["big", "after"]
    assert Watched.largest <= 64 * 1024


@pytest.mark.parametrize(
    ("raw", "stamp"),
    [
        (b"Mon, 12 Jan 2026 10:00:00 +0100", "2026-01-12 09:00:00"),
        (b"12 Jan 2026 23:30:00 -0500", "2026-01-13 04:30:00"),  # into the next day
        (b"Thu, 1 Jan 2026 00:10 +0200", "2025-12-31 22:10:00"),  # into the previous year, no seconds
        (b"Tue, 13 Jan 26 08:30:00 GMT", "2026-01-13 08:30:00"),  # two-digit year, zone name
        (b"Tue, 13 Jan 2026 08:30:00 EST", "2026-01-13 13:30:00"),
        (b"Wed, 31 Dec 2025 23:59:60 +0000", "2025-12-31 23:59:59"),  # a leap second
        (b"Fri, 19 May 2000 10:26:12 -0400 (EDT)", "2000-05-19 14:26:12"),
        (b"Sat, 29 Feb 2025 10:00:00 +0000", None),  # no such day
        (b"sometime last week", None),
        (b"", None),
    ],
)
def test_dates_are_read_into_utc(raw: bytes, stamp: str | None) -> None:
    assert parse_date(raw) == stamp


@pytest.mark.parametrize(
    ("text", "decoded"),
    [
        ("=?UTF-8?B?44GT44KT?= =?UTF-8?B?44Gr44Gh44Gv?=", "こんにちは"),  # the space between words is not shown
        ("=?utf-8?B?4pyT?= =?utf-8?B?IGRvbmU=?=", "✓ done"),
        ("=?utf-8?q?caf=C3?= =?utf-8?q?=A9?=", "café"),  # a character split between two words
        ("=?x-unknown?Q?plain?=", "plain"),
        ("=?utf-8*en?Q?hello?=", "hello"),  # RFC 2231 language
        ("Re: =?ISO-8859-1?Q?a=E9?= b", "Re: aé b"),
        ("50% off =? maybe", "50% off =? maybe"),
    ],
)
def test_encoded_words_are_decoded(text: str, decoded: str) -> None:
    assert decode_words(text) == decoded


def test_names_are_shown_as_people_write_them() -> None:
    assert parse_addresses(b'"Doe, Jane" <Jane@Example.com>, bob@example.com (Bob), undisclosed-recipients:;') == (
        ("Jane Doe", "jane@example.com"),
        ("Bob", "bob@example.com"),
    )
    assert parse_addresses(b"=?utf-8?q?Ren=C3=A9e?= <renee@example.com>") == (("Renée", "renee@example.com"),)
    assert parse_addresses(b"not an address, <>") == ()


_MBOX_LINES = st.lists(
    st.sampled_from([b"From a@b Mon Jan  1 00:00:00 2001", b"From x", b"From time to time", b"Subject: hi",
                     b"To: a@b", b"", b"body", b"From b Tue Feb  2 10:11:12 2002 extra", b">From quoted",
                     b" folded", b"From: c@d"]),
    max_size=25,
)  # fmt: skip


@settings(max_examples=200, deadline=None)
@given(lines=_MBOX_LINES, crlf=st.booleans(), chunk_size=st.integers(min_value=1, max_value=64))
def test_splitting_an_mbox_does_not_depend_on_where_reads_end(lines: list[bytes], crlf: bool, chunk_size: int) -> None:
    data = (b"\r\n" if crlf else b"\n").join([b"From a@b Mon Jan  1 00:00:00 2001", *lines])
    whole = [(n, o, h.rstrip(b"\r\n")) for n, o, h in iter_mbox(io.BytesIO(data))]
    pieces = [(n, o, h.rstrip(b"\r\n")) for n, o, h in iter_mbox(io.BytesIO(data), chunk_size=chunk_size)]
    assert pieces == whole
    separators = sum(1 for line in lines if line.startswith(b"From ") and line[5:6] in b"ab")
    assert len(whole) in (separators, separators + 1)  # a separator on the last line starts no message


# -- importing ---------------------------------------------------------------------------------


def test_the_eml_fixtures_folder(kw: Knowwho) -> None:
    report = run_import(kw, "mail", EML, me=["jblow@example.com"])
    assert report.interactions_added == 1
    assert dict(report.skipped) == {"not to or from you": 4, "mailing lists and newsletters": 2, "without a sender": 1}
    assert report.problems == []
    assert conversations(kw) == [("2000-05-17 23:18:39", "in", "Die Hasen und die Frösche (Microsoft Outlook 00)",
                                  ["doug@example.com"])]  # fmt: skip
    doug = person(kw, "doug@example.com")
    assert doug["display_name"] == "Doug Sauder" and doug["is_contact"] == 1
    assert doug["last_inbound_at"] == "2000-05-17 23:18:39" and doug["interaction_count"] == 1
    # the co-recipient is known through Doug, not a contact of mine
    juergen = person(kw, "schmuergen@example.com")
    assert juergen["display_name"] == "Jürgen Schmürgen" and juergen["is_contact"] == 0
    assert knows(kw) == {("doug@example.com", "schmuergen@example.com")}
    assert provenance_store.my_emails(kw.db.conn) == {"jblow@example.com"}


def test_a_mailbox_of_conversations(kw: Knowwho) -> None:
    report = run_import(kw, "mail", MBOX, me=[ME])
    assert (report.added, report.interactions_added, report.interactions_existing) == (4, 4, 1)
    assert dict(report.skipped) == {
        "mailing lists and newsletters": 1,
        "automatic or no-reply senders": 2,
        "not to or from you": 1,
        "only to yourself": 1,
    }
    assert [str(p) for p in report.problems] == [
        f"{MBOX}, message 7 (byte 1959): unreadable Date 'sometime last week'; message skipped"
    ]
    assert conversations(kw) == [
        ("2026-01-12 09:00:00", "out", "Réunion de lancement",
         ["ada@example.com", "charles@example.com", "grainne@example.ie"]),
        ("2026-01-13 08:30:00", "in", "Re: Réunion de lancement", ["ada@example.com"]),
        ("2026-01-16 16:00:00", "in", "Nobody in To", ["dora@example.net"]),
        ("2026-01-16 17:00:00", "in", "No message id here", ["dora@example.net"]),
    ]  # fmt: skip
    assert person(kw, "charles@example.com")["display_name"] == "Charles Babbage"  # "Babbage, Charles"
    assert person(kw, "grainne@example.ie")["display_name"] == "Gráinne O'Malley"
    # Dora was first a co-recipient, then wrote to me herself: now a contact
    assert person(kw, "dora@example.net")["is_contact"] == 1
    ada = person(kw, "ada@example.com")
    assert (ada["last_outbound_at"], ada["last_inbound_at"], ada["interaction_count"]) == (
        "2026-01-12 09:00:00", "2026-01-13 08:30:00", 2,
    )  # fmt: skip
    assert ada["tie_strength"] > 0
    assert knows(kw) == {
        ("ada@example.com", "charles@example.com"), ("ada@example.com", "grainne@example.ie"),
        ("charles@example.com", "grainne@example.ie"), ("ada@example.com", "dora@example.net"),
        ("charles@example.com", "dora@example.net"),
    }  # fmt: skip
    assert report.knows_added == 5


def test_importing_the_same_mail_twice_adds_nothing(kw: Knowwho) -> None:
    run_import(kw, "mail", MBOX, me=[ME])
    run_import(kw, "mail", EML)
    before = snapshot(kw)
    again = run_import(kw, "mail", MBOX)
    assert (again.added, again.interactions_added, again.knows_added) == (0, 0, 0)
    assert again.interactions_existing == 5
    assert run_import(kw, "mail", EML).interactions_added == 0
    assert snapshot(kw) == before


def test_an_interrupted_import_is_completed_by_running_it_again(
    kw: Knowwho, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = Knowwho.open(db_path.with_name("whole.db"), clock=fixed_clock(NOW))
    run_import(whole, "mail", MBOX, me=[ME])
    monkeypatch.setattr(mail_importer, "BATCH_SIZE", 2)
    calls = {"n": 0}
    real_commit = mail_importer.ImportSession._commit

    def failing_commit(self: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:  # after the first batch, after the second
            raise KeyboardInterrupt
        real_commit(self)

    monkeypatch.setattr(mail_importer.ImportSession, "_commit", failing_commit)
    with pytest.raises(Interrupted, match=r"^interrupted: 2 conversations and \d+ people stored"):
        run_import(kw, "mail", MBOX, me=[ME])
    assert len(conversations(kw)) == 2  # the first batch was committed, the second rolled back
    counts = (
        "SELECT interaction_count, (SELECT count(*) FROM interaction_participants WHERE person_id = id) FROM people"
    )
    assert all(kept == real for kept, real in kw.db.conn.execute(counts))  # derived columns match what was kept
    monkeypatch.setattr(mail_importer.ImportSession, "_commit", real_commit)
    run_import(kw, "mail", MBOX)
    assert conversations(kw) == conversations(whole)
    columns = "display_name, is_contact, last_inbound_at, last_outbound_at, interaction_count, tie_strength"
    query = f"SELECT {columns} FROM people ORDER BY display_name"
    assert [tuple(r) for r in kw.db.conn.execute(query)] == [tuple(r) for r in whole.db.conn.execute(query)]
    whole.close()


def test_a_helper_process_reads_big_input_with_the_same_result(
    kw: Knowwho, db_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inline = Knowwho.open(db_path.with_name("inline.db"), clock=fixed_clock(NOW))
    expected = run_import(inline, "mail", MBOX, me=[ME]).to_dict()
    monkeypatch.setattr(mail_reader, "HELPER_MIN_BYTES", 0)  # as if the mailbox were big
    monkeypatch.setattr(mail_importer, "BATCH_SIZE", 2)
    assert run_import(kw, "mail", MBOX, me=[ME]).to_dict() == expected
    assert snapshot(kw) == snapshot(inline)
    inline.close()


def test_a_helper_process_that_dies_is_reported_in_one_line(kw: Knowwho, monkeypatch: pytest.MonkeyPatch) -> None:
    def dying(*_args: Any, **_kwargs: Any) -> Any:
        os._exit(3)

    monkeypatch.setattr(mail_reader, "HELPER_MIN_BYTES", 0)
    monkeypatch.setattr(mail_reader, "read_batches", dying)
    before = snapshot(kw)
    with pytest.raises(ImportFailed, match="run the same import again"):
        run_import(kw, "mail", MBOX, me=[ME])
    assert snapshot(kw) == before  # the --me address too: nothing was committed


def test_my_addresses_are_needed_once(kw: Knowwho) -> None:
    before = snapshot(kw)
    with pytest.raises(InvalidInput, match="--me"):
        run_import(kw, "mail", MBOX)
    assert snapshot(kw) == before
    with pytest.raises(InvalidInput, match="not an email address"):
        run_import(kw, "mail", MBOX, me=["me"])
    run_import(kw, "mail", MBOX, me=["Me@Example.org"])
    assert provenance_store.my_emails(kw.db.conn) == {ME}


def test_maildir_and_crlf_mbox(kw: Knowwho, tmp_path: Path) -> None:
    lf = MBOX.read_bytes()
    crlf = tmp_path / "windows.mbox"
    crlf.write_bytes(lf.replace(b"\n", b"\r\n"))
    maildir = tmp_path / "Mail" / "INBOX"
    for sub in ("cur", "new", "tmp"):
        (maildir / sub).mkdir(parents=True)
    shutil.copy(EML / "stalwart_hunny_outlook2000_utf7.eml", maildir / "cur" / "1700000000.1.host:2,S")
    shutil.copy(EML / "stalwart_hunny_pine_2recips.eml", maildir / "new" / "1700000001.2.host")
    shutil.copy(EML / "stalwart_hunny_eudora_raw8bit.eml", maildir / "tmp" / "1700000002.3.host")  # not delivered yet
    report = run_import(kw, "mail", tmp_path / "Mail", me=["jblow@example.com", "blow@example.com"])
    assert report.interactions_added == 2
    report = run_import(kw, "mail", crlf, me=[ME])
    assert (report.interactions_added, report.interactions_existing, len(report.problems)) == (4, 1, 1)


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"", "the file is empty"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not an mbox file or an email message"),
        (b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "not an mbox file or an email message"),
    ],
)
def test_a_missing_or_wrong_file_fails_with_one_line_and_changes_nothing(
    kw: Knowwho, tmp_path: Path, content: bytes | None, message: str
) -> None:
    path = tmp_path / "mailbox"
    if content is not None:
        path.write_bytes(content)
    before = snapshot(kw)
    with pytest.raises(ImportFailed, match=message):
        run_import(kw, "mail", path, me=[ME])
    assert snapshot(kw) == before


def test_a_folder_without_mail_fails(kw: Knowwho, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("nothing here")
    with pytest.raises(ImportFailed, match="no mail found"):
        run_import(kw, "mail", tmp_path, me=[ME])


def test_progress_reports_bytes(kw: Knowwho) -> None:
    seen: list[tuple[int, int | None]] = []
    run_import(kw, "mail", MBOX, me=[ME], progress=lambda done, total: seen.append((done, total)))
    size = MBOX.stat().st_size
    assert seen[-1] == (size, size)
    assert [d for d, _t in seen] == sorted(d for d, _t in seen)


def test_the_command_prints_a_summary_and_exit_codes(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(app, ["import", "mail", str(MBOX), "--db", str(db_path)]) == 2
    assert "Pass --me" in capsys.readouterr().err
    assert run(app, ["import", "mail", str(MBOX), "--me", ME, "--db", str(db_path)]) == 0
    out = capsys.readouterr().out
    assert "4 added" in out and "2 automatic or no-reply senders" in out and "message 7" in out
    assert run(app, ["import", "mail", str(DATA / "nothing.mbox"), "--db", str(db_path)]) == 2
    assert capsys.readouterr().err.count("\n") == 1


# -- no input crashes ---------------------------------------------------------------------------

_HEADERISH = st.lists(
    st.sampled_from([b"From: ", b"To: ", b"Cc: ", b"Date: ", b"Subject: ", b"Message-ID: ", b"List-Id: x", b"\n",
                     b"\r\n", b" ", b"\t", b"=?utf-8?q?", b"=?x?B?", b"?=", b"<", b">", b",", b'"', b"@", b"a@b.c",
                     b"me@example.org", b"Mon, 1 Jan 2024 10:00:00 +0100", b"From x Mon Jan  1 00:00:00 2024\n",
                     b"\xff\xfe", b"\x00", b"(", b")", b":;"]),
    max_size=60,
).map(b"".join)  # fmt: skip


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    data=st.one_of(
        st.binary(max_size=2000),
        _HEADERISH,
        _HEADERISH.map(lambda b: b"From a@b Mon Jan  1 00:00:00 2024\n" + b),
        _HEADERISH.map(lambda b: b"From: a@b\n" + b),
    )
)
def test_no_bytes_make_the_mail_importer_crash(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "random.mbox"
        path.write_bytes(data)
        kw = Knowwho.open(":memory:")
        try:
            report = run_import(kw, "mail", path, me=[ME])
            assert report.kind == "mail"
        except KnowwhoError:
            pass
        finally:
            kw.close()


def test_stats_tallied_while_writing_equal_a_recomputation_from_the_database(kw: Knowwho) -> None:
    from knowwho.services import tie_strength
    from knowwho.services.interactions import refresh_people

    run_import(kw, "mail", EML, me=[ME])  # earlier history, with some of the same people
    run_import(kw, "mail", MBOX, me=[ME], batch_size=2)
    with kw.db.transaction() as conn:
        conn.execute("UPDATE people SET closeness = 4 WHERE id = (SELECT MIN(id) FROM people)")
    run_import(kw, "mail", MBOX)  # a re-run tallies from what is stored
    query = """SELECT id, first_interaction_at, last_interaction_at, last_inbound_at, last_outbound_at,
                      interaction_count, tie_strength FROM people ORDER BY id"""
    tallied = [tuple(r) for r in kw.db.conn.execute(query)]
    with kw.db.transaction() as conn:
        ids = [r[0] for r in tallied]
        refresh_people(conn, ids, now_julian=tie_strength.julian(kw.ctx.now_stamp()))
    assert [tuple(r) for r in kw.db.conn.execute(query)] == tallied
    assert any(r[5] for r in tallied) and all(r[6] is not None for r in tallied)


def test_people_changed_elsewhere_during_an_import_are_recomputed(kw: Knowwho, monkeypatch: pytest.MonkeyPatch) -> None:
    from knowwho.importers import mail_store

    real_finish = mail_store.MailWriter.finish

    def finish_after_an_edit(self: Any) -> None:
        # as if another program had logged a call with Ada meanwhile (data_version moves on its commit)
        ada = person(kw, "ada@example.com")["id"]
        self.conn.execute("INSERT INTO interactions (id, occurred_at, kind, direction, created_at) "
                          "VALUES (9999, '2026-01-20 10:00:00', 'call', 'mutual', '2026-01-20 10:00:00')")  # fmt: skip
        self.conn.execute("INSERT INTO interaction_participants (interaction_id, person_id) VALUES (9999, ?)", (ada,))
        self._marks = (-1, -1)
        real_finish(self)

    monkeypatch.setattr(mail_store.MailWriter, "finish", finish_after_an_edit)
    run_import(kw, "mail", MBOX, me=[ME])
    ada = person(kw, "ada@example.com")
    assert (ada["interaction_count"], ada["last_interaction_at"]) == (3, "2026-01-20 10:00:00")


def test_a_commit_by_another_program_or_a_merge_is_noticed(kw: Knowwho, db_path: Path) -> None:
    from knowwho.storage import bulk_import

    before = bulk_import.change_marks(kw.db.conn)
    other = Knowwho.open(db_path, clock=fixed_clock(NOW))
    with other.db.transaction() as conn:
        conn.execute(
            "INSERT INTO people (display_name, created_at, updated_at) VALUES ('Zoe', '2026-01-01', '2026-01-01')"
        )
    other.close()
    assert bulk_import.change_marks(kw.db.conn) != before


LISTS = DATA / "lists"


def test_a_list_reply_that_names_me_is_a_conversation_and_a_reply_owed(db_path: Path) -> None:
    # A kernel maintainer answers my patch To me, Cc the lists: vger adds List-Id and Precedence: bulk.
    code, out, err = cli(db_path, "import", "mail", str(LISTS), "--me", ME)
    assert (code, err) == (0, "")
    assert "1 conversations added" in out
    kw = Knowwho.open(db_path)
    try:
        assert conversations(kw) == [
            ("2026-11-16 10:12:18", "in", "Re: [PATCH v3 2/4] mm/compaction: skip pageblocks already isolated",
             ["greta@kernel.example"]),
        ]  # fmt: skip
    finally:
        kw.close()
    code, out, _err = cli(db_path, "today")
    assert code == 0 and "Greta Lindqvist" in out  # the review waits for my answer


def test_list_mail_that_does_not_name_me_is_still_skipped(kw: Knowwho) -> None:
    report = run_import(kw, "mail", LISTS / "vger_kernel_list_thread_not_to_me.eml", me=[ME])
    assert report.interactions_added == 0 and dict(report.skipped) == {"mailing lists and newsletters": 1}
    report = run_import(kw, "mail", EML / "stalwart_dovecot_mailman_list_post.eml", me=[ME])
    assert dict(report.skipped) == {"mailing lists and newsletters": 1}


def test_a_named_pipe_in_a_mail_folder_is_passed_over(kw: Knowwho, tmp_path: Path) -> None:
    """Nothing writes to it: opening it would wait forever."""
    shutil.copy(MBOX, tmp_path / "archive.mbox")
    os.mkfifo(tmp_path / "stray.eml")
    report = run_import(kw, "mail", tmp_path, me=[ME])
    assert report.interactions_added > 0 and all("stray" not in p.file for p in report.problems)
