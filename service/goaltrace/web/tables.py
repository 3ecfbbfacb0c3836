"""Browsable tables in the manner of Datasette: /indicators, /projects, /funds, /outcomes, /declarations,
each with facets (the most frequent values of a column, each a link that adds the filter),
filters in the URL that a click removes, next and previous pages, and the same rows as JSON,
CSV (UTF-8 with a byte order mark, for Excel) and xlsx. `/api/indicators` and `/api/funds`
answer through the same function, so that a facet's count is the number of rows the API
returns for the same filter.

Scale: /indicators, /funds, /projects and /outcomes answer from the table index
(`goaltrace.answers.table_index`) once it holds every declaration: rows filtered on any column, searched
and sorted there, facets summed from per-declaration counts where the filters only choose
declarations, counted from the kept rows otherwise (each facet within `FACET_SECONDS` in all;
those that take longer are named, not shown). Without the index (a store imported before it was kept, whose
index `goaltrace index` builds; a store on a server), and for the
review queue, which is not indexed: when the declaration filters choose at most `NARROW`
declarations, their rows are read (and kept a while), filtered, searched, sorted and counted
whole; wider, rows are paged a declaration at a time, the facets count declarations from the
summary, and row filters, search and sort are refused until the declarations are narrowed.
"""

from dataclasses import dataclass, replace
from decimal import Decimal
from urllib.parse import quote, urlencode

from flask import Blueprint, Response, abort, jsonify, render_template, request

from ..answers import exporting, tables
from ..answers.table_index import IndexTimeout
from ..answers.tables import Facet, Table
from ..rendering import formats
from .context import Context, current

blueprint = Blueprint("tables", __name__)

NARROW = 20  # declarations whose rows one request may read whole, without the table index
INDEX_ADVICE = "run goaltrace index --store DIR to build it"
FACET_TOP, FACET_ALL = 10, 10_000  # values a facet lists, and lists when asked for all of them
FACET_SECONDS = 0.2  # what facets that read rows may take in all (those that take longer are named, not shown),
# and counting the rows a search or a row filter keeps (past it, the page gives no total)
PAGE_LIMIT, API_LIMIT, MAX_LIMIT, MAX_OFFSET = 50, 1000, 10_000, 1_000_000_000
API_TABLES = ("indicators", "funds", "outcomes", "review")  # the tables /api/<table> serves
# the page itself, then what `rendering.formats` writes a table as
FORMATS = ["html", "json", *(f for f in formats.names("table") if f != "json")]


@dataclass
class Answer:
    table: Table
    rows: list[dict[str, str]]  # this page's
    more: bool  # whether rows follow this page
    total: int | None  # rows matching the filters, where they were all counted
    chosen: int | None  # declarations the declaration filters choose (None: not counted)
    filters: dict[str, str]
    facets: list[Facet]
    limit: int
    offset: int
    late: tuple[str, ...] = ()  # facets not counted within their time
    wide: bool = False  # the table index is being built: row filters, search and sort wait for it
    paged: bool = False  # rows read a declaration at a time (past NARROW declarations, without the index)
    stale: bool = False  # the table index on disk does not match the store (goaltrace index brings it up to date)
    amount: Decimal | None = None  # amounts: the sum of the rows the filters keep, each amount once


@dataclass
class Asked:
    """What a request asks of a table."""
    filters: dict[str, str]  # column → value ('' keeps empty cells; ignored for a column a declaration fixes)
    q: str
    sort: str  # COLUMN or -COLUMN, '' for the table's own order
    facets: list[str]  # the columns to facet, those of the table and any asked for with facet=
    everything: str  # the facet to list whole (all=COLUMN), '' for none
    limit: int
    offset: int


def columns_of(table: Table) -> list[str]:
    """The columns a table's rows hold, the unit's place among them."""
    return tables.indexed_columns(table)


