"""Records → RDF: one named graph per form, as pyoxigraph quads. Never reads text.

Each form's graph holds the form, what it declares (goals, project, indicators, amounts) and
its provenance: the source file by sha256, and the line every entity was read from.
"""

from dataclasses import dataclass
from decimal import Decimal

from pyoxigraph import Literal, NamedNode, Quad

from ..domain import concepts
from ..domain.regions import place
from ..forms.records import Declaration, FundAmount, Indicator
from ..forms.text import key
from ..forms.units import unit_labelled
from ..forms.values import format_number
from . import iris
from .namespaces import GT, ORG, PROV, QB, RDF, RDFS, SKOS, XSD

_TYPE = NamedNode(f"{RDF}type")
_LABEL = NamedNode(f"{RDFS}label")
_DECIMAL = NamedNode(f"{XSD}decimal")
_INTEGER = NamedNode(f"{XSD}integer")
_GYEAR = NamedNode(f"{XSD}gYear")

SPENDING_LABELS = {"total": "预算支出总额", "basic": "基本支出", "project": "项目支出"}
# The declaration's Data Cube data sets: kind → (structure in the ontology, zh label, en label)
DATA_SETS = {
    "department-funds": ("departmentFundsStructure", "部门整体资金", "department-wide amounts"),
    "project-funds": ("projectFundsStructure", "项目资金", "project amounts"),
    "dimension-shares": ("dimensionSharesStructure", "一级指标资金分摊", "funds apportioned to dimensions"),
}
SOURCE_LABELS = {
    "all": "合计",
    "appropriation": "财政拨款",
    "special-account": "专户资金",
    "unit-funds": "单位资金",
    "other": "其他资金",
}


@dataclass(frozen=True)
class MappedDeclaration:
    iri: str
    graphs: dict[str, list[Quad]]  # graph name (a form's IRI) → its quads
    file_name: str = ""  # the file it was read from: a unit may publish its forms in several

    @property
    def quads(self) -> list[Quad]:
        return [quad for quads in self.graphs.values() for quad in quads]


_PREDICATES: dict[str, NamedNode] = {}  # a few dozen constant IRIs, parsed once
_SOURCE_LINE, _SOURCE_PLACE = f"{GT}sourceLine", f"{GT}sourcePlace"


class GraphBuilder:
    """Quads of one named graph, with terse helpers for the common object kinds."""

    def __init__(self, name: str, places: dict[int, str] | None = None):
        self.name = NamedNode(name)
        self.places = places or {}  # line → place, for a document
        self.quads: list[Quad] = []
        self._nodes: dict[str, NamedNode] = {}  # subjects repeat within a graph: parse each once

    def _node(self, iri: str) -> NamedNode:
        node = self._nodes.get(iri)
        if node is None:
            node = self._nodes[iri] = NamedNode(iri)
        return node

    def add(self, subject: str, predicate: str, obj):
        if obj is None:
            return
        if isinstance(obj, str):
            obj = self._node(obj)
        predicate_node = _PREDICATES.get(predicate)
        if predicate_node is None:
            predicate_node = _PREDICATES[predicate] = NamedNode(predicate)
        self.quads.append(Quad(self._node(subject), predicate_node, obj, self.name))
        if predicate == _SOURCE_LINE and self.places:
            place = self.places.get(int(obj.value))
            if place:
                self.add(subject, _SOURCE_PLACE, Literal(place))

    def a(self, subject: str, *classes: str):
        for cls in classes:
            self.add(subject, _TYPE.value, cls)


def zh(text: str | None) -> Literal | None:
    return Literal(text, language="zh") if text else None


def plain(text: str | None) -> Literal | None:
    return Literal(text) if text else None


def decimal(number: Decimal | None) -> Literal | None:
    return None if number is None else Literal(format_number(number), datatype=_DECIMAL)


def integer(number: int | None) -> Literal | None:
    return None if number is None else Literal(str(number), datatype=_INTEGER)


def form_graphs(declaration: Declaration) -> dict[str, str]:
    """The named graph of each form the declaration holds, with the form's name as printed:
    what two files of the same unit and year must not both declare."""
    ids = iris.DeclarationIRIs(declaration.department, declaration.year)
    slugs = iris.project_slugs([project.name for project in declaration.projects])
    graphs = {ids.department_form(): "部门整体支出绩效目标"} if declaration.department_form else {}
    for slug, project in zip(slugs, declaration.projects):
        graphs[ids.project_form(slug)] = project.name or project.title
    return graphs


