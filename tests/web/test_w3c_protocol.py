"""The W3C SPARQL 1.1 Protocol test suite, replayed over HTTP against `goaltrace serve`.

The manifest describes each test as HTTP requests (method, path, headers, body) and the
response expected (status class, result format, ASK boolean). Query tests run against a
read-only server holding the suite's data graphs; update tests against a server started with
--allow-update, the runner adding the bearer token the suite cannot know about.
"""

import json
import os
import re
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib import RDF, RDFS, Namespace
from rdflib.collection import Collection

from conftest import Server

SUITE = Path(__file__).parents[1] / "w3c" / "sparql" / "sparql11" / "protocol"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")
TOKEN = "w3c-protocol-token"


def load_manifest():
    g = rdflib.Graph().parse(SUITE / "manifest.ttl", format="turtle", publicID="http://www.w3.org/2009/sparql/docs/tests/data-sparql11/protocol/manifest.ttl")
    manifest = next(g.subjects(RDF.type, MF.Manifest))
    tests = []
    for test in Collection(g, g.value(manifest, MF.entries)):
        name = str(test).rpartition("#")[2]
        requests = []
        for request in Collection(g, g.value(g.value(test, MF.action), HT.requests)):
            headers = {}
            header_list = g.value(request, HT.headers)
            if header_list is not None:
                for header in Collection(g, header_list):
                    headers[str(g.value(header, HT.fieldName)).lower()] = str(g.value(header, HT.fieldValue))
            body = g.value(request, HT.body)
            response = g.value(request, HT.resp)
            requests.append({
                "method": str(g.value(request, HT.methodName)),
                "path": str(g.value(request, HT.absolutePath)).replace("/sparql/", "/sparql", 1),
                "headers": headers,
                "body": None if body is None else (str(g.value(body, CNT.chars)), str(g.value(body, CNT.characterEncoding) or "UTF-8")),
                "status": sorted(str(s).rpartition("StatusCode")[2][0] for s in g.objects(response, MF.expectedStatus)),
                "format": str(g.value(response, MF.expectedFormat) or ""),
                "boolean": g.value(response, MF.expectedBoolean),
            })
        data = [(str(g.value(d, RDFS.label)), SUITE / str(g.value(d, UT.graph)).rpartition("/")[2]) for d in g.objects(test, UT.graphData)]
        tests.append({"name": name, "title": str(g.value(test, MF.name)), "requests": requests, "data": data})
    return tests


TESTS = load_manifest()


def test_the_manifest_holds_34_tests():
    assert len(TESTS) == 34
    assert sum(t["name"].startswith("update") or "update" in t["name"] for t in TESTS) == 14


def _store_with_suite_data(path: Path):
    store = ox.Store(str(path))
    for test in TESTS:
        for graph, file in test["data"]:
            store.load(file.read_bytes(), ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(graph))
    store.flush()
    del store


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    read_only_store = tmp_path_factory.mktemp("w3c") / "query-store"
    _store_with_suite_data(read_only_store)
    update_store = tmp_path_factory.mktemp("w3c") / "update-store"
    _store_with_suite_data(update_store)
    query_server = Server("--store", str(read_only_store))
    update_server = Server("--store", str(update_store), "--allow-update", env={**os.environ, "GOALTRACE_TOKEN": TOKEN})
    yield query_server, update_server
    query_server.stop()
    update_server.stop()


RESULT_TYPES = {"application/sparql-results+json", "application/json", "application/sparql-results+xml",
                "application/xml", "text/csv", "text/tab-separated-values"}
RDF_TYPES = {"text/turtle", "application/n-triples", "application/ld+json", "application/rdf+xml", "application/n-quads"}


def _boolean(body: bytes, media: str) -> bool | None:
    text = body.decode("utf-8")
    if "json" in media:
        return json.loads(text).get("boolean")
    match = re.search(r"<boolean>(true|false)</boolean>", text)
    return None if match is None else match.group(1) == "true"


def run(test, server) -> list[str]:
    """Replay a test's requests; the list of what went wrong (empty when it passes)."""
    problems = []
    is_update_test = "update" in test["name"]
    for n, r in enumerate(test["requests"], 1):
        headers = dict(r["headers"])
        data = None
        if r["body"] is not None:
            chars, encoding = r["body"]
            data = chars.encode("utf-16" if "16" in encoding or "utf-16" in headers.get("content-type", "").lower() else "utf-8")
        if is_update_test:
            headers["authorization"] = f"Bearer {TOKEN}"
        status, response_headers, body = server.get(
            r["path"], method=r["method"], data=data, accept=headers.pop("accept", None),
            content_type=headers.pop("content-type", None), headers=headers)
        if str(status)[0] not in r["status"]:
            problems.append(f"request {n}: status {status}, expected {'/'.join(s + 'xx' for s in r['status'])}: {body[:200]!r}")
            continue
        media = (response_headers.get("Content-Type") or "").split(";")[0].strip()
        if r["format"] in ("boolean", "tabular") and media not in RESULT_TYPES:
            problems.append(f"request {n}: {media} is not a SPARQL results format")
        if r["format"] == "RDF" and media not in RDF_TYPES:
            problems.append(f"request {n}: {media} is not an RDF format")
        if r["boolean"] is not None and _boolean(body, media) != r["boolean"].toPython():
            problems.append(f"request {n}: ASK answered {_boolean(body, media)}, expected {r['boolean']}")
    return problems


@pytest.mark.parametrize("test", TESTS, ids=[t["name"] for t in TESTS])
def test_protocol(test, servers):
    query_server, update_server = servers
    server = update_server if "update" in test["name"] else query_server
    assert run(test, server) == [], test["title"]
