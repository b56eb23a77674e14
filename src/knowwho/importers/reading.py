"""Reading import files: opening them as text whatever their encoding, and the dates they hold.

Contact exports come from many tools: UTF-8 with or without a BOM, UTF-16
(Outlook's "Unicode" CSV), or Windows-1252 from older software. Text is
streamed, never read whole, so large exports stay cheap.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from pathlib import Path
from typing import IO

from knowwho.errors import ImportFailed

_SNIFF = 64 * 1024
_MONTHS = {
    m: i for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"), 1)
}


def _lenient_cp1252(error: UnicodeError) -> tuple[str, int]:
    """A stray non-UTF-8 byte in a UTF-8 file is almost always Windows-1252: read it as such."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    bad = error.object[error.start : error.end]
    return bytes(bad).decode("cp1252", errors="replace"), error.end


codecs.register_error("knowwho-cp1252", _lenient_cp1252)


def sniff_encoding(head: bytes) -> tuple[str, str | None]:
    """(encoding, note) for a file starting with `head`; the note says when we had to guess."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig", None
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16", None
    utf16 = utf16_without_bom(head)  # Apple's address book writes UTF-16 with no byte-order mark
    if utf16:
        return utf16, None
    if head.count(b"\x00") * 100 > len(head) or head.startswith(b"\x00"):  # a stray NUL is a bad row, not a binary file
        raise ValueError("this is a binary file, not text")
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        encoding = guess_8bit(head)
        return encoding, f"not UTF-8; read as {_ENCODING_NAMES.get(encoding, encoding)}"
    return "utf-8", None


_ENCODING_NAMES = {
    "cp1252": "Windows-1252 (Western European)",
    "cp1250": "Windows-1250 (Central European)",
    "cp1251": "Windows-1251 (Cyrillic)",
    "iso8859_2": "ISO-8859-2 (Central European)",
}
_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_WORD_PUNCTUATION = frozenset("’‘´`“”„«»–—·")


def utf16_without_bom(head: bytes) -> str | None:
    """'utf-16-le' or 'utf-16-be' when `head` is mostly text with every other byte zero; else None."""
    sample = head[: min(len(head), 4096) // 2 * 2]
    if len(sample) < 4:
        return None
    even, odd = sample[0::2], sample[1::2]
    for encoding, zeros, other in (("utf-16-be", even, odd), ("utf-16-le", odd, even)):
        if zeros.count(0) * 10 >= len(zeros) * 7 and other.count(0) * 10 < len(other):
            text = sample.decode(encoding, errors="replace")
            if sum(ch.isprintable() or ch in "\r\n\t" for ch in text) * 100 >= len(text) * 95:
                return encoding
    return None


def guess_8bit(data: bytes) -> str:
    """The 8-bit encoding of text that is not UTF-8.

    Windows-1252 unless it turns letters inside words into symbols ('Pawe³'
    for a Polish 'Paweł'); then the first of charset-normalizer's guesses that
    reads as letters. Its guesses alone are not trusted: on a few Western
    names it often prefers a Central European code page.
    """
    if _reads_as_words(data, "cp1252"):
        return "cp1252"
    from charset_normalizer import from_bytes

    for match in from_bytes(data[:_SNIFF]):
        if _reads_as_words(data, match.encoding):
            return str(match.encoding)
    return "cp1252"


def _reads_as_words(data: bytes, encoding: str) -> bool:
    """Whether every non-ASCII character next to a letter is a letter (or a quote or dash)."""
    try:
        text = data[:_SNIFF].decode(encoding, errors="replace")
    except LookupError:
        return False
    for found in _NON_ASCII.finditer(text):
        char, at = found.group(), found.start()
        if char.isalpha() or char in _WORD_PUNCTUATION:
            continue
        if text[at - 1 : at].isalpha() or text[at + 1 : at + 2].isalpha():
            return False
    return True


@contextmanager
def open_text(raw: IO[bytes], name: str, *, newline: str = "") -> Iterator[tuple[IO[str], str | None]]:
    """A text stream over `raw` (seekable) with the right encoding, and a note if the encoding was guessed.

    `newline` as for `open`: "" keeps line ends for the csv module; "\n" splits on LF only.
    """
    head = raw.read(_SNIFF)
    try:
        encoding, note = sniff_encoding(head)
    except ValueError as error:
        raise ImportFailed(f"{name}: {error}") from error
    raw.seek(0)
    errors = "knowwho-cp1252" if encoding.startswith("utf-8") else "replace"
    text = io.TextIOWrapper(raw, encoding=encoding, errors=errors, newline=newline)
    try:
        yield text, note
    finally:
        text.detach()


@contextmanager
def open_text_file(path: Path, *, newline: str = "") -> Iterator[tuple[IO[str], str | None]]:
    """`open_text` on a file, with one clear line for a file that cannot be opened."""
    try:
        raw = path.open("rb")
    except IsADirectoryError as error:
        raise ImportFailed(f"{path}: is a folder, not a file") from error
    except OSError as error:
        raise ImportFailed(f"{path}: cannot be read ({error.strerror or error})") from error
    with raw, open_text(raw, str(path), newline=newline) as opened:
        yield opened


# -- CSV ---------------------------------------------------------------------------------
CSV_FIELD_LIMIT = 16 * 1024 * 1024  # a long note is fine; the csv module's 128 KB default is not


def allow_long_csv_fields() -> None:
    """Let the csv module read fields up to CSV_FIELD_LIMIT (notes pasted from mail can pass 128 KB)."""
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)


def csv_problem(error: csv.Error) -> str:
    """Why a CSV row cannot be read, in words rather than the csv module's."""
    text = str(error)
    if "field larger than field limit" in text:
        return f"a field is longer than {CSV_FIELD_LIMIT // (1024 * 1024)} MB"
    if "NUL" in text:
        return "it holds a NUL byte (binary data, not text)"
    if "new-line character" in text or "unexpected end of data" in text or "EOF" in text:
        return "a quoted field is not closed"
    return "it is not well-formed CSV"


