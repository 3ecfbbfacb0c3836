"""Validate declarations with the SHACL shapes in ``shapes/``.

Each form's named graph is validated on its own with ``shapes/form.ttl`` (so the cost grows
linearly with the corpus and a changed form re-validates alone); then the forms of each
declaration together with ``shapes/declaration.ttl``, ``shapes/alignment.ttl``, ``shapes/outcome.ttl``
and ``shapes/reviewer.ttl``. Given a cache (`validation_cache`),
outcomes of unchanged forms and declarations are taken from it. Shapes are parsed per run: pySHACL
may change a shapes graph while it works, so one run's graph is never shared with another.
"""

import re
from dataclasses import asdict, dataclass, field, replace

import pyoxigraph as ox
import pyshacl
import rdflib
from rdflib.namespace import RDF, RDFS, SH, SKOS

from .. import resources
from ..graph.namespaces import GT
from ..graph.store import Store
from ..query.named import Reader
from .cache import Cache, key, rules_digest

SEVERITIES = {str(SH.Violation): "Violation", str(SH.Warning): "Warning", str(SH.Info): "Info"}
SEVERITY_ORDER = {"Violation": 0, "Warning": 1, "Info": 2}
REVIEW_RULES = ("rows-need-review", "outcomes-need-review")  # info results that count a form's rows to review
NOT_CHECKED = "-not-checked"  # the ending of the rules that record a check which could not run for lack of data
# The parts of the vocabulary the rules read: the class hierarchy (for sh:targetClass),
# the catalogue hierarchy, labels, unit kinds and unit synonyms.
_FRAMEWORK_PREDICATES = (RDFS.subClassOf, SKOS.broader, SKOS.prefLabel, rdflib.URIRef(f"{GT}sameUnitAs"), rdflib.URIRef(f"{GT}unitKind"))


class ValidationError(Exception):
    """The shapes could not be run (a broken shapes file, say)."""


@dataclass(frozen=True)
class Finding:
    severity: str  # Violation | Warning | Info
    rule: str  # the shape's local name, e.g. "weights-total-100"
    focus: str  # IRI of the thing the finding is about
    focus_label: str
    form: str  # IRI of the form (named graph) it was found in
    form_label: str
    project: str  # the project's name, or ""
    message_zh: str
    message_en: str
    line: int | None = None
    value: str | None = None

    @property
    def message(self) -> str:
        return f"{self.message_zh} / {self.message_en}"

    def as_json(self) -> dict:
        data = asdict(self)
        data["message"] = self.message
        return data


@dataclass
class Report:
    findings: list[Finding] = field(default_factory=list)
    forms: int = 0
    validated: int = 0  # forms pySHACL ran on in this run; the others' outcomes were cached
    graph: rdflib.Graph = field(default_factory=rdflib.Graph)  # the merged sh:ValidationReport

    @property
    def conforms(self) -> bool:
        return not any(f.severity == "Violation" for f in self.findings)

    def count(self, severity: str) -> int:
        return sum(1 for f in self.findings if f.severity == severity)

    @property
    def not_checked(self) -> list[Finding]:
        """The checks that could not run for lack of data (shapes/reviewer.ttl): never a pass."""
        return [f for f in self.findings if f.rule.endswith(NOT_CHECKED)]

    @property
    def to_review(self) -> int:
        """Rows read with a guess (gt:needsReview), summed over the forms' info results."""
        return sum(int(f.value) for f in self.findings if f.rule in REVIEW_RULES and f.value and f.value.isdigit())


