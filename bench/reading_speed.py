"""Reading speed: the template-independent reader beside the one-layout reader it replaced.

    python bench/reading_speed.py [--declarations 200] [--baseline 95f367b]

Generates declarations in each layout (bench/generate.py), then times text → records for every
file: the current reader on each layout, and, on each layout it reads (the oldest, the seed's alone), the
reader at commit BASELINE, taken from git into a temporary package. Mapping and writing are
not timed: bench/import_speed.py measures the whole import.
"""

import argparse
import importlib
import platform
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from generate import TEMPLATES, generate  # noqa: E402
from goaltrace.forms import parse_declaration  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def baseline_reader(commit: str, into: Path):
    """The forms package as it was at `commit`, importable as `baseline_forms`."""
    package = into / "baseline_forms"
    package.mkdir()
    prefix = "service/goaltrace/forms/"
    listing = subprocess.run(["git", "-C", str(ROOT), "ls-tree", "-r", "--name-only", commit, prefix],
                             check=True, capture_output=True, text=True).stdout.split()
    for path in listing:
        text = subprocess.run(["git", "-C", str(ROOT), "show", f"{commit}:{path}"], check=True,
                              capture_output=True, text=True).stdout
        target = package / path[len(prefix):]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    sys.path.insert(0, str(into))
    return importlib.import_module("baseline_forms").parse_declaration


def timed(parse, texts: list[str]) -> tuple[float, int]:
    for text in texts[:20]:  # warm each reader's caches first, so that the order of the runs does not count
        parse(text, "bench.txt")
    started = time.perf_counter()
    indicators = sum(len(parse(text, "bench.txt").indicators) for text in texts)
    return time.perf_counter() - started, indicators


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--declarations", type=int, default=200)
    parser.add_argument("--baseline", default="95f367b", help="the commit whose reader is the baseline")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="goaltrace-reading-"))
    old = baseline_reader(args.baseline, work)
    corpora = {t: [p.read_text(encoding="utf-8") for p in generate(work / t, args.declarations, seed=1, template=t)]
               for t in TEMPLATES}
    rows = []
    for template in TEMPLATES:
        seconds, indicators = timed(parse_declaration, corpora[template])
        rows.append((f"goaltrace reader, {template} layout", seconds, indicators))
    for template in TEMPLATES:  # every layout the baseline reads (the oldest reads the seed's alone)
        try:
            seconds, indicators = timed(old, corpora[template])
        except Exception:  # noqa: BLE001 — a layout the baseline refuses is left out
            continue
        rows.append((f"baseline: reader at {args.baseline}, {template} layout", seconds, indicators))
    print(f"reading — {date.today()}, {platform.machine()}, Python {platform.python_version()}, "
          f"{args.declarations} generated declarations per layout")
    print()
    print("| what | seconds | declarations/s | ms per declaration | indicators |")
    print("|---|---:|---:|---:|---:|")
    for label, seconds, indicators in rows:
        print(f"| {label} | {seconds:.2f} | {args.declarations / seconds:,.0f} | "
              f"{1000 * seconds / args.declarations:.1f} | {indicators:,} |")


if __name__ == "__main__":
    main()
