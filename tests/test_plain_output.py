"""Today's listing in plain text: the same table Rich drew, without loading Rich."""

from __future__ import annotations

import io

import pytest

from knowwho.cli.plain import BOLD, CYAN, DIM, Terminal, cells, fit, wrap

HEADERS = ("#", "action", "person", "why")
ROWS = [
    ("1", "reply", "Tamati Tuilagi", "their email about “Would love your thoughts on the mentoring program” 2 weeks"),
    ("2", "nice-to-meet", "Goran Smirnov", "you met 3 days ago (at Data & Coffee Toronto #76); send a note"),
    ("10", "event", "山田 太郎", "Open Data Summit is in 10 days (2026-12-17): you met 山田 and 66 others there"),
    ("", "keep-in-touch", "Ana Lima", "a-very-long-link-https://example.org/a/very/long/path/that/never/breaks/at/all"),
]


def _plain(width: int) -> str:
    out = Terminal(io.StringIO(), width=width)
    out.table(HEADERS, ROWS, styles=(BOLD, CYAN, "", ""), right=(0,))
    return out.stream.getvalue()  # type: ignore[attr-defined]


def _rich(width: int) -> str:
    from rich.console import Console
    from rich.markup import escape
    from rich.table import Table

    console = Console(file=io.StringIO(), width=width, highlight=False)
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("#", justify="right", style="bold")
    table.add_column("action", style="cyan")
    table.add_column("person")
    table.add_column("why", overflow="fold")
    for row in ROWS:
        table.add_row(*(escape(text) for text in row))
    console.print(table)
    return "".join(line.rstrip() + "\n" for line in console.file.getvalue().splitlines())  # type: ignore[attr-defined]


@pytest.mark.parametrize("width", [160, 100, 80, 66])
def test_the_table_is_the_one_rich_drew_without_its_trailing_spaces(width: int) -> None:
    assert _plain(width) == _rich(width)


def test_no_line_is_wider_than_the_terminal_even_a_narrow_one() -> None:
    for width in (30, 40, 50):
        lines = _plain(width).splitlines()
        assert max(cells(line) for line in lines) <= width
        assert "".join(lines).count("Tuilagi") == 1  # nothing lost


def test_words_wrap_wide_characters_count_twice_and_long_words_are_cut() -> None:
    assert wrap("their email about the survey", 12) == ["their email", "about the", "survey"]
    assert cells("山田 太郎") == 9 and wrap("山田 太郎", 6) == ["山田", "太郎"]
    assert wrap("abcdefghij", 4) == ["abcd", "efgh", "ij"]
    assert wrap("first line\nsecond", 40) == ["first line", "second"]
    assert wrap("", 10) == [""]
    assert wrap("Re: \x1b[31mwin\x1b[0m\tnow\x07", 40) == ["Re: [31mwin[0m now"]  # no control characters


def test_the_widest_columns_give_way_first() -> None:
    assert fit([2, 12, 20, 80], 60) == [2, 12, 20, 26]
    assert fit([2, 12, 20, 80], 40) == [2, 12, 13, 13]
    assert fit([3, 4], 10) == [3, 4]


def test_styles_only_on_a_terminal_and_no_color_keeps_bold() -> None:
    styled = Terminal(io.StringIO(), width=80, styled=True, colored=True)
    styled.table(("#", "action"), [("1", "reply")], styles=(BOLD, CYAN))
    styled.line("knowwho done N", DIM)
    assert styled.stream.getvalue() == (  # type: ignore[attr-defined]
        "\x1b[1m#\x1b[0m  \x1b[1maction\x1b[0m\n\x1b[1m1\x1b[0m  \x1b[36mreply\x1b[0m\n\x1b[2mknowwho done N\x1b[0m\n"
    )
    no_color = Terminal(io.StringIO(), width=80, styled=True, colored=False)
    no_color.table(("#", "action"), [("1", "reply")], styles=(BOLD, CYAN))
    assert "\x1b[36m" not in no_color.stream.getvalue() and "\x1b[1m1" in no_color.stream.getvalue()  # type: ignore[attr-defined]


def test_a_pipe_gets_no_styles_and_columns_sets_the_width(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "57")
    monkeypatch.delenv("FORCE_COLOR", raising=False)
    out = Terminal.detect(io.StringIO())
    assert (out.width, out.styled) == (57, False)
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("NO_COLOR", "1")
    forced = Terminal.detect(io.StringIO())
    assert (forced.styled, forced.colored) == (True, False)
