"""What the web app works on: the store, its two pools of query workers (one for pages and
the API, one for anonymous ``/sparql``, so that slow queries there never hold up a page), the
reader that runs every page's named queries through the first, and the validation of each
declaration, computed when first asked about."""

import logging
import os
import sqlite3
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass

import pyoxigraph as ox
from flask import abort, current_app, request

from ..answers import figures, tables, trace
from ..answers.exporting import PLACE
from ..answers.table_index import TableIndex, store_stamp
from ..domain.regions import UNPLACED
from ..graph.store import Store, StoreError
from ..query.named import Reader
from ..validation import validate
from .limited import LimitedReader
from .query_workers import QueryWorkers, StoreSource


def source_of(store: Store) -> StoreSource:
    if store.remote:
        return StoreSource(url=store.location)
    if store.path is not None:
        return StoreSource(path=str(store.path))
    return StoreSource(dump=store.dump(ox.RdfFormat.N_QUADS, include_vocabulary=True))


_log = logging.getLogger("goaltrace.web")

# Up to this many declarations the app validates, and the home page shows, the whole corpus;
# past it, each declaration is validated when it is asked about, and the home page lists them.
SMALL_CORPUS = 20
KEEP_VALIDATIONS = 64  # declarations whose findings are held in memory; the disk cache keeps the rest
INDEX_ATTEMPTS, INDEX_PAUSE = 3, 5.0  # tries to bring the table index up to date, and seconds between them
KEEP_ROWS = 256  # declarations' rows of a table held in memory (facets and filters page through them)


@dataclass(frozen=True)
class QueryLimits:
    """How the query workers are held: `sparql_workers` for ``/sparql``, which holds at most
    `sparql_requests` requests at once (answered or waiting; None: any number),
    `page_workers` for pages and the API, each query stopped at `timeout` seconds, each worker
    allowed to grow by `memory` bytes (None: no cap), and `row_limit` rows per answer; each pool
    keeps `result_cache` bytes of answers until the store changes (0: none)."""
    sparql_workers: int = 2
    page_workers: int = 2
    timeout: float = 10.0
    row_limit: int = 10_000
    memory: int | None = None
    sparql_requests: int | None = None
    result_cache: int = 0


