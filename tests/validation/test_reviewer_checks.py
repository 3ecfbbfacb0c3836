"""The checks a finance reviewer makes (shapes/reviewer.ttl), each both ways: a realistic form
that breaks it and one that does not; and each check that lacks the data it needs is recorded
as not run (an Info result), never passed over in silence, in `goaltrace validate`'s text and
JSON alike.

One store holds every case, each under its own unit or project name, and is validated once."""

import json
from pathlib import Path

import pytest

from conftest import run_goaltrace
from goaltrace.forms import parse_declaration
from goaltrace.graph.mapper import map_declaration
from goaltrace.graph.store import MEMORY, Store
from goaltrace.ingest.importing import import_files
from goaltrace.validation.validate import validate

FIXTURES = Path(__file__).parents[1] / "fixtures"
DECLARATION = (FIXTURES / "valid-declaration.txt").read_text(encoding="utf-8")
EVALUATION = (FIXTURES / "xiushan-2023-legal-aid-self-evaluation.txt").read_text(encoding="utf-8")
# The note beneath the table that many provinces' self-evaluation templates print (wording of
# Anhui's, as in tests/fixtures/real/selfeval2/anhui-tianchang-tanghu-dept-2020.txt)
RULE = ("备注：1.预算执行情况口径：预算数为调整后财政资金总额。2.定量指标计分原则：正向指标（即目标值为≥X，"
        "得分=权重*B/A），反向指标（即目标值为≤X，得分=权重*A/B），得分不得突破权重总额。\n")


# A budget's notes on its targets, as Yantai's 2026 budgets word them
STATED = "本部门2023年项目支出全面实施绩效目标管理，涉及预算项目支出{}个，预算资金40万元。"
# The project budget table a budget document prints before its performance tables
BUDGET_TABLE = "2023年项目支出预算表\n单位：万元\n单位名称\t项目名称\t合计\t财政拨款\n示例县司法局\t法律援助\t{0}\t{0}\n合计\t\t{0}\t{0}\n\n"
SHARED = Path(__file__).resolve().parents[3] / "shared" / "corpus" / "documents"


def declaration(unit: str, *edits: tuple[str, str]) -> str:
    text = DECLARATION.replace("示例县司法局", unit)
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


def evaluation(project: str, *edits: tuple[str, str], rule: bool = False) -> str:
    text = EVALUATION.replace("项目名称 | 法律援助 |", f"项目名称 | {project} |")
    for old, new in edits:
        assert old in text, old
        text = text.replace(old, new, 1)
    return text + (RULE if rule else "")


DECLARATIONS = {
    "占位县司法局": declaration("占位县司法局", ("办理法律援助案件数量\t≥\t800件", "办理XX案件数量\t≥\t800件")),
    "星号县司法局": declaration("星号县司法局", ("受援人满意度\t≥\t95%", "受援人满意度\t\t*")),
    "化名县司法局": declaration("化名县司法局", ("张三 023-12345678", "某某 0000-0000000")),
    "逾期县司法局": declaration("逾期县司法局", ("\t\t成本指标\t案均补贴成本\t≤\t600元", "\t\t时效指标\t完成时间\t=\t2024年6月底前")),
    "按期县司法局": declaration("按期县司法局", ("\t\t成本指标\t案均补贴成本\t≤\t600元", "\t\t时效指标\t完成时间\t=\t2023年12月底前")),
    "半年县司法局": declaration("半年县司法局", ("实施单位\t县司法局", "实施单位\t县司法局\t项目起止时间\t2023年1月至6月"),
                               ("\t\t成本指标\t案均补贴成本\t≤\t600元", "\t\t时效指标\t完成时间\t=\t2023年10月底前")),
    "全年县司法局": declaration("全年县司法局", ("实施单位\t县司法局", "实施单位\t县司法局\t项目起止时间\t2023年1月至12月"),
                               ("\t\t成本指标\t案均补贴成本\t≤\t600元", "\t\t时效指标\t完成时间\t=\t2023年10月底前")),
    "说明相符县司法局": declaration("说明相符县司法局", ("其他说明", f"其他说明\t{STATED.format(1)}")),
    "说明不符县司法局": declaration("说明不符县司法局", ("其他说明", f"其他说明\t{STATED.format(3)}")),
    "预算相符县司法局": BUDGET_TABLE.format(40) + declaration("预算相符县司法局"),
    "预算不符县司法局": BUDGET_TABLE.format(45) + declaration("预算不符县司法局"),
    "预算缺项县司法局": BUDGET_TABLE.format(40).replace("法律援助", "人民调解") + declaration("预算缺项县司法局"),
}
EVALUATIONS = {
    "未写计分原则": evaluation("未写计分原则"),
    "按比例计分": evaluation("按比例计分", rule=True),
    "按比例计分无误": evaluation("按比例计分无误", ("| 15 | 13 |", "| 15 | 14 |"), ("| 10 | 8 |", "| 10 | 9.8 |"), rule=True),
    "执行得分有误": evaluation("执行得分有误", ("| 20 | 19 | 10 | 95% | 9.5 |", "| 20 | 19 | 10 | 95% | 8 |")),
    "未填执行数": evaluation("未填执行数", ("| 20 | 19 | 10 | 95% | 9.5 |", "| 20 | | 10 | 95% | 9.5 |")),
}


