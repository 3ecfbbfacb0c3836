"""The web app as the corpus grows: time to first answer and the median time of each page,
over the embedded store and over a remote one.

    python bench/web_scale.py [--sizes 10,100,1000,10000] [--repeat 5] [--work DIR] [--plot FILE.svg]

For each size, generated declarations (bench/generate.py) and the bundled Xiushan declaration
are imported into a store on disk (kept in --work and reused when the script runs again);
`goaltrace serve --store DIR` (waitress) is started on it as a user starts it, and timed from
launch to its first answer; then each page is requested `--repeat` times over HTTP and its
median reported. Then the same store is served by `oxigraph serve` and goaltrace is started
with `--store http://…/query`: the remote column. The baseline, in the same run, is the server
on the bundled data alone (one declaration).
"""

import argparse
import platform
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from datetime import date
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from generate import generate  # noqa: E402
from goaltrace.graph.store import Store  # noqa: E402
from goaltrace.ingest.importing import import_corpus  # noqa: E402

GOALTRACE = str(Path(sys.executable).parent / "goaltrace")
SEED = HERE.parent / "data" / "forms" / "xiushan-justice-bureau-2023.txt"
ALIGNMENTS = HERE.parent / "data" / "alignments"
ONE = f"department={quote('秀山土家族苗族自治县司法局')}&year=2023"
PAGES = [
    ("home", "/"),
    ("home, search", f"/?q={quote('司法局')}"),
    ("report (one department)", f"/report?{ONE}"),
    ("validation (one department)", f"/validation?{ONE}"),
    ("goal 3 page", f"/id/{quote('秀山土家族苗族自治县司法局')}/2023/goal/3"),
    ("/api/goals", f"/api/goals?{ONE}"),
    ("/api/goals/3/projects", f"/api/goals/3/projects?{ONE}"),
    ("/api/indicators (one department)", f"/api/indicators?{ONE}"),
    ("/api/funds (one department)", f"/api/funds?{ONE}"),
    ("/api/indicators (first page of all)", "/api/indicators?limit=1000"),
    ("/indicators (one department, facets)", f"/indicators?{ONE}"),
    ("/indicators (one department, a facet)", f"/indicators?{ONE}&level1={quote('产出指标')}"),
    ("/indicators (first page of all)", "/indicators"),
    ("/declarations (kinds pictured)", "/declarations"),
    # facets, sort and search across every declaration (issue #26), from the table index
    ("/indicators (a row facet across all)", f"/indicators?level1={quote('满意度指标')}"),
    ("/indicators (sorted by value, descending)", "/indicators?sort=-value"),
    ("/indicators (search inside names)", f"/indicators?q={quote('援助')}"),
    ("/indicators (search, facet, sort)", f"/indicators?q={quote('援助')}&level1={quote('产出指标')}&sort=-weight"),
    ("/indicators (a facet's every value)", "/indicators?all=unit"),
    ("/api/indicators (search, sorted)", f"/api/indicators?q={quote('满意度')}&sort=value&limit=100"),
    ("/api/indicators/facets (a year)", "/api/indicators/facets?year=2021"),
    ("/funds (sorted by amount)", "/funds?sort=-amount"),
    ("/projects (search)", f"/projects?q={quote('法律')}"),
    ("/outcomes", "/outcomes"),
]


def _index_state(url: str) -> str:
    """What the server says of its table index (X-Goaltrace-Table-Index): ready, refreshing, building."""
    with urllib.request.urlopen(url, timeout=600) as response:
        response.read()
        return response.headers.get("X-Goaltrace-Table-Index", "")


def _index_bytes(store: Path) -> int:
    """What the table index kept in a store's folder takes on disk."""
    return sum(f.stat().st_size for f in (store / "goaltrace-index").glob("*"))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 600) -> tuple[int, float]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        status = error.code
    return status, time.perf_counter() - started


