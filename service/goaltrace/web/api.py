"""The JSON API: the same answers as the command line."""

from datetime import datetime
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

import pyoxigraph as ox
from flask import Blueprint, Response, abort, current_app, jsonify, request

from .. import __version__
from ..answers import trace
from ..query import vocabulary
from ..query.named import QueryLayerError, named_queries
from ..rendering import formats
from ..rendering.findings import as_data
from . import tables
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
            "/api/indicators": "one row per indicator (?department= &year= &province= &city= &county= &level1= &level2= &unit= &comparator= "
                               "&project= &term= &format=json|csv|xlsx &limit= &offset=)",
            "/api/funds": "each amount once, 万元, the appropriation a column of it; the Total-Amount header "
                          "sums the rows kept, each amount once (?department= &year= &province= &city= &county= "
                          "&project= &kind= &format=json|csv|xlsx &limit= &offset=)",
            "/api/outcomes": "one row per outcome of a self-evaluation, with met and the declared indicator",
            "/api/review": "the review queue: rows that need a person's look, with source SHA-256, place, the row as "
                           "published and the reading (?department= &year= &province= &city= &county= &review= &project= &level1= "
                           "&format=json|csv|xlsx &limit= &offset=)",
            "/api/outcome-links": "a declaration's self-evaluations against its targets: linked, suggested, unmatched",
            "/api/validation": "validation findings", "/api/queries": "named SPARQL queries",
            "/api/vocabulary": "the predeclared prefixes and the ontology's classes, properties and concepts with labels",
            "/sparql": "SPARQL 1.1 Protocol endpoint",
            "/api/openapi.json": "the OpenAPI description of this API",
        }
    })


@blueprint.get("/openapi.json")
def openapi():
    """The OpenAPI description of this API, with goaltrace's version (written once, in
    ``goaltrace.__version__``)."""
    return jsonify(_openapi(current_app.static_folder))


@lru_cache(maxsize=1)
def _openapi(static_folder: str) -> dict:
    description = current_app.json.loads((Path(static_folder) / "openapi.json").read_text(encoding="utf-8"))
    description["info"] = {**description["info"], "version": __version__}
    return description


DECLARATION_PARAMETERS = ("q", "year", "limit", "offset")


@blueprint.get("/declarations")
def declarations():
    """A page of the loaded declarations, by unit name and year: ?q= keeps those whose unit's
    name holds a text, ?year= those of one year."""
    _known_parameters(DECLARATION_PARAMETERS)
    year = request.args.get("year", "")
    if year and not year.isdigit():
        abort(400, f"year must be a number such as 2023, not {year!r}")
    limit, offset = _page_size(), _integer("offset", 0, 0, MAX_OFFSET)
    found = current().summary().matching(request.args.get("q", ""), year)[offset:offset + limit + 1]
    response = _paged([{"iri": d.iri, "department": d.department, "year": d.year} for d in found], limit, offset)
    changed = current().changed()
    if changed:  # when the store last changed: the end of its latest import
        response.headers["X-Goaltrace-Store-Changed"] = changed
        response.last_modified = datetime.fromisoformat(changed)
    return response


@blueprint.get("/goals")
def goals():
    d = requested_declaration()
    return jsonify({"declaration": {"iri": d.iri, "department": d.department, "year": d.year},
                    "goals": trace.goals(current().reader, d)})


@blueprint.get("/goals/<int:number>/projects")
def goal_projects(number: int):
    d = requested_declaration()
    try:
        return jsonify(trace.goal_projects(current().reader, d, number))
    except trace.TraceError as error:
        abort(error.status, str(error))


@blueprint.get("/department-indicators")
def department_indicators():
    d = requested_declaration()
    return jsonify(trace.indicator_links(current().reader, d))


@blueprint.get("/projects")
def projects():
    d = requested_declaration()
    rows = trace.declaration_projects(current().reader, d.iri)
    return jsonify([{"name": r["name"].value, "iri": r["p"].value, "funds": trace.as_number(r.get("funds"))} for r in rows])


@blueprint.get("/projects/<name>")
def project(name: str):
    d = requested_declaration()
    return jsonify(project_detail(d, name))


