"""Files read in a worker process inside a memory limit and a time limit, so that no file —
however it was made — can take the importing process's memory, crash it, or hang the import.

The first worker is forked from the importing process before it opens the store (on Linux),
so it starts with the readers imported; any later one from a fork server that has them loaded
(never from the importing process once it holds the store open and runs threads). A worker
reads one file after another, so a corpus of hundreds of files pays for one start, not
hundreds, and it reads the next file while the importing process works on the last one.

The worker's address space is capped with RLIMIT_AS (Linux; elsewhere only the time limit
holds); the PDF reader's page processes, which it starts, inherit the cap, each on its own. At
the time limit the worker is killed with every process it started (they share its process
group). A file that goes past a limit, or on which the worker dies (a MemoryError, an abort, a
segmentation fault), gives a LimitError: `FILE: place: the limit, what was found`; a new
worker takes the next file."""

import multiprocessing
import os
import signal
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass

from ..forms.errors import FormError, LimitError

# The largest real publications (149 and 140 pages, ../shared/corpus/documents) read within
# --max-memory 512MiB, in 50-140 s on a 2-core machine shared with other work (bench/README.md).
DEFAULT_MEMORY = 2 << 30  # bytes
DEFAULT_SECONDS = 600.0  # per file
_START_SECONDS = 60.0  # for a worker to come up (the fork server imports the readers first)
_CPU_MARGIN = 30  # seconds of CPU past the time limit before the kernel stops a worker on its own
_RETIRE_FRACTION = 4  # a worker whose peak memory passed a quarter of its limit is replaced after the file

# What the fork server loads for each kind of file, so that a worker starts with it loaded.
_PRELOAD = {
    "xlsx": ["openpyxl"], "xls": ["xlrd"], "docx": ["docx"],
    "pdf": ["pypdfium2", "pdfplumber", "goaltrace.forms.documents.pdf"],
    "html": ["goaltrace.forms.documents.web_page"], "ttl": ["goaltrace.graph.alignments"],
}


class WorkerError(RuntimeError):
    """No worker could be started: no file was read, and none can be."""


@dataclass(frozen=True)
class Limits:
    memory: int = DEFAULT_MEMORY  # bytes of address space for each process reading a file
    seconds: float = DEFAULT_SECONDS  # wall-clock time to read one file