def normalize_newlines(text: str) -> str:
    """One '\\n' per line break, whatever the producer wrote (iPhone exports have '\\r\\r\\n')."""
    return re.sub(r"\r*\n|\r", "\n", text)


# -- dates -------------------------------------------------------------------------------
_ISO = re.compile(r"^(\d{4})-?(\d{2})-?(\d{2})(?:[T ].*)?$")
_YEARLESS = re.compile(r"^--(\d{2})-?(\d{2})$")
_DAY_MONTH_YEAR = re.compile(r"^(\d{1,2})[ -]([A-Za-z]{3,})\.?[ -,]*(\d{4})$")
_MONTH_DAY_YEAR = re.compile(r"^([A-Za-z]{3,})\.? (\d{1,2}),? (\d{4})$")
_NUMERIC = re.compile(r"^(\d{1,2})([/.])(\d{1,2})\2(\d{2}|\d{4})$")


def parse_date(text: str) -> str | None:
    """'YYYY-MM-DD' (or '--MM-DD' for a birthday without a year) from the ways exports write dates.

    None when the text is not a date we can read for certain. Slash dates are
    month first (US exports) and dotted dates day first (European ones),
    unless only the other order makes a date (20/01/1991).
    """
    value = text.strip()
    if not value:
        return None
    found = _ISO.match(value)
    if found:
        return _checked(int(found[1]), int(found[2]), int(found[3]))
    found = _YEARLESS.match(value)
    if found:
        month, day = int(found[1]), int(found[2])
        return f"--{month:02d}-{day:02d}" if _checked(2000, month, day) else None
    found = _DAY_MONTH_YEAR.match(value)
    if found and found[2][:3].lower() in _MONTHS:
        return _checked(int(found[3]), _MONTHS[found[2][:3].lower()], int(found[1]))
    found = _MONTH_DAY_YEAR.match(value)
    if found and found[1][:3].lower() in _MONTHS:
        return _checked(int(found[3]), _MONTHS[found[1][:3].lower()], int(found[2]))
    found = _NUMERIC.match(value)
    if found:
        first, second, year = int(found[1]), int(found[3]), int(found[4])
        year = year if year >= 100 else (2000 + year if year < 50 else 1900 + year)
        month, day = (first, second) if found[2] == "/" else (second, first)
        if month > 12 >= day:  # only the other order fits: 20/01/1991 is a European slash date
            month, day = day, month
        return _checked(year, month, day)
    return None


def _checked(year: int, month: int, day: int) -> str | None:
    try:
        return date(year, month, day).isoformat()
    except ValueError:
        return None


_STAMP_FORMATS = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%dT%H:%M:%S.%f", "%Y-%m-%d %H:%M", "%b %d %Y %I:%M %p",
                  "%m/%d/%y, %I:%M %p", "%m/%d/%Y, %I:%M %p", "%m/%d/%Y %H:%M", "%d %b %Y %H:%M")  # fmt: skip


def parse_stamp(text: str) -> str | None:
    """A stored UTC stamp 'YYYY-MM-DD HH:MM:SS' from an export's date-time (taken as UTC), or None."""
    value = text.strip().removesuffix(" UTC").removesuffix("Z").strip()
    if not value:
        return None
    for fmt in _STAMP_FORMATS:
        try:
            return datetime.strptime(value, fmt).replace(microsecond=0).isoformat(" ")  # four-digit year, always
        except ValueError:
            continue
    day = parse_date(value)
    return f"{day} 00:00:00" if day and not day.startswith("--") else None
