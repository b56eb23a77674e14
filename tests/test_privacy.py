"""Private by design: an encrypted database (SQLCipher), its key, age-encrypted exports, and files only the user reads."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import keyring
import pytest
from fastapi.testclient import TestClient
from keyring.backends import fail

import knowwho.cli.demo
import knowwho.cli.exports
import knowwho.cli.privacy  # noqa: F401  (registers the commands with `app`)
from knowwho.clock import fixed_clock
from knowwho.core import Knowwho
from knowwho.errors import DatabaseLocked
from knowwho.services import privacy
from knowwho.storage import database
from knowwho.storage.cipher import DatabaseKey
from knowwho.web.app import create_app
from tests.conftest import NOW, MemoryKeyring
from tests.importers.helpers import cli, run_argv

LOCKED_LINE = "this database is encrypted: give its key with --key-file or KNOWWHO_KEY_FILE, or unlock your keyring"
# Words that appear nowhere but in what the tests write, so finding their bytes anywhere is a leak.
BEFORE = ("Quillondra Vexworth", "zanthroplex rejected her at Murgatroyd")
AFTER = ("Bellisande Krupnik", "owes Yorvath three favours")


@pytest.fixture
def no_keyring() -> Iterator[None]:
    keyring.set_keyring(fail.Keyring())
    yield


@pytest.fixture
def key_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None) -> Path:
    """KNOWWHO_KEY_FILE names a key file that `encrypt` creates."""
    path = tmp_path / "knowwho.key"
    monkeypatch.setenv(privacy.KEY_FILE_ENV, str(path))
    return path


def write_people(db: Path, name: str, note: str) -> None:
    kw = Knowwho.open(db, clock=fixed_clock(NOW))
    try:
        person = kw.people.add(name, emails=[f"{name.split()[0].lower()}@example.org"])
        kw.interactions.add_note(person.id, note)
    finally:
        kw.close()


def leaks(path: Path, words: tuple[str, ...]) -> list[str]:
    data = path.read_bytes()
    return [w for w in words for piece in (w, w.split()[0]) if piece.encode() in data]


def said(out: str) -> str:
    """The output as one line (the console wraps long lines)."""
    return " ".join(out.split())


def export_json(db: Path, target: Path) -> bytes:
    code, _out, err = cli(db, "export", "json", str(target))
    assert code == 0, err
    return target.read_bytes()


# -- 1. nothing readable in the database, its WAL or a backup -------------------------------------------------
def test_no_word_of_the_network_is_in_the_encrypted_file_its_wal_or_a_backup(db_path: Path, key_file: Path) -> None:
    write_people(db_path, *BEFORE)
    assert leaks(db_path, BEFORE)  # the plain file shows them: the check can fail
    code, out, err = cli(db_path, "encrypt")
    assert code == 0, err
    assert f"its key: the key file {key_file} (new)" in said(out)
    kw = Knowwho.open(db_path, clock=fixed_clock(NOW))
    try:
        person = kw.people.add(AFTER[0])
        kw.interactions.add_note(person.id, AFTER[1])
        wal = Path(f"{db_path}-wal")
        assert wal.stat().st_size > 0  # written while open: the new rows are in the WAL
        assert leaks(wal, BEFORE + AFTER) == []
        code, out, err = cli(db_path, "backup", str(db_path.parent / "copy.db"))
        assert code == 0, err
    finally:
        kw.close()
    for path in (db_path, db_path.parent / "copy.db"):
        assert not path.read_bytes().startswith(database.SQLITE_HEADER)
        assert leaks(path, BEFORE + AFTER) == []
    code, out, _err = cli(db_path.parent / "copy.db", "show", AFTER[0])
    assert code == 0 and AFTER[1] in out  # the backup opens with the same key


def test_a_plain_sqlite_tool_sees_no_names(db_path: Path, key_file: Path) -> None:
    write_people(db_path, *BEFORE)
    assert cli(db_path, "encrypt")[0] == 0
    with pytest.raises(sqlite3.DatabaseError, match="not a database"):
        sqlite3.connect(db_path).execute("SELECT display_name FROM people").fetchall()


# -- 2. exports are the same before and after ---------------------------------------------------------------
def test_export_json_is_identical_before_and_after_encrypting(db_path: Path, key_file: Path) -> None:
    write_people(db_path, *BEFORE)
    before = export_json(db_path, db_path.parent / "before.json")
    assert cli(db_path, "encrypt")[0] == 0
    assert export_json(db_path, db_path.parent / "after.json") == before
    assert cli(db_path, "decrypt")[0] == 0
    assert db_path.read_bytes().startswith(database.SQLITE_HEADER)
    assert export_json(db_path, db_path.parent / "plain-again.json") == before


# -- 3. without the key, or with a wrong one: one line, exit 2, the file untouched -----------------------
def test_without_the_key_or_with_a_wrong_one_nothing_changes(
    db_path: Path, key_file: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_people(db_path, *BEFORE)
    assert cli(db_path, "encrypt")[0] == 0
    sealed = db_path.read_bytes()
    wrong = tmp_path / "wrong.key"
    privacy.write_key_file(wrong, DatabaseKey.generate())
    for args in (("add", "Someone New"), ("today",), ("rm", BEFORE[0]), ("decrypt",)):
        monkeypatch.setenv(privacy.KEY_FILE_ENV, str(wrong))
        code, _out, err = cli(db_path, *args)
        assert code == 2
        assert err.splitlines() == [f"knowwho: {db_path}: the key given does not open it; {LOCKED_LINE}"]
        monkeypatch.delenv(privacy.KEY_FILE_ENV)
        code, _out, err = cli(db_path, *args)
        assert (code, err.splitlines()) == (2, [f"knowwho: {db_path}: {LOCKED_LINE}"])
    assert db_path.read_bytes() == sealed
    assert not Path(f"{db_path}-wal").exists()
    assert key_file.read_text().strip() not in "".join(err)


def test_everything_works_with_the_key_undo_included(db_path: Path, key_file: Path) -> None:
    assert cli(db_path, "encrypt")[0] == 0  # a new database starts encrypted
    assert not db_path.read_bytes().startswith(database.SQLITE_HEADER)
    assert cli(db_path, "add", BEFORE[0])[0] == 0
    assert cli(db_path, "note", BEFORE[0], BEFORE[1])[0] == 0
    code, out, _err = cli(db_path, "find", BEFORE[0].split()[0])
    assert code == 0 and BEFORE[0] in out  # full-text search (FTS5) in the encrypted file
    assert cli(db_path, "undo")[0] == 0
    code, out, _err = cli(db_path, "show", BEFORE[0])
    assert code == 0 and BEFORE[1] not in out


def test_an_encrypted_connection_raises_the_standard_sqlite3_errors(db_path: Path, key_file: Path) -> None:
    assert cli(db_path, "encrypt")[0] == 0
    kw = Knowwho.open(db_path, clock=fixed_clock(NOW))
    try:
        assert kw.db.encrypted
        person = kw.people.add(BEFORE[0])
        with pytest.raises(sqlite3.IntegrityError):
            kw.db.conn.execute("INSERT INTO people (id, display_name) VALUES (?, 'x')", (person.id,))
        assert kw.db.conn.execute("PRAGMA temp_store").fetchone()[0] == 2  # temporary files stay in memory
    finally:
        kw.close()


# -- where the key comes from -------------------------------------------------------------------------------
def test_encrypt_keeps_a_new_key_in_the_keyring_and_opens_with_it(db_path: Path, memory_keyring: MemoryKeyring) -> None:
    write_people(db_path, *BEFORE)
    code, out, err = cli(db_path, "encrypt")
    assert code == 0, err
    assert "its key: your keyring" in said(out)
    stored = memory_keyring.entries[(privacy.KEYRING_SERVICE, privacy.KEYRING_ENTRY)]
    assert len(stored) == 64 and stored not in out
    code, out, _err = cli(db_path, "show", BEFORE[0])
    assert code == 0 and BEFORE[1] in out


def test_without_a_keyring_encrypt_says_how_in_one_line_and_leaves_the_file(db_path: Path, no_keyring: None) -> None:
    write_people(db_path, *BEFORE)
    plain = db_path.read_bytes()
    code, _out, err = cli(db_path, "encrypt")
    assert (code, err.splitlines()) == (2, [f"knowwho: {privacy.NO_KEYRING}"])
    assert db_path.read_bytes() == plain
    assert list(db_path.parent.glob("*.key")) == []


def test_a_key_file_given_on_the_command_line_wins(
    db_path: Path, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    named = tmp_path / "named.key"
    assert cli(db_path, "encrypt", "--key-file", str(named))[0] == 0
    assert memory_keyring.entries == {}  # the key went to the file named, not the keyring
    code, _out, err = cli(db_path, "backup", str(tmp_path / "b.db"), "--key-file", str(named))
    assert code == 0, err
    assert cli(db_path, "today")[0] == 2


def test_a_key_file_before_any_command_opens_the_database(
    db_path: Path, tmp_path: Path, memory_keyring: MemoryKeyring
) -> None:
    """`knowwho --key-file F COMMAND` reaches commands that have no --key-file of their own."""
    named = tmp_path / "named.key"
    assert cli(db_path, "encrypt", "--key-file", str(named))[0] == 0
    for command in (["add", "Ana Lima"], ["today"], ["opp", "list"], []):
        code, _out, err = run_argv(["--key-file", str(named), "--db", str(db_path), *command])
        assert code == 0, (command, err)
    assert run_argv(["--db", str(db_path), "people"])[0] == 2
    assert "Ana Lima" in run_argv(["--key-file", str(named), "--db", str(db_path), "--json", "people"])[1]


def test_the_server_reads_the_key_once_at_start(db_path: Path, key_file: Path) -> None:
    write_people(db_path, *BEFORE)
    assert cli(db_path, "encrypt")[0] == 0
    with TestClient(create_app(db_path), base_url="http://127.0.0.1") as client:
        key_file.unlink()  # connections opened from now on use the key read at start
        pages = [client.get("/api/people", params={"q": BEFORE[0].split()[0]}) for _ in range(3)]
    assert all(page.status_code == 200 for page in pages)
    assert BEFORE[0] in pages[-1].text


def test_the_server_will_not_start_without_the_key(
    db_path: Path, key_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cli(db_path, "encrypt")[0] == 0
    monkeypatch.delenv(privacy.KEY_FILE_ENV)
    with pytest.raises(DatabaseLocked, match="this database is encrypted"):
        create_app(db_path)


# -- age-encrypted exports -----------------------------------------------------------------------------------
def test_an_export_for_a_public_key_restores_with_its_identity(db_path: Path, tmp_path: Path) -> None:
    from pyrage import x25519

    identity = x25519.Identity.generate()
    (tmp_path / "me.txt").write_text(f"# my key\n{identity}\n")
    write_people(db_path, *BEFORE)
    plain = export_json(db_path, tmp_path / "plain.json")
    sealed = tmp_path / "network.age"
    code, _out, err = cli(db_path, "export", "json", str(sealed), "--encrypt-to", str(identity.to_public()))
    assert code == 0, err
    assert leaks(sealed, BEFORE) == [] and sealed.read_bytes().startswith(b"age-encryption.org/v1\n")
    restored = tmp_path / "restored.db"
    code, _out, err = cli(restored, "restore", str(sealed))
    assert (code, err.strip()) == (
        2,
        f"knowwho: {sealed}: encrypted for someone's key: give the matching key with --identity FILE (knowwho restore)",
    )
    code, _out, err = cli(tmp_path / "restored2.db", "restore", str(sealed), "--identity", str(tmp_path / "me.txt"))
    assert code == 0, err
    assert export_json(tmp_path / "restored2.db", tmp_path / "again.json") == plain


def test_an_export_under_a_passphrase_restores_with_it(
    db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_people(db_path, *BEFORE)
    plain = export_json(db_path, tmp_path / "plain.json")
    sealed = tmp_path / "network.json.age"
    monkeypatch.setenv(privacy.PASSPHRASE_ENV, "correct horse battery staple")
    assert cli(db_path, "export", "json", str(sealed), "--passphrase")[0] == 0
    assert leaks(sealed, BEFORE) == []
    monkeypatch.setenv(privacy.PASSPHRASE_ENV, "wrong horse")
    code, _out, err = cli(tmp_path / "r1.db", "restore", str(sealed))
    assert (code, err.strip()) == (2, f"knowwho: {sealed}: the passphrase does not decrypt it (or the file is damaged)")
    monkeypatch.setenv(privacy.PASSPHRASE_ENV, "correct horse battery staple")
    assert cli(tmp_path / "r2.db", "restore", str(sealed))[0] == 0
    assert export_json(tmp_path / "r2.db", tmp_path / "again.json") == plain


def test_a_bad_recipient_is_one_line(db_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    code, _out, err = cli(db_path, "export", "json", str(tmp_path / "x.age"), "--encrypt-to", "age1nonsense")
    assert code == 2 and len(err.splitlines()) == 1 and "--encrypt-to age1nonsense: not an age public key" in err
    monkeypatch.setenv(privacy.PASSPHRASE_ENV, "a passphrase")
    code, _out, err = cli(db_path, "export", "json", str(tmp_path / "x.age"), "--encrypt-to", "x", "--passphrase")
    assert (code, err.strip()) == (2, "knowwho: give --encrypt-to or --passphrase, not both")
    assert not (tmp_path / "x.age").exists()


# -- files only the user can read ---------------------------------------------------------------------------
def mode(path: Path) -> int:
    return path.stat().st_mode & 0o777


def test_every_file_knowwho_creates_is_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, no_keyring: None
) -> None:
    os.umask(0o022)  # the usual umask, under which SQLite makes files 0644
    data = tmp_path / "data" / "knowwho"
    monkeypatch.setattr(database, "data_folder", lambda: data)
    db = data / "knowwho.db"
    kw = Knowwho.open(db, clock=fixed_clock(NOW))
    try:
        kw.people.add(BEFORE[0])
        files = [db, Path(f"{db}-wal"), Path(f"{db}-shm")]
        assert {str(p.name): mode(p) for p in files} == {p.name: 0o600 for p in files}
    finally:
        kw.close()
    assert mode(data) == 0o700
    assert cli(db, "backup", str(tmp_path / "backup.db"))[0] == 0
    assert cli(db, "export", "json", str(tmp_path / "all.json"))[0] == 0
    assert cli(db, "encrypt", "--key-file", str(tmp_path / "db.key"))[0] == 0
    assert cli(db, "backup", str(tmp_path / "sealed-backup.db"), "--key-file", str(tmp_path / "db.key"))[0] == 0
    made = ["backup.db", "all.json", "db.key", "sealed-backup.db"]
    assert {name: mode(tmp_path / name) for name in made} == dict.fromkeys(made, 0o600)
    assert mode(db) == 0o600


def test_encrypt_names_the_plain_backups_left_beside_the_database(db_path: Path, key_file: Path) -> None:
    write_people(db_path, *BEFORE)
    assert cli(db_path, "backup")[0] == 0
    code, out, _err = cli(db_path, "encrypt")
    assert code == 0
    assert "1 older backups beside it are still plain (knowwho-2026" in said(out)


# -- start-up ------------------------------------------------------------------------------------------------
def test_today_on_a_plain_database_loads_neither_sqlcipher_nor_the_keyring(db_path: Path) -> None:
    write_people(db_path, *BEFORE)
    script = (
        "import sys\nfrom knowwho.cli.app import app, run\n"
        f"code = run(app, ['today', '--db', {str(db_path)!r}])\n"
        "print(code, sorted(m for m in ('sqlcipher3', 'keyring', 'pyrage') if m in sys.modules))\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.splitlines()[-1] == "0 []"


def test_a_data_folder_an_older_knowwho_made_open_to_all_becomes_private(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    data.chmod(0o755)
    monkeypatch.setattr(database, "data_folder", lambda: data)
    monkeypatch.delenv(database.ENV_VAR, raising=False)
    assert database.default_path() == data / "knowwho.db"
    assert mode(data) == 0o700


def test_encrypt_refuses_while_another_program_has_the_database_open(db_path: Path, key_file: Path) -> None:
    write_people(db_path, *BEFORE)
    holder = (  # another process, as the server: a connection that has read the database and stays open
        "import sqlite3, sys\n"
        f"conn = sqlite3.connect({str(db_path)!r})\n"
        "print(conn.execute('SELECT count(*) FROM people').fetchone()[0], flush=True)\n"
        "sys.stdin.readline()\n"
    )
    server = subprocess.Popen([sys.executable, "-c", holder], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert server.stdout is not None and server.stdout.readline().strip() == "1"
        plain = db_path.read_bytes()
        code, _out, err = cli(db_path, "encrypt")
        assert code == 2
        assert err.splitlines() == [
            f"knowwho: {db_path}: another program has the database open (the web server?); stop it and try again"
        ]
        assert db_path.read_bytes() == plain and not Path(f"{db_path}.rewrite").exists()
    finally:
        server.communicate("\n", timeout=10)


@pytest.mark.skipif(sys.platform == "darwin", reason="the macOS backend is the one to use there")
def test_the_keyring_is_chosen_without_looking_for_apples_libraries() -> None:
    script = (
        "import sys\nfrom knowwho.services.keyrings import keyring_module\n"
        "backend = keyring_module().get_keyring()\n"
        "print(type(backend).__module__.startswith('keyring.backends.macOS'), "
        "sys.modules['keyring.backends.macOS.api'], 'ctypes.util' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert result.stdout.split() == ["False", "None", "False"]  # find_library (ldconfig, a compiler) never ran
