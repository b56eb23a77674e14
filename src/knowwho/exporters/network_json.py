"""Who knows whom as node-link JSON: the people and every tie between them, recorded or inferred.

The layout is the node-link form graph tools read (networkx's
`node_link_graph(data, edges="links")`, D3, Gephi through a plugin):
`nodes` with an `id`, `links` with `source` and `target`. Each link also
says what it rests on (`basis`: me, colleague, mail-co-recipient,
same-event, introduced, same-organization), how surely (`confidence`,
0..1) and how in words. Written a line per node and per link, so a
network of a million ties never sits in memory as one document.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import IO

from knowwho.services.paths.ties import Tie
from knowwho.storage.network import PersonNode


def write_network(out: IO[str], people: Iterable[PersonNode], ties: Iterable[Tie], *, exported_on: str) -> int:
    """Write the document; the number of links written."""
    graph = {"name": "knowwho network", "exported_on": exported_on}
    out.write('{"directed": false, "multigraph": false, "graph": ' + _dumps(graph) + ',\n"nodes": [')
    for n, person in enumerate(people):
        node = {"id": person.id, "name": person.name, "contact": person.is_contact,
                "tie_strength": round(person.tie_strength, 4)}  # fmt: skip
        out.write(("\n" if n == 0 else ",\n") + _dumps(node))
    out.write('],\n"links": [')
    count = 0
    for tie in ties:
        link = {"source": tie.a, "target": tie.b, "basis": tie.source, "confidence": round(tie.confidence, 4),
                "how": tie.how}  # fmt: skip
        out.write(("\n" if count == 0 else ",\n") + _dumps(link))
        count += 1
    out.write("]}\n")
    return count


def _dumps(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(", ", ": "))
