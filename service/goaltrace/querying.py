"""Run a SPARQL query from the command line and format its results."""

import pyoxigraph as ox

from .graph.store import Store

FORMATS = {"json": ox.QueryResultsFormat.JSON, "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}


class QueryError(Exception):
    pass


def run_query(store: Store, text: str, fmt: str) -> str:
    """SELECT/ASK as a table, JSON, CSV or TSV; CONSTRUCT/DESCRIBE as Turtle. The goaltrace
    prefixes (gt:, gtf:, skos:, …) are predeclared."""
    try:
        result = store.query(text)
    except SyntaxError as error:
        raise QueryError(f"query syntax error: {error}") from None
    except (ValueError, OSError) as error:
        raise QueryError(f"query failed: {error}") from None
    if isinstance(result, ox.QueryTriples):
        return ox.serialize(result, format=ox.RdfFormat.TURTLE).decode("utf-8")
    if isinstance(result, ox.QueryBoolean):
        return ("true" if bool(result) else "false") + "\n" if fmt == "table" else result.serialize(format=FORMATS[fmt]).decode("utf-8")
    if fmt != "table":
        return result.serialize(format=FORMATS[fmt]).decode("utf-8")
    names = [v.value for v in result.variables]
    rows = [[_show(solution[n]) for n in names] for solution in result]
    widths = [max([len(n), *(_width(r[i]) for r in rows)]) for i, n in enumerate(names)]
    lines = [" | ".join(_pad(n, w) for n, w in zip(names, widths)), "-+-".join("-" * w for w in widths)]
    lines += [" | ".join(_pad(c, w) for c, w in zip(row, widths)) for row in rows]
    lines.append(f"({len(rows)} rows)")
    return "\n".join(lines) + "\n"


def _show(term) -> str:
    return "" if term is None else term.value.replace("\n", " ").replace("\t", " ")


def _width(text: str) -> int:
    """Display width: CJK characters take two columns."""
    return sum(2 if "\u2e80" <= c <= "\uffef" else 1 for c in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))
