"""The shapes run on their own: plain pySHACL, given the graph goaltrace exports with its
vocabulary, reports exactly what `goaltrace validate` reports, every message filled in (the
command the README gives)."""

import json
import subprocess
import sys
from pathlib import Path

import rdflib

from conftest import BUNDLED, run_goaltrace

ROOT = Path(__file__).parents[2]
PYSHACL = str(Path(sys.executable).parent / "pyshacl")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")


def plain_pyshacl(tmp_path: Path, store: str | None) -> tuple[set, list[str], list[str]]:
    graph = tmp_path / "graph.ttl"
    shapes = tmp_path / "shapes.ttl"
    graph.write_bytes(run_goaltrace("export", "graph", "--format", "turtle", "--with-vocabulary",
                                    *(("--store", store) if store else ()), check=True).stdout)
    shapes.write_bytes(b"\n".join(p.read_bytes() for p in sorted((ROOT / "shapes").glob("*.ttl"))))
    result = subprocess.run([PYSHACL, "-s", str(shapes), "-f", "turtle", str(graph)], capture_output=True, timeout=600)
    assert result.returncode in (0, 1), result.stderr.decode()
    report = rdflib.Graph().parse(data=result.stdout.decode("utf-8"), format="turtle")
    found = {(str(report.value(r, SH.sourceShape)).rpartition("#")[2], str(report.value(r, SH.focusNode)), str(report.value(r, SH.resultSeverity)).rpartition("#")[2])
             for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)}
    messages = [str(m) for m in report.objects(None, SH.resultMessage)]
    rules = [str(report.value(r, SH.sourceShape)).rpartition("#")[2] for r in report.subjects(rdflib.RDF.type, SH.ValidationResult)]
    return found, messages, rules


def goaltrace_validate(store: str | None) -> set:
    out = run_goaltrace("validate", "--format", "json", "--no-cache", *(("--store", store) if store else ())).stdout_text
    return {(f["rule"], f["focus"], f["severity"]) for f in json.loads(out)["results"]}


def test_plain_pyshacl_agrees_on_a_declaration_its_alignments_and_a_self_evaluation(tmp_path):
    """The bundled declaration with its curated links and the year-end self-evaluation of one of
    its projects: every kind of shape has something to find (one store, since plain pySHACL
    takes tens of seconds on it)."""
    store = str(tmp_path / "store")
    run_goaltrace("import", "--store", store, *BUNDLED,
                  str(ROOT / "tests" / "fixtures" / "xiushan-2023-legal-aid-self-evaluation.txt"), check=True)
    found, messages, rules = plain_pyshacl(tmp_path, store)
    assert found == goaltrace_validate(store) and len(found) > 20
    assert rules.count("indicator-categories") == 6 and rules.count("ambiguous-unit") == 2
    assert messages and not [m for m in messages if "{?" in m or "{$" in m]