def map_declaration(declaration: Declaration) -> MappedDeclaration:
    """A declaration's records as quads: what declarations share in the registry graph, what
    every file of it says alike in the declaration's own graph, and one graph per form."""
    department, year = declaration.department, declaration.year
    ids = iris.DeclarationIRIs(department, year)
    decl = ids.base
    source = iris.source_file(declaration.source.sha256)
    slugs = iris.project_slugs([project.name for project in declaration.projects])
    used: set[str] = set()  # the kinds of data set (DATA_SETS) some observation belongs to
    registry = _registry(declaration)
    core = _core(declaration, decl, registry)
    graphs: dict[str, list[Quad]] = {iris.REGISTRY: registry.quads, decl: core.quads}
    # its source and forms in the department form's graph, or in the first project form's
    # where the file holds project forms only (a unit may publish them apart)
    form = declaration.department_form
    places = dict(declaration.places)
    home = GraphBuilder(ids.department_form() if form else ids.project_form(slugs[0]), places)
    _source(home, declaration, ids, decl, source, slugs)
    if form:
        _department_form(home, form, ids, decl, source, used)
        graphs[ids.department_form()] = home.quads
    year_iri = iris.budget_year(year)
    for slug, project in zip(slugs, declaration.projects):
        form_iri = ids.project_form(slug)
        g = home if home.name.value == form_iri else GraphBuilder(form_iri, places)
        _project_form(g, department, slug, project, ids, source, year_iri, used)
        graphs[form_iri] = g.quads
    _data_sets(home, ids, decl, used)
    return MappedDeclaration(decl, graphs, declaration.source.name)


def _registry(declaration: Declaration) -> "GraphBuilder":
    """What declarations share (the unit, the year, people and units named) lives once, in the
    registry graph."""
    department, year = declaration.department, declaration.year
    org = iris.organisation(department)
    registry = GraphBuilder(iris.REGISTRY)
    registry.a(org, f"{GT}BudgetUnit", f"{ORG}FormalOrganization")
    registry.add(org, _LABEL.value, zh(department))
    registry.add(org, f"{SKOS}prefLabel", zh(department))
    year_iri = iris.budget_year(year)
    registry.a(year_iri, f"{GT}BudgetYear")
    registry.add(year_iri, _LABEL.value, Literal(str(year)))
    registry.add(year_iri, f"{GT}year", Literal(str(year), datatype=_GYEAR))
    for name in sorted({p.responsible_person for p in declaration.projects if p.responsible_person}):
        person = iris.person(department, name)
        registry.a(person, f"{GT}Person", f"{PROV}Person")
        registry.add(person, _LABEL.value, zh(name))
    for name in sorted({u for p in declaration.projects for u in (p.supervising_unit, p.implementing_unit) if u}):
        unit = iris.unit_of(department, name)
        registry.a(unit, f"{ORG}Organization")
        registry.add(unit, _LABEL.value, zh(name))
    return registry


def _core(declaration: Declaration, decl: str, registry: "GraphBuilder") -> "GraphBuilder":
    """What every file of the declaration says alike, in the declaration's own graph, with the
    place of its unit (the divisions themselves in the registry)."""
    department, year = declaration.department, declaration.year
    core = GraphBuilder(decl)
    core.a(decl, f"{GT}Declaration", f"{PROV}Entity")
    core.add(decl, _LABEL.value, zh(f"{department} {year}年绩效目标申报"))
    core.add(decl, f"{GT}declaringUnit", iris.organisation(department))
    core.add(decl, f"{GT}budgetYear", iris.budget_year(year))
    core.add(decl, f"{GT}amountUnit", iris.unit("wan-yuan"))
    core.add(decl, f"{GT}amountUnitText", plain(declaration.amount_unit))
    context = (declaration.publisher, *(p.supervising_unit for p in declaration.projects))
    place_unit(registry, core, decl, department, context)
    return core