class _Shapes:
    """Shapes graphs for one run, and each shape's message templates by language."""

    def __init__(self):
        self.form = _parse(resources.shapes_file("form.ttl"))
        self.declaration = (_parse(resources.shapes_file("declaration.ttl")) + _parse(resources.shapes_file("alignment.ttl"))
                            + _parse(resources.shapes_file("outcome.ttl")) + _parse(resources.shapes_file("reviewer.ttl")))
        vocabulary = ox.Store()
        for f in resources.ontology_files():
            vocabulary.load(f.read_bytes(), ox.RdfFormat.TURTLE)
        self.framework = [
            ox.Quad(q.subject, q.predicate, q.object)
            for predicate in _FRAMEWORK_PREDICATES
            for q in vocabulary.quads_for_pattern(None, ox.NamedNode(str(predicate)), None)
        ]
        self.templates: dict[str, list[tuple[str, re.Pattern]]] = {}
        for graph in (self.form, self.declaration):
            for shape in set(graph.subjects(SH.severity, None)):
                holders = [shape, *graph.objects(shape, SH.sparql)]
                self.templates[str(shape)] = [
                    (message.language or "", _template_pattern(str(message)))
                    for holder in holders for message in graph.objects(holder, SH.message)
                ]

    def language_of(self, shape: str, message: str) -> str:
        for language, pattern in self.templates.get(shape, []):
            if pattern.fullmatch(message):
                return language
        return "zh" if re.search(r"[\u4e00-\u9fff]", message[:2]) else "en"


def _parse(source) -> rdflib.Graph:
    return rdflib.Graph().parse(data=source.read_text(encoding="utf-8"), format="turtle")


def _template_pattern(template: str) -> re.Pattern:
    parts = re.split(r"\{[?$]\w+\}", template)
    return re.compile("(?s)" + ".*?".join(re.escape(p) for p in parts))


class _Data:
    """The data one validation run sees: an in-memory Oxigraph store, so that pySHACL's
    SPARQL constraints run on Oxigraph's engine rather than being re-parsed per node."""

    def __init__(self, quads: list[ox.Quad]):
        self.oxigraph = ox.Store()
        self.oxigraph.extend(quads)

    def value(self, subject: str, predicate: str) -> ox.NamedNode | ox.Literal | None:
        for quad in self.oxigraph.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(predicate), None):
            return quad.object
        return None

    def is_a(self, subject: str, cls: str) -> bool:
        return ox.Quad(ox.NamedNode(subject), ox.NamedNode(str(RDF.type)), ox.NamedNode(cls)) in self.oxigraph

    def subjects(self, predicate: str, obj: str) -> list[str]:
        return [q.subject.value for q in self.oxigraph.quads_for_pattern(None, ox.NamedNode(predicate), ox.NamedNode(obj))]

    def label(self, subject: str) -> str:
        if self.is_a(subject, f"{GT}ProjectForm"):
            project = self.value(subject, f"{GT}describesProject")
            return f"项目表 {self.label(project.value)}" if project is not None else subject
        labels = [q.object for q in self.oxigraph.quads_for_pattern(ox.NamedNode(subject), ox.NamedNode(str(RDFS.label)), None)]
        zh = [label.value for label in labels if label.language == "zh"]
        return zh[0] if zh else (labels[0].value if labels else subject)

    def form_of(self, node: str) -> str:
        if self.is_a(node, f"{GT}Declaration"):
            for form in self.subjects(f"{GT}partOfDeclaration", node):
                if self.is_a(form, f"{GT}DepartmentForm"):
                    return form
        form = self.value(node, f"{GT}declaredIn") or self.value(node, f"{GT}outcomeIn")
        return form.value if form is not None else node

    def form_label(self, form: str) -> str:
        return "部门整体支出绩效目标申报表" if self.is_a(form, f"{GT}DepartmentForm") else self.label(form)

    def project_name(self, node: str) -> str:
        for candidate in (node, self.value(node, f"{GT}forProject"), self.value(node, f"{GT}describesProject")):
            name = candidate if isinstance(candidate, str) else getattr(candidate, "value", None)
            if name and self.is_a(name, f"{GT}Project"):
                project_name = self.value(name, f"{GT}projectName")
                return project_name.value if project_name is not None else ""
        return ""

    def line(self, node: str) -> int | None:
        line = self.value(node, f"{GT}sourceLine")
        return int(line.value) if line is not None else None


