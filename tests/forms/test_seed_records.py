"""The seed as records: every expectation below is read off the published form by hand."""

from decimal import Decimal

import pytest

from goaltrace.forms import read_declaration


@pytest.fixture(scope="module")
def seed(seed_path):
    return read_declaration(seed_path)


def by_line(seed, line):
    return next(i for i in seed.indicators if i.line == line)


def test_header(seed):
    assert seed.department == "秀山土家族苗族自治县司法局"
    assert seed.year == 2023
    assert seed.amount_unit == "万元"
    assert seed.source.line_count == 233


def test_department_funds(seed):
    funds = {(f.spending, f.source): f.amount for f in seed.department_form.funds}
    assert funds == {
        ("total", "all"): Decimal("2282.58"),
        ("basic", "all"): Decimal("1598.17"),
        ("basic", "appropriation"): Decimal("1598.17"),
        ("project", "all"): Decimal("684.41"),
        ("project", "appropriation"): Decimal("684.41"),
    }
    assert all(f.line == 13 for f in seed.department_form.funds)


def test_goals(seed):
    goals = seed.department_form.goals
    assert [g.number for g in goals] == [1, 2, 3]
    assert goals[0].text == "全力推动“法治政府示范县”创建，提升法治秀山建设水平"
    assert goals[1].text.startswith("完善更高水平的现代公共法律服务体系建设")
    assert goals[2].text == "积极开展“标准化”司法所建设和“智慧矫正中心”建设"


def test_projects_and_their_funds(seed):
    names = [p.name for p in seed.projects]
    assert names == ["法律援助", "人民调解", "社区矫正对象管理费", "社区矫正社会工作者工作经费",
                     "普法宣传", "县人民政府法律顾问团工作经费", "公证处业务经费", "转移支付资金"]
    totals = [next(f.amount for f in p.funds if f.source == "all") for p in seed.projects]
    assert totals == [Decimal(x) for x in ("20", "12", "19.8", "121.5", "40", "25", "20", "385")]
    appropriations = [next(f.amount for f in p.funds if f.source == "appropriation") for p in seed.projects]
    assert appropriations == totals
    assert not any(f.source == "other" for p in seed.projects for f in p.funds)  # 其他资金 left blank


def test_project_header_fields(seed):
    people = {p.name: (p.responsible_person, p.phone) for p in seed.projects}
    assert people["法律援助"] == ("杨立业", "023-76685987")
    assert people["人民调解"] == ("屈直军", "023-76685987")
    assert people["转移支付资金"] == ("刘安武", "023-76685987")
    assert {p.supervising_unit for p in seed.projects} == {"县司法局"}
    assert {p.implementing_unit for p in seed.projects} == {"县司法局"}
    assert seed.projects[3].name_line == 107  # columns shifted by one on this table


def test_annual_goals(seed):
    legal_aid = seed.projects[0]
    assert legal_aid.annual_goal_line == 40
    assert legal_aid.annual_goal.startswith("加大法律援助工作宣传力度")
    transfer = seed.projects[-1]
    assert transfer.annual_goal.split("\n") == [
        "目标1：全力推动“法治政府示范县”创建，提升法治秀山建设水平",
        "目标2：完善更高水平的现代公共法律服务体系建设，摄入推进“自治、德治、法治、智治”相结合的基层治理体系建设",
        "目标3：积极开展“标准化”司法所建设和“智慧矫正中心”建设",
    ]


def test_indicator_counts_and_weights(seed):
    assert len(seed.department_form.indicators) == 11
    assert [len(p.indicators) for p in seed.projects] == [6, 4, 6, 6, 7, 6, 5, 14]
    assert len(seed.indicators) == 65
    for form in (seed.department_form, *seed.projects):
        assert sum(i.weight for i in form.indicators) == 100


@pytest.mark.parametrize(
    "line, level1, level2, name, comparator, number, unit, qualifier, weight",
    [
        (17, "output", "output-quantity", "支持人民调解案件数量", "ge", "4500", "件", None, "10"),
        # value with words inside, unit in its own column
        (21, "output", "output-quantity", "配置村居（社区）法律顾问", "eq", "268", "个", "村居(社区)", "10"),
        # 成本指标 written in the level-1 column: a level 2 of 产出
        (22, "output", "output-cost", "单位印刷、购买宣传品成本", "le", "10", "万元", None, "5"),
        # level 1 in the first column, shifted left
        (23, "benefit", "benefit-social", "法律援助挽回经济损失", "ge", "800", "万元", None, "10"),
        (25, "benefit", "benefit-social", "村（社区）法律顾问覆盖率", "ge", "100", "%", None, "10"),
        # "800万": money with an ambiguous unit
        (48, "benefit", "benefit-social", "挽回经济损失", "ge", "800", "万", None, "10"),
        # no level-1 cell at all: 服务对象满意度指标 implies 满意度指标
        (51, "satisfaction", "satisfaction-service-recipients", "受援人满意度", "ge", "99", "%", None, "10"),
        (96, "output", "output-cost", "监管社区矫正服务对象成本", "le", "600", "元/人", None, "10"),
        # an extra blank column between name and comparator
        (115, "output", "output-quantity", "招聘社区矫正社会工作者服务数量", "eq", "27", "名", None, "10"),
        # 成本指标 in the level-1 column and the name in the level-2 column
        (121, "output", "output-cost", "聘请单价", "le", "60000", "元/人", None, "30"),
        (142, "output", "output-quantity", "购买及印制普法资料、法治产品", "ge", "5", "万份", None, "20"),
        (143, "output", "output-quantity", "配置村居(社区)法律顾问", "eq", "268", "个", "村居(社区)", "20"),
        # "≥ 90" with no unit at all
        (151, "satisfaction", "satisfaction-service-recipients", "宣传对象参与满意度", "ge", "90", None, None, "10"),
        (167, "output", "output-quantity", "提供法律咨询次数 (列席专题会议)", "ge", "90", "次", None, "20"),
        (192, "output", "output-quantity", "社区公证员", "ge", "63", "社区", "覆盖", "20"),
        # 服务对象满意度指标 in the level-2 column while 效果指标 is still in force
        (200, "satisfaction", "satisfaction-service-recipients", "公证业务满意度", "ge", "99", "%", None, "20"),
        (220, "output", "output-quantity", "配置村居（社区）法律顾问", "eq", "268", "村居(社区)", None, "5"),
        (224, "output", "output-timeliness", "业务装备采购及时性", "le", "7", "天", None, "5"),
        (233, "satisfaction", "satisfaction-service-recipients", "公证业务满意度", "ge", "99", "%", None, "5"),
    ],
)
def test_indicator_rows(seed, line, level1, level2, name, comparator, number, unit, qualifier, weight):
    indicator = by_line(seed, line)
    assert (indicator.level1, indicator.level2, indicator.name) == (level1, level2, name)
    assert indicator.comparator == comparator
    assert indicator.target.number == Decimal(number)
    assert indicator.target.unit == unit
    assert indicator.target.qualifier == qualifier
    assert indicator.weight == Decimal(weight)


def test_raw_text_is_kept(seed, seed_text):
    lines = seed_text.split("\n")
    for indicator in seed.indicators:
        assert indicator.source_text == lines[indicator.line - 1]
    row = by_line(seed, 21)
    assert row.target.text == "268村居（社区）" and row.target.unit_text == "个"
    assert by_line(seed, 17).number == 1 and by_line(seed, 42).number is None
