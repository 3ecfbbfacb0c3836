"""What reading each file in a worker process costs: the same files read in this process
(the baseline, no limits) and through `ReadingWorker` (memory and time limits, the worker
forked once and given one file after another), in the same run, alternately.

    python bench/reading_worker.py [GLOB …] [--rounds 3]

Default files: the real forms of tests/fixtures/real and 300 declarations of the generator
(written to a temporary directory by bench/generate.py)."""

import argparse
import glob
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from goaltrace.ingest.file_reading import read_file
from goaltrace.ingest.reading_worker import InProcess, Limits, ReadingWorker

ROOT = Path(__file__).resolve().parents[1]


def cpu() -> float:
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def read_all(make, files: list[str]) -> tuple[float, float]:
    jobs = [(path, "utf-8", True, None) for path in files]
    started, spent = time.perf_counter(), cpu()
    with make() as reader:
        for _ in reader.each(read_file, jobs):
            pass
    return time.perf_counter() - started, cpu() - spent


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("globs", nargs="*")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    sets = {pattern: sorted(glob.glob(pattern)) for pattern in options.globs}
    if not sets:
        generated = tempfile.mkdtemp(prefix="goaltrace-bench-")
        subprocess.run([sys.executable, str(ROOT / "bench" / "generate.py"), generated, "--declarations", "300"],
                       check=True, stdout=subprocess.DEVNULL)
        sets = {"tests/fixtures/real (real forms)": sorted(glob.glob(str(ROOT / "tests/fixtures/real/*/*.txt"))),
                "300 generated declarations": sorted(glob.glob(f"{generated}/*"))}
    readers = {"in this process (baseline)": InProcess,
               "ReadingWorker, 2 GiB / 600 s": lambda: ReadingWorker(Limits(), {"txt"}, fork_now=True)}
    print("| files | read | median s | median CPU s | ms a file |")
    print("|---|---|---:|---:|---:|")
    for name, files in sets.items():
        times: dict[str, list[tuple[float, float]]] = {reader: [] for reader in readers}
        for _ in range(options.rounds):
            for reader, make in readers.items():
                times[reader].append(read_all(make, files))
        for reader, runs in times.items():
            wall = statistics.median(run[0] for run in runs)
            spent = statistics.median(run[1] for run in runs)
            print(f"| {name} ({len(files)}) | {reader} | {wall:.2f} | {spent:.2f} | {1000 * wall / len(files):.1f} |")


if __name__ == "__main__":
    main()
