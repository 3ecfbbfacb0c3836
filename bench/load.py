"""A bounded load test of `goaltrace serve` on loopback: many clients, cheap and expensive
queries mixed, for a fixed time. Reports failed requests, latency percentiles and memory.

    python bench/load.py [--clients 32] [--seconds 60]

Expensive queries (a cartesian product the server stops at its time limit) are 1 request in
20; a 408 for them is the expected answer, anything 5xx or a dropped connection is a failure.
"""

import argparse
import http.client
import os
import platform
import random
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))
from endpoint import BIN, QUERIES, free_port, percentile, wait  # noqa: E402

EXPENSIVE = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def rss_mib(root: int) -> float:
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
        except (OSError, IndexError, ValueError):
            continue
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        try:
            total += next(int(l.split()[1]) for l in Path(f"/proc/{pid}/status").read_text().splitlines() if l.startswith("VmRSS:"))
        except (OSError, StopIteration):
            pass
        todo += children.get(pid, [])
    return total / 1024


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--timeout", type=float, default=2.0, help="the server's query time limit")
    parser.add_argument("--query-workers", type=int, default=4, help="the server's query processes")
    args = parser.parse_args()
    port = free_port()
    process = subprocess.Popen([str(BIN / "goaltrace"), "serve", "--port", str(port), "--threads", "16",
                                "--query-timeout", str(args.timeout), "--query-workers", str(args.query_workers)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait(port, process, "/sparql?query=" + urllib.parse.quote("ASK {}"))
        cheap = ["/sparql?query=" + urllib.parse.quote(q) for q in QUERIES.values()] + ["/api/goals/3/projects", "/api/goals"]
        expensive = "/sparql?query=" + urllib.parse.quote(EXPENSIVE)
        results: list[tuple[str, int, float]] = []
        lock = threading.Lock()
        stop = time.monotonic() + args.seconds
        memory = [rss_mib(process.pid)]

        def client(seed: int):
            rng = random.Random(seed)
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            mine = []
            while time.monotonic() < stop:
                kind = "expensive" if rng.random() < 0.05 else "cheap"
                path = expensive if kind == "expensive" else rng.choice(cheap)
                started = time.perf_counter()
                try:
                    connection.request("GET", path)
                    response = connection.getresponse()
                    response.read()
                    status = response.status
                except OSError:
                    status = 0
                    connection.close()
                    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                mine.append((kind, status, time.perf_counter() - started))
            with lock:
                results.extend(mine)

        def sample():
            while time.monotonic() < stop:
                memory.append(rss_mib(process.pid))
                time.sleep(1)

        threads = [threading.Thread(target=client, args=(n,)) for n in range(args.clients)] + [threading.Thread(target=sample)]
        began = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        elapsed = time.monotonic() - began
    finally:
        process.terminate()
        process.wait(10)
    print(f"load — {date.today()}, {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"{args.clients} clients × {args.seconds:g} s, query time limit {args.timeout:g} s, {args.query_workers} query workers")
    print()
    print("| requests | kind | answered 2xx | 408 (stopped) | failed (5xx or dropped) | p50 ms | p99 ms |")
    print("|---:|---|---:|---:|---:|---:|---:|")
    for kind in ("cheap", "expensive"):
        mine = [r for r in results if r[0] == kind]
        latencies = [r[2] * 1000 for r in mine]
        ok = sum(1 for r in mine if 200 <= r[1] < 300)
        stopped = sum(1 for r in mine if r[1] == 408)
        failed = sum(1 for r in mine if r[1] == 0 or r[1] >= 500)
        print(f"| {len(mine)} | {kind} | {ok} | {stopped} | {failed} | {statistics.median(latencies):.1f} | {percentile(latencies, 99):.1f} |")
    print()
    print(f"throughput {len(results) / elapsed:.0f} requests/s; memory of server and workers: "
          f"{memory[0]:.0f} MiB at start, {max(memory):.0f} MiB at most, {memory[-1]:.0f} MiB at the end")


if __name__ == "__main__":
    main()