@dataclass(frozen=True)
class _Job:
    """One declaration (or a self-evaluation no declaration answers to) to validate, as plain
    data a worker process can receive."""

    declaration: str
    forms: dict[str, bytes]  # form IRI → its graph as N-Triples
    context: bytes  # the declaration's own graph and its budget year, as N-Triples
    alignments: tuple[bytes, ...] = ()  # graphs about it from outside its forms (alignments, self-evaluations), as N-Triples
    cache: str | None = None  # the cache directory, if any
    rules: str = ""  # the digest of what else outcomes depend on


def _job(store: Store, declaration: str) -> _Job:
    forms = {
        form: ox.serialize(
            (q.triple for q in store.graph_quads(form)),
            format=ox.RdfFormat.N_TRIPLES,
        )
        for form in store.declaration_graphs(declaration)
        if form != declaration  # its own graph (what all its files say alike) is context, not a form
    }
    alignments = [
        ox.serialize(
            (q.triple for q in store.graph_quads(graph)),
            format=ox.RdfFormat.N_TRIPLES,
        )
        for graph in [*store.alignment_graphs(declaration), *_evaluation_graphs(store, declaration)]
    ]
    rows = store.run("declaration-year", {"declaration": ox.NamedNode(declaration)})
    context = [
        triple
        for row in rows
        for triple in (
            ox.Triple(ox.NamedNode(declaration), ox.NamedNode(f"{GT}budgetYear"), row["year"]),
            ox.Triple(row["year"], ox.NamedNode(f"{GT}year"), row["y"]),
        )
    ]
    context += [q.triple for q in store.graph_quads(declaration)]
    return _Job(declaration, forms, ox.serialize(context, format=ox.RdfFormat.N_TRIPLES), tuple(alignments))


def _evaluation_graphs(store: Reader, declaration: str) -> list[str]:
    """The graphs of the self-evaluations that report on a declaration, and of their links."""
    from ..answers.outcomes import links_graph

    found = sorted(r["evaluation"].value for r in store.run("evaluations-of-declaration", {"declaration": ox.NamedNode(declaration)}))
    return [g for e in found for g in (e, links_graph(e)) if store.has_graph(g)]


def _orphan_evaluations(store: Reader, declarations: list[str]) -> list[str]:
    """Self-evaluations that report on none of these declarations."""
    covered = {r["evaluation"].value for d in declarations
               for r in store.run("evaluations-of-declaration", {"declaration": ox.NamedNode(d)})}
    return sorted(r["evaluation"].value for r in store.run("self-evaluations") if r["evaluation"].value not in covered)


def _evaluation_job(store: Store, evaluation: str) -> _Job:
    """A self-evaluation validated on its own, with its links (it has no declaration's forms)."""
    from ..answers.outcomes import links_graph

    graphs = [g for g in (evaluation, links_graph(evaluation)) if store.has_graph(g)]
    data = tuple(ox.serialize((q.triple for q in store.graph_quads(g)), format=ox.RdfFormat.N_TRIPLES)
                 for g in graphs)
    return _Job(evaluation, {}, b"", data)


def _triples(data: bytes) -> list[ox.Quad]:
    return [ox.Quad(t.subject, t.predicate, t.object) for t in ox.parse(data, format=ox.RdfFormat.N_TRIPLES)]


# A form's triples name the file they came from by its digest; no rule reads it, so a form
# left as it was in a file changed elsewhere keeps its outcome.
_SOURCE = re.compile(rb"(?<![0-9a-f])[0-9a-f]{64}(?![0-9a-f])")


def _content(data: bytes) -> bytes:
    """A form's N-Triples as what its outcome depends on: in a fixed order, digests left out."""
    return b"\n".join(sorted(_SOURCE.sub(b"sha256", data).splitlines()))


class _LazyShapes:
    """The shapes of one run (or one worker process), parsed when first needed: a run that
    finds every outcome in the cache never parses them."""

    def __init__(self):
        self._shapes: _Shapes | None = None

    def get(self) -> _Shapes:
        if self._shapes is None:
            self._shapes = _Shapes()
        return self._shapes


_WORKER_SHAPES = _LazyShapes()  # in a worker process: its own, for every job it runs


