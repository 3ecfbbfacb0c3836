"""HTML pages, Chinese first with English beside; every page has its JSON next to it."""

from urllib.parse import quote

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request
from pyoxigraph import NamedNode

from ..answers import figures, trace
from ..answers import report as reports
from ..domain.regions import UNPLACED
from ..graph.namespaces import GT
from ..query import vocabulary
from ..query.named import cookbook, named_queries
from ..rendering import local_path, markdown, pictures
from ..rendering.html import report_context
from ..rendering.sparql_results import TRIPLE_MEDIA as RDF_TYPES
from .context import current, requested_declaration, requested_validation
from .entities import describe, iri_of, rdf, statements, types
from .negotiation import choose

blueprint = Blueprint("pages", __name__)

PAGE_SIZE = 50


@blueprint.get("/")
def home():
    context = current()
    store, reader = context.store, context.reader
    stats = {**context.counts(), "triples": context.triples(), "changed": context.changed()}
    if context.small:  # a few declarations: each with its goals, and the validation of them all
        declarations = []
        for ref in trace.declarations(reader):
            goals = trace.goals(reader, ref)
            for g in goals:
                g["href"] = local_path(g["iri"])
            declarations.append({"ref": ref, "href": local_path(ref.iri), "goals": goals})
        report = context.validation()
        validation = {"counts": {s: report.count(s) for s in ("Violation", "Warning", "Info")}}
        return render_template("home.html", declarations=declarations, stats=stats, validation=validation,
                               location=store.location, corpus=None)
    return render_template("home.html", declarations=[], stats=stats, validation=None, location=store.location,
                           corpus=corpus_listing(context.summary(), request.args.get("q", ""), _page()))


def _page() -> int:
    page = request.args.get("page", "1")
    if not page.isdigit() or int(page) < 1:
        abort(400, f"page must be a number from 1, not {page!r}")
    return int(page)


def corpus_listing(summary, text: str, page: int) -> dict:
    """A large corpus summarised: declarations per year and per province, and one page of the
    declarations whose unit's name holds `text`."""
    text = text.strip()[:100]
    found = summary.matching(text)
    start = (page - 1) * PAGE_SIZE
    listed = [{"department": d.department, "year": d.year, "href": local_path(d.iri),
               "report": f"/report?department={quote(d.department)}&year={d.year}"} for d in found[start:start + PAGE_SIZE]]
    more = len(found) > start + PAGE_SIZE
    return {"per_year": summary.per_year, "per_region": summary.per_region, "listed": listed, "q": text, "page": page,
            "matching": len(found), "unplaced": UNPLACED,
            "next": f"/?q={quote(text)}&page={page + 1}" if more else None,
            "previous": f"/?q={quote(text)}&page={page - 1}" if page > 1 else None}


@blueprint.get("/goals/<int:number>")
def goal(number: int):
    d = requested_declaration()
    try:
        answer = trace.goal_projects(current().reader, d, number)
    except trace.TraceError as error:
        abort(error.status, str(error))
    return redirect(local_path(answer["goal"]["iri"]), code=303)


@blueprint.get("/id/<path:path>")
def entity(path: str):
    reader = current().reader
    iri = iri_of(path)
    try:
        said = statements(reader, iri)
    except ValueError:  # not even an IRI
        said = []
    if not said:
        abort(404, f"nothing is known about {iri}")
    offered = ["text/html", "application/json", *RDF_TYPES]
    media = choose(offered, request.headers.get("Accept"), request.args.get("format"))
    if media is None:
        abort(406, "acceptable here: " + ", ".join(offered))
    if media in RDF_TYPES:
        return Response(rdf(reader, iri, RDF_TYPES[media]), mimetype=media, headers={"Vary": "Accept"})
    kinds = types(reader, iri, said)
    node = NamedNode(iri)
    forms = {row["f"].value for row in reader.run("project-forms", {"project": node})}
    # Findings are about a declaration's forms: an entity no declaration holds (a budget unit,
    # a year, an agent, named by many) has none of its own, and the corpus is never validated
    # whole for it.
    declaration = _declaration_of(reader, iri)
    findings = [f for f in current().validation(declaration).findings
                if f.focus == iri or f.value == iri or f.form in forms] if declaration else []
    if f"{GT}OverallGoal" in kinds:
        goal = reader.run("goal", {"goal": node})[0]
        ref = trace.declaration(reader, goal["declaration"].value)
        answer = trace.goal_projects(reader, ref, int(goal["number"].value))
        if media == "application/json":
            return jsonify(answer)
        return _html(render_template("goal.html", answer=answer, charts=_fund_charts(reader, ref, answer["goal"]["number"])))
    project = trace.project_detail(reader, iri) if f"{GT}Project" in kinds else None
    description = describe(reader, iri, said)
    if media == "application/json":
        return jsonify({**description, "project": project, "findings": [f.as_json() for f in findings]})
    ref = trace.declaration(reader, iri) if f"{GT}Declaration" in kinds else None
    charts = _fund_charts(reader, ref) if ref else None
    return _html(render_template("entity.html", entity=description, project=project, findings=findings, charts=charts))


def _fund_charts(reader, declaration: trace.DeclarationRef, goal: int | None = None) -> dict:
    """A declaration's project money per goal and per level-1 dimension, drawn."""
    return {"goals": pictures.goal_funds(figures.goal_funds(reader, declaration), goal),
            "dimensions": pictures.dimension_funds(figures.dimension_funds(reader, declaration)),
            "declaration": declaration}


def _declaration_of(reader, iri: str) -> str | None:
    """The declaration an entity belongs to (None for what no declaration holds: units, years)."""
    rows = reader.run("declaration-of", {"entity": NamedNode(iri)})
    return rows[0]["declaration"].value if rows else None


def _html(body: str) -> Response:
    return Response(body, mimetype="text/html", headers={"Vary": "Accept"})


@blueprint.get("/validation")
def validation():
    report = requested_validation()
    groups: dict[str, list] = {}
    for f in report.findings:
        groups.setdefault(f.form, []).append(f)
    counts = {s: report.count(s) for s in ("Violation", "Warning", "Info")}
    return render_template("validation.html", report=report, counts=counts, groups=list(groups.items()))


@blueprint.get("/query")
def query_page():
    """The workbench: the cookbook's research questions as examples first, every named query
    (the app's own among them) below them."""
    queries = list(named_queries().values())
    initial = request.args.get("query") or (named_queries().get("projects-per-goal") or queries[0]).text
    return render_template("query.html", cookbook=cookbook(), queries=queries, initial=initial,
                           vocabulary=vocabulary.vocabulary(current().reader))


@blueprint.get("/report")
def report():
    d = requested_declaration()
    data = reports.build(current().reader, d, current().validation(d.iri))
    media = choose(["text/html", "text/markdown"], request.headers.get("Accept"), request.args.get("format"))
    if media == "text/markdown":
        return Response(markdown.report(data), mimetype="text/markdown")
    return render_template("report.html", **report_context(data), standalone=False)
