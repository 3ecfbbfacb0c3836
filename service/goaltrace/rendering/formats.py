"""Output formats: one registry of what each kind of answer can be written as — its name, media
type, file extension and writer — that the command line and the web app both choose from, in the
way Datasette registers its output renderers.

A kind is the shape of the data a writer takes: ``table`` (a `Rows`), ``validation`` (a
validation report), ``goal`` (the answer of `trace goal`), ``links`` (department indicators and
the project indicators that deliver them), ``outcome-links``, ``history``, ``report``,
``query-list`` (the named queries) and ``results`` (a SPARQL answer). A writer returns text or
bytes; `render` gives bytes, `text` gives text.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module

import pyoxigraph as ox

JSON_TYPE = "application/json"
TEXT_TYPE = "text/plain; charset=utf-8"
CSV_TYPE = "text/csv; charset=utf-8"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class OutputFormat:
    kind: str
    name: str
    media_type: str
    extension: str
    writer: Callable[..., str | bytes]

    def render(self, data, **options) -> bytes:
        written = self.writer(data, **options)
        return written.encode("utf-8") if isinstance(written, str) else written


@dataclass(frozen=True)
class Rows:
    """A table's rows with the columns to write, in order; every cell a string."""
    table: str
    columns: list[str]
    rows: list[dict[str, str]] = field(default_factory=list)


_REGISTRY: dict[tuple[str, str], OutputFormat] = {}


def register(kind: str, name: str, media_type: str, extension: str):
    """Register the decorated function as the writer of `kind` answers in format `name`."""
    def decorate(writer):
        _REGISTRY[kind, name] = OutputFormat(kind, name, media_type, extension, writer)
        return writer
    return decorate


def names(kind: str) -> list[str]:
    """The formats an answer of this kind can be written in, in the order they were registered."""
    return [name for (k, name) in _REGISTRY if k == kind]


def get(kind: str, name: str) -> OutputFormat:
    return _REGISTRY[kind, name]


def render(kind: str, name: str, data, **options) -> bytes:
    return get(kind, name).render(data, **options)


def text(kind: str, name: str, data, **options) -> str:
    written = get(kind, name).writer(data, **options)
    return written if isinstance(written, str) else written.decode("utf-8")


# RDF documents of the graph itself (`goaltrace export graph`): each format's media type and file
# extension are Oxigraph's own (``RdfFormat.media_type``, ``.file_extension``)
GRAPH_FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}


