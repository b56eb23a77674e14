"""Whole numbers from text a client sent (cookies, headers, form fields), read without ever raising.

`str.isdigit()` also accepts "²" and "٣", which `int()` refuses, and `int()`
refuses more than 4,300 digits: both would turn a bad value into a server error.
"""

from __future__ import annotations

import re

_DIGITS = re.compile(r"[0-9]{1,18}")


def whole_number(text: str | None) -> int | None:
    """The number `text` spells in ASCII digits (at most 18 of them), else None."""
    if text is None or not _DIGITS.fullmatch(text):
        return None
    return int(text)
