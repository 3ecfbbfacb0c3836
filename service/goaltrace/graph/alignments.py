"""Curated alignments: Turtle files of reviewed links, each imported as its own named graph.

A file holds exactly one ``gt:Alignment``; its IRI names the graph, so re-importing the file
replaces its links as one step and leaves the forms' graphs alone.
"""

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..forms.errors import FormError
from .namespaces import GT, RDF


@dataclass(frozen=True)
class MappedAlignment:
    iri: str
    quads: list[ox.Quad]

    @property
    def graphs(self) -> dict[str, list[ox.Quad]]:
        return {self.iri: self.quads}


def read_alignment(path: str | Path) -> MappedAlignment:
    shown = str(path)
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        raise FormError(shown, 1, f"expected a readable Turtle file, found {error.strerror or error}") from None
    try:
        triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    except SyntaxError as error:
        line = error.lineno or 1
        message = str(error.args[0]).split(": ", 1)[-1] if error.args else str(error)
        raise FormError(shown, line, f"expected valid Turtle, found a syntax error: {message}") from None
    except ValueError as error:
        raise FormError(shown, 1, f"expected valid Turtle, found {error}") from None
    alignments = {
        t.subject.value for t in triples
        if t.predicate.value == f"{RDF}type" and isinstance(t.object, ox.NamedNode) and t.object.value == f"{GT}Alignment"
        and isinstance(t.subject, ox.NamedNode)
    }
    if len(alignments) != 1:
        raise FormError(shown, 1, f"expected exactly one gt:Alignment (it names the graph), found {len(alignments)}")
    iri = alignments.pop()
    graph = ox.NamedNode(iri)
    return MappedAlignment(iri, [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples])
