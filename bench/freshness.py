"""How soon a running server shows an import made into its store by another process.

    python bench/freshness.py STORE_DIR [--repeat 3]

STORE_DIR (for example one that bench/web_scale.py keeps in its --work folder) is copied with
`goaltrace backup`, and `goaltrace serve --store COPY` is started on the copy. Then, each
round, a new declaration (the bundled one, with its year moved on) is imported into the copy
by `goaltrace import`, and /api/declarations?year=… is polled every 250 ms until it lists it.
The time from the end of the import to the first answer that lists it is reported, and,
beside it as the baseline, how long the import itself took. The rounds start once the server
has settled (10 s after its first answer).

pyoxigraph 0.5 opens a store read-write or read-only, with no secondary (catch-up) mode, so the
server reopens the store read-only when the store's files change and no import is pending.
"""

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

GOALTRACE = str(Path(sys.executable).parent / "goaltrace")
SEED = Path(__file__).resolve().parents[1] / "data" / "forms" / "xiushan-justice-bureau-2023.txt"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listed(base: str, year: int) -> bool:
    with urllib.request.urlopen(f"{base}/api/declarations?year={year}", timeout=30) as response:
        return any(d["year"] == year for d in json.loads(response.read()))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("store")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="goaltrace-fresh-"))
    copy = str(work / "store")
    subprocess.run([GOALTRACE, "backup", "--store", args.store, copy], check=True, capture_output=True)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([GOALTRACE, "serve", "--port", str(port), "--store", copy],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                listed(base, 1)
                break
            except OSError:
                time.sleep(0.1)
        time.sleep(10)  # let the server finish reading its summary and counting its triples
        imports, visible = [], []
        for n in range(args.repeat):
            year = 2101 + n
            form = work / f"{year}.txt"
            form.write_text(SEED.read_text(encoding="utf-8").replace("预算年度:2023", f"预算年度:{year}"), encoding="utf-8")
            started = time.perf_counter()
            subprocess.run([GOALTRACE, "import", "--store", copy, str(form)], check=True, capture_output=True)
            done = time.perf_counter()
            while not listed(base, year):
                time.sleep(0.25)
            imports.append(done - started)
            visible.append(time.perf_counter() - done)
        print(f"store {args.store}, {args.repeat} rounds: import {statistics.median(imports):.2f} s (median), "
              f"then visible to the server after {statistics.median(visible):.2f} s (median; max {max(visible):.2f} s)")
    finally:
        server.terminate()
        server.wait()


if __name__ == "__main__":
    main()
