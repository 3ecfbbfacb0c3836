"""What the web app works on: the store, its query workers, and the validation report
computed once per version of the store."""

import threading

import pyoxigraph as ox
from flask import abort, current_app, request

from .. import trace, validate
from ..graph.store import Store
from ..query_workers import QueryWorkers, StoreSource


def source_of(store: Store) -> StoreSource:
    if store.remote:
        return StoreSource(url=store.location)
    if store.path is not None:
        return StoreSource(path=str(store.path))
    return StoreSource(dump=ox.serialize(store.quads(), format=ox.RdfFormat.N_QUADS))


class Context:
    def __init__(self, store: Store, workers: int = 2, timeout: float = 10.0, row_limit: int = 10_000):
        self.store = store
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._validation: validate.Report | None = None
        self.workers = QueryWorkers(source_of(store), size=workers, timeout=timeout, row_limit=row_limit)

    def validation(self) -> validate.Report:
        with self._lock:  # one run at a time: the shapes are parsed per run, never shared
            if self._validation is None:
                self._validation = validate.validate(self.store, workers=1)
            return self._validation

    def write(self, change):
        """Apply a change to the store, one writer at a time, then let readers see it."""
        with self._write_lock:
            result = change(self.store)
            self.store.flush()
            self.workers.reload(source_of(self.store))
            with self._lock:
                self._validation = None
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
        return trace.resolve(current().store, request.args.get("department") or None, int(year) if year else None)
    except trace.TraceError as error:
        abort(error.status, str(error))
