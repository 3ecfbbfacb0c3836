"""Growth with the corpus: import, a per-department question and corpus-wide aggregates at
1, 100, 1,000 and 10,000 generated declarations, beside Oxigraph's server and rdflib.

    python bench/query_scale.py [--sizes 1 100 1000 10000] [--rdflib-up-to 100] [--plot bench/query_scale.svg]

Each size gets its own store on disk, filled by ``goaltrace import`` of a directory (run as a
user runs it; its peak memory is read from the kernel). Then, on that store:

* per department: the answer to "which projects contribute to goal 1?" for a declaration
  chosen by name and year, as `/api/goals/1/projects` computes it (median of 20 declarations);
* corpus-wide: the named queries ``funds-per-dimension`` and
  ``indicators-lacking-unit-or-number``, every row fetched (median of 3; one run at 10,000).

Baselines in the same run: the same query texts sent to ``oxigraph serve`` over the very same
store directory, and run by rdflib's in-memory engine over the same quads (sizes up to
``--rdflib-up-to``: rdflib holds the whole corpus in Python objects).
"""

import argparse
import os
import platform
import random
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import date
from pathlib import Path

import pyoxigraph as ox
import rdflib

sys.path.insert(0, str(Path(__file__).parent))
from generate import generate  # noqa: E402
from goaltrace.answers import trace  # noqa: E402
from goaltrace.graph.namespaces import PREFIXES  # noqa: E402
from goaltrace.graph.store import Store  # noqa: E402
from goaltrace.query.named import named_queries  # noqa: E402

BIN = Path(sys.executable).parent
AGGREGATES = ("funds-per-dimension", "indicators-lacking-unit-or-number")


def timed(action, repeat: int) -> tuple[float, object]:
    """Median seconds of `repeat` runs, and the last result."""
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = action()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def import_corpus(forms: Path, store: Path) -> tuple[float, int]:
    """Seconds and peak resident MiB of ``goaltrace import`` of a directory."""
    started = time.perf_counter()
    process = subprocess.Popen([str(BIN / "goaltrace"), "import", "--store", str(store), str(forms)],
                               stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"import failed: {process.stderr.read().decode()}")
    return seconds, usage.ru_maxrss // 1024


def per_department(store: Store, rng: random.Random) -> tuple[float, float]:
    """Median and slowest seconds for resolve + goal 1's projects, over 20 declarations."""
    every = trace.declarations(store)
    chosen = rng.sample(every, min(20, len(every)))
    times = []
    for ref in chosen:
        started = time.perf_counter()
        declaration = trace.resolve(store, ref.department, ref.year)
        trace.goal_projects(store, declaration, 1)
        times.append(time.perf_counter() - started)
    return statistics.median(times), max(times)


class OxigraphServer:
    def __init__(self, location: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{port}/query"
        self.process = subprocess.Popen([str(BIN / "oxigraph"), "serve-read-only", "--location", str(location),
                                         "--bind", f"127.0.0.1:{port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(300):
            try:
                urllib.request.urlopen(self.url + "?query=ASK%7B%7D", timeout=2).read()
                return
            except OSError:
                time.sleep(0.1)
        raise SystemExit("oxigraph serve-read-only did not start")

    def run(self, text: str) -> int:
        request = urllib.request.Request(self.url + "?union-default-graph=true", data=text.encode(),
                                         headers={"Content-Type": "application/sparql-query", "Accept": "text/tab-separated-values"})
        return urllib.request.urlopen(request, timeout=600).read().count(b"\n") - 1

    def stop(self):
        self.process.terminate()
        self.process.wait(10)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1, 100, 1000, 10000])
    parser.add_argument("--rdflib-up-to", type=int, default=100)
    parser.add_argument("--plot", type=Path, help="also draw the growth curves as SVG here")
    parser.add_argument("--work", type=Path, help="keep corpora and stores here (default: a temporary directory)")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="goaltrace-scale-"))
    queries = named_queries()
    rows = []
    try:
        for size in args.sizes:
            forms, location = work / f"forms-{size}", work / f"store-{size}"
            if not forms.exists():
                generate(forms, size, seed=1)
            if location.exists():
                shutil.rmtree(location)
            import_seconds, peak = import_corpus(forms, location)
            store = Store.open(str(location), read_only=True)
            triples = len(store)
            repeat = 3 if size < 10_000 else 1  # a corpus-wide query at 10,000 takes about a minute
            department = per_department(store, random.Random(size))
            row = {"size": size, "triples": triples, "import": import_seconds, "peak": peak,
                   "department": department[0], "department_max": department[1]}
            for name in AGGREGATES:
                row[name], result = timed(lambda store=store, name=name: len(store.select(queries[name].text)), repeat)
                row[name + " rows"] = result
            dump = ox.serialize(store.quads(), format=ox.RdfFormat.N_QUADS) if size <= args.rdflib_up_to else None
            store = None  # closed before the server opens the same directory
            server = OxigraphServer(location)
            try:
                for name in AGGREGATES:
                    row[name + " oxigraph"], answered = timed(lambda server=server, name=name: server.run(queries[name].text), repeat)
                    assert answered == row[name + " rows"], (name, answered, row[name + " rows"])
            finally:
                server.stop()
            if dump is not None:
                dataset = rdflib.Dataset(default_union=True)
                dataset.parse(data=dump, format="nquads")
                for name in AGGREGATES:
                    prefixed = "".join(f"PREFIX {k}: <{v}>\n" for k, v in PREFIXES.items()) + queries[name].text
                    row[name + " rdflib"], answered = timed(lambda dataset=dataset, prefixed=prefixed: len(list(dataset.query(prefixed))), 1)
                    assert answered == row[name + " rows"], (name, answered, row[name + " rows"])
                del dataset
            rows.append(row)
            print(f"… {size} declarations done", file=sys.stderr, flush=True)
        report(rows)
        if args.plot:
            args.plot.write_text(plot(rows), encoding="utf-8")
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)


