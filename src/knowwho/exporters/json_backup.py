"""The knowwho JSON backup format: every table, row by row, deterministic.

Layout (one JSON document; also one row per line, so it streams both ways
and diffs well):

    {"format":"knowwho-backup","format_version":1,"schema_version":1,"tables":{
    "events":[
    {"created_at":"...","id":1,...},
    {"created_at":"...","id":2,...}
    ],
    "followups":[
    ],
    ...
    }}

Keys are sorted everywhere, tables by name, and rows come in the order the
storage layer gives them, so the same database always gives the same bytes.
Binary values (photos) are written as {"base64": "..."}. Nothing that changes
between two exports of the same data (an export time, the app version) is
written.

A file rewritten by another tool (pretty-printed, keys reordered) still
reads: when the first line is not this layout, the reader parses the whole
document instead of streaming it.
"""

from __future__ import annotations

import base64
import binascii
import io
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, NamedTuple

from knowwho.errors import ImportFailed

FORMAT = "knowwho-backup"
FORMAT_VERSION = 1

Row = dict[str, Any]
_DECODER = json.JSONDecoder()
_LARGEST = 2**63 - 1  # SQLite's largest integer


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_encode)


def _encode(value: Any) -> Any:
    if isinstance(value, bytes | bytearray | memoryview):
        return {"base64": base64.b64encode(bytes(value)).decode("ascii")}
    raise TypeError(f"cannot write {type(value).__name__} to a backup")


def write_backup(
    out: IO[str], *, schema_version: int, tables: Iterable[tuple[str, Iterable[Mapping[str, Any]]]]
) -> dict[str, int]:
    """Write the document; `tables` must come sorted by name. Returns rows written per table."""
    header = {"format": FORMAT, "format_version": FORMAT_VERSION, "schema_version": schema_version}
    out.write(_dumps(header)[:-1] + ',"tables":{\n')
    counts: dict[str, int] = {}
    for index, (name, rows) in enumerate(tables):
        out.write(("" if index == 0 else ",\n") + _dumps(name) + ":[")
        count = 0
        for row in rows:
            out.write(("\n" if count == 0 else ",\n") + _dumps(row))
            count += 1
        out.write("\n]")
        counts[name] = count
    out.write("\n}}\n")
    return counts


@dataclass(frozen=True, slots=True)
class BackupHeader:
    format_version: int
    schema_version: int


class BackupRow(NamedTuple):
    table: str
    values: Row
    at: int | str  # its line, or "row 3 of people" when the file was read whole (see `BackupFile.fail`)