def _json(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


# -- tables: indicators, funds, outcomes, the review queue ---------------------------------------

@register("table", "csv", CSV_TYPE, "csv")
def _table_csv(data: Rows, bom: bool = False) -> str:
    """With `bom`, the text opens with the UTF-8 byte order mark: a file to be opened in Excel
    (the web's downloads, the review file); a pipe into other tools wants none."""
    from . import spreadsheet

    return spreadsheet.csv_text(data.columns, ([row.get(c, "") for c in data.columns] for row in data.rows), bom=bom)


@register("table", "json", JSON_TYPE, "json")
def _table_json(data: Rows) -> str:
    from ..answers.exporting import typed

    return _json(typed(data.rows))


@register("table", "xlsx", XLSX_TYPE, "xlsx")
def _table_xlsx(data: Rows) -> bytes:
    """One sheet named for the table: the header row frozen, numeric columns as numbers, every
    other cell a string cell (never a formula)."""
    from ..answers.exporting import cell
    from . import spreadsheet

    return spreadsheet.xlsx_bytes(data.table, data.columns,
                                  ([cell(c, row.get(c, "")) for c in data.columns] for row in data.rows))


# -- validation, traceability, history, the report ------------------------------------------------
# Each writer is imported when first used: the command line starts without the SHACL engine or
# the HTML templates, and loads only the one it writes with.

def _writer(module: str, function: str):
    """`function` of the sibling module `module` (findings, text, markdown or html), imported on
    first use."""
    def write(data) -> str:
        return getattr(import_module(f"{__package__}.{module}"), function)(data)
    return write


register("validation", "text", TEXT_TYPE, "txt")(_writer("findings", "as_text"))
register("validation", "json", JSON_TYPE, "json")(lambda report: _json(_writer("findings", "as_data")(report)))
register("validation", "turtle", "text/turtle; charset=utf-8", "ttl")(_writer("findings", "as_turtle"))
for _kind, _function in (("goal", "goal_answer"), ("links", "indicator_links"), ("outcome-links", "outcome_review"),
                         ("history", "import_history")):
    register(_kind, "text", TEXT_TYPE, "txt")(_writer("text", _function))
    register(_kind, "json", JSON_TYPE, "json")(_json)
register("goal", "markdown", "text/markdown; charset=utf-8", "md")(_writer("markdown", "goal_answer"))
register("goal", "html", "text/html; charset=utf-8", "html")(_writer("html", "goal_answer"))
register("report", "html", "text/html; charset=utf-8", "html")(_writer("html", "report"))
register("report", "markdown", "text/markdown; charset=utf-8", "md")(_writer("markdown", "report"))


# -- the named queries, listed ----------------------------------------------------------------

def _query_rows(queries: list) -> list[dict]:
    return [{"name": q.name, "title": q.title, "description": q.description,
             "inputs": ", ".join(f"{name}={kind}" for name, kind in q.inputs.items())} for q in queries]


@register("query-list", "table", TEXT_TYPE, "txt")
def _query_list_table(queries: list, columns: int | None = None) -> str:
    from .text import named_query_list

    return named_query_list(queries, columns)


@register("query-list", "json", JSON_TYPE, "json")
def _query_list_json(queries: list, columns: int | None = None) -> str:
    return _json(_query_rows(queries))


def _query_list_delimited(queries: list, delimiter: str) -> str:
    from . import spreadsheet

    rows = _query_rows(queries)
    return spreadsheet.csv_text(list(rows[0]), (list(row.values()) for row in rows), delimiter=delimiter)


@register("query-list", "csv", CSV_TYPE, "csv")
def _query_list_csv(queries: list, columns: int | None = None) -> str:
    return _query_list_delimited(queries, ",")


@register("query-list", "tsv", "text/tab-separated-values; charset=utf-8", "tsv")
def _query_list_tsv(queries: list, columns: int | None = None) -> str:
    return _query_list_delimited(queries, "\t")


# -- SPARQL answers on the command line -----------------------------------------------------------

def _results(result, fmt: str, write_solutions: Callable) -> str:
    """A graph as Turtle with the goaltrace prefixes, a boolean in the format asked for (a bare
    word in a table), solutions as `write_solutions` writes them."""
    from ..graph.serialization import serialize

    if isinstance(result, ox.QueryTriples):
        return serialize(result, ox.RdfFormat.TURTLE).decode("utf-8")
    if isinstance(result, ox.QueryBoolean):
        if fmt == "table":
            return ("true" if bool(result) else "false") + "\n"
        return result.serialize(format=_RESULT_FORMATS[fmt]).decode("utf-8")
    return write_solutions(result)


_RESULT_FORMATS = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV,
                   "tsv": ox.QueryResultsFormat.TSV}


@register("results", "table", TEXT_TYPE, "txt")
def _results_table(result, columns: int | None = None) -> str:
    """Names as a query takes them back, fitted to `columns` of terminal."""
    from .text import results_table

    def solutions(found):
        names = [v.value for v in found.variables]
        return results_table(names, [[solution[n] for n in names] for solution in found], columns)
    return _results(result, "table", solutions)


@register("results", "json", "application/sparql-results+json", "srj")
def _results_json(result, columns: int | None = None) -> str:
    return _results(result, "json", lambda found: found.serialize(format=_RESULT_FORMATS["json"]).decode("utf-8"))


@register("results", "csv", CSV_TYPE, "csv")
def _results_csv(result, columns: int | None = None) -> str:
    """The W3C SPARQL CSV, but a text a spreadsheet would run as a formula is written as text."""
    from . import spreadsheet

    def solutions(found):
        names = [v.value for v in found.variables]
        return spreadsheet.csv_text(names, ([_csv_value(s[n]) for n in names] for s in found), line_end="\r\n")
    return _results(result, "csv", solutions)


@register("results", "tsv", "text/tab-separated-values; charset=utf-8", "tsv")
def _results_tsv(result, columns: int | None = None) -> str:
    return _results(result, "tsv", lambda found: found.serialize(format=_RESULT_FORMATS["tsv"]).decode("utf-8"))


def _csv_value(term) -> str:
    """A term as the SPARQL CSV results format writes it: an IRI or a literal's text bare, a
    blank node as _:name, nothing for an unbound variable."""
    if term is None:
        return ""
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


@register("import-report", "json", JSON_TYPE, "json")
def _import_report_json(outcomes: dict) -> str:
    """Each file's outcome of an import (`goaltrace import --report`)."""
    return json.dumps(outcomes, ensure_ascii=False, indent=2)


def extension(kind: str, name: str, default: str) -> str:
    """The file extension of a format, or `default` for one not registered."""
    found = _REGISTRY.get((kind, name))
    return found.extension if found else default


# -- the SPARQL endpoint's answers, by media type, cut at a row cap ------------------------------

def _register_sparql():
    from .sparql_results import EXTENSIONS, write

    for media, suffix in EXTENSIONS.items():
        register("sparql", media, media, suffix)(lambda result, limit, media=media: write(result, media, limit)[0])


_register_sparql()
