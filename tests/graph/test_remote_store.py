"""A SPARQL 1.1 server as the store: every command gives the same answer over the data kept
in `oxigraph serve` as over the same data held by goaltrace itself; writes reach the server;
a server that goes away is a clear error, never a traceback or a 500."""

import json

import pytest

from conftest import BUNDLED, SEED, OxigraphServer, Server, import_while_serving, run_goaltrace

# every named query but those about the store's own history, whose times differ by construction
# left out: the import record, whose identifiers differ between two imports, and inbound-links,
# which without its entity lists every link in the store, the import record's too (its pages
# are compared on both stores in test_linked_data.py)
# (left out: those that answer with when each store was imported, which differs; entity-statements
# asked of no entity lists every statement, the import record's times among them)
QUERIES = sorted(p.stem for p in (SEED.parents[1] / "queries").glob("*.rq")
                 if p.stem not in ("import-history", "store-changed", "inbound-links", "entity-statements"))
HISTORY = "<https://w3id.org/goaltrace/id/history> ."


def answer(store: str | None, *command: str) -> str:
    result = run_goaltrace(*command, *(("--store", store) if store else ()))
    assert result.returncode == (1 if command[0] == "validate" else 0), result.stderr_text  # the seed has violations
    return result.stdout_text


@pytest.mark.parametrize("command", [
    ("export", "indicators", "--format", "json"),
    ("export", "funds", "--format", "csv"),
    ("validate", "--format", "json", "--workers", "1"),
    ("trace", "goal", "1", "--format", "json"),
    ("trace", "goal", "3", "--format", "markdown"),
    ("trace", "indicators", "--format", "json"),
    ("report", "--format", "markdown"),
    ("query", "declaration-goals", "--format", "csv"),
])
def test_same_answers_embedded_and_remote(bundled_store, remote_store, command):
    embedded = answer(bundled_store, *command)
    assert embedded.strip()
    if command[0] == "query":  # rows of an unordered query may come in another order
        assert sorted(answer(remote_store, *command).splitlines()) == sorted(embedded.splitlines())
    else:
        assert answer(remote_store, *command) == embedded


def test_every_named_query_answers_the_same_embedded_and_remote(bundled_store, remote_store):
    """Every named query, through the one query path both stores share (the command line's
    formatting of the answers is the same code for both, checked above)."""
    from goaltrace.graph.store import Store

    def rows(store: Store, name: str) -> list:
        return sorted(str(sorted((k, str(v)) for k, v in row.items())) for row in store.run(name))

    embedded, remote = Store.open(bundled_store, read_only=True), Store.open(remote_store, read_only=True)
    differ = [name for name in QUERIES if rows(embedded, name) != rows(remote, name)]
    assert differ == []
    assert sum(1 for name in QUERIES if rows(embedded, name)) > len(QUERIES) // 2  # most have answers to compare


def test_the_whole_graph_is_the_same(remote_store):
    embedded = answer(None, "export", "graph", "--format", "nquads")
    remote = answer(remote_store, "export", "graph", "--format", "nquads")
    assert len(embedded.splitlines()) > 1500
    assert sorted(r for r in remote.splitlines() if not r.endswith(HISTORY)) == \
        sorted(e for e in embedded.splitlines() if not e.endswith(HISTORY))


@pytest.fixture
def oxigraph(tmp_path):
    server = OxigraphServer(tmp_path / "oxigraph")
    yield server
    server.stop()


def test_reimport_replaces_a_declaration_on_the_server(oxigraph, tmp_path, seed_text):
    run_goaltrace("import", "--store", oxigraph.url, *BUNDLED, check=True)
    changed = tmp_path / "changed.txt"
    changed.write_text(seed_text.replace("法律援助办结案件数量\t≥\t800件", "法律援助办结案件数量\t≥\t900件"), encoding="utf-8")
    run_goaltrace("import", "--store", oxigraph.url, str(changed), check=True)
    rows = json.loads(answer(oxigraph.url, "export", "indicators", "--format", "json"))
    assert len(rows) == 65
    assert [r["value"] for r in rows if r["indicator"] == "法律援助办结案件数量"] == [900]