def _source(g: "GraphBuilder", declaration: Declaration, ids: iris.DeclarationIRIs, decl: str, source: str,
            slugs: list[str]):
    """The file the declaration was read from, its forms, what its document says of itself
    (its count of projects, its project budget table), where its text stops, and the cells
    read as no known field."""
    form_iri = ids.department_form()
    g.add(decl, f"{PROV}wasDerivedFrom", source)
    for slug in [None, *slugs] if declaration.department_form else slugs:
        g.add(decl, f"{GT}hasForm", form_iri if slug is None else ids.project_form(slug))
    g.a(source, f"{GT}SourceFile", f"{PROV}Entity")
    g.add(source, f"{GT}sha256", Literal(declaration.source.sha256))
    g.add(source, f"{GT}fileName", Literal(declaration.source.name))
    g.add(source, f"{GT}lineCount", integer(declaration.source.line_count))
    if declaration.stated_projects is not None:  # what its document says of itself (forms.statements)
        g.add(decl, f"{GT}statedProjectCount", integer(declaration.stated_projects))
        g.add(decl, f"{GT}statedProjectCountText", zh(declaration.stated_projects_text))
    for n, line in enumerate(declaration.budget_table, 1):  # the document's project budget table (forms.budget_table)
        iri = f"{g.name.value}/budget-table/{n}"
        g.a(iri, f"{GT}BudgetTableLine")
        g.add(iri, f"{GT}budgetLineOf", decl)
        g.add(iri, f"{GT}budgetLineProject", zh(line.project))
        g.add(iri, f"{GT}budgetLineAmount", decimal(line.amount))
        if line.line:  # a line of the rows read; a PDF's budget pages are read apart, and give their place
            g.add(iri, f"{GT}sourceLine", integer(line.line))
        if line.place:
            g.add(iri, f"{GT}sourcePlace", Literal(line.place))
    if declaration.incomplete_at is not None:
        g.a(decl, f"{GT}IncompleteDeclaration")
        g.add(decl, f"{GT}incompleteAtLine", integer(declaration.incomplete_at))
    for n, cell in enumerate(declaration.unmapped, 1):
        iri = f"{g.name.value}/unmapped/{n}"  # under the form: another file of the unit has its own
        g.a(iri, f"{GT}UnmappedCell")
        g.add(iri, f"{GT}cellText", plain(cell.text))
        g.add(iri, f"{GT}cellContext", plain(cell.context))
        g.add(iri, f"{GT}sourceLine", integer(cell.line))
        g.add(iri, f"{GT}unmappedIn", decl)


def _department_form(g: "GraphBuilder", form, ids: iris.DeclarationIRIs, decl: str, source: str, used: set[str]):
    """The department form: its overall goals, funds, annual tasks and indicators."""
    form_iri = ids.department_form()
    _form(g, form_iri, f"{GT}DepartmentForm", decl, source, form.title, form.line)
    g.add(form_iri, f"{GT}goalsText", zh(form.goals_text))
    g.add(form_iri, f"{GT}remarks", zh(form.remarks))
    for goal in form.goals:
        goal_iri = ids.goal(goal.number)
        g.a(goal_iri, f"{GT}OverallGoal")
        g.add(goal_iri, _LABEL.value, Literal(f"目标{goal.number}", language="zh"))
        g.add(goal_iri, _LABEL.value, Literal(f"Goal {goal.number}", language="en"))
        g.add(goal_iri, f"{GT}goalNumber", integer(goal.number))
        g.add(goal_iri, f"{GT}goalText", zh(goal.text))
        g.add(goal_iri, f"{GT}goalOf", decl)
        g.add(goal_iri, f"{GT}declaredIn", form_iri)
        g.add(goal_iri, f"{GT}sourceLine", integer(goal.line))
    if form.funds:
        used.add("department-funds")
    for fund in form.funds:
        _fund(g, ids.department_fund(fund.spending, fund.source), fund, form_iri, None)
        g.add(ids.department_fund(fund.spending, fund.source), f"{QB}dataSet", ids.data_set("department-funds"))
    for n, task in enumerate(form.tasks, 1):
        iri = f"{decl}/task/{n}"
        g.a(iri, f"{GT}AnnualTask")
        g.add(iri, _LABEL.value, zh(task.task))
        g.add(iri, f"{GT}dutyText", zh(task.function))
        g.add(iri, f"{GT}taskText", zh(task.task))
        g.add(iri, f"{GT}spendingItem", zh(task.project))
        g.add(iri, f"{GT}taskBudget", decimal(task.amount))
        g.add(iri, f"{GT}declaredIn", form_iri)
        g.add(iri, f"{GT}sourceLine", integer(task.line))
    for indicator in form.indicators:
        _indicator(g, ids.department_indicator(indicator.ordinal), indicator, form_iri, None)