class Context:
    def __init__(self, store: Store, limits: QueryLimits = QueryLimits(), cache: str | None = None):
        self.store = store
        self._lock = threading.Lock()
        self._write_lock = threading.Lock()
        self._validations: OrderedDict[str | None, validate.Report] = OrderedDict()  # the latest few, by declaration
        self._summary: CorpusSummary | None = None
        self._summary_lock = threading.Lock()  # one reading of the summary at a time
        self._sizes: dict[str, dict[str, int]] = {}  # table → declaration → rows, until the store changes
        self._rows: OrderedDict[tuple[str, str], list[dict[str, str]]] = OrderedDict()  # the latest few, by (table, declaration)
        self._kinds: figures.IndicatorKinds | Exception | threading.Thread | None = None  # counted, failed, counting
        self._triples: int | None = None
        self.cache = cache  # where validation outcomes are remembered by content (None: not on disk)
        self.limits = limits
        source = source_of(store)
        self.workers = QueryWorkers(source, size=limits.page_workers, timeout=limits.timeout,  # pages and the API
                                    row_limit=limits.row_limit, memory=limits.memory, cache=limits.result_cache)
        self.sparql_workers = QueryWorkers(source, size=limits.sparql_workers, timeout=limits.timeout,
                                           row_limit=limits.row_limit, memory=limits.memory, admitted=limits.sparql_requests,
                                           cache=limits.result_cache)
        self.reader = LimitedReader(self.workers)  # what pages and the API read through
        self.index = _open_index(store)  # None for a store on a server
        self._stamp: str | None = None  # the store's state, as the index records the state it matches
        self._indexing = threading.Lock()  # one refresh of the table index at a time
        self._index_wanted = threading.Event()  # a write here changed the store since the index was brought up to date
        if store.path is None and self.index is not None:  # in memory: the index is built here, once
            self._index_wanted.set()
        threading.Thread(target=self._warm, daemon=True).start()
        if store.path is not None and store.read_only:  # another process may import into it
            threading.Thread(target=self._follow, args=(store.path,), daemon=True).start()
        elif store.remote:  # queries reach the server live; what is kept here must notice imports
            threading.Thread(target=self._follow_remote, daemon=True).start()

    def _warm(self):
        """Read the corpus summary as the server starts, so that the first visitor of the home
        page does not wait for it (a failure here is met again, and reported, by a request);
        then count the triples, which takes seconds at a large corpus and only the home page
        shows. Both run in the query workers: the server answers meanwhile."""
        try:
            self.summary()
            rows = self.reader.run("triple-count")
            with self._lock:
                self._triples = int(rows[0]["triples"].value)
        except Exception:  # noqa: BLE001 — any failure is the request's to report
            pass
        self.refresh_index()

    def refresh_index(self):
        """Bring the table index up to date with the store (each declaration whose sources
        changed read again, each one gone dropped), once for however many changes asked for
        it meanwhile: an index in memory (a store in memory, small by nature) as the server
        starts, and an index on disk after a write through the web app (a SPARQL Update or
        the graph store protocol, which may touch any declaration). Tables answer from the
        index as it was until then. An import keeps the index itself (`table_index.Keeper`);
        the server never builds an index on disk (`goaltrace index` does)."""
        if self.index is None:
            return
        with self._indexing:
            failures = 0
            while self._index_wanted.is_set():
                self._index_wanted.clear()
                try:
                    summary = self.summary()
                    read = self.index.refresh(self.reader, summary.declarations, summary.places,
                                              max(1, self.workers.row_limit - 1), stamp=self.stamp())
                    _log.info("table index: the rows of %d declaration%s read", read, "" if read == 1 else "s")
                except Exception:  # noqa: BLE001 — tables answer from what is there, or without the index
                    _log.exception("the table index could not be brought up to date")
                    failures += 1
                    if failures < INDEX_ATTEMPTS:  # a busy moment (a query past its time): what was written stays
                        self._index_wanted.set()
                        threading.Event().wait(INDEX_PAUSE)

    def index_state(self, table: str) -> str:
        """The table index for a table: `ready`, `refreshing` (up to date but for what a write
        here brings), `building` (an index in memory first being built), `stale` (an index on
        disk that does not match the store: `goaltrace index` brings it up to date), or `none`
        (a table not indexed, or a store on a server)."""
        if table not in tables.INDEXED or self.index is None:
            return "none"
        if not self._index_current(table):
            return "building" if self.store.path is None else "stale"
        return "refreshing" if self._index_wanted.is_set() or self._indexing.locked() else "ready"

    def _index_current(self, table: str) -> bool:
        if self.store.path is None:
            return self.index.ready(table)
        try:
            return self.index.matches(self.stamp())
        except Exception:  # noqa: BLE001 — the store cannot say its state: answer without the index
            return False

    def stamp(self) -> str:
        """The store's state (`table_index.store_stamp`), kept until the store changes."""
        with self._lock:
            if self._stamp is not None:
                return self._stamp
        stamp = store_stamp(self.reader)
        with self._lock:
            self._stamp = stamp
        return stamp

    def table_index(self, table: str) -> TableIndex | None:
        """The table index, where it holds every row of the table as the store is now (None
        while an index in memory is first built, or where the one on disk is stale)."""
        return self.index if table in tables.INDEXED and self.index is not None and self._index_current(table) else None

    def indicator_kinds(self, wait: float = 2.0) -> "figures.IndicatorKinds | Exception | None":
        """The indicators of each level-1 kind per year and per province, across the corpus: one
        aggregate query (about 0.5 s at 1,000 declarations), asked when /declarations is first
        shown (not as the server starts: it would hold a query worker a visitor may need), in a
        thread of its own, and kept until the store changes. A request waits `wait` seconds for
        it; None while it is still being counted, the exception if it failed."""
        with self._lock:
            if self._kinds is None:
                self._kinds = threading.Thread(target=self._count_kinds, daemon=True)
                self._kinds.start()
            kinds = self._kinds
        if isinstance(kinds, threading.Thread):
            kinds.join(wait)
            with self._lock:
                kinds = self._kinds
        return None if isinstance(kinds, threading.Thread) else kinds

    def _count_kinds(self):
        try:
            kinds = figures.indicator_kinds(self.reader)
        except Exception as error:  # noqa: BLE001 — shown on the page; asked again after the store changes
            kinds = error
        with self._lock:
            if isinstance(self._kinds, threading.Thread):  # not forgotten meanwhile
                self._kinds = kinds

    def triples(self) -> int | None:
        """How many triples the store holds, once counted (None until then)."""
        with self._lock:
            return self._triples

    def _follow(self, path, every: float = 1.0):
        """Notice an import into the store from another process and reopen it: the files of
        the store directory change with every write. A store mid-import is not opened (its
        pending marks refuse a reader) until the import has finished, so a request never
        sees half of one; a change of files that records no new import (the store compacting
        itself after a write) reopens nothing."""
        seen, changed = _signature(path), self._changed_or_none()
        while True:
            threading.Event().wait(every)
            now = _signature(path)
            if now == seen:
                continue
            try:
                fresh = Store.open(str(path), read_only=True)
                latest = _latest_import(fresh)
            except (StoreError, OSError):  # mid-import, or momentarily unreadable: try again shortly
                continue
            seen = now
            if latest == changed:
                continue
            changed = latest
            started = time.perf_counter()
            with self._write_lock:
                self.store = fresh
                self._reload(source_of(fresh))
            reopened = time.perf_counter()
            self._refresh()
            _log.info("the store changed (import of %s): reopened in %.2f s, summary read in %.2f s",
                      latest, reopened - started, time.perf_counter() - reopened)

    def _follow_remote(self, every: float = 2.0):
        """A remote store answers every query afresh, but the summary and the validations kept
        here must be renewed when an import lands: the record of imports says when."""
        seen = self._changed_or_none()
        while True:
            threading.Event().wait(every)
            now = self._changed_or_none()
            if now != seen:
                seen = now
                self._refresh()

    def _refresh(self):
        """After an import by another process: the summary read again from the new data, the
        old one answering meanwhile (both are whole states), then what else was kept dropped."""
        try:
            summary = CorpusSummary.read(self.reader, max(1, self.reader.row_limit - 1))
        except Exception:  # noqa: BLE001 — a request reads it, and reports what fails
            summary = None
        self._forget()
        with self._lock:
            self._summary = summary
        threading.Thread(target=self._warm, daemon=True).start()  # the triple count and the table index, meanwhile

    def _changed_or_none(self) -> str | None:
        try:
            return self.changed()
        except Exception:  # noqa: BLE001 — the server may be away a moment; a request reports it
            return None

    def changed(self) -> str | None:
        """When the store last changed: the end of its latest import on record (asked each
        time: a small query, and never stale after a reopen)."""
        rows = self.reader.run("store-changed")
        return rows[0]["changed"].value if rows and "changed" in rows[0] else None

    def summary(self) -> "CorpusSummary":
        """What the store holds, kept until the store changes: every declaration (by unit name
        and year), and the counts per year and per province. Built from named queries, a page
        of rows at a time within the row cap; the first request after a change waits for it."""
        with self._summary_lock:
            with self._lock:
                if self._summary is not None:
                    return self._summary
            summary = CorpusSummary.read(self.reader, max(1, self.reader.row_limit - 1))
            with self._lock:
                self._summary = summary
            return summary

    def table_page(self, table: str, count: int, offset: int,
                   declarations: list[trace.DeclarationRef] | None = None) -> list[dict[str, str]]:
        """`count` rows of a table across the corpus (or the `declarations` given, in the
        corpus's order) from `offset`, in the table's order (unit, year, then form order): read
        one declaration at a time, each query bound to it, and each declaration's row count
        remembered until the store changes, so that following a next link skips what came
        before without asking again."""
        summary = self.summary()
        with self._lock:
            sizes = self._sizes.setdefault(table, {})
        rows: list[dict[str, str]] = []
        position = 0
        for declaration in summary.declarations if declarations is None else declarations:
            known = sizes.get(declaration.iri)
            if known is not None and position + known <= offset:
                position += known
                continue
            found = self.declaration_rows(table, declaration)
            sizes[declaration.iri] = len(found)
            if position + len(found) > offset:
                rows += found[max(0, offset - position):]
            position += len(found)
            if len(rows) >= count:
                break
        return rows[:count]

    def declaration_rows(self, table: str, declaration: trace.DeclarationRef) -> list[dict[str, str]]:
        """A declaration's rows of a table, the latest few declarations' kept until the store
        changes (a facet clicked, a filter removed, a next link followed: asked once)."""
        key = (table, declaration.iri)
        with self._lock:
            if key in self._rows:
                self._rows.move_to_end(key)
                return self._rows[key]
        place = self.summary().places.get(declaration.iri)
        found = tables.declaration_rows(self.reader, table, declaration, place, max(1, self.reader.row_limit - 1))
        with self._lock:
            self._rows[key] = found
            while len(self._rows) > KEEP_ROWS:
                self._rows.popitem(last=False)
        return found

    def counts(self) -> dict[str, int]:
        return self.summary().counts

    def declaration_count(self) -> int:
        return len(self.summary().declarations)

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
            kept = self.index is not None and all(self._index_current(t) for t in tables.INDEXED)
            result = change(self.store)
            self.store.flush()
            self._reload(source_of(self.store))
            self._forget()
            if kept or self.store.path is None:
                self._index_wanted.set()
        self.refresh_index()  # before the change is answered: the tables then show it
        return result

    def _reload(self, source: StoreSource):
        for pool in (self.workers, self.sparql_workers):
            pool.reload(source)

    def _forget(self):
        """Drop what was kept about the store's content: it has changed."""
        with self._lock:
            self._validations.clear()
            self._summary = None
            self._sizes = {}
            self._rows.clear()
            self._kinds = None
            self._triples = None
            self._stamp = None


