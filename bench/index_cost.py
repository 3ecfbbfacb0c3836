"""What keeping the table index costs an import: the same generated declarations imported into
two new stores on disk in one run, one keeping the index (as `goaltrace import` does) and one
not, side by side; then the rows the index holds checked against the store's own tables.

    python bench/generate.py DIR --declarations 100
    python bench/index_cost.py DIR [--work WORK] [--repeat 1]

Each import is the whole `import_corpus` of the folder in one call (read, map, write, and for
the first the index's rows of every declaration written). The order alternates between
repeats, so that neither always runs on a warmer machine. Then, on the store imported without
it, the index is built apart both ways: from copies in memory of ten declarations at a time
(`DeclarationCopies`, what the import does) and each declaration's named queries asked of the
whole store (as the index was first kept, and as the web app still reads a store in memory).
"""

import argparse
import gc
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

from goaltrace.answers import tables
from goaltrace.answers.table_index import DeclarationCopies, TableIndex, store_stamp
from goaltrace.answers.trace import DeclarationRef
from goaltrace.graph.store import Store
from goaltrace.ingest.importing import import_corpus


def timed_import(folder: Path, store_folder: Path, keep_index: bool) -> tuple[float, int]:
    """Seconds to import the folder into a new store, and how many declarations it holds."""
    shutil.rmtree(store_folder, ignore_errors=True)
    store_folder.parent.mkdir(parents=True, exist_ok=True)
    store = Store.open(str(store_folder))
    started = time.perf_counter()
    report = import_corpus(store, [str(folder)], keep_index=keep_index)
    seconds = time.perf_counter() - started
    count = report.declarations
    del store
    gc.collect()
    return seconds, count


def index_matches_store(store_folder: Path) -> int:
    """How many rows the index holds, having checked that each declaration's rows of each table
    are those the named queries give against the whole store."""
    store = Store.open(str(store_folder), read_only=True)
    index = TableIndex.of(store)
    if not index.matches(store_stamp(store)):
        sys.exit("index_cost.py: the index kept by the import does not match its store")
    held = 0
    for row in store.run("declaration-catalogue"):
        declaration = DeclarationRef(row["d"].value, row["name"].value, int(row["year"].value))
        place = {c: row[c].value for c in tables.exporting.PLACE}
        for table in tables.INDEXED:
            expected = [{**tables.place_of(place), **r} for r in tables.declaration_rows(store, table, declaration, place)]
            found, _ = index.rows(table, {"department": declaration.department, "year": str(declaration.year)},
                                  "", "", 1_000_000, 0, 600.0)
            columns = index.columns(table)
            if [{c: r.get(c, "") for c in columns} for r in expected] != [{c: r[c] or "" for c in columns} for r in found]:
                sys.exit(f"index_cost.py: {declaration.iri}: the index's {table} differ from the store's")
            held += len(found)
    return held


def index_apart(store_folder: Path, work: Path, copies: bool) -> float:
    """Seconds to write a new index of every declaration of the store, read one way or the other."""
    store = Store.open(str(store_folder), read_only=True)
    shutil.rmtree(work, ignore_errors=True)
    index = TableIndex(work / "tables.sqlite")
    declarations = store.declarations()
    started = time.perf_counter()
    index.update(store, declarations, page=100_000, scope=DeclarationCopies(store) if copies else None)
    seconds = time.perf_counter() - started
    del store, index
    gc.collect()
    return seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path, help="generated declarations (bench/generate.py DIR)")
    parser.add_argument("--work", type=Path, help="where the two stores go (default: a temporary folder)")
    parser.add_argument("--repeat", type=int, default=1)
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="goaltrace-index-cost-"))
    runs: dict[bool, list[float]] = {False: [], True: []}
    count = 0
    for n in range(args.repeat):
        for keep in ((False, True) if n % 2 == 0 else (True, False)):
            seconds, count = timed_import(args.folder, work / ("with-index" if keep else "without-index"), keep)
            runs[keep].append(seconds)
            print(f"run {n + 1}: import {'with' if keep else 'without'} the index: {seconds:.1f} s", flush=True)
    without, kept = statistics.median(runs[False]), statistics.median(runs[True])
    held = index_matches_store(work / "with-index")
    copied = index_apart(work / "without-index", work / "index-copies", copies=True)
    whole = index_apart(work / "without-index", work / "index-whole", copies=False)
    print(f"\n{count} declarations, median of {args.repeat}:")
    print(f"| import without the index | {without:.1f} s | {without / count * 1000:.0f} ms a declaration |")
    print(f"| import keeping the index | {kept:.1f} s | {kept / count * 1000:.0f} ms a declaration |")
    print(f"| the index's share | {kept - without:.1f} s | {(kept - without) / kept:.0%} of the import |")
    print(f"the index holds {held} rows, each table's rows of each declaration as the store gives them")
    print(f"| the index apart, from copies of 10 declarations at a time | {copied:.1f} s | {copied / count * 1000:.0f} ms a declaration |")
    print(f"| the index apart, each declaration asked of the whole store | {whole:.1f} s | {whole / count * 1000:.0f} ms a declaration |")
    if args.work is None:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
