"""The JSON API: the same answers as the command line."""

import csv
import io
from urllib.parse import urlencode

import pyoxigraph as ox

from flask import Blueprint, Response, abort, current_app, jsonify, request

from .. import exporting, trace, validate
from ..queries import named_queries
from .context import current, requested_declaration, requested_validation

blueprint = Blueprint("api", __name__, url_prefix="/api")




@blueprint.get("")
@blueprint.get("/")
def index():
    return jsonify({
        "endpoints": {
            "/api/declarations": "loaded declarations",
            "/api/goals": "goals of a declaration with projects by basis and funds (?department=&year=)",
            "/api/goals/<n>/projects": "projects that contribute to goal n, with the basis of each link",
            "/api/projects": "projects of a declaration", "/api/projects/<name>": "one project",
            "/api/department-indicators": "department indicators and the project indicators that deliver them, with basis",
            "/api/indicators": "one row per indicator", "/api/funds": "one row per amount (万元)",
            "/api/validation": "validation findings", "/api/queries": "named SPARQL queries",
            "/sparql": "SPARQL 1.1 Protocol endpoint",
            "/api/openapi.json": "the OpenAPI description of this API",
        }
    })


@blueprint.get("/openapi.json")
def openapi():
    """The OpenAPI description of this API."""
    return current_app.send_static_file("openapi.json")


@blueprint.get("/declarations")
def declarations():
    return jsonify([{"iri": d.iri, "department": d.department, "year": d.year} for d in trace.declarations(current().store)])


@blueprint.get("/goals")
def goals():
    d = requested_declaration()
    return jsonify({"declaration": {"iri": d.iri, "department": d.department, "year": d.year},
                    "goals": trace.goals(current().store, d)})


@blueprint.get("/goals/<int:number>/projects")
def goal_projects(number: int):
    d = requested_declaration()
    try:
        return jsonify(trace.goal_projects(current().store, d, number))
    except trace.TraceError as error:
        abort(error.status, str(error))


@blueprint.get("/department-indicators")
def department_indicators():
    d = requested_declaration()
    return jsonify(trace.indicator_links(current().store, d))


@blueprint.get("/projects")
def projects():
    d = requested_declaration()
    rows = current().store.select(
        f"SELECT ?p ?name ?funds WHERE {{ ?p gt:partOfDeclaration <{d.iri}> ; gt:projectName ?name ; gt:sourceLine ?line . "
        f"OPTIONAL {{ ?f gt:forProject ?p ; gt:fundSource gtf:source-all ; gt:amount ?funds }} }} ORDER BY ?line"
    )
    return jsonify([{"name": r["name"].value, "iri": r["p"].value, "funds": trace.as_number(r.get("funds"))} for r in rows])


@blueprint.get("/projects/<name>")
def project(name: str):
    d = requested_declaration()
    return jsonify(project_detail(d, name))


def project_detail(d: trace.DeclarationRef, name: str) -> dict:
    store = current().store
    try:  # the name is bound as a value, never spliced into the query text
        wanted = ox.Literal(name)
        rows = store.select("SELECT ?p ?d ?wanted WHERE { ?p gt:partOfDeclaration ?d ; gt:projectName ?name FILTER (str(?name) = ?wanted) }",
                            {"d": ox.NamedNode(d.iri), "wanted": wanted})
    except ValueError:
        rows = []
    if not rows:
        abort(404, f"{d.department} {d.year} has no project named {name!r}")
    return trace.project_detail(store, rows[0]["p"].value)


TABLE_PARAMETERS = ("department", "year", "limit", "offset")
DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET = 1000, 10_000, 1_000_000_000


@blueprint.get("/indicators")
def indicators():
    return _table("indicators")


@blueprint.get("/funds")
def funds():
    return _table("funds")


def _table(table: str):
    """A page of a table's rows, of one declaration when ?department=&year= choose one (the
    same rule as every other answer), the filter bound into the query; a `Link: <…>; rel="next"`
    header points to the next page."""
    unknown = sorted(set(request.args) - set(TABLE_PARAMETERS))
    if unknown:
        abort(400, f"unknown parameter {', '.join(unknown)}; allowed here: {', '.join(TABLE_PARAMETERS)}")
    limit, offset = _integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT), _integer("offset", 0, 0, MAX_OFFSET)
    chosen = requested_declaration().iri if request.args.get("department") or request.args.get("year") else None
    rows = exporting.rows(current().store, table, chosen, limit + 1, offset)
    response = jsonify(exporting.typed(rows[:limit]))
    if len(rows) > limit:
        following = {**request.args.to_dict(), "limit": str(limit), "offset": str(offset + limit)}
        response.headers["Link"] = f'<{request.path}?{urlencode(following)}>; rel="next"'
    return response


def _integer(name: str, default: int, low: int, high: int | None) -> int:
    text = request.args.get(name)
    if text is None:
        return default
    if not text.isdigit() or int(text) < low or (high is not None and int(text) > high):
        abort(400, f"{name} must be a whole number from {low}" + (f" to {high}" if high else "") + f", not {text!r}")
    return int(text)


@blueprint.get("/validation")
def validation():
    return jsonify(validate.to_json(requested_validation()))


@blueprint.get("/queries")
def queries():
    return jsonify([{"name": q.name, "title": q.title, "description": q.description, "query": q.text,
                     "run": f"/api/queries/{q.name}"} for q in named_queries().values()])


@blueprint.get("/queries/<name>")
def run_query(name: str):
    query = named_queries().get(name)
    if query is None:
        abort(404, f"no named query {name!r}; see /api/queries")
    rows = current().store.select(query.text)
    columns = sorted({k for r in rows for k in r}, key=lambda c: query.text.find("?" + c))
    if request.args.get("format") == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(columns)
        writer.writerows([[r[c].value if c in r else "" for c in columns] for r in rows])
        return Response(out.getvalue(), mimetype="text/csv", headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})
    return jsonify({"name": name, "title": query.title, "columns": columns,
                    "rows": [{c: (r[c].value if c in r else None) for c in columns} for r in rows]})
