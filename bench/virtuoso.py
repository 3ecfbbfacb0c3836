"""Virtuoso beside the embedded store: importing, re-importing and exporting generated declarations.

    python bench/virtuoso.py [--declarations 40]

Each Virtuoso run starts Debian's `virtuoso-t` afresh in a temporary folder, with its defaults
(a 10,000-row cap) and SPARQL Update granted, as `tests/graph/test_virtuoso.py` does. Two write paths
are measured: SPARQL Update alone (INSERT DATA, in as many requests as Virtuoso takes: it
refuses one whose SQL passes 10,000 lines, about 1,000 triples, and goaltrace halves and keeps
the size), and the default, the Graph Store Protocol (N-Triples, one graph a request, two at a
time). A re-import replaces every declaration: too large for one request, it is staged under
temporary graph names and switched declaration by declaration.
"""

import argparse
import platform
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
from conftest import VirtuosoServer
from generate import generate
from goaltrace.answers import exporting
from goaltrace.graph.store import Store
from goaltrace.ingest.importing import import_files


def measure(label: str, location: str, forms: Path, graph_store: bool = True) -> list[tuple[str, str, float, int]]:
    store = Store.open(location)
    if store.remote and not graph_store:
        store.engine.graph_store = ""  # never asked: SPARQL Update only
    rows = []
    for step in ("import", "re-import"):
        started = time.perf_counter()
        import_files(store, [str(forms)])
        rows.append((label, step, time.perf_counter() - started, 0))
    started = time.perf_counter()
    indicators = exporting.rows(store, "indicators")
    rows.append((label, "export indicators", time.perf_counter() - started, len(indicators)))
    return rows


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--declarations", type=int, default=40)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="goaltrace-virtuoso-"))
    try:
        generate(work / "forms", args.declarations, seed=1)
        rows = measure("embedded (Oxigraph on disk)", str(work / "store"), work / "forms")
        for label, graph_store in (("Virtuoso, SPARQL Update only", False), ("Virtuoso, Graph Store Protocol", True)):
            server = VirtuosoServer(work / label.split(",")[1].strip().replace(" ", "-"))
            try:
                rows += measure(label, server.url, work / "forms", graph_store)
            finally:
                server.stop()
        embedded = {step: seconds for label, step, seconds, _ in rows if label.startswith("embedded")}
        print(f"Virtuoso — {date.today()}, {platform.machine()}, Python {platform.python_version()}, "
              f"{args.declarations} generated declarations")
        print()
        print("| store | step | seconds | × embedded | rows |")
        print("|---|---|---:|---:|---:|")
        for label, step, seconds, count in rows:
            print(f"| {label} | {step} | {seconds:.2f} | {seconds / embedded[step]:.1f} | {count or ''} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
