"""A SPARQL 1.1 server as a store: the part of Oxigraph's Store interface goaltrace uses,
spoken over the SPARQL 1.1 Protocol (query and update).

Answers come back as Oxigraph's own result types, so everything above the store reads an
embedded store and a remote one alike. goaltrace's own queries read the union of all named
graphs as their default graph: they ask for it with Oxigraph's ``union-default-graph``
parameter, which other servers ignore; there the default graph must be the union already
(Virtuoso's default; Fuseki's ``unionDefaultGraph``). `Store.open` checks this.
"""

import http.client
import json
import re
import threading
import urllib.parse
from collections.abc import Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor

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
_UPDATE_CHUNK = 20_000  # quads in one INSERT DATA request, until the server shows it takes fewer
_GRAPH_STORE_BODY = 4 << 20  # bytes of N-Triples in one Graph Store request (Virtuoso refuses past 10 MB)
_SMALLEST_SPLIT = 50  # a refused request smaller than this is an error, not a size limit
_EMPTY = ox.Store()  # parses queries before they are sent; never holds anything
# A query's own row limit at its end (as `goaltrace.query.named.prepare` writes a page)
_OWN_LIMIT = re.compile(r"\bLIMIT\s+(\d+)(?:\s+OFFSET\s+\d+)?\s*$|\bOFFSET\s+\d+\s+LIMIT\s+(\d+)\s*$", re.IGNORECASE)
# What a server says when an update was too large for it: Virtuoso answers 500 for the text of
# one, and 4xx (SR…, "too long", "exceeds") for the SQL it compiles to
_TOO_LARGE = re.compile(r"longer than|too (long|large|big)|exceed|SR\d+|string session|request entity", re.IGNORECASE)
_BLANK_LABEL = re.compile(r"[^A-Za-z0-9_]")
_BOOLEAN = "http://www.w3.org/2001/XMLSchema#boolean"


class EndpointError(OSError):
    """The server could not be reached, or answered with an error of its own."""

    def __init__(self, message: str, refused: bool = False):
        super().__init__(message)
        self.refused = refused  # the server answered 4xx: the request, not the server, is at fault
        self.too_large = False  # the server said the request was too large for it