def _project_form(g: "GraphBuilder", department: str, slug: str, project, ids: iris.DeclarationIRIs, source: str,
                  year_iri: str, used: set[str]):
    """One project form: the project, its people and units, goals, declared contributions to
    overall goals, funds, indicators and the shares of its funds by dimension."""
    form_iri, project_iri, decl = ids.project_form(slug), ids.project(slug), ids.base
    _form(g, form_iri, f"{GT}ProjectForm", decl, source, project.title, project.line)
    g.add(form_iri, f"{GT}describesProject", project_iri)
    g.a(project_iri, f"{GT}Project")
    g.add(project_iri, _LABEL.value, zh(project.name))
    g.add(project_iri, f"{GT}projectName", zh(project.name))
    g.add(project_iri, f"{GT}partOfDeclaration", decl)
    g.add(project_iri, f"{GT}declaredIn", form_iri)
    g.add(project_iri, f"{GT}sourceLine", integer(project.name_line))
    if project.responsible_person:
        g.add(project_iri, f"{GT}responsiblePerson", iris.person(department, project.responsible_person))
    g.add(project_iri, f"{GT}contactPhone", plain(project.phone))
    if project.supervising_unit:
        g.add(project_iri, f"{GT}supervisingUnit", iris.unit_of(department, project.supervising_unit))
    if project.implementing_unit:
        g.add(project_iri, f"{GT}implementingUnit", iris.unit_of(department, project.implementing_unit))
    if project.annual_goal:
        goal_iri = ids.project_goal(slug)
        g.add(project_iri, f"{GT}annualGoal", goal_iri)
        g.a(goal_iri, f"{GT}ProjectGoal")
        g.add(goal_iri, _LABEL.value, zh(f"{project.name or slug} 年度目标"))
        g.add(goal_iri, f"{GT}goalText", zh(project.annual_goal))
        g.add(goal_iri, f"{GT}declaredIn", form_iri)
        g.add(goal_iri, f"{GT}sourceLine", integer(project.annual_goal_line))
    g.add(project_iri, f"{GT}longTermGoalText", zh(project.long_term_goal))
    g.add(project_iri, f"{GT}projectPeriod", zh(project.period))
    for reference in project.goal_references:
        link = ids.contribution(slug, reference.number, "declared")
        g.add(project_iri, f"{GT}supportsGoal", ids.goal(reference.number))
        g.add(project_iri, f"{GT}qualifiedContribution", link)
        g.a(link, f"{GT}GoalContribution")
        g.add(link, f"{GT}goal", ids.goal(reference.number))
        g.add(link, f"{GT}basis", iris.concept("basis-declared"))
        g.add(link, f"{GT}evidence", zh(reference.text))
        g.add(link, f"{GT}declaredIn", form_iri)
        g.add(link, f"{GT}sourceLine", integer(reference.line))
    for fund in project.funds:
        _fund(g, ids.project_fund(slug, fund.source), fund, form_iri, project_iri)
        g.add(ids.project_fund(slug, fund.source), f"{QB}dataSet", ids.data_set("project-funds"))
        if fund.source == "all":  # the one figure a SUM over projects may add up
            g.add(project_iri, f"{GT}totalFunds", decimal(fund.amount))
    for indicator in project.indicators:
        _indicator(g, ids.project_indicator(slug, indicator.ordinal), indicator, form_iri, project_iri)
    if _shares(g, project_iri, project.funds, project.indicators, ids.project_fund(slug, "all"), year_iri,
               form_iri, ids.data_set("dimension-shares")):
        used.add("dimension-shares")
    if project.funds:
        used.add("project-funds")


_DIVISION_CLASSES = {"province": "Province", "city": "City", "county": "County"}
_IN_LEVEL = {"province": "inProvince", "city": "inCity", "county": "inCounty"}