def parameters(table: Table) -> tuple[str, ...]:
    columns = columns_of(table)
    filters = [*tables.DECLARATION_FILTERS, *(c for c in columns if c not in tables.DECLARATION_FILTERS)]
    return (*filters, "q", "sort", "facet", "all", "format", "limit", "offset")


def asked(table: Table, default_limit: int) -> Asked:
    """The request's parameters, checked: one line naming what is wrong (a 400) otherwise."""
    known_parameters(parameters(table))
    context = current()
    limit = max(1, min(integer("limit", default_limit, 1, MAX_LIMIT), context.workers.row_limit - 1))
    offset = integer("offset", 0, 0, MAX_OFFSET)
    year = request.args.get("year", "")
    if year and not year.isdigit():
        abort(400, f"year must be a number such as 2023, not {year!r}")
    columns = columns_of(table)
    sort = request.args.get("sort", "")
    if sort and sort.lstrip("-") not in columns:
        abort(400, f"sort must be a column, or -column for descending: one of {', '.join(columns)}; not {sort!r}")
    q = request.args.get("q", "").strip()[:200]
    if q and not tables.search_runs(q):
        abort(400, f"q must hold a letter or a digit to search for, not {q!r}")
    for column in (*request.args.getlist("facet"), *request.args.getlist("all")):
        if column not in columns:
            abort(400, f"facet and all take a column: one of {', '.join(columns)}; not {column!r}")
    filters = {c: request.args[c] for c in columns if c in request.args
               and (request.args[c] or c not in tables.DECLARATION_COLUMNS)}
    facets = [*table.counted(columns), *(c for c in request.args.getlist("facet") if c not in table.counted(columns))]
    everything = request.args.get("all", "")
    if everything and everything not in facets:
        facets.append(everything)
    return Asked(filters, q, sort, [c for c in facets if c not in filters], everything, limit, offset)


def answer(name: str, default_limit: int) -> Answer:
    """The rows, facets and paging a request's parameters ask for of a table: from the table
    index where it is ready, else from the declarations' rows (the summary's for /declarations)."""
    table = tables.TABLES[name]
    wanted = asked(table, default_limit)
    context = current()
    summary = context.summary()
    department = wanted.filters.get("department", "")
    partial = frozenset({"department"}) if department and not summary.chosen(department=department, exact=True) else frozenset()
    index = context.table_index(name)
    if index is not None:
        return _from_index(table, index, wanted, partial)
    return replace(_without_index(name, table, wanted, summary), stale=context.index_state(name) == "stale")


def _without_index(name: str, table: Table, wanted: Asked, summary) -> Answer:
    """The rows of a table the index does not answer for: read whole for at most `NARROW`
    declarations (their rows kept a while), a declaration at a time past that."""
    context = current()
    chosen_by = {c: wanted.filters.get(c, "") for c in tables.DECLARATION_FILTERS}
    chosen = summary.chosen(**chosen_by)
    if name == "declarations" or len(chosen) <= NARROW:  # every row read, filtered and counted
        place = summary.places
        if name == "declarations":  # its rows are the summary's own
            rows = [r for d in chosen for r in tables.declaration_rows(None, name, d, place.get(d.iri))]
        else:  # the unit's place beside tables without its columns
            rows = [{**tables.place_of(place.get(d.iri)), **r} for d in chosen for r in context.declaration_rows(name, d)]
        kept = tables.keep(rows, {c: v for c, v in wanted.filters.items() if c not in tables.DECLARATION_FILTERS})
        kept = tables.searched(kept, wanted.q) if wanted.q else kept
        kept = tables.sorted_rows(kept, wanted.sort, tables.NUMERIC) if wanted.sort else kept
        facets = [tables.facet(c, (r.get(c, "") for r in kept), _top(wanted, c)) for c in wanted.facets]
        amounts = "part_of" in table.columns
        if amounts:  # each value's sum, each amount once
            facets = [tables.with_totals(f, kept) for f in facets]
        return Answer(table, kept[wanted.offset:wanted.offset + wanted.limit], len(kept) > wanted.offset + wanted.limit,
                      len(kept), len(chosen), wanted.filters, facets, wanted.limit, wanted.offset,
                      amount=exporting.total(kept) if amounts else None)
    return _wide(name, table, wanted, chosen, summary)


