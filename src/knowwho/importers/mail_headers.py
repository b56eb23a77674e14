"""Fast mail header reading: split an mbox and parse the few headers we keep.

No `email.message` object is built per message: the mbox is read in large
binary chunks, message boundaries are found with `bytes.find`, only the header
block (up to the first blank line) of each message is copied out, and only the
headers knowwho uses are decoded. The standard library (`email.header`,
`email.utils`) is called only for the rare values that need it: encoded words,
quoted or commented addresses, unusual date formats.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.header import decode_header
from email.utils import getaddresses, parsedate_tz
from pathlib import Path
from typing import BinaryIO

CHUNK_SIZE = 1 << 20
MAX_HEADER_BYTES = 256 * 1024  # a header block larger than this is cut (a broken message, not a real header)

# A "From " line that separates messages: sender, then an asctime-like date
# ("From jo@example.com Sun Aug  7 11:40:37 2022", extra text allowed after).
# Requiring a month name and a time keeps body lines such as "From time to
# time" (unescaped in mboxo files) inside their message.
_SEPARATOR = re.compile(rb"From \S*\s.*?\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b.*?\d{1,2}:\d\d")

WANTED = frozenset(
    {b"from", b"to", b"cc", b"bcc", b"date", b"message-id", b"in-reply-to", b"subject", b"list-id", b"list-unsubscribe",
     b"precedence", b"auto-submitted"}
)  # fmt: skip
_BULK = (b"bulk", b"list", b"junk")  # Precedence values of mass mail
_REPEATABLE = frozenset({b"to", b"cc", b"bcc"})  # several To: lines are joined, other headers keep their first value


class NotAMailbox(ValueError):
    """The input does not start like an mbox file."""


class _Reader:
    """A sliding window over a binary stream; positions are absolute file offsets."""

    def __init__(self, stream: BinaryIO, chunk_size: int) -> None:
        self.stream = stream
        self.chunk_size = chunk_size
        self.buf = b""
        self.base = 0  # file offset of buf[0]
        self.eof = False

    def more(self, keep: int) -> bool:
        """Forget the bytes before `keep` and read the next chunk; False at the end of the input."""
        if self.eof:
            return False
        data = self.stream.read(self.chunk_size)
        if not data:
            self.eof = True
            return False
        keep = max(keep, self.base)
        self.buf = self.buf[keep - self.base :] + data
        self.base = keep
        return True

    def find(self, needle: bytes, start: int, keep: int, limit: int | None = None) -> int:
        """Absolute offset of `needle` at or after `start` (before `limit`), reading on as needed; -1 if none."""
        while True:
            end = len(self.buf) if limit is None else min(len(self.buf), limit - self.base)
            found = self.buf.find(needle, start - self.base, end)
            if found >= 0:
                return found + self.base
            if limit is not None and self.base + len(self.buf) >= limit:
                return -1
            # keep a partial match that straddles the chunk boundary
            start = max(start, self.base + len(self.buf) - len(needle) + 1)
            if not self.more(min(keep, start)):
                return -1

    def end(self) -> int:
        return self.base + len(self.buf)


def iter_mbox(stream: BinaryIO, *, chunk_size: int = CHUNK_SIZE) -> Iterator[tuple[int, int, bytes]]:
    """(number, byte offset, header block) of each message of an mbox (mboxo/mboxrd) file.

    Streamed: memory stays at about one chunk, whatever the size of the file or of a message.
    """
    reader = _Reader(stream, chunk_size)
    while len(reader.buf) < 5 and reader.more(0):
        pass
    if not reader.buf.startswith(b"From "):
        raise NotAMailbox("does not start with a 'From ' line")
    match = _SEPARATOR.match
    separator = 0  # offset of the current message's "From " line
    number = 0
    while separator >= 0:
        # The common case, without reading: the header and the next separator are in the window.
        buf, base = reader.buf, reader.base
        position = separator - base
        while True:
            eol = buf.find(b"\n", position)
            following = buf.find(b"\nFrom ", eol) if eol >= 0 else -1
            while following >= 0:
                stop = buf.find(b"\n", following + 1)
                if stop < 0:
                    following = -1
                elif match(buf, following + 1, stop):
                    break
                else:
                    following = buf.find(b"\nFrom ", following + 1)
            if following < 0 or following - eol > MAX_HEADER_BYTES:
                break
            end = buf.find(b"\n\r\n" if buf[eol - 1 : eol] == b"\r" else b"\n\n", eol, following + 2)
            if end < 0:
                end = following  # no blank line: the header runs to the next message
            number += 1
            yield number, base + eol + 1, buf[eol + 1 : max(eol + 1, end)]
            position = following + 1
        # Near the end of the window (or of the input): read on as needed.
        found = _reading_on(reader, base + position)
        if found is None:
            return
        offset, headers, separator = found
        number += 1
        yield number, offset, headers


def _reading_on(reader: _Reader, separator: int) -> tuple[int, bytes, int] | None:
    """Any message, reading more input as needed; the next separator is -1 at the end of the input."""
    eol = reader.find(b"\n", separator, separator)
    if eol < 0:
        return None  # a last "From " line with nothing after it
    start = eol + 1
    crlf = eol > reader.base and reader.buf[eol - reader.base - 1 : eol - reader.base] == b"\r"
    limit = start + MAX_HEADER_BYTES
    header_end = reader.find(b"\n\r\n" if crlf else b"\n\n", eol, eol, limit)
    if header_end < 0:
        header_end = min(limit, reader.end()) if not reader.eof else reader.end()
    # a message without a blank line ends at the next separator
    following = _next_separator(reader, eol, eol, header_end)
    if following >= 0:
        header_end = following
    headers = reader.buf[start - reader.base : max(start, header_end) - reader.base].rstrip(b"\r\n")
    if following < 0:
        following = _next_separator(reader, header_end)
    return start, headers, (following + 1 if following >= 0 else -1)


def _next_separator(reader: _Reader, start: int, keep: int | None = None, limit: int | None = None) -> int:
    """Offset of the newline before the next real "From " separator line, or -1.

    Bytes from `keep` on stay in the window (None: only what is still to search).
    """
    position = start
    while True:
        hold = position if keep is None else min(keep, position)
        found = reader.find(b"\nFrom ", position, hold, limit)
        if found < 0:
            return -1
        eol = reader.find(b"\n", found + 1, found if keep is None else min(keep, found))
        stop = (eol if eol >= 0 else reader.end()) - reader.base
        if _SEPARATOR.match(reader.buf, found + 1 - reader.base, stop):
            return found
        position = found + 1


def read_file_headers(path: Path, *, chunk_size: int = 64 * 1024) -> bytes:
    """The header block of a one-message file (.eml, maildir), without reading its body."""
    with path.open("rb") as stream:
        data = b""
        while len(data) < MAX_HEADER_BYTES:
            chunk = stream.read(chunk_size)
            if not chunk:
                break
            data += chunk
            end = _blank_line(data)
            if end >= 0:
                return data[:end]
        return data[:MAX_HEADER_BYTES]


def _blank_line(data: bytes) -> int:
    ends = [i for i in (data.find(b"\n\n"), data.find(b"\n\r\n")) if i >= 0]
    if data.startswith((b"\n", b"\r\n")):
        return 0
    return min(ends) + 1 if ends else -1


def _any_case(name: bytes) -> bytes:
    """A regex matching `name` in any ASCII case, with character classes (much faster than re.IGNORECASE)."""
    return b"".join(b"[%c%c]" % (c, c - 32) if 97 <= c <= 122 else re.escape(bytes([c])) for c in name)


# A wanted header at the start of a line, with its folded continuation lines.
_WANTED_HEADER = re.compile(
    rb"\n(" + b"|".join(_any_case(n) for n in sorted(WANTED)) + rb")[ \t]*:[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)"
)


def split_headers(block: bytes) -> dict[bytes, bytes]:
    """The wanted headers of a block, by lower-case name, unfolded, still as bytes."""
    fields: dict[bytes, bytes] = {}
    for name, value in _WANTED_HEADER.findall(b"\n" + block):
        name = name.lower()
        if b"\n" in value:
            value = b" ".join(part.strip() for part in value.split(b"\n"))
        value = value.strip()
        if name not in fields:
            fields[name] = value
        elif name in _REPEATABLE:
            fields[name] += b", " + value
    return fields


# -- values ------------------------------------------------------------------------------


def to_text(raw: bytes) -> str:
    """Header bytes as text: UTF-8, else Windows-1252, else Latin-1 (raw 8-bit headers happen)."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return raw.decode("cp1252")
    except UnicodeDecodeError:
        return raw.decode("latin-1")


