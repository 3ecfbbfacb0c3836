"""Import speed per file format: the same declarations as text, xlsx, xls, docx, html and pdf.

    python bench/format_speed.py [--declarations 50]

Generates declarations (bench/generate.py, the seed's layout), renders each into every format
with the libraries that write them (tests/render_formats.py: openpyxl, xlwt, python-docx,
reportlab), then imports each format's directory into a fresh store in memory and reports
files per second beside text, the baseline. Rendering is not timed.
"""

import argparse
import platform
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))
from generate import generate  # noqa: E402
from goaltrace.graph.store import Store  # noqa: E402
from goaltrace.ingest.importing import import_corpus  # noqa: E402
from render_formats import RENDERERS  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--declarations", type=int, default=50)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="goaltrace-formats-"))
    texts = generate(work / "txt", args.declarations, seed=1, template="seed")
    for fmt, render in RENDERERS.items():
        (work / fmt).mkdir()
        for path in texts:
            render(path.read_text(encoding="utf-8"), work / fmt / f"{path.stem}.{fmt}")
    rows = []
    for fmt in ["txt", *RENDERERS]:
        store = Store.open(":memory:")
        started = time.perf_counter()
        report = import_corpus(store, [str(work / fmt)])
        seconds = time.perf_counter() - started
        indicators = sum(item.indicators for item in report.imported)
        size = sum(p.stat().st_size for p in (work / fmt).iterdir()) / len(texts) / 1024
        rows.append((fmt, seconds, indicators, size))
    baseline = rows[0][1]
    print(f"formats — {date.today()}, {platform.machine()}, Python {platform.python_version()}, "
          f"{args.declarations} generated declarations in each format")
    print()
    print("| format | seconds | files/s | × text | KiB a file | indicators read |")
    print("|---|---:|---:|---:|---:|---:|")
    for fmt, seconds, indicators, size in rows:
        label = "text (baseline)" if fmt == "txt" else fmt
        print(f"| {label} | {seconds:.2f} | {args.declarations / seconds:,.1f} | {seconds / baseline:.1f} | "
              f"{size:,.0f} | {indicators:,} |")


if __name__ == "__main__":
    main()
