"""The store the knowledge graph lives in: Oxigraph on disk or in memory, the bundled data,
or any SPARQL 1.1 server.

A write that replaces declarations is one transaction: a reader sees a declaration's forms
either all old or all new, and a failed write leaves the store as it was. Many new
declarations are written in bulk, batch by batch, between two markers: an import that dies
half-way is noticed at the next open and undone (see `begin_bulk`).
"""

import hashlib
import re
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from .. import resources
from .alignments import MappedAlignment
from .endpoint import EndpointError, SparqlEndpoint
from .iris import IMPORTS
from .namespaces import GT, GTF, PREFIXES
from .updates import delete_data, drop_graphs, insert_data, switch_graphs

if TYPE_CHECKING:  # the mapper (and the form records) only as a type: not loaded to run a query
    from .mapper import MappedDeclaration

MEMORY = ":memory:"
ONTOLOGY_GRAPH = "https://w3id.org/goaltrace/ontology"
FRAMEWORK_GRAPH = "https://w3id.org/goaltrace/framework"
CONCEPTS_GRAPH = "https://w3id.org/goaltrace/concept"
_VOCABULARY = {"goaltrace.ttl": ONTOLOGY_GRAPH, "framework.ttl": FRAMEWORK_GRAPH,
               "indicator-concepts.ttl": CONCEPTS_GRAPH}


class StoreError(Exception):
    """A store that cannot be opened or written: the message says which and why."""


_PENDING = ox.NamedNode(f"{GT}importPending")
_STAGED_FOR = ox.NamedNode(f"{GT}stagedFor")
_STAGING = "urn:goaltrace:staging:"  # outside goaltrace's IRIs: never listed, exported or backed up
_REMOTE = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*://")


def open_read_only(path: str, attempts: int = 8) -> "ox.Store":
    """Open an Oxigraph store on disk for reading while another process may be writing to it.

    Opening reads the store's manifest, then opens each data file it lists. A writer that
    compacts meanwhile deletes some of those files, and the open fails although the store is
    whole (about one open in 170 during an import, measured). Once open, the files stay
    readable: the reader holds them. So a failed open is tried again, a little later each
    time; the error is reported only when every attempt failed."""
    for attempt in range(attempts):
        try:
            return ox.Store.read_only(path)
        except (OSError, RuntimeError) as error:
            text = str(error)
            if "No such file" not in text or attempt == attempts - 1:
                raise _open_error(path, text) from None
            time.sleep(0.02 * (attempt + 1))
    raise AssertionError("unreachable")


def _open_error(location: str, text: str) -> StoreError:
    if "lock" in text.lower():
        return StoreError(f"{location}: the store is in use by another process (it holds the lock); stop it or open the store read-only")
    return StoreError(f"{location}: cannot open the store: {text.strip() or 'unknown error'}")


