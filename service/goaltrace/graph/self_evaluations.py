"""Self-evaluations → RDF: one named graph per self-evaluation, as pyoxigraph quads.

The graph holds the self-evaluation (project or department-wide), its budget execution, and
one `gt:Outcome` per row: the indicator as the form restates it (name, levels, comparator,
target), the actual as written and as a number, points, score, the reason for a deviation,
and whether the target was met (`goaltrace.domain.achievement`). The unit and the year are the
registry's, as for declarations. Links to the declared indicators are made in the store,
where both are known (`goaltrace.answers.outcomes.link`).
"""

from dataclasses import dataclass

from pyoxigraph import Literal, NamedNode, Quad

from ..domain.achievement import judge
from ..forms.records import SelfEvaluation
from . import iris
from .mapper import GraphBuilder, concept_link, decimal, integer, named_indicator, place_unit, plain, review, zh
from .namespaces import GT, ORG, PROV, RDFS, SKOS, XSD

_LABEL = f"{RDFS}label"
_NOT_FILLED = {"", "—", "——", "-", "--", "/", "／", "无", "空"}  # a cell marked as left blank
ACHIEVEMENT = {"met": "achievement-met", "missed": "achievement-missed", "unknown": "achievement-unknown"}


@dataclass(frozen=True)
class MappedSelfEvaluation:
    iri: str
    graphs: dict[str, list[Quad]]

    @property
    def quads(self) -> list[Quad]:
        return [quad for quads in self.graphs.values() for quad in quads]


def self_evaluation_iri(department: str, year: int, project: str | None) -> str:
    return f"{iris.declaration(department, year)}/self-evaluation/{iris.segment(project) if project else 'department'}"


def map_self_evaluation(evaluation: SelfEvaluation, sha256: str) -> MappedSelfEvaluation:
    department = evaluation.department or "未署名单位"
    iri = self_evaluation_iri(department, evaluation.year, evaluation.project)
    org, year = iris.organisation(department), iris.budget_year(evaluation.year)
    registry = GraphBuilder(iris.REGISTRY)
    registry.a(org, f"{GT}BudgetUnit", f"{ORG}FormalOrganization")
    registry.add(org, _LABEL, zh(department))
    registry.add(org, f"{SKOS}prefLabel", zh(department))
    registry.a(year, f"{GT}BudgetYear")
    registry.add(year, _LABEL, Literal(str(evaluation.year)))
    registry.add(year, f"{GT}year", Literal(str(evaluation.year), datatype=NamedNode(f"{XSD}gYear")))

    g = GraphBuilder(iri)
    kind = "ProjectSelfEvaluation" if evaluation.kind == "project-selfeval" else "DepartmentSelfEvaluation"
    g.a(iri, f"{GT}SelfEvaluation", f"{GT}{kind}", f"{PROV}Entity")
    g.add(iri, _LABEL, zh(evaluation.title or f"{department} {evaluation.year}年{evaluation.project or '部门整体'}绩效自评"))
    g.add(iri, f"{GT}evaluatingUnit", org)
    g.add(iri, f"{GT}evaluatedYear", year)
    place_unit(registry, g, iri, department)
    g.add(iri, f"{GT}evaluatedProjectName", zh(evaluation.project))
    g.add(iri, f"{GT}totalScore", decimal(evaluation.total_score))
    g.add(iri, f"{GT}scoringRule", zh(evaluation.scoring_rule))
    source = iris.source_file(sha256)
    g.add(iri, f"{PROV}wasDerivedFrom", source)
    g.a(source, f"{GT}SourceFile", f"{PROV}Entity")
    g.add(source, f"{GT}sha256", Literal(sha256))
    g.add(source, f"{GT}fileName", Literal(evaluation.path.replace("\\", "/").rpartition("/")[2]))
    if evaluation.incomplete_at is not None:
        g.add(iri, f"{GT}incompleteAtLine", integer(evaluation.incomplete_at))
    budget = evaluation.budget
    if budget is not None:
        node = f"{iri}/budget"
        g.a(node, f"{GT}BudgetExecution")
        g.add(iri, f"{GT}budgetExecution", node)
        g.add(node, f"{GT}plannedAmount", decimal(budget.planned))
        g.add(node, f"{GT}executedAmount", decimal(budget.executed))
        g.add(node, f"{GT}executionRate", decimal(budget.rate))
        g.add(node, f"{GT}budgetPoints", decimal(budget.weight))
        g.add(node, f"{GT}budgetScore", decimal(budget.score))
        g.add(node, f"{GT}sourceLine", integer(budget.line))
    for n, outcome in enumerate(evaluation.outcomes, 1):
        node = f"{iri}/outcome/{n}"
        g.a(node, f"{GT}Outcome")
        g.add(node, f"{GT}outcomeIn", iri)
        named_indicator(g, node, outcome.indicator, n, outcome.level1, outcome.level2, outcome.comparator)
        g.add(node, f"{GT}targetText", plain(outcome.target_text))
        g.add(node, f"{GT}targetValue", decimal(outcome.target.number))
        g.add(node, f"{GT}unitLabel", plain(outcome.target.unit))
        concept_link(g, node, outcome.indicator, outcome.target.unit, outcome.level2, outcome.target_text, iri)
        stated = outcome.actual_text is not None and outcome.actual_text.strip() not in _NOT_FILLED
        g.add(node, f"{GT}actualText", plain(outcome.actual_text) if stated else None)
        actual = outcome.actual if stated else None
        if actual is not None:
            g.add(node, f"{GT}actualValue", decimal(actual.number))
        g.add(node, f"{GT}weight", decimal(outcome.weight))
        g.add(node, f"{GT}score", decimal(outcome.score))
        g.add(node, f"{GT}deviationReason", zh(outcome.deviation_reason))
        met = judge(outcome.comparator, outcome.target.number, outcome.target.unit,
                    actual.number if actual else None, actual.unit if actual else None, outcome.weight, outcome.score)
        g.add(node, f"{GT}achievement", iris.concept(ACHIEVEMENT[met]))
        g.add(node, f"{GT}sourceText", plain(outcome.source_text))
        g.add(node, f"{GT}sourceLine", integer(outcome.line))
        review(g, node, outcome.doubts, outcome.evidence)
    return MappedSelfEvaluation(iri, {iris.REGISTRY: registry.quads, iri: g.quads})

