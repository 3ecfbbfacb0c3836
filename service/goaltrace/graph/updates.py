"""SPARQL Update text for whole-graph writes. Terms are written by Oxigraph in N-Triples
syntax, which escapes them: no outside text is ever spliced in."""

from collections.abc import Iterable

import pyoxigraph as ox


def drop_graphs(graphs: Iterable[str]) -> str:
    """DROP SILENT GRAPH operations, each ending with the separator ``;``."""
    return "".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in sorted(graphs))


def insert_data(quads: Iterable[ox.Quad]) -> str:
    body = "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads)
    return f"INSERT DATA {{\n{body}\n}}"
