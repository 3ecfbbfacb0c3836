"""`goaltrace validate` on the seed: its real defects, one by one, and nothing else."""

import json
import sys
from collections import Counter
from pathlib import Path

import pytest
import rdflib
from rdflib.namespace import RDF, SH

from conftest import run_goaltrace

ROOT = Path(__file__).resolve().parents[2]

# (rule, severity, focus label, line) — read off the published form by hand.
EXPECTED = [
    # money: the eight project tables total 643.3 万元, the department form declares 684.41
    ("projects-account-for-project-spending", "Warning", "秀山土家族苗族自治县司法局 2023年绩效目标申报", None),
    # 产出/效益/满意度 are each required; these project tables leave 效益 (and one 满意度) empty
    ("indicator-categories", "Violation", "项目表 人民调解", 53),
    ("indicator-categories", "Violation", "项目表 公证处业务经费", 178),
    ("indicator-categories", "Violation", "项目表 县人民政府法律顾问团工作经费", 153),
    ("indicator-categories", "Violation", "项目表 社区矫正对象管理费", 77),
    ("indicator-categories", "Violation", "项目表 社区矫正对象管理费", 77),
    ("indicator-categories", "Violation", "项目表 社区矫正社会工作者工作经费", 103),
    # 2023 tables with no cost indicator at all (their 成本指标 rows are empty)
    ("cost-indicators", "Warning", "项目表 人民调解", 53),
    ("cost-indicators", "Warning", "项目表 公证处业务经费", 178),
    ("cost-indicators", "Warning", "项目表 县人民政府法律顾问团工作经费", 153),
    ("cost-indicators", "Warning", "项目表 法律援助", 30),
    ("cost-indicators", "Warning", "项目表 转移支付资金", 202),
    # targets and units
    ("degenerate-target", "Warning", "村（社区）法律顾问覆盖率", 25),
    ("degenerate-target", "Warning", "法律援助案件办结率", 223),
    ("rate-under-quantity", "Warning", "人民调解案件成功率", 67),
    ("indicator-unit", "Warning", "宣传对象参与满意度", 151),
    ("ambiguous-unit", "Warning", "挽回经济损失", 48),
    ("ambiguous-unit", "Warning", "法律援助挽回经济损失", 227),
    # department indicators that 转移支付资金 declares again, differently
    ("consistent-indicators", "Warning", "配置村居（社区）法律顾问", 21),
    ("consistent-indicators", "Warning", "法律援助挽回经济损失", 23),
    ("consistent-indicators", "Warning", "村（社区）法律顾问覆盖率", 25),
    # only 转移支付资金 quotes the department goals
    ("project-names-no-goal", "Info", "法律援助", 34),
    ("project-names-no-goal", "Info", "人民调解", 57),
    ("project-names-no-goal", "Info", "社区矫正对象管理费", 81),
    ("project-names-no-goal", "Info", "社区矫正社会工作者工作经费", 107),
    ("project-names-no-goal", "Info", "普法宣传", 132),
    ("project-names-no-goal", "Info", "县人民政府法律顾问团工作经费", 157),
    ("project-names-no-goal", "Info", "公证处业务经费", 182),
    # a unit split off its number by rule: 268村居（社区） (no unit the reader knows), 268个村居(社区)
    # and 覆盖63社区 (words left beside the number)
    ("rows-need-review", "Info", "项目表 普法宣传", 128),
    ("rows-need-review", "Info", "项目表 公证处业务经费", 178),
    ("rows-need-review", "Info", "项目表 转移支付资金", 202),
    # the form states no count of projects under target management, and holds no project budget
    # table: those checks are on record as not run
    ("stated-project-count-not-checked", "Info", "秀山土家族苗族自治县司法局 2023年绩效目标申报", None),
    ("project-funds-match-budget-table-not-checked", "Info", "秀山土家族苗族自治县司法局 2023年绩效目标申报", None),
]


@pytest.fixture(scope="module")
def seed_report():
    result = run_goaltrace("validate", "--format", "json")
    return result.returncode, json.loads(result.stdout_text)


def test_the_seed_findings_one_by_one(seed_report):
    code, report = seed_report
    found = Counter((r["rule"], r["severity"], r["focus_label"], r["line"]) for r in report["results"])
    assert found == Counter(EXPECTED)
    missing = sorted((r["focus_label"], r["value"].rpartition("/")[2]) for r in report["results"] if r["rule"] == "indicator-categories")
    assert missing == [("项目表 人民调解", "benefit"), ("项目表 公证处业务经费", "benefit"), ("项目表 县人民政府法律顾问团工作经费", "benefit"),
                       ("项目表 社区矫正对象管理费", "benefit"), ("项目表 社区矫正对象管理费", "satisfaction"),
                       ("项目表 社区矫正社会工作者工作经费", "benefit")]
    assert sum(found.values()) == 33
    assert report["counts"] == {"Violation": 6, "Warning": 15, "Info": 12}
    assert report["rows_to_review"] == 3
    assert report["conforms"] is False and code == 1


