"""The amounts are RDF Data Cube done properly: every observation belongs to a data set with a
data structure definition, and the W3C integrity constraints IC-1…IC-21 (tests/datacube/, written
from the specification) hold over the bundled declaration and over a generated corpus.

Each constraint is also shown to catch the breakage it names, so that a query that could never
answer true would fail here."""

import sys
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import run_goaltrace

ROOT = Path(__file__).parents[2]
CUBE = Path(__file__).parents[1] / "datacube"
CONSTRAINTS = sorted(p for p in CUBE.glob("ic-*.rq") if "$parentChild" not in p.read_text(encoding="utf-8"))
HIERARCHY_CONSTRAINTS = sorted(p for p in CUBE.glob("ic-*.rq") if "$parentChild" in p.read_text(encoding="utf-8"))
QB = "http://purl.org/linked-data/cube#"
GT = "https://w3id.org/goaltrace/ontology#"


def exported(store: str) -> bytes:
    return run_goaltrace("export", "graph", "--format", "turtle", "--with-vocabulary", "--store", store, check=True).stdout


def normalized(turtle: bytes) -> ox.Store:
    """The graph in a store of its own, brought to the normal form the constraints presuppose."""
    graph = ox.Store()
    graph.load(turtle, ox.RdfFormat.TURTLE)
    for step in sorted(CUBE.glob("normalize-*.ru")):
        graph.update(step.read_text(encoding="utf-8"))
    return graph


def broken(graph: ox.Store) -> list[str]:
    """The names of the constraints the graph breaks."""
    names = [path.stem for path in CONSTRAINTS if graph.query(path.read_text(encoding="utf-8"))]
    hierarchies = graph.query((CUBE / "hierarchical-code-lists.rq").read_text(encoding="utf-8"))
    for row in hierarchies:  # IC-20 for a parent-child property, IC-21 for one stated as an inverse
        path = HIERARCHY_CONSTRAINTS[1 if row["inverse"].value == "true" else 0]
        text = path.read_text(encoding="utf-8").replace("$list", str(row["list"]))
        if graph.query(text.replace("<$parentChild>", str(row["parentChild"]))):
            names.append(path.stem)
    return names


@pytest.fixture(scope="module")
def bundled(tmp_path_factory) -> bytes:
    store = str(tmp_path_factory.mktemp("cube") / "store")
    run_goaltrace("import", "--store", store, str(ROOT / "data" / "forms"), str(ROOT / "data" / "alignments"), check=True)
    return exported(store)


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> bytes:
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    folder = tmp_path_factory.mktemp("cube-corpus")
    generate(folder / "forms", 12, seed=7)
    store = str(folder / "store")
    run_goaltrace("import", "--store", store, str(folder / "forms"), check=True)
    return exported(store)


