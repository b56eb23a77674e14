"""Fast mail header parsing: pick the few headers knowwho keeps from a header block and decode them.

No `email.message` object is built: one regular expression picks the wanted
headers (with their folded lines) out of the block, and only those are
decoded. Values that repeat across a mailbox (a correspondent's From, a day's
date) are decoded once. The standard library (`email.utils`) is called only
for the rare values that need it: commented or grouped addresses, unusual
date formats.
"""

from __future__ import annotations

import binascii
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import getaddresses, parsedate_tz

WANTED = frozenset(
    {b"from", b"to", b"cc", b"bcc", b"date", b"message-id", b"in-reply-to", b"subject", b"list-id", b"list-unsubscribe",
     b"precedence", b"auto-submitted"}
)  # fmt: skip
_BULK = (b"bulk", b"list", b"junk")  # Precedence values of mass mail
_REPEATABLE = frozenset({b"to", b"cc", b"bcc"})  # several To: lines are joined, other headers keep their first value


def _any_case(name: bytes) -> bytes:
    """A regex matching `name` in any ASCII case, with character classes (much faster than re.IGNORECASE)."""
    return b"".join(b"[%c%c]" % (c, c - 32) if 97 <= c <= 122 else re.escape(bytes([c])) for c in name)


# A wanted header at the start of a line, with its folded continuation lines.
_WANTED_HEADER = re.compile(
    rb"\n(" + b"|".join(_any_case(n) for n in sorted(WANTED)) + rb")[ \t]*:[ \t]*([^\n]*(?:\n[ \t][^\n]*)*)"
)


def split_headers(block: bytes) -> dict[bytes, bytes]:
    """The wanted headers of a block, by lower-case name, still as bytes (folded lines keep their line breaks)."""
    pairs = _WANTED_HEADER.findall(b"\n" + block)
    fields = {_LOWER.get(name) or name.lower(): value for name, value in pairs}
    if len(fields) < len(pairs):  # a repeated header: To/Cc/Bcc lines add up, others keep their first value
        fields = {}
        for name, value in pairs:
            key = name.lower()
            if key not in fields:
                fields[key] = value
            elif key in _REPEATABLE:
                fields[key] += b", " + value
    return fields


_LOWER = {name.capitalize(): name for name in WANTED} | {b"To": b"to", b"Cc": b"cc", b"CC": b"cc", b"Message-ID": b"message-id",
          b"Message-Id": b"message-id", b"In-Reply-To": b"in-reply-to", b"List-Id": b"list-id",
          b"List-Unsubscribe": b"list-unsubscribe", b"Auto-Submitted": b"auto-submitted"}  # fmt: skip


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


_WORD = r"=\?[^?\s]+\?[bBqQ]\?[^?\s]*\?="
_ENCODED_WORD = re.compile(r"=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=")
_ENCODED_RUN = re.compile(rf"{_WORD}(?:\s+{_WORD})*")  # whitespace between encoded words is not shown


def decode_words(text: str) -> str:
    """Decode RFC 2047 encoded words ("=?utf-8?B?...?="), tolerating unknown charsets and bad encodings."""
    if "=?" not in text:
        return text
    return _ENCODED_RUN.sub(_decode_run, text)


def _decode_run(run: re.Match[str]) -> str:
    # Adjacent words in one charset are joined before decoding: some mailers split a character between them.
    pieces: list[tuple[str, bytes]] = []
    for word in _ENCODED_WORD.finditer(run.group(0)):
        charset, encoding, payload = word.groups()
        charset = charset.split("*")[0].lower()  # RFC 2231 adds *language
        try:
            if encoding in "bB":
                data = binascii.a2b_base64(payload + "=" * (-len(payload) % 4))
            else:
                data = binascii.a2b_qp(_raw_bytes(payload), header=True)
        except (binascii.Error, ValueError):
            return run.group(0)  # not decodable: shown as written
        if pieces and pieces[-1][0] == charset:
            pieces[-1] = (charset, pieces[-1][1] + data)
        else:
            pieces.append((charset, data))
    return "".join(_decode_charset(data, charset) for charset, data in pieces)


def _raw_bytes(text: str) -> bytes:
    """Back to the bytes a header held (raw 8-bit inside an encoded word happens)."""
    for encoding in ("latin-1", "cp1252", "utf-8"):
        try:
            return text.encode(encoding)
        except UnicodeEncodeError:
            continue
    return text.encode("utf-8", errors="replace")


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
    r"\s*(?:[A-Za-z]+,?\s*)?(\d{1,2}\s+[A-Za-z]{3}[A-Za-z]*\.?\s+\d{2,4})\s+(\d{1,2}):(\d\d)(?::(\d\d))?"
    r"\s*([+-]\d{4}|[A-Za-z]{1,5}\b)?"
)