class Store:
    """A goaltrace knowledge graph. Open one with `Store.open`.

    ``engine`` is a `pyoxigraph.Store` or a `SparqlEndpoint`, which offers the same methods.
    A store is the command line's `goaltrace.query.named.Reader`: its answers have no row cap."""

    row_limit: int | None = None

    def __init__(self, engine: "ox.Store | SparqlEndpoint", location: str, read_only: bool = False):
        self.engine = engine
        self.location = location
        self.read_only = read_only
        self.repaired: list[str] = []  # declarations of an unfinished import undone on opening
        self.unstaged: int = 0  # graphs an unfinished staged write had staged, removed on opening

    # -- opening ---------------------------------------------------------------------------
    @classmethod
    def open(cls, location: str | None = None, read_only: bool = False) -> "Store":
        """``":memory:"``: an empty in-memory store; an ``http(s)://`` URL: a SPARQL 1.1 query
        endpoint (updates go to the endpoint beside it, see `update_url_for`); a directory: an
        Oxigraph store on disk (created when missing). The bundled data is the importer's to
        open (`importing.open_store`): the store knows quads and SPARQL only."""
        if location in (None, MEMORY):
            store = cls(ox.Store(), location or MEMORY)
            store.load_vocabulary()
            return store
        if _REMOTE.match(location):
            return cls._open_remote(location, read_only)
        path = Path(location)
        if path.exists() and not path.is_dir():
            raise StoreError(f"{location}: expected a store directory, found a file")
        if read_only:
            if not path.is_dir():
                raise StoreError(f"{location}: no store here (expected a directory made by 'goaltrace import --store {location}')")
            oxigraph = open_read_only(str(path))
        else:
            try:
                oxigraph = ox.Store(str(path))
            except (OSError, RuntimeError) as error:
                raise _open_error(location, str(error)) from None
        store = cls(oxigraph, str(path), read_only)
        store._settle()
        return store

    @classmethod
    def _open_remote(cls, url: str, read_only: bool) -> "Store":
        if not url.startswith(("http://", "https://")):
            raise StoreError(f"{url}: a remote store is a SPARQL endpoint's http:// or https:// URL")
        store = cls(SparqlEndpoint(url), url, read_only)
        try:
            held = store.engine.contains_named_graph(ox.NamedNode(ONTOLOGY_GRAPH))
            if not held and read_only:
                raise StoreError(f"{url}: no goaltrace data at this SPARQL endpoint yet (run 'goaltrace import --store {url} FILE…')")
            if not (store.run("vocabulary-digest") if held else store.engine.default_graph_is_union()):
                raise StoreError(f"{url}: the endpoint's default graph is not the union of its named graphs, which "
                                 "goaltrace's queries need (Oxigraph and Virtuoso do this; for Fuseki set unionDefaultGraph)")
            store._settle()
            if not store.engine.contains_named_graph(ox.NamedNode(ONTOLOGY_GRAPH)):
                raise StoreError(f"{url}: no goaltrace data at this SPARQL endpoint yet (run 'goaltrace import --store {url} FILE…')")
        except EndpointError as error:
            raise StoreError(str(error)) from None
        return store

    def _settle(self):
        """On opening: refuse, or when writable undo, an import left half-done; bring the
        vocabulary up to date."""
        pending = self.pending_declarations()
        if pending and self.read_only:
            raise StoreError(f"{self.location}: an import of {len(pending)} new declarations did not finish (or is "
                             f"still running); when no import is running, 'goaltrace repair --store {self.location}' removes them")
        if self.read_only and self.staged_graphs():
            raise StoreError(f"{self.location}: a write that replaces declarations did not finish (or is still running); "
                             f"when no import is running, 'goaltrace repair --store {self.location}' removes what it staged")
        if not self.read_only:
            self.repaired = self.repair()
            self.load_vocabulary()

    @property
    def remote(self) -> bool:
        return isinstance(self.engine, SparqlEndpoint)

    def load_vocabulary(self):
        """Keep the ontology and the framework in their own graphs, reloaded when they change."""
        for source in resources.ontology_files():
            data = source.read_bytes()
            digest = hashlib.sha256(data).hexdigest()
            graph = ox.NamedNode(_VOCABULARY[source.name])
            marker = ox.Quad(graph, ox.NamedNode(f"{GT}sha256"), ox.Literal(digest), graph)
            if marker in self.engine:
                continue
            self.engine.update(f"DROP SILENT GRAPH <{graph.value}>")
            self.engine.load(data, ox.RdfFormat.TURTLE, to_graph=graph)
            self.engine.add(marker)

    # -- reading ---------------------------------------------------------------------------
    def query(self, sparql: str, prefixes: bool = True):
        """SPARQL over the union of all graphs (each form's graph and the vocabulary)."""
        return self.engine.query(sparql, use_default_graph_as_union=True, prefixes=PREFIXES if prefixes else None)

    def run(self, name: str, bindings: dict | None = None, limit: int | None = None,
            offset: int = 0) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        """A named query (see `goaltrace.query.named`) as a list of {variable: term}, unbound
        variables left out; ``bindings`` ({variable: term}) are its inputs. Run here, in this
        process, with no time limit: the web app runs the same queries through its workers.
        A remote store's answers are whole however few rows its server sends at once
        (`goaltrace.query.paging`)."""
        from ..query.named import prepare
        from ..query.paging import complete

        def page(name, bindings, limit, offset):
            return self.select(prepare(name, bindings, limit, offset))

        return complete(page, name, bindings, limit, offset) if self.remote else page(name, bindings, limit, offset)

    def select(self, sparql: str) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        """A SELECT's rows as {variable: term}; unbound variables are left out."""
        results = self.query(sparql)
        names = [v.value for v in results.variables]
        return [{n: s[n] for n in names if s[n] is not None} for s in results]

    def scratch(self, shared: list[str]) -> "ScratchReader":
        """A copy in memory of some of this store's graphs to ask named queries of: the
        `shared` ones, and those `ScratchReader.hold` puts in place of the last ones held."""
        return ScratchReader(self, shared)

    def declaration_graphs(self, declaration: str) -> list[str]:
        return sorted({g for g, _ in self._declaration_graph_files(declaration)})

    def replaced_graphs(self, declaration: "MappedDeclaration") -> set[str]:
        """The graphs a newly read file of a declaration replaces: every form of each file it
        takes the place of (a file of the same name, or one that declared any of the same
        forms: an earlier or revised edition), and the declaration's own graph. The forms of
        another file of the same unit and year stay: a unit may publish its department form
        and its project forms apart."""
        rows = self._declaration_graph_files(declaration.iri)
        earlier = {declaration.file_name} | {file for g, file in rows if g in declaration.graphs and file}
        return {g for g, file in rows if g in declaration.graphs or file in earlier}

    def _declaration_graph_files(self, declaration: str) -> list[tuple[str, str | None]]:
        rows = self.run("declaration-graphs", {"declaration": ox.NamedNode(declaration)})
        return [(row["g"].value, row["file"].value if "file" in row else None) for row in rows]

    def declarations(self) -> list[str]:
        return [row["d"].value for row in self.run("declarations")]

    def named_graphs(self) -> list[str]:
        """Every named graph: the ontology's, the framework's, and the data graphs. On a
        remote store, only goaltrace's (see the store-graphs query): never the server's own."""
        if self.remote:
            return sorted(row["g"].value for row in self.run("store-graphs"))
        return sorted(g.value for g in self.engine.named_graphs())

    def data_graphs(self) -> list[str]:
        """Every named graph but the vocabulary: forms, alignments and the registry."""
        vocabulary = {*_VOCABULARY.values(), IMPORTS}
        return [g for g in self.named_graphs() if g not in vocabulary]

    @property
    def path(self) -> Path | None:
        """The store's directory, for a store on disk."""
        return None if self.location in (MEMORY, "bundled data") or self.remote else Path(self.location)

    def __len__(self) -> int:
        if self.remote:
            return int(self.run("triple-count")[0]["triples"].value)
        return len(self.engine)

    def dump(self, format: ox.RdfFormat, include_vocabulary: bool = False, graphs: list[str] | None = None) -> bytes:
        """The data graphs (or only `graphs`), with the vocabulary's when asked, in an RDF format."""
        chosen = self.data_graphs() if graphs is None else list(graphs)
        if include_vocabulary:
            every = self.named_graphs()
            chosen = every if graphs is None else [g for g in every if g in _VOCABULARY.values()] + chosen
        if format.supports_datasets:
            whole = include_vocabulary and graphs is None and not self.remote
            quads = self.engine.quads_for_pattern(None, None, None) if whole else (
                q for g in chosen for q in self.engine.quads_for_pattern(None, None, None, ox.NamedNode(g))
            )
            return ox.serialize(quads, format=format, prefixes=_PREFIXES)
        triples = set()
        for graph in chosen:
            for quad in self.engine.quads_for_pattern(None, None, None, ox.NamedNode(graph)):
                triples.add(quad.triple)
        return ox.serialize(sorted(triples, key=str), format=format, prefixes=_PREFIXES)

    # -- writing ---------------------------------------------------------------------------
    def replace(self, declarations: "list[MappedDeclaration]", alignments: list[MappedAlignment] = (),
                finishing: list[str] = (), record: list[ox.Quad] = ()):
        """Write declarations and alignments in one transaction, each replacing what it had
        before: a declaration every graph of its forms, an alignment its own graph.
        ``finishing`` names the declarations of a bulk write this step completes; ``record``
        is the import's entry in the history graph, written with the rest."""
        self._writable()
        replaced = [self.replaced_graphs(d) for d in declarations]
        units = [{*old, *(q.graph_name.value for q in d.quads)} for d, old in zip(declarations, replaced)]
        units += [{a.iri} for a in alignments]
        stale = {g for old in replaced for g in old}
        stale |= {a.iri for a in alignments if self.engine.contains_named_graph(ox.NamedNode(a.iri))}
        if finishing:
            stale.add(IMPORTS)
        self._write(stale, [q for item in (*declarations, *alignments) for q in item.quads] + list(record), units)

    def replace_graph(self, graph: str, triples: list[ox.Triple]) -> bool:
        """Replace one named graph as one step; True when it did not exist before."""
        self._writable()
        name = ox.NamedNode(graph)
        existed = self.engine.contains_named_graph(name)
        self._write({graph} if existed else set(), [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples])
        if not triples and not existed:
            self.engine.add_graph(name)
        return not existed

    def add_to_graph(self, graph: str, triples: list[ox.Triple]):
        self._writable()
        name = ox.NamedNode(graph)
        self._write(set(), [ox.Quad(t.subject, t.predicate, t.object, name) for t in triples])

    def drop_graph(self, graph: str):
        self._writable()
        self._write({graph}, [])

    def update(self, sparql: str, base_iri: str | None = None):
        """A SPARQL Update, with the goaltrace prefixes predeclared."""
        self._writable()
        self.engine.update(sparql, base_iri=base_iri, prefixes=PREFIXES)

    # -- writing in bulk ---------------------------------------------------------------------
    def begin_bulk(self, declarations: list[str]):
        """Mark new declarations as being written. Batches then go in with `add_bulk`, which is
        fast but not a transaction; `replace(…, finishing=…)` clears the marks in the same
        transaction as the rest of the import. Until then readers refuse the store and a
        writer undoes the marked declarations (`repair`): a crash loses the import, never
        leaves half of it."""
        self._writable()
        marks = [ox.Quad(ox.NamedNode(d), _PENDING, ox.Literal(True), ox.NamedNode(IMPORTS)) for d in declarations]
        self._write(set(), marks)

    def add_bulk(self, quads: list[ox.Quad]):
        try:
            self.engine.bulk_extend(quads)
        except OSError as error:
            raise StoreError(f"{self.location}: the write of new declarations failed part-way; they stay marked as "
                             f"unfinished, and the next write (or 'goaltrace repair') removes them: {error}") from None

    def pending_declarations(self) -> list[str]:
        return sorted(q.subject.value for q in self.engine.quads_for_pattern(None, _PENDING, None, ox.NamedNode(IMPORTS)))

    def staged_graphs(self) -> dict[str, str]:
        """{staging graph: the graph it was to replace} of a staged write left unfinished."""
        return {q.subject.value: q.object.value for q in self.engine.quads_for_pattern(None, _STAGED_FOR, None, ox.NamedNode(IMPORTS))}

    def repair(self) -> list[str]:
        """Remove what an unfinished bulk import wrote, and what an unfinished staged write
        had staged (the graphs it was to replace are as they were); the declarations removed."""
        staged = self.staged_graphs()
        if staged:
            self._unstage(staged)
            self.unstaged = len(staged)
        pending = self.pending_declarations()
        if pending:
            self._write({g for d in pending for g in self.declaration_graphs(d)} | {IMPORTS}, [])
        return pending

    def _unstage(self, staged: dict[str, str]):
        marks = [ox.Quad(ox.NamedNode(s), _STAGED_FOR, ox.NamedNode(g), ox.NamedNode(IMPORTS)) for s, g in staged.items()]
        self.engine.update(drop_graphs(staged) + delete_data(marks))

    def _writable(self):
        if self.read_only:
            raise StoreError(f"{self.location}: the store is open read-only")

    def _write(self, stale: set[str], quads: list[ox.Quad], units: list[set[str]] = ()):
        """Drop the stale graphs and add the quads in one transaction. On a remote store too
        large a write for one request is staged (see `_write_staged`): ``units`` are the sets
        of graphs (a declaration's) that must change together."""
        try:
            if self.remote:
                if not self.engine.write_at_once(stale, quads):
                    self._write_staged(stale, quads, units)
                return
            if not stale:
                self.engine.extend(quads)
                return
            self.engine.update(drop_graphs(stale) + insert_data(quads))
        except EndpointError as error:
            if error.refused:
                raise StoreError(f"{self.location}: the server refused the write and nothing was changed: {error}") from None
            raise StoreError(f"{self.location}: the server did not confirm the write, which it takes as one transaction: "
                             f"it is wholly done or not at all ('goaltrace history' shows whether it is on record): {error}") from None
        except OSError as error:
            raise StoreError(f"{self.location}: the write failed and nothing was changed: {error}") from None

    def _write_staged(self, stale: set[str], quads: list[ox.Quad], units: list[set[str]]):
        """A write too large for one request, on a server with no transaction across requests.
        The new graphs are written first under temporary names (their marks, `gt:stagedFor` in
        the imports graph, go first), in as many requests as it takes; the old graphs are still
        what everyone reads. Then each unit (a declaration's graphs) is switched in one small
        request: its old graphs dropped, its staged graphs added under their own names, its
        marks removed. The last switch holds what belongs to no unit (the import's record,
        the end of a bulk import). A crash while staging leaves every graph as it was; one
        while switching leaves each unit wholly old or wholly new; either way the next writable
        open removes what was staged and not switched (`repair`), and the error says which."""
        token = uuid.uuid4().hex[:12]
        targets = sorted({q.graph_name.value for q in quads})
        staging = {g: f"{_STAGING}{token}:{n}" for n, g in enumerate(targets)}
        imports = ox.NamedNode(IMPORTS)
        marks = {g: ox.Quad(ox.NamedNode(staging[g]), _STAGED_FOR, ox.NamedNode(g), imports) for g in targets}
        self.engine.insert(list(marks.values()))
        try:
            self.engine.insert([ox.Quad(q.subject, q.predicate, q.object, ox.NamedNode(staging[q.graph_name.value]))
                                for q in quads])
        except OSError as error:
            raise StoreError(f"{self.location}: the write failed before anything was replaced; every graph is as it "
                             f"was, and the next write removes the partial copy: {error}") from None
        groups, left_stale, left_new = [], set(stale), set(targets)
        for unit in units:
            old, new = left_stale & unit, left_new & unit
            if old or new:
                groups.append((old, new))
                left_stale -= old
                left_new -= new
        groups.append((left_stale, left_new))
        for done, (old, new) in enumerate(groups):
            try:
                self.engine.update(switch_graphs(old, {staging[g]: g for g in new}) + delete_data(marks[g] for g in sorted(new)))
            except OSError as error:
                raise StoreError(f"{self.location}: the write failed part-way: {done} of {len(groups) - 1} declarations "
                                 f"and alignments were replaced whole, the others are as they were (the next write removes "
                                 f"what was staged for them; the import is not on record): {error}") from None

    def alignment_graphs(self, declaration: str) -> list[str]:
        return [row["g"].value for row in self.run("alignment-graphs", {"declaration": ox.NamedNode(declaration)})]

    def backup(self, target: str):
        """A consistent snapshot of the store in a new directory that `Store.open` can open: a
        RocksDB checkpoint of a store on disk, otherwise every quad written into a new one."""
        path = Path(target)
        if path.exists() and (not path.is_dir() or any(path.iterdir())):
            raise StoreError(f"{target}: expected a new or empty directory for the backup")
        if path.exists():
            path.rmdir()
        try:
            if self.path is not None and not self.remote:
                self.engine.backup(str(path))
                return
            copy = ox.Store(str(path))
            if self.remote:  # goaltrace's graphs, one by one: never the server's own
                for graph in self.named_graphs():
                    copy.bulk_extend(self.engine.quads_for_pattern(None, None, None, ox.NamedNode(graph)))
            else:
                copy.bulk_extend(self.engine.quads_for_pattern(None, None, None, None))
            copy.flush()
        except OSError as error:
            raise StoreError(f"{target}: the backup failed: {error}") from None

    def flush(self):
        if not self.read_only and self.path is not None:
            self.engine.flush()

    # -- reading quads -----------------------------------------------------------------------
    def quads(self, subject=None, predicate=None, object=None, graph=None):
        """Quads matching a pattern of Oxigraph terms (None: any)."""
        return self.engine.quads_for_pattern(subject, predicate, object, graph)

    def graph_quads(self, graph: str):
        """Every quad of one named graph: what validation and the Graph Store protocol read whole."""
        return self.engine.quads_for_pattern(None, None, None, ox.NamedNode(graph))

    def mentions(self, iri: str) -> bool:
        """Whether anything is said of the IRI (it is the subject of a statement)."""
        return any(True for _ in self.engine.quads_for_pattern(ox.NamedNode(iri), None, None))

    def has_graph(self, graph: str) -> bool:
        return self.engine.contains_named_graph(ox.NamedNode(graph))