def place_unit(registry: GraphBuilder, g: GraphBuilder, subject: str, unit: str, context: tuple = ()):
    """The divisions the unit stands in (`goaltrace.domain.regions`), said of `subject` (a declaration,
    a self-evaluation) in its graph `g`; the divisions themselves, with their code and
    containment, in the registry. A unit that cannot be placed gets the reason instead."""
    placement = place(unit, tuple(c for c in context if c))
    if not placement.divisions:
        g.add(subject, f"{GT}unplacedReason", plain(placement.reason))
        return
    for division in placement.divisions:
        iri = iris.division(division.code)
        registry.a(iri, f"{GT}{_DIVISION_CLASSES[division.level]}", f"{GT}AdministrativeDivision")
        registry.add(iri, _LABEL.value, zh(division.name))
        registry.add(iri, f"{SKOS}prefLabel", zh(division.name))
        registry.add(iri, f"{SKOS}notation", Literal(division.code))
        if division.parent:
            registry.add(iri, f"{SKOS}broader", iris.division(division.parent))
        g.add(subject, f"{GT}{_IN_LEVEL[division.level]}", iri)
    g.add(subject, f"{GT}placedIn", iris.division(placement.division.code))
    g.add(subject, f"{GT}placementBasis", plain(placement.basis))


def _data_sets(home: GraphBuilder, ids: iris.DeclarationIRIs, decl: str, used: set[str]):
    """Describe, in the declaration's home graph, each data set that some observation names."""
    for kind, (structure, zh_label, en_label) in DATA_SETS.items():
        if kind not in used:
            continue
        iri = ids.data_set(kind)
        home.a(iri, f"{QB}DataSet")
        home.add(iri, _LABEL.value, zh(zh_label))
        home.add(iri, _LABEL.value, Literal(en_label, language="en"))
        home.add(iri, f"{QB}structure", f"{GT}{structure}")
        home.add(iri, f"{GT}dataSetOf", decl)
        home.add(iri, f"{GT}measureUnit", iris.unit("wan-yuan"))


_SHARE_PLACES = Decimal("0.000001")


def _shares(g: GraphBuilder, project: str, funds: list[FundAmount], indicators: list[Indicator], total_iri: str, year: str,
            form: str, data_set: str) -> bool:
    """The project's total shared among the level-1 categories of its indicators by weight: a
    summary the importer computes once, so that corpus-wide questions about funds per
    dimension read a few rows per project instead of every indicator."""
    total = next((f.amount for f in funds if f.spending == "project" and f.source == "all"), None)
    weights: dict[str, Decimal] = {}
    for indicator in indicators:
        if indicator.level1 and indicator.weight is not None:
            weights[indicator.level1] = weights.get(indicator.level1, Decimal(0)) + indicator.weight
    whole = sum(weights.values(), Decimal(0))
    if total is None or whole <= 0:
        return False
    for level1, weight in sorted(weights.items()):
        iri = f"{project}/share/{level1}"
        g.a(iri, f"{GT}DimensionShare")
        g.add(iri, f"{GT}forProject", project)
        g.add(iri, f"{GT}dimension", iris.concept(level1))
        g.add(iri, f"{GT}shareYear", year)
        g.add(iri, f"{GT}weightShare", decimal((weight / whole).quantize(_SHARE_PLACES)))
        g.add(iri, f"{GT}apportionedAmount", decimal((total * weight / whole).quantize(_SHARE_PLACES)))
        g.add(iri, f"{GT}apportionedFrom", total_iri)
        g.add(iri, f"{GT}declaredIn", form)
        g.add(iri, f"{QB}dataSet", data_set)
    return True


def _form(g: GraphBuilder, form: str, cls: str, decl: str, source: str, title: str, line: int):
    g.a(form, cls, f"{PROV}Entity")
    g.add(form, _LABEL.value, zh(title))
    g.add(form, f"{GT}title", zh(title))
    g.add(form, f"{GT}partOfDeclaration", decl)
    g.add(form, f"{PROV}wasDerivedFrom", source)
    g.add(form, f"{GT}sourceLine", integer(line))


def _fund(g: GraphBuilder, iri: str, fund: FundAmount, form: str, project: str | None):
    g.a(iri, f"{GT}FundAmount")
    g.add(iri, _LABEL.value, zh(f"{SPENDING_LABELS[fund.spending]}·{SOURCE_LABELS[fund.source]}"))
    g.add(iri, f"{GT}spendingType", iris.concept(f"spending-{fund.spending}"))
    g.add(iri, f"{GT}fundSource", iris.concept(f"source-{fund.source}"))
    g.add(iri, f"{GT}amount", decimal(fund.amount))
    g.add(iri, f"{GT}amountText", plain(fund.text))
    g.add(iri, f"{GT}declaredIn", form)
    g.add(iri, f"{GT}forProject", project)
    g.add(iri, f"{GT}sourceLine", integer(fund.line))
    review(g, iri, fund.doubts, fund.evidence)


