"""The SPARQL 1.1 Protocol endpoint: read-only by default, safe to expose.

GET ``?query=``, POST form-encoded, POST ``application/sparql-query``; ``default-graph-uri`` and
``named-graph-uri``; results by content negotiation (q-values) or ``format=`` (CSV in the W3C
format exactly; with ``download=1``, a file to save, and for CSV one for a spreadsheet, see
`query`); the ``Server-Timing`` header says how long the query took. A bare GET
returns the service description, or the query page to a browser. Queries run in worker
processes of their own (pages use others) with a time limit, a memory limit and a row cap
(see `query_workers`); a query past the number of requests they hold at once is turned away
with a 503. No query makes the server fetch anything: SERVICE is refused, and FROM / FROM
NAMED may only name graphs held here. The goaltrace prefixes (gt:, gtf:, skos:, rdfs:, prov:,
org:, …) are predeclared; a query's own PREFIX declarations take precedence.

With updates enabled (``goaltrace serve --allow-update``, token in GOALTRACE_TOKEN), SPARQL
Update is accepted from requests bearing ``Authorization: Bearer <token>`` (the scheme's name
in any case).
"""

import hmac
import re
import time
from functools import lru_cache
from urllib.parse import parse_qs, unquote_plus, urljoin

import pyoxigraph as ox
from flask import Blueprint, Response, current_app, redirect, request
from werkzeug.wsgi import get_host

from ..graph.namespaces import PREFIXES, RDF, RDFS, SH, XSD
from ..graph.remote_access import remote_access
from ..graph.serialization import serialize
from ..graph.sparql_syntax import syntax_error_message
from ..rendering import formats, spreadsheet
from ..rendering.sparql_results import GRAPH_MEDIA, SELECT_MEDIA
from .context import current
from .negotiation import choose
from .query_workers import QueryBusy, QueryJob, QueryOutcome, QueryStopped, QueryWorkers

blueprint = Blueprint("sparql", __name__)

_IRI = r"<[^<>\"{}|^`\\\x00-\x20]*>"
_LITERALS_AND_COMMENTS = re.compile(
    r'"""(?:[^"\\]|\\.|"(?!""))*"""' r"|'''(?:[^'\\]|\\.|'(?!''))*'''" r'|"(?:[^"\\\n]|\\.)*"' r"|'(?:[^'\\\n]|\\.)*'"
    rf"|({_IRI})" r"|#[^\n]*",
)


