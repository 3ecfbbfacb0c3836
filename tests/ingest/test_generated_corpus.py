"""The synthetic corpus generator (bench/generate.py): deterministic, and every file it writes
imports and validates — realistic variety the importer must cope with."""

import sys
from pathlib import Path

from goaltrace.graph.store import MEMORY, Store
from goaltrace.ingest.importing import import_files
from goaltrace.validation.validate import validate

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import TEMPLATES, generate  # noqa: E402
from goaltrace.forms import read_declaration  # noqa: E402


def test_generated_declarations_import_and_validate(tmp_path):
    files = generate(tmp_path / "a", 8, seed=10)
    again = generate(tmp_path / "b", 8, seed=10)
    assert [f.read_bytes() for f in files] == [f.read_bytes() for f in again]  # deterministic
    store = Store.open(MEMORY)
    imported, _ = import_files(store, [str(tmp_path / "a")])
    assert len(imported) == 8
    sizes = [len(item.declaration.projects) for item in imported]
    assert min(sizes) >= 3 and max(sizes) <= 12 and len(set(sizes)) > 3
    indicators = [len(p.indicators) for item in imported for p in item.declaration.projects]
    assert min(indicators) >= 4 and max(indicators) <= 15
    years = {item.declaration.year for item in imported}
    assert years == {2021}  # the first 192 units share a year; later ones move to the next
    report = validate(store, workers=1)
    rules = {f.rule for f in report.findings}
    assert report.forms == sum((1 if item.declaration.department_form else 0) + len(item.declaration.projects)
                               for item in imported)
    # seed 10 plants each of the five kinds of defect in its first eight declarations (the
    # rarest, project tables that do not add up to the declared project spending, needs a
    # department form); every kind must be found
    planted = {"ambiguous-unit", "weights-total-100", "qualitative-target", "rate-in-percent",
               "projects-account-for-project-spending"}
    assert planted <= rules


def test_summaries_the_importer_states_agree_with_the_indicators(tmp_path):
    """The indicators typed as lacking a number or unit, and the funds apportioned per level-1
    dimension, are exactly what reading every indicator gives."""
    from decimal import Decimal

    generate(tmp_path / "forms", 12, seed=6)  # with qualitative targets among them
    store = Store.open(MEMORY)
    seed = Path(__file__).resolve().parents[2] / "data" / "forms" / "xiushan-justice-bureau-2023.txt"
    import_files(store, [str(tmp_path / "forms"), str(seed)])  # the seed has a number without a unit

    def iris(query: str) -> set[str]:
        return {r["i"].value for r in store.select(query)}

    without_number = iris("SELECT ?i WHERE { ?i a gt:Indicator FILTER NOT EXISTS { ?i gt:targetValue ?v } }")
    without_unit = iris("SELECT ?i WHERE { ?i gt:targetValue ?v FILTER NOT EXISTS { ?i gt:unitLabel ?u } }")
    assert without_number and without_unit
    assert iris("SELECT ?i WHERE { ?i a gt:IndicatorWithoutNumber }") == without_number
    assert iris("SELECT ?i WHERE { ?i a gt:IndicatorWithoutUnit }") == without_unit

    read = {}  # funds per (year, dimension) from every indicator's weight and every project total
    for r in store.select("""SELECT ?year ?label ?project ?total ?dw ?all WHERE {
        { SELECT ?project ?l1 (SUM(?w) AS ?dw) WHERE { ?i gt:forProject ?project ; gt:level1 ?l1 ; gt:weight ?w } GROUP BY ?project ?l1 }
        { SELECT ?project (SUM(?w) AS ?all) WHERE { ?i gt:forProject ?project ; gt:level1 ?x ; gt:weight ?w } GROUP BY ?project }
        ?f gt:forProject ?project ; gt:spendingType gtf:spending-project ; gt:fundSource gtf:source-all ; gt:amount ?total .
        ?project gt:partOfDeclaration/gt:budgetYear/gt:year ?year .
        ?l1 skos:prefLabel ?label FILTER (lang(?label) = "zh") FILTER (?all > 0) }"""):
        share = Decimal(r["total"].value) * Decimal(r["dw"].value) / Decimal(r["all"].value)
        key = (r["year"].value, r["label"].value)
        read[key] = read.get(key, Decimal(0)) + share
    from goaltrace.query.named import named_query

    summed = {(r["year"].value, r["dimension"].value): Decimal(r["funds"].value)
              for r in store.select(named_query("funds-per-dimension").text)}
    assert summed.keys() == read.keys() and len(summed) >= 3
    assert all(abs(summed[k] - read[k]) <= Decimal("0.01") for k in read)


def test_every_template_declares_the_same_thing(tmp_path):
    """The same seed written in each provincial layout reads to the same projects, amounts and
    indicators: the layout changes how a form is written, never what it says."""
    def reading(template):
        out = []
        for path in generate(tmp_path / template, 6, seed=5, template=template):
            d = read_declaration(path)
            for p in d.projects:
                funds = sorted((f.source, f.amount) for f in p.funds)
                rows = [(i.level1, i.level2, i.name, i.comparator, i.target.number, i.target.unit, i.weight)
                        for i in p.indicators]
                out.append((d.department if d.department_form else None, d.year, p.name, tuple(funds), tuple(rows)))
        return out

    readings = {template: reading(template) for template in TEMPLATES}
    assert len(readings["seed"]) >= 18
    for template in TEMPLATES:
        assert [r[1:] for r in readings[template]] == [r[1:] for r in readings["seed"]], template
