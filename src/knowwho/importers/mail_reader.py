"""Reading mail into batches of conversations to store, here or in a helper process.

The reader splits mailboxes, parses headers and decides what each message is
for me (a conversation with whom, or a skip with its reason, or a problem). It
needs no database, so for a large input it runs in a helper process while this
one writes the previous batch: reading and writing then take turns on two
processor cores instead of one.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import re
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Literal

from knowwho.dates import DayRange
from knowwho.errors import ImportFailed
from knowwho.importers.mail_headers import (
    Address,
    header_text,
    is_auto_submitted,
    is_bulk,
    message_id,
    parse_addresses,
    parse_date,
    split_headers,
    to_text,
)
from knowwho.importers.mail_mbox import NotAMailbox, iter_mbox, read_file_headers

MAX_CO_RECIPIENTS = 10  # a message to more people says little about who knows whom
HELPER_MIN_BYTES = 16 * 1024 * 1024  # below this a helper process costs more than it saves
SHAPES_KEPT = 50_000  # distinct sender/recipient combinations remembered at a time

SKIP_LIST = "mailing lists and newsletters"
SKIP_AUTOMATIC = "automatic or no-reply senders"
SKIP_NOT_MINE = "not to or from you"
SKIP_NO_SENDER = "without a sender"
SKIP_SELF = "only to yourself"

Recipients = tuple[Address, ...]
_AUTOMATIC_SENDER = re.compile(
    r"^(?:no[-_.]?reply|do[-_.]?not[-_.]?reply|mailer[-_.]?daemon|postmaster|bounces?)(?:[-+_.].*)?@"
)


@dataclass(frozen=True, slots=True)
class MailSource:
    path: Path
    kind: Literal["mbox", "message"]
    size: int


@dataclass(frozen=True, slots=True, eq=False)
class Shape:
    """Who a message is between, from my side; shared by every message with the same From, To, Cc and Bcc."""

    direction: str  # 'out' (from me) or 'in' (to me)
    counterparts: Recipients  # the people the conversation is with
    others: Recipients  # co-recipients who only get "knows" edges
    knows: bool  # few enough people on it to say they know each other

    def __reduce__(self) -> tuple[type[Shape], tuple[str, Recipients, Recipients, bool]]:
        # plain constructor arguments: several times faster to send to the writing process than dataclass state
        return Shape, (self.direction, self.counterparts, self.others, self.knows)


# A conversation to store: (external id, occurred at, subject, shape number, file number).
Item = tuple[str, str, str, int, int]
# A conversation as the classifier sees it: (external id, occurred at, subject, shape).
Conversation = tuple[str, str, str, "Shape"]


@dataclass(slots=True)
class Batch:
    """What was read since the previous batch; shapes and files are sent once and then referred to by number."""

    items: list[Item] = field(default_factory=list)
    shapes: dict[int, Shape] = field(default_factory=dict)
    files: dict[int, str] = field(default_factory=dict)
    skipped: Counter[str] = field(default_factory=Counter)
    problems: list[tuple[int, str, str]] = field(default_factory=list)  # (file number, where, message)
    done: int = 0  # bytes of input read so far


@dataclass(frozen=True, slots=True)
class Skipped:
    reason: str


@dataclass(frozen=True, slots=True)
class Problem:
    message: str


# -- deciding what a message is ------------------------------------------------------------


class Classifier:
    """Decides what each message is for me: a conversation (with its shape), a skip, or a problem.

    Who a message is between depends only on its address headers, which repeat
    across a mailbox (the same few hundred correspondents): that part is worked
    out once per distinct combination and shared.
    """

    def __init__(self, me: frozenset[str], days: DayRange) -> None:
        self.me = me
        self.days = days
        self._me_bytes = [address.encode("utf-8", errors="replace") for address in me]
        self.shapes: dict[tuple[Address, Recipients, Recipients, Recipients], Shape | Skipped] = {}

    def __call__(self, fields: dict[bytes, bytes]) -> Conversation | Skipped | Problem:
        """A conversation to store, or why the message is skipped, or what is wrong with it.

        Works on the raw header values and decodes only what the verdict needs.
        """
        get = fields.get
        if (
            (b"list-id" in fields or b"list-unsubscribe" in fields or b"precedence" in fields)
            and is_bulk(fields)
            and not self._names_me(get(b"to"), get(b"cc"))
        ):
            return _SKIPPED[SKIP_LIST]
        senders = parse_addresses(get(b"from"))
        if not senders:
            return _SKIPPED[SKIP_NO_SENDER]
        if b"auto-submitted" in fields and is_auto_submitted(fields):
            return _SKIPPED[SKIP_AUTOMATIC]
        key = (senders[0], parse_addresses(get(b"to")), parse_addresses(get(b"cc")), parse_addresses(get(b"bcc")))
        shape = self.shapes.get(key)
        if shape is None:
            if len(self.shapes) >= 2 * SHAPES_KEPT:  # many skipped combinations: forget those
                self.shapes = {k: v for k, v in self.shapes.items() if isinstance(v, Shape)}
            shape = self.shapes[key] = self._shape(*key)
        if isinstance(shape, Skipped):
            return shape
        raw_date = get(b"date", b"")
        date = parse_date(raw_date)
        if date is None or not self.days.holds(date):
            shown = to_text(raw_date.strip())[:80]
            if not shown:
                return Problem("no Date header; message skipped")
            if date is None:
                return Problem(f"unreadable Date {shown!r}; message skipped")
            return Problem(f"Date {shown!r} is out of range ({self.days.span()}); message skipped")
        subject = header_text(get(b"subject"))[:300]
        external_id = message_id(get(b"message-id")) or _fallback_id(senders[0][1], raw_date, subject)
        return external_id, date, subject, shape

    def _names_me(self, to: bytes | None, cc: bytes | None) -> bool:
        """Whether list mail names me among other recipients: a reply through a list that is still to me.

        A list's own copy names only the list, and a newsletter only me; a reply to
        my post names me beside the list. The raw bytes are searched first so that
        most list mail is passed over without parsing.
        """
        lowered = b"%s,%s" % ((to or b"").lower(), (cc or b"").lower())
        if not any(address in lowered for address in self._me_bytes):
            return False
        recipients = {address for _name, address in (*parse_addresses(to), *parse_addresses(cc))}
        return bool(recipients & self.me) and bool(recipients - self.me)

    def _shape(self, sender: Address, to: Recipients, cc: Recipients, bcc: Recipients) -> Shape | Skipped:
        me = self.me
        address = sender[1]
        if _AUTOMATIC_SENDER.match(address):
            return _SKIPPED[SKIP_AUTOMATIC]
        recipients = _unique([*to, *cc, *bcc])
        others = tuple(r for r in recipients if r[1] not in me and r[1] != address)
        co_recipients: Recipients = ()
        if address in me:
            if not others:
                return _SKIPPED[SKIP_SELF]
            direction, counterparts = "out", others
        elif any(r[1] in me for r in recipients):
            direction, counterparts, co_recipients = "in", (sender,), others
        else:
            return _SKIPPED[SKIP_NOT_MINE]
        knows = len(counterparts) + len(co_recipients) <= MAX_CO_RECIPIENTS
        return Shape(direction, counterparts, co_recipients if knows else (), knows)


_SKIPPED = {r: Skipped(r) for r in (SKIP_LIST, SKIP_AUTOMATIC, SKIP_NOT_MINE, SKIP_NO_SENDER, SKIP_SELF)}


def _unique(people: list[Address]) -> list[Address]:
    seen: dict[str, Address] = {}
    for name, address in people:
        if address not in seen or (name and not seen[address][0]):
            seen[address] = (name, address)
    return list(seen.values())


def _fallback_id(sender: str, raw_date: bytes, subject: str) -> str:
    """A stable id for a message without Message-ID: its sender, date and subject."""
    key = "\x1f".join((sender, to_text(raw_date.strip()), subject))
    return "sha1:" + hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()


# -- reading -------------------------------------------------------------------------------


def read_batches(sources: list[MailSource], me: frozenset[str], *, days: DayRange, batch_size: int) -> Iterator[Batch]:
    """Batches of up to `batch_size` conversations dated within `days`, read in this process."""
    reading = _Reading(Classifier(me, days), batch_size)
    for file_number, source in enumerate(sources):
        yield from reading.read(file_number, source)
    reading.batch.done = reading.done
    yield reading.batch


class _Reading:
    """The batch being filled, and the shape numbers already sent with earlier batches."""

    def __init__(self, classify: Classifier, batch_size: int) -> None:
        self.classify = classify
        self.batch_size = batch_size
        self.shape_numbers: dict[Shape, int] = {}
        self.batch = Batch()
        self.done = 0  # bytes of the sources before the current one

    def read(self, file_number: int, source: MailSource) -> Iterator[Batch]:
        """The batches that fill up while reading one source; an unreadable file becomes a problem."""
        self.batch.files[file_number] = str(source.path)
        try:
            if source.kind == "message":
                if self.add(split_headers(read_file_headers(source.path)), file_number, 0, -1):
                    yield self.full(source.size)
            else:
                with source.path.open("rb") as stream:
                    add = self.add
                    for number, offset, block in iter_mbox(stream):
                        if add(split_headers(block), file_number, number, offset):
                            yield self.full(stream.tell())
        except (OSError, NotAMailbox) as error:
            reason = getattr(error, "strerror", None) or error
            self.batch.problems.append((file_number, "file", f"cannot read it ({reason})"))
        self.done += source.size

    def add(self, fields: dict[bytes, bytes], file_number: int, number: int, offset: int) -> bool:
        """Classify one message into the batch; True when the batch is full."""
        verdict = self.classify(fields)
        batch = self.batch
        if isinstance(verdict, tuple):
            external_id, occurred_at, subject, shape = verdict
            shape_number = self.shape_numbers.get(shape)
            if shape_number is None:
                shape_number = self.shape_numbers[shape] = len(self.shape_numbers)
                batch.shapes[shape_number] = shape
            batch.items.append((external_id, occurred_at, subject, shape_number, file_number))
            return len(batch.items) >= self.batch_size
        if isinstance(verdict, Skipped):
            batch.skipped[verdict.reason] += 1
        else:
            where = f"message {number} (byte {offset})" if offset >= 0 else "headers"
            batch.problems.append((file_number, where, verdict.message))
        return False

    def full(self, position: int) -> Batch:
        """Hand over the full batch and start the next."""
        batch, self.batch = self.batch, Batch()
        batch.done = self.done + position
        if len(self.shape_numbers) >= SHAPES_KEPT:  # forget (and later resend) rather than grow forever
            self.classify.shapes.clear()
            self.shape_numbers.clear()
        return batch


class HeaderBlocks:
    """Header blocks fetched elsewhere (an IMAP server), classified into batches by the same rules as files."""

    def __init__(self, me: frozenset[str], days: DayRange) -> None:
        self._reading = _Reading(Classifier(me, days), batch_size=sys.maxsize)
        self._places: dict[str, int] = {}

    def batch(self, place: str, blocks: list[tuple[str, bytes]]) -> Batch:
        """One batch of the (where, header block) pairs read from `place`; a problem names its `where`."""
        reading = self._reading
        number = self._places.setdefault(place, len(self._places))
        reading.batch.files[number] = place
        problems = reading.batch.problems
        for where, block in blocks:
            found = len(problems)
            reading.add(split_headers(block), number, 0, -1)
            if len(problems) > found:
                problems[-1] = (number, where, problems[-1][2])
        return reading.full(0)


def batches(sources: list[MailSource], me: frozenset[str], *, days: DayRange, batch_size: int) -> Iterator[Batch]:
    """The batches of these sources: from a helper process for a large input where that is safe, else from here."""
    if sum(s.size for s in sources) >= HELPER_MIN_BYTES and _can_fork():
        return _from_helper(sources, me, days=days, batch_size=batch_size)
    return read_batches(sources, me, days=days, batch_size=batch_size)


def _can_fork() -> bool:
    # Forking copies this process as it is (no re-import of the command line), which only Linux does safely.
    return sys.platform.startswith("linux") and "fork" in multiprocessing.get_all_start_methods()


def _from_helper(sources: list[MailSource], me: frozenset[str], *, days: DayRange, batch_size: int) -> Iterator[Batch]:
    context = multiprocessing.get_context("fork")
    receiver, sender = context.Pipe(duplex=False)
    parent = os.getpid()
    helper = context.Process(
        target=_helper, args=(sender, receiver, parent, sources, me, days, batch_size), daemon=True
    )
    helper.start()
    sender.close()
    try:
        while True:
            try:
                message = receiver.recv()
            except EOFError:
                raise ImportFailed(
                    "the mail reader stopped unexpectedly; run the same import again to complete it"
                ) from None
            if message is None:
                return
            if isinstance(message, str):
                raise RuntimeError(f"reading the mail failed in the helper process:\n{message}")
            yield message
    finally:
        receiver.close()
        if helper.is_alive():
            helper.terminate()
        helper.join()


def _helper(
    sender: Connection,
    receiver: Connection,
    parent: int,
    sources: list[MailSource],
    me: frozenset[str],
    days: DayRange,
    batch_size: int,
) -> None:
    """Runs in the helper process: a pipe holds at most about one batch, so reading stays just ahead of writing.

    It stops when the importing process is gone (killed): its own copy of the
    reading end is closed, so a send to nobody fails at once, and a watcher
    notices the parent's end between sends.
    """
    receiver.close()
    _watch_parent(parent)
    try:
        for batch in read_batches(sources, me, days=days, batch_size=batch_size):
            sender.send(batch)
        sender.send(None)
    except (KeyboardInterrupt, BrokenPipeError):
        pass
    except BaseException:
        sender.send(traceback.format_exc())
    finally:
        sender.close()


def _watch_parent(parent: int, every: float = 0.5) -> None:
    """Leave as soon as the importing process has gone: nobody will read what is read here."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        os._exit(1)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
