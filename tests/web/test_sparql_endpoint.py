"""The SPARQL endpoint as clients meet it: formats, errors and the safety guarantees.

Each safety test would fail without its protection: a listener on loopback records any
request the server makes because of a query; a cartesian product over the whole store runs
until it is stopped; a full scan meets the row cap.
"""

import http.server
import json
import os
import re
import threading
import time
import urllib.parse

import pytest
import rdflib

from conftest import Server

TOKEN = "endpoint-test-token"
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")


def q(query: str) -> str:
    return "/sparql?query=" + urllib.parse.quote(query)


@pytest.fixture(scope="module")
def listener():
    """A web server on loopback that counts the requests it receives."""
    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()

        do_POST = do_GET

        def log_message(self, *args):
            pass

    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}", hits
    httpd.shutdown()


@pytest.fixture(scope="module")
def writable(tmp_path_factory, seed_path):
    from conftest import run_goaltrace

    store = tmp_path_factory.mktemp("writable") / "store"
    run_goaltrace("import", "--store", str(store), str(seed_path), check=True)
    server = Server("--store", str(store), "--allow-update", env={**os.environ, "GOALTRACE_TOKEN": TOKEN})
    yield server
    server.stop()


def test_select_formats_and_negotiation(server):
    query = q('SELECT ?n WHERE { ?g gt:goalNumber ?n } ORDER BY ?n')
    status, headers, body = server.get(query)
    assert status == 200 and headers["Content-Type"].startswith("application/sparql-results+json")
    assert [b["n"]["value"] for b in json.loads(body)["results"]["bindings"]] == ["1", "2", "3"]
    status, headers, body = server.get(query, accept="text/csv;q=0.5, application/sparql-results+xml;q=0.9")
    assert headers["Content-Type"].startswith("application/sparql-results+xml") and b"<literal datatype=" in body
    status, headers, body = server.get(query + "&format=tsv")
    assert headers["Content-Type"].startswith("text/tab-separated-values") and body.decode().splitlines()[0] == "?n"
    status, headers, body = server.get(query, accept="text/csv")
    assert body.decode().splitlines() == ["n", "1", "2", "3"]
    status, headers, body = server.get(query, accept="image/png")
    assert status == 406
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_construct_and_describe_as_rdf(server):
    status, headers, body = server.get(q("CONSTRUCT { ?g gt:goalNumber ?n } WHERE { ?g gt:goalNumber ?n }"), accept="text/turtle")
    assert status == 200 and len(rdflib.Graph().parse(data=body, format="turtle")) == 3
    status, headers, body = server.get(q("DESCRIBE <https://w3id.org/goaltrace/id/秀山土家族苗族自治县司法局/2023/goal/3>"), accept="application/ld+json")
    assert status == 200 and headers["Content-Type"].startswith("application/ld+json")
    assert len(rdflib.Graph().parse(data=body, format="json-ld")) > 3


def test_service_description(server):
    status, headers, body = server.get("/sparql", accept="text/turtle")
    g = rdflib.Graph().parse(data=body, format="turtle")
    service = next(g.subjects(rdflib.RDF.type, SD.Service))
    assert str(g.value(service, SD.endpoint)) == server.base + "/sparql"
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in g
    assert (service, SD.supportedLanguage, SD.SPARQL11Update) not in g  # read-only
    assert len(list(g.objects(service, SD.resultFormat))) >= 8
    status, headers, _ = server.get("/sparql", accept="text/html")
    assert status == 303 and headers["Location"].endswith("/query")


