"""A SPARQL 1.1 server as a store: the part of Oxigraph's Store interface goaltrace uses,
spoken over the SPARQL 1.1 Protocol (query and update).

Answers come back as Oxigraph's own result types, so everything above the store reads an
embedded store and a remote one alike. goaltrace's own queries read the union of all named
graphs as their default graph: they ask for it with Oxigraph's ``union-default-graph``
parameter, which other servers ignore; there the default graph must be the union already
(Virtuoso's default; Fuseki's ``unionDefaultGraph``). `Store.open` checks this.
"""

import http.client
import threading
import urllib.parse
from collections.abc import Iterable, Iterator

import pyoxigraph as ox

from .updates import drop_graphs, insert_data

_SELECT_MEDIA = "application/sparql-results+json"
_GRAPH_MEDIA = "application/n-triples"
_ACCEPT = f"{_SELECT_MEDIA}, {_GRAPH_MEDIA};q=0.9, text/turtle;q=0.8, application/sparql-results+xml;q=0.5"
_RESULT_FORMATS = {
    _SELECT_MEDIA: ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
}
_GRAPH_FORMATS = {_GRAPH_MEDIA: ox.RdfFormat.N_TRIPLES, "text/turtle": ox.RdfFormat.TURTLE}
_UPDATE_CHUNK = 20_000  # quads in one INSERT DATA request
_SMALLEST_SPLIT = 50  # a refused request smaller than this is an error, not a size limit
_EMPTY = ox.Store()  # parses queries before they are sent; never holds anything


class EndpointError(OSError):
    """The server could not be reached, or answered with an error of its own."""

    def __init__(self, message: str, refused: bool = False):
        super().__init__(message)
        self.refused = refused  # the server answered 4xx: the request, not the server, is at fault


def update_url_for(query_url: str) -> str:
    """The update endpoint beside a query endpoint: ``…/query`` → ``…/update`` (Oxigraph,
    Fuseki); any other URL serves both (Virtuoso's ``/sparql``)."""
    parts = urllib.parse.urlsplit(query_url)
    if parts.path.endswith("/query"):
        return urllib.parse.urlunsplit(parts._replace(path=parts.path[: -len("query")] + "update"))
    return query_url