def _form_key(job: _Job, form: str) -> str:
    return key(b"form", job.rules.encode(), job.context, form.encode(), _content(job.forms[form]))


def _declaration_key(job: _Job) -> str:
    parts = [b"declaration", job.rules.encode(), job.context]
    parts += [p for form, data in sorted(job.forms.items()) for p in (form.encode(), _content(data))]
    return key(*parts, *sorted(_content(a) for a in job.alignments))


def _run_job(job: _Job, lazy: _LazyShapes = _WORKER_SHAPES) -> tuple[list[Finding], bytes, int]:
    """Validate one declaration: each form on its own, then all its forms together. Returns
    the findings, the results as N-Triples, and how many forms were validated afresh."""
    cache = Cache(job.cache) if job.cache else None
    validated = 0

    def outcome(name: str, run) -> tuple[list[Finding], bytes]:
        kept = cache.get(name) if cache else None
        if kept is not None:
            return [Finding(**f) for f in kept["findings"]], kept["results"].encode("utf-8")
        found: list[Finding] = []
        graph = rdflib.Graph()
        run(found, graph)
        results = graph.serialize(format="nt", encoding="utf-8")
        if cache:
            cache.put(name, {"findings": [asdict(f) for f in found], "results": results.decode("utf-8")})
        return found, results

    context: list[ox.Quad] = []  # the year and the framework, read once the first form needs them

    def shapes_and_context() -> tuple[_Shapes, list[ox.Quad]]:
        shapes = lazy.get()
        if not context:
            context.extend(_triples(job.context) + shapes.framework)
        return shapes, context

    findings: list[Finding] = []
    results: list[bytes] = []
    for form, data in job.forms.items():
        def check_form(found, graph, form=form, data=data):
            nonlocal validated
            validated += 1
            shapes, known = shapes_and_context()
            _collect(found, graph, shapes, shapes.form, _Data(known + _triples(data)), form)
        found, nt = outcome(_form_key(job, form), check_form)
        findings += found
        results.append(nt)

    def check_declaration(found, graph):
        shapes, known = shapes_and_context()
        everything = list(known)
        for data in (*job.forms.values(), *job.alignments):
            everything.extend(_triples(data))
        _collect(found, graph, shapes, shapes.declaration, _Data(everything), None)
    found, nt = outcome(_declaration_key(job), check_declaration)
    return findings + found, b"".join([*results, nt]), validated