def decode_words(text: str) -> str:
    """Decode RFC 2047 encoded words ("=?utf-8?B?...?="), tolerating unknown charsets and bad encodings."""
    if "=?" not in text:
        return text
    try:
        parts = decode_header(text)
    except Exception:  # a malformed encoded word: show it as it is
        return text
    out = []
    for data, charset in parts:
        if isinstance(data, str):
            out.append(data)
        elif charset is None:
            out.append(data.decode("raw-unicode-escape", errors="replace"))
        else:
            out.append(_decode_charset(data, charset))
    return "".join(out)


def _decode_charset(data: bytes, charset: str) -> str:
    try:
        return data.decode(charset, errors="replace")
    except (LookupError, ValueError):
        return to_text(data)


def header_text(raw: bytes | None) -> str:
    """A header value as one line of text."""
    if not raw:
        return ""
    return " ".join(decode_words(to_text(raw)).split())


# One address of a list, in its common shapes: a@b, Name <a@b>, "Last, First" <a@b>.
_ADDRESS = re.compile(
    r'\s*(?:(?:"([^"\\]*)"|([^",<>()\\:;@]*?))\s*<([^<>\s",]+)>|([^\s",<>()\\:;]+@[^\s",<>()\\:;]+))\s*(?:,|$)'
)


