"""The query layer: every SPARQL query goaltrace runs is a named query, an ``.rq`` file of
``data/queries`` with a title, a description and its inputs in its leading comments::

    # title: A project's indicators — 项目的绩效指标
    # description: The indicators of ?project (bind it) …
    # inputs: project=iri

Inputs are bound as values (a VALUES block opening the query's WHERE group), never spliced
into the text; a page is asked for with integer LIMIT and OFFSET. What runs a prepared query
is a `Reader`: the store itself in the command line, or the web app's query workers, which add
the time limit and the row cap that ``/sparql`` has (`goaltrace.web.limited`). Every function
that asks the store a question takes a Reader, and so runs the same way in both.
"""

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Protocol

import pyoxigraph as ox

from .. import resources

# How an input given as text (a URL's query string) becomes a term.
INPUT_KINDS = {
    "iri": lambda text: ox.NamedNode(text),
    "text": lambda text: ox.Literal(text),
    "label": lambda text: ox.Literal(text, language="zh"),
    "integer": lambda text: ox.Literal(str(int(text)), datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")),
}


Row = dict[str, "ox.NamedNode | ox.Literal | ox.BlankNode"]


class Reader(Protocol):
    """What runs named queries: `goaltrace.graph.store.Store` in this process (no time limit,
    no row cap), or the web app's `LimitedReader` (its query workers' time limit and row cap)."""

    @property
    def row_limit(self) -> int | None:
        """The most rows one answer may hold (None: any number); a caller that pages asks for
        fewer."""

    def run(self, name: str, bindings: dict | None = None, limit: int | None = None, offset: int = 0) -> list[Row]:
        """The rows of the named query `name` with its inputs bound to `bindings` ({variable:
        term}), unbound variables left out; `limit` and `offset` ask for one page."""


class QueryLayerError(Exception):
    """A named query asked for that does not exist, or an input it does not take."""


@dataclass(frozen=True)
class NamedQuery:
    name: str
    title: str
    description: str
    text: str
    inputs: dict[str, str] = field(default_factory=dict)  # variable → kind (see INPUT_KINDS)

    def term(self, variable: str, text: str) -> ox.NamedNode | ox.Literal:
        """An input given as text, as the term the query expects."""
        kind = self.inputs.get(variable)
        if kind is None:
            raise QueryLayerError(f"{self.name} takes no input {variable!r}; its inputs: {', '.join(self.inputs) or 'none'}")
        try:
            return INPUT_KINDS[kind](text)
        except ValueError:
            raise QueryLayerError(f"{variable} must be {'an IRI' if kind == 'iri' else 'a whole number' if kind == 'integer' else 'text'}, not {text!r}") from None


def _parse(name: str, text: str) -> NamedQuery:
    meta = {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        key, sep, value = line.lstrip("# ").partition(":")
        if sep:
            meta[key.strip().lower()] = value.strip()
    inputs = {}
    for item in filter(None, (part.strip() for part in meta.get("inputs", "").split(","))):
        variable, _, kind = item.partition("=")
        inputs[variable.strip().lstrip("?")] = kind.strip() or "text"
    return NamedQuery(name, meta.get("title", name), meta.get("description", ""), text, inputs)


@lru_cache(maxsize=1)
def named_queries() -> dict[str, NamedQuery]:
    return {
        f.name[: -len(".rq")]: _parse(f.name[: -len(".rq")], f.read_text(encoding="utf-8"))
        for f in resources.query_files()
    }


@lru_cache(maxsize=1)
def cookbook() -> list[NamedQuery]:
    """The cookbook's research questions (docs/cookbook.md), each a query whose first comment
    line asks it (``# Q3. How much money …?``) and whose next comment lines explain it."""
    found = []
    for f in resources.cookbook_files():
        text = f.read_text(encoding="utf-8")
        comments = [line.lstrip("# ").strip() for line in text.splitlines() if line.startswith("#")]
        title = re.sub(r"^Q\d+\.\s*", "", comments[0]) if comments else f.name
        found.append(NamedQuery(f"cookbook-{f.name[: -len('.rq')]}", title, " ".join(comments[1:]), text))
    return found


def named_query(name: str) -> NamedQuery:
    try:
        return named_queries()[name]
    except KeyError:
        raise QueryLayerError(f"no named query {name!r}") from None


def prepare(name: str, bindings: dict | None = None, limit: int | None = None, offset: int = 0) -> str:
    """The text of a named query with its inputs bound and, when asked, one page of rows."""
    query = named_query(name)
    unknown = set(bindings or ()) - set(query.inputs)
    if unknown:
        raise QueryLayerError(f"{name} takes no input {', '.join(sorted(unknown))}; its inputs: {', '.join(query.inputs) or 'none'}")
    text = bind(query.text, bindings) if bindings else query.text
    if limit is not None:
        text += f"\nLIMIT {int(limit)} OFFSET {int(offset)}"  # integers only, never outside text
    return text


_WHERE = re.compile(r"^(?!\s*#).*?\bWHERE\s*\{", re.MULTILINE)
_SUBSELECT = re.compile(r"\bSELECT\b(?P<projection>(?:(?!\bSELECT\b).)*?)\bWHERE\s*\{", re.DOTALL | re.IGNORECASE)


def bind(sparql: str, bindings: dict[str, ox.NamedNode | ox.Literal]) -> str:
    """The query with its variables bound to terms by VALUES blocks: the safe way to put outside
    input in a query (Oxigraph writes each term in N-Triples syntax, escaped), and one the
    engine can start from, so a question about one declaration costs the same however many
    the store holds. The block opens the first WHERE group, and every subquery that selects
    a bound variable (a subquery is evaluated on its own, so a value bound outside it would
    only filter its result after it had been computed for the whole store)."""
    first = _WHERE.search(sparql)
    if first is None:
        raise ValueError("a query with bindings needs a WHERE group to put them in")
    places = {first.end(): list(bindings)}
    for match in _SUBSELECT.finditer(sparql):
        selected = [name for name in bindings if re.search(rf"\?{re.escape(name)}\b", match.group("projection"))]
        if selected and match.end() != first.end():
            places[match.end()] = selected
    for end in sorted(places, reverse=True):
        names = places[end]
        values = " ".join(str(bindings[name]) for name in names)
        block = f" VALUES ({' '.join(f'?{name}' for name in names)}) {{ ({values}) }}"
        sparql = sparql[:end] + block + sparql[end:]
    return sparql
