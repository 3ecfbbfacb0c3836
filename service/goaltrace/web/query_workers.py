"""Run SPARQL queries in worker processes that can be stopped.

A Python thread cannot be interrupted and Oxigraph's query cancellation is not exposed to
Python, so each query runs in one of a pool of processes: one that overruns its time limit is
killed and replaced, and every other request keeps being answered meanwhile. Workers open an
on-disk store read-only (they see every write flushed before they start, and are replaced
after each write), receive an in-memory store as an N-Quads dump, or send the query on to a
remote SPARQL endpoint.

Each worker may also grow by at most a given amount of memory once its store is open (its
address space is capped with RLIMIT_AS): a query that needs more fails inside its worker,
which then ends and is replaced, so that the workers together never hold more than their
number times the limit beyond what their stores take. A pool may also bound how many
requests it holds at once, answered or waiting: past the bound a request is turned away at
once rather than holding a request thread of the server.

A pool may keep the answers it gave (`ResultCache`) until the store changes: the same question
asked again is answered at once, without a worker, as the workers would answer it. Only a
whole answer of a store held here is kept, never one of a remote store (which may change
without the pool knowing) nor one of a query whose answer may differ from run to run (NOW,
RAND, UUID, STRUUID, BNODE).

Workers end with the server, however it ends (SIGTERM, SIGKILL, a crash): each asks the kernel
to kill it when the thread that started it ends (PR_SET_PDEATHSIG, Linux), and every worker
is started from one thread that lasts as long as the server. A query holds the interpreter
lock while the engine runs it, so a worker could not notice by itself that it is orphaned.
"""

import logging
import multiprocessing
import os
import queue
import re
import signal
import threading
import time
from collections import OrderedDict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import pyoxigraph as ox

from ..graph.endpoint import EndpointError, SparqlEndpoint
from ..graph.sparql_syntax import syntax_error_message
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
    out_of_memory: bool = False  # the worker met its memory limit, and has ended
    store_cut: int | None = None  # the remote store cut the answer at this many rows (0: at its time limit)


_log = logging.getLogger("goaltrace.web")


class QueryStopped(Exception):
    """A query was not answered: a limit was met, or it crashed its worker. The message says
    which; `status` is the HTTP status that fits (408 for time, 503 for memory or a full pool,
    400 for a crash)."""

    status = 503


class QueryTimeout(QueryStopped):
    status = 408


class QueryOutOfMemory(QueryStopped):
    pass


class QueryBusy(QueryStopped):
    pass


class QueryCrashed(QueryStopped):
    """The engine crashed on the query (parsing one nested too deeply overflows its stack):
    the query is at fault, so a 400; the worker is replaced."""

    status = 400


MIB = 1 << 20


