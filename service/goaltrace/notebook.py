"""The tables and named queries of a store as pandas DataFrames, for notebooks (``goaltrace.Corpus``).

    from goaltrace import Corpus
    c = Corpus("store")                          # an Oxigraph store directory, opened read-only
    c = Corpus("http://127.0.0.1:8000/sparql")   # or any SPARQL 1.1 query endpoint
    c.indicators(department="司法局", year=2023)
    c.query("projects-per-goal")

The rows are those of ``goaltrace export indicators|funds|outcomes`` (`exporting.rows`, the
same function), typed: amounts, weights and scores as floats, years and line numbers as
integers, ``met`` as a boolean (NA where unknown), text as strings, and every empty cell as NA.
pandas is imported here only, so that ``import goaltrace`` stays light; it is the
``notebook`` extra (``pip install 'goaltrace[notebook]'``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .answers import exporting
from .graph.store import Store
from .query.named import QueryLayerError, named_queries, prepare
from .query.run import QueryError, columns_of, named_call, query_text

if TYPE_CHECKING:
    import pandas

INTEGER_COLUMNS = {"year", "line"}  # whole numbers in every export that has them
PART_OF_NAME = {"department"}  # filters that, as --department does, take a part of the name
_XSD = "http://www.w3.org/2001/XMLSchema#"
_INTEGER_TYPES = {f"{_XSD}{t}" for t in ("integer", "int", "long", "short", "byte", "nonNegativeInteger",
                                          "positiveInteger", "negativeInteger", "nonPositiveInteger",
                                          "unsignedInt", "unsignedLong", "unsignedShort", "unsignedByte", "gYear")}
_FLOAT_TYPES = {f"{_XSD}{t}" for t in ("decimal", "double", "float")}


class CorpusError(ValueError):
    """A filter or a query input the corpus cannot take: one line saying what was expected."""


def _pandas():
    try:
        import pandas
    except ImportError:
        raise ImportError("goaltrace.Corpus needs pandas: pip install 'goaltrace[notebook]'") from None
    return pandas


class Corpus:
    """A goaltrace store read as DataFrames: an Oxigraph store directory (opened read-only, so
    an import or a server may keep writing it) or the URL of a SPARQL 1.1 query endpoint."""

    def __init__(self, location: str):
        self.location = str(location)
        self.store = Store.open(self.location, read_only=True)

    def __repr__(self) -> str:
        return f"Corpus({self.location!r})"

    def indicators(self, **filters) -> pandas.DataFrame:
        """One row per declared indicator, as ``goaltrace export indicators``; a keyword per
        column filters it (see `filtered`)."""
        return self.table("indicators", **filters)

    def funds(self, **filters) -> pandas.DataFrame:
        """Every amount (万元), as ``goaltrace export funds``; filters as `indicators`."""
        return self.table("funds", **filters)

    def outcomes(self, **filters) -> pandas.DataFrame:
        """One row per self-evaluated indicator, as ``goaltrace export outcomes``; filters as
        `indicators`."""
        return self.table("outcomes", **filters)

    def table(self, name: str, **filters) -> pandas.DataFrame:
        """An export's rows (``indicators``, ``funds``, ``outcomes``) as a typed DataFrame."""
        if name not in exporting.TABLES:
            raise CorpusError(f"no table {name!r}; the tables are {', '.join(exporting.TABLES)}")
        rows = exporting.rows(self.store, name)
        frame = typed_frame(rows, list(rows[0]) if rows else exporting.TABLES[name])
        return filtered(frame, **filters)

    def query(self, name: str, **inputs) -> pandas.DataFrame:
        """A named query (``goaltrace query --list``) with its inputs bound, as
        ``goaltrace query NAME -i input=value`` answers it; an IRI input may use a prefix
        (``declaration="id:秀山土家族苗族自治县司法局/2023"``). Literals keep their type:
        integers and years as integers, decimals as floats, booleans as booleans."""
        texts = {variable: str(value) for variable, value in inputs.items()}
        try:
            query_text(name, texts)  # a misspelled name or a bad input: one line saying so
            call = named_call(name, texts)
        except QueryError as error:
            raise CorpusError(str(error)) from None
        if call is None:
            raise CorpusError(f"{name!r} is not a named query; goaltrace query --list names them")
        name, bindings = call
        try:
            columns = columns_of(prepare(name, bindings, limit=0))
        except QueryLayerError as error:
            raise CorpusError(str(error)) from None
        return terms_frame(self.store.run(name, bindings), columns)


def named_query_names() -> list[str]:
    """The names `Corpus.query` takes."""
    return sorted(named_queries())


# -- typing ----------------------------------------------------------------------------------

