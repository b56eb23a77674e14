"""The network picture's SVG is written in Python: names are escaped and the markup is what the page expects."""

from __future__ import annotations

from knowwho.services.paths.picture import Edge, Node, View
from knowwho.web import svg


def test_names_are_escaped_and_people_around_the_centre_are_linked() -> None:
    view = View(
        "wide", 720, 460,
        [Node('<Ana> & "Co"', "Ana", 360.0, 230.0, "centre", 7), Node("Ben <b>", "Ben", 100.5, 40.0, "weak", 9, "met & talked")],
        [Edge(360.0, 230.0, 100.5, 40.0, "me", "Ana – Ben: <b>")],
    )  # fmt: skip
    assert str(svg.edges(view)) == (
        '      <line class="e-me" x1="360.0" y1="230.0" x2="100.5" y2="40.0"><title>Ana – Ben: &lt;b&gt;</title></line>\n'
    )
    drawn = str(svg.nodes(view))
    assert "<title>&lt;Ana&gt; &amp; &#34;Co&#34;</title>" in drawn  # the centre: no link to itself, name below
    assert drawn.count("<a href=") == 1 and '<a href="/people/9">        <circle cx="100.5"' in drawn
    assert "<title>Ben &lt;b&gt;: met &amp; talked</title>" in drawn
    assert '<text x="360.0" y="257.0"' in drawn and '<text x="100.5" y="26.0"' in drawn  # below the centre, above Ben
    assert "<b>" not in drawn


def test_text_is_escaped_as_the_templates_escape_it() -> None:
    from markupsafe import escape

    for text in ['O\'Neil & <Sons> "Ltd"', "Ana – Ben: met at Café Zoë", "plain", "&amp; already"]:
        assert svg._text(text) == str(escape(text))
    assert svg._text(12.5) == "12.5"


def test_the_list_of_people_links_those_on_record_and_escapes_names() -> None:
    from knowwho.services.paths.picture import Picture

    centre = Node("Ana", "Ana", 1.0, 1.0, "centre", 7)
    around = [Node("Ben <b>", "Ben", 2.0, 2.0, "weak", 9, "met & talked"), Node("Cy 'C'", "Cy", 3.0, 3.0, "other")]
    listed = str(svg.people(Picture("Who they know", [View("wide", 720, 460, [centre, *around], [])], [], 0)))
    assert listed == (
        '      <li><a href="/people/9">Ben &lt;b&gt;</a> <span class="small muted">met &amp; talked · your tie: weak'
        "</span></li>\n"
        '      <li>Cy &#39;C&#39; <span class="small muted"> · known through others</span></li>\n'
    )


def test_numbers_are_written_as_the_template_wrote_them() -> None:
    for value in (5.0, 5, 0.0, -0.0, 26.299999999999997, 720, 257.0):
        assert svg._num(value) == str(value)
        assert svg._num(value) == str(value)  # and again, once kept
