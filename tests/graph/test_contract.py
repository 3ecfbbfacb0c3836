"""The interface contract, exactly: what `import --explain` says it read is in the graph, a
qualitative target's text is the export's value, a one-row fund header reads, and messages
quote text cut between whole characters."""

import csv
import io
import json
import re
from collections import defaultdict
from pathlib import Path

import pytest

from goaltrace.answers import exporting
from goaltrace.forms.errors import FormError, shown
from goaltrace.forms.parser import parse_rows, read_rows
from goaltrace.forms.self_evaluation import is_self_evaluation, read_self_evaluations
from goaltrace.graph.mapper import map_declaration
from goaltrace.graph.namespaces import GT, RDF, RDFS
from goaltrace.graph.self_evaluations import map_self_evaluation
from goaltrace.graph.store import MEMORY, Store
from goaltrace.ingest.importing import import_files
from goaltrace.query.run import query_text, run_query
from goaltrace.rendering import formats

ROOT = Path(__file__).resolve().parents[2]
REAL = ROOT / "tests" / "fixtures" / "real"
VALID = ROOT / "tests" / "fixtures" / "valid-declaration.txt"

# what an explanation line claims → (the class of the entity, the property holding the text)
CLAIMS = [
    (re.compile(r"amount [^:]+: (?P<text>.*)"), f"{GT}FundAmount", f"{GT}amountText"),
    (re.compile(r"indicator: (?P<text>.*)"), None, f"{GT}indicatorName"),
    (
        re.compile(r"kept as an unmapped cell \([^)]*\): (?P<text>.*)"),
        f"{GT}UnmappedCell",
        f"{GT}cellText",
    ),
    (re.compile(r"annual duty: (?P<text>.*)"), f"{GT}AnnualTask", f"{GT}taskText"),
]
NOT_READ = " — not read: "
YEAR = re.compile(r"year: ([0-9]{4})")
TITLE = re.compile(
    r"(?:department-wide )?form title: (?:.* — not kept as a title; the form's title is )?(?P<title>.*)"
)
UNIT = re.compile(
    r"department: (?P<raw>.*?)(?:, read as (?P<read>.*)|(?P<other> — not read as the unit, .*))?"
)


def _entities(quads) -> dict[str, dict[str, set[str]]]:
    found: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for quad in quads:
        found[quad.subject.value][quad.predicate.value].add(quad.object.value)
    return found


def _stated(entities, line: int | None, cls: str | None, prop: str, text: str) -> bool:
    """Whether an entity (of the class, at the line, where given) holds the text."""
    return any(
        (line is None or str(line) in about.get(f"{GT}sourceLine", ()))
        and text.strip() in {v.strip() for v in about.get(prop, ())}
        and (cls is None or cls in about.get(f"{RDF}type", ()))
        for about in entities.values()
    )


def _real_declarations():
    for text in sorted(REAL.glob("*/*.txt")):
        expected = text.with_name(text.stem + ".expected.json")
        meta = (
            json.loads(expected.read_text(encoding="utf-8"))
            if expected.exists()
            else {}
        )
        yield text, meta


def test_every_real_explanation_agrees_with_its_graph():
    """Each amount, indicator, unmapped cell and annual duty the explanation of a real form
    names is in that form's graph, at that line; an indicator it says was not read is not."""
    checked, claims, wrong = 0, 0, []
    for path, meta in _real_declarations():
        rows, digest = read_rows(str(path), "utf-8")
        if is_self_evaluation(rows):
            continue
        try:  # read as the corpus tests read them: cut forms partially, a year where none is stated
            declaration = parse_rows(
                rows,
                str(path),
                digest,
                not meta.get("complete"),
                meta.get("year") or 2000,
            )
        except FormError:  # a refused form has no graph to disagree with
            continue
        entities = _entities(map_declaration(declaration).quads)
        checked += 1
        for line, what in declaration.explanation:
            unit = UNIT.fullmatch(what)
            if unit and not unit["other"]:
                claims += 1
                units = {
                    v
                    for about in entities.values()
                    if f"{GT}BudgetUnit" in about.get(f"{RDF}type", ())
                    for v in about.get(f"{RDFS}label", ())
                }
                if (unit["read"] or unit["raw"]) not in units:
                    wrong.append(f"{path.parent.name}/{path.name}:{line}: {what}")
            title = TITLE.fullmatch(what)
            if title:
                claims += 1
                if not _stated(entities, None, None, f"{GT}title", title["title"]):
                    wrong.append(f"{path.parent.name}/{path.name}:{line}: {what}")
            year = YEAR.fullmatch(what)
            if year:
                claims += 1
                if year[1] not in {
                    v for about in entities.values() for v in about.get(f"{GT}year", ())
                }:
                    wrong.append(f"{path.parent.name}/{path.name}:{line}: {what}")
            for pattern, cls, prop in CLAIMS:
                match = pattern.fullmatch(what)
                if not match:
                    continue
                claims += 1
                text, _, _ = match["text"].partition(NOT_READ)
                if _stated(entities, line, cls, prop, text) == (NOT_READ in what):
                    wrong.append(f"{path.parent.name}/{path.name}:{line}: {what}")
    assert checked >= 40 and claims >= 1000
    assert wrong == []


