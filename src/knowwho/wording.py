"""How knowwho words counts and ages, the same on the terminal and on the web."""

from __future__ import annotations


def days_ago(days: int) -> str:
    """'today', 'yesterday', '5 days ago', '3 weeks ago', '4 months ago', '2 years ago'."""
    if days <= 0:
        return "today"
    if days == 1:
        return "yesterday"
    if days < 14:
        return f"{days} days ago"
    if days < 60:
        return f"{days // 7} weeks ago"
    if days < 730:
        return f"{days // 30} months ago"
    return f"{days // 365} years ago"


def plural(count: int, word: str, many: str = "") -> str:
    """'1 person', '2,011 people' (with `many`), '3 problems'."""
    return f"{count:,} {word if count == 1 else (many or word + 's')}"