def parse_date(raw: bytes | None) -> str | None:
    """A Date header as a UTC stamp 'YYYY-MM-DD HH:MM:SS', or None when it cannot be read (nor placed in a calendar)."""
    if not raw:
        return None
    text = raw.decode("latin-1")
    match = _DATE.match(text)
    if match is None:
        return _fallback_date(text)
    day_text, hour_text, minute_text, second_text, zone = match.groups()
    day = _days.get(day_text)
    if day is None:
        if len(_days) >= 20_000:
            _days.clear()
        day = _days[day_text] = _day(day_text)
    if not day:
        return _fallback_date(text)
    offset = _offsets.get(zone) if zone else 0
    if offset is None:
        offset = _offset(zone)
    hour, minute = int(hour_text), int(minute_text)
    second = second_text if second_text and second_text < "60" else ("59" if second_text else "00")  # leap second
    if hour > 23 or minute > 59:
        return None
    if offset == 0:
        return f"{day[0]} {hour:02d}:{minute_text}:{second}"
    local = hour * 60 + minute - offset
    if 0 <= local < 1440:  # the same day in UTC: no calendar arithmetic
        return f"{day[0]} {local // 60:02d}:{local % 60:02d}:{second}"
    try:
        moment = datetime(day[1], day[2], day[3], hour, minute, int(second)) - timedelta(minutes=offset)
    except OverflowError:  # past the last day a calendar holds
        return None
    return _stamp(moment)


# Dates repeat their day part ("Mon, 1 Jan 2018") across a mailbox: each is read once.
_days: dict[str, tuple[str, int, int, int] | None] = {}


def _day(text: str) -> tuple[str, int, int, int] | None:
    """("YYYY-MM-DD", year, month, day) of "1 Jan 2018", or None."""
    parts = text.split()
    month = _MONTHS.get(parts[1][:3].lower())
    day, year = int(parts[0]), int(parts[2])
    if len(parts[2]) < 4:  # RFC 5322's obsolete two- and three-digit years; '0005' is the year 5
        year += 2000 if year < 50 else 1900
    if month is None or not 1 <= year <= 9999 or not 1 <= day <= _month_days(year, month):
        return None
    return f"{year:04d}-{month:02d}-{day:02d}", year, month, day


_offsets: dict[str, int] = {}


def _offset(zone: str) -> int:
    """Minutes east of UTC of "+0200", "-0430" or a zone name (unknown names count as UTC)."""
    if zone[0] in "+-":
        minutes = int(zone[1:3]) * 60 + int(zone[3:5])
        minutes = -minutes if zone[0] == "-" else minutes
    else:
        minutes = _ZONES.get(zone.lower(), 0)
    if len(_offsets) < 1000:
        _offsets[zone] = minutes
    return minutes


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
    """'YYYY-MM-DD HH:MM:SS', the year always four digits; whether knowwho records that day is the reader's call."""
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
    in_reply_to: bytes = b""  # as written; not used yet
    subject: str = ""
    is_list: bool = False
    is_automatic: bool = False


def is_bulk(fields: dict[bytes, bytes]) -> bool:
    """Mailing-list or newsletter mail, by its List-* or Precedence headers."""
    return (
        b"list-id" in fields or b"list-unsubscribe" in fields
        or fields.get(b"precedence", b"").strip().lower() in _BULK
    )  # fmt: skip


def is_auto_submitted(fields: dict[bytes, bytes]) -> bool:
    """Sent by a program (auto-replies, notifications), by its Auto-Submitted header."""
    auto = fields.get(b"auto-submitted", b"").strip().lower()
    return bool(auto) and not auto.startswith(b"no")


def parse_headers(block: bytes) -> MailHeaders:
    """Decode the wanted headers of one header block."""
    fields = split_headers(block)
    get = fields.get
    senders = parse_addresses(get(b"from"))
    date = get(b"date", b"")
    return MailHeaders(
        senders[0] if senders else None,
        parse_addresses(get(b"to")),
        parse_addresses(get(b"cc")),
        parse_addresses(get(b"bcc")),
        parse_date(date),
        date,
        message_id(get(b"message-id")),
        get(b"in-reply-to", b""),
        header_text(get(b"subject"))[:300],
        is_bulk(fields),
        is_auto_submitted(fields),
    )