class ScratchReader:
    """Named queries asked of a copy, in memory, of a few graphs of a store (`Store.scratch`):
    what the table index reads one declaration's rows through, so that a pattern the engine
    cannot start from a bound value (an OPTIONAL on an IRI made by BIND) looks through one
    declaration's statements rather than the whole store's."""

    row_limit: int | None = None

    def __init__(self, store: Store, shared: list[str]):
        self.store = store
        self.copy = Store(ox.Store(), MEMORY)
        self.shared = frozenset(shared)
        self.held: tuple[str, ...] = ()
        self.copy.engine.bulk_extend(q for g in shared for q in store.graph_quads(g))

    def hold(self, graphs: list[str]) -> "ScratchReader":
        """The copy holding `graphs` (beside the shared ones) in place of those held before."""
        wanted = tuple(g for g in graphs if g not in self.shared)
        if wanted != self.held:
            for graph in self.held:
                self.copy.engine.remove_graph(ox.NamedNode(graph))
            self.copy.engine.bulk_extend(q for g in wanted for q in self.store.graph_quads(g))
            self.held = wanted
        return self

    def run(self, name: str, bindings: dict | None = None, limit: int | None = None,
            offset: int = 0) -> list[dict[str, ox.NamedNode | ox.Literal | ox.BlankNode]]:
        return self.copy.run(name, bindings, limit, offset)

_PREFIXES = {
    "gt": GT,
    "gtf": GTF,
    "prov": "http://www.w3.org/ns/prov#",
    "org": "http://www.w3.org/ns/org#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
}
