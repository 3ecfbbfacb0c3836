"""The on-ramp documents do what they say: every cookbook query runs on the bundled data and
gives the answer worked out by hand from the published form and the alignment, and the
alignment template imports against the bundled declaration.

The expectations come from reading data/forms/xiushan-justice-bureau-2023.txt (the seed,
identical to ../shared/seed) and data/alignments/xiushan-justice-bureau-2023.ttl by hand:
年度资金总额 of the eight project tables (lines 36, 59, 83, 109, 134, 159, 184, 208), the
department's 项目支出 684.41, the 项目负责人 of each table, its indicator rows, and the links
the alignment curates (转移支付资金 declares its own to 目标1–3)."""

import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

from conftest import BUNDLED, run_goaltrace

DOCS = Path(__file__).parents[2] / "docs"
COOKBOOK = sorted((DOCS / "cookbook").glob("*.rq"))
D = Decimal


def rows(path: Path, *store: str) -> list[dict]:
    out = run_goaltrace("query", "@" + str(path), "--format", "json", *store)
    assert out.returncode == 0, out.stderr_text
    return [{k: v["value"] for k, v in b.items()} for b in json.loads(out.stdout_text)["results"]["bindings"]]


def by(key: str, *values: str, convert=D):
    """The answer as {key: (values…)}, numbers as Decimals (643.3 and 643.30 are one amount)."""
    def answer(found):
        return {r[key]: tuple(convert(r[v]) if v != "basis" else r[v] for v in values) for r in found}
    return answer


PROJECT_TOTALS = {"法律援助": D("20"), "人民调解": D("12"), "社区矫正对象管理费": D("19.8"),
                  "社区矫正社会工作者工作经费": D("121.5"), "普法宣传": D("40"), "县人民政府法律顾问团工作经费": D("25"),
                  "公证处业务经费": D("20"), "转移支付资金": D("385")}
CURATED = {(1, "县人民政府法律顾问团工作经费"), (1, "普法宣传"), (2, "人民调解"), (2, "公证处业务经费"), (2, "普法宣传"),
           (2, "法律援助"), (3, "社区矫正对象管理费"), (3, "社区矫正社会工作者工作经费")}
DECLARED = {(1, "转移支付资金"), (2, "转移支付资金"), (3, "转移支付资金")}
NO_BENEFIT = ("人民调解", "公证处业务经费", "县人民政府法律顾问团工作经费", "社区矫正对象管理费", "社区矫正社会工作者工作经费")

EXPECTED = {
    "01-projects-and-funds.rq": (by("unit", "year", "projects", "total"),
                                 {"秀山土家族苗族自治县司法局": (D(2023), D(8), sum(PROJECT_TOTALS.values()))}),
    "02-projects-per-goal-with-basis.rq": (lambda found: {(int(r["goal"]), r["project"], r["basis"]) for r in found},
                                           {(g, p, "curated") for g, p in CURATED} | {(g, p, "declared") for g, p in DECLARED}),
    "03-funds-per-goal.rq": (by("goal", "projects", "total"),
                             {"1": (D(3), D("25") + D("40") + D("385")),
                              "2": (D(5), D("12") + D("20") + D("40") + D("20") + D("385")),
                              "3": (D(3), D("19.8") + D("121.5") + D("385"))}),
    "04-projects-shared-by-goals.rq": (by("project", "goals", "total"), {"转移支付资金": (D(3), D(385)), "普法宣传": (D(2), D(40))}),
    "05-declared-spending-vs-project-tables.rq": (by("unit", "declared", "inTables", "unexplained"),
                                                  {"秀山土家族苗族自治县司法局": (D("684.41"), D("643.3"), D("41.11"))}),
    "06-money-per-responsible-person.rq": (by("person", "projects", "total"),
                                           {"刘安武": (D(1), D(385)), "屈直军": (D(4), D("12") + D("19.8") + D("121.5") + D("25")),
                                            "杨立业": (D(3), D("20") + D("40") + D("20"))}),
    "07-indicators-per-form.rq": (by("form", "indicators"),
                                  {"部门整体 department-wide": (D(11),), "法律援助": (D(6),), "人民调解": (D(4),),
                                   "社区矫正对象管理费": (D(6),), "社区矫正社会工作者工作经费": (D(6),), "普法宣传": (D(7),),
                                   "县人民政府法律顾问团工作经费": (D(6),), "公证处业务经费": (D(5),), "转移支付资金": (D(14),)}),
    "08-projects-without-benefit-indicator.rq": (by("project", "funds"), {p: (PROJECT_TOTALS[p],) for p in NO_BENEFIT}),
    "09-targets-of-at-least-100-percent.rq": (lambda found: {(r["form"], r["indicator"]) for r in found},
                                              {("部门整体 department-wide", "村（社区）法律顾问覆盖率"), ("转移支付资金", "法律援助案件办结率")}),
    "10-where-each-total-was-read.rq": (lambda found: {r["project"]: (D(r["funds"]), int(r["line"]), r["file"]) for r in found},
                                        {p: (PROJECT_TOTALS[p], line, "xiushan-justice-bureau-2023.txt") for p, line in (
                                            ("法律援助", 36), ("人民调解", 59), ("社区矫正对象管理费", 83), ("社区矫正社会工作者工作经费", 109),
                                            ("普法宣传", 134), ("县人民政府法律顾问团工作经费", 159), ("公证处业务经费", 184),
                                            ("转移支付资金", 208))}),
}