class BackupFile:
    """A backup opened for reading: check `header`, then iterate `rows()` once.

    Any problem (not JSON, another kind of JSON, a truncated or damaged file)
    raises `ImportFailed` naming the file and line.
    """

    def __init__(self, path: Path, content: bytes | None = None) -> None:
        """The backup at `path`, or its `content` already read (an encrypted backup, decrypted in memory)."""
        self.path = path
        try:
            self._file: IO[bytes] = path.open("rb") if content is None else io.BytesIO(content)
        except OSError as error:
            raise ImportFailed(f"{path}: cannot read the file ({error.strerror})") from error
        self._line = 0
        self._whole: dict[str, Any] | None = None
        self.tables: list[str] = []  # the tables named so far, empty ones included
        try:
            self.header = self._read_header()
        except BaseException:
            self._file.close()
            raise

    def __enter__(self) -> BackupFile:
        return self

    def __exit__(self, *_: object) -> None:
        self._file.close()

    def fail(self, message: str, at: int | str | None = None) -> ImportFailed:
        """The error for a problem at a line number, or at a place such as "row 3 of people"."""
        if isinstance(at, int):
            at = f"line {at}" if at else None
        return ImportFailed(f"{self.path} {at}: {message}" if at else f"{self.path}: {message}")

    # -- header ------------------------------------------------------------------
    def _read_header(self) -> BackupHeader:
        first = self._next_line()
        if first is not None and first.startswith(b'{"format":') and first.endswith(b'"tables":{'):
            header = self._parse(first + b"}}", 1)
        else:
            # Not our streaming layout: read the whole document, if it can be JSON at all.
            self._file.seek(0)
            start = self._file.read(64)
            if start.startswith(b"SQLite format 3\0"):
                raise self.fail("this is a knowwho database, not a JSON backup: use it with --db, or copy it")
            if not start.removeprefix(b"\xef\xbb\xbf").lstrip().startswith(b"{"):
                raise self.fail("not valid JSON: a knowwho backup starts with '{'")
            self._whole = self._parse(start + self._file.read(), 0)
            header = self._whole
        return self._check_header(header)

    def _check_header(self, header: Any) -> BackupHeader:
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise self.fail("not a knowwho JSON backup (no knowwho-backup format marker)")
        version, schema = header.get("format_version"), header.get("schema_version")
        if not isinstance(version, int) or not isinstance(schema, int):
            raise self.fail("the backup header has no valid format_version/schema_version")
        if version > FORMAT_VERSION:
            raise self.fail(f"backup format {version} is newer than this knowwho reads ({FORMAT_VERSION}); upgrade")
        if self._whole is not None and not isinstance(self._whole.get("tables"), dict):
            raise self.fail('the backup has no "tables" object')
        return BackupHeader(format_version=version, schema_version=schema)

    # -- rows --------------------------------------------------------------------
    def rows(self) -> Iterator[BackupRow]:
        if self._whole is not None:
            yield from self._rows_of_document(self._whole)
        else:
            yield from self._streamed_rows()

    def _rows_of_document(self, document: dict[str, Any]) -> Iterator[BackupRow]:
        for table, rows in document["tables"].items():
            if not isinstance(rows, list):
                raise self.fail(f"table {table!r} is not a list of rows")
            self.tables.append(table)
            for number, row in enumerate(rows, start=1):
                where = f"row {number} of {table}"
                yield BackupRow(table, self._row_values(row, table, where), where)

    def _streamed_rows(self) -> Iterator[BackupRow]:
        # The hot loop of a restore (millions of rows): kept lean on purpose.
        table: str | None = None
        decode = _DECODER.raw_decode
        line = self._line
        for raw in self._file:
            line += 1
            if not raw.endswith(b"\n") and raw != b"}}":
                raise self.fail("the file ends early: it is incomplete (an interrupted copy?)", line)
            raw = raw.rstrip(b"\r\n")
            if table is not None and raw not in (b"]", b"],"):
                text = raw[:-1] if raw.endswith(b",") else raw
                try:
                    chars = text.decode("utf-8")
                    row, end = decode(chars)
                except (UnicodeDecodeError, json.JSONDecodeError) as error:
                    raise self._json_error(error, line) from error
                if end != len(chars) and chars[end:].strip():
                    raise self.fail(f"damaged JSON (extra data, column {end + 1})", line)
                # Only a row with an object or a list inside needs a look (binary data, or a
                # mistake); without a second "{" or any "[" it has neither.
                if type(row) is not dict or text.find(b"{", 1) != -1 or b"[" in text:
                    row = self._row_values(row, table, line)
                yield BackupRow(table, row, line)
            elif table is not None:
                table = None
            elif raw == b"}}":
                self._line = line
                break
            elif raw.endswith(b":[") and isinstance(name := self._parse(raw[:-2], line), str):
                table = name
                self.tables.append(name)
            else:
                raise self.fail("expected a table name", line)
        else:
            raise self.fail("the file ends early: it is incomplete (an interrupted copy?)", line)
        if any(rest.strip() for rest in self._file):
            raise self.fail("unexpected data after the end of the backup", self._line + 1)

    def _row_values(self, row: Any, table: str, where: int | str) -> Row:
        if not isinstance(row, dict):
            raise self.fail(f"a row of {table} must be a JSON object", where)
        values: Row = {}
        for column, value in row.items():
            if isinstance(value, dict):
                value = self._binary(value, column, where)
            elif isinstance(value, list):
                raise self.fail(f"column {column!r} of {table} holds a list; rows hold plain values", where)
            elif isinstance(value, int) and not -_LARGEST <= value <= _LARGEST:
                raise self.fail(f"column {column!r} of {table}: {value} is too large a number", where)
            values[column] = value
        return values

    def _binary(self, value: dict[str, Any], column: str, where: int | str) -> bytes:
        encoded = value.get("base64")
        if len(value) != 1 or not isinstance(encoded, str):
            raise self.fail(f'column {column!r}: an object value must be {{"base64": ...}}', where)
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError) as error:
            raise self.fail(f"column {column!r}: damaged base64 data", where) from error

    # -- low level ---------------------------------------------------------------
    def _next_line(self) -> bytes | None:
        raw = self._file.readline()
        if not raw:
            return None
        self._line += 1
        return raw.rstrip(b"\r\n")

    def _parse(self, data: bytes, line: int) -> Any:
        try:
            # A whole document (line 0) may start with a byte-order mark, as some editors write.
            return _DECODER.decode(data.decode("utf-8-sig" if line == 0 else "utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise self._json_error(error, line) from error

    def _json_error(self, error: ValueError, line: int) -> ImportFailed:
        if isinstance(error, UnicodeDecodeError):
            return self.fail(f"not UTF-8 text ({error.reason})", line)
        assert isinstance(error, json.JSONDecodeError)
        if line:
            return self.fail(f"damaged JSON ({error.msg}, column {error.colno})", line)
        return self.fail(f"not valid JSON ({error.msg})", error.lineno)
