"""The web app as the corpus grows: time to first answer and the median time of each page.

    python bench/web_scale.py [--sizes 10,100,1000] [--repeat 5]

For each size, generated declarations (bench/generate.py) and the bundled Xiushan declaration
are imported into a store on disk; `goaltrace serve --store` (waitress) is started on it as a
user starts it, and timed from launch to its first answer; then each page is requested
`--repeat` times over HTTP and its median reported. The baseline, in the same run, is the
server on the bundled data alone (one declaration).
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
from goaltrace.importing import import_corpus  # noqa: E402

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
]


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


def measure(store: str | None, repeat: int) -> tuple[float, dict[str, tuple[int, float]]]:
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
        results = {}
        for label, path in PAGES:
            times, status = [], 0
            for _ in range(repeat):
                status, seconds = get(base + path)
                times.append(seconds)
            results[label] = (status, statistics.median(times))
        return first, results
    finally:
        server.terminate()
        server.wait()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,100,1000")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    columns = [("baseline: bundled data (1)", None)]
    work = Path(tempfile.mkdtemp(prefix="goaltrace-web-"))
    for size in sizes:
        forms = work / f"forms-{size}"
        generate(forms, size, seed=1)
        location = str(work / f"store-{size}")
        # the seed first: a generated file for the same unit and year is then the one skipped
        import_corpus(Store.open(location), [str(SEED), str(ALIGNMENTS), str(forms)], keep_going=True)
        columns.append((f"{size:,} + 1", location))
    measured = [(label, *measure(location, args.repeat)) for label, location in columns]
    print(f"web — {date.today()}, {platform.machine()}, Python {platform.python_version()}, "
          f"median of {args.repeat} requests each, stores on disk")
    print()
    print("| | " + " | ".join(label for label, _, _ in measured) + " |")
    print("|---|" + "---:|" * len(measured))
    print("| time to first answer | " + " | ".join(f"{first:.2f} s" for _, first, _ in measured) + " |")
    for page, _ in PAGES:
        cells = []
        for _, _, results in measured:
            status, seconds = results[page]
            cells.append(f"{seconds * 1000:,.0f} ms" + ("" if status == 200 else f" ({status})"))
        print(f"| {page} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