def typed_frame(rows: list[dict[str, str]], columns: list[str]) -> pandas.DataFrame:
    """Export rows (every cell a string, '' where empty) as a DataFrame of typed columns."""
    pd = _pandas()
    data = {}
    for column in columns:
        cells = [row.get(column, "") for row in rows]
        data[column] = _typed_column(pd, column, cells)
    return pd.DataFrame(data, columns=columns)


def _typed_column(pd, column: str, cells: list[str]):
    if column in INTEGER_COLUMNS:
        return pd.array([int(c) if c else pd.NA for c in cells], dtype="Int64")
    if column in exporting.TEXT_OR_NUMBER:  # a number, or the text of a qualitative target
        return pd.array([_number_or_text(pd, column, c) for c in cells], dtype=object)
    if column in exporting.NUMERIC:
        return pd.array([float(c) if c else pd.NA for c in cells], dtype="Float64")
    if column == "met":
        return pd.array([{"true": True, "false": False}.get(c, pd.NA) for c in cells], dtype="boolean")
    return pd.array([c if c else pd.NA for c in cells], dtype="string")


def _number_or_text(pd, column: str, cell: str):
    value = exporting.number_or_text(column, cell)
    if value is None:
        return pd.NA
    return value if isinstance(value, str) else float(value)


def terms_frame(rows: list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]], columns: list[str]) -> pandas.DataFrame:
    """SPARQL rows ({variable: term}, unbound left out) as a DataFrame: a column of integer
    literals (years included) as Int64, of decimals as Float64, of booleans as boolean, any
    other as strings (an IRI as its full text); unbound as NA."""
    pd = _pandas()
    data = {}
    for column in columns:
        terms = [row.get(column) for row in rows]
        kinds = {_kind(t) for t in terms if t is not None}
        if kinds == {"integer"}:
            data[column] = pd.array([_year_or_int(t) if t is not None else pd.NA for t in terms], dtype="Int64")
        elif kinds and kinds <= {"integer", "float"}:
            data[column] = pd.array([float(t.value) if t is not None else pd.NA for t in terms], dtype="Float64")
        elif kinds == {"boolean"}:
            data[column] = pd.array([t.value in ("true", "1") if t is not None else pd.NA for t in terms], dtype="boolean")
        else:
            data[column] = pd.array([_text(t) if t is not None else pd.NA for t in terms], dtype="string")
    return pd.DataFrame(data, columns=columns)


def _kind(term) -> str:
    if isinstance(term, ox.Literal):
        datatype = term.datatype.value
        if datatype in _INTEGER_TYPES:
            return "integer"
        if datatype in _FLOAT_TYPES:
            return "float"
        if datatype == f"{_XSD}boolean":
            return "boolean"
    return "text"


def _year_or_int(term: ox.Literal) -> int:
    return int(term.value[:4]) if term.datatype.value == f"{_XSD}gYear" else int(term.value)


def _text(term) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else term.value


# -- filtering -------------------------------------------------------------------------------

def filtered(frame: pandas.DataFrame, **filters) -> pandas.DataFrame:
    """The rows whose columns match every filter, a keyword per column, whatever columns the
    table has: a value (cast to the column's type: ``year="2023"`` is ``year=2023``), a list of
    values (any of them), or a function of the column giving True for the rows to keep.
    ``department`` takes a part of the name, as ``--department`` does."""
    pd = _pandas()
    keep = pd.Series(True, index=frame.index)
    for column, wanted in filters.items():
        if column not in frame.columns:
            raise CorpusError(f"no column {column!r} to filter by; the columns are {', '.join(frame.columns)}")
        keep &= _matches(pd, frame[column], column, wanted)
    return frame[keep].reset_index(drop=True)


def _matches(pd, series, column: str, wanted):
    if callable(wanted):
        return pd.Series(wanted(series), index=series.index).fillna(False).astype(bool)
    values = list(wanted) if isinstance(wanted, Iterable) and not isinstance(wanted, str | bytes) else [wanted]
    values = [_cast(series, column, v) for v in values]
    if column in PART_OF_NAME:
        text = series.astype("string")
        found = pd.Series(False, index=series.index)
        for value in values:
            found |= text.str.contains(str(value), regex=False).fillna(False)
        return found
    return series.isin(values).fillna(False).astype(bool)


def _cast(series, column: str, value):
    """A filter's value as the column holds it; one line when it cannot be."""
    kind = str(series.dtype)
    converters: dict[str, Callable] = {"Int64": int, "Float64": float,
                                       "boolean": lambda v: v if isinstance(v, bool) else str(v).lower() == "true"}
    if kind not in converters or isinstance(value, bool) and kind != "boolean":
        return value
    try:
        return converters[kind](value)
    except (TypeError, ValueError):
        raise CorpusError(f"{column}={value!r}: expected a {'whole number' if kind == 'Int64' else 'number'}") from None
