"""Sync sources: adding, listing, removing; settings checked; passwords never in the database; one run at a time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from knowwho.cli.app import app, run
from knowwho.core import Knowwho
from knowwho.errors import InvalidInput, InvalidSetting, NotFound, SyncFailed
from knowwho.services.sync import secrets
from knowwho.services.sync.runner import ANOTHER_RUN, sync_lock
from knowwho.services.sync.sources import caldav_settings, carddav_settings, imap_settings
from tests.conftest import MemoryKeyring
from tests.test_cli import kw_cli, runner

SECRET = "hunter2-zorbulax-secret"


def test_a_source_is_added_listed_and_removed_and_undo_brings_it_back(kw: Knowwho, tmp_path: Path) -> None:
    password = tmp_path / "pw"
    password.write_text(SECRET + "\n")
    settings = imap_settings(host="imap.example.org", user="me@example.org")
    kw.sync.add("imap", "work", settings, password_file=str(password))
    [source] = kw.sync.list()
    assert (source.name, source.kind, source.password_file) == ("work", "imap", str(password.resolve()))
    assert source.settings["security"] == "tls" and source.settings["port"] == 993
    assert secrets.secret_for(source.name, source.password_file) == SECRET
    kw.sync.remove("work")
    assert kw.sync.list() == []
    kw.history.undo()
    assert [s.name for s in kw.sync.list()] == ["work"]


def test_the_keyring_keeps_the_password_and_the_database_never_holds_it(
    kw: Knowwho, db_path: Path, memory_keyring: MemoryKeyring
) -> None:
    kw.sync.add("imap", "home", imap_settings(host="imap.example.org", user="me"), password=SECRET)
    assert memory_keyring.entries[(secrets.KEYRING_SERVICE, "home")] == SECRET
    assert secrets.secret_for("home", None) == SECRET
    kw.close()
    for file in db_path.parent.iterdir():
        assert SECRET.encode() not in file.read_bytes(), file.name


def test_without_a_keyring_adding_with_a_password_says_to_use_a_file(kw: Knowwho) -> None:
    with pytest.raises(InvalidInput, match="--password-file"):
        kw.sync.add("imap", "home", imap_settings(host="imap.example.org", user="me"), password=SECRET)
    assert kw.sync.list() == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"host": "imap.example.org", "user": "me", "no_tls": True}, "--no-tls is allowed only"),
        ({"host": "imap example", "user": "me"}, "--host 'imap example' is not a host"),
        ({"host": "imap.example.org", "user": "me", "port": 70000}, "--port 70000"),
        ({"host": "imap.example.org", "user": " "}, "--user"),
    ],
)
def test_bad_settings_are_refused_naming_the_option(options: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        imap_settings(**options)  # type: ignore[arg-type]


def test_plain_text_is_allowed_to_this_machine() -> None:
    settings = imap_settings(host="127.0.0.1", user="me", port=1143, no_tls=True)
    assert (settings["security"], settings["port"]) == ("none", 1143)


def test_a_missing_password_file_is_said_when_the_source_is_added(kw: Knowwho, tmp_path: Path) -> None:
    with pytest.raises(InvalidSetting, match=r"--password-file .*: no such file"):
        kw.sync.add("imap", "w", imap_settings(host="h.example", user="me"), password_file=str(tmp_path / "nope"))


def test_names_are_checked_and_unique(kw: Knowwho) -> None:
    settings = carddav_settings(url="https://dav.example.org/c/", user="me")
    with pytest.raises(InvalidInput, match="source name 'two words'"):
        kw.sync.add("carddav", "two words", settings)
    kw.sync.add("carddav", "w", settings)
    with pytest.raises(InvalidInput, match="source name 'w' is already the name of a sync source"):
        kw.sync.add("carddav", "w", settings)
    with pytest.raises(InvalidInput, match="source name 'w' is already the name of a sync source"):
        kw.sync.add_source("imap", "w", host="h.example", user="me", password="x")
    with pytest.raises(NotFound, match=r"no sync source named .x. \(sources: w\)"):
        kw.sync.get("x")


def test_a_second_run_is_refused_while_one_holds_the_lock(kw: Knowwho, db_path: Path) -> None:
    other = Knowwho.open(db_path)
    try:
        with sync_lock(kw), pytest.raises(SyncFailed, match=ANOTHER_RUN), sync_lock(other):
            pass
        with sync_lock(other):  # released once the first run ends
            pass
    finally:
        other.close()


def test_cli_adds_lists_and_removes(db_path: Path, tmp_path: Path) -> None:
    password = tmp_path / "pw"
    password.write_text(SECRET)
    code, out, err = kw_cli(db_path, "sync", "add", "imap", "mail", "--host", "127.0.0.1", "--port", "1143",
                            "--user", "me", "--password-file", str(password), "--no-tls", "--known-only")  # fmt: skip
    assert code == 0, err
    assert "Added imap source mail" in out and SECRET not in out
    code, out, _ = kw_cli(db_path, "sync", "list", "--json")
    [listed] = json.loads(out)
    assert listed["settings"]["known_only"] is True and listed["last_run_at"] is None
    code, out, err = kw_cli(db_path, "sync", "add", "imap", "far", "--host", "imap.example.org", "--user", "me",
                            "--password-file", str(password), "--no-tls")  # fmt: skip
    assert code == 2 and "--no-tls is allowed only" in err and "Traceback" not in err
    assert kw_cli(db_path, "sync", "remove", "mail")[0] == 0
    assert kw_cli(db_path, "sync", "list")[1].startswith("No sync sources yet")


def test_cli_adds_dav_sources_with_their_settings(db_path: Path, tmp_path: Path) -> None:
    password = tmp_path / "pw"
    password.write_text(SECRET)
    url = "https://dav.example.org/user/contacts/"
    assert kw_cli(db_path, "sync", "add", "carddav", "phone", "--url", url, "--user", "me",
                  "--password-file", str(password), "--push")[0] == 0  # fmt: skip
    assert kw_cli(db_path, "sync", "add", "caldav", "cal", "--url", url, "--user", "me",
                  "--password-file", str(password), "--me", "Me@Example.org")[0] == 0  # fmt: skip
    listed = {s["name"]: s["settings"] for s in json.loads(kw_cli(db_path, "sync", "list", "--json")[1])}
    assert listed["phone"]["push"] is True and listed["cal"]["me"] == "me@example.org"
    code, _, err = kw_cli(db_path, "sync", "add", "caldav", "c2", "--url", "http://dav.example.org/", "--user", "me",
                          "--password-file", str(password))  # fmt: skip
    assert code == 2 and "use https://" in err


def test_every_sync_command_answers_in_json(db_path: Path, tmp_path: Path) -> None:
    password = tmp_path / "pw"
    password.write_text(SECRET)
    url = "https://dav.example.org/user/contacts/"
    added = []
    for kind, name, options in (("imap", "mail", ["--host", "127.0.0.1", "--no-tls"]), ("carddav", "phone", ["--url", url]),
                                ("caldav", "cal", ["--url", url])):  # fmt: skip
        code, out, err = kw_cli(db_path, "sync", "add", kind, name, *options, "--user", "me",
                                "--password-file", str(password), "--json")  # fmt: skip
        assert code == 0, err
        added.append(json.loads(out))
    assert [(a["added"]["name"], a["added"]["kind"], a["password"]) for a in added] == [
        ("mail", "imap", "file"), ("phone", "carddav", "file"), ("cal", "caldav", "file"),
    ]  # fmt: skip
    assert all(SECRET not in json.dumps(a) for a in added)
    code, out, err = kw_cli(db_path, "sync", "remove", "phone", "--json")
    assert code == 0, err
    removed = json.loads(out)
    assert removed["removed"]["name"] == "phone" and "undo brings it back" in removed["message"]
    assert [s["name"] for s in json.loads(kw_cli(db_path, "sync", "list", "--json")[1])] == ["cal", "mail"]


def test_syncing_an_unknown_source_names_the_known_ones(db_path: Path) -> None:
    code, _, err = kw_cli(db_path, "sync", "nosuch")
    assert code == 1 and "no sync source named 'nosuch'" in err


def test_undo_of_a_removal_brings_back_the_keyring_password_until_the_removal_is_too_old(
    kw: Knowwho, db_path: Path, memory_keyring: MemoryKeyring
) -> None:
    kw.sync.add_source("imap", "home", host="imap.example.org", user="me", password=SECRET)
    code, out, _ = kw_cli(db_path, "sync", "remove", "home")
    assert code == 0 and "Its password stays in your keyring while undo can bring the source back" in out
    assert memory_keyring.entries[(secrets.KEYRING_SERVICE, "home")] == SECRET  # kept for the undo
    assert kw_cli(db_path, "undo")[0] == 0
    assert secrets.secret_for(kw.sync.get("home").name, kw.sync.get("home").password_file) == SECRET
    kw.sync.remove("home")
    kw.sync.add_source("imap", "other", host="imap.example.org", user="me", password="x")
    assert kw.sync.forget_expired_passwords() == ()  # the removal can still be undone: the password stays
    kw.db.conn.execute("UPDATE undo_log SET pruned = 1")  # as 200 later changes leave it (journal.prune)
    kw.db.conn.commit()
    assert kw.sync.forget_expired_passwords() == ("home",)
    assert (secrets.KEYRING_SERVICE, "home") not in memory_keyring.entries
    assert memory_keyring.entries[(secrets.KEYRING_SERVICE, "other")] == "x"  # a live source keeps its own
    assert kw.sync.forget_expired_passwords() == ()


def test_a_source_added_again_under_a_removed_name_uses_its_own_password(
    kw: Knowwho, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    kw.sync.add_source("imap", "home", host="imap.example.org", user="me", password=SECRET)
    kw.sync.remove("home")
    password = tmp_path / "pw"
    password.write_text("from-a-file")
    kw.sync.add_source("imap", "home", host="imap.example.org", user="me", password_file=str(password))
    assert (secrets.KEYRING_SERVICE, "home") not in memory_keyring.entries  # the old one is not left behind
    assert kw.sync.forget_expired_passwords() == ()


def test_a_source_is_not_removed_while_it_syncs(kw: Knowwho, db_path: Path, tmp_path: Path) -> None:
    password = tmp_path / "pw"
    password.write_text(SECRET)
    kw.sync.add_source("imap", "home", host="imap.example.org", user="me", password_file=str(password))
    with sync_lock(kw):  # a run, from another process or the server
        code, _, err = kw_cli(db_path, "sync", "remove", "home")
    assert code == 3 and ANOTHER_RUN in err
    assert [s.name for s in kw.sync.list()] == ["home"]


@pytest.mark.parametrize(
    ("kind", "options", "field"),
    [
        ("imap", {"name": "two words", "host": "h.example", "user": "me"}, "name"),
        ("imap", {"name": "m", "host": "", "user": "me"}, "host"),
        ("imap", {"name": "m", "host": "h.example", "user": "me", "since": "someday"}, "since"),
        ("imap", {"name": "m", "host": "h.example", "user": "me", "no_tls": True}, "no_tls"),
        ("carddav", {"name": "c", "url": "ftp://x", "user": "me"}, "url"),
        ("caldav", {"name": "c", "url": "https://dav.example/", "user": "me", "me": "not-an-address"}, "me"),
        ("caldav", {"name": "c", "url": "https://dav.example/", "user": "me", "password_file": "/nonexistent/pw"},
         "password_file"),
        ("pop3", {"name": "c", "user": "me"}, "kind"),
    ],
)  # fmt: skip
def test_adding_names_the_field_refused(kw: Knowwho, kind: str, options: dict[str, object], field: str) -> None:
    name = str(options.pop("name"))
    with pytest.raises(InvalidSetting) as refused:
        kw.sync.add_source(kind, name, **options)  # type: ignore[arg-type]
    assert refused.value.field == field and refused.value.problem
    assert kw.sync.list() == []


def test_undoing_an_add_forgets_the_password_it_put_in_the_keyring(kw: Knowwho, memory_keyring: MemoryKeyring) -> None:
    kw.sync.add_source("imap", "typo", host="imap.example.org", user="me", password=SECRET)
    assert kw.sync.forget_expired_passwords() == ()  # in use
    kw.history.undo()
    assert kw.sync.list() == [] and kw.sync.forget_expired_passwords() == ("typo",)
    assert memory_keyring.entries == {}


def kw_cli_typing(db: Path, typed: str, *args: str) -> tuple[int, str, str]:
    """`kw_cli`, with `typed` as what the user types at the prompts."""
    with runner.isolation(input=typed) as streams:
        code = run(app, [*args, "--db", str(db)])
        return code, streams[0].getvalue().decode(), streams[1].getvalue().decode()


DAV_URL = "https://dav.example.org/user/contacts/"


def test_a_source_added_without_a_password_says_none_everywhere(db_path: Path, memory_keyring: MemoryKeyring) -> None:
    code, out, err = kw_cli_typing(db_path, "\n", "sync", "add", "carddav", "phone", "--url", DAV_URL, "--user", "me")
    assert code == 0, err
    assert "leave it empty if the server needs no login" in out and "Added carddav source phone (password: none)" in out
    code, out, err = kw_cli_typing(db_path, SECRET + "\n", "sync", "add", "caldav", "cal", "--url", DAV_URL,
                                   "--user", "me", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out[out.index("{") :])["password"] == "keyring"
    listed = {s["name"]: s["password_kept"] for s in json.loads(kw_cli(db_path, "sync", "list", "--json")[1])}
    assert listed == {"cal": "keyring", "phone": "none"}
    lines = kw_cli(db_path, "sync", "list")[1].splitlines()
    assert "password: in your keyring" in lines[0] and "password: none" in lines[1]
    code, out, _ = kw_cli(db_path, "sync", "remove", "phone")
    assert code == 0 and out.strip() == "Removed sync source phone; undo brings it back."


def test_a_mail_account_needs_a_password_and_an_address_book_or_calendar_may_have_none(
    kw: Knowwho, db_path: Path, tmp_path: Path
) -> None:
    with pytest.raises(InvalidSetting) as refused:
        kw.sync.add_source("imap", "mail", host="imap.example.org", user="me", password="")
    assert refused.value.field == "password" and "a mail account needs one" in refused.value.problem
    with pytest.raises(InvalidSetting, match="--password-file"):
        kw.sync.add("imap", "mail", imap_settings(host="imap.example.org", user="me"))
    code, _, err = kw_cli_typing(db_path, "\n", "sync", "add", "imap", "mail", "--host", "imap.example.org",
                                 "--user", "me")  # fmt: skip
    assert code == 2 and "a mail account needs a password: type it when asked, or give --password-file" in err
    assert kw.sync.list() == []
    kw.sync.add_source("carddav", "phone", url=DAV_URL, user="me")
    kw.sync.add("caldav", "cal", caldav_settings(url=DAV_URL, user="me"), password="")
    assert [(s.name, s.password_kept) for s in kw.sync.list()] == [("cal", "none"), ("phone", "none")]


def test_a_source_added_again_without_a_password_does_not_use_the_removed_ones(
    kw: Knowwho, memory_keyring: MemoryKeyring
) -> None:
    kw.sync.add_source("carddav", "phone", url=DAV_URL, user="me", password=SECRET)
    assert kw.sync.get("phone").password_kept == "keyring"
    kw.sync.remove("phone")
    kw.sync.add_source("carddav", "phone", url=DAV_URL, user="me")
    assert kw.sync.get("phone").password_kept == "none"
    assert secrets.secret_for("phone", None) is None and memory_keyring.entries == {}


def test_adding_checks_the_name_once(kw: Knowwho, monkeypatch: pytest.MonkeyPatch) -> None:
    checked: list[str] = []
    check = kw.sync._check_kind_and_name
    monkeypatch.setattr(kw.sync, "_check_kind_and_name", lambda kind, name: checked.append(name) or check(kind, name))
    kw.sync.add_source("carddav", "phone", url=DAV_URL, user="me")
    kw.sync.add("carddav", "book", carddav_settings(url=DAV_URL, user="me"))
    assert checked == ["phone", "book"]


@pytest.mark.parametrize("given", ["pass\x00word", "~\x00"])
def test_a_password_file_no_file_can_be_named_is_refused_naming_the_field(kw: Knowwho, given: str) -> None:
    with pytest.raises(InvalidSetting, match="is not a file name") as refused:
        kw.sync.add("imap", "w", imap_settings(host="h.example", user="me"), password_file=given)
    assert refused.value.field == "password_file" and kw.sync.list() == []
