"""The questions across the corpus on a store of many declarations, this build's named queries
beside those of an earlier revision, in one run on the same store.

    python bench/questions.py STORE [--baseline REV] [--timeout 600] [--concept service-recipient-satisfaction] [--questions NAME…]

STORE is a goaltrace store on disk (for example ``goaltrace import`` of ``bench/generate.py
DIR --declarations 1000``). For each question (``falling-targets`` and ``concept-across-units``
for every concept and for one, ``declaration-quality-profile``) it times this build's query and,
with ``--baseline``, the same query's text at that git revision, every row fetched, and checks
that both give the same rows (in any order). A baseline run that passes ``--timeout`` is stopped
and reported as such.
"""

import argparse
import multiprocessing
import subprocess
import time
from collections import Counter
from pathlib import Path

import pyoxigraph as ox

from goaltrace.graph.namespaces import GTC
from goaltrace.graph.store import Store
from goaltrace.query.named import bind, named_query

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = ("falling-targets", "concept-across-units", "declaration-quality-profile")


def _text_at(revision: str, name: str) -> str:
    return subprocess.run(["git", "-C", str(ROOT), "show", f"{revision}:data/queries/{name}.rq"],
                          capture_output=True, text=True, check=True).stdout


def _rows(store_path: str, text: str, out) -> None:
    store = Store.open(store_path, read_only=True)
    started = time.perf_counter()
    rows = Counter(tuple(sorted((k, str(v)) for k, v in row.items())) for row in store.select(text))
    out.send((time.perf_counter() - started, rows))


def timed(store_path: str, text: str, timeout: float) -> tuple[float | None, Counter | None]:
    """Seconds and rows of one query in a process of its own, or (None, None) past the timeout."""
    receive, send = multiprocessing.Pipe(duplex=False)
    process = multiprocessing.Process(target=_rows, args=(store_path, text, send))
    process.start()
    if not receive.poll(timeout):
        process.kill()
        process.join()
        return None, None
    seconds, rows = receive.recv()
    process.join()
    return seconds, rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("store")
    parser.add_argument("--baseline", help="a git revision whose data/queries to time beside this build's")
    parser.add_argument("--timeout", type=float, default=600.0)
    parser.add_argument("--concept", default="service-recipient-satisfaction")
    parser.add_argument("--questions", nargs="+", choices=QUESTIONS, default=QUESTIONS)
    args = parser.parse_args()
    print("| question | this build s | rows |" + (f" {args.baseline} s | same rows |" if args.baseline else ""))
    print("|---|---|---|" + ("---|---|" if args.baseline else ""))
    for name in args.questions:
        cases = [("", {})]
        if name == "concept-across-units":
            cases.append((f" ({args.concept})", {"concept": ox.NamedNode(GTC + args.concept)}))
        for label, bindings in cases:
            now = bind(named_query(name).text, bindings)
            seconds, rows = timed(args.store, now, args.timeout)
            line = (f"| {name}{label} | {seconds:.2f} | {sum(rows.values())} |" if seconds is not None
                    else f"| {name}{label} | > {args.timeout:.0f} (stopped) | — |")
            if args.baseline and rows is not None:
                before, before_rows = timed(args.store, bind(_text_at(args.baseline, name), bindings), args.timeout)
                line += (f" {before:.2f} | {'yes' if before_rows == rows else 'NO'} |" if before is not None
                         else f" > {args.timeout:.0f} (stopped) | — |")
            print(line, flush=True)


if __name__ == "__main__":
    main()
