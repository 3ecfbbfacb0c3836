"""Browsable tables in the manner of Datasette: /indicators, /projects, /funds, /outcomes, /declarations,
each with facets (the most frequent values of a column, each a link that adds the filter),
filters in the URL that a click removes, next and previous pages, and the same rows as JSON,
CSV (UTF-8 with a byte order mark, for Excel) and xlsx. `/api/indicators` and `/api/funds`
answer through the same function, so that a facet's count is the number of rows the API
returns for the same filter.

Scale: the declaration filters (department, year, province, city, county) choose declarations from the
summary the context keeps, never by reading rows. When they choose at most `NARROW`
declarations, those declarations' rows are read (and kept a while), filtered and counted
whole; wider, rows are paged a declaration at a time, the facets count declarations from the
summary, and row filters (level 1, unit, …) are refused until the declarations are narrowed.
"""

from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, abort, jsonify, render_template, request

from ..answers import exporting, tables
from ..answers.tables import Facet, Table
from ..rendering import formats
from .context import Context, current

blueprint = Blueprint("tables", __name__)

NARROW = 20  # declarations whose rows one request may read whole, to filter and count them
PAGE_LIMIT, API_LIMIT, MAX_LIMIT, MAX_OFFSET = 50, 1000, 10_000, 1_000_000_000
# the page itself, then what `rendering.formats` writes a table as
FORMATS = ["html", "json", *(f for f in formats.names("table") if f != "json")]


@dataclass
class Answer:
    table: Table
    rows: list[dict[str, str]]  # this page's
    more: bool  # whether rows follow this page
    total: int | None  # rows matching the filters, where they were all read
    chosen: int  # declarations the declaration filters choose
    filters: dict[str, str]
    facets: list[Facet]
    limit: int
    offset: int
    amount: Decimal | None = None  # amounts: the sum of the rows the filters keep, each amount once


def parameters(table: Table) -> tuple[str, ...]:
    return (*table.filters, "format", "limit", "offset")


def answer(name: str, default_limit: int) -> Answer:
    """The rows, facets and paging a request's parameters ask for of a table."""
    table = tables.TABLES[name]
    known_parameters(parameters(table))
    context = current()
    limit = max(1, min(integer("limit", default_limit, 1, MAX_LIMIT), context.workers.row_limit - 1))
    offset = integer("offset", 0, 0, MAX_OFFSET)
    year = request.args.get("year", "")
    if year and not year.isdigit():
        abort(400, f"year must be a number such as 2023, not {year!r}")
    chosen_by = {c: request.args.get(c, "") for c in tables.DECLARATION_FILTERS}
    row_filters = {c: request.args[c] for c in table.row_filters if c in request.args}
    filters = {**{c: v for c, v in chosen_by.items() if v}, **row_filters}
    summary = context.summary()
    chosen = summary.chosen(**chosen_by)
    place = summary.places
    if name == "declarations" or len(chosen) <= NARROW:  # every row read, filtered and counted
        if name == "declarations":  # its rows are the summary's own
            rows = [r for d in chosen for r in tables.declaration_rows(None, name, d, place.get(d.iri))]
        else:
            rows = [r for d in chosen for r in context.declaration_rows(name, d)]
        kept = tables.keep(rows, row_filters)
        place_of = {d.department: place.get(d.iri, {}) for d in chosen}  # for tables without the place columns
        facets = [tables.facet(c, (r[c] if c in r else place_of.get(r["department"], {}).get(c, "") for r in kept))
                  for c in table.facets if c not in filters]
        if "part_of" in table.columns:  # amounts: each value's sum, each amount once
            facets = [tables.with_totals(f, kept) for f in facets]
        return Answer(table, kept[offset:offset + limit], len(kept) > offset + limit, len(kept), len(chosen), filters,
                      facets, limit, offset, exporting.total(kept) if "part_of" in table.columns else None)
    if row_filters:
        abort(400, f"{', '.join(row_filters)} filter rows, which are read whole for at most {NARROW} declarations; "
                   f"{len(chosen)} are chosen: narrow them first with department=, year=, province=, city= or county=")
    found = context.table_page(name, limit + 1, offset, None if len(chosen) == len(summary.declarations) else chosen)
    facets = [tables.facet(c, (str(d.year) if c == "year" else d.department if c == "department"
                               else place.get(d.iri, {}).get(c, "") for d in chosen), counts="declarations")
              for c in tables.DECLARATION_FILTERS if c not in filters]
    return Answer(table, found[:limit], len(found) > limit, None, len(chosen), filters, facets, limit, offset)


def respond(name: str, default_limit: int, default_format: str):
    """A table as the request's format asks: HTML (a page with facets), JSON, CSV or xlsx; a
    `Link: <…>; rel="next"` header points to the next page whenever one follows."""
    fmt = request.args.get("format", default_format)
    offered = FORMATS if default_format == "html" else [f for f in FORMATS if f != "html"]
    if fmt not in offered:
        abort(400, f"format must be one of {', '.join(offered)}, not {fmt!r}")
    found = answer(name, default_limit)
    if fmt == "html":
        response = Response(render_template("table.html", **page_context(found)), content_type="text/html; charset=utf-8")
    elif fmt == "json":
        response = jsonify(exporting.typed(found.rows))
        if found.amount is not None:  # the sum of every row the filters keep, each amount once (万元)
            response.headers["Total-Amount"] = str(found.amount)
    else:
        written = formats.get("table", fmt)
        body = written.render(formats.Rows(name, list(found.table.columns), found.rows), **({"bom": True} if fmt == "csv" else {}))
        response = Response(body, content_type=written.media_type,
                            headers={"Content-Disposition": _attachment(name, found.filters, written.extension)})
    if found.more:
        response.headers["Link"] = f'<{request.path}?{_query(limit=found.limit, offset=found.offset + found.limit)}>; rel="next"'
    return response


