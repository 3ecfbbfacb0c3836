"""Every validation rule, both ways: the minimal valid declaration raises no finding at all,
and one small edit of it breaks exactly the rule under test (other rules may follow from the
same edit; the one under test must be there with its message)."""

from pathlib import Path

import pytest

from goaltrace.forms import parse_declaration
from goaltrace.graph.mapper import map_declaration
from goaltrace.graph.store import MEMORY, Store
from goaltrace.validation.validate import validate

VALID = (Path(__file__).parents[1] / "fixtures" / "valid-declaration.txt").read_text(encoding="utf-8")
PROJECT = "https://w3id.org/goaltrace/id/示例县司法局/2023/project/法律援助"


class Cut(str):
    """A text cut inside its indicator table, imported with --partial."""


def findings(text: str, update: str | None = None):
    store = Store.open(MEMORY)
    store.replace([map_declaration(parse_declaration(text, "fixture.txt", partial=isinstance(text, Cut)))])
    if update:
        store.engine.update(update, prefixes={"gt": "https://w3id.org/goaltrace/ontology#",
                                                "gtf": "https://w3id.org/goaltrace/framework/"})
    return validate(store).findings


def edit(line: int, old: str, new: str, text: str = VALID) -> str:
    lines = text.split("\n")
    assert old in lines[line - 1], (line, lines[line - 1])
    lines[line - 1] = lines[line - 1].replace(old, new, 1)
    return "\n".join(lines)


def drop(line: int, text: str = VALID) -> str:
    lines = text.split("\n")
    del lines[line - 1]
    return "\n".join(lines)


def test_the_valid_declaration_raises_nothing():
    # but the records of two checks that could not run (shapes/reviewer.ttl): the form holds no
    # project budget table and states no count of projects
    assert [f.rule for f in findings(VALID)] == ["project-funds-match-budget-table-not-checked", "stated-project-count-not-checked"]


