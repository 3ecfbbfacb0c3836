"""Tables out of the graph: indicators and amounts, as rows for CSV or JSON."""

import json
import re
from decimal import Decimal

import pyoxigraph as ox

from .queries import Reader
from .rendering import spreadsheet

PLACE = ["province", "city", "county", "division_code"]  # where the unit stands (goaltrace.regions)
TABLES = {
    "indicators": ["form", "department", "year", "project", "term", "level1", "level2", "indicator",
                   "comparator", "value", "unit", "weight", "source_text", "review", "concept", "concept_basis", *PLACE],
    # each amount once: the appropriation is a part of the amount (a column), part_of the amount
    # it lies within (see `total`)
    "funds": ["form", "department", "year", "project", "kind", "kind_en", "amount", "appropriation",
              "amount_text", "line", "iri", "part_of", *PLACE],
    "outcomes": ["form", "department", "year", "project", "level1", "level2", "indicator", "comparator", "target",
                 "actual", "unit", "weight", "score", "met", "deviation_reason", "target_indicator", "review", *PLACE],
}
NUMERIC = {"value", "weight", "amount", "appropriation", "line", "score", "funds"}
TEXT_OR_NUMBER = {"value"}  # a number, or the text of a qualitative target (巩固提高, 否)
_DECIMAL = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")
_MET = {"true": True, "false": False, "unknown": "unknown"}


def rows(store: Reader, table: str, declaration: str | None = None, limit: int | None = None,
         offset: int = 0) -> list[dict[str, str]]:
    """The rows of a table, every cell a string ('' where the form has nothing): of one
    declaration when given, a page of them with `limit` and `offset`."""
    columns = TABLES[table]
    if table == "outcomes" and declaration:  # the self-evaluations of the declaration's unit and year
        forms = store.run("evaluations-of-declaration", {"declaration": ox.NamedNode(declaration)})
        result = [row for f in forms for row in store.run("outcomes", {"form": f["evaluation"]})]
        result = result[offset:None if limit is None else offset + limit]
    else:
        bindings = {"declaration": ox.NamedNode(declaration)} if declaration else None
        result = store.run(table, bindings, limit, offset)
    return [{c: row[c].value if c in row else "" for c in columns} for row in result]


def total(data: list[dict[str, str]]) -> Decimal:
    """The sum of a set of amount rows, each amount counted once: a row that is a part of
    another row of the set (basic spending of the total, a project's funds of the project
    spending) is in that row's amount already."""
    present = {row["iri"] for row in data}
    return sum((Decimal(row["amount"]) for row in data if row["part_of"] not in present), Decimal(0))


def as_number(text: str) -> int | float | None:
    """Decimal text as a JSON number: int where whole, None where empty."""
    if text == "":
        return None
    number = Decimal(text)
    return int(number) if number == number.to_integral_value() else float(number)


def to_csv(table: str, data: list[dict[str, str]], bom: bool = False, columns: list[str] | None = None) -> str:
    """Rows as CSV, a header of the table's columns first, every text cell a spreadsheet would
    run as a formula written as text (see `rendering.spreadsheet`). With `bom`, the text opens
    with the UTF-8 byte order mark: a file to be opened in Excel (the web's downloads); a pipe
    into other tools wants none (the command line's default)."""
    columns = columns or TABLES[table]
    return spreadsheet.csv_text(columns, ([row.get(c, "") for c in columns] for row in data), bom=bom)


def to_xlsx(table: str, data: list[dict[str, str]], columns: list[str] | None = None) -> bytes:
    """Rows as an Excel workbook of one sheet named for the table: the header row frozen,
    numeric columns as numbers, every other cell a string cell (never a formula)."""
    columns = columns or TABLES[table]
    return spreadsheet.xlsx_bytes(table, columns, ([_cell(c, row.get(c, "")) for c in columns] for row in data))


def number_or_text(column: str, text: str) -> int | float | str | None:
    """A numeric column's cell as a number (None where empty); the text of a qualitative
    target stays text."""
    if column in TEXT_OR_NUMBER and text and not _DECIMAL.fullmatch(text):
        return text  # not a number: not even 'NaN' or 'Infinity', which Decimal would take
    return as_number(text)


def _cell(column: str, text) -> object:
    if column in NUMERIC and isinstance(text, str) and text:
        return number_or_text(column, text)
    return "" if text is None else text


def typed(data: list[dict[str, str]]) -> list[dict]:
    """Rows with numeric columns as numbers (None where empty), for JSON."""
    return [{k: (number_or_text(k, v) if k in NUMERIC else _MET.get(v, v) if k == "met"
                 else (v or None) if k == "target_indicator" else v)
             for k, v in row.items()} for row in data]


def to_json(data: list[dict[str, str]]) -> str:
    return json.dumps(typed(data), ensure_ascii=False, indent=2)


GRAPH_FORMATS = {
    "trig": ox.RdfFormat.TRIG,
    "nquads": ox.RdfFormat.N_QUADS,
    "turtle": ox.RdfFormat.TURTLE,
    "ntriples": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
}
