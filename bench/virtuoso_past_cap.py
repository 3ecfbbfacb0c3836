"""A corpus past Virtuoso's default row cap: import, re-import and export, beside the embedded store.

    python bench/virtuoso_past_cap.py [DECLARATIONS]     # 160 by default: about 13,000 indicators

Virtuoso starts afresh with its defaults (a 10,000-row cap), as in `bench/virtuoso.py`; the
declarations are imported into an embedded store and into Virtuoso (Graph Store Protocol), then
imported into Virtuoso again (every declaration replaced), and `export indicators` is read from
both: the answers must be equal, row for row, although Virtuoso caps each answer at 10,000 rows.
"""

import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
sys.path.insert(0, str(Path(__file__).parents[1] / "tests"))
from conftest import VirtuosoServer
from generate import generate
from goaltrace.answers import exporting
from goaltrace.graph.store import Store
from goaltrace.ingest.importing import import_files


def timed(function) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 160
    work = Path(tempfile.mkdtemp(prefix="goaltrace-virtuoso-cap-"))
    try:
        generate(work / "forms", count, seed=1)
        embedded = Store.open(str(work / "store"))
        embedded_import = timed(lambda: import_files(embedded, [str(work / "forms")]))
        server = VirtuosoServer(work / "virtuoso")
        try:
            remote = Store.open(server.url)
            remote_import = timed(lambda: import_files(remote, [str(work / "forms")]))
            remote_again = timed(lambda: import_files(remote, [str(work / "forms")]))
            here = exporting.rows(embedded, "indicators")
            there = exporting.rows(Store.open(server.url, read_only=True), "indicators")
        finally:
            server.stop()

        def key(row):
            return tuple(sorted(row.items()))

        print(f"{count} declarations, {len(here)} indicators: import embedded {embedded_import:.1f} s, "
              f"Virtuoso {remote_import:.1f} s ({remote_import / embedded_import:.1f} ×); "
              f"re-import into Virtuoso {remote_again:.1f} s; export from Virtuoso {len(there)} rows, "
              f"equal to embedded: {sorted(here, key=key) == sorted(there, key=key)}")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
