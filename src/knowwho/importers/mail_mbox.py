"""Splitting mail into header blocks: mbox files streamed in large chunks, single-message files.

The mbox is read in binary chunks and message boundaries are found with
`bytes.find`; only each message's header block (up to the first blank line)
is copied out, bodies are skipped without being examined line by line, and
memory stays at about one chunk whatever the size of the file or a message.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

CHUNK_SIZE = 1 << 20
MAX_HEADER_BYTES = 256 * 1024  # a header block larger than this is cut (a broken message, not a real header)

# A "From " line that separates messages: sender, then an asctime-like date
# ("From jo@example.com Sun Aug  7 11:40:37 2022", extra text allowed after).
# Requiring a month name and a time keeps body lines such as "From time to
# time" (unescaped in mboxo files) inside their message.
_SEPARATOR = re.compile(rb"From \S*\s.*?\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\b.*?\d{1,2}:\d\d")


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
            # b"\nFrom" is found about 3x faster than b"\nFrom " (a rare last byte skips further)
            following = buf.find(b"\nFrom", eol) if eol >= 0 else -1
            while following >= 0:
                stop = buf.find(b"\n", following + 1)
                if stop < 0:
                    following = -1
                elif buf[following + 5 : following + 6] == b" " and match(buf, following + 1, stop):
                    break
                else:
                    following = buf.find(b"\nFrom", following + 1)
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