def count(graph: ox.Store, pattern: str) -> int:
    return int(next(iter(graph.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {pattern} }}")))["n"].value)


def test_every_amount_of_the_bundled_declaration_is_in_a_data_set_with_a_structure(bundled):
    graph = normalized(bundled)
    # the seed's department form: 5 amounts (total, basic ×2, project ×2); its eight project
    # forms: a total and an appropriation each, 16; the shares: one per level 1 a project weights
    assert count(graph, f"?o a <{GT}FundAmount> ; <{QB}dataSet> ?ds") == 21
    assert count(graph, f"?o a <{GT}DimensionShare> ; <{QB}dataSet> ?ds") == count(graph, f"?o a <{GT}DimensionShare>") > 0
    assert count(graph, f"?ds a <{QB}DataSet> ; <{QB}structure> ?dsd . ?dsd a <{QB}DataStructureDefinition>") == 3
    sums = {row["ds"].value.rsplit("/", 1)[1]: float(row["total"].value) for row in graph.query(
        f"SELECT ?ds (SUM(?a) AS ?total) WHERE {{ ?o <{QB}dataSet> ?ds ; <{GT}fundSource> <https://w3id.org/goaltrace/framework/source-all> ; <{GT}amount> ?a }} GROUP BY ?ds")}
    # by hand from the seed: 2282.58 + 1598.17 + 684.41 department-wide; the project tables' totals 643.3
    assert sums == pytest.approx({"department-funds": 4565.16, "project-funds": 643.3})


def test_the_integrity_constraints_hold_over_the_bundled_declaration(bundled):
    assert broken(normalized(bundled)) == []


def test_the_integrity_constraints_hold_over_a_generated_corpus(corpus):
    graph = normalized(corpus)
    assert count(graph, f"?ds a <{QB}DataSet>") >= 12 * 2
    assert broken(graph) == []


BREAKAGES = {
    "ic-01-unique-data-set": f"DELETE {{ ?o <{QB}dataSet> ?ds }} WHERE {{ ?o <{QB}dataSet> ?ds ; <{GT}fundSource> ?s . FILTER(STRENDS(STR(?o), '/funds/basic-all')) }}",
    "ic-02-unique-structure": f"DELETE WHERE {{ ?ds <{QB}structure> <{GT}departmentFundsStructure> }}",
    "ic-03-structure-has-measure": f"DELETE {{ ?c <{QB}componentProperty> <{GT}apportionedAmount> . ?c <{QB}measure> <{GT}apportionedAmount> }} WHERE {{ ?c <{QB}measure> <{GT}apportionedAmount> }}",
    "ic-04-dimension-range": f"DELETE WHERE {{ <{GT}fundSource> <http://www.w3.org/2000/01/rdf-schema#range> ?r }}",
    "ic-05-concept-code-list": f"DELETE WHERE {{ <{GT}spendingType> <{QB}codeList> ?l }}",
    "ic-06-only-attributes-optional": f"INSERT {{ ?c <{QB}componentRequired> false }} WHERE {{ ?c <{QB}dimension> <{GT}fundSource> }}",
    "ic-07-slice-keys-declared": f"INSERT DATA {{ <urn:x:key> a <{QB}SliceKey> }}",
    "ic-08-slice-keys-consistent": f"INSERT DATA {{ <urn:x:key> a <{QB}SliceKey> ; <{QB}componentProperty> <urn:x:elsewhere> . <{GT}projectFundsStructure> <{QB}sliceKey> <urn:x:key> }}",
    "ic-09-unique-slice-structure": f"INSERT DATA {{ <urn:x:slice> a <{QB}Slice> }}",
    "ic-10-slice-dimensions-complete": f"INSERT DATA {{ <urn:x:slice> <{QB}sliceStructure> <urn:x:key> . <urn:x:key> a <{QB}SliceKey> ; <{QB}componentProperty> <{GT}forProject> . <{GT}projectFundsStructure> <{QB}sliceKey> <urn:x:key> }}",
    "ic-11-dimensions-required": f"DELETE {{ ?o <{GT}fundSource> ?s }} WHERE {{ ?o <{GT}fundSource> ?s . FILTER(STRENDS(STR(?o), '/funds/total-all')) }}",
    "ic-12-no-duplicate-observations": "INSERT { <urn:x:copy> ?p ?v } WHERE { ?o ?p ?v . FILTER(STRENDS(STR(?o), '/funds/total-all')) }",
    "ic-13-required-attributes": f"DELETE {{ ?o <{GT}measureUnit> ?u }} WHERE {{ ?o <{GT}measureUnit> ?u ; <{QB}dataSet> ?ds . FILTER(STRENDS(STR(?o), '/funds/basic-all')) }}",
    "ic-14-measures-present": f"DELETE {{ ?o <{GT}amount> ?a }} WHERE {{ ?o <{GT}amount> ?a . FILTER(STRENDS(STR(?o), '/funds/basic-all')) }}",
    "ic-15-measure-dimension-consistent": f"INSERT {{ ?c <{QB}componentProperty> <{QB}measureType> . ?o <{QB}measureType> <{GT}weight> }} WHERE {{ <{GT}departmentFundsStructure> <{QB}component> ?c . ?c <{QB}dimension> <{GT}fundSource> . ?o <{QB}dataSet> ?ds . ?ds <{QB}structure> <{GT}departmentFundsStructure> }}",
    "ic-16-single-measure": f"INSERT {{ ?c <{QB}componentProperty> <{QB}measureType> . ?o <{QB}measureType> <urn:x:another-measure> }} WHERE {{ <{GT}departmentFundsStructure> <{QB}component> ?c . ?c <{QB}dimension> <{GT}fundSource> . ?o <{QB}dataSet> ?ds . ?ds <{QB}structure> <{GT}departmentFundsStructure> }}",
    "ic-17-all-measures-in-measure-dimension-cube": f"INSERT {{ <{GT}departmentFundsStructure> <{QB}component> <urn:x:m> . <urn:x:m> <{QB}componentProperty> <{QB}measureType> , <urn:x:second-measure> . <urn:x:second-measure> a <{QB}MeasureProperty> . ?o <{QB}measureType> <{GT}amount> }} WHERE {{ ?o <{QB}dataSet> ?ds . ?ds <{QB}structure> <{GT}departmentFundsStructure> }}",
    "ic-18-consistent-data-set-links": f"INSERT {{ ?ds <{QB}slice> <urn:x:slice> . <urn:x:slice> <{QB}observation> <urn:x:stray> }} WHERE {{ ?ds <{QB}structure> <{GT}projectFundsStructure> }}",
    "ic-19-codes-from-code-list": f"DELETE {{ ?o <{GT}fundSource> ?s }} INSERT {{ ?o <{GT}fundSource> <urn:x:not-a-source> }} WHERE {{ ?o <{GT}fundSource> ?s . FILTER(STRENDS(STR(?o), '/funds/total-all')) }}",
}


@pytest.mark.parametrize("constraint", [p.stem for p in CONSTRAINTS])
def test_each_constraint_catches_what_it_names(bundled, constraint):
    graph = normalized(bundled)
    graph.update(BREAKAGES[constraint])
    assert constraint in broken(graph)


def test_hierarchical_code_lists_are_checked_when_a_dimension_has_one(bundled):
    """IC-20/21 apply only to qb:HierarchicalCodeList: give the fund sources such a list, rooted
    at 合计 (source-all), and each constraint sees a code the hierarchy no longer reaches."""
    skos, gtf = "http://www.w3.org/2004/02/skos/core#", "https://w3id.org/goaltrace/framework/"
    for stated, link, constraint in ((f"<{skos}narrower>", f"<{gtf}source-all> <{skos}narrower> <{gtf}source-appropriation>",
                                      "ic-20-codes-from-hierarchy"),
                                     (f"[ <http://www.w3.org/2002/07/owl#inverseOf> <{skos}broader> ]",
                                      f"<{gtf}source-appropriation> <{skos}broader> <{gtf}source-all>",
                                      "ic-21-codes-from-hierarchy-inverse")):
        graph = normalized(bundled)
        graph.update(f"""DELETE WHERE {{ <{GT}fundSource> <{QB}codeList> ?l }} ;
            INSERT DATA {{ <{GT}fundSource> <{QB}codeList> <urn:x:list> .
              <urn:x:list> a <{QB}HierarchicalCodeList> ; <{QB}hierarchyRoot> <{gtf}source-all> ;
                <{QB}parentChildProperty> {stated} }}""")
        assert broken(graph) == []  # appropriation, the only other source used, hangs under 合计
        graph.update(f"DELETE DATA {{ {link} }}")
        assert broken(graph) == [constraint]