def _attachment(name: str, filters: dict[str, str], fmt: str) -> str:
    """A download's file name: indicators.csv, or as RFC 6266 lets a browser take it in UTF-8,
    indicators-2023-产出指标.csv (the filters' values, what a file name cannot hold dropped)."""
    parts = [name, *(v for v in filters.values() if v)]
    full = "".join(c for c in "-".join(parts) if c.isprintable() and c not in '"\\/:*?<>|;')[:120]
    return f"attachment; filename=\"{name}.{fmt}\"; filename*=UTF-8''{quote(full + '.' + fmt, safe='')}"


def _here(drop: tuple[str, ...] = (), **changes) -> str:
    """This page with some parameters changed: the path alone when none are left."""
    query = _query(drop, **changes)
    return f"{request.path}?{query}" if query else request.path


def _query(drop: tuple[str, ...] = (), **changes) -> str:
    """The request's query string with some parameters changed (None removes one)."""
    args = {k: v for k, v in request.args.items() if k not in drop}
    for key, value in changes.items():
        if value is None:
            args.pop(key, None)
        else:
            args[key] = str(value)
    return urlencode(args)


def page_context(found: Answer) -> dict:
    """What the table template shows: the rows, each facet's values as links adding a filter,
    each filter as a link removing it, the pages before and after, and the downloads."""
    facets = [{"column": f.column, "label": tables.LABELS.get(f.column, f.column), "counts": f.counts,
               "distinct": f.distinct,
               "entries": [{"value": v, "count": n, "href": _here(drop=('offset',), **{f.column: v}),
                            "amount": f.totals.get(v)}
                          for v, n in f.values]}
              for f in found.facets if f.values]
    filters = [{"column": c, "label": tables.LABELS.get(c, c), "value": v, "href": _here(drop=('offset', c))}
               for c, v in found.filters.items()]
    downloads = {fmt: _here(drop=('offset', 'limit'), format=fmt, limit=MAX_LIMIT) for fmt in ("csv", "xlsx", "json")}
    context = current()
    return {
        "table": found.table,
        "columns": [(c, tables.LABELS.get(c, c)) for c in found.table.shown or found.table.columns],
        "rows": found.rows, "facets": facets, "filters": filters, "total": found.total, "chosen": found.chosen,
        "amount": found.amount,
        "first": found.offset + 1, "last": found.offset + len(found.rows), "narrow": NARROW,
        "next": _here(offset=found.offset + found.limit) if found.more else None,
        "previous": _here(offset=max(0, found.offset - found.limit) or None) if found.offset > 0 else None,
        "downloads": downloads, "download_limit": min(MAX_LIMIT, context.workers.row_limit - 1),
        "api": f"/api/{found.table.name}?{_query(drop=('format',))}" if found.table.name in ("indicators", "funds", "review")
        else None,
        "kinds": _kinds(context) if found.table.name == "declarations" else None,
    }


def _kinds(context: Context) -> dict:
    """The mix of indicator kinds per year and per province, drawn (or why not)."""
    from ..rendering import pictures

    kinds = context.indicator_kinds()
    if kinds is None:
        return {"error": "正在统计，请稍后刷新 still being counted: reload in a few seconds"}
    if isinstance(kinds, Exception):
        return {"error": f"未能统计 could not be counted: {kinds}"}
    return {"per_year": pictures.indicator_kinds(kinds.per_year, "各年度指标类型构成 Indicator kinds (level 1) per year"),
            "per_region": pictures.indicator_kinds(kinds.per_region, "各省级行政区指标类型构成 Indicator kinds (level 1) per province")}


def known_parameters(allowed: tuple[str, ...]):
    unknown = sorted(set(request.args) - set(allowed))
    if unknown:
        abort(400, f"unknown parameter {', '.join(unknown)}; allowed here: {', '.join(allowed)}")


def integer(name: str, default: int, low: int, high: int | None) -> int:
    text = request.args.get(name)
    if text is None:
        return default
    if not text.isdigit() or int(text) < low or (high is not None and int(text) > high):
        abort(400, f"{name} must be a whole number from {low}" + (f" to {high}" if high else "") + f", not {text!r}")
    return int(text)


@blueprint.get("/indicators")
def indicators():
    return respond("indicators", PAGE_LIMIT, "html")


@blueprint.get("/projects")
def projects():
    return respond("projects", PAGE_LIMIT, "html")


@blueprint.get("/funds")
def funds():
    return respond("funds", PAGE_LIMIT, "html")


@blueprint.get("/outcomes")
def outcomes():
    """What self-evaluations report, the rows `goaltrace export outcomes` writes: each target
    beside its actual and whether it was met (true, false, unknown)."""
    return respond("outcomes", PAGE_LIMIT, "html")


@blueprint.get("/declarations")
def declarations():
    return respond("declarations", PAGE_LIMIT, "html")


@blueprint.get("/review")
def review_queue():
    """The rows that need a person's look, the row as published beside each reading; the CSV
    download is the file `goaltrace review` writes, to fill in and import."""
    return respond("review", PAGE_LIMIT, "html")