def _from_index(table: Table, index, wanted: Asked, partial: frozenset) -> Answer:
    seconds = current().limits.timeout
    try:
        found, total = index.rows(table.name, wanted.filters, wanted.q, wanted.sort, wanted.limit + 1, wanted.offset,
                                  seconds, partial, count_seconds=FACET_SECONDS)
    except IndexTimeout:
        abort(408, f"finding the rows took longer than {seconds:g} s: narrow the question")
    counted = index.facets(table.name, wanted.facets, wanted.filters, wanted.q, FACET_SECONDS, partial)
    facets = [tables.ranked(c, tally, _top(wanted, c)) for c, tally in counted.items() if tally is not None]
    late = tuple(c for c, tally in counted.items() if tally is None)
    declared = {c: v for c, v in wanted.filters.items() if c in tables.DECLARATION_COLUMNS}
    chosen = None if partial or len(declared) < len(wanted.filters) else index.declarations(table.name, declared)
    amount = None
    if "part_of" in table.columns:  # amounts: the total, and each facet value's, each amount once
        amount = index.amount(table.name, wanted.filters, wanted.q, FACET_SECONDS, partial)
        facets = _with_index_totals(table, index, wanted, partial, facets)
    return Answer(table, found[:wanted.limit], len(found) > wanted.limit, total, chosen, wanted.filters, facets,
                  wanted.limit, wanted.offset, late, amount=amount)


def _with_index_totals(table: Table, index, wanted: Asked, partial: frozenset, facets: list[Facet]) -> list[Facet]:
    """Facets of amounts with each listed value's total from the index (none where adding
    them up takes longer than `FACET_SECONDS`)."""
    listed = {f.column: [v for v, _ in f.values] for f in facets if f.column not in tables.MULTIPLE}
    totals = index.amount_totals(table.name, listed, wanted.filters, wanted.q, FACET_SECONDS, partial)
    return [replace(f, totals=totals.get(f.column, {})) for f in facets]


def _wide(name: str, table: Table, wanted: Asked, chosen: list, summary) -> Answer:
    """Past `NARROW` declarations without the table index (not built, stale, or a store on a
    server): a page of rows read a declaration at a time, and facets of declarations from the
    summary."""
    row_filters = [c for c in wanted.filters if c not in tables.DECLARATION_FILTERS]
    state = current().index_state(name)
    if row_filters or wanted.q or wanted.sort:
        asked_for = [*row_filters, *(["q"] if wanted.q else []), *(["sort"] if wanted.sort else [])]
        why = {"building": "wait for the table index, which is being built",
               "stale": f"need the table index, which does not match the store ({INDEX_ADVICE})"}.get(
                   state, "need its rows read whole, a declaration at a time")
        abort(503 if state == "building" else 400,
              f"{', '.join(asked_for)} across {len(chosen)} declarations {why}; narrow to at most {NARROW} declarations "
              "with department=, year=, province=, city= or county=" + (", or try again shortly" if state == "building" else ""))
    context = current()
    found = context.table_page(name, wanted.limit + 1, wanted.offset,
                               None if len(chosen) == len(summary.declarations) else chosen)
    place = summary.places
    facets = [tables.facet(c, (str(d.year) if c == "year" else d.department if c == "department"
                               else place.get(d.iri, {}).get(c, "") for d in chosen), _top(wanted, c), counts="declarations")
              for c in tables.DECLARATION_FILTERS if c not in wanted.filters]
    return Answer(table, found[:wanted.limit], len(found) > wanted.limit, None, len(chosen), wanted.filters, facets,
                  wanted.limit, wanted.offset, wide=state == "building", paged=True)


def _top(wanted: Asked, column: str) -> int:
    return FACET_ALL if wanted.everything == column else FACET_TOP


