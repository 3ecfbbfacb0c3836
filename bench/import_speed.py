"""Import speed: goaltrace import of generated declarations, beside loading the same quads.

    python bench/import_speed.py [--declarations 300]
    python bench/import_speed.py --scaling 100 1000


goaltrace reads the text, maps it and writes each batch in one transaction (so a crash leaves
every declaration whole). The baselines load the resulting N-Quads: Oxigraph's bulk loader (no
transaction: the ceiling of the write path) and rdflib's parser into memory. With
``--scaling``, each size is imported into a store on disk beside Oxigraph's bulk loader of the
same quads, and the growth of each from the smallest size is printed: a pipeline that scales
linearly takes ten times the time for ten times the declarations.
"""

import argparse
import platform
import shutil
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import rdflib

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402
from goaltrace.graph.store import Store  # noqa: E402
from goaltrace.ingest.importing import import_files  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--declarations", type=int, default=300)
    parser.add_argument("--scaling", type=int, nargs="+", metavar="N", help="sizes to import on disk, smallest first")
    args = parser.parse_args()
    if args.scaling:
        return scaling(args.scaling)
    work = Path(tempfile.mkdtemp(prefix="goaltrace-import-"))
    try:
        generate(work / "forms", args.declarations, seed=1)
        rows = []
        for label, location in (("goaltrace import, store on disk", str(work / "store")), ("goaltrace import, in memory", ":memory:")):
            store = Store.open(location)
            started = time.perf_counter()
            import_files(store, [str(work / "forms")])
            seconds = time.perf_counter() - started
            quads = sum(1 for g in store.data_graphs() for _ in store.quads(graph=ox.NamedNode(g)))
            if location == ":memory:":
                dump = ox.serialize((q for g in store.data_graphs() for q in store.quads(graph=ox.NamedNode(g))),
                                    format=ox.RdfFormat.N_QUADS)
            rows.append((label, seconds, quads))
            del store
        target = ox.Store(str(work / "bulk"))
        started = time.perf_counter()
        target.bulk_load(dump, ox.RdfFormat.N_QUADS)
        rows.append(("baseline: Oxigraph bulk_load of the same N-Quads, on disk", time.perf_counter() - started, len(target)))
        del target
        started = time.perf_counter()
        dataset = rdflib.Dataset()
        dataset.parse(data=dump, format="nquads")
        rows.append(("baseline: rdflib parse of the same N-Quads, in memory", time.perf_counter() - started, len(dataset)))
        print(f"import — {date.today()}, {platform.machine()}, Python {platform.python_version()}, {args.declarations} generated declarations")
        print()
        print("| what | seconds | declarations/s | triples/s |")
        print("|---|---:|---:|---:|")
        for label, seconds, quads in rows:
            print(f"| {label} | {seconds:.2f} | {args.declarations / seconds:.0f} | {quads / seconds:,.0f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def scaling(sizes: list[int]):
    """Each size imported into a new store on disk, then its quads bulk-loaded into another."""
    work = Path(tempfile.mkdtemp(prefix="goaltrace-import-"))
    rows = []
    try:
        for size in sizes:
            forms = work / f"forms-{size}"
            generate(forms, size, seed=1)
            store = Store.open(str(work / f"store-{size}"))
            started = time.perf_counter()
            import_files(store, [str(forms)])
            seconds = time.perf_counter() - started
            dump = store.dump(ox.RdfFormat.N_QUADS)
            del store
            target = ox.Store(str(work / f"bulk-{size}"))
            started = time.perf_counter()
            target.bulk_load(dump, ox.RdfFormat.N_QUADS)
            bulk = time.perf_counter() - started
            rows.append((size, len(target), seconds, bulk))
            del target
            shutil.rmtree(forms, ignore_errors=True)
        print(f"import scaling — {date.today()}, {platform.machine()}, Python {platform.python_version()}")
        print()
        print("| declarations | quads | goaltrace s | × smallest | Oxigraph bulk_load s | × smallest | goaltrace ÷ bulk_load speed |")
        print("|---:|---:|---:|---:|---:|---:|---:|")
        first = rows[0]
        for size, quads, seconds, bulk in rows:
            print(f"| {size:,} | {quads:,} | {seconds:.2f} | {seconds / first[2]:.1f} | {bulk:.2f} | {bulk / first[3]:.1f} | "
                  f"{bulk / seconds:.2f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