def validate(store: Store, declarations: list[str] | None = None, workers: int = 1, cache: str | None = None) -> Report:
    """Validate declarations (all by default), in `workers` processes when there are several;
    with a cache directory, only forms and declarations not seen before are validated."""
    chosen = declarations if declarations is not None else store.declarations()
    rules = rules_digest() if cache else ""
    jobs = [replace(_job(store, d), cache=str(cache) if cache else None, rules=rules) for d in chosen]
    if declarations is None:  # the whole store: self-evaluations no declaration answers to as well
        jobs += [replace(_evaluation_job(store, e), cache=str(cache) if cache else None, rules=rules)
                 for e in _orphan_evaluations(store, chosen)]
    if workers > 1 and len(jobs) > 1:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            outcomes = list(pool.map(_run_job, jobs, chunksize=max(1, len(jobs) // (workers * 4))))
    else:
        lazy = _LazyShapes()  # this run's own: pySHACL may change a shapes graph as it works
        outcomes = [_run_job(job, lazy) for job in jobs]
    report = Report()
    report_node = rdflib.BNode()
    report.graph.bind("sh", SH)
    report.graph.add((report_node, RDF.type, SH.ValidationReport))
    for job, (findings, results, validated) in zip(jobs, outcomes):
        report.forms += len(job.forms)
        report.validated += validated
        report.findings.extend(findings)
        fragment = rdflib.Graph().parse(data=results, format="nt")
        for result in fragment.subjects(RDF.type, SH.ValidationResult):
            node = rdflib.BNode()
            report.graph.add((report_node, SH.result, node))
            for predicate, obj in fragment.predicate_objects(result):
                report.graph.add((node, predicate, obj))
    if declarations is None:  # the whole store: review files whose sources have changed since
        for finding in stale_corrections(store):
            report.findings.append(finding)
            node = rdflib.BNode()
            report.graph.add((report_node, SH.result, node))
            report.graph.add((node, RDF.type, SH.ValidationResult))
            report.graph.add((node, SH.resultSeverity, SH.Warning))
            report.graph.add((node, SH.focusNode, rdflib.URIRef(finding.focus)))
            report.graph.add((node, SH.sourceShape, rdflib.URIRef(f"{GT}{finding.rule}")))
            for language, text in (("zh", finding.message_zh), ("en", finding.message_en)):
                report.graph.add((node, SH.resultMessage, rdflib.Literal(text, lang=language)))
    report.graph.add((report_node, SH.conforms, rdflib.Literal(report.conforms)))
    report.findings.sort(key=lambda f: (f.form, SEVERITY_ORDER[f.severity], f.line or 0, f.rule, f.focus))
    return report


def stale_corrections(store: Reader) -> list[Finding]:
    """A warning for each correction of a review file that no longer applies: the row it names
    is no longer read from the bytes reviewed (the source was changed and imported again), so
    the reading shows again until the row is reviewed anew."""
    found = []
    for row in store.run("corrections"):
        if row["applies"].value == "true":
            continue
        file, line, place = row["file"].value, int(row["file_line"].value), row["place"].value
        name, digest = row["read_name"].value, row["sha256"].value[:12]
        found.append(Finding(
            severity="Warning", rule="correction-stale", focus=row["correction"].value,
            focus_label=f"{file} 第{line}行 line {line}", form=row["graph"].value, form_label=f"复核文件 review file {file}",
            project="", line=line, value=row["indicator"].value,
            message_zh=f"更正已过时：{place}的“{name}”复核时出自 SHA-256 {digest}… 的来源文件，该文件已改变并重新导入；"
                       "更正不再适用，显示的是重新读取的内容。请重新导出复核清单并复核该行。",
            message_en=f"Stale correction: {place} ({name}) was reviewed in the source file with SHA-256 {digest}…, "
                       "which has since changed and been imported again; the correction no longer applies and the "
                       "row shows as read. Write a new review file and review the row again.",
        ))
    return found


def _collect(findings: list[Finding], out: rdflib.Graph, shapes: _Shapes, shapes_graph: rdflib.Graph, data: _Data, form: str | None):
    _conforms, results, _text = pyshacl.validate(data.oxigraph, shacl_graph=shapes_graph, inference="none", allow_warnings=True)
    if not isinstance(results, rdflib.Graph):  # pySHACL could not run the shapes at all
        raise ValidationError(f"the SHACL engine could not run the shapes: {results}")
    for result in results.subjects(RDF.type, SH.ValidationResult):
        shape = str(results.value(result, SH.sourceShape))
        focus = str(results.value(result, SH.focusNode))
        messages = {"zh": "", "en": ""}
        for message in results.objects(result, SH.resultMessage):
            language = message.language or shapes.language_of(shape, str(message))
            messages[language] = str(message)
        value = results.value(result, SH.value)
        home = form or data.form_of(focus)
        finding = Finding(
            severity=SEVERITIES[str(results.value(result, SH.resultSeverity))],
            rule=shape.rpartition("#")[2],
            focus=focus,
            focus_label=data.label(focus),
            form=home,
            form_label=data.form_label(home),
            project=data.project_name(focus),
            message_zh=messages["zh"],
            message_en=messages["en"],
            line=data.line(focus),
            value=str(value) if value is not None else None,
        )
        if finding in findings:
            continue
        findings.append(finding)
        node = rdflib.BNode()
        for predicate, obj in results.predicate_objects(result):
            # The shapes graph's own blank nodes (a SPARQL constraint) stay behind; messages
            # are written again below with their language tags.
            if predicate != SH.resultMessage and not isinstance(obj, rdflib.BNode):
                out.add((node, predicate, obj))
        for language, text in messages.items():
            if text:
                out.add((node, SH.resultMessage, rdflib.Literal(text, lang=language)))