# the module-wide fixture below is built once, by the one worker that runs this module
pytestmark = pytest.mark.xdist_group("reviewer_checks")


@pytest.fixture(scope="module")
def findings(tmp_path_factory):
    folder = tmp_path_factory.mktemp("reviewer")
    store = Store.open(MEMORY)
    store.replace([map_declaration(parse_declaration(text, f"{unit}.txt")) for unit, text in DECLARATIONS.items()])
    for project, text in EVALUATIONS.items():
        (folder / f"{project}.txt").write_text(text, encoding="utf-8")
    import_files(store, [str(folder)])
    return validate(store).findings


def of(findings, rule: str, where: str) -> list[str]:
    """The Chinese messages of a rule's findings in the declaration or self-evaluation named."""
    return [f"{f.message_zh} / {f.message_en}" for f in findings if f.rule == rule and where in f.form]


def test_a_placeholder_left_in_is_found(findings):
    assert of(findings, "placeholder-left-in", "占位县司法局") == [
        "指标名称“办理XX案件数量”中留有占位符，表格似乎未填写完整。 / "
        "The indicator name “办理XX案件数量” still holds a placeholder; the form seems not to have been filled in."]
    assert [m.partition(" / ")[0] for m in of(findings, "placeholder-left-in", "星号县司法局")] == [
        "指标值“*”中留有占位符，表格似乎未填写完整。"]
    # a responsible person's name published as 某某 is not a placeholder of the form
    assert of(findings, "placeholder-left-in", "化名县司法局") == []


def test_a_time_target_later_than_the_budget_year_is_found(findings):
    assert of(findings, "time-target-after-budget-year", "逾期县司法局") == [
        "年度指标“完成时间”的目标“2024年6月底前”写到 2024 年，晚于预算年度 2023 年。 / "
        "The annual target “2024年6月底前” of “完成时间” runs to 2024, later than the budget year 2023."]
    assert of(findings, "time-target-after-budget-year", "按期县司法局") == []


def test_a_time_target_after_the_projects_end_is_found(findings):
    assert of(findings, "time-target-after-project-end", "半年县司法局") == [
        "指标“完成时间”的目标“2023年10月底前”晚于项目起止时间“2023年1月至6月”的终点。 / "
        "The target “2023年10月底前” of “完成时间” falls after the end of the project's period, “2023年1月至6月”."]
    assert of(findings, "time-target-after-budget-year", "半年县司法局") == []  # within the budget year
    assert of(findings, "time-target-after-project-end", "全年县司法局") == []


def test_scores_are_held_to_the_proportional_rule_the_form_states(findings):
    assert [m.partition(" / ")[0] for m in of(findings, "outcome-score-by-rule", "按比例计分")] == [
        "指标“值班咨询人次”目标 1000、实际 930、分值 15，按自评表写明的计分原则应得 13.95 分，自评得 13 分。",
        "指标“受援人满意度”目标 99、实际 97、分值 10，按自评表写明的计分原则应得 9.8 分，自评得 8 分。"]
    assert of(findings, "outcome-score-by-rule", "按比例计分无误") == []
    # without the rule stated, the same scores are not judged, and that is on record
    assert of(findings, "outcome-score-by-rule", "未写计分原则") == []
    assert [m.partition(" / ")[0] for m in of(findings, "outcome-scores-not-checked", "未写计分原则")] == [
        "未能核对各指标得分：自评表没有写明计分原则（完成得满分、未完成按比例）。"]
    # with it, a target the rule does not cover (=100 %) is on record as not checked
    assert [m.partition(" / ")[0] for m in of(findings, "outcome-scores-not-checked", "按比例计分无误")] == [
        "未能核对各指标得分：1 个指标缺少分值、得分、数值目标或实际值，或不是“≥/≤”类定量指标。"]


def test_the_budget_execution_score_is_executed_over_budget_times_points(findings):
    assert of(findings, "budget-execution-score", "执行得分有误") == [
        "预算执行得分 8，按 执行数 19 ÷ 预算数 20 × 分值 10 应为 9.5。 / "
        "The budget execution score is 8, but executed 19 ÷ budget 20 × points 10 gives 9.5."]
    assert of(findings, "budget-execution-score", "未写计分原则") == []  # 19 ÷ 20 × 10 = 9.5, as stated
    assert of(findings, "budget-execution-score-not-checked", "未写计分原则") == []
    assert of(findings, "budget-execution-score", "未填执行数") == []
    assert of(findings, "budget-execution-score-not-checked", "未填执行数") == [
        "未能核对预算执行得分：缺少执行数。 / The budget execution score could not be checked: no amount executed."]