@pytest.mark.parametrize("method, path, body, content_type, status, words", [
    ("GET", q("SELECT * WHERE { ?s ?p }"), None, None, 400, "query syntax error at 1:"),
    ("GET", q("SELECT * WHERE {\n ?s foo:p ?o }"), None, None, 400,
     "query syntax error at 2:5: unknown prefix 'foo:'; known: gt:, gtf:, id:, rdf:, rdfs:"),
    ("GET", q("ASK {}") + "&query=ASK%7B%7D", None, None, 400, "more than one query"),
    ("POST", q("ASK {}"), b"query=ASK%20%7B%7D", "application/x-www-form-urlencoded", 400, "both the URL and the body"),
    ("POST", "/sparql", b"ASK {}", "text/plain", 415, "unsupported media type"),
    ("POST", "/sparql", "ASK {}".encode("utf-16"), "application/sparql-query", 400, "not valid UTF-8"),
    ("GET", "/sparql?update=CLEAR%20ALL", None, None, 400, "not accepted in a GET"),
    ("POST", "/sparql", b"CLEAR ALL", "application/sparql-update", 403, "read-only"),
    ("PUT", q("ASK {}"), None, None, 405, "method is not allowed"),
])
def test_bad_requests_get_a_clear_4xx(server, method, path, body, content_type, status, words):
    got, headers, answer = server.get(path, method=method, data=body, content_type=content_type)
    assert got == status
    assert words and words.encode() in answer
    assert "\n" not in answer.decode().strip()  # one line, never the parser's list of character ranges
    if status == 405:  # and names the methods that are
        assert set(headers["Allow"].replace(" ", "").split(",")) >= {"GET", "POST"}


def test_service_and_remote_from_never_leave_the_server(server, listener):
    url, hits = listener
    for query in (f"SELECT * WHERE {{ SERVICE <{url}/sparql> {{ ?s ?p ?o }} }}",
                  f"SELECT * FROM <{url}/data.ttl> WHERE {{ ?s ?p ?o }}",
                  f"SELECT * FROM NAMED <{url}/data.ttl> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"):
        status, _, body = server.get(q(query))
        assert status == 400, body
        assert b"never" in body
    # the word SERVICE inside a string is data, not a keyword
    status, _, _ = server.get(q('SELECT * WHERE { BIND ("SERVICE" AS ?x) }'))
    assert status == 200
    assert hits == []


# Spellings of SERVICE that a scan of the text alone misreads, each one that Oxigraph itself
# reads as SERVICE (escapes inside a prefixed name, an IRI-looking '<' that is an operator, a
# comment ended by CR, mixed case, a keyword run into a number, the \u escape).
SERVICE_SPELLINGS = [
    r"PREFIX ex: <http://e/> SELECT * WHERE { VALUES ?z { ex:a\# } SERVICE <URL/q> { ?s ?p ?o } }",
    r"PREFIX ex: <http://e/> SELECT * WHERE { VALUES ?z { ex:a\' } SERVICE <URL/q> { ?s ?p ?o } } #'",
    "SELECT * WHERE { ?s ?p ?o FILTER(?a<'>') SERVICE <URL/q> { ?s ?p ?o } # '\n}",
    "SELECT * WHERE { ?s ?p ?o # a comment\r SERVICE <URL/q> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o SeRvIcE SILENT <URL/q> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?s ?p 1SERVICE <URL/q> { ?s ?p ?o } } }",
    r"SELECT * WHERE { ?s ?p ?o \u0053ERVICE <URL/q> { ?s ?p ?o } }",
]


@pytest.mark.parametrize("spelling", SERVICE_SPELLINGS)
def test_no_spelling_of_service_reaches_a_listener(server, writable, listener, spelling):
    url, hits = listener
    before = len(hits)
    query = spelling.replace("URL", url)
    update = "INSERT { <urn:x> <urn:y> ?o } WHERE " + query[query.index("{"):]
    answers = [
        server.get(q(query)),
        server.get("/sparql", method="POST", data=query.encode(), content_type="application/sparql-query"),
        server.get("/sparql", method="POST", data=urllib.parse.urlencode({"query": query}).encode(),
                   content_type="application/x-www-form-urlencoded"),
        writable.get("/sparql", method="POST", data=update.encode(), content_type="application/sparql-update",
                     headers={"Authorization": f"Bearer {TOKEN}"}),
    ]
    assert [status for status, _, _ in answers] == [400] * 4, [body for _, _, body in answers]
    assert len(hits) == before


