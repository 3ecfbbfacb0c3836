"""SPARQL over HTTP: goaltrace serve beside `oxigraph serve` and a plain rdflib endpoint.

    python bench/endpoint.py [--seconds 5] [--clients 4]

All the servers hold the same data (the bundled Xiushan declaration and its alignment) and
answer three traceability queries: goaltrace as it serves (answers kept until the store
changes), goaltrace with no answer kept (`--result-cache 0`: every request runs its query in
a worker), `oxigraph serve` and a plain rdflib endpoint. For each: latency of one client's sequential
requests (p50, p95), then throughput and latency with N concurrent clients for a bounded
time, all on loopback. Needs the `oxigraph` server (pip install -e '.[bench]').
"""

import argparse
import http.client
import os
import platform
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from datetime import date
from pathlib import Path

import pyoxigraph as ox

HERE = Path(__file__).resolve().parent
BIN = Path(sys.executable).parent

QUERIES = {
    "projects for goal 3, with basis": """
PREFIX gt: <https://w3id.org/goaltrace/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?name ?basis ?funds WHERE {
  ?goal gt:goalNumber 3 ; gt:goalOf ?declaration .
  ?project gt:qualifiedContribution ?link ; gt:projectName ?name .
  ?link gt:goal ?goal ; gt:basis/skos:notation ?basis .
  OPTIONAL { ?f gt:forProject ?project ; gt:fundSource <https://w3id.org/goaltrace/framework/source-all> ; gt:amount ?funds }
}""",
    "funds per goal (aggregate)": (HERE.parent / "data" / "queries" / "funds-per-goal.rq").read_text(encoding="utf-8"),
    "indicator delivery (joins)": (HERE.parent / "data" / "queries" / "department-indicator-delivery.rq").read_text(encoding="utf-8"),
}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait(port: int, process: subprocess.Popen, path: str):
    deadline = time.monotonic() + 300  # a server starts its query workers first: slow on a loaded machine
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"server exited: {process.args}")
        try:
            request(port, path)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"server did not start: {process.args}")


def request(port: int, path: str, connection: http.client.HTTPConnection | None = None) -> float:
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    started = time.perf_counter()
    connection.request("GET", path, headers={"Accept": "application/sparql-results+json"})
    response = connection.getresponse()
    response.read()
    if response.status != 200:
        raise RuntimeError(f"HTTP {response.status} from port {port}")
    if own:
        connection.close()
    return time.perf_counter() - started


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def measure(port: int, path: str, seconds: float, clients: int) -> dict:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    for _ in range(5):
        request(port, path, connection)
    sequential = [request(port, path, connection) for _ in range(100)]
    connection.close()
    latencies: list[float] = []
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def client():
        own = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine = []
        while time.monotonic() < stop:
            mine.append(request(port, path, own))
        own.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.monotonic() - started
    return {"p50": statistics.median(sequential) * 1000, "p95": percentile(sequential, 95) * 1000,
            "throughput": len(latencies) / elapsed, "load_p50": statistics.median(latencies) * 1000,
            "load_p95": percentile(latencies, 95) * 1000}


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="duration of each load run (bounded)")
    parser.add_argument("--clients", type=int, default=4, help="concurrent clients in each load run")
    parser.add_argument("--compare-with", metavar="GOALTRACE", help="another build's goaltrace command, served beside")
    args = parser.parse_args()
    oxigraph_bin = shutil.which("oxigraph") or str(BIN / "oxigraph")
    if not Path(oxigraph_bin).exists():
        raise SystemExit("the oxigraph server is missing: pip install -e '.[bench]'")

    from goaltrace.graph.store import Store
    from goaltrace.ingest.importing import import_files

    work = Path(tempfile.mkdtemp(prefix="goaltrace-bench-"))
    processes = []
    try:
        store = Store.open(str(work / "goaltrace"))
        import_files(store, [str(HERE.parent / "data" / "forms"), str(HERE.parent / "data" / "alignments")])
        dump = work / "data.nq"
        dump.write_bytes(ox.serialize(store.quads(), format=ox.RdfFormat.N_QUADS))
        del store
        subprocess.run([oxigraph_bin, "load", "--location", str(work / "oxigraph"), "--file", str(dump)], check=True, capture_output=True)

        ports = {"goaltrace serve": free_port(), "goaltrace serve --result-cache 0": free_port(),
                 "oxigraph serve": free_port(), "rdflib in-memory": free_port()}
        commands = {
            "goaltrace serve": [str(BIN / "goaltrace"), "serve", "--store", str(work / "goaltrace"), "--port", str(ports["goaltrace serve"]), "--threads", "8"],
            "goaltrace serve --result-cache 0": [str(BIN / "goaltrace"), "serve", "--store", str(work / "goaltrace"), "--port",
                                                 str(ports["goaltrace serve --result-cache 0"]), "--threads", "8", "--result-cache", "0"],
            "oxigraph serve": [oxigraph_bin, "serve-read-only", "--location", str(work / "oxigraph"), "--bind", f"127.0.0.1:{ports['oxigraph serve']}", "--union-default-graph"],
            "rdflib in-memory": [sys.executable, str(HERE / "rdflib_endpoint.py"), str(dump), str(ports["rdflib in-memory"])],
        }
        if args.compare_with:
            ports["goaltrace serve (compared build)"] = free_port()
            commands["goaltrace serve (compared build)"] = [args.compare_with, "serve", "--store", str(work / "goaltrace"), "--port",
                                                            str(ports["goaltrace serve (compared build)"]), "--threads", "8"]
        for name, command in commands.items():
            process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            processes.append(process)
            wait(ports[name], process, "/sparql?query=" + urllib.parse.quote("ASK {}") if name != "oxigraph serve" else "/query?query=" + urllib.parse.quote("ASK {}"))

        rows = []
        for title, query in QUERIES.items():
            for name, port in ports.items():
                path = ("/query" if name == "oxigraph serve" else "/sparql") + "?query=" + urllib.parse.quote(query)
                rows.append((title, name, measure(port, path, args.seconds, args.clients)))
        print(f"endpoint — {date.today()}, {platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
              f"{args.clients} clients × {args.seconds:g} s per run")
        print()
        print("| query | server | p50 ms | p95 ms | req/s under load | p50 ms under load | p95 ms under load | req/s vs oxigraph |")
        print("|---|---|---:|---:|---:|---:|---:|---:|")
        for title, name, m in rows:
            oxigraph = next(r[2] for r in rows if r[0] == title and r[1] == "oxigraph serve")
            print(f"| {title} | {name} | {m['p50']:.1f} | {m['p95']:.1f} | {m['throughput']:.0f} | {m['load_p50']:.1f} | "
                  f"{m['load_p95']:.1f} | {m['throughput'] / oxigraph['throughput']:.0%} |")
    finally:
        for process in processes:
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