Address = tuple[str, str]  # (display name, lower-case address)
_address_cache: dict[bytes, tuple[Address, ...]] = {}
_ADDRESS_CACHE_SIZE = 20_000


def parse_addresses(raw: bytes | None) -> tuple[Address, ...]:
    """(display name, lower-case address) pairs of an address header; entries without '@' are dropped.

    Cached by the raw value: a correspondent's From and my own To repeat across a whole mailbox.
    """
    if not raw:
        return ()
    cached = _address_cache.get(raw)
    if cached is None:
        if len(_address_cache) >= _ADDRESS_CACHE_SIZE:
            _address_cache.clear()
        cached = _address_cache[raw] = _parse_addresses(to_text(raw))
    return cached


def _parse_addresses(text: str) -> tuple[Address, ...]:
    pairs: list[tuple[str, str]] = []
    position, size, match = 0, len(text), _ADDRESS.match
    while position < size:
        found = match(text, position)
        if found is None:  # comments, groups, escapes: the standard library's parser
            pairs = getaddresses([text])
            break
        quoted, plain, angled, bare = found.groups()
        pairs.append((quoted or plain or "", angled or bare))
        position = found.end()
    result = []
    for name, address in pairs:
        address = address.strip().strip("<>").lower()
        if "@" not in address or " " in address or len(address) > 254:
            continue
        result.append((person_name(decode_words(name) if "=?" in name else name) if name else "", address))
    return tuple(result)


_DECORATION = re.compile(r"<[^>]*>|\([^)]*\)")


def person_name(text: str) -> str:
    """A display name as shown: quotes, <address> and (comment) parts removed, "Last, First" turned round."""
    text = " ".join(_DECORATION.sub(" ", text).replace('"', " ").split()).strip(" ,;'")
    if text.count(",") == 1 and "@" not in text:
        family, given = (part.strip() for part in text.split(","))
        if family and given:
            text = f"{given} {family}"
    return text


_MONTHS = {m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov",
                                       "dec"), start=1)}  # fmt: skip
_ZONES = {"ut": 0, "utc": 0, "gmt": 0, "z": 0, "est": -300, "edt": -240, "cst": -360, "cdt": -300, "mst": -420,
          "mdt": -360, "pst": -480, "pdt": -420, "cet": 60, "cest": 120, "bst": 60}  # fmt: skip
_DATE = re.compile(
    r"\s*(?:[A-Za-z]+,?\s*)?(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?"
    r"\s*(?:([+-])(\d{2})(\d{2})|([A-Za-z]{1,5}))?"
)