def test_no_spelling_of_load_reaches_a_listener(writable, listener):
    url, hits = listener
    before = len(hits)
    for update in (f"LOAD <{url}/data.ttl>", f"lOaD SILENT <{url}/data.ttl> INTO GRAPH <urn:g>",
                   f"PREFIX ex: <http://e/> INSERT DATA {{ <urn:a> <urn:b> ex:a\\# }} ; LOAD <{url}/data.ttl>",
                   f"CLEAR SILENT GRAPH <urn:none> # x\r; LOAD <{url}/data.ttl>",
                   f"\\u004cOAD <{url}/data.ttl>"):
        status, _, body = writable.get("/sparql", method="POST", data=update.encode(), content_type="application/sparql-update",
                                       headers={"Authorization": f"Bearer {TOKEN}"})
        assert status == 400, (update, body)
    assert len(hits) == before


def test_a_named_query_input_cannot_carry_a_service_call(server, listener):
    url, hits = listener
    before = len(hits)
    hostile = f"urn:x> }} SERVICE <{url}/q> {{ ?s ?p ?o }} {{ <urn:y"
    status, _, _ = server.get("/api/queries/declaration-projects?declaration=" + urllib.parse.quote(hostile))
    assert status == 400
    assert len(hits) == before


def test_words_that_only_look_like_service_still_run(server):
    for query in ('SELECT * WHERE { BIND ("SERVICE" AS ?x) }',
                  "SELECT * WHERE { BIND ('''LOAD <http://x/> ; SERVICE''' AS ?x) } # SERVICE <http://x/>",
                  "SELECT ?level WHERE { ?level ?p gtf:satisfaction-service-recipients }",
                  "SELECT ?service WHERE { VALUES ?service { <http://example.org/service> } }"):
        status, _, body = server.get(q(query))
        assert status == 200, (query, body)


def test_load_is_refused_even_with_the_token(writable, listener):
    url, hits = listener
    status, _, body = writable.get("/sparql", method="POST", data=f"LOAD <{url}/data.ttl>".encode(),
                                   content_type="application/sparql-update", headers={"Authorization": f"Bearer {TOKEN}"})
    assert status == 400 and b"LOAD is not allowed" in body
    assert hits == []


def test_an_expensive_query_is_stopped_and_others_keep_being_answered(server):
    cartesian = q("SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }")
    outcome = {}

    def slow():
        started = time.monotonic()
        outcome["status"], _, outcome["body"] = server.get(cartesian)
        outcome["seconds"] = time.monotonic() - started
        outcome["done"] = time.monotonic()

    thread = threading.Thread(target=slow)
    thread.start()
    time.sleep(0.5)
    status, _, body = server.get(q("ASK { ?g gt:goalNumber 3 }"))
    cheap_done = time.monotonic()
    thread.join(120)
    assert status == 200 and b"true" in body
    # answered by another worker while the cartesian product ran: before it was stopped
    assert cheap_done < outcome["done"]
    assert outcome["status"] == 408 and b"stopped" in outcome["body"]
    assert outcome["seconds"] >= 2.9  # the server's limit is 3 s: never stopped before it
    for _ in range(3):  # the killed worker was replaced: the pool still answers
        assert server.get(q("ASK {}"))[0] == 200


def test_row_cap_says_it_truncated(server):
    status, headers, body = server.get(q("SELECT * WHERE { ?s ?p ?o }"))
    result = json.loads(body)
    assert status == 200 and len(result["results"]["bindings"]) == 1000  # the server's --row-limit
    assert result["truncated"] is True and headers["X-Goaltrace-Truncated"] == "true; limit=1000"
    status, headers, body = server.get(q("SELECT * WHERE { ?s ?p ?o } LIMIT 10"))
    assert "truncated" not in json.loads(body) and "X-Goaltrace-Truncated" not in headers


def test_request_size_limit(server):
    big = b"query=" + urllib.parse.quote("ASK {} #" + "x" * (2 << 20)).encode()
    status, _, _ = server.get("/sparql", method="POST", data=big, content_type="application/x-www-form-urlencoded")
    assert status == 413