class RemoteStore:
    """`oxigraph serve` on a store directory: the remote SPARQL store goaltrace is pointed at."""

    def __init__(self, location: str):
        self.port = free_port()
        self.process = subprocess.Popen([str(Path(sys.executable).parent / "oxigraph"), "serve", "--location", location,
                                         "--bind", f"127.0.0.1:{self.port}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.url = f"http://127.0.0.1:{self.port}/query"
        for _ in range(600):
            try:
                get(self.url + "?query=ASK%7B%7D", timeout=2)
                return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.1)
        raise RuntimeError("oxigraph serve did not answer")

    def stop(self):
        self.process.terminate()
        self.process.wait()


def measure(store: str | None, repeat: int) -> tuple[float, float, dict[str, tuple[int, float]]]:
    """Time to the first answer, time until the table index is ready, and each page's
    median (the pages asked once the index is ready)."""
    port = free_port()
    command = [GOALTRACE, "serve", "--port", str(port)] + (["--store", store] if store else [])
    started = time.perf_counter()
    server = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        while True:
            try:
                get(base + "/api/declarations", timeout=5)
                break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                if time.perf_counter() - started > 900:
                    raise RuntimeError("the server did not answer in 15 minutes") from None
                time.sleep(0.05)
        first = time.perf_counter() - started
        for table in ("indicators", "funds", "outcomes", "projects"):  # the order the index is built in
            while _index_state(f"{base}/{table}?limit=1") != "ready":  # built, and checked against the store
                time.sleep(0.5)
        indexed = time.perf_counter() - started
        results = {}
        for label, path in PAGES:
            times, status = [], 0
            for _ in range(repeat):
                status, seconds = get(base + path)
                times.append(seconds)
            results[label] = (status, statistics.median(times))
        return first, indexed, results
    finally:
        server.terminate()
        server.wait()


def build(work: Path, size: int) -> str:
    location = work / f"store-{size}"
    if not (location / "CURRENT").exists():
        forms = work / f"forms-{size}"
        generate(forms, size, seed=1)
        # the seed first: a generated file for the same unit and year is then the one skipped
        store = Store.open(str(location))
        import_corpus(store, [str(SEED), str(ALIGNMENTS), str(forms)], keep_going=True)
        store.flush()
        del store
    return str(location)


def plot(measured: list, path: Path):
    """Median time per page (ms, log scale) against the corpus size, one line per page and
    store; drawn as plain SVG."""
    import math

    width, height, left, top, bottom = 760, 420, 60, 20, 40
    sizes = [int(label.split()[0].replace(",", "")) + 1 if label[0].isdigit() else 1 for label, *_ in measured]
    measured = [(label, first, results, kind) for label, first, _, results, kind in measured]
    xs = sorted(set(sizes))
    x = {s: left + (width - left - 220) * (math.log10(s) / max(math.log10(xs[-1]), 1)) for s in xs}
    y = lambda ms: top + (height - top - bottom) * (1 - (math.log10(max(ms, 1)) / 5))  # 1 ms … 100 s
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" font-family="sans-serif" font-size="11">']
    for ms in (1, 10, 100, 1000, 10000, 100000):
        parts.append(f'<line x1="{left}" x2="{width - 220}" y1="{y(ms):.0f}" y2="{y(ms):.0f}" stroke="#ddd"/>'
                     f'<text x="{left - 6}" y="{y(ms) + 4:.0f}" text-anchor="end">{ms:,} ms</text>')
    for s in xs:
        parts.append(f'<text x="{x[s]:.0f}" y="{height - 20}" text-anchor="middle">{s:,}</text>')
    parts.append(f'<text x="{(width - 220) / 2}" y="{height - 4}" text-anchor="middle">declarations in the store</text>')
    colours = ["#2563eb", "#16a34a", "#dc2626", "#9333ea", "#ea580c", "#0891b2", "#4b5563", "#ca8a04", "#db2777", "#65a30d", "#0f766e"]
    for kind, dash in (("embedded", ""), ("remote", "5 4")):
        for i, (page, _) in enumerate(PAGES):
            points = [(size, results[page][1] * 1000) for (label, _, results, k), size in zip(measured, sizes) if k == kind]
            if len(points) > 1:
                line = " ".join(f"{x[s]:.1f},{y(ms):.1f}" for s, ms in points)
                parts.append(f'<polyline points="{line}" fill="none" stroke="{colours[i % len(colours)]}" stroke-dasharray="{dash}"/>')
    for i, (page, _) in enumerate(PAGES):
        parts.append(f'<text x="{width - 210}" y="{top + 14 * i + 10}" fill="{colours[i % len(colours)]}">{page}</text>')
    parts.append(f'<text x="{width - 210}" y="{top + 14 * len(PAGES) + 20}">solid: embedded · dashed: remote</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--work", type=Path, help="where the stores are kept between runs (default: a new temporary folder)")
    parser.add_argument("--plot", type=Path, help="write the medians as an SVG chart")
    parser.add_argument("--no-remote", action="store_true", help="measure the embedded store only")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    work = args.work or Path(tempfile.mkdtemp(prefix="goaltrace-web-"))
    work.mkdir(parents=True, exist_ok=True)
    measured = [("baseline: bundled data (1)", *measure(None, args.repeat), "embedded")]
    for size in sizes:
        location = build(work, size)
        measured.append((f"{size:,} + 1", *measure(location, args.repeat), "embedded"))
        if not args.no_remote:
            remote = RemoteStore(location)
            try:
                measured.append((f"{size:,} + 1 remote", *measure(remote.url, args.repeat), "remote"))
            finally:
                remote.stop()
    print(f"web — {date.today()}, {platform.machine()}, Python {platform.python_version()}, "
          f"median of {args.repeat} requests each, stores on disk; remote: oxigraph serve on 127.0.0.1")
    print()
    print("| | " + " | ".join(label for label, *_ in measured) + " |")
    print("|---|" + "---:|" * len(measured))
    print("| time to first answer | " + " | ".join(f"{first:.2f} s" for _, first, _, _, _ in measured) + " |")
    print("| table index ready | " + " | ".join(f"{indexed:.1f} s" for _, _, indexed, _, _ in measured) + " |")
    stores = [label.split(" ")[0].replace(",", "") for label, *_ in measured]
    print("| table index on disk | " + " | ".join(f"{_index_bytes(work / f'store-{n}') / 1e6:,.1f} MB" if n.isdigit() else "—"
                                                 for n in stores) + " |")
    for page, _ in PAGES:
        cells = []
        for _, _, _, results, _ in measured:
            status, seconds = results[page]
            cells.append(f"{seconds * 1000:,.0f} ms" + ("" if status == 200 else f" ({status})"))
        print(f"| {page} | " + " | ".join(cells) + " |")
    if args.plot:
        plot(measured, args.plot)


if __name__ == "__main__":
    main()
