"""What the web app works on: the store, its query workers, the reader that runs every
page's named queries through them, and the validation of each declaration, computed when
first asked about."""

import threading
from collections import OrderedDict

import pyoxigraph as ox
from flask import abort, current_app, request

from .. import trace, validate
from ..graph.store import Store
from .limited import LimitedReader
from .query_workers import QueryWorkers, StoreSource


def source_of(store: Store) -> StoreSource:
    if store.remote:
        return StoreSource(url=store.location)
    if store.path is not None:
        return StoreSource(path=str(store.path))
    return StoreSource(dump=ox.serialize(store.quads(), format=ox.RdfFormat.N_QUADS))


# Up to this many declarations the app validates, and the home page shows, the whole corpus;
# past it, each declaration is validated when it is asked about, and the home page lists them.
SMALL_CORPUS = 20
KEEP_VALIDATIONS = 64  # declarations whose findings are held in memory; the disk cache keeps the rest


class Context:
    def __init__(self, store: Store, workers: int = 2, timeout: float = 10.0, row_limit: int = 10_000,
                 cache: str | None = None):
        self.store = store
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._validations: OrderedDict[str | None, validate.Report] = OrderedDict()  # the latest few, by declaration
        self._count: dict[str, int] | None = None
        self.cache = cache  # where validation outcomes are remembered by content (None: not on disk)
        self.workers = QueryWorkers(source_of(store), size=workers, timeout=timeout, row_limit=row_limit)
        self.reader = LimitedReader(self.workers)  # what pages and the API read through

    def counts(self) -> dict[str, int]:
        """How many declarations, forms and indicators the store holds (one query per write)."""
        with self._lock:
            counts = self._count
        if counts is None:
            row = self.reader.run("corpus-counts")[0]
            counts = {key: int(row[key].value) for key in ("declarations", "forms", "indicators")}
            with self._lock:
                self._count = counts
        return counts

    def declaration_count(self) -> int:
        return self.counts()["declarations"]

    @property
    def small(self) -> bool:
        return self.declaration_count() <= SMALL_CORPUS

    def validation(self, declaration: str | None = None) -> validate.Report:
        """The findings of one declaration, or of the whole corpus while it is small. Nothing is
        validated at start: each declaration when first asked about, and only forms whose
        content the cache has not seen."""
        if declaration is None and not self.small:
            raise ValueError("the corpus is too large to validate whole on a request; choose a declaration")
        with self._lock:  # one run at a time: the shapes are parsed per run, never shared
            if declaration not in self._validations:
                chosen = [declaration] if declaration else None
                self._validations[declaration] = validate.validate(self.store, chosen, workers=1, cache=self.cache)
                while len(self._validations) > KEEP_VALIDATIONS:
                    self._validations.popitem(last=False)
            self._validations.move_to_end(declaration)
            return self._validations[declaration]

    def write(self, change):
        """Apply a change to the store, one writer at a time, then let readers see it."""
        with self._write_lock:
            result = change(self.store)
            self.store.flush()
            self.workers.reload(source_of(self.store))
            with self._lock:
                self._validations.clear()
                self._count = None
            return result


def current() -> Context:
    """The context of the app handling this request."""
    return current_app.extensions["goaltrace"]


def requested_declaration() -> trace.DeclarationRef:
    """The declaration a request asks about: ``?department=&year=`` when several are loaded."""
    year = request.args.get("year")
    if year is not None and not year.isdigit():
        abort(400, f"year must be a number such as 2023, not {year!r}")
    try:
        return trace.resolve(current().reader, request.args.get("department") or None, int(year) if year else None)
    except trace.TraceError as error:
        abort(error.status, str(error))


def requested_validation() -> validate.Report:
    """The findings a request asks about: the whole corpus while it is small, otherwise the
    declaration its ``?department=&year=`` name (a 400 says so when they name none)."""
    context = current()
    if context.small and not request.args.get("department") and not request.args.get("year"):
        return context.validation()
    if not context.small and not request.args.get("department"):
        abort(400, f"{context.declaration_count()} declarations are loaded: choose one with ?department=&year= "
                   "(each is validated when first asked about; `goaltrace validate` checks them all)")
    return context.validation(requested_declaration().iri)