def named_indicator(g: GraphBuilder, iri: str, name: str, ordinal: int, level1: str | None, level2: str | None,
                    comparator: str | None):
    """What every indicator states, declared or evaluated: its name, place and categories."""
    g.add(iri, _LABEL.value, zh(name))
    g.add(iri, f"{GT}indicatorName", zh(name))
    g.add(iri, f"{GT}normalizedName", Literal(key(name)))
    g.add(iri, f"{GT}ordinal", integer(ordinal))
    for predicate, concept in (("level1", level1), ("level2", level2), ("comparator", comparator)):
        if concept:
            g.add(iri, f"{GT}{predicate}", iris.concept(concept))


def _indicator(g: GraphBuilder, iri: str, indicator: Indicator, form: str, project: str | None):
    if indicator.term == "long-term":  # kept apart: every rule and question works on the annual ones
        g.a(iri, f"{GT}LongTermIndicator")
    else:
        g.a(iri, f"{GT}Indicator", f"{GT}ProjectIndicator" if project else f"{GT}DepartmentIndicator")
    named_indicator(g, iri, indicator.name, indicator.ordinal, indicator.level1, indicator.level2, indicator.comparator)
    g.add(iri, f"{GT}declaredIn", form)
    g.add(iri, f"{GT}forProject", project)
    g.add(iri, f"{GT}declaredNumber", integer(indicator.number))
    g.add(iri, f"{GT}comparatorText", plain(indicator.comparator_text))
    target = indicator.target
    if indicator.term == "long-term":
        pass  # the summary classes are for the annual indicators the rules and questions read
    elif target.number is None:
        g.a(iri, f"{GT}IndicatorWithoutNumber")
    elif not target.unit:
        g.a(iri, f"{GT}IndicatorWithoutUnit")
    g.add(iri, f"{GT}targetValue", decimal(target.number))
    g.add(iri, f"{GT}targetText", plain(target.text))
    g.add(iri, f"{GT}unitLabel", plain(target.unit))
    g.add(iri, f"{GT}unitText", plain(target.unit_text))
    known = unit_labelled(target.unit)
    if known:
        g.add(iri, f"{GT}unit", iris.unit(known.key))
    g.add(iri, f"{GT}qualifier", zh(target.qualifier))
    g.add(iri, f"{GT}weight", decimal(indicator.weight))
    g.add(iri, f"{GT}sourceText", plain(indicator.source_text))
    g.add(iri, f"{GT}sourceLine", integer(indicator.line))
    concept_link(g, iri, indicator.name, target.unit, indicator.level2, target.text, form)
    for label, text in indicator.notes:
        g.add(iri, f"{GT}indicatorNote", zh(f"{label}：{text}"))
    for repair in indicator.repairs:
        g.add(iri, f"{GT}readingRepair", plain(repair))
    review(g, iri, indicator.doubts, indicator.evidence)


def concept_link(g: GraphBuilder, iri: str, name: str, unit: str | None, level2: str | None, target_text: str | None,
                 form: str):
    """The indicator concept the row measures, when the rules find one for sure (`concepts.link`),
    as a qualified link with its basis and evidence: the words shared, the unit, the level 2."""
    found = concepts.link(name, unit, level2, target_text)
    if found is None:
        return
    link = f"{iri}/concept"
    g.add(iri, f"{GT}qualifiedConcept", link)
    g.a(link, f"{GT}ConceptLink")
    g.add(link, f"{GT}concept", found.concept)
    g.add(link, f"{GT}basis", iris.concept(f"basis-{found.basis}"))
    g.add(link, f"{GT}sharedWords", zh(found.shared))
    g.add(link, f"{GT}evidenceUnit", plain(unit))
    g.add(link, f"{GT}evidenceLevel2", iris.concept(level2) if level2 else None)
    g.add(link, f"{GT}declaredIn", form)


def review(g: GraphBuilder, iri: str, doubts: tuple[str, ...], evidence: str = ""):
    """How a row was read (gt:readAs) and each reason to check it (gt:needsReview)."""
    g.add(iri, f"{GT}readAs", plain(evidence or None))
    for code in doubts:
        g.add(iri, f"{GT}needsReview", iris.review_reason(code))
