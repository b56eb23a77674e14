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
import json
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from knowwho.errors import ImportFailed

FORMAT = "knowwho-backup"
FORMAT_VERSION = 1

Row = dict[str, Any]


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


@dataclass(frozen=True, slots=True)
class BackupRow:
    table: str
    where: str  # "line 12", or "row 3 of people" when the file was read whole
    values: Row


class BackupFile:
    """A backup opened for reading: check `header`, then iterate `rows()` once.

    Any problem (not JSON, another kind of JSON, a truncated or damaged file)
    raises `ImportFailed` naming the file and line.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self._file: IO[bytes] = path.open("rb")
        except OSError as error:
            raise ImportFailed(f"{path}: cannot read the file ({error.strerror})") from error
        self._line = 0
        self._complete = True
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
            # Not our streaming layout: read the whole document.
            self._file.seek(0)
            self._whole = self._parse(self._file.read(), 0)
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
                yield BackupRow(table, where, self._row_values(row, table, where))

    def _streamed_rows(self) -> Iterator[BackupRow]:
        table: str | None = None
        while True:
            raw = self._next_line()
            line = self._line
            if raw is None or (not self._complete and raw != b"}}"):
                raise self.fail("the file ends early: it is incomplete (an interrupted copy?)", line)
            if table is None:
                if raw == b"}}":
                    break
                if not raw.endswith(b":["):
                    raise self.fail("expected a table name", line)
                name = self._parse(raw[:-2], line)
                if not isinstance(name, str):
                    raise self.fail("expected a table name", line)
                table = name
                self.tables.append(name)
            elif raw in (b"]", b"],"):
                table = None
            else:
                text = raw[:-1] if raw.endswith(b",") else raw
                yield BackupRow(table, f"line {line}", self._row_values(self._parse(text, line), table, line))
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
                raise self.fail(f"{table}.{column} holds a list; rows hold plain values", where)
            values[column] = value
        return values

    def _binary(self, value: dict[str, Any], column: str, where: int | str) -> bytes:
        encoded = value.get("base64")
        if len(value) != 1 or not isinstance(encoded, str):
            raise self.fail(f'column {column}: an object value must be {{"base64": ...}}', where)
        try:
            return base64.b64decode(encoded, validate=True)
        except (binascii.Error, ValueError) as error:
            raise self.fail(f"column {column}: damaged base64 data", where) from error

    # -- low level ---------------------------------------------------------------
    def _next_line(self) -> bytes | None:
        raw = self._file.readline()
        if not raw:
            return None
        self._line += 1
        self._complete = raw.endswith(b"\n")  # the writer ends every line; a cut file does not
        return raw.rstrip(b"\r\n")

    def _parse(self, data: bytes, line: int) -> Any:
        try:
            return json.loads(data)
        except UnicodeDecodeError as error:
            raise self.fail(f"not UTF-8 text ({error.reason})", line) from error
        except json.JSONDecodeError as error:
            if line:
                raise self.fail(f"damaged JSON ({error.msg}, column {error.colno})", line) from error
            raise self.fail(f"not valid JSON ({error.msg})", error.lineno) from error