def test_the_project_forms_present_are_counted_against_the_count_stated(findings):
    assert of(findings, "stated-project-count", "说明不符县司法局") == [
        "文件写明 3 个项目实行绩效目标管理（“其他说明本部门2023年项目支出全面实施绩效目标管理，涉及预算项目支出3个，"
        "预算资金40万元。”），却只有 1 个项目的绩效目标表。 / The document states that 3 projects carry performance "
        "targets (“其他说明本部门2023年项目支出全面实施绩效目标管理，涉及预算项目支出3个，预算资金40万元。”), but holds "
        "target tables for 1."]
    assert of(findings, "stated-project-count", "说明相符县司法局") == []
    assert of(findings, "stated-project-count-not-checked", "说明相符县司法局") == []
    # a declaration that states no count: on record as not checked
    assert [m.partition(" / ")[0] for m in of(findings, "stated-project-count-not-checked", "化名县司法局")] == [
        "未能核对项目绩效目标表的个数：文件没有写明实行绩效目标管理的项目个数。"]


@pytest.mark.parametrize("document, count", [
    ("Yantai_Municipal_Government_Office_2026_budget.pdf", 10),  # and the reader finds its 10 project forms
    ("Yantai_Civil_Affairs_Bureau_2026_budget.pdf", 10),
    ("Yantai_Housing_Urban_Rural_Development_Bureau_2026_budget.pdf", 76),  # and the reader finds its 76 project forms
])
def test_the_count_is_read_from_a_budget_publications_notes(document, count):
    """Real budget publications state the count in their notes, on pages with no table."""
    from goaltrace.forms.documents.pdf import _page_texts
    from goaltrace.forms.statements import stated_project_count

    path = SHARED / document
    if not path.exists():
        pytest.skip(f"{SHARED} is absent")
    stated = stated_project_count(_page_texts(path.read_bytes()))
    assert stated is not None and stated.projects == count
    assert f"{count}个" in stated.text and "绩效目标管理" in stated.text


def test_project_funds_are_held_to_the_documents_budget_table(findings):
    assert of(findings, "project-funds-match-budget-table", "预算不符县司法局") == [
        "项目“法律援助”的绩效目标表申报资金 40 万元，同一文件的项目支出预算表为 45 万元（第 4 行）。 / The performance "
        "table of “法律援助” declares 40 万元, but the same document's project budget table gives 45 万元 (line 4)."]
    assert of(findings, "project-funds-match-budget-table", "预算相符县司法局") == []
    assert of(findings, "project-funds-match-budget-table-not-checked", "预算相符县司法局") == []
    # no budget table in the document, or no line for the project: on record as not checked
    assert [m.partition(" / ")[0] for m in of(findings, "project-funds-match-budget-table-not-checked", "化名县司法局")] == [
        "未能核对项目资金与预算表：文件中没有项目支出预算表。"]
    assert [m.partition(" / ")[0] for m in of(findings, "project-funds-match-budget-table-not-checked", "预算缺项县司法局")] == [
        "未能核对项目资金与预算表：项目支出预算表中没有 1 个项目。"]


def test_the_valid_declaration_leaves_every_check_clean(findings):
    rules = {"placeholder-left-in", "time-target-after-budget-year"}
    assert [f.rule for f in findings if f.rule in rules and "化名县司法局" in f.form] == []


def test_checks_not_run_show_in_validate_text_and_json(tmp_path):
    path = tmp_path / "self-evaluation.txt"
    path.write_text(EVALUATIONS["未填执行数"], encoding="utf-8")
    store = str(tmp_path / "store")
    run_goaltrace("import", "--store", store, str(path), check=True)
    report = json.loads(run_goaltrace("validate", "--format", "json", "--store", store).stdout_text)
    assert report["not_checked"] == 2
    assert {r["rule"] for r in report["results"] if r["severity"] == "Info"} >= {
        "budget-execution-score-not-checked", "outcome-scores-not-checked"}
    text = run_goaltrace("validate", "--store", store).stdout_text
    assert "未能核对预算执行得分：缺少执行数。" in text
    assert "2 项核对因缺少数据未能进行 checks could not run for lack of data" in text


def test_the_scoring_rule_is_read_where_a_real_form_states_it():
    """Anhui's template prints the rule beneath its table; the Xiushan form states none."""
    from goaltrace.forms.self_evaluation import read_self_evaluation

    anhui = FIXTURES / "real" / "selfeval2" / "anhui-tianchang-tanghu-dept-2020.txt"
    rule = read_self_evaluation(anhui.read_text(encoding="utf-8"), str(anhui), partial=True, year=2020).scoring_rule
    assert rule == "正向指标(即目标值为≥X,得分=权重*B/A),反向指标(即目标值为≤X,得分=权重*A/B),得分不得突破权重总额。"
    assert read_self_evaluation(EVALUATION, "xiushan.txt").scoring_rule is None