def test_writes_need_the_right_token(writable):
    update = b'INSERT DATA { GRAPH <urn:test:g> { <urn:test:a> <urn:test:b> "c" } }'
    status, headers, _ = writable.get("/sparql", method="POST", data=update, content_type="application/sparql-update")
    assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer")
    status, _, _ = writable.get("/sparql", method="POST", data=update, content_type="application/sparql-update",
                                headers={"Authorization": "Bearer wrong-token"})
    assert status == 403
    assert json.loads(writable.get(q("ASK { GRAPH <urn:test:g> { ?s ?p ?o } }"))[2])["boolean"] is False
    status, _, _ = writable.get("/sparql", method="POST", data=update, content_type="application/sparql-update",
                                headers={"Authorization": f"Bearer {TOKEN}"})
    assert status == 200
    assert json.loads(writable.get(q("ASK { GRAPH <urn:test:g> { ?s ?p ?o } }"))[2])["boolean"] is True  # workers see the write
    status, _, body = writable.get("/sparql", accept="text/turtle")
    assert b"SPARQL11Update" in body


def test_the_authorization_scheme_is_read_in_any_case(writable):
    """RFC 7235 §2.1: the scheme's name is case-insensitive, and spaces may follow it."""
    for number, authorization in enumerate([f"bearer {TOKEN}", f"BEARER {TOKEN}", f"Bearer   {TOKEN}"]):
        update = f'INSERT DATA {{ GRAPH <urn:test:case> {{ <urn:test:a> <urn:test:b> {number} }} }}'.encode()
        status, _, body = writable.get("/sparql", method="POST", data=update, content_type="application/sparql-update",
                                       headers={"Authorization": authorization})
        assert status == 200, (authorization, body)
    for authorization in ["Basic dXNlcjpwYXNz", "bearer", "Bearer ", f"Bearer{TOKEN}"]:
        status, headers, _ = writable.get("/sparql", method="POST", data=b"CLEAR GRAPH <urn:test:case>",
                                          content_type="application/sparql-update", headers={"Authorization": authorization})
        assert status == 401 and headers["WWW-Authenticate"].startswith("Bearer"), authorization
    assert writable.get("/sparql", method="POST", data=b"CLEAR GRAPH <urn:test:case>", content_type="application/sparql-update",
                        headers={"Authorization": f"bearer {TOKEN}x"})[0] == 403


def test_from_in_the_query_chooses_the_dataset(server):
    graph = "https://w3id.org/goaltrace/id/秀山土家族苗族自治县司法局/2023/form/project/法律援助"
    status, _, body = server.get(q(f"SELECT (COUNT(*) AS ?n) FROM <{graph}> WHERE {{ ?i a gt:Indicator }}"))
    assert status == 200 and json.loads(body)["results"]["bindings"][0]["n"]["value"] == "6"  # not all 65


def test_graph_store_protocol_lets_a_curator_replace_one_form(writable):
    form = "https://w3id.org/goaltrace/id/秀山土家族苗族自治县司法局/2023/form/project/人民调解"
    path = "/graph-store?graph=" + urllib.parse.quote(form, safe="")
    status, headers, original = writable.get(path, accept="text/turtle")
    assert status == 200 and headers["Content-Type"].startswith("text/turtle")
    graph = rdflib.Graph().parse(data=original, format="turtle")
    indicators = set(graph.subjects(rdflib.RDF.type, rdflib.URIRef("https://w3id.org/goaltrace/ontology#Indicator")))
    assert len(indicators) == 4
    # drop one indicator from the form, and put the graph back as one step
    dropped = sorted(indicators)[0]
    for triple in list(graph.triples((dropped, None, None))):
        graph.remove(triple)
    revised = graph.serialize(format="turtle").encode()
    assert writable.get(path, method="PUT", data=revised, content_type="text/turtle")[0] == 401
    assert writable.get(path, method="PUT", data=revised, content_type="text/turtle",
                        headers={"Authorization": "Bearer nope"})[0] == 403
    status, _, body = writable.get(path, method="PUT", data=b"<a> <b> .", content_type="text/turtle",
                                   headers={"Authorization": f"Bearer {TOKEN}"})
    assert status == 400 and b"line 1" in body
    status, _, _ = writable.get(path, method="PUT", data=revised, content_type="text/turtle",
                                headers={"Authorization": f"Bearer {TOKEN}"})
    assert status == 204
    status, _, body = writable.get("/api/projects/人民调解")
    assert len(json.loads(body)["indicators"]) == 3  # pages and API see the replaced graph
    status, _, body = writable.get(q(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{form}> {{ ?i a gt:Indicator }} }}"))
    assert json.loads(body)["results"]["bindings"][0]["n"]["value"] == "3"
    # a new graph, then deleted
    scratch = "/graph-store?graph=" + urllib.parse.quote("urn:goaltrace:scratch", safe="")
    assert writable.get(scratch, method="POST", data=b'<urn:a> <urn:b> "c" .', content_type="application/n-triples",
                        headers={"Authorization": f"Bearer {TOKEN}"})[0] == 201
    assert writable.get(scratch, method="DELETE", headers={"Authorization": f"Bearer {TOKEN}"})[0] == 204
    assert writable.get(scratch)[0] == 404


