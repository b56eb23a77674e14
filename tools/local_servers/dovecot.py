"""A real IMAP server on a loopback port: Dovecot with a throwaway config and maildir, for the sync tests,
the benchmarks and the README's sync tour.

Its log says, for each session, how many message headers and bodies the
client fetched (`imap_logout_format`): the tests read it to prove that sync
never fetched a body.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

DOVECOT = shutil.which("dovecot") or "/usr/sbin/dovecot"
USER, PASSWORD = "me@example.org", "correct horse battery"
_SESSION = re.compile(r"Logged out .*?hdr_count=(\d+) hdr_bytes=(\d+) body_count=(\d+) body_bytes=(\d+)")


def available() -> bool:
    return Path(DOVECOT).exists()


@dataclass(frozen=True)
class Session:
    hdr_count: int
    hdr_bytes: int
    body_count: int
    body_bytes: int


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Dovecot:
    """One Dovecot instance; its mail user is the test process's user, or `nobody` when that is root."""

    def __init__(self, *, tls: tuple[Path, Path] | None = None) -> None:
        """`tls`: (certificate, key) files; the server then offers STARTTLS and requires it before login."""
        # A folder under /tmp that the server's own users (dovecot, the mail user) may enter.
        self.root = Path(tempfile.mkdtemp(prefix="knowwho-dovecot-"))
        self.root.chmod(0o755)
        self.port = _free_port()
        self.maildir = self.root / "home" / "Maildir"
        self.log = self.root / "dovecot.log"
        self.tls = tls
        uid = os.geteuid()
        self.account = pwd.getpwnam("nobody") if uid == 0 else pwd.getpwuid(uid)
        self._process: subprocess.Popen[bytes] | None = None

    # -- the mail it holds --------------------------------------------------------------------
    def folder(self, name: str) -> Path:
        return self.maildir if name == "INBOX" else self.maildir / f".{name}"

    def deliver(self, folder: str, message: bytes, *, key: str) -> None:
        """Put a message in a folder as a mail client would find it (read, in cur/)."""
        base = self.folder(folder)
        if not (base / "cur").is_dir():
            for sub in ("cur", "new", "tmp"):
                (base / sub).mkdir(parents=True, exist_ok=True)
            self._own(base)
        file = base / "cur" / f"{key}.knowwho:2,S"
        file.write_bytes(message)
        os.chown(file, self.account.pw_uid, self.account.pw_gid)

    def renumber(self, folder: str, uidvalidity: int) -> None:
        """Make the server number the folder afresh with a new UIDVALIDITY, as after a move to another server."""
        base = self.folder(folder)
        for file in base.glob("dovecot*"):
            if file.is_file():
                file.unlink()
        (base / "dovecot-uidlist").write_text(f"3 V{uidvalidity} N1\n")  # the header of an empty UID list
        self._own(base)

    def _own(self, top: Path) -> None:
        for folder, _dirs, files in os.walk(top):
            os.chown(folder, self.account.pw_uid, self.account.pw_gid)
            for name in files:
                os.chown(Path(folder, name), self.account.pw_uid, self.account.pw_gid)

    # -- running -------------------------------------------------------------------------------
    def start(self) -> Dovecot:
        for sub in ("cur", "new", "tmp"):
            (self.maildir / sub).mkdir(parents=True, exist_ok=True)
            (self.maildir / ".Sent" / sub).mkdir(parents=True, exist_ok=True)
        (self.maildir / "subscriptions").write_text("Sent\n")
        self._own(self.root / "home")
        passwd = self.root / "passwd"
        passwd.write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n")
        passwd.chmod(0o644)
        config = self.root / "dovecot.conf"
        config.write_text(self._config(passwd))
        self._process = subprocess.Popen([DOVECOT, "-F", "-c", str(config)], stderr=subprocess.PIPE)
        self._wait_listening()
        return self

    def _config(self, passwd: Path) -> str:
        me = pwd.getpwuid(os.geteuid()).pw_name
        internal = "" if os.geteuid() == 0 else f"default_internal_user = {me}\ndefault_login_user = {me}\n"
        if self.tls is None:
            ssl = "ssl = no\n"
        else:
            cert, key = self.tls
            ssl = f"ssl = required\nssl_cert = <{cert}\nssl_key = <{key}\n"  # STARTTLS, then login
        return f"""\
base_dir = {self.root}/run
state_dir = {self.root}/state
log_path = {self.log}
info_log_path = {self.log}
protocols = imap
listen = 127.0.0.1
{internal}{ssl}disable_plaintext_auth = no
auth_mechanisms = plain login
passdb {{
  driver = passwd-file
  args = {passwd}
}}
userdb {{
  driver = static
  args = uid={self.account.pw_uid} gid={self.account.pw_gid} home={self.root}/home
}}
mail_location = maildir:~/Maildir
namespace inbox {{
  inbox = yes
  separator = /
  mailbox Sent {{
    special_use = \\Sent
    auto = subscribe
  }}
}}
service imap-login {{
  inet_listener imap {{
    address = 127.0.0.1
    port = {self.port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
service imap-login {{
  chroot =
}}
protocol imap {{
  mail_max_userip_connections = 50
  imap_logout_format = hdr_count=%{{fetch_hdr_count}} hdr_bytes=%{{fetch_hdr_bytes}} \
body_count=%{{fetch_body_count}} body_bytes=%{{fetch_body_bytes}}
}}
"""

    def _wait_listening(self) -> None:
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            assert self._process is not None
            if self._process.poll() is not None:
                raise RuntimeError(f"dovecot did not start: {self._process.stderr.read().decode() if self._process.stderr else ''}"
                                   f"{self.log.read_text() if self.log.exists() else ''}")  # fmt: skip
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                    return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("dovecot did not listen in time")

    def sessions(self, *, wait_for: int = 0) -> list[Session]:
        """The sessions logged out so far, with what each fetched (waits a little for `wait_for` of them)."""
        deadline = time.monotonic() + 5
        while True:
            text = self.log.read_text() if self.log.exists() else ""
            found = [Session(*map(int, m.groups())) for m in _SESSION.finditer(text)]
            if len(found) >= wait_for or time.monotonic() > deadline:
                return found
            time.sleep(0.05)

    def stop(self) -> None:
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        shutil.rmtree(self.root, ignore_errors=True)


def make_certificates(folder: Path) -> tuple[Path, Path, Path]:
    """A throwaway CA and a certificate it signed for 127.0.0.1: (CA file, certificate, key)."""
    ca, ca_key = folder / "ca.pem", folder / "ca.key"
    cert, key, request = folder / "server.pem", folder / "server.key", folder / "server.csr"
    extensions = folder / "server.ext"
    extensions.write_text("subjectAltName = IP:127.0.0.1\nbasicConstraints = CA:FALSE\n")
    for command in (
        ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca, "-days", "2",
         "-subj", "/CN=knowwho test CA"],
        ["req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", request, "-subj", "/CN=127.0.0.1"],
        ["x509", "-req", "-in", request, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial", "-out", cert, "-days", "2",
         "-extfile", extensions],
    ):  # fmt: skip
        subprocess.run(["openssl", *map(str, command)], check=True, capture_output=True)
    return ca, cert, key
