"""The ontology true under inference: an OWL-RL closure of the ontology and the data, as a
researcher's reasoner would compute it, states nothing false (issue: projects were inferred
to be forms, and amounts to be Data Cube component specifications)."""

import owlrl
import pytest
import rdflib
from rdflib.namespace import OWL, RDF

from conftest import run_goaltrace

# one closure for the module, not one per worker that runs a test of it
pytestmark = pytest.mark.xdist_group("inference")

GT = rdflib.Namespace("https://w3id.org/goaltrace/ontology#")
QB = rdflib.Namespace("http://purl.org/linked-data/cube#")
PROV = rdflib.Namespace("http://www.w3.org/ns/prov#")


@pytest.fixture(scope="module")
def closure(tmp_path_factory):
    from pathlib import Path

    root = Path(__file__).parents[2]
    store = str(tmp_path_factory.mktemp("inference") / "store")
    run_goaltrace("import", "--store", store, str(root / "data" / "forms"), str(root / "data" / "alignments"),
                  str(root / "tests" / "fixtures" / "xiushan-2023-legal-aid-self-evaluation.txt"), check=True)
    data = run_goaltrace("export", "graph", "--format", "turtle", "--with-vocabulary", "--store", store, check=True).stdout
    graph = rdflib.Graph().parse(data=data, format="turtle")
    asserted = {(s, o) for s, o in graph.subject_objects(RDF.type)}
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(graph)
    return graph, asserted


def members(graph, cls):
    return set(graph.subjects(RDF.type, cls))


def test_nothing_is_inconsistent(closure):
    graph, _ = closure
    assert members(graph, OWL.Nothing) == set()
    assert not list(graph.subjects(RDF.type, rdflib.URIRef("http://www.w3.org/2002/07/owl#Nothing")))


def test_projects_are_not_forms(closure):
    graph, _ = closure
    projects = members(graph, GT.Project)
    assert len(projects) == 8  # the bundled declaration's project forms
    assert projects.isdisjoint(members(graph, GT.Form))


def test_amounts_are_observations_not_component_specifications(closure):
    graph, _ = closure
    amounts = members(graph, GT.FundAmount)
    assert len(amounts) >= 21
    assert amounts <= members(graph, QB.Observation)
    assert amounts.isdisjoint(members(graph, QB.ComponentSpecification))
    assert {GT.spendingType, GT.fundSource} <= members(graph, QB.DimensionProperty)


def test_outcomes_are_indicators_and_nothing_else_changes_kind(closure):
    graph, asserted = closure
    outcomes = members(graph, GT.Outcome)
    assert len(outcomes) == 7 and outcomes <= members(graph, GT.Indicator)
    # every class the data asserts of a form, a project or a goal is all that the closure adds
    # among goaltrace's own classes, apart from superclasses the ontology states
    forms = {s for s, o in asserted if o in (GT.DepartmentForm, GT.ProjectForm)}
    assert forms <= members(graph, GT.Form)
    goals = members(graph, GT.OverallGoal)
    assert goals.isdisjoint(members(graph, GT.Form) | members(graph, GT.Project) | members(graph, GT.Indicator))


def test_qualified_links_name_their_influencer(closure):
    graph, _ = closure
    for link in members(graph, GT.GoalContribution) | members(graph, GT.IndicatorDelivery):
        assert list(graph.objects(link, PROV.influencer)), link


def test_a_naive_sum_of_project_funds_is_right_with_total_funds(closure):
    """Summing every amount over gt:forProject counts each project twice (its total and the
    parts by source); gt:totalFunds is the figure to add. The bundled projects' forms state
    684.41 万元 of project spending in all (the department form's 项目支出 合计)."""
    graph, _ = closure
    total = sum(float(o) for o in graph.objects(None, GT.totalFunds))
    naive = sum(float(a) for f in members(graph, GT.FundAmount) if (f, GT.forProject, None) in graph
                for a in graph.objects(f, GT.amount))
    assert round(total, 2) == 684.41 - 41.11  # the projects listed; 41.11 万元 is in no project table
    assert naive > 1.9 * total