class AnswerCut(EndpointError):
    """The server sent only part of an answer: it cut it at its row cap (``cap`` rows), or
    stopped it at a time limit (``cap`` is None), and said so in a response header."""

    def __init__(self, url: str, cap: int | None, signal: str):
        what = f"at {cap} rows" if cap is not None else "short at its time limit"
        super().__init__(f"{url}: the SPARQL endpoint cut the answer {what} ({signal}); goaltrace does not pass part "
                         "of an answer off as whole: bind an input to narrow the question, or raise the engine's "
                         "row cap (Virtuoso: ResultSetMaxRows in virtuoso.ini)")
        self.cap = cap


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
        self.row_cap: int | None = None  # the most rows the server sends, once it has said so
        self.chunk = _UPDATE_CHUNK  # quads per INSERT DATA: halved when refused, then kept
        # The Graph Store Protocol beside the endpoint, where the server is known to offer it
        # (Virtuoso's /sparql-graph-crud): '' when it refused goaltrace's writes
        self.graph_store: str | None = None

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
        return self._send(url, urllib.parse.urlencode(fields).encode("ascii"), "application/x-www-form-urlencoded", accept)

    def _send(self, url: str, body: bytes, content_type: str, accept: str = "*/*"):
        parts = urllib.parse.urlsplit(url)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        headers = {"Content-Type": content_type, "Accept": accept, "User-Agent": "goaltrace"}
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
            error = EndpointError(f"{url}: the SPARQL endpoint answered {response.status}: {detail}",
                                  refused=400 <= response.status < 500)
            error.too_large = response.status == 413 or bool(_TOO_LARGE.search(" ".join(text[:3])))
            raise error
        if self.graph_store is None and "virtuoso" in (response.headers.get("Server") or "").lower():
            self.graph_store = urllib.parse.urljoin(self.query_url, "sparql-graph-crud")
        return response.headers.get_content_type(), data, response.headers

    def query(self, text: str, *, use_default_graph_as_union: bool = False, default_graph=None,
              named_graphs=None, prefixes: dict | None = None, base_iri: str | None = None, cut: str = "refuse"):
        """Like `pyoxigraph.Store.query`. An answer the server says it cut raises `AnswerCut`;
        with ``cut="flag"`` it is returned, and `last_cut` tells it was cut."""
        form = _EMPTY.query(text, prefixes=prefixes, base_iri=base_iri)  # a syntax error is told here, as it is written
        params = [("default-graph-uri", g.value) for g in _graph_list(default_graph)]
        params += [("named-graph-uri", g.value) for g in named_graphs or ()]
        if use_default_graph_as_union and not params:
            params.append(("union-default-graph", "true"))
        body = _prologue(prefixes, base_iri) + text
        media, data, headers = self._post(self.query_url, [("query", body), *params], accept=_ACCEPT)
        self._local.cut = None
        if media in _RESULT_FORMATS:
            results = ox.parse_query_results(_as_written(data, media), format=_RESULT_FORMATS[media])
            if isinstance(form, ox.QueryBoolean) and not isinstance(results, ox.QueryBoolean):
                return _boolean(results)  # Virtuoso answers ASK with a row of ``__ASK_RETVAL``
            size = lambda: sum(1 for _ in ox.parse_query_results(data, format=_RESULT_FORMATS[media]))
        elif media in _GRAPH_FORMATS:  # a CONSTRUCT or DESCRIBE: Oxigraph's triples type, via a scratch store
            scratch = ox.Store()
            scratch.load(data, _GRAPH_FORMATS[media])
            results = scratch.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
            size = lambda: len(scratch)
        else:
            raise EndpointError(f"{self.query_url}: the SPARQL endpoint answered in an unexpected format: {media}")
        self._check_whole(text, headers, size, cut)
        return results

    def _check_whole(self, text: str, headers, size, cut: str):
        """Raise `AnswerCut` (or, to flag, note it) when the server's headers say the answer
        is not whole: Virtuoso's ``X-SPARQL-MaxRows`` when the rows reach that cap and the
        query did not ask for that few itself, or its ``X-SQL-State: S1TAT`` (an "anytime"
        answer, stopped at its time limit)."""
        cap, signal = None, None
        if (headers.get("X-SQL-State") or "").strip().upper() == "S1TAT":
            signal = "X-SQL-State: S1TAT"
        elif (headers.get("X-SPARQL-MaxRows") or "").strip().isdigit():
            cap = int(headers["X-SPARQL-MaxRows"])
            own = _OWN_LIMIT.search(text)
            asked = int(own.group(1) or own.group(2)) if own else None
            if (asked is not None and asked <= cap) or size() < cap:
                return
            self.row_cap = cap
            signal = f"X-SPARQL-MaxRows: {cap}"
        if signal is None:
            return
        if cut == "flag":
            self._local.cut = (cap, signal)
            return
        raise AnswerCut(self.query_url, cap, signal)

    def last_cut(self) -> tuple[int | None, str] | None:
        """(cap, the server's signal) when the last answer this thread had with ``cut="flag"``
        was cut; else None."""
        return getattr(self._local, "cut", None)

    def default_graph_is_union(self) -> bool:
        """Before goaltrace writes to a server: whether a quad of its named graphs is seen in
        its default graph. A server with none yet is asked about a probe graph, written and
        dropped again."""
        sample = next(iter(self.query("SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } } LIMIT 1")), None)
        if sample is not None:
            return bool(self.query(f"ASK {{ {sample['s']} {sample['p']} {sample['o']} }}", use_default_graph_as_union=True))
        probe = ox.NamedNode("https://w3id.org/goaltrace/ontology#unionProbe")
        self.update(f"INSERT DATA {{ GRAPH {probe} {{ {probe} {probe} {probe} }} }}")
        try:
            return bool(self.query(f"ASK {{ {probe} {probe} {probe} }}", use_default_graph_as_union=True))
        finally:
            self.update(f"DROP SILENT GRAPH {probe}")

    def update(self, text: str, *, prefixes: dict | None = None, base_iri: str | None = None):
        ox.Store().update(text, prefixes=prefixes, base_iri=base_iri)  # checks the syntax on a scratch store
        self._post(self.update_url, [("update", _prologue(prefixes, base_iri) + text)])

    # -- Oxigraph's Store interface, as far as goaltrace uses it ---------------------------------
    def quads_for_pattern(self, subject=None, predicate=None, object=None, graph_name=None) -> Iterator[ox.Quad]:
        """Quads of the named graphs matching a pattern (every goaltrace fact is in one)."""
        terms = (subject, predicate, object, graph_name)
        s, p, o, g = (str(t) if t is not None else f"?{n}" for t, n in zip(terms, "spog"))
        text = f"SELECT * WHERE {{ GRAPH {g} {{ {s} {p} {o} }} }}"
        try:
            rows = list(self.query(text))
        except AnswerCut as cut:  # more quads than the server sends at once: page by page, in one order
            if cut.cap is None:
                raise
            order = " ".join(f"?{n}" for t, n in zip(terms, "spog") if t is None)
            rows = []
            while True:
                part = list(self.query(f"{text} ORDER BY {order} LIMIT {cut.cap} OFFSET {len(rows)}"))
                rows += part
                if len(part) < cut.cap:
                    break
        for row in rows:
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

    def write_at_once(self, drop: Iterable[str], quads: list[ox.Quad]) -> bool:
        """Drop graphs and insert quads in one update request: one transaction on a server
        that makes each request one (Oxigraph and Virtuoso do). False, with nothing written,
        when the server finds the request too large (Virtuoso caps both the text of an update
        and the SQL it compiles to); the size it took is then remembered (`chunk`)."""
        drops = drop_graphs(drop)
        if not drops and not quads:
            return True
        if len(quads) > self.chunk:
            return False
        try:
            self.update(drops + insert_data(quads))
            return True
        except EndpointError as error:
            if not _too_large(error) or len(quads) < 2 * _SMALLEST_SPLIT:
                raise
            self.chunk = len(quads) // 2
            return False

    def insert(self, quads: list[ox.Quad]):
        """Insert quads in as few requests as the server takes, in order: `chunk` quads a
        request, halved when the server finds a request too large (only the refused part is
        sent again, in its first half), and kept at the size that worked. Not one transaction:
        a caller that needs one writes under names of its own and switches (`Store._write`).
        Where the server offers the Graph Store Protocol (Virtuoso), each graph's triples are
        sent to it as N-Triples instead, ten times faster than through its SPARQL compiler."""
        if self.graph_store and self._insert_by_graph(quads):
            return
        start = 0
        while start < len(quads):
            part = quads[start:start + self.chunk]
            try:
                self.update(insert_data(part))
            except EndpointError as error:
                if not _too_large(error) or len(part) < 2 * _SMALLEST_SPLIT:
                    raise
                self.chunk = len(part) // 2
                continue
            start += len(part)

    def _insert_by_graph(self, quads: list[ox.Quad]) -> bool:
        """POST each graph's triples to the Graph Store Protocol, in bodies of at most
        `_GRAPH_STORE_BODY` bytes; False, with nothing sent, where the server refuses the
        first (it is then not asked again)."""
        graphs: dict[str, list[ox.Triple]] = {}
        for quad in quads:
            graphs.setdefault(quad.graph_name.value, []).append(quad.triple)
        items = iter(graphs.items())
        for graph, triples in items:  # the first graph alone: does the server take such writes?
            try:
                self._post_graph(graph, triples)
            except EndpointError as error:
                if error.refused:
                    self.graph_store = ""
                    return False
                raise
            break
        # two graphs at a time (the server parses one while the next is sent); each graph's
        # pieces in order, on one connection
        with ThreadPoolExecutor(2, thread_name_prefix="graph-store") as pool:
            for done in [pool.submit(self._post_graph, graph, triples) for graph, triples in items]:
                done.result()
        return True

    def _post_graph(self, graph: str, triples: list[ox.Triple]):
        url = f"{self.graph_store}?{urllib.parse.urlencode({'graph-uri': graph})}"
        for body in _bodies(triples):
            for attempt in range(3):  # a deadlock between two writes is the server's to resolve: sent again
                try:
                    self._send(url, body, "application/n-triples")
                    break
                except EndpointError as error:
                    if attempt == 2 or "deadlock" not in str(error).lower() and "40001" not in str(error):
                        raise

    def write(self, drop: Iterable[str], quads: list[ox.Quad]):
        """Drop graphs, then insert quads: one request when it fits, else several."""
        if not self.write_at_once(drop, quads):
            drops = drop_graphs(drop)
            if drops:
                self.update(drops.rstrip(" ;\n"))
            self.insert(quads)

    def extend(self, quads: Iterable[ox.Quad]):
        self.write((), list(quads))

    def bulk_extend(self, quads: Iterable[ox.Quad]):
        self.insert(list(quads))

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