@pytest.mark.parametrize("query, fmt, extension, media", [
    ("SELECT ?n WHERE { ?g gt:goalNumber ?n }", "json", "json", "application/json"),
    ("SELECT ?n WHERE { ?g gt:goalNumber ?n }", "tsv", "tsv", "text/tab-separated-values"),
    ("SELECT ?n WHERE { ?g gt:goalNumber ?n }", "xml", "srx", "application/sparql-results+xml"),
    ("CONSTRUCT WHERE { ?g gt:goalNumber ?n }", "turtle", "ttl", "text/turtle"),
    ("CONSTRUCT WHERE { ?g gt:goalNumber ?n }", "ntriples", "nt", "application/n-triples"),
])
def test_the_query_page_downloads_every_format_and_says_how_long_a_query_took(server, query, fmt, extension, media):
    status, headers, body = server.get(q(query) + f"&format={fmt}&download=1")
    assert status == 200 and headers["Content-Type"].startswith(media)
    assert headers["Content-Disposition"] == f'attachment; filename="query.{extension}"'
    assert re.fullmatch(r"query;dur=\d+\.\d", headers["Server-Timing"])
    assert body.count(b"goalNumber" if fmt in ("turtle", "ntriples") else b"3") >= 1


def test_an_answer_asked_again_is_never_older_than_the_store(writable):
    """Answers are kept and given again until the store changes (`--result-cache`): a write
    makes the next answer new, and a query whose answer changes by itself is run each time."""
    count = q("SELECT (COUNT(*) AS ?n) WHERE { GRAPH <urn:test:kept> { ?s ?p ?o } }")

    def counted() -> str:
        status, _, body = writable.get(count, accept="application/sparql-results+json")
        assert status == 200
        return json.loads(body)["results"]["bindings"][0]["n"]["value"]

    assert counted() == counted() == "0"
    update = b'INSERT DATA { GRAPH <urn:test:kept> { <urn:test:a> <urn:test:b> "c" } }'
    status, _, _ = writable.get("/sparql", method="POST", data=update, content_type="application/sparql-update",
                                headers={"Authorization": f"Bearer {TOKEN}"})
    assert status == 200 and counted() == "1"
    fresh = [json.loads(writable.get(q("SELECT (STRUUID() AS ?u) WHERE {}"))[2])["results"]["bindings"][0]["u"]["value"]
             for _ in range(2)]
    assert fresh[0] != fresh[1]


@pytest.mark.parametrize("query", ["SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g ORDER BY ?g LIMIT 2",
                                   "ASK { ?s ?p ?o }", "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o } LIMIT 2",
                                   "SELEC nonsense", "SELECT * WHERE { SERVICE <http://127.0.0.1:9/> { ?s ?p ?o } }"])
def test_a_plain_query_is_answered_as_with_any_other_parameter(server, query):
    """``GET /sparql?query=…`` alone takes a leaner path through the server than a request with
    more parameters; both give the same answer, headers and all."""
    for accept in ("application/sparql-results+json", "text/csv", "text/turtle", None):
        plain = server.get(q(query), accept=accept)
        other = server.get(q(query) + "&timeout=", accept=accept)
        assert plain[0] == other[0] and plain[2] == other[2], (accept, plain[0], other[0])
        assert {k: v for k, v in plain[1].items() if k not in ("Date", "Server-Timing")} == \
            {k: v for k, v in other[1].items() if k not in ("Date", "Server-Timing")}
