"""The query layer: every query the program runs is a named query with its inputs bound, and
pages and the API run theirs under the time limit and the row cap that /sparql has."""

import json
import re
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pyoxigraph as ox
import pytest

from conftest import Server, run_goaltrace
from goaltrace.graph.store import Store
from goaltrace.ingest.importing import open_store
from goaltrace.query.named import QueryLayerError, named_queries, prepare

SERVICE = Path(__file__).parents[2] / "service" / "goaltrace"
XIUSHAN = "https://w3id.org/goaltrace/id/declaration/"


def test_no_sparql_text_outside_the_query_files():
    """SPARQL is written in data/queries only; the one exception is the remote store's adapter,
    which turns Oxigraph's quad-pattern calls into protocol requests."""
    spliced = []
    for path in SERVICE.rglob("*.py"):
        if path.name == "endpoint.py":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if re.search(r"\b(SELECT|ASK|CONSTRUCT|DESCRIBE)\b[^\"']*\bWHERE\b|\bWHERE\s*\{", line):
                spliced.append(f"{path.relative_to(SERVICE)}:{number}: {line.strip()}")
    assert spliced == []


def test_every_named_query_declares_inputs_it_uses_and_parses():
    store = Store.open(":memory:")
    for name, query in named_queries().items():
        assert query.title != name and query.description, name
        for variable in query.inputs:
            assert f"?{variable}" in query.text, (name, variable)
        store.run(name)  # parses and runs over an empty store


def test_inputs_are_bound_as_values_never_spliced():
    hostile = 'x" } ; DROP ALL ; SELECT * WHERE { "'
    text = prepare("declarations-page", {"wanted": ox.Literal(hostile), "wantedYear": ox.Literal("")}, limit=5)
    assert "VALUES (?wanted ?wantedYear)" in text and text.rstrip().endswith("LIMIT 5 OFFSET 0")
    assert open_store(None).run("declarations-page", {"wanted": ox.Literal(hostile), "wantedYear": ox.Literal("")}) == []
    with pytest.raises(QueryLayerError, match="takes no input project; its inputs: declaration"):
        prepare("declaration-goals", {"project": ox.NamedNode("http://example.org/p")})
    with pytest.raises(QueryLayerError, match="no named query"):
        prepare("no-such-query")


def test_the_report_and_the_rendering_never_load_the_web_app():
    code = ("import sys, goaltrace.answers.report, goaltrace.rendering.html, goaltrace.rendering.markdown, goaltrace.cli; "
            "print([m for m in sys.modules if m.startswith(('goaltrace.web', 'flask'))])")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


@pytest.fixture(scope="module")
def bundled():
    server = Server()
    yield server
    server.stop()


def test_a_named_query_runs_with_its_inputs_from_the_url(bundled):
    status, _, body = bundled.get("/api/declarations")
    declaration = json.loads(body)[0]["iri"]
    status, _, body = bundled.get(f"/api/queries/declaration-goals?declaration={quote(declaration, safe='')}")
    answer = json.loads(body)
    assert status == 200 and [r["number"] for r in answer["rows"]] == ["1", "2", "3"]  # the seed states 目标1–目标3
    status, _, body = bundled.get("/api/queries/declaration-goals?project=x")
    assert status == 400 and "allowed here: declaration, format" in json.loads(body)["error"]
    status, _, body = bundled.get("/api/queries/declaration-goals?declaration=not%20an%20iri")
    assert status == 400 and "must be an IRI" in json.loads(body)["error"]


@pytest.fixture(scope="module")
def corpus_store(tmp_path_factory) -> str:
    """40 generated declarations (2,600 indicators): a corpus-wide table pages past its first
    thousand rows, and a cartesian query over the store cannot end within a second anywhere."""
    folder = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(Path(__file__).parents[2] / "bench" / "generate.py"), str(folder / "forms"),
                    "--declarations", "40"], check=True, capture_output=True)
    run_goaltrace("import", "--store", str(folder / "store"), str(folder / "forms"), check=True)
    return str(folder / "store")


def test_pages_and_the_api_stop_at_the_time_limit_as_sparql_does(corpus_store):
    """Under a 0.5 s limit, a query over the whole store is stopped with a 408 and the server
    goes on answering (a named query past the limit: `test_a_page_stops_at_the_time_limit`). The questions
    about one department and the first pages of a corpus-wide table (read a declaration at a
    time) answer without the work of a whole-corpus query; how fast they answer is measured in
    bench/web_scale.py, not here, so that a loaded machine cannot fail this test."""
    server = Server("--store", corpus_store, "--query-timeout", "0.5", "--query-workers", "2")
    try:
        cartesian = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f }"
        for _ in range(2):  # the worker the first killed is replaced; the second is stopped as well
            status, _, body = server.get("/sparql?query=" + quote(cartesian), accept="application/sparql-results+json")
            # stopped at the limit, or (on a loaded machine, while the killed worker restarts)
            # after waiting out the same limit for a free worker
            assert status == 408 and (b"ran longer than 0.5 s" in body or b"stayed busy for 0.5 s" in body), \
                (status, body[:300])
        # the workers those queries killed are replaced in the background: the server answers again
        deadline = time.monotonic() + 60
        while server.get("/")[0] == 408 and time.monotonic() < deadline:
            time.sleep(0.5)
        assert server.get("/")[0] == 200
    finally:
        server.stop()
    server = Server("--store", corpus_store, "--query-timeout", "60", "--query-workers", "2")
    try:
        declaration = json.loads(server.get("/api/declarations?limit=1")[2])[0]
        chosen = f"department={quote(declaration['department'])}&year={declaration['year']}"
        for path in (f"/report?{chosen}", f"/api/goals?{chosen}", f"/api/indicators?{chosen}&limit=5",
                     "/api/indicators?limit=1000", "/api/indicators?limit=1000&offset=1000"):
            status, _, body = server.get(path)
            assert status == 200, (path, status, body[:300])
    finally:
        server.stop()


def test_a_page_stops_at_the_time_limit(corpus_store):
    """A limit no query can meet: the home page (HTML) and the API answer 408, never a 500."""
    server = Server("--store", corpus_store, "--query-timeout", "0", "--query-workers", "2")
    try:
        status, headers, body = server.get("/", accept="text/html")
        assert status == 408 and headers["Content-Type"].startswith("text/html") and " 0 s" in body.decode()
        status, headers, body = server.get("/api/indicators?limit=5")
        error = json.loads(body)["error"]  # stopped running, or stopped waiting for a worker
        assert status == 408 and ("longer than 0 s" in error or "stayed busy for 0 s" in error), error
    finally:
        server.stop()


def test_a_page_whose_answer_passes_the_row_cap_says_so_and_tables_page_within_it():
    server = Server("--row-limit", "5")
    try:
        status, _, body = server.get("/api/goals/1/projects", accept="application/json")
        assert status == 503 and "more than 5 rows" in json.loads(body)["error"]
        status, headers, body = server.get("/api/indicators?limit=100")
        assert status == 200 and len(json.loads(body)) == 4  # a page is cut to fit the cap, with a next link
        assert "offset=4" in headers["Link"]
    finally:
        server.stop()
