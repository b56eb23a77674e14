"""Writing knowwho's data out in standard formats: a JSON backup, vCard, CSV and iCalendar.

The exporters only format: the export service reads the database and hands
them plain records (`Contact`, `Reminder`, `EventEntry`). Every file is
written through `atomic_write`, so a crash never leaves a half-written file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from knowwho.errors import KnowwhoError

# A new file holds a personal address book: readable by its owner only.
NEW_FILE_MODE = 0o600


@dataclass(slots=True)
class Contact:
    """One person as the contact formats (vCard, CSV) see them."""

    id: int
    display_name: str
    given_name: str = ""
    family_name: str = ""
    emails: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (address, label)
    phones: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (number, label)
    addresses: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (address, label)
    links: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (url, kind)
    tags: list[str] = dataclasses.field(default_factory=list)
    organization: str = ""
    title: str = ""
    birthday: str | None = None  # 'YYYY-MM-DD' or '--MM-DD'
    how_met: str = ""
    notes: list[tuple[str, str]] = dataclasses.field(default_factory=list)  # (created_at, body), oldest first
    photo: bytes | None = None
    photo_type: str | None = None  # a MIME type such as image/jpeg
    created_at: str = ""
    updated_at: str = ""

    def note_text(self) -> str:
        """How we met and the dated notes, as one text for a NOTE field."""
        parts = [f"How we met: {self.how_met}"] if self.how_met else []
        parts += [f"{at[:10]}: {body}" if at else body for at, body in self.notes]
        return "\n\n".join(parts)


@dataclass(slots=True)
class Reminder:
    """Something to do on a day: an open follow-up or a re-engagement."""

    uid: str
    due_on: str  # 'YYYY-MM-DD'
    summary: str
    description: str = ""
    category: str = ""
    created_at: str = ""  # stored UTC stamp; used as DTSTAMP so the feed is stable


@dataclass(slots=True)
class EventEntry:
    uid: str
    name: str
    starts_on: str
    ends_on: str | None = None
    place: str = ""
    notes: str = ""
    created_at: str = ""


class ExportFailed(KnowwhoError):
    """The output file could not be written (missing folder, no permission, disk full)."""

    exit_code = 2
    http_status = 500


@contextlib.contextmanager
def atomic_write(path: Path, *, newline: str | None = None) -> Iterator[IO[str]]:
    """Write UTF-8 text into a temporary file beside `path`, then rename it over `path`.

    On any error the temporary file is removed and `path` is left as it was.
    """
    with _replacing(path) as fd, os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
        yield handle
        _settle(handle)


def write_bytes_atomically(path: Path, data: bytes) -> None:
    """`atomic_write` for bytes (an encrypted export)."""
    with _replacing(path) as fd, os.fdopen(fd, "wb") as handle:
        handle.write(data)
        _settle(handle)


def is_stream(path: Path) -> bool:
    """Whether `path` is a pipe or a device (`/dev/stdout`, a named pipe) rather than a file or a folder."""
    try:
        mode = path.stat().st_mode
    except OSError:
        return False
    return not (stat.S_ISREG(mode) or stat.S_ISDIR(mode))


def _settle(handle: IO[Any]) -> None:
    """Flush `handle`, and on a file wait until it is on disk (a pipe has no disk to wait for)."""
    handle.flush()
    if stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
        os.fsync(handle.fileno())


@contextlib.contextmanager
def _replacing(path: Path) -> Iterator[int]:
    """A private temporary file beside `path` (its descriptor), put in place of `path` when the block ends well.

    A pipe or a device (`/dev/stdout`) is written as it is: renaming a file over
    it would put a plain file in its place. A symbolic link stays one: the file it
    points to is the one replaced.
    """
    if is_stream(path):
        with _writing_through(path) as fd:
            yield fd
        return
    path = Path(os.path.realpath(path)) if path.is_symlink() else path
    folder = path.parent
    if not folder.is_dir():
        raise ExportFailed(f"{path}: the folder {folder} does not exist")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=folder)
    except OSError as error:
        raise ExportFailed(f"{path}: cannot write there ({error.strerror})") from error
    tmp = Path(tmp_name)
    try:
        yield fd
        _keep_mode(path, tmp)
        os.replace(tmp, path)
    except OSError as error:
        tmp.unlink(missing_ok=True)
        raise ExportFailed(f"{path}: cannot write the file ({error.strerror or error})") from error
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


@contextlib.contextmanager
def _writing_through(path: Path) -> Iterator[int]:
    try:
        fd = os.open(path, os.O_WRONLY)
    except OSError as error:
        raise ExportFailed(f"{path}: cannot write there ({error.strerror or error})") from error
    try:
        yield fd
    except OSError as error:  # the reader went away (`| head`), or the device refused
        raise ExportFailed(f"{path}: cannot write the file ({error.strerror or error})") from error


def _keep_mode(path: Path, tmp: Path) -> None:
    """An overwritten file keeps its permissions; a new one is private."""
    try:
        mode = path.stat().st_mode & 0o777
    except FileNotFoundError:
        mode = NEW_FILE_MODE
    os.chmod(tmp, mode)