@dataclass(frozen=True)
class CorpusSummary:
    declarations: list[trace.DeclarationRef]  # by unit name, then year
    counts: dict[str, int]
    per_year: list[dict]
    per_region: list[dict]  # declarations per province (`regions.UNPLACED` for units not placed)
    places: dict[str, dict[str, str]]  # declaration → its unit's province, city, county, division_code (or unplaced: why)

    @classmethod
    def read(cls, reader: Reader, page: int) -> "CorpusSummary":
        found, offset, places = [], 0, {}
        while True:
            rows = reader.run("declaration-catalogue", limit=page, offset=offset)
            found += [trace.DeclarationRef(r["d"].value, r["name"].value, int(r["year"].value)) for r in rows]
            places.update((r["d"].value, {c: r[c].value for c in (*PLACE, "unplaced")}) for r in rows)
            if len(rows) < page:
                break
            offset += page
        found.sort(key=lambda d: (d.department, d.year, d.iri))
        row = reader.run("corpus-counts")[0]
        counts = {key: int(row[key].value) for key in ("declarations", "forms", "indicators", "evaluations", "outcomes")}
        per_year = [{"year": r["year"].value, "declarations": int(r["n"].value)} for r in reader.run("declarations-per-year")]
        per_region = [{"region": r["province"].value or UNPLACED, "declarations": int(r["n"].value)}
                      for r in reader.run("declarations-per-province")]
        return cls(found, counts, per_year, per_region, places)

    def matching(self, text: str = "", year: str = "") -> list[trace.DeclarationRef]:
        """The declarations whose unit's name holds `text`, of `year` when given."""
        return [d for d in self.declarations if text in d.department and (not year or str(d.year) == year)]

    def chosen(self, department: str = "", year: str = "", exact: bool = False, **place: str) -> list[trace.DeclarationRef]:
        """The declarations a table's filters choose, in the corpus's order: of the unit named
        `department` (its full name; where no unit has that name, any whose name holds it, as
        ?department= means everywhere, unless `exact`), of `year`, in the `province`, `city` or
        `county` named; an empty filter chooses all."""
        found = self.declarations
        if department:
            named = [d for d in found if d.department == department]
            found = named or ([] if exact else [d for d in found if department in d.department])
        if year:
            found = [d for d in found if str(d.year) == year]
        for level, name in place.items():
            if name:
                found = [d for d in found if self.places.get(d.iri, {}).get(level) == name]
        return found


def _open_index(store: Store) -> TableIndex | None:
    """The table index of a store on disk, in a folder of its own inside the store's (kept by
    every import); in memory for a store in memory; none for a store on a server (its tables
    answer from SPARQL, narrowed to a few declarations), or where the folder cannot be read."""
    if store.remote:
        return None
    try:
        return TableIndex.of(store) or TableIndex(None)
    except (OSError, sqlite3.Error) as error:
        _log.warning("no table index: %s", error)
        return None


def _latest_import(store: Store) -> str | None:
    rows = store.run("store-changed")
    return rows[0]["changed"].value if rows and "changed" in rows[0] else None


def _signature(path) -> tuple:
    try:
        return tuple(sorted((e.name, e.stat().st_size, e.stat().st_mtime_ns) for e in os.scandir(path)))
    except OSError:
        return ()


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