def shown_bytes(size: int) -> str:
    """2 GiB, 512 MiB, 1.5 GiB."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def shown_seconds(seconds: float) -> str:
    return f"{seconds:g} s"


class ReadingWorker:
    """Runs `function(path, *args)` for one file after another in a worker process inside the
    limits. Use as a context manager; `close` ends the worker and everything it started."""

    def __init__(self, limits: Limits = Limits(), kinds: Iterable[str] = (), fork_now: bool = False):
        """With `fork_now` (Linux), the first worker is forked at once from this process, which
        must then hold no store open and run no threads yet: it starts in milliseconds with
        the readers already imported. Any later worker comes from the fork server."""
        self.limits = limits
        self._kinds = set(kinds)
        self._context = None
        self._process = None
        self._connection = None
        self._held = 0  # jobs given to the worker and not yet answered
        self._began = 0.0  # when the worker began the job it is on
        if fork_now and sys.platform == "linux":
            import goaltrace.ingest.file_reading  # noqa: F401 - the worker inherits it imported

            self._start(multiprocessing.get_context("fork"))

    def _server(self):
        """The context later workers start from: a fork server with the readers loaded."""
        if self._context is None:
            method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
            self._context = multiprocessing.get_context(method)
            if method == "forkserver":
                preload = ["goaltrace.ingest.file_reading", *(m for kind in sorted(self._kinds) for m in _PRELOAD.get(kind, []))]
                self._context.set_forkserver_preload(preload)
        return self._context

    def __enter__(self):
        return self

    def __exit__(self, *_):
        self.close()

    def run(self, function: Callable, path: str, *args):
        """The function's result for this file, or the FormError or LimitError that says why not."""
        for outcome in self.each(function, [(path, *args)]):
            if isinstance(outcome, FormError):
                raise outcome
            return outcome
        raise AssertionError("unreachable")

    def each(self, function: Callable, jobs: list[tuple]) -> Iterator:
        """For each job (path, *args), in order: the function's result, or the FormError that
        says why not. The worker holds the next file while the last one's result is used."""
        given = 0  # jobs[:given] are answered or held by the worker
        try:
            for n in range(len(jobs)):
                given = max(given, n)
                while given < len(jobs) and given <= n + 1:
                    self._send(function, jobs[given])
                    given += 1
                outcome, gone = self._receive(jobs[n][0])
                if gone:  # the worker ended: the job it held after this one is given to the next worker
                    given = n + 1
                yield outcome
        finally:
            if self._held:  # left with a file in the worker's hands, whose answer no one will take
                self._kill()

    def close(self):
        """End the worker: at once, with all it started, when it still holds a file (the
        import stopped at an earlier one); else by asking it to stop."""
        if self._held:
            self._kill()
            return
        connection, process = self._connection, self._process
        self._connection = self._process = None
        if connection is not None:
            try:
                connection.send(None)
            except OSError:
                pass
            connection.close()
        if process is not None:
            process.join(5)
            if process.exitcode is None:
                _kill_group(process)
                process.join(5)

    # -- the importing process's side of the pipe -------------------------------------------

    def _start(self, context=None):
        context = context or self._server()
        ours, theirs = context.Pipe()
        # A forked worker holds a copy of our end too, which it must close to see us go.
        inherited = ours if context.get_start_method() == "fork" else None
        process = context.Process(target=_serve, args=(theirs, self.limits.memory, self.limits.seconds, inherited),
                                  name="goaltrace-reader", daemon=True)
        process.start()
        theirs.close()
        if not ours.poll(_START_SECONDS):
            _kill_group(process)
            raise WorkerError(f"the process that reads files did not start within {_START_SECONDS:g} s")
        try:
            ours.recv()
        except EOFError:
            process.join(5)
            raise WorkerError(f"the process that reads files stopped as it started (exit {process.exitcode}); is "
                              f"--max-memory ({shown_bytes(self.limits.memory)}) too small for it?") from None
        self._process, self._connection, self._held = process, ours, 0

    def _send(self, function: Callable, job: tuple):
        if self._connection is None:
            self._start()
        if not self._held:
            self._began = time.monotonic()  # an idle worker begins the job now
        try:
            self._connection.send((function, job))
        except OSError:
            pass  # the worker died on the job it holds: receiving that job's answer says how
        self._held += 1

    def _receive(self, path: str) -> tuple[object, bool]:
        """This job's outcome, and whether the worker is gone (with any job it held after it)."""
        limit = self.limits.seconds
        try:
            ready = self._connection.poll(max(0.0, self._began + limit - time.monotonic()))
        except BaseException:  # Ctrl-C: the worker and what it started go too
            self._kill()
            raise
        if not ready:
            self._kill()
            return LimitError(path, 1, f"a file may take at most {shown_seconds(limit)} to read (--time-limit), "
                                       f"found one still being read after {shown_seconds(limit)}"), True
        try:
            kind, value, last = self._connection.recv()
        except (EOFError, OSError):
            return self._died(path), True
        self._held -= 1
        self._began = time.monotonic()  # a worker that holds another job begins it at once
        if last:  # it ends after this answer (it ran out of memory, or grew): a new one takes the rest
            self._forget()
        if kind == "memory":
            return LimitError(path, 1, f"reading may use at most {shown_bytes(self.limits.memory)} of memory "
                                       "(--max-memory), found a file that needs more"), last
        if kind == "failed":
            return FormError(path, 1, f"expected a file the reader can take, found one it fails on ({value})"), last
        return value, last

    def _died(self, path: str) -> LimitError:
        process = self._process
        self._kill()
        code = process.exitcode if process is not None else None
        try:
            how = signal.Signals(-code).name if code is not None and code < 0 else f"exit {code}"
        except ValueError:
            how = f"signal {-code}"
        memory, seconds = shown_bytes(self.limits.memory), shown_seconds(self.limits.seconds)
        if how in ("SIGABRT", "SIGSEGV", "SIGBUS", "SIGKILL"):
            # a library that cannot have more memory aborts, or writes where it could not allocate
            return LimitError(path, 1, f"reading may use at most {memory} of memory (--max-memory), found the "
                                       f"reading process killed by {how}, as a library is when refused memory")
        if how == "SIGXCPU":
            return LimitError(path, 1, f"a file may take at most {seconds} to read (--time-limit), found the "
                                       "reading process past its CPU time")
        return LimitError(path, 1, f"reading may use at most {memory} of memory (--max-memory) and {seconds} "
                                   f"(--time-limit), found the reading process ended ({how}) before it answered")

    def _kill(self):
        if self._process is not None:
            _kill_group(self._process)
        self._forget()

    def _forget(self):
        if self._connection is not None:
            self._connection.close()
        if self._process is not None:
            self._process.join(10)
        self._connection = self._process = None
        self._held = 0


