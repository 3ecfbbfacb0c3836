"""The synthetic corpus generator (bench/generate.py): deterministic, and every file it writes
imports and validates — realistic variety the importer must cope with."""

import sys
from pathlib import Path

from goaltrace.graph.store import MEMORY, Store
from goaltrace.importing import import_files
from goaltrace.validate import validate

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "bench"))
from generate import generate  # noqa: E402


def test_generated_declarations_import_and_validate(tmp_path):
    files = generate(tmp_path / "a", 15, seed=3)
    again = generate(tmp_path / "b", 15, seed=3)
    assert [f.read_bytes() for f in files] == [f.read_bytes() for f in again]  # deterministic
    store = Store.open(MEMORY)
    imported, _ = import_files(store, [str(tmp_path / "a")])
    assert len(imported) == 15
    sizes = [len(item.declaration.projects) for item in imported]
    assert min(sizes) >= 3 and max(sizes) <= 12 and len(set(sizes)) > 3
    indicators = [len(p.indicators) for item in imported for p in item.declaration.projects]
    assert min(indicators) >= 4 and max(indicators) <= 15
    years = {item.declaration.year for item in imported}
    assert years == {2021}  # the first 192 units share a year; later ones move to the next
    report = validate(store, workers=1)
    rules = {f.rule for f in report.findings}
    assert report.forms == sum(1 + s for s in sizes)
    planted = {"ambiguous-unit", "weights-total-100", "qualitative-target", "rate-in-percent", "projects-account-for-project-spending"}
    assert len(planted & rules) >= 2  # the planted defects are found