def test_the_hand_computed_totals_add_up():
    assert sum(PROJECT_TOTALS.values()) == D("643.3") and D("684.41") - D("643.3") == D("41.11")


def test_every_cookbook_query_has_an_expectation_and_is_shown_in_the_cookbook():
    assert [f.name for f in COOKBOOK] == sorted(EXPECTED)
    text = (DOCS / "cookbook.md").read_text(encoding="utf-8")
    for f in COOKBOOK:  # the page shows each file exactly as it is
        assert f"```sparql\n{f.read_text(encoding='utf-8').rstrip()}\n```" in text, f.name
    assert len(re.findall(r"^## \d+\. ", text, flags=re.MULTILINE)) == 10


@pytest.mark.parametrize("path", COOKBOOK, ids=lambda p: p.stem)
def test_a_cookbook_query_gives_the_answer_worked_out_by_hand(path):
    shape, expected = EXPECTED[path.name]
    found = rows(path)
    assert shape(found) == expected
    assert len(found) == len(expected)  # and no row besides


def test_the_alignment_template_imports_against_the_bundled_declaration(tmp_path):
    store = str(tmp_path / "store")
    run_goaltrace("import", "--store", store, *BUNDLED, str(DOCS / "alignment-template.ttl"), check=True)
    graph = "https://w3id.org/goaltrace/id/秀山土家族苗族自治县司法局/2023/alignment/template-example"
    out = run_goaltrace("query", "--store", store, "--format", "json",
                        f"SELECT ?from ?to WHERE {{ GRAPH <{graph}> {{ ?from gt:supportsGoal|gt:deliversIndicator ?to }} }}", check=True)
    base = "https://w3id.org/goaltrace/id/秀山土家族苗族自治县司法局/2023/"
    links = {(b["from"]["value"][len(base):], b["to"]["value"][len(base):]) for b in json.loads(out.stdout_text)["results"]["bindings"]}
    assert links == {("project/公证处业务经费", "goal/1"), ("project/普法宣传/indicator/1", "indicator/8")}
    # the links pass the alignment shapes: validation finds nothing about them
    report = json.loads(run_goaltrace("validate", "--store", store, "--format", "json", "--no-cache").stdout_text)
    assert not [r for r in report["results"] if "template-example" in json.dumps(r, ensure_ascii=False)]
    # and the template names what the store refuses when a link lacks its justification
    broken = tmp_path / "broken.ttl"
    broken.write_text(re.sub(r"    gt:justification [^;]*;\n", "", (DOCS / "alignment-template.ttl").read_text(encoding="utf-8"), count=1),
                      encoding="utf-8")
    refused = run_goaltrace("import", "--store", store, str(broken))
    assert refused.returncode == 2 and "lacks a justification" in refused.stderr_text
