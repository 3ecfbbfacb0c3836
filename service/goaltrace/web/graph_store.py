"""The SPARQL 1.1 Graph Store HTTP Protocol at ``/graph-store?graph=<IRI>``.

GET and HEAD read a named graph (Turtle, N-Triples, JSON-LD or RDF/XML by negotiation). With
updates enabled, PUT replaces it as one step (how a curator replaces one form's graph), POST
adds to it, DELETE drops it, each with the bearer token.
"""

import pyoxigraph as ox
from flask import Blueprint, Response, request

from ..rendering.sparql_results import TRIPLE_MEDIA
from .context import current
from .negotiation import choose
from .sparql import ProtocolError, _cors, _text, authorise

blueprint = Blueprint("graph_store", __name__)

READABLE = TRIPLE_MEDIA


def _graph() -> ox.NamedNode:
    if "default" in request.args:
        raise ProtocolError(400, "the default graph here is the union of all graphs and cannot be addressed: name a graph with ?graph=")
    iri = request.args.get("graph")
    if not iri:
        raise ProtocolError(400, "name the graph: /graph-store?graph=<IRI>")
    try:
        return ox.NamedNode(iri)
    except ValueError as error:
        raise ProtocolError(400, f"graph={iri!r} is not an IRI: {error}") from None


def _triples(graph: ox.NamedNode) -> list[ox.Triple]:
    media = request.mimetype
    if media not in READABLE:
        raise ProtocolError(415, f"send the graph as one of {', '.join(READABLE)}, not {media or '(none)'}")
    try:
        return list(ox.parse(request.get_data(), format=READABLE[media], base_iri=graph.value))
    except SyntaxError as error:
        raise ProtocolError(400, f"line {error.lineno or 1}: the body is not valid {media}: {error.args[0] if error.args else error}") from None


@blueprint.route("/graph-store", methods=["GET", "HEAD", "PUT", "POST", "DELETE"])
def graph_store():
    try:
        graph = _graph()
        store = current().store
        if request.method in ("GET", "HEAD"):
            if not store.has_graph(graph.value):
                raise ProtocolError(404, f"no graph {graph.value}")
            media = choose(list(READABLE), request.headers.get("Accept"), request.args.get("format"))
            if media is None:
                raise ProtocolError(406, "acceptable: " + ", ".join(READABLE))
            triples = [q.triple for q in store.graph_quads(graph.value)]
            body = ox.serialize(triples, format=READABLE[media])
            return _cors(Response(b"" if request.method == "HEAD" else body, mimetype=media, headers={"Vary": "Accept"}))
        authorise()
        if request.method == "DELETE":
            if not store.has_graph(graph.value):
                raise ProtocolError(404, f"no graph {graph.value}")
            current().write(lambda s: s.drop_graph(graph.value))
            return _cors(Response(status=204))
        triples = _triples(graph)
        if request.method == "PUT":
            created = current().write(lambda s: s.replace_graph(graph.value, triples))
            return _cors(Response(status=201 if created else 204))
        existed = store.has_graph(graph.value)
        current().write(lambda s: s.add_to_graph(graph.value, triples))
        return _cors(Response(status=204 if existed else 201))
    except ProtocolError as error:
        return _cors(_text(error.status, error.message, error.headers))
