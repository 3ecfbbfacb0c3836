"""SPARQL Update text for whole-graph writes. Terms are written by Oxigraph in N-Triples
syntax, which escapes them: no outside text is ever spliced in."""

from collections.abc import Iterable

import pyoxigraph as ox


def drop_graphs(graphs: Iterable[str]) -> str:
    """DROP SILENT GRAPH operations, each ending with the separator ``;``."""
    return "".join(f"DROP SILENT GRAPH <{g}> ;\n" for g in sorted(graphs))


def switch_graphs(old: Iterable[str], staged: dict[str, str]) -> str:
    """Drop the old graphs, then put each staged graph's triples ({staged: target}) in its
    target and drop the staged graph; each operation ending with ``;``."""
    moves = "".join(f"ADD SILENT <{s}> TO <{g}> ;\n" for s, g in sorted(staged.items(), key=lambda item: item[1]))
    return drop_graphs(old) + moves + drop_graphs(staged)


def delete_data(quads: Iterable[ox.Quad]) -> str:
    body = "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads)
    return f"DELETE DATA {{\n{body}\n}}"


def insert_data(quads: Iterable[ox.Quad]) -> str:
    body = "\n".join(f"GRAPH {q.graph_name} {{ {q.subject} {q.predicate} {q.object} }}" for q in quads)
    return f"INSERT DATA {{\n{body}\n}}"
