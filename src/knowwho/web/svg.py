"""The network picture's lines and dots as SVG, written here rather than in the template.

A picture holds a few hundred numbers and names; the template engine's work per value (escaping each
one into a new safe string) was about a tenth of a person page. The output is the same text, escaped
the same way.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from knowwho.services.paths.picture import View


def edges(view: View) -> Markup:
    """One <line> per link, each on its own line."""
    return Markup("").join(
        Markup('      <line class="e-{}" x1="{}" y1="{}" x2="{}" y2="{}"><title>{}</title></line>\n').format(
            e.source, e.x1, e.y1, e.x2, e.y2, e.label
        )
        for e in view.edges
    )


def nodes(view: View) -> Markup:
    """One group per person (the centre first, larger, unlinked), the name below or above the dot."""
    parts: list[str] = []
    for index, n in enumerate(view.nodes):
        first = index == 0
        r = 13 if first else 8
        below = n.y >= view.height / 2 or first
        linked = bool(n.person_id) and not first
        title = escape(n.name) + (Markup(": ") + escape(n.how) if n.how else Markup(""))
        parts += [
            f'      <g class="n-{escape(n.tier)}">\n',
            f'<a href="/people/{escape(n.person_id)}">' if linked else "",
            f'        <circle cx="{escape(n.x)}" cy="{escape(n.y)}" r="{r}"><title>{title}</title></circle>\n',
            f'        <text x="{escape(n.x)}" y="{escape(n.y + r + 14 if below else n.y - r - 6)}" '
            f'text-anchor="middle">{escape(n.short)}</text>\n',
            "</a>" if linked else "",
            "      </g>\n",
        ]
    return Markup("".join(parts))