def default_memory(workers: int) -> int:
    """The memory a query worker may grow by when none is given, in bytes: half of the
    machine's memory shared among all the workers, at least 256 MiB, at most 4 GiB, so that
    every worker at its limit together still leaves half the memory to everything else."""
    try:
        total = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
    except (ValueError, OSError, AttributeError):  # not a POSIX system that says
        total = 8 << 30
    share = total // 2 // max(1, workers)
    return max(256 * MIB, min(4 << 30, share // (64 * MIB) * (64 * MIB)))


def describe_memory(limit: int) -> str:
    return f"{limit / (1 << 30):.1f} GiB" if limit >= 1 << 30 else f"{limit // MIB} MiB"


def _memory_exceeded(limit: int) -> str:
    return f"the query needed more memory than the {describe_memory(limit)} a query may use, and was stopped"


def _ending(code: int | None) -> str:
    """How a process ended, from its exit code: "signal SIGSEGV", "exit status 1"."""
    if code is not None and code < 0:
        try:
            return f"signal {signal.Signals(-code).name}"
        except ValueError:
            return f"signal {-code}"
    return f"exit status {code}"


def _cap_memory(limit: int | None):
    """Let this process grow by at most `limit` bytes from now on (no cap where the system
    has no RLIMIT_AS)."""
    if limit is None:
        return
    try:
        import resource

        with open("/proc/self/statm") as statm:
            held = int(statm.read().split()[0]) * resource.getpagesize()
        resource.setrlimit(resource.RLIMIT_AS, (held + limit, held + limit))
    except (ImportError, OSError, ValueError, AttributeError):
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


def _die_with_server(server: int):
    """Be killed when the server's thread that started this process ends (Linux only)."""
    try:
        import ctypes

        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != server:  # the server ended before that took effect
        os._exit(1)


# the one thread that starts every worker, lasting as long as the server (see `_die_with_server`)
_STARTER = ThreadPoolExecutor(max_workers=1, thread_name_prefix="query-worker-starter")


def _serve(connection, source: StoreSource, row_limit: int, memory: int | None = None, server: int | None = None):
    """A worker's life: open the store, cap its memory from there, then answer jobs until the
    connection closes. A query that runs out of memory ends the worker: where the engine's
    allocator fails the process aborts at once, and where Python's does the worker says so and
    ends (what failed may have left it short of memory)."""
    from ..rendering import sparql_results

    if server is not None:
        _die_with_server(server)
    store = _open(source)
    _cap_memory(memory)
    connection.send("ready")
    while True:
        try:
            job: QueryJob = connection.recv()
        except (EOFError, OSError):
            return
        try:
            outcome = _answer(store, job, row_limit, sparql_results)
        except MemoryError:
            connection.send(QueryOutcome(503, _memory_exceeded(memory or 0).encode(), "text/plain", out_of_memory=True))
            return
        connection.send(outcome)


def _answer(store: "ox.Store | SparqlEndpoint", job: QueryJob, row_limit: int, sparql_results) -> QueryOutcome:
    options: dict = {"prefixes": job.prefixes, "base_iri": job.base_iri}
    if job.default_graphs or job.named_graphs:  # the protocol's dataset overrides the query's
        options["default_graph"] = [ox.NamedNode(g) for g in job.default_graphs]
        options["named_graphs"] = [ox.NamedNode(g) for g in job.named_graphs]
    elif not job.own_dataset:  # no dataset given anywhere: the default graph is every graph
        options["use_default_graph_as_union"] = True
    remote = isinstance(store, SparqlEndpoint)
    if remote:  # an answer the store cut is flagged (the caller says so), not refused
        options["cut"] = "flag"
    try:
        result = store.query(job.query, **options)
        cut = store.last_cut() if remote else None
        kind = sparql_results.kind(result)
        media = job.media.get(kind)
        if media is None:
            return QueryOutcome(406, f"no acceptable format for a {kind} result".encode(), "text/plain")
        body, truncated = sparql_results.write(result, media, row_limit)
        if cut is not None:
            return QueryOutcome(200, body, media, True, store_cut=cut[0] or 0)
        return QueryOutcome(200, body, media, truncated)
    except SyntaxError as error:
        return QueryOutcome(400, syntax_error_message(error, job.query, job.prefixes).encode(), "text/plain")
    except EndpointError as error:  # the remote store refused the query (4xx) or failed (502)
        return QueryOutcome(400 if error.refused else 502, f"query failed: {error}".encode(), "text/plain")
    except (ValueError, OSError, RuntimeError) as error:
        return QueryOutcome(400, f"query failed: {error}".encode(), "text/plain")


_CHANGING = re.compile(r"(?i)\b(NOW|RAND|UUID|STRUUID|BNODE)\s*\(")


class ResultCache:
    """Answers by the job that asked for them, the most recently used first, together at most
    `capacity` bytes; emptied when the store changes (`clear`)."""

    def __init__(self, capacity: int):
        self.capacity = capacity
        self._kept: OrderedDict[tuple, QueryOutcome] = OrderedDict()
        self._size = 0
        self._lock = threading.Lock()

    @staticmethod
    def key(job: QueryJob) -> tuple | None:
        """What identifies the job's answer; None for a query whose answer may change by itself."""
        if _CHANGING.search(job.query):
            return None
        return (job.query, job.default_graphs, job.named_graphs, tuple(sorted(job.media.items(), key=str)),
                tuple(sorted(job.prefixes.items())), job.base_iri, job.own_dataset)

    def get(self, key: tuple) -> QueryOutcome | None:
        with self._lock:
            outcome = self._kept.get(key)
            if outcome is not None:
                self._kept.move_to_end(key)
            return outcome

    def put(self, key: tuple, outcome: QueryOutcome):
        size = len(outcome.body) + len(key[0])
        if outcome.status != 200 or size > self.capacity // 16:  # errors, and answers too big to be worth keeping
            return
        with self._lock:
            if key in self._kept:
                return
            self._kept[key] = outcome
            self._size += size
            while self._size > self.capacity:
                old_key, old = self._kept.popitem(last=False)
                self._size -= len(old.body) + len(old_key[0])

    def clear(self):
        with self._lock:
            self._kept.clear()
            self._size = 0


class _Worker:
    def __init__(self, context, source: StoreSource, row_limit: int, memory: int | None, generation: int = 0):
        self.generation = generation  # the state of the store it reads (see `QueryWorkers.reload`)
        self.connection, child = context.Pipe()
        self.process = context.Process(target=_serve, args=(child, source, row_limit, memory, os.getpid()), daemon=True)
        _STARTER.submit(self.process.start).result()
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

    def ended_by_abort(self) -> bool:
        """Whether the worker ended by abort(), as the engine does when an allocation fails."""
        self.process.join(5)
        return self.process.exitcode == -signal.SIGABRT


class QueryWorkers:
    """A fixed number of query processes; `run` waits for a free one.

    `memory`: the bytes each worker may grow by once its store is open (None: no cap).
    `admitted`: how many requests the pool holds at once, answered or waiting for a worker
    (None: any number); one more is turned away at once (QueryBusy).
    `cache`: the bytes of answers kept until the store changes (0: none; never for a remote store)."""

    def __init__(self, source: StoreSource, size: int = 2, timeout: float = 10.0, row_limit: int = 10_000,
                 memory: int | None = None, admitted: int | None = None, cache: int = 0):
        self._context = multiprocessing.get_context("spawn")
        self._source = source
        self.size, self.timeout, self.row_limit, self.memory = size, timeout, row_limit, memory
        self.admitted = admitted
        self._admitted = threading.BoundedSemaphore(admitted) if admitted is not None else None
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._lock = threading.Lock()
        self._generation = 0
        self._cache = ResultCache(cache) if cache > 0 and source.url is None else None
        workers = [self._start() for _ in range(size)]
        for worker in workers:
            if not worker.wait_ready(120):
                raise RuntimeError("a query worker did not start")
            self._idle.put(worker)

    def _start(self) -> _Worker:
        return _Worker(self._context, self._source, self.row_limit, self.memory, self._generation)

    def run(self, job: QueryJob) -> QueryOutcome:
        """Run a job: waiting for a free worker may take up to the time limit, and the query
        itself may run for the time limit; past either, QueryTimeout. A query that needs more
        memory than a worker may use: QueryOutOfMemory. A full pool and waiting line: QueryBusy."""
        if self._admitted is not None and not self._admitted.acquire(blocking=False):
            raise QueryBusy(f"the server is answering or holding as many queries as it takes at once "
                            f"({self.admitted}); try again shortly")
        try:
            cache = self._cache  # a change swaps the cache: see `reload`
            key = cache.key(job) if cache is not None else None
            if key is None:
                return self._run(job)[0]
            kept = cache.get(key)
            if kept is not None:
                return kept
            outcome, generation = self._run(job)
            if generation == self._generation:  # never an answer about the store as it was before a change
                cache.put(key, outcome)
            return outcome
        finally:
            if self._admitted is not None:
                self._admitted.release()

    def _run(self, job: QueryJob) -> tuple[QueryOutcome, int]:
        """The outcome, and the state of the store of the worker that answered."""
        try:
            worker = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            raise QueryTimeout(f"every query worker stayed busy for {self.timeout:g} s") from None
        try:
            worker.connection.send(job)
            if not worker.connection.poll(self.timeout):
                raise QueryTimeout(f"the query ran longer than {self.timeout:g} s, the time limit, and was stopped")
            outcome = worker.connection.recv()
        except QueryTimeout:
            self._replace(worker)
            raise
        except (EOFError, OSError, BrokenPipeError):
            aborted = worker.ended_by_abort()
            code = worker.process.exitcode
            self._replace(worker)
            if aborted and self.memory is not None:
                _log.warning("a query met the memory limit (%s); its worker was replaced", describe_memory(self.memory))
                raise QueryOutOfMemory(_memory_exceeded(self.memory)) from None
            how = _ending(code)
            _log.warning("a query crashed its worker (%s); the worker was replaced", how)
            raise QueryCrashed(f"the query crashed the query engine ({how}; a query nested too deeply does); "
                               "the worker was replaced") from None
        if outcome.out_of_memory:
            self._replace(worker)
            _log.warning("a query met the memory limit (%s); its worker was replaced", describe_memory(self.memory or 0))
            raise QueryOutOfMemory(outcome.body.decode())
        if worker.generation == self._generation:
            self._idle.put(worker)
        else:  # the store changed while this worker was busy: a fresh one takes its place
            self._replace(worker)
        return outcome, worker.generation

    def _replace(self, worker: _Worker):
        worker.stop()
        fresh = self._start()

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
            if self._cache is not None:
                self._cache = ResultCache(self._cache.capacity) if self._source.url is None else None
            retired = []
            while True:
                try:
                    retired.append(self._idle.get_nowait())
                except queue.Empty:
                    break
            for worker in retired:
                worker.stop()
            fresh = [self._start() for _ in range(len(retired))]
            for worker in fresh:
                if worker.wait_ready(120):
                    self._idle.put(worker)

    def close(self):
        while True:
            try:
                self._idle.get_nowait().stop()
            except queue.Empty:
                return
