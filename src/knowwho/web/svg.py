"""The network picture's lines and dots as SVG, and the list of its people, written here rather than in the template.

A picture holds a few hundred numbers and names; the template engine's work per value (escaping each
one into a new safe string) was about a tenth of a person page, and formatting through `Markup` (a
new safe string per field) cost as much again. Here the text is escaped once per name and the rest
written as plain strings: the output is the same text, escaped as the template escaped it.
"""

from __future__ import annotations

import functools

from markupsafe import Markup

from knowwho.services.paths.picture import Picture, View


def _text(value: object) -> str:
    """A name or label as escaped text, as Jinja's autoescape writes it (markupsafe's choices, byte for byte).

    Five replacements rather than `str.translate`, which takes a slow path for any text beyond ASCII (the
    dash of every line's label): 5 µs a label instead of 0.4."""
    return (
        str(value).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
        .replace('"', "&#34;")
    )  # fmt: skip


# Names, tiers and sources recur: a person is drawn in both views and listed, and in the pictures of everyone
# they know. Each is escaped once (a look-up instead of five replacements); a line's label, never seen twice,
# is escaped as it comes.
_name = functools.lru_cache(maxsize=32_768)(_text)

# Positions recur too (a layout is shared by every picture of its shape, within a box of a few thousand
# tenths): formatting a float costs about as much as escaping a name.
_NUMBERS: dict[float, str] = {}


def _num(value: float) -> str:
    """A coordinate as the template wrote it (`str`)."""
    if type(value) is not float or not value:  # an int, or zero (0.0 and -0.0 are one key, written apart)
        return str(value)
    found = _NUMBERS.get(value)
    if found is None:
        if len(_NUMBERS) >= 65_536:
            _NUMBERS.clear()
        found = _NUMBERS[value] = str(value)
    return found


def edges(view: View) -> Markup:
    """One <line> per link, each on its own line."""
    return Markup(
        "".join(
            f'      <line class="e-{_name(e.source)}" x1="{_num(e.x1)}" y1="{_num(e.y1)}" x2="{_num(e.x2)}" '
            f'y2="{_num(e.y2)}"><title>{_text(e.label)}</title></line>\n'
            for e in view.edges
        )
    )


def nodes(view: View) -> Markup:
    """One group per person (the centre first, larger, unlinked), the name below or above the dot."""
    parts: list[str] = []
    half = view.height / 2
    for index, n in enumerate(view.nodes):
        first = index == 0
        r = 13 if first else 8
        text_y = n.y + r + 14 if n.y >= half or first else n.y - r - 6
        linked = bool(n.person_id) and not first
        title = _name(n.name) + (": " + _name(n.how) if n.how else "")
        x = _num(n.x)
        parts.append(
            f'      <g class="n-{_name(n.tier)}">\n'
            + (f'<a href="/people/{n.person_id}">' if linked else "")
            + f'        <circle cx="{x}" cy="{_num(n.y)}" r="{r}"><title>{title}</title></circle>\n'
            f'        <text x="{x}" y="{_num(text_y)}" text-anchor="middle">{_name(n.short)}</text>\n'
            + ("</a>" if linked else "")
            + "      </g>\n"
        )
    return Markup("".join(parts))


def people(picture: Picture) -> Markup:
    """The picture's text alternative: one list item per person around the centre, a link when on record."""
    parts: list[str] = []
    for n in picture.people:
        name = _name(n.name)
        who = f'<a href="/people/{n.person_id}">{name}</a>' if n.person_id else name
        tie = " · known through others" if n.tier == "other" else f" · your tie: {_name(n.tier)}"
        parts.append(f'      <li>{who} <span class="small muted">{_name(n.how)}{tie}</span></li>\n')
    return Markup("".join(parts))