def test_findings_name_their_values(seed_report):
    _, report = seed_report
    by_rule = {}
    for r in report["results"]:
        by_rule.setdefault(r["rule"], []).append(r)
    gap = by_rule["projects-account-for-project-spending"][0]
    assert "643.3" in gap["message_zh"] and "684.41" in gap["message_zh"] and "41.11" in gap["message_en"]
    coverage = next(r for r in by_rule["consistent-indicators"] if r["line"] == 25)
    assert coverage["message_zh"] == ("部门整体指标“村（社区）法律顾问覆盖率”为“≥ 100 %”，"
                                      "项目“转移支付资金”的同名指标为“= 100%”：指标性质不一致。")
    assert coverage["message_en"].endswith("project “转移支付资金” says “= 100%”: mismatch in comparator.")
    assert coverage["value"].endswith("/project/转移支付资金/indicator/12")
    assert set(report["results"][0]) >= {"severity", "rule", "focus", "focus_label", "form", "message"}
    for r in report["results"]:
        assert r["message_zh"] and r["message_en"] and r["message"] == f"{r['message_zh']} / {r['message_en']}"
        assert r["form"].startswith("https://w3id.org/goaltrace/id/秀山土家族苗族自治县司法局/2023/form/")


def test_text_report_groups_by_form_then_severity():
    result = run_goaltrace("validate")
    assert result.returncode == 1
    text = result.stdout_text
    assert text.index("■ 部门整体支出绩效目标申报表") < text.index("■ 项目表 人民调解")
    block = text[text.index("■ 项目表 人民调解"):text.index("■ 项目表 公证处业务经费")]
    assert block.index("违规 Violation (1)") < block.index("警告 Warning (2)") < block.index("提示 Info (1)")
    assert "人民调解案件成功率 · rate-under-quantity · 第67行 line 67" in block
    assert text.rstrip().endswith("不符合 does not conform: 6 违规 violations, 15 警告 warnings, 12 提示 info in 9 forms\n"
                                  "3 行需要复核 rows need review (export indicators/outcomes: the review column)\n"
                                  "2 项核对因缺少数据未能进行 checks could not run for lack of data "
                                  "(the …-not-checked results above): not passed")


def test_turtle_report_is_a_standard_validation_report():
    result = run_goaltrace("validate", "--format", "turtle")
    assert result.returncode == 1
    g = rdflib.Graph().parse(data=result.stdout_text, format="turtle")
    report = next(g.subjects(RDF.type, SH.ValidationReport))
    assert g.value(report, SH.conforms).toPython() is False
    results = list(g.objects(report, SH.result))
    assert len(results) == 33
    for r in results:
        assert g.value(r, SH.focusNode) is not None and g.value(r, SH.resultSeverity) is not None
        assert str(g.value(r, SH.sourceShape)).startswith("https://w3id.org/goaltrace/shapes#")


def test_valid_declaration_exits_0(tmp_path):
    store = tmp_path / "store"
    run_goaltrace("import", "--store", str(store), str(ROOT / "tests" / "fixtures" / "valid-declaration.txt"), check=True)
    result = run_goaltrace("validate", "--store", str(store), "--format", "json")
    assert result.returncode == 0
    report = json.loads(result.stdout_text)
    # nothing found; the checks it lacks the data for (a stated count of projects, a budget table) are on record as not run
    assert {k: v for k, v in report.items() if k != "results"} == {
        "conforms": True, "forms": 2, "counts": {"Violation": 0, "Warning": 0, "Info": 2}, "rows_to_review": 0, "not_checked": 2}
    assert [r["rule"] for r in report["results"]] == ["project-funds-match-budget-table-not-checked", "stated-project-count-not-checked"]


def test_parallel_validation_finds_exactly_what_serial_does():
    sys.path.insert(0, str(ROOT / "bench"))
    from corpus import corpus_store
    from goaltrace.rendering.findings import as_data as to_json
    from goaltrace.validation.validate import validate

    store = corpus_store(3)
    serial = validate(store, workers=1)
    parallel = validate(store, workers=2)
    assert serial.forms == parallel.forms == 27
    assert to_json(serial) == to_json(parallel)
    # 33 findings each, and 7 projects that support no goal: copies carry no curated alignment
    assert len(serial.findings) == 3 * 40
    assert len(list(parallel.graph.objects(None, SH.result))) == 3 * 40
