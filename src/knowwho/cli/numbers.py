"""Whole-number parameters that refuse numbers SQLite cannot hold, before any command sees them."""

from __future__ import annotations

from typing import Any

try:  # newer Typer releases carry their own copy of click
    from typer._click import types
except ImportError:
    from click import types  # type: ignore[no-redef]

LARGEST = 2**63 - 1  # SQLite's largest integer


def _check(number: Any, text: Any, kind: Any, param: Any, ctx: Any) -> Any:
    if isinstance(number, int) and not -LARGEST <= number <= LARGEST:
        kind.fail(f"{text} is too large a number", param, ctx)
    return number


class SizedInt(types.IntParamType):
    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        return _check(super().convert(value, param, ctx), value, self, param, ctx)


class SizedIntRange(types.IntRange):
    def convert(self, value: Any, param: Any, ctx: Any) -> Any:
        return _check(super().convert(value, param, ctx), value, self, param, ctx)


def sized(kind: Any) -> Any:
    """`kind`, or its equal that also refuses numbers too large for SQLite."""
    if isinstance(kind, SizedInt | SizedIntRange):
        return kind
    if isinstance(kind, types.IntRange):
        return SizedIntRange(kind.min, kind.max, kind.min_open, kind.max_open, kind.clamp)
    if isinstance(kind, types.IntParamType):
        return SizedInt()
    return kind