def respond(name: str, default_limit: int, default_format: str):
    """A table as the request's format asks: HTML (a page with facets), JSON, CSV or xlsx; a
    `Link: <…>; rel="next"` header points to the next page whenever one follows."""
    fmt = request.args.get("format", default_format)
    offered = FORMATS if default_format == "html" else [f for f in FORMATS if f != "html"]
    if fmt not in offered:
        abort(400, f"format must be one of {', '.join(offered)}, not {fmt!r}")
    found = answer(name, default_limit)
    found.rows = [{c: r.get(c, "") for c in found.table.columns} for r in found.rows]
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
    response.headers["X-Goaltrace-Table-Index"] = current().index_state(name)
    if found.more:
        response.headers["Link"] = f'<{request.path}?{_query(limit=found.limit, offset=found.offset + found.limit)}>; rel="next"'
    return response


def facets_json(name: str) -> dict:
    """The facets of a table under the request's parameters, as JSON: each column's values
    with their counts, how many values it has in all, what the counts count; and the facets
    not counted within their time."""
    found = answer(name, API_LIMIT)
    return {"facets": {f.column: {"values": [{"value": v, "count": n} for v, n in f.values], "distinct": f.distinct,
                                  "counts": f.counts} for f in found.facets},
            "not_counted_in_time": list(found.late), "rows": found.total}


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
    """The request's query string with some parameters changed (None removes one); a
    parameter given several times (facet=) keeps each value."""
    args = [(k, v) for k, v in request.args.items(multi=True) if k not in drop and k not in changes]
    return urlencode(args + [(k, str(v)) for k, v in changes.items() if v is not None])


def page_context(found: Answer) -> dict:
    """What the table template shows: the rows, each facet's values as links adding a filter
    (and a link to list them all), each filter as a link removing it, the search, each
    column's header as a link sorting by it, the pages before and after, and the downloads."""
    everything = request.args.get("all", "")
    facets = [{"column": f.column, "label": tables.LABELS.get(f.column, f.column), "counts": f.counts,
               "distinct": f.distinct, "listed_all": f.column == everything,
               "all": _here(drop=("offset",), all=f.column), "fewer": _here(drop=("offset", "all")),
               "entries": [{"value": v, "count": n, "href": _here(drop=('offset', 'all'), **{f.column: v}),
                            "amount": f.totals.get(v)}
                           for v, n in f.values]}
              for f in found.facets if f.values]
    filters = [{"column": c, "label": tables.LABELS.get(c, c), "value": v, "href": _here(drop=('offset', c))}
               for c, v in found.filters.items()]
    sort = request.args.get("sort", "")
    columns = [{"name": c, "label": tables.LABELS.get(c, c), "sorted": "asc" if sort == c else "desc" if sort == f"-{c}" else "",
                "href": _here(drop=("offset",), sort=f"-{c}" if sort == c else c)}
               for c in found.table.shown or found.table.columns]
    downloads = {fmt: _here(drop=('offset', 'limit'), format=fmt, limit=MAX_LIMIT) for fmt in ("csv", "xlsx", "json")}
    context = current()
    return {
        "table": found.table, "columns": columns, "q": request.args.get("q", ""),
        "kept": [(k, v) for k, v in request.args.items(multi=True) if k not in ("q", "offset")],
        "rows": found.rows, "facets": facets, "filters": filters, "total": found.total, "chosen": found.chosen,
        "late": [tables.LABELS.get(c, c) for c in found.late], "wide": found.wide, "paged": found.paged,
        "stale": found.stale,
        "amount": found.amount,
        "first": found.offset + 1, "last": found.offset + len(found.rows), "narrow": NARROW,
        "next": _here(offset=found.offset + found.limit) if found.more else None,
        "previous": _here(offset=max(0, found.offset - found.limit) or None) if found.offset > 0 else None,
        "downloads": downloads, "download_limit": min(MAX_LIMIT, context.workers.row_limit - 1),
        "api": f"/api/{found.table.name}?{_query(drop=('format',))}" if found.table.name in API_TABLES else None,
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