def test_a_bulk_import_of_many_declarations_reaches_the_server(oxigraph, tmp_path, seed_text):
    for n in range(5):
        (tmp_path / f"d{n}.txt").write_text(seed_text.replace("秀山土家族苗族自治县司法局", f"远程测试县{n}司法局"), encoding="utf-8")
    run_goaltrace("import", "--store", oxigraph.url, *(str(tmp_path / f"d{n}.txt") for n in range(5)), check=True)
    assert run_goaltrace("repair", "--store", oxigraph.url, check=True).stdout_text.endswith("nothing to repair\n")
    rows = json.loads(answer(oxigraph.url, "export", "indicators", "--format", "json"))
    assert {r["department"] for r in rows} == {f"远程测试县{n}司法局" for n in range(5)} and len(rows) == 5 * 65


def test_bad_input_leaves_the_server_as_it_was(oxigraph, tmp_path, seed_text):
    run_goaltrace("import", "--store", oxigraph.url, *BUNDLED, check=True)
    before = sorted(answer(oxigraph.url, "export", "graph", "--format", "nquads").splitlines())
    broken = tmp_path / "broken.txt"
    broken.write_text(seed_text[: len(seed_text) // 2], encoding="utf-8")
    result = run_goaltrace("import", "--store", oxigraph.url, str(SEED), str(broken))
    assert result.returncode == 2 and result.stderr_text.startswith(f"{broken}:")
    assert sorted(answer(oxigraph.url, "export", "graph", "--format", "nquads").splitlines()) == before


def test_updates_through_goaltrace_reach_the_server(oxigraph):
    run_goaltrace("import", "--store", oxigraph.url, *BUNDLED, check=True)
    token = "a-test-token-of-some-length"
    import os

    server = Server("--store", oxigraph.url, "--allow-update", env={**os.environ, "GOALTRACE_TOKEN": token})
    try:
        auth = {"Authorization": f"Bearer {token}"}
        status, _, _ = server.get("/sparql", method="POST", content_type="application/sparql-update", headers=auth,
                                  data='INSERT DATA { GRAPH <urn:x:notes> { <urn:x:a> rdfs:label "注" } }'.encode())
        assert status == 200
        status, _, body = server.get("/graph-store?graph=urn:x:notes", accept="application/n-triples")
        assert status == 200 and "注" in body.decode()
        assert server.get("/graph-store?graph=urn:x:notes", method="DELETE", headers=auth)[0] == 204
    finally:
        server.stop()
    assert "urn:x:notes" not in answer(oxigraph.url, "export", "graph", "--format", "nquads")


def test_a_server_that_goes_away_is_a_clear_error(tmp_path):
    oxigraph = OxigraphServer(tmp_path / "oxigraph")
    run_goaltrace("import", "--store", oxigraph.url, *BUNDLED, check=True)
    server = Server("--store", oxigraph.url)
    try:
        assert server.get("/api/goals")[0] == 200
        oxigraph.stop()
        status, _, body = server.get("/api/goals")
        assert status == 502 and "cannot reach the SPARQL endpoint" in json.loads(body)["error"]
        status, _, body = server.get("/sparql?query=ASK%7B%7D")
        assert status == 502 and b"cannot reach the SPARQL endpoint" in body
        status, _, body = server.get("/", accept="text/html")
        assert status == 502 and b"Traceback" not in body
    finally:
        server.stop()
    result = run_goaltrace("export", "funds", "--store", oxigraph.url)
    assert result.returncode == 1 and result.stderr_text.count("\n") == 1 and "cannot reach" in result.stderr_text


def test_a_server_without_goaltrace_data_is_named_as_such(oxigraph):
    result = run_goaltrace("export", "funds", "--store", oxigraph.url)
    assert result.returncode == 1
    assert result.stderr_text == f"goaltrace: {oxigraph.url}: no goaltrace data at this SPARQL endpoint yet (run 'goaltrace import --store {oxigraph.url} FILE…')\n"


def test_a_server_on_a_remote_store_sees_an_import_within_seconds(oxigraph, tmp_path, seed_text):
    run_goaltrace("import", "--store", oxigraph.url, str(SEED), check=True)
    server = Server("--store", oxigraph.url)
    try:
        before, years, headers = import_while_serving(server, oxigraph.url, seed_text, tmp_path)
        assert years == [2023, 2024] and headers["X-Goaltrace-Store-Changed"] > before
        history = json.loads(run_goaltrace("history", "--format", "json", "--store", oxigraph.url, check=True).stdout_text)
        assert len(history) == 2 and history[0]["added"][0].endswith("/2024")
    finally:
        server.stop()
