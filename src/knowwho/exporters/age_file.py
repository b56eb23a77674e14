"""age-encrypted files (the `pyrage` package): an export for someone's public key or under a passphrase.

Recipients are age public keys (`age1...`) or SSH public keys (`ssh-ed25519 ...`,
`ssh-rsa ...`), or a file of them one a line, as `age -R` reads. An identity
file holds age secret keys (`AGE-SECRET-KEY-1...`) or is an SSH private key.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from knowwho.errors import ImportFailed, InvalidInput

HEADER = b"age-encryption.org/v1\n"
_PASSPHRASE_STANZA = b"\n-> scrypt "


def is_age(path: Path) -> bool:
    try:
        with path.open("rb") as file:
            return file.read(len(HEADER)) == HEADER
    except OSError:
        return False


def needs_passphrase(data: bytes) -> bool:
    """Whether an age file was encrypted under a passphrase (else for recipients' keys)."""
    return _PASSPHRASE_STANZA in data[:200]


def encrypt(data: bytes, *, recipients: Sequence[str] = (), passphrase: str | None = None) -> bytes:
    import pyrage

    if passphrase is not None:
        return bytes(pyrage.passphrase.encrypt(data, passphrase))
    keys = [key for given in recipients for key in _recipients(given)]
    return bytes(pyrage.encrypt(data, keys))


def decrypt(source: Path, *, identity: Path | None = None, passphrase: str | None = None) -> bytes:
    """The plain content of the age file `source`; a wrong key or passphrase is one line naming the file."""
    import pyrage

    data = source.read_bytes()
    try:
        if passphrase is not None:
            return bytes(pyrage.passphrase.decrypt(data, passphrase))
        if identity is None:
            raise ImportFailed(
                f"{source}: encrypted for someone's key: give the matching key with --identity FILE (knowwho restore)"
            )
        return bytes(pyrage.decrypt(data, _identities(identity)))
    except pyrage.DecryptError:
        what = "passphrase" if passphrase is not None else f"key in {identity}"
        raise ImportFailed(f"{source}: the {what} does not decrypt it (or the file is damaged)") from None


def _recipients(given: str) -> list[Any]:
    """One recipient, or every recipient in a file of them."""
    from pyrage import RecipientError, ssh, x25519

    text = given.strip()
    candidate = Path(text).expanduser()
    if not text.startswith(("age1", "ssh-")) and candidate.is_file():
        lines = candidate.read_text(encoding="utf-8", errors="replace").splitlines()
        found = [r for line in lines if line.strip() and not line.startswith("#") for r in _recipients(line)]
        if not found:
            raise InvalidInput(f"--encrypt-to {given}: the file names no recipient")
        return found
    try:
        if text.startswith("ssh-"):
            return [ssh.Recipient.from_str(text)]
        return [x25519.Recipient.from_str(text)]
    except RecipientError:
        raise InvalidInput(
            f"--encrypt-to {given[:60]}: not an age public key (age1...), an SSH public key, or a file of them"
        ) from None


def _identities(path: Path) -> list[Any]:
    from pyrage import IdentityError, ssh, x25519

    try:
        data = path.expanduser().read_bytes()
    except OSError as error:
        raise InvalidInput(f"--identity {path}: cannot read the file ({error.strerror})") from None
    try:
        if b"PRIVATE KEY" in data:
            return [ssh.Identity.from_buffer(data)]
        lines = data.decode("utf-8", errors="replace").splitlines()
        found = [x25519.Identity.from_str(line.strip()) for line in lines if line.startswith("AGE-SECRET-KEY-")]
    except IdentityError:
        found = []
    if not found:
        raise InvalidInput(f"--identity {path}: holds no age secret key (AGE-SECRET-KEY-1...) or SSH private key")
    return found