def _kill_group(process):
    """SIGKILL the worker and every process it started (its process group)."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError, AttributeError):
        try:
            process.kill()
        except (OSError, ValueError):
            pass


def _serve(connection, memory: int, seconds: float, inherited=None):
    """The worker: its own process group, its address space capped, then one job after another
    until it is told to stop, its pipe closes, or it has grown and leaves the next file to a new
    worker. It never prints: whatever ends it, the importing process says so in one line."""
    try:
        _work(connection, memory, seconds, inherited)
    except BaseException:  # noqa: BLE001
        os._exit(71)


def _work(connection, memory: int, seconds: float, inherited):
    import logging

    if inherited is not None:
        inherited.close()  # the importing process's end: once it is gone, recv() ends
    _die_with_parent()
    os.setpgid(0, 0)  # a group of its own, which it shares with what it starts: killed together
    # The importing process marks its worker daemonic (ended with it, should it forget to); the
    # worker itself may start processes (the PDF reader's page processes), which a daemonic
    # process may not: its own view of itself drops the mark.
    multiprocessing.current_process().daemon = False
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the importing process's to handle
    logging.getLogger().addHandler(logging.NullHandler())  # library warnings never reach the terminal
    try:
        import resource
    except ImportError:  # no rlimits here (Windows): the time limit still holds
        resource = None
    if resource is not None and memory:
        _, hard = resource.getrlimit(resource.RLIMIT_AS)
        cap = memory if hard == resource.RLIM_INFINITY else min(memory, hard)  # never above the user's own ulimit -v
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
    connection.send("ready")
    while True:
        try:
            job = connection.recv()
        except (EOFError, OSError):
            return
        except Exception as error:  # noqa: BLE001 - a job that does not unpickle here
            job = (_unreadable, (f"{type(error).__name__}: {error}",))
        if job is None:
            return
        function, args = job
        if resource is not None:
            _cpu_backstop(resource, seconds)
        try:
            kind, value = "done", function(*args)
        except FormError as error:
            kind, value = "refused", error
        except MemoryError:
            kind, value = "memory", None
        except Exception as error:  # noqa: BLE001 - a reader's own failure is the file's outcome
            kind, value = "failed", f"{type(error).__name__}: {str(error)[:200] or 'no detail'}"
        last = kind == "memory" or (resource is not None and bool(memory) and _grown(resource, memory))
        try:
            connection.send((kind, value, last))
        except MemoryError:
            os._exit(70)
        except (OSError, ValueError):
            return
        except Exception as error:  # noqa: BLE001 - a result that does not pickle: the file's outcome too
            connection.send(("failed", f"{type(error).__name__}: {str(error)[:200]}", True))
            return
        if last:
            return


def _die_with_parent():
    """Linux: the kernel kills the worker the moment the process that started it dies (an
    import killed with SIGKILL), rather than leaving it to finish a file no one waits for."""
    if sys.platform != "linux":
        return
    import ctypes

    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # it died before the request took hold
        os._exit(0)


def _unreadable(detail: str):
    raise RuntimeError(f"the job could not be read in the worker ({detail})")


def _cpu_backstop(resource, seconds: float):
    """The kernel stops a worker that spins past the time limit by a margin, should the
    importing process be gone and no one left to kill it; what it starts inherits the bound."""
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = int(used.ru_utime + used.ru_stime)
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = spent + int(seconds) + _CPU_MARGIN
    if hard == resource.RLIM_INFINITY or soft <= hard:
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _grown(resource, memory: int) -> bool:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    return peak > memory // _RETIRE_FRACTION


class InProcess:
    """The same calls as `ReadingWorker`, run in this process without limits: for files that
    come with goaltrace (the bundled data) and for callers that bound the work themselves."""

    def __enter__(self):
        return self

    def __exit__(self, *_):
        pass

    def run(self, function: Callable, path: str, *args):
        return function(path, *args)

    def each(self, function: Callable, jobs: list[tuple]) -> Iterator:
        for job in jobs:
            try:
                yield function(*job)
            except FormError as error:
                yield error

    def close(self):
        pass
