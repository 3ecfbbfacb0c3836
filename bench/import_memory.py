"""Peak memory of `goaltrace import` as the corpus grows, streaming beside keeping everything.

    python bench/import_memory.py [--sizes 1000,10000]

For each size, generated declarations (bench/generate.py, four layouts) are imported into a
fresh store on disk by a child process, whose peak resident memory is read from the operating
system. goaltrace keeps what it read for up to KEEP_IN_MEMORY files and otherwise reads each
file again, a batch at a time, to write it; the baseline is the same import with every file
kept in memory until the end (KEEP_IN_MEMORY raised past the corpus), as the importer did
before.
"""

import argparse
import platform
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

CHILD = """
import sys
import goaltrace.ingest.importing as importing
from goaltrace.graph.store import Store
if sys.argv[3] == "keep":
    importing.KEEP_IN_MEMORY = 10 ** 9
report = importing.import_corpus(Store.open(sys.argv[2]), [sys.argv[1]])
print(report.declarations)
"""


def peak(forms: Path, store: Path, mode: str) -> tuple[float, float, int]:
    """(seconds, peak MiB, declarations) of one import in a child process."""
    started = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", CHILD, str(forms), str(store), mode],
                         check=True, capture_output=True, text=True).stdout
    seconds = time.perf_counter() - started
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, int(out.split()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000")
    args = parser.parse_args()
    rows = []
    for size in (int(s) for s in args.sizes.split(",")):
        work = Path(tempfile.mkdtemp(prefix="goaltrace-memory-"))
        generate(work / "forms", size, seed=1)
        for mode, label in (("stream", "goaltrace import (reads again in batches)"),
                            ("keep", "baseline: every file kept until written")):
            # ru_maxrss of RUSAGE_CHILDREN is the largest child so far: measure each in its own process tree
            result = subprocess.run([sys.executable, __file__, "--one", str(work / "forms"), str(work / f"store-{mode}"), mode],
                                    check=True, capture_output=True, text=True).stdout.split()
            rows.append((size, label, float(result[0]), float(result[1]), int(result[2])))
    print(f"import memory — {date.today()}, {platform.machine()}, Python {platform.python_version()}")
    print()
    print("| declarations | what | seconds | peak MiB |")
    print("|---:|---|---:|---:|")
    for size, label, seconds, mib, count in rows:
        assert count == size
        print(f"| {size:,} | {label} | {seconds:.0f} | {mib:,.0f} |")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--one":
        seconds, mib, count = peak(Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4])
        print(seconds, mib, count)
    else:
        main()