class SparqlEndpoint:
    """A remote dataset behind a query URL and an update URL."""

    def __init__(self, query_url: str, update_url: str | None = None, timeout: float = 300.0):
        self.query_url = query_url
        self.update_url = update_url or update_url_for(query_url)
        self.timeout = timeout
        self._local = threading.local()  # one keep-alive connection per thread and host

    # -- the protocol ------------------------------------------------------------------------
    def _connection(self, parts: urllib.parse.SplitResult) -> http.client.HTTPConnection:
        connections = self._local.__dict__.setdefault("connections", {})
        key = (parts.scheme, parts.netloc)
        if key not in connections:
            kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
            connections[key] = kind(parts.netloc, timeout=self.timeout)
        return connections[key]

    def _post(self, url: str, fields: list[tuple[str, str]], accept: str = "*/*"):
        """POST form-encoded fields, the form of the protocol every server accepts."""
        parts = urllib.parse.urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        body = urllib.parse.urlencode(fields).encode("ascii")
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": accept, "User-Agent": "goaltrace"}
        for attempt in (1, 2):  # a kept-alive connection the server has closed is retried once
            connection = self._connection(parts)
            try:
                connection.request("POST", target, body=body, headers=headers)
                response = connection.getresponse()
                data = response.read()
                break
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError) as error:
                connection.close()
                if attempt == 2:
                    raise EndpointError(f"{url}: the SPARQL endpoint closed the connection: {error}") from None
            except (OSError, http.client.HTTPException) as error:
                connection.close()
                reason = getattr(error, "strerror", None) or str(error) or type(error).__name__
                raise EndpointError(f"{url}: cannot reach the SPARQL endpoint: {reason}") from None
        if response.status >= 400:
            text = data.decode("utf-8", "replace").strip().splitlines()
            detail = text[0][:300] if text else response.reason
            raise EndpointError(f"{url}: the SPARQL endpoint answered {response.status}: {detail}",
                                refused=400 <= response.status < 500)
        return response.headers.get_content_type(), data

    def query(self, text: str, *, use_default_graph_as_union: bool = False, default_graph=None,
              named_graphs=None, prefixes: dict | None = None, base_iri: str | None = None):
        """Like `pyoxigraph.Store.query`."""
        _EMPTY.query(text, prefixes=prefixes, base_iri=base_iri)  # a syntax error is told here, as it is written
        params = [("default-graph-uri", g.value) for g in _graph_list(default_graph)]
        params += [("named-graph-uri", g.value) for g in named_graphs or ()]
        if use_default_graph_as_union and not params:
            params.append(("union-default-graph", "true"))
        body = _prologue(prefixes, base_iri) + text
        media, data = self._post(self.query_url, [("query", body), *params], accept=_ACCEPT)
        if media in _RESULT_FORMATS:
            return ox.parse_query_results(data, format=_RESULT_FORMATS[media])
        if media in _GRAPH_FORMATS:  # a CONSTRUCT or DESCRIBE: Oxigraph's triples type, via a scratch store
            scratch = ox.Store()
            scratch.load(data, _GRAPH_FORMATS[media])
            return scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        raise EndpointError(f"{self.query_url}: the SPARQL endpoint answered in an unexpected format: {media}")

    def update(self, text: str, *, prefixes: dict | None = None, base_iri: str | None = None):
        ox.Store().update(text, prefixes=prefixes, base_iri=base_iri)  # checks the syntax on a scratch store
        self._post(self.update_url, [("update", _prologue(prefixes, base_iri) + text)])

    # -- Oxigraph's Store interface, as far as goaltrace uses it ---------------------------------
    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph_name=None) -> Iterator[ox.Quad]:
        """Quads of the named graphs matching a pattern (every goaltrace fact is in one)."""
        s, p, o, g = (str(t) if t is not None else f"?{n}" for t, n in
                      zip((subject, predicate, object, graph_name), "spog"))
        for row in self.query(f"SELECT * WHERE {{ GRAPH {g} {{ {s} {p} {o} }} }}"):
            yield ox.Quad(subject or row["s"], predicate or row["p"], object or row["o"], graph_name or row["g"])

    def named_graphs(self) -> Iterator[ox.NamedNode]:
        yield from (row["g"] for row in self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }"))

    def contains_named_graph(self, graph: ox.NamedNode) -> bool:
        return bool(self.query(f"ASK {{ GRAPH {graph} {{ ?s ?p ?o }} }}"))

    def add_graph(self, graph: ox.NamedNode):
        self.update(f"CREATE SILENT GRAPH {graph}")

    def __contains__(self, quad: ox.Quad) -> bool:
        return bool(self.query(f"ASK {{ GRAPH {quad.graph_name} {{ {quad.subject} {quad.predicate} {quad.object} }} }}"))

    def __len__(self) -> int:
        row = next(iter(self.query("SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }")))
        return int(row["n"].value)

    def add(self, quad: ox.Quad):
        self.extend([quad])

    def write(self, drop: Iterable[str], quads: list[ox.Quad]):
        """Drop graphs and insert quads in one update request: one transaction on a server
        that makes each request one (Oxigraph does). A server that refuses a request that
        large (Virtuoso caps the SQL an update compiles to) gets the drops, then the quads
        in halves, and halves of those, as small as it needs."""
        drops = drop_graphs(drop)
        if not drops and not quads:
            return
        try:
            self.update(drops + insert_data(quads))
            return
        except EndpointError as error:
            if not error.refused or len(quads) < 2 * _SMALLEST_SPLIT:
                raise
        if drops:
            self.update(drops.rstrip(" ;\n"))
        self._insert_in_parts(quads)

    def _insert_in_parts(self, quads: list[ox.Quad]):
        try:
            self.update(insert_data(quads))
        except EndpointError as error:
            if not error.refused or len(quads) < 2 * _SMALLEST_SPLIT:
                raise
            half = len(quads) // 2
            self._insert_in_parts(quads[:half])
            self._insert_in_parts(quads[half:])

    def extend(self, quads: Iterable[ox.Quad]):
        self.write((), list(quads))

    def bulk_extend(self, quads: Iterable[ox.Quad]):
        quads = list(quads)
        for start in range(0, len(quads), _UPDATE_CHUNK):
            self.write((), quads[start:start + _UPDATE_CHUNK])

    def load(self, data: bytes, format: ox.RdfFormat, to_graph: ox.NamedNode):
        self.extend(ox.Quad(t.subject, t.predicate, t.object, to_graph) for t in ox.parse(data, format=format))

    def flush(self):
        pass


def _graph_list(graph) -> list:
    if graph is None:
        return []
    return list(graph) if isinstance(graph, (list, tuple)) else [graph]


def _prologue(prefixes: dict | None, base_iri: str | None) -> str:
    lines = [f"BASE <{base_iri}>"] if base_iri else []
    lines += [f"PREFIX {name}: <{iri}>" for name, iri in (prefixes or {}).items()]
    return "".join(line + "\n" for line in lines)


