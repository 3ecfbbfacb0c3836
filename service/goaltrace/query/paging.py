"""Whole answers from a store that sends only so many rows at a time.

A SPARQL server may cap how many rows one answer holds (Virtuoso's ``ResultSetMaxRows``,
10,000 by default) and say so in a header; the endpoint then raises `AnswerCut` rather than
hand over part of an answer. A named query whose answer was cut is asked again in pieces the
server sends whole:

- a page asked for (``limit``) larger than the cap: as several pages of at most the cap;
- a query that takes a declaration and was run without one: once per declaration (no
  declaration holds that many rows), the rows put back in the query's own order;
- any other query with an ORDER BY: page by page in that order.

What cannot be pieced (a query with no order, an answer cut at a time limit) is refused with
the server's reason: never passed off as whole. A query run without its inputs that the server
will not run at all (Virtuoso refuses one it estimates to take longer than its limit) is
refused with the inputs that would narrow it.
"""

import re
from decimal import Decimal, InvalidOperation

import pyoxigraph as ox

from ..graph.endpoint import AnswerCut, EndpointError
from .named import named_query

_ORDER = re.compile(r"^\s*ORDER\s+BY\s+(?P<keys>[^\n#]+)$", re.IGNORECASE | re.MULTILINE)
_KEY = re.compile(r"(?P<desc>DESC)?\s*\(?\s*\?(?P<name>\w+)\s*\)?", re.IGNORECASE)
_TOO_COSTLY = re.compile(r"estimated execution time|exceeds the limit|SR\d+: .*time", re.IGNORECASE)
_NUMERIC = {f"http://www.w3.org/2001/XMLSchema#{t}" for t in ("integer", "decimal", "double", "float", "int", "long")}


def complete(run, name: str, bindings: dict | None = None, limit: int | None = None, offset: int = 0) -> list[dict]:
    """The rows of a named query (``run(name, bindings, limit, offset)`` runs one request),
    whole however few rows the store sends at a time."""
    try:
        return run(name, bindings, limit, offset)
    except AnswerCut as cut:
        if cut.cap is None or cut.cap < 1:
            raise
        return _pieced(run, cut, name, dict(bindings or {}), limit, offset)
    except EndpointError as error:
        raise too_costly(name, bindings, error) or error from None


def too_costly(name: str, bindings: dict | None, error: EndpointError) -> EndpointError | None:
    """Where the server would not run a named query left without inputs, as too costly: the
    error with the inputs that would narrow it. None for any other error."""
    unbound = {k: v for k, v in named_query(name).inputs.items() if k not in (bindings or {})}
    if not unbound or type(error) is not EndpointError or not _TOO_COSTLY.search(str(error)):
        return None
    inputs = ", ".join(f"{variable}={kind}" for variable, kind in unbound.items())
    return EndpointError(f"{error}; the named query {name} narrows to what its inputs name: bind one "
                         f"(goaltrace query {name} --input NAME=VALUE; its inputs: {inputs})", refused=error.refused)


def _pieced(run, cut: AnswerCut, name: str, bindings: dict, limit: int | None, offset: int) -> list[dict]:
    query = named_query(name)
    if limit is None and "declaration" in query.inputs and "declaration" not in bindings:
        rows = [row for d in complete(run, "declarations")
                for row in complete(run, name, {**bindings, "declaration": d["d"]})]
        return in_order(rows, query.text)
    if limit is None and not _ORDER.search(query.text):
        raise cut
    rows: list[dict] = []
    while limit is None or len(rows) < limit:
        size = cut.cap if limit is None else min(cut.cap, limit - len(rows))
        part = run(name, bindings, size, offset + len(rows))
        rows += part
        if len(part) < size:
            break
    return rows


def in_order(rows: list[dict], text: str) -> list[dict]:
    """Rows gathered piece by piece, in the order of the query's ORDER BY as far as its keys
    are among the rows' variables (a stable sort: rows equal on those keep the order of the
    pieces, each of which the server sorted)."""
    found = _ORDER.findall(text)
    if not found:
        return rows
    keys = []
    for match in _KEY.finditer(found[-1]):
        if not rows or not any(match.group("name") in row for row in rows):
            break
        keys.append((match.group("name"), bool(match.group("desc"))))
    for name, descending in reversed(keys):
        rows = sorted(rows, key=lambda row: sort_key(row.get(name)), reverse=descending)
    return rows


def sort_key(term) -> tuple:
    """SPARQL's order, as far as goaltrace's answers need it: unbound first, then blank
    nodes, IRIs, and literals (numbers by value, other literals by their text)."""
    if term is None:
        return (0,)
    if isinstance(term, ox.BlankNode):
        return (1, term.value)
    if isinstance(term, ox.NamedNode):
        return (2, term.value)
    if term.datatype.value in _NUMERIC:
        try:
            return (3, Decimal(term.value), "")
        except InvalidOperation:
            pass
    return (4, Decimal(0), term.value)