def ms(seconds: float | None) -> str:
    return "—" if seconds is None else f"{seconds * 1000:,.1f}"


def report(rows: list[dict]):
    print(f"query scale — {date.today()}, {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print()
    print("| declarations | triples | import s | declarations/s | import peak MiB | per-department ms (median / max) |")
    print("|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        print(f"| {r['size']:,} | {r['triples']:,} | {r['import']:.1f} | {r['size'] / r['import']:.0f} | {r['peak']:,} | "
              f"{ms(r['department'])} / {ms(r['department_max'])} |")
    print()
    print("| declarations | query | rows | goaltrace ms | Oxigraph server ms | ratio | rdflib ms | ratio |")
    print("|---:|---|---:|---:|---:|---:|---:|---:|")
    for r in rows:
        for name in AGGREGATES:
            ours, server, slow = r[name], r[name + " oxigraph"], r.get(name + " rdflib")
            print(f"| {r['size']:,} | {name} | {r[name + ' rows']:,} | {ms(ours)} | {ms(server)} | {ours / server:.2f} | "
                  f"{ms(slow)} | {'—' if slow is None else f'{slow / ours:.0f}× slower'} |")


def plot(rows: list[dict]) -> str:
    """Milliseconds against declarations, both on log scales, one line per measure."""
    import math

    series = {"per department (median)": "department", "funds-per-dimension": "funds-per-dimension",
              "indicators-lacking-unit-or-number": "indicators-lacking-unit-or-number",
              "import (whole corpus)": "import"}
    colours = ["#1b6ca8", "#c0392b", "#27ae60", "#7f8c8d"]
    width, height, left, bottom = 640, 400, 70, 50
    sizes = [r["size"] for r in rows]
    values = [r[key] * 1000 for r in rows for key in series.values()]
    x0, x1 = math.log10(min(sizes)), math.log10(max(sizes)) or 1
    y0, y1 = math.floor(math.log10(min(values))), math.ceil(math.log10(max(values)))

    def x(size):
        return left + (math.log10(size) - x0) / ((x1 - x0) or 1) * (width - left - 180)

    def y(value):
        return height - bottom - (math.log10(value) - y0) / ((y1 - y0) or 1) * (height - bottom - 20)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
             f'<rect width="{width}" height="{height}" fill="white"/>']
    for power in range(y0, y1 + 1):
        value = 10 ** power
        tick = f"{value / 1000:,g} s" if value >= 1000 else f"{value:g} ms"
        parts.append(f'<line x1="{left}" x2="{width - 180}" y1="{y(value):.1f}" y2="{y(value):.1f}" stroke="#ddd"/>')
        parts.append(f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end">{tick}</text>')
    for target, label in ((20, "target: one department, 20 ms"), (2000, "target: corpus-wide at 10,000, 2 s")):
        if y0 <= math.log10(target) <= y1:
            parts.append(f'<line x1="{left}" x2="{width - 180}" y1="{y(target):.1f}" y2="{y(target):.1f}" '
                         f'stroke="#555" stroke-dasharray="4 3"/>')
            parts.append(f'<text x="{left + 4}" y="{y(target) - 4:.1f}" fill="#555">{label}</text>')
    for size in sizes:
        parts.append(f'<text x="{x(size):.1f}" y="{height - bottom + 16}" text-anchor="middle">{size:,}</text>')
    parts.append(f'<text x="{(left + width - 180) / 2}" y="{height - 12}" text-anchor="middle">declarations in the store</text>')
    ends = []  # where each line ends, for its label
    for (label, key), colour in zip(series.items(), colours):
        points = " ".join(f"{x(r['size']):.1f},{y(r[key] * 1000):.1f}" for r in rows)
        parts.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for r in rows:
            parts.append(f'<circle cx="{x(r["size"]):.1f}" cy="{y(r[key] * 1000):.1f}" r="3" fill="{colour}"/>')
        ends.append([y(rows[-1][key] * 1000) + 4, label, colour])
    ends.sort()
    for above, below in zip(ends, ends[1:]):  # labels of lines that end close together are spread apart
        below[0] = max(below[0], above[0] + 13)
    for label_y, label, colour in ends:
        parts.append(f'<text x="{x(rows[-1]["size"]) + 8:.1f}" y="{label_y:.1f}" fill="{colour}">{label}</text>')
    parts.append("</svg>")
    return "\n".join(parts) + "\n"


if __name__ == "__main__":
    main()
