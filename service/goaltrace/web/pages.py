"""HTML pages, Chinese first with English beside; every page has its JSON next to it."""

from flask import Blueprint, Response, abort, jsonify, redirect, render_template, request

from .. import report as reports
from .. import trace
from ..graph.namespaces import GT
from ..queries import named_queries
from ..sparql_results import TRIPLE_MEDIA as RDF_TYPES
from .context import current, requested_declaration
from .entities import describe, exists, iri_of, local_path, rdf, types
from .negotiation import choose

blueprint = Blueprint("pages", __name__)



@blueprint.get("/")
def home():
    store = current().store
    declarations = []
    for ref in trace.declarations(store):
        goals = trace.goals(store, ref)
        for g in goals:
            g["href"] = local_path(g["iri"])
        declarations.append({"ref": ref, "href": local_path(ref.iri), "goals": goals})
    counts = store.select("SELECT (COUNT(DISTINCT ?f) AS ?forms) (COUNT(DISTINCT ?i) AS ?indicators) WHERE { "
                          "{ ?f a gt:DepartmentForm } UNION { ?f a gt:ProjectForm } UNION { ?i a gt:Indicator } }")[0]
    stats = {"declarations": len(declarations), "forms": int(counts["forms"].value),
             "indicators": int(counts["indicators"].value), "triples": len(store)}
    report = current().validation()
    validation = {"counts": {s: report.count(s) for s in ("Violation", "Warning", "Info")}}
    return render_template("home.html", declarations=declarations, stats=stats, validation=validation, location=store.location)


@blueprint.get("/goals/<int:number>")
def goal(number: int):
    d = requested_declaration()
    try:
        answer = trace.goal_projects(current().store, d, number)
    except trace.TraceError as error:
        abort(error.status, str(error))
    return redirect(local_path(answer["goal"]["iri"]), code=303)


@blueprint.get("/id/<path:path>")
def entity(path: str):
    store = current().store
    iri = iri_of(path)
    try:
        known = exists(store, iri)
    except ValueError:  # not even an IRI
        known = False
    if not known:
        abort(404, f"nothing is known about {iri}")
    offered = ["text/html", "application/json", *RDF_TYPES]
    media = choose(offered, request.headers.get("Accept"), request.args.get("format"))
    if media is None:
        abort(406, "acceptable here: " + ", ".join(offered))
    if media in RDF_TYPES:
        return Response(rdf(store, iri, RDF_TYPES[media]), mimetype=media, headers={"Vary": "Accept"})
    kinds = types(store, iri)
    forms = {row["f"].value for row in store.select(f"SELECT ?f WHERE {{ ?f gt:describesProject <{iri}> }}")}
    findings = [f for f in current().validation().findings if f.focus == iri or f.value == iri or f.form in forms]
    if f"{GT}OverallGoal" in kinds:
        number = int(store.select(f"SELECT ?n WHERE {{ <{iri}> gt:goalNumber ?n }}")[0]["n"].value)
        decl = store.select(f"SELECT ?d WHERE {{ <{iri}> gt:goalOf ?d }}")[0]["d"].value
        ref = next(d for d in trace.declarations(store) if d.iri == decl)
        answer = trace.goal_projects(store, ref, number)
        if media == "application/json":
            return jsonify(answer)
        return _html(render_template("goal.html", answer=answer, basis_label=trace.BASIS_LABEL))
    project = trace.project_detail(store, iri) if f"{GT}Project" in kinds else None
    description = describe(store, iri)
    if media == "application/json":
        return jsonify({**description, "project": project, "findings": [f.as_json() for f in findings]})
    return _html(render_template("entity.html", entity=description, project=project, findings=findings,
                                 basis_label=trace.BASIS_LABEL))


def _html(body: str) -> Response:
    return Response(body, mimetype="text/html", headers={"Vary": "Accept"})


@blueprint.get("/validation")
def validation():
    report = current().validation()
    groups: dict[str, list] = {}
    for f in report.findings:
        groups.setdefault(f.form, []).append(f)
    counts = {s: report.count(s) for s in ("Violation", "Warning", "Info")}
    return render_template("validation.html", report=report, counts=counts, groups=list(groups.items()))


@blueprint.get("/query")
def query_page():
    queries = list(named_queries().values())
    initial = request.args.get("query") or (named_queries().get("projects-per-goal") or queries[0]).text
    return render_template("query.html", queries=queries, initial=initial)


@blueprint.get("/report")
def report():
    d = requested_declaration()
    data = reports.build(current().store, d, current().validation())
    media = choose(["text/html", "text/markdown"], request.headers.get("Accept"), request.args.get("format"))
    if media == "text/markdown":
        return Response(reports.to_markdown(data), mimetype="text/markdown")
    return render_template("report.html", **data, standalone=False)
