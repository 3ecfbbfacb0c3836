"""Validation speed: goaltrace's per-form validation beside a naive whole-graph pySHACL run.

    python bench/validation.py [--declarations 20] [--naive-declarations 2]

Both sides validate the same shapes over the same data in one run. The naive baseline loads
everything into one rdflib graph and calls pySHACL once (its SPARQL constraints then run on
rdflib's engine). Prints a Markdown table.
"""

import argparse
import platform
import sys
import time
from datetime import date
from pathlib import Path

import pyshacl
import rdflib

sys.path.insert(0, str(Path(__file__).parent))
from corpus import corpus_store  # noqa: E402
from goaltrace import resources  # noqa: E402
from goaltrace.validation.validate import validate  # noqa: E402


def goaltrace_run(declarations: int, workers: int = 1) -> tuple[int, int, float]:
    store = corpus_store(declarations)
    started = time.perf_counter()
    report = validate(store, workers=workers)
    return report.forms, len(report.findings), time.perf_counter() - started


def naive_run(declarations: int) -> tuple[int, int, float]:
    import pyoxigraph as ox

    store = corpus_store(declarations)
    data = rdflib.Graph().parse(data=store.dump(ox.RdfFormat.N_TRIPLES, include_vocabulary=True), format="nt")
    shapes = rdflib.Graph()
    for name in ("form.ttl", "declaration.ttl"):
        shapes.parse(data=resources.shapes_file(name).read_text(encoding="utf-8"), format="turtle")
    forms = declarations * 9
    started = time.perf_counter()
    _conforms, results, _text = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    elapsed = time.perf_counter() - started
    return forms, len(set(results.subjects(rdflib.RDF.type, rdflib.URIRef("http://www.w3.org/ns/shacl#ValidationResult")))), elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--declarations", type=int, default=20)
    parser.add_argument("--naive-declarations", type=int, default=2)
    args = parser.parse_args()
    rows = []
    for n in sorted({1, args.naive_declarations, args.declarations}):
        forms, findings, seconds = goaltrace_run(n)
        rows.append(("goaltrace per-form, 1 process", n, forms, findings, seconds))
    for n in sorted({args.declarations, 5 * args.declarations}):
        forms, findings, seconds = goaltrace_run(n, workers=2)
        rows.append(("goaltrace per-form, 2 processes", n, forms, findings, seconds))
    for n in sorted({1, args.naive_declarations}):
        forms, findings, seconds = naive_run(n)
        rows.append(("naive whole-graph pySHACL (rdflib)", n, forms, findings, seconds))
    print(f"validation — {date.today()}, Python {platform.python_version()}, {platform.machine()}, pyshacl {pyshacl.__version__}")
    print()
    print("| engine | declarations | forms | findings | seconds | forms/s |")
    print("|---|---:|---:|---:|---:|---:|")
    for engine, n, forms, findings, seconds in rows:
        print(f"| {engine} | {n} | {forms} | {findings} | {seconds:.2f} | {forms / seconds:.1f} |")


if __name__ == "__main__":
    main()