# rule, severity, the broken text (or an update of the valid graph for what text cannot
# express), focus label, and words the Chinese and English messages must contain.
CASES = [
    ("declaration-incomplete", "Violation", Cut("\n".join(VALID.split("\n")[:30]) + "\n\t\t\t值班咨询"), None, "第 31 行中断", "stops at line 31"),
    ("project-name", "Violation", edit(20, "项目名称\t法律援助", "项目名称\t"), None, "缺少项目名称", "no project name"),
    ("project-responsible-person", "Violation", edit(20, "张三 023-12345678", ""), "法律援助", "缺少项目负责人", "no responsible person"),
    ("project-contact-phone", "Warning", edit(20, "张三 023-12345678", "张三"), "法律援助", "没有联系电话", "no phone"),
    ("project-supervising-unit", "Violation", edit(21, "主管部门\t县司法局", "主管部门\t"), "法律援助", "缺少主管部门", "no supervising unit"),
    ("project-implementing-unit", "Violation", edit(21, "实施单位\t县司法局", "实施单位\t"), "法律援助", "缺少实施单位", "no implementing unit"),
    ("project-annual-goal", "Violation", drop(26, drop(26)), "法律援助", "缺少年度目标", "no annual goal"),
    ("project-funds", "Violation", edit(22, "年度资金总额:\t40", "年度资金总额:\t"), "项目表 法律援助", "没有填写年度资金总额", "no annual total"),
    ("department-funds", "Violation", edit(8, "\t40\t40", "\t\t40"), "部门（单位）整体支出绩效目标申报表", "缺少项目支出合计", "no total for project spending"),
    ("goals-declared", "Violation", edit(9, "目标1：提升公共法律服务水平 目标2：推进基层依法治理", ""), None, "没有整体绩效目标", "no overall goal"),
    ("goal-numbering", "Violation", edit(9, "目标2：", "目标3："), None, "有目标3，却没有目标2", "goal 3 but no goal 2"),
    ("goal-number-repeated", "Violation", edit(9, "目标2：", "目标1："), None, "目标1出现了2次", "Goal 1 appears 2 times"),
    ("project-names-no-goal", "Info", edit(27, "目标2：推进基层依法治理", "加强队伍建设", edit(26, "目标1：提升公共法律服务水平", "做好法律援助")), "法律援助", "没有引用任何部门整体目标", "names no department goal"),
    ("indicator-categories", "Violation", edit(29, "30", "50", drop(32)), "项目表 法律援助", "表中没有满意度指标", "no satisfaction indicator"),
    ("cost-indicators", "Warning", edit(29, "30", "50", drop(30)), "项目表 法律援助", "2023年的表中没有成本指标", "2023 form has no cost indicator"),
    ("indicator-level1", "Violation", "DELETE WHERE { GRAPH ?g { ?i gt:normalizedName \"受援人满意度\" ; gt:level1 ?l } }", "受援人满意度", "没有唯一的一级指标", "exactly one level-1"),
    ("indicator-level2", "Violation", edit(29, "\t产出指标\t数量指标\t", "\t产出指标\t\t"), "办理法律援助案件数量", "没有唯一的二级指标", "exactly one level-2"),
    ("level2-belongs-to-level1", "Violation", "DELETE { GRAPH ?g { ?i gt:level1 gtf:satisfaction } } INSERT { GRAPH ?g { ?i gt:level1 gtf:benefit } } WHERE { GRAPH ?g { ?i gt:forProject ?p ; gt:level1 gtf:satisfaction } }", "受援人满意度", "二级指标服务对象满意度指标不属于一级指标效益指标", "does not belong to its level 1"),
    ("indicator-name", "Violation", "DELETE WHERE { GRAPH ?g { ?i gt:forProject ?p ; gt:normalizedName \"挽回经济损失\" ; gt:indicatorName ?n } }", None, "指标没有名称", "has no name"),
    ("indicator-comparator", "Violation", edit(29, "≥\t800件", "800件"), "办理法律援助案件数量", "没有指标性质", "no comparator"),
    ("indicator-target", "Violation", "DELETE WHERE { GRAPH ?g { ?i gt:forProject ?p ; gt:normalizedName \"挽回经济损失\" ; gt:targetText ?t } }", "挽回经济损失", "没有指标值", "no target value"),
    ("qualitative-target", "Warning", edit(32, "≥\t95%", "=\t良好"), "受援人满意度", "指标值“良好”不是数值", "is not a number"),
    ("indicator-unit", "Warning", edit(12, "800\t件", "800\t"), "办理法律援助案件数量", "指标值800没有度量单位", "800, has no unit"),
    ("ambiguous-unit", "Warning", edit(31, "800万元", "800万"), "挽回经济损失", "单位“万”含义不明（800万）", "bare “万” (800万)"),
    ("rate-in-percent", "Warning", edit(32, "95%", "95分"), "受援人满意度", "单位却是“分”而不是 %", "measured in “分”, not %"),
    ("count-in-money", "Warning", edit(29, "800件", "800万元"), "办理法律援助案件数量", "计数指标，单位却是金额“万元”", "measured in money, “万元”"),
    ("percent-range", "Warning", edit(32, "95%", "120%"), "受援人满意度", "目标 120%", "120%, lies outside 0–100 %"),
    ("degenerate-target", "Warning", edit(32, "95%", "100%"), "受援人满意度", "“≥ 100%”无法超额完成", "“≥ 100%”, cannot be exceeded"),
    ("rate-under-quantity", "Warning", edit(29, "办理法律援助案件数量\t≥\t800件", "法律援助案件结案率\t≥\t95%"), "法律援助案件结案率", "比率指标“法律援助案件结案率”列在数量指标下", "filed under quantity"),
    ("shortcut-has-its-link", "Violation", 'INSERT { GRAPH ?g { ?p gt:supportsGoal <https://w3id.org/goaltrace/id/示例县司法局/2023/goal/9> } } WHERE { GRAPH ?g { ?p gt:projectName ?n FILTER (str(?n) = "法律援助") } }', "法律援助", "没有对应的带依据、理由的限定链接", "has no qualified link with a basis"),
    ("curated-link-attributed", "Violation", 'INSERT DATA { GRAPH <https://w3id.org/goaltrace/id/示例县司法局/2023/alignment/x> { <https://w3id.org/goaltrace/id/示例县司法局/2023/alignment/x> a gt:Alignment ; gt:alignsDeclaration <https://w3id.org/goaltrace/id/示例县司法局/2023> . <https://w3id.org/goaltrace/id/示例县司法局/2023/alignment/x/link> a gt:GoalContribution ; gt:basis gtf:basis-curated ; gt:goal <https://w3id.org/goaltrace/id/示例县司法局/2023/goal/1> ; gt:justification "理由"@zh } }', None, "审定链接缺少prov:wasAttributedTo", "lacks prov:wasAttributedTo"),
    ("form-year", "Violation", edit(3, "预算年度:2023", "预算年度:2024"), "项目表 法律援助", "表头写的是 2023 年，申报的预算年度却是 2024 年", "says 2023, but the declaration's budget year is 2024"),
    ("weights-total-100", "Violation", edit(29, "800件\t30", "800件\t25"), "项目表 法律援助", "权重合计为 95，不是 100", "total 95, not 100"),
    ("indicator-weight", "Warning", edit(29, "800件\t30", "800件\t", edit(30, "600元\t20", "600元\t50")), "办理法律援助案件数量", "没有权重", "has no weight"),
    ("total-is-basic-plus-project", "Violation", edit(8, "\t100\t", "\t101\t"), None, "预算支出总额 101 万元 ≠ 基本支出 60 + 项目支出 40 = 100 万元", "Total spending 101 ≠ basic 60 + project 40 = 100"),
    ("sources-add-up", "Violation", edit(8, "\t60\t60\t", "\t60\t50\t"), None, "基本支出合计 60 万元 ≠ 各来源之和 50 万元", "basic spending total, 60, ≠ the sum of its sources, 50"),
    ("projects-account-for-project-spending", "Warning", edit(23, "40", "30", edit(22, "40", "30")), None, "项目表年度资金合计 30 万元，部门整体表项目支出 40 万元，相差 10 万元", "10 万元 unaccounted for"),
    ("consistent-indicators", "Warning", edit(29, "800件", "900件"), "办理法律援助案件数量", "为“≥ 800 件”，项目“法律援助”的同名指标为“≥ 900件”：指标值不一致", "mismatch in value."),
    ("project-without-goal", "Warning", edit(27, "目标2：推进基层依法治理", "加强队伍建设", edit(26, "目标1：提升公共法律服务水平", "做好法律援助")), "法律援助", "没有支撑任何整体目标", "supports no overall goal"),
    ("rows-need-review", "Info", 'INSERT { GRAPH ?g { ?i gt:needsReview <https://w3id.org/goaltrace/framework/review/column-by-position> } } WHERE { GRAPH ?g { ?i gt:normalizedName "办理法律援助案件数量" } }', None, "1 行读取时有所推测，需要复核：按位置归列", "1 rows were read with a guess and need review: column taken by position"),
    ("goal-without-project", "Warning", edit(27, "目标2：推进基层依法治理", "加强队伍建设"), "目标2", "目标2没有任何项目支撑", "Goal 2 is supported by no project"),
]


@pytest.mark.parametrize("rule, severity, broken, label, zh, en", CASES, ids=[c[0] for c in CASES])
def test_rule_is_broken_by_its_fixture(rule, severity, broken, label, zh, en):
    if broken.startswith(("DELETE", "INSERT")):
        found = findings(VALID, update=broken)
    else:
        found = findings(broken)
    mine = [f for f in found if f.rule == rule]
    assert mine, f"{rule} not raised; got {[f.rule for f in found]}"
    finding = mine[0]
    assert finding.severity == severity
    assert zh in finding.message_zh, finding.message_zh
    assert en in finding.message_en, finding.message_en
    if label is not None:
        assert finding.focus_label == label


def test_every_shape_has_a_case():
    import rdflib
    from rdflib.namespace import SH

    from goaltrace import resources

    shapes = set()
    for name in ("form.ttl", "declaration.ttl", "alignment.ttl"):
        g = rdflib.Graph().parse(data=resources.shapes_file(name).read_text(encoding="utf-8"), format="turtle")
        shapes |= {str(s).rpartition("#")[2] for s in g.subjects(SH.severity, None)}
    assert shapes == {c[0] for c in CASES}