def _bodies(triples: list[ox.Triple]) -> Iterator[bytes]:
    """N-Triples of the triples in pieces of at most about `_GRAPH_STORE_BODY` bytes."""
    text = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    start = 0
    while start < len(text):
        end = text.rfind(b"\n", start, start + _GRAPH_STORE_BODY) + 1 if len(text) - start > _GRAPH_STORE_BODY else len(text)
        if end <= start:  # one triple longer than a body: sent alone
            end = text.index(b"\n", start) + 1
        yield text[start:end]
        start = end


def _too_large(error: EndpointError) -> bool:
    """Whether a refused update may go through in smaller parts: a 4xx (a server refuses a
    request too large for it with one), or a 500 that says the request was too large."""
    return error.refused or error.too_large


def _boolean(results) -> "ox.QueryBoolean":
    """An ASK's answer sent as a table of one variable: true when it has a row whose value
    is not 0 or false."""
    value = any(row[v] is not None and row[v].value not in ("0", "false") for row in results for v in results.variables)
    return ox.parse_query_results(json.dumps({"head": {}, "boolean": value}), format=ox.QueryResultsFormat.JSON)


def _as_written(data: bytes, media: str) -> bytes:
    """Results as goaltrace wrote them, where Virtuoso changes their form: it labels blank
    nodes like IRIs (``nodeID://b10001``), which no results format allows, so each becomes a
    label of letters, digits and ``_`` (``nodeID___b10001``), the same for the same node; and
    it writes a boolean as 1 or 0, which becomes true or false again (the same value)."""
    if b"bnode" not in data and b"XMLSchema#boolean" not in data:
        return data
    if media == _SELECT_MEDIA:
        parsed = json.loads(data)
        for row in parsed.get("results", {}).get("bindings", []):
            for term in row.values():
                if term.get("type") == "bnode":
                    term["value"] = _BLANK_LABEL.sub("_", term["value"])
                elif term.get("datatype") == _BOOLEAN and term.get("value") in ("0", "1"):
                    term["value"] = "true" if term["value"] == "1" else "false"
        return json.dumps(parsed).encode("utf-8")
    return re.sub(rb"<bnode>([^<]*)</bnode>",
                  lambda m: b"<bnode>" + _BLANK_LABEL.sub("_", m.group(1).decode("utf-8")).encode() + b"</bnode>", data)