def test_every_real_self_evaluation_explanation_agrees_with_its_graph():
    """Each outcome the explanation of a real self-evaluation names is in its graph, at that line."""
    checked, claims, wrong = 0, 0, []
    for path, meta in _real_declarations():
        rows, digest = read_rows(str(path), "utf-8")
        if not is_self_evaluation(rows):
            continue
        try:
            evaluations = read_self_evaluations(
                rows,
                str(path),
                not meta.get("complete", True),
                meta.get("year") or 2000,
            )
        except FormError:  # a refused form has no graph to disagree with
            continue
        for evaluation in evaluations:
            entities = _entities(map_self_evaluation(evaluation, digest).quads)
            checked += 1
            for line, what in evaluation.explanation:
                if what.startswith("outcome: "):
                    claims += 1
                    if not _stated(
                        entities,
                        line,
                        None,
                        f"{GT}indicatorName",
                        what.removeprefix("outcome: "),
                    ):
                        wrong.append(f"{path.parent.name}/{path.name}:{line}: {what}")
    assert checked >= 15 and claims >= 100
    assert wrong == []


def _form(funds: list[str]) -> str:
    lines = VALID.read_text(encoding="utf-8").split("\n")
    return "\n".join(lines[:5] + funds + lines[8:])


ALL_THREE = {("total", "860.2"), ("basic", "500"), ("project", "360.2")}


@pytest.mark.parametrize(
    ("funds", "expected"),
    [
        (["预算支出总额\t基本支出\t项目支出", "860.2\t500\t360.2"], ALL_THREE),
        (
            [
                "总体资金情况（万元）\t预算支出总额\t基本支出\t项目支出",
                "总体资金情况（万元）\t860.2\t500\t360.2",
            ],
            ALL_THREE,
        ),
        (
            ["资金总额\t860.2\t基本支出\t500"],
            {("total", "860.2"), ("basic", "500")},
        ),  # fields before the goals
    ],
)
def test_a_one_row_fund_block_reads_into_the_graph(tmp_path, funds, expected):
    path = tmp_path / "form.txt"
    path.write_text(_form(funds), encoding="utf-8")
    store = Store.open(MEMORY)
    import_files(store, [str(path)])
    amounts = {(SPENDING.get(r["kind_en"]), r["amount"]) for r in exporting.rows(store, "funds")}
    assert expected <= amounts


SPENDING = {"total spending": "total", "basic spending": "basic", "project spending": "project"}


def test_a_one_row_fund_block_reads_from_a_word_form(tmp_path):
    """The Word department form of the issue: its label merged down beside one header row."""
    from render_formats import to_docx

    text = _form(
        [
            "总体资金情况（万元）\t预算支出总额\t基本支出\t项目支出",
            "\t860.2\t500\t360.2",
        ]
    )
    path = to_docx(text, tmp_path / "form.docx")
    store = Store.open(MEMORY)
    import_files(store, [str(path)])
    amounts = {(SPENDING.get(r["kind_en"]), r["amount"]) for r in exporting.rows(store, "funds")}
    assert ALL_THREE <= amounts


def test_a_qualitative_target_is_the_value_in_every_export(tmp_path):
    text = VALID.read_text(encoding="utf-8").replace(
        "≥\t95\t%\t20", "定性\t巩固提高\t\t20", 1
    )
    path = tmp_path / "form.txt"
    path.write_text(text, encoding="utf-8")
    store = Store.open(MEMORY)
    import_files(store, [str(path)])
    data = exporting.rows(store, "indicators")
    where = next(n for n, r in enumerate(data) if r["indicator"] == "受援人满意度")
    number = next(
        n for n, r in enumerate(data) if r["indicator"] == "办理法律援助案件数量"
    )
    assert (data[where]["comparator"], data[where]["value"]) == (
        "qualitative",
        "巩固提高",
    )
    as_json = [r["value"] for r in json.loads(formats.text("table", "json", formats.Rows("indicators", exporting.TABLES["indicators"], data)))]
    assert (as_json[where], as_json[number]) == ("巩固提高", 800)
    as_csv = [
        r["value"]
        for r in csv.DictReader(io.StringIO(formats.text("table", "csv", formats.Rows("indicators", exporting.TABLES["indicators"], data))))
    ]
    assert (as_csv[where], as_csv[number]) == ("巩固提高", "800")
    as_xlsx = spreadsheet_values(formats.render("table", "xlsx", formats.Rows("indicators", exporting.TABLES["indicators"], data)))
    assert (as_xlsx[where], as_xlsx[number]) == ("巩固提高", 800)
    tsv = run_query(store, query_text("indicators"), "tsv").splitlines()
    assert any("受援人满意度" in line and '"巩固提高"' in line for line in tsv)


def spreadsheet_values(body: bytes) -> list:
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(body)).active
    header = [c.value for c in next(sheet.iter_rows(max_row=1))]
    return [
        row[header.index("value")]
        for row in sheet.iter_rows(min_row=2, values_only=True)
    ]


def test_messages_cut_text_between_whole_characters():
    assert (
        shown("《重庆市梁平区林业\ufffd") == "'《重庆市梁平区林业…'"
    )  # the source's bytes were cut there
    assert (
        shown("a" * 39 + "e\u0301" + "x" * 5) == f"'{'a' * 39}…'"
    )  # the accent stays with its letter
    assert (
        shown("《重庆市梁平区林业局》" * 5)
        == f"'{('《重庆市梁平区林业局》' * 4)[:40]}…'"
    )
