"""SPARQL that round-trips: every name `goaltrace query` prints in a table can be pasted into a
query as it is, and a query with a mistake gets one line saying what and where, never the
parser's list of character ranges."""

import re

import pyoxigraph as ox
import pytest

from goaltrace.graph.sparql_syntax import sparql_name, syntax_error_message
from goaltrace.graph.store import Store
from goaltrace.query.run import QueryError, run_query

ID = "https://w3id.org/goaltrace/id/"


@pytest.fixture(scope="module")
def store(bundled_store):
    return Store.open(bundled_store, read_only=True)


def test_every_printed_name_pastes_back(store):
    """Names of entities (slashes in their paths), classes, properties and concepts, as the
    table prints them, each found again by a query that holds it."""
    table = run_query(store, "SELECT DISTINCT ?s ?p ?o WHERE { ?s a gt:Project ; ?p ?o }", "table", None)
    names = set(re.findall(r"<[^<>\s]+>|\b[a-z]+:[^\s|<>]*", table))
    assert any(n.startswith(f"<{ID}") for n in names) and "gt:Project" in names
    assert len(names) > 20
    values = " ".join(sorted(names))
    found = run_query(store, f"SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE {{ VALUES ?x {{ {values} }} "
                             "{ ?x ?p1 ?o1 } UNION { ?s2 ?x ?o2 } UNION { ?s3 ?p3 ?x } }", "csv")
    assert found.splitlines()[1] == str(len(names))


@pytest.mark.parametrize("iri, name", [
    ("https://w3id.org/goaltrace/ontology#Project", "gt:Project"),
    (ID + "秀山土家族苗族自治县司法局", "id:秀山土家族苗族自治县司法局"),
    (ID + "秀山土家族苗族自治县司法局/2023/goal/3", f"<{ID}秀山土家族苗族自治县司法局/2023/goal/3>"),
    ("https://w3id.org/goaltrace/framework/ends-with-a-dot.", "<https://w3id.org/goaltrace/framework/ends-with-a-dot.>"),
    ("http://example.org/x", "<http://example.org/x>"),
])
def test_a_name_is_prefixed_only_where_sparql_takes_it(iri, name):
    assert sparql_name(iri) == name


@pytest.mark.parametrize("text, message", [
    ("SELECT * WHERE {\n  ?s foo:bar ?o }",
     ("query syntax error at 2:6: unknown prefix 'foo:'; known: gt:, gtf:, id:, rdf:, rdfs:, xsd:, owl:, skos:, prov:, "
     "org:, qb:, sh:, dct:, gtc:")),
    ("PREFIX ex: <http://example.org/>\nSELECT * WHERE { ?s ex:p nope: }",
     ("query syntax error at 2:26: unknown prefix 'nope:'; known: gt:, gtf:, id:, rdf:, rdfs:, xsd:, owl:, skos:, prov:, "
     "org:, qb:, sh:, dct:, gtc:, ex:")),
    ("SELECT * WHERE { id:秀山土家族苗族自治县司法局/2023/goal/3 ?p ?o }",
     ("query syntax error at 1:18: 'id:秀山土家族苗族自治县司法局/2023/goal/3' is not a prefixed name (its local part "
     "cannot hold '/' as it is): write the full <IRI>, or \\/")),
    ("SELECT ?s WHERE { ?s ?p ?o } LIMIT ten",
     "query syntax error at 1:36: expected one of HAVING, OFFSET, OPTIONAL, VALUES, a name; found 'ten'"),
])
def test_a_syntax_error_is_one_line_naming_what_and_where(store, text, message):
    with pytest.raises(QueryError) as caught:
        run_query(store, text, "table")
    assert str(caught.value) == message


def test_the_parser_character_ranges_never_show():
    try:
        ox.Store().query('SELECT * WHERE { ?s ?p "open }')
    except SyntaxError as error:
        message = syntax_error_message(error, 'SELECT * WHERE { ?s ?p "open }')
    assert message.startswith("query syntax error at 1:") and "\n" not in message and "u{" not in message
