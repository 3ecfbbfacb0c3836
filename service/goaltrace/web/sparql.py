"""The SPARQL 1.1 Protocol endpoint, read-only.

GET ``?query=``, POST form-encoded, POST ``application/sparql-query``; ``default-graph-uri`` and
``named-graph-uri``; results by content negotiation (q-values) or ``format=``. A bare GET
returns the service description, or the query page to a browser. No query ever makes the
server fetch anything: SERVICE is refused, and FROM / FROM NAMED may only name graphs held here.
The goaltrace prefixes (gt:, gtf:, skos:, rdfs:, prov:, org:, …) are predeclared; a query's own
PREFIX declarations take precedence.
"""

import re

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, request

from ..graph.namespaces import PREFIXES
from .negotiation import choose

blueprint = Blueprint("sparql", __name__)

RESULT_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_STRINGS_AND_COMMENTS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''" r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"
    rf"|({_IRI})" r"|#[^\n]*",
)


class ProtocolError(Exception):
    def __init__(self, status: int, message: str):
        super().__init__(message)
        self.status = status
        self.message = message


def _text(status: int, message: str) -> Response:
    return Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain")


def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "X-Goaltrace-Truncated"
    return response


@blueprint.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint():
    if request.method == "OPTIONS":
        response = Response(status=204)
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept"
        return _cors(response)
    try:
        query, default_graphs, named_graphs = read_request()
        if query is None:
            return _cors(service_description())
        check_safety(query)
        return _cors(execute(query, default_graphs, named_graphs))
    except ProtocolError as error:
        return _cors(_text(error.status, error.message))


def read_request() -> tuple[str | None, list[str], list[str]]:
    """The query and dataset of a protocol request, or a ProtocolError saying what is wrong."""
    url_queries = request.args.getlist("query")
    default_graphs = request.args.getlist("default-graph-uri")
    named_graphs = request.args.getlist("named-graph-uri")
    if "update" in request.args:
        raise ProtocolError(400, "SPARQL Update is not accepted in a GET request (and this endpoint is read-only)")
    if request.method == "GET":
        if len(url_queries) > 1:
            raise ProtocolError(400, "more than one query parameter")
        return (url_queries[0] if url_queries else None), default_graphs, named_graphs
    media = request.mimetype
    if media == "application/x-www-form-urlencoded":
        try:
            body = request.get_data().decode("utf-8")
        except UnicodeDecodeError:
            raise ProtocolError(400, "the request body is not UTF-8") from None
        from urllib.parse import parse_qs

        form = parse_qs(body, keep_blank_values=True)
        if "update" in form:
            raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is not accepted")
        body_queries = form.get("query", [])
        if url_queries and body_queries:
            raise ProtocolError(400, "a query in both the URL and the body")
        queries = body_queries or url_queries
        if len(queries) > 1:
            raise ProtocolError(400, "more than one query parameter")
        default_graphs += form.get("default-graph-uri", [])
        named_graphs += form.get("named-graph-uri", [])
        if not queries:
            raise ProtocolError(400, "a form-encoded POST needs a query parameter")
        return queries[0], default_graphs, named_graphs
    if media == "application/sparql-query":
        if url_queries:
            raise ProtocolError(400, "a query in both the URL and the body")
        try:
            return request.get_data().decode("utf-8"), default_graphs, named_graphs
        except UnicodeDecodeError:
            raise ProtocolError(400, "the query is not UTF-8") from None
    if media == "application/sparql-update":
        raise ProtocolError(403, "this endpoint is read-only: SPARQL Update is not accepted")
    raise ProtocolError(415, f"unsupported media type {media or '(none)'}: send application/sparql-query or a form")


def check_safety(query: str):
    """Refuse what would make the server reach out: SERVICE, and FROM graphs it does not hold."""
    code = _STRINGS_AND_COMMENTS.sub(lambda m: m.group(1) or " ", query)
    if re.search(r"(?i)\bSERVICE\b", _STRINGS_AND_COMMENTS.sub(" ", query)):
        raise ProtocolError(400, "SERVICE is not allowed here: this endpoint never sends requests elsewhere")
    store = current_app.extensions["goaltrace"].store
    for match in re.finditer(rf"(?i)\bFROM\s+(?:NAMED\s+)?({_IRI})", code):
        iri = match.group(1)[1:-1]
        if not store.oxigraph.contains_named_graph(ox.NamedNode(iri)):
            raise ProtocolError(400, f"FROM <{iri}>: no such graph here, and this endpoint never fetches remote data")


def execute(query: str, default_graphs: list[str], named_graphs: list[str]) -> Response:
    store = current_app.extensions["goaltrace"].store
    options = {}
    try:
        if default_graphs or named_graphs:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs] or None
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs] or None
            options = {k: v for k, v in options.items() if v is not None}
        else:
            options["use_default_graph_as_union"] = True
        result = store.oxigraph.query(query, prefixes=PREFIXES, **options)
    except SyntaxError as error:
        raise ProtocolError(400, f"query syntax error: {error}") from None
    except ValueError as error:
        raise ProtocolError(400, f"bad request: {error}") from None
    except OSError as error:
        raise ProtocolError(400, f"query failed: {error}") from None
    if isinstance(result, (ox.QuerySolutions, ox.QueryBoolean)):
        offered = list(RESULT_TYPES)
        media = choose(offered, request.headers.get("Accept"), request.values.get("format"))
        if media is None:
            raise ProtocolError(406, "acceptable result types: " + ", ".join(offered))
        body = result.serialize(format=RESULT_TYPES[media])
    else:
        offered = list(GRAPH_TYPES)
        media = choose(offered, request.headers.get("Accept"), request.values.get("format"))
        if media is None:
            raise ProtocolError(406, "acceptable graph types: " + ", ".join(offered))
        body = ox.serialize(result, format=GRAPH_TYPES[media])
    return Response(body, mimetype=media, headers={"Vary": "Accept"})


def service_description() -> Response:
    offered = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "text/html"]
    media = choose(offered, request.headers.get("Accept"), request.args.get("format"))
    if media == "text/html":
        return redirect("/query", code=303)
    if media is None:
        raise ProtocolError(406, "acceptable: " + ", ".join(offered))
    endpoint_iri = request.base_url
    sd = "http://www.w3.org/ns/sparql-service-description#"
    formats = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
               "Turtle", "N-Triples", "JSON-LD", "RDF_XML"]
    service = ox.BlankNode("service")
    dataset = ox.BlankNode("dataset")
    triples = [
        ox.Triple(service, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(sd + "Service")),
        ox.Triple(service, ox.NamedNode(sd + "endpoint"), ox.NamedNode(endpoint_iri)),
        ox.Triple(service, ox.NamedNode(sd + "supportedLanguage"), ox.NamedNode(sd + "SPARQL11Query")),
        ox.Triple(service, ox.NamedNode(sd + "feature"), ox.NamedNode(sd + "UnionDefaultGraph")),
        ox.Triple(service, ox.NamedNode(sd + "defaultDataset"), dataset),
        ox.Triple(dataset, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(sd + "Dataset")),
    ]
    triples += [ox.Triple(service, ox.NamedNode(sd + "resultFormat"), ox.NamedNode(f"http://www.w3.org/ns/formats/{f}")) for f in formats]
    body = ox.serialize(triples, format=GRAPH_TYPES[media], prefixes={"sd": sd})
    return Response(body, mimetype=media, headers={"Vary": "Accept"})
