"""Incremental validation: a first run, a second run with nothing changed, and a run after a
few declarations were published again with one form changed each, beside a run that
validates everything.

    python bench/incremental_validation.py [--declarations 100] [--changed 5]

Every run is ``goaltrace validate --workers 2`` on a store on disk, as a user runs it; the
findings of the incremental run are checked to be exactly those of the full one.
"""

import argparse
import json
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402

BIN = Path(sys.executable).parent


def goaltrace(*args: str) -> tuple[float, subprocess.CompletedProcess]:
    started = time.perf_counter()
    result = subprocess.run([str(BIN / "goaltrace"), *args], capture_output=True, text=True, timeout=3600)
    if result.returncode not in (0, 1):
        raise SystemExit(f"goaltrace {' '.join(args)}: {result.stderr}")
    return time.perf_counter() - started, result


def validated(result: subprocess.CompletedProcess, forms: int) -> int:
    said = re.search(r"validated (\d+) of", result.stderr)
    return int(said.group(1)) if said else forms


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--declarations", type=int, default=100)
    parser.add_argument("--changed", type=int, default=5)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="goaltrace-incremental-"))
    try:
        files = generate(work / "forms", args.declarations, seed=3)
        store, cache = str(work / "store"), str(work / "cache")
        goaltrace("import", "--store", store, str(work / "forms"))
        runs = []

        def run(label: str, *extra: str):
            seconds, result = goaltrace("validate", "--format", "json", "--workers", "2", "--store", store, *extra)
            report = json.loads(result.stdout)
            runs.append((label, seconds, report["forms"], validated(result, report["forms"]), len(report["results"])))
            return report

        run("first run, empty cache", "--cache", cache)
        run("again, nothing changed", "--cache", cache)
        for path in files[: args.changed]:  # published again: one indicator's weight changed
            text = path.read_text(encoding="utf-8")
            path.write_text(re.sub(r"\t(\d+)\n", lambda m: f"\t{int(m.group(1)) + 1}\n", text, count=1), encoding="utf-8")
        goaltrace("import", "--store", store, *(str(p) for p in files[: args.changed]))
        incremental = run(f"after {args.changed} declarations changed", "--cache", cache)
        full = run("baseline: everything, no cache", "--no-cache")
        assert incremental == full, "the incremental run must find exactly what a full run finds"
        print(f"incremental validation — {date.today()}, {platform.machine()}, {os.cpu_count()} cores, "
              f"Python {platform.python_version()}, {args.declarations} generated declarations")
        print()
        print("| run | seconds | forms | validated | from the cache | findings | forms/s |")
        print("|---|---:|---:|---:|---:|---:|---:|")
        for label, seconds, forms, fresh, findings in runs:
            print(f"| {label} | {seconds:.2f} | {forms:,} | {fresh:,} | {forms - fresh:,} | {findings:,} | {forms / seconds:,.0f} |")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
