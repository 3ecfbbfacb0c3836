"""Tables out of the graph: indicators and amounts, as rows of data (written by `rendering.formats`)."""

import re
from decimal import Decimal

import pyoxigraph as ox

from ..domain.achievement import MET_VALUE
from ..query.named import Reader

PLACE = ["province", "city", "county", "division_code"]  # where the unit stands (goaltrace.domain.regions)
TABLES = {
    "indicators": ["form", "department", "year", "project", "term", "level1", "level2", "indicator",
                   "comparator", "value", "unit", "weight", "source_text", "review", "concept", "concept_basis", *PLACE],
    # each amount once: the appropriation is a part of the amount (a column), part_of the amount
    # it lies within (see `total`)
    "funds": ["form", "department", "year", "project", "kind", "kind_en", "amount", "appropriation",
              "amount_text", "line", "iri", "part_of", *PLACE],
    "outcomes": ["form", "department", "year", "project", "level1", "level2", "indicator", "comparator", "target",
                 "actual", "unit", "weight", "score", "met", "deviation_reason", "target_indicator", "review", "concept",
                 "concept_basis", *PLACE],
}
NUMERIC = {"value", "weight", "amount", "appropriation", "line", "score", "funds"}
TEXT_OR_NUMBER = {"value"}  # a number, or the text of a qualitative target (巩固提高, 否)
_DECIMAL = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?")


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


def number_or_text(column: str, text: str) -> int | float | str | None:
    """A numeric column's cell as a number (None where empty); the text of a qualitative
    target stays text."""
    if column in TEXT_OR_NUMBER and text and not _DECIMAL.fullmatch(text):
        return text  # not a number: not even 'NaN' or 'Infinity', which Decimal would take
    return as_number(text)


def cell(column: str, text) -> object:
    """A cell as a spreadsheet holds it: a numeric column's text as a number."""
    if column in NUMERIC and isinstance(text, str) and text:
        return number_or_text(column, text)
    return "" if text is None else text


def typed(data: list[dict[str, str]]) -> list[dict]:
    """Rows with numeric columns as numbers (None where empty), for JSON."""
    return [{k: (number_or_text(k, v) if k in NUMERIC else MET_VALUE.get(v, v) if k == "met"
                 else (v or None) if k == "target_indicator" else v)
             for k, v in row.items()} for row in data]
