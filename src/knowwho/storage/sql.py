"""Pieces of SQL every storage module builds the same way: a set of ids, a text search, an UPDATE, a name."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping


def id_array(ids: Iterable[int]) -> str:
    """Ids as one JSON array, for `IN (SELECT value FROM json_each(?))`: one parameter, however many ids."""
    return json.dumps(sorted(set(ids)))


def quote_name(name: str) -> str:
    """A table or column name as an SQL identifier, whatever it holds."""
    return '"' + name.replace('"', '""') + '"'


def contains(column: str) -> str:
    """An SQL condition: `column` holds the next parameter as typed (% and _ too), ignoring case as LIKE does.

    LIKE would refuse a pasted text of more than 50,000 bytes with an error of its own; instr() takes any length.
    """
    return f"instr(lower({column}), lower(?)) > 0"


def set_columns(
    conn: sqlite3.Connection,
    table: str,
    row_id: int,
    fields: Mapping[str, object],
    *,
    allowed: Iterable[str],
    updated_at: str | None = None,
) -> None:
    """Write these columns of row `row_id`, and `updated_at` too when given and anything is written.

    Each name must be in `allowed`: names go into the SQL, values never do.
    """
    unknown = set(fields) - set(allowed)
    if unknown:
        raise ValueError(f"not columns of {table} that can be set: {sorted(unknown)}")
    if not fields:
        return
    values = {**fields, "updated_at": updated_at} if updated_at is not None else dict(fields)
    assignments = ", ".join(f"{name} = ?" for name in values)
    conn.execute(f"UPDATE {table} SET {assignments} WHERE id = ?", (*values.values(), row_id))
