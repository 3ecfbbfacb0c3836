"""Run SPARQL queries in worker processes that can be stopped.

A Python thread cannot be interrupted and Oxigraph's query cancellation is not exposed to
Python, so each query runs in one of a pool of processes: one that overruns its time limit is
killed and replaced, and every other request keeps being answered meanwhile. Workers open an
on-disk store read-only (they see every write flushed before they start, and are replaced
after each write), receive an in-memory store as an N-Quads dump, or send the query on to a
remote SPARQL endpoint.
"""

import multiprocessing
import queue
import threading
import time
from dataclasses import dataclass

import pyoxigraph as ox

from ..graph.endpoint import EndpointError, SparqlEndpoint
from ..graph.store import open_read_only


@dataclass(frozen=True)
class StoreSource:
    path: str | None = None  # an on-disk store, opened read-only
    dump: bytes | None = None  # or the N-Quads of an in-memory store
    url: str | None = None  # or a remote SPARQL endpoint


@dataclass(frozen=True)
class QueryJob:
    query: str
    default_graphs: tuple[str, ...]
    named_graphs: tuple[str, ...]
    media: dict  # kind ("select" | "ask" | "graph") → chosen media type, or None when none fits
    prefixes: dict
    base_iri: str | None = None
    own_dataset: bool = False  # the query names its dataset with FROM / FROM NAMED


@dataclass(frozen=True)
class QueryOutcome:
    status: int  # 200, or a 4xx the worker determined (syntax error, no acceptable format)
    body: bytes
    media: str
    truncated: bool = False


class QueryTimeout(Exception):
    pass


def _open(source: StoreSource) -> "ox.Store | SparqlEndpoint":
    if source.url is not None:
        return SparqlEndpoint(source.url)
    if source.path is not None:
        return open_read_only(source.path)
    store = ox.Store()
    if source.dump:
        store.load(source.dump, ox.RdfFormat.N_QUADS)
    return store


def _serve(connection, source: StoreSource, row_limit: int):
    """A worker's life: open the store, then answer jobs until the connection closes."""
    from . import sparql_results

    store = _open(source)
    connection.send("ready")
    while True:
        try:
            job: QueryJob = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(_answer(store, job, row_limit, sparql_results))


def _answer(store: "ox.Store | SparqlEndpoint", job: QueryJob, row_limit: int, sparql_results) -> QueryOutcome:
    options: dict = {"prefixes": job.prefixes, "base_iri": job.base_iri}
    if job.default_graphs or job.named_graphs:  # the protocol's dataset overrides the query's
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    elif not job.own_dataset:  # no dataset given anywhere: the default graph is every graph
        options["use_default_graph_as_union"] = True
    try:
        result = store.query(job.query, **options)
        kind = sparql_results.kind(result)
        media = job.media.get(kind)
        if media is None:
            return QueryOutcome(406, f"no acceptable format for a {kind} result".encode(), "text/plain")
        body, truncated = sparql_results.write(result, media, row_limit)
        return QueryOutcome(200, body, media, truncated)
    except SyntaxError as error:
        return QueryOutcome(400, f"query syntax error: {error}".encode(), "text/plain")
    except EndpointError as error:  # the remote store refused the query (4xx) or failed (502)
        return QueryOutcome(400 if error.refused else 502, f"query failed: {error}".encode(), "text/plain")
    except (ValueError, OSError, RuntimeError) as error:
        return QueryOutcome(400, f"query failed: {error}".encode(), "text/plain")


class _Worker:
    def __init__(self, context, source: StoreSource, row_limit: int):
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, source, row_limit), daemon=True)
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.connection.poll(0.2):
                try:
                    return self.connection.recv() == "ready"
                except (EOFError, OSError):
                    return False
            if not self.process.is_alive():
                return False
        return False

    def stop(self):
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.connection.close()


class QueryWorkers:
    """A fixed number of query processes; `run` waits for a free one."""

    def __init__(self, source: StoreSource, size: int = 2, timeout: float = 10.0, row_limit: int = 10_000):
        self._context = multiprocessing.get_context("spawn")
        self._source = source
        self.size, self.timeout, self.row_limit = size, timeout, row_limit
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._generation = 0
        workers = [_Worker(self._context, source, row_limit) for _ in range(size)]
        for worker in workers:
            if not worker.wait_ready(120):
                raise RuntimeError("a query worker did not start")
            self._idle.put(worker)

    def run(self, job: QueryJob) -> QueryOutcome:
        """Run a job: waiting for a free worker may take up to the time limit, and the query
        itself may run for the time limit; past either, QueryTimeout."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"every query worker stayed busy for {self.timeout:g} s") from None
        generation = self._generation
        try:
            worker.connection.send(job)
            if not worker.connection.poll(self.timeout):
                raise QueryTimeout(f"the query ran longer than {self.timeout:g} s and was stopped")
            outcome = worker.connection.recv()
        except QueryTimeout:
            self._replace(worker)
            raise
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            return QueryOutcome(400, b"the query stopped its worker (it may need more memory than allowed)", "text/plain")
        if generation == self._generation:
            self._idle.put(worker)
        else:  # the store changed while this worker was busy: a fresh one takes its place
            self._replace(worker)
        return outcome

    def _replace(self, worker: _Worker):
        worker.stop()
        fresh = _Worker(self._context, self._source, self.row_limit)

        def ready():
            if fresh.wait_ready(120):
                self._idle.put(fresh)

        threading.Thread(target=ready, daemon=True).start()

    def reload(self, source: StoreSource | None = None):
        """After a write: every worker is replaced by one that sees the new data."""
        with self._lock:
            if source is not None:
                self._source = source
            self._generation += 1
            retired = []
            while True:
                try:
                    retired.append(self._idle.get_nowait())
                except queue.Empty:
                    break
            for worker in retired:
                worker.stop()
            fresh = [_Worker(self._context, self._source, self.row_limit) for _ in range(len(retired))]
            for worker in fresh:
                if worker.wait_ready(120):
                    self._idle.put(worker)

    def close(self):
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return