class ProtocolError(Exception):
    def __init__(self, status: int, message: str, headers: dict | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.headers = headers or {}


def _text(status: int, message: str, headers: dict | None = None) -> Response:
    return Response(message.rstrip("\n") + "\n", status=status, mimetype="text/plain", headers=headers or {})


def _cors(response: Response) -> Response:
    response.headers["Access-Control-Allow-Origin"] = "*"
    response.headers["Access-Control-Expose-Headers"] = "X-Goaltrace-Truncated, Server-Timing"
    return response




def endpoint_iri() -> str:
    """This endpoint's IRI, the base of relative IRIs in operations (cheaper than base_url)."""
    return f"{request.scheme}://{request.host}{request.path}"


@blueprint.route("/sparql", methods=["GET", "POST", "OPTIONS"])
def endpoint():
    if request.method == "OPTIONS":
        response = Response(status=204)
        response.headers["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
        response.headers["Access-Control-Allow-Headers"] = "Content-Type, Accept, Authorization"
        return _cors(response)
    try:
        operation, text, dataset = read_request()
        if operation == "update":
            return _cors(update(text, dataset))
        if text is None:
            return _cors(service_description())
        check_safety(text)
        return _cors(query(text, dataset))
    except ProtocolError as error:
        return _cors(_text(error.status, error.message, error.headers))
    except (ValueError, UnicodeError) as error:  # a malformed IRI or text from the client
        return _cors(_text(400, f"bad request: {error}"))


def _decoded(data: bytes, what: str) -> str:
    charset = (request.mimetype_params.get("charset") or "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(400, f"the {what} must be UTF-8, not {charset}")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, f"the {what} is not valid UTF-8") from None


def read_request() -> tuple[str, str | None, dict]:
    """(operation, text, dataset) of a protocol request, or a ProtocolError saying what is wrong."""
    args = request.args
    dataset = {key: args.getlist(key) for key in ("default-graph-uri", "named-graph-uri", "using-graph-uri", "using-named-graph-uri")}
    if request.method == "GET":
        if "update" in args:
            raise ProtocolError(400, "SPARQL Update is not accepted in a GET request: POST it")
        queries = args.getlist("query")
        if len(queries) > 1:
            raise ProtocolError(400, "more than one query parameter")
        return "query", (queries[0] if queries else None), dataset
    media = request.mimetype
    if media == "application/x-www-form-urlencoded":
        form = parse_qs(_decoded(request.get_data(), "request body"), keep_blank_values=True)
        for key, given in dataset.items():
            dataset[key] = given + form.get(key, [])
        queries, updates = form.get("query", []), form.get("update", [])
        if (queries or updates) and ("query" in args or "update" in args):
            raise ProtocolError(400, "an operation in both the URL and the body")
        if queries and updates:
            raise ProtocolError(400, "a query and an update in one request")
        if len(queries) > 1 or len(updates) > 1:
            raise ProtocolError(400, "more than one query or update parameter")
        if updates:
            return "update", updates[0], dataset
        if queries:
            return "query", queries[0], dataset
        raise ProtocolError(400, "a form-encoded POST needs a query or an update parameter")
    if media in ("application/sparql-query", "application/sparql-update"):
        if "query" in args or "update" in args:
            raise ProtocolError(400, "an operation in both the URL and the body")
        operation = "query" if media == "application/sparql-query" else "update"
        return operation, _decoded(request.get_data(), operation), dataset
    raise ProtocolError(415, f"unsupported media type {media or '(none)'}: send application/sparql-query, "
                             "application/sparql-update or application/x-www-form-urlencoded")


def _code(text: str) -> str:
    """The operation with literals and comments blanked out and IRIs kept: safe to scan for keywords."""
    return _LITERALS_AND_COMMENTS.sub(lambda m: m.group(1) or " ", text)


_REFUSALS = {
    "SERVICE": "SERVICE is not allowed here: this endpoint never sends requests elsewhere",
    "LOAD": "LOAD is not allowed here: this endpoint never fetches remote data",
}


def _refuse_remote_access(text: str, operation: str):
    keyword = remote_access(text, operation)
    if keyword:
        raise ProtocolError(400, _REFUSALS[keyword])


def check_safety(text: str):
    """Refuse what would make the server reach out: SERVICE, and FROM graphs it does not hold."""
    _refuse_remote_access(text, "query")
    code = _code(text)
    store = current().store
    declared_base = re.search(rf"(?i)\bBASE\s+({_IRI})", code)
    base = declared_base.group(1)[1:-1] if declared_base else endpoint_iri()
    for match in re.finditer(rf"(?i)\bFROM\s+(?:NAMED\s+)?({_IRI})", code):
        iri = urljoin(base, match.group(1)[1:-1])
        try:
            held = store.has_graph(iri)
        except ValueError as error:
            raise ProtocolError(400, f"FROM <{iri}>: not a valid IRI ({error})") from None
        if not held:
            raise ProtocolError(400, f"FROM <{iri}>: no such graph here, and this endpoint never fetches remote data")


def query(text: str, dataset: dict) -> Response:
    """The query's answer. CSV asked for with ``download=1`` (the query page's download link) is
    a file for a person to open in a spreadsheet, not an answer to a client: UTF-8 with a byte
    order mark, an attachment, a text a spreadsheet would run as a formula written as text
    (`rendering.spreadsheet`)."""
    accept, fmt = request.headers.get("Accept"), request.values.get("format")
    job = QueryJob(text, tuple(dataset["default-graph-uri"]), tuple(dataset["named-graph-uri"]), offered(accept, fmt),
                   PREFIXES, base_iri=endpoint_iri(), own_dataset=names_dataset(text))
    outcome, headers = run(job, current().sparql_workers)
    body = outcome.body
    if request.values.get("download") and outcome.status == 200:
        if outcome.media == "text/csv":
            body = spreadsheet.guarded_csv(body, bom=True)
        headers["Content-Disposition"] = f'attachment; filename="query.{formats.extension("sparql", outcome.media, "txt")}"'
    return Response(body, status=outcome.status, mimetype=outcome.media, headers=headers)


@lru_cache(maxsize=256)
def offered(accept: str | None, fmt: str | None = None) -> dict:
    """The media type of each kind of answer (select, ask, graph) the client takes best."""
    results_media = choose(list(SELECT_MEDIA), accept, fmt)
    return {"select": results_media, "ask": results_media, "graph": choose(list(GRAPH_MEDIA), accept, fmt)}


def names_dataset(text: str) -> bool:
    """Whether the query names its own dataset (FROM, FROM NAMED)."""
    return re.search(r"(?i)\bFROM\b", _code(text)) is not None


def run(job: QueryJob, workers: QueryWorkers) -> tuple[QueryOutcome, dict]:
    """The workers' outcome of a query and the headers that go with it, or a ProtocolError for
    a query that met a limit or found the workers full."""
    started = time.perf_counter()
    try:
        outcome = workers.run(job)
    except QueryBusy as error:
        raise ProtocolError(error.status, str(error), {"Retry-After": "1"}) from None
    except QueryStopped as error:  # the time limit (408), the memory limit (503), a crash (400)
        raise ProtocolError(error.status, f"{error}; simplify the query or add a LIMIT",
                            {"Retry-After": "0"} if error.status == 408 else {}) from None
    # the time the query took, waiting for a worker included (the query page shows it)
    headers = {"Vary": "Accept", "Server-Timing": f"query;dur={(time.perf_counter() - started) * 1000:.1f}"}
    if outcome.store_cut is not None:  # cut by the remote store, at its own row cap (or time limit)
        headers["X-Goaltrace-Truncated"] = f"true; limit={outcome.store_cut or workers.row_limit}; by=store"
    elif outcome.truncated:
        headers["X-Goaltrace-Truncated"] = f"true; limit={workers.row_limit}"
    return outcome, headers


def plain_query(environ: dict, workers: QueryWorkers) -> Response | None:
    """The answer to the commonest request, ``GET /sparql?query=…`` with no other parameter, a
    query that names no dataset of its own and reaches nowhere: the same checks, job and answer
    as `endpoint` gives, read straight from the WSGI environment (Flask's request context,
    routing and hooks cost as much as a small query). None for any other request, which the
    app answers."""
    if environ.get("REQUEST_METHOD") != "GET" or environ.get("PATH_INFO") != "/sparql":
        return None
    given = environ.get("QUERY_STRING", "")
    if not given.startswith("query=") or "&" in given:
        return None
    try:
        text = unquote_plus(given[len("query="):], errors="strict")
    except UnicodeDecodeError:
        return None
    if not text or not (_plain(text) if len(text) <= 4096 else _plain.__wrapped__(text)):
        return None
    base = f"{environ['wsgi.url_scheme']}://{get_host(environ)}/sparql"
    job = QueryJob(text, (), (), offered(environ.get("HTTP_ACCEPT")), PREFIXES, base_iri=base)
    try:
        outcome, headers = run(job, workers)
    except ProtocolError as error:
        return _cors(_text(error.status, error.message, error.headers))
    return _cors(Response(outcome.body, status=outcome.status, mimetype=outcome.media, headers=headers))


@lru_cache(maxsize=1024)
def _plain(text: str) -> bool:
    """Whether a query may take the plain path: it reaches nowhere and names no dataset (the
    app refuses the one and checks the other's graphs). Remembered for short queries."""
    return remote_access(text, "query") is None and not names_dataset(text)


def authorise():
    """Writes need updates enabled and the bearer token: 401 without a token, 403 with a wrong one."""
    token = current_app.config.get("UPDATE_TOKEN")
    if not current_app.config.get("ALLOW_UPDATE") or not token:
        raise ProtocolError(403, "this endpoint is read-only (start it with --allow-update to accept writes)")
    given = bearer_token(request.headers.get("Authorization", ""))
    if given is None:
        raise ProtocolError(401, "writes need Authorization: Bearer <token>", {"WWW-Authenticate": 'Bearer realm="goaltrace"'})
    if not hmac.compare_digest(given.encode(), token.encode()):
        raise ProtocolError(403, "the token is not valid for writes")


def bearer_token(authorization: str) -> str | None:
    """The token of an ``Authorization: Bearer <token>`` header, None for another scheme or
    none. The scheme's name is case-insensitive and one or more spaces follow it (RFC 7235
    §2.1, RFC 6750 §2.1): ``bearer``, ``Bearer`` and ``BEARER`` are the same."""
    scheme, _, token = authorization.strip(" ").partition(" ")
    token = token.lstrip(" ")
    return token if scheme.lower() == "bearer" and token else None


def update(text: str, dataset: dict) -> Response:
    authorise()
    code = _code(text)
    using = dataset["using-graph-uri"] + dataset["using-named-graph-uri"]
    if using and re.search(r"(?i)\b(USING|WITH)\b", code):
        raise ProtocolError(400, "using-graph-uri / using-named-graph-uri cannot be combined with USING or WITH in the update")
    _refuse_remote_access(text, "update")
    if using:
        text = _with_using(text, dataset["using-graph-uri"], dataset["using-named-graph-uri"])
    try:
        current().write(lambda store: store.update(text, base_iri=endpoint_iri()))
    except SyntaxError as error:
        raise ProtocolError(400, syntax_error_message(error, text, PREFIXES, what="update")) from None
    except (ValueError, OSError) as error:
        raise ProtocolError(400, f"update failed: {error}") from None
    return _text(200, "updated")


def _with_using(text: str, graphs: list[str], named: list[str]) -> str:
    """Apply the protocol's using-graph-uri / using-named-graph-uri to every INSERT/DELETE …
    WHERE operation, as USING clauses placed before its WHERE."""
    clause = "".join(f" USING <{g}>" for g in graphs) + "".join(f" USING NAMED <{g}>" for g in named) + " "
    code = _code(text)
    out, depth, last, position = [], 0, "", 0
    for match in re.finditer(r"[{}]|\bWHERE\b|\S+", code, flags=re.IGNORECASE):
        token = match.group(0)
        if token == "{":
            depth += 1
        elif token == "}":
            depth -= 1
        elif depth == 0 and token.upper() == "WHERE" and last == "}":
            out.append(text[position:match.start()] + clause)
            position = match.start()
        last = token
    out.append(text[position:])
    return "".join(out)


SD = "http://www.w3.org/ns/sparql-service-description#"


def service_description() -> Response:
    """The SPARQL 1.1 Service Description: the endpoint, what it speaks, its dataset (the
    default graph is the union of the named graphs; every named graph is listed: the ontology,
    the framework, each form, each alignment, the history and the registry), and the prefixes
    it predeclares, published as SHACL prefix declarations (``sh:declare [ sh:prefix "gt" ;
    sh:namespace "…"^^xsd:anyURI ]``), the standard RDF way to state them."""
    offered = ["text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "text/html"]
    media = choose(offered, request.headers.get("Accept"), request.args.get("format"))
    if media == "text/html":
        return redirect("/query", code=303)
    if media is None:
        raise ProtocolError(406, "acceptable: " + ", ".join(offered))
    rdf_type = ox.NamedNode(f"{RDF}type")
    service, dataset, default = ox.BlankNode("service"), ox.BlankNode("dataset"), ox.BlankNode("default")
    triples = [
        ox.Triple(service, rdf_type, ox.NamedNode(SD + "Service")),
        ox.Triple(service, ox.NamedNode(SD + "endpoint"), ox.NamedNode(endpoint_iri())),
        ox.Triple(service, ox.NamedNode(SD + "supportedLanguage"), ox.NamedNode(SD + "SPARQL11Query")),
        ox.Triple(service, ox.NamedNode(SD + "feature"), ox.NamedNode(SD + "UnionDefaultGraph")),
        ox.Triple(service, ox.NamedNode(SD + "defaultDataset"), dataset),
        ox.Triple(dataset, rdf_type, ox.NamedNode(SD + "Dataset")),
        ox.Triple(dataset, ox.NamedNode(SD + "defaultGraph"), default),
        ox.Triple(default, rdf_type, ox.NamedNode(SD + "Graph")),
        ox.Triple(default, ox.NamedNode(f"{RDFS}comment"), ox.Literal("the union of every named graph", language="en")),
        ox.Triple(default, ox.NamedNode(f"{RDFS}comment"), ox.Literal("所有命名图的并集", language="zh")),
    ]
    if current_app.config.get("ALLOW_UPDATE"):
        triples.append(ox.Triple(service, ox.NamedNode(SD + "supportedLanguage"), ox.NamedNode(SD + "SPARQL11Update")))
    formats = ["SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
               "Turtle", "N-Triples", "JSON-LD", "RDF_XML", "N-Quads"]
    triples += [ox.Triple(service, ox.NamedNode(SD + "resultFormat"), ox.NamedNode(f"http://www.w3.org/ns/formats/{f}")) for f in formats]
    for number, name in enumerate(current().store.named_graphs()):
        graph = ox.BlankNode(f"graph{number}")
        triples += [ox.Triple(dataset, ox.NamedNode(SD + "namedGraph"), graph),
                    ox.Triple(graph, rdf_type, ox.NamedNode(SD + "NamedGraph")),
                    ox.Triple(graph, ox.NamedNode(SD + "name"), ox.NamedNode(name))]
    for prefix, namespace in PREFIXES.items():
        declaration = ox.BlankNode(f"prefix-{prefix}")
        triples += [ox.Triple(service, ox.NamedNode(f"{SH}declare"), declaration),
                    ox.Triple(declaration, ox.NamedNode(f"{SH}prefix"), ox.Literal(prefix)),
                    ox.Triple(declaration, ox.NamedNode(f"{SH}namespace"), ox.Literal(namespace, datatype=ox.NamedNode(f"{XSD}anyURI")))]
    body = serialize(triples, GRAPH_MEDIA[media], {"sd": SD})
    return Response(body, mimetype=media, headers={"Vary": "Accept"})