def parse_date(raw: bytes | None) -> str | None:
    """A Date header as a UTC stamp 'YYYY-MM-DD HH:MM:SS', or None when it cannot be read."""
    if not raw:
        return None
    text = raw.decode("latin-1")
    match = _DATE.match(text)
    if match is None:
        return _fallback_date(text)
    day_s, mon, year_s, hour_s, minute_s, second_s, sign, zh, zm, zone = match.groups()
    month = _MONTHS.get(mon.lower())
    if month is None:
        return _fallback_date(text)
    year, day, hour, minute = int(year_s), int(day_s), int(hour_s), int(minute_s)
    second = min(int(second_s), 59) if second_s else 0  # a leap second is read as :59
    if year < 100:
        year += 2000 if year < 50 else 1900
    offset = 0
    if sign:
        offset = (int(zh) * 60 + int(zm)) * (-1 if sign == "-" else 1)
    elif zone:
        offset = _ZONES.get(zone.lower(), 0)
    local = hour * 60 + minute - offset
    if (
        0 <= local < 1440 and 1900 <= year <= 9999 and 1 <= day <= _month_days(year, month)
        and minute < 60 and hour < 24
    ):  # fmt: skip
        # same UTC day: no datetime arithmetic needed
        return f"{year:04d}-{month:02d}-{day:02d} {local // 60:02d}:{local % 60:02d}:{second:02d}"
    try:
        return _stamp(datetime(year, month, day, hour, minute, second) - timedelta(minutes=offset))
    except (ValueError, OverflowError):
        return None


def _month_days(year: int, month: int) -> int:
    if month == 2:
        return 29 if year % 4 == 0 and (year % 100 != 0 or year % 400 == 0) else 28
    return 30 if month in (4, 6, 9, 11) else 31


def _fallback_date(text: str) -> str | None:
    parsed = parsedate_tz(text)
    if parsed is None:
        return None
    year, month, day, hour, minute, second = parsed[:6]
    try:
        return _stamp(datetime(year, month, day, hour, minute, second) - timedelta(seconds=parsed[9] or 0))
    except (ValueError, OverflowError):
        return None


def _stamp(moment: datetime) -> str:
    if moment.year < 1900:
        raise ValueError("year before 1900")
    return moment.isoformat(" ")


def message_id(raw: bytes | None) -> str:
    """The message id without angle brackets or spaces ('' when missing)."""
    if not raw:
        return ""
    value = raw.strip()
    lt = value.find(b"<")
    if lt >= 0:
        gt = value.find(b">", lt)
        value = value[lt + 1 : gt if gt >= 0 else None]
    if b" " in value or b"\t" in value:
        value = b"".join(value.split())
    return value[:500].decode("latin-1")


@dataclass(slots=True)
class MailHeaders:
    """The headers of one message that knowwho uses, decoded."""

    sender: Address | None
    to: tuple[Address, ...] = ()
    cc: tuple[Address, ...] = ()
    bcc: tuple[Address, ...] = ()  # in my sent copies, and sometimes on mail to me
    date: str | None = None  # UTC stamp; None when missing or unreadable
    date_raw: bytes = b""
    message_id: str = ""
    in_reply_to: str = ""
    subject: str = ""
    is_list: bool = False
    is_automatic: bool = False


def parse_headers(block: bytes) -> MailHeaders:
    """Decode the wanted headers of one header block."""
    fields = split_headers(block)
    get = fields.get
    senders = parse_addresses(get(b"from"))
    date = get(b"date", b"")
    auto = get(b"auto-submitted", b"").lower()
    return MailHeaders(
        senders[0] if senders else None,
        parse_addresses(get(b"to")),
        parse_addresses(get(b"cc")),
        parse_addresses(get(b"bcc")),
        parse_date(date),
        date,
        message_id(get(b"message-id")),
        message_id(get(b"in-reply-to")),
        header_text(get(b"subject"))[:300],
        b"list-id" in fields or b"list-unsubscribe" in fields or get(b"precedence", b"").lower() in _BULK,
        bool(auto) and not auto.startswith(b"no"),
    )