def project_detail(d: trace.DeclarationRef, name: str) -> dict:
    reader = current().reader
    rows = reader.run("project-named", {"declaration": ox.NamedNode(d.iri), "wanted": ox.Literal(name)})
    if not rows:
        abort(404, f"{d.department} {d.year} has no project named {name!r}")
    return trace.project_detail(reader, rows[0]["p"].value)


DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET = 1000, 10_000, 1_000_000_000


@blueprint.get("/indicators")
def indicators():
    """One row per indicator, filtered as /indicators filters them (its facets count these rows)."""
    return tables.respond("indicators", tables.API_LIMIT, "json")


@blueprint.get("/funds")
def funds():
    """One row per amount, filtered as /funds filters them."""
    return tables.respond("funds", tables.API_LIMIT, "json")


@blueprint.get("/review")
def review_queue():
    """The review queue: the rows that need a person's look (the same filters as /review)."""
    return tables.respond("review", tables.API_LIMIT, "json")


@blueprint.get("/outcome-links")
def outcome_links():
    """A declaration's self-evaluations against its targets: linked, suggested, unmatched."""
    from ..answers import outcomes

    return jsonify(outcomes.review(current().reader, requested_declaration().iri))


@blueprint.get("/outcomes")
def outcomes():
    """What self-evaluations report: each outcome with met (true, false, "unknown") and the
    declared indicator it reports on (the same filters, search and sort as /outcomes)."""
    return tables.respond("outcomes", tables.API_LIMIT, "json")


@blueprint.get("/<any(indicators, funds, outcomes, review):table>/facets")
def table_facets(table: str):
    """The facets of a table under the same parameters as its rows: each column's values with
    how many of the rows each holds (`all=COLUMN` lists a column's every value)."""
    response = jsonify(tables.facets_json(table))
    response.headers["X-Goaltrace-Table-Index"] = current().index_state(table)
    return response


def _page_size() -> int:
    """?limit=, at most what one query may return (a page asks for one row more than it shows)."""
    return max(1, min(_integer("limit", DEFAULT_LIMIT, 1, MAX_LIMIT), current().workers.row_limit - 1))


def _known_parameters(allowed: tuple[str, ...]):
    unknown = sorted(set(request.args) - set(allowed))
    if unknown:
        abort(400, f"unknown parameter {', '.join(unknown)}; allowed here: {', '.join(allowed)}")


def _paged(rows: list, limit: int, offset: int):
    """One page of rows (``limit + 1`` were asked for, to know whether more follow), with a
    `Link: <…>; rel="next"` header when they do."""
    response = jsonify(rows[:limit])
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
    return jsonify(as_data(requested_validation()))


@blueprint.get("/queries")
def queries():
    return jsonify([{"name": q.name, "title": q.title, "description": q.description, "inputs": q.inputs,
                     "query": q.text, "run": f"/api/queries/{q.name}"} for q in named_queries().values()])


@blueprint.get("/vocabulary")
def vocabulary_terms():
    """What a query can be written in: the predeclared prefixes, and the classes, properties,
    concept schemes and concepts of the ontology and the framework with their labels."""
    return jsonify(vocabulary.vocabulary(current().reader))


@blueprint.get("/queries/<name>")
def run_query(name: str):
    """A named query's answer, its inputs given as parameters (``?declaration=IRI``), in the
    time limit and row cap of every query."""
    query = named_queries().get(name)
    if query is None:
        abort(404, f"no named query {name!r}; see /api/queries")
    _known_parameters((*query.inputs, "format"))
    try:
        bindings = {v: query.term(v, text) for v, text in request.args.items() if v != "format"}
    except QueryLayerError as error:
        abort(400, str(error))
    rows = current().reader.run(name, bindings or None)
    columns = sorted({k for r in rows for k in r}, key=lambda c: query.text.find("?" + c))
    if request.args.get("format") == "csv":
        written = formats.get("table", "csv")
        body = written.render(formats.Rows(name, columns, [{c: r[c].value for c in r} for r in rows]))
        return Response(body, content_type=written.media_type,
                        headers={"Content-Disposition": f'attachment; filename="{name}.{written.extension}"'})
    return jsonify({"name": name, "title": query.title, "columns": columns,
                    "rows": [{c: (r[c].value if c in r else None) for c in columns} for r in rows]})
