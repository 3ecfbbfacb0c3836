"""Run a SPARQL query from the command line: what to run (query text, @file.rq or a named
query's name) and its results in the format asked for."""

import difflib
import json
import re

import pyoxigraph as ox

from ..graph.endpoint import AnswerCut, EndpointError
from ..graph.namespaces import PREFIXES
from ..graph.sparql_syntax import syntax_error_message
from ..graph.store import Store
from ..rendering import formats
from .named import NamedQuery, QueryLayerError, named_queries, prepare
from .paging import too_costly

# A named query's name is one word of letters, digits, '-', '_' or '.'. SPARQL text never is:
# every query form has a group in braces ({}), so a single such word is always meant as a name.
_NAME = re.compile(r"[\w.-]+")


class QueryError(Exception):
    pass


def query_text(argument: str, inputs: dict[str, str] | None = None) -> str:
    """The SPARQL to run for the command's argument: the file of ``@file.rq``, the text of a
    named query given by name with its `inputs` bound (``declaration=id:…``: an IRI input
    may be written with a goaltrace prefix), or the argument itself."""
    if argument.startswith("@"):
        _no_inputs(inputs, argument)
        try:
            with open(argument[1:], encoding="utf-8") as f:
                return f.read()
        except OSError as error:
            raise QueryError(f"{argument[1:]}: {error.strerror}") from None
        except UnicodeDecodeError:
            raise QueryError(f"{argument[1:]}: not UTF-8 text") from None
    if not _NAME.fullmatch(argument.strip()):
        _no_inputs(inputs, "SPARQL text")
        return argument
    name = argument.strip()
    if name in named_queries():
        return _bound(named_queries()[name], inputs or {})
    close = difflib.get_close_matches(name, list(named_queries()), n=1, cutoff=0.6)
    hint = f"did you mean {close[0]}?" if close else "goaltrace query --list lists them"
    if name.endswith(".rq"):
        hint += f" (to run the file, write @{name})"
    raise QueryError(f"no named query {name}; {hint}")


def named_call(argument: str, inputs: dict[str, str] | None = None) -> tuple[str, dict] | None:
    """(name, {variable: term}) when the argument names a named query, else None: a store
    that sends only so many rows at once answers it whole piece by piece (`Store.run`)."""
    name = argument.strip()
    if argument.startswith("@") or name not in named_queries():
        return None
    query = named_queries()[name]
    try:
        return name, {variable: query.term(variable, _expanded(value) if query.inputs.get(variable) == "iri" else value)
                      for variable, value in (inputs or {}).items()}
    except QueryLayerError as error:
        raise QueryError(str(error)) from None


def parse_inputs(items: tuple[str, ...]) -> dict[str, str]:
    """``NAME=VALUE`` pairs from the command line."""
    inputs = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip():
            raise QueryError(f"--input {item!r}: write NAME=VALUE, e.g. --input declaration=id:秀山土家族苗族自治县司法局/2023")
        inputs[name.strip().lstrip("?")] = value.strip()
    return inputs


def _no_inputs(inputs: dict | None, what: str):
    if inputs:
        raise QueryError(f"--input binds a named query's inputs; {what} has none (goaltrace query --list shows each query's inputs)")


def _bound(query: NamedQuery, inputs: dict[str, str]) -> str:
    try:
        terms = {name: query.term(name, _expanded(value) if query.inputs.get(name) == "iri" else value)
                 for name, value in inputs.items()}
        return prepare(query.name, terms) if terms else query.text
    except QueryLayerError as error:
        raise QueryError(str(error)) from None


def _expanded(value: str) -> str:
    """``id:秀山…/2023`` → the full IRI, for every predeclared prefix; anything else as given."""
    prefix, sep, local = value.partition(":")
    if sep and prefix in PREFIXES and not local.startswith("//"):
        return PREFIXES[prefix] + local
    return value


def columns_of(text: str) -> list[str]:
    """The variables a SELECT query answers with, in its order (asked of an empty store, so
    known even where the answer has no row)."""
    return [v.value for v in ox.Store().query(text, prefixes=PREFIXES).variables]


def run_query(store: Store, text: str, fmt: str, columns: int | None = None, named: tuple[str, dict] | None = None) -> str:
    """SELECT/ASK as a table (compact names, fitted to `columns`), JSON, CSV or TSV (full
    IRIs; in CSV a text a spreadsheet would run as a formula starts with '); CONSTRUCT/DESCRIBE
    as Turtle with the goaltrace prefixes. The goaltrace prefixes (gt:, gtf:, skos:, …) are
    predeclared. A named query (``named``: see `named_call`) whose answer a remote store cut
    is asked again piece by piece; any other cut answer is refused."""
    try:
        result = store.query(text)
    except AnswerCut as cut:
        if named is None:
            raise QueryError(f"query failed: {cut}") from None
        try:
            result = _solutions(ox.Store().query(text, prefixes=PREFIXES).variables, store.run(*named))
        except OSError as error:
            raise QueryError(f"query failed: {error}") from None
    except SyntaxError as error:
        raise QueryError(syntax_error_message(error, text)) from None
    except EndpointError as error:  # too costly to run without inputs: say which would narrow it
        raise QueryError(f"query failed: {named and too_costly(*named, error) or error}") from None
    except (ValueError, OSError) as error:
        raise QueryError(f"query failed: {error}") from None
    return formats.text("results", fmt, result, columns=columns)


def _solutions(variables, rows: list[dict]) -> "ox.QuerySolutions":
    """Rows gathered piece by piece as Oxigraph's solutions type, to be written as any answer is."""
    names = [v.value for v in variables]
    bindings = [{name: _json_term(term) for name, term in row.items()} for row in rows]
    data = json.dumps({"head": {"vars": names}, "results": {"bindings": bindings}})
    return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if term.language:
        return {"type": "literal", "value": term.value, "xml:lang": term.language}
    return {"type": "literal", "value": term.value, "datatype": term.datatype.value}
