"""Real SPARQL clients against `goaltrace serve` over loopback: SPARQLWrapper and rdflib."""

import pytest
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from SPARQLWrapper import CSV, JSON, TURTLE, XML, SPARQLWrapper

from conftest import Server

GOAL3_PROJECTS = """
PREFIX gt: <https://w3id.org/goaltrace/ontology#>
SELECT ?name ?basis WHERE {
  ?p gt:qualifiedContribution ?l ; gt:projectName ?name .
  ?l gt:goal/gt:goalNumber 3 ; gt:basis/<http://www.w3.org/2004/02/skos/core#notation> ?basis .
} ORDER BY ?basis ?name
"""


@pytest.fixture(scope="module")
def readme_server():
    """`goaltrace serve` as the README's Quickstart starts it, on a free port instead of 8000."""
    running = Server()
    yield running
    running.stop()


def test_sparqlwrapper(readme_server):
    server = readme_server
    client = SPARQLWrapper(server.base + "/sparql")
    client.setQuery(GOAL3_PROJECTS)
    client.setReturnFormat(JSON)
    rows = client.queryAndConvert()["results"]["bindings"]
    assert [(r["name"]["value"], r["basis"]["value"]) for r in rows] == [
        ("社区矫正对象管理费", "curated"), ("社区矫正社会工作者工作经费", "curated"), ("转移支付资金", "declared")]
    client.setReturnFormat(XML)
    assert len(client.queryAndConvert().getElementsByTagName("result")) == 3
    client.setReturnFormat(CSV)
    assert client.queryAndConvert().decode().splitlines()[0] == "name,basis"
    client.setMethod("POST")
    client.setQuery("CONSTRUCT { ?g <urn:n> ?n } WHERE { ?g <https://w3id.org/goaltrace/ontology#goalNumber> ?n }")
    client.setReturnFormat(TURTLE)
    assert len(rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle")) == 3


def test_rdflib_sparqlstore(readme_server):
    server = readme_server
    graph = rdflib.Graph(store=SPARQLStore(server.base + "/sparql", returnFormat="json"))
    rows = list(graph.query("""
        PREFIX gt: <https://w3id.org/goaltrace/ontology#>
        SELECT (SUM(?amount) AS ?total) WHERE {
          ?f gt:forProject ?p ; gt:fundSource <https://w3id.org/goaltrace/framework/source-all> ; gt:amount ?amount }"""))
    assert float(rows[0][0]) == 643.3
    assert graph.query("ASK { ?s a <https://w3id.org/goaltrace/ontology#Indicator> }").askAnswer is True
