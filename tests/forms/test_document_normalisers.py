"""The layouts a whole document prints its indicators in, each read into the usual cells: coded
prose in one cell, a target written as a sentence, two indicators in one row, and levels run
together with the indicator. The texts here are written for the tests in the shapes the real
documents use (tests/forms/test_documents.py reads the real ones)."""

from decimal import Decimal

import pytest

from goaltrace.forms.comparators import split_sentence
from goaltrace.forms.documents.coded_indicators import (
    coded_column,
    expanded,
    indicators_in,
    value_labels,
)
from goaltrace.forms.parser import parse_rows

CODED = ("1.1－产出指标，11－数量指标，巡查河道条数；实施周期指标值：≥40条，年度指标值：≥10条；"
         "2、2－效益指标，22－社会效益，群众投诉办结率；实施周期指标值：100%，年度指标值：100%;")


def test_coded_prose_gives_each_indicator_with_its_levels_and_values():
    assert indicators_in(CODED) == [
        ("产出指标", "数量指标", "巡查河道条数", [("实施周期指标值", "≥40条"), ("年度指标值", "≥10条")]),
        ("效益指标", "社会效益", "群众投诉办结率", [("实施周期指标值", "100%"), ("年度指标值", "100%")]),
    ]


def test_coded_prose_broken_over_lines_and_separated_by_semicolons_reads_the_same():
    wrapped = "1、1-产出指标；11-数量指标；巡查河道\n条数；实施周期指标值:≥40条；年度指标\n值:≥10条。"
    assert indicators_in(wrapped) == [("产出指标", "数量指标", "巡查河道条数", [("实施周期指标值", "≥40条"), ("年度指标值", "≥10条")])]


def test_a_goal_in_prose_is_no_coded_indicator():
    assert indicators_in("通过开展巡查工作，主要达到如下目标：1.巡查完成率为100%；2.不发生安全事故。") == []


def test_a_project_table_with_coded_cells_becomes_one_row_per_indicator():
    header = ["项目名称（资金使用单位）", "总计", "绩效目标", "绩效指标"]
    body = [["河道巡查经费（甲区）", "12.00", "做好河道巡查。", CODED], ["合计：", "12.00", "", ""]]
    column = coded_column(header, body)
    assert column == 3
    labels = value_labels(body, column)
    assert labels == ["实施周期指标值", "年度指标值"]
    rows = expanded(body[:1], column, labels)
    assert rows == [
        ["河道巡查经费（甲区）", "12.00", "做好河道巡查。", "产出指标", "数量指标", "巡查河道条数", "≥40条", "≥10条"],
        [None, None, None, "效益指标", "社会效益", "群众投诉办结率", "100%", "100%"],
    ]


def test_a_header_with_level_columns_is_not_read_as_coded():
    header = ["项目名称", "一级指标", "二级指标", "三级指标", "绩效指标"]
    assert coded_column(header, [["甲", "产出指标", "数量指标", "x", CODED]]) is None


@pytest.mark.parametrize("text, expected", [
    ("抢修及时率为100%", ("eq", "100%")),
    ("事故发生数为零", ("eq", "0")),
    ("年均养护费用不高于175万元/公里", ("le", "175万元/公里")),
    ("站点正常运行率≥95%", ("ge", "95%")),
])
def test_a_target_written_as_a_sentence_gives_its_comparator_and_value(text, expected):
    comparator, value, _ = split_sentence(text)
    assert (comparator, value) == expected


@pytest.mark.parametrize("text", ["较上年提高", "2026年10月底前完成", "1000户", "完成率100%", "第3季度"])
def test_words_that_state_no_comparator_before_their_number_are_left_as_they_are(text):
    assert split_sentence(text)[0] is None


def _declaration(lines: list[str]):
    from goaltrace.forms.grid import text_row
    return parse_rows([text_row(n, line, None) for n, line in enumerate(lines, 1)], "test.txt", "0")


def _one_project(*rows: str, header: str = "一级指标\t二级指标\t三级指标\t指标值"):
    """The one project a short declaration with these indicator rows gives."""
    (project,) = _declaration(["2026年项目支出绩效目标表", "项目名称\t河道巡查", "主管部门\t某区水务局", header,
                               *rows]).projects
    return project


def test_a_row_of_two_indicators_and_two_values_is_read_as_two_indicators():
    project = _one_project("产出指标\t数量指标\t巡查河道条数；巡查次数\t40条；12次")
    assert [(i.name, i.target.number, i.target.unit) for i in project.indicators] == [
        ("巡查河道条数", 40, "条"), ("巡查次数", 12, "次")]


def test_a_row_whose_values_are_partly_words_is_one_target_written_as_a_list():
    project = _one_project("产出指标\t数量指标\t接待媒体采访；大型外媒采访活动；专题宣传\t50人次；一次；12期")
    assert [(i.name, i.target.number, i.target.text) for i in project.indicators] == [
        ("接待媒体采访；大型外媒采访活动；专题宣传", None, "50人次；一次；12期")]


def test_a_copy_in_traditional_characters_with_pinyin_glosses_reads_as_its_simplified_original():
    from goaltrace.forms.parser import parse_declaration

    glossed = "\n".join([
        "2023年項(xiàng)目支出績效目標(biāo)表",
        "項(xiàng)目名稱\t河道巡查經(jīng)費(fèi)",
        "主管部門\t某區(qū)水務(wù)局",
        "一級(jí)指標(biāo)\t二級(jí)指標(biāo)\t三級(jí)指標(biāo)\t指標(biāo)值",
        "產(chǎn)出指標(biāo)\t數(shù)量指標(biāo)\t巡查河道條數(shù)\t≥40條",
    ])
    declaration = parse_declaration(glossed, "copy.txt")
    (project,) = declaration.projects
    assert project.name == "河道巡查经费"
    assert [(i.level1, i.level2, i.name, i.target.unit) for i in project.indicators] == [("output", "output-quantity", "巡查河道条数", "条")]
    assert any("simplified" in what for _, what in declaration.explanation)


def test_traditional_characters_without_glosses_are_left_as_written():
    from goaltrace.forms.grid import text_row
    from goaltrace.forms.simplified import simplified

    rows = [text_row(1, "項目名稱\t香港某項目", None)]
    assert simplified(rows) is rows


def test_targets_read_as_the_form_states_them():
    """定性 over a number keeps the cell as written (and is flagged); a word after the number that
    the name ends with is no unit; 场次 is a unit; a number's gap before its word is no space;
    每季度1次 is a frequency, as written, and 每天 3000人次 a count."""
    project = _one_project(
        "产出指标\t质量指标\t服务接待率\t定性\t100%\t",
        "产出指标\t数量指标\t举办竞赛场次\t≥\t1场次\t",
        "产出指标\t成本指标\t人员经费成本\t=\t11639.05成本\t",
        "产出指标\t时效指标\t物业管理服务时间\t定性\t1-12 月\t",
        "产出指标\t数量指标\t监管抽查工作频次\t\t每季度1次\t",
        "产出指标\t数量指标\t服务人次\t\t每天 3000人次\t",
        header="一级指标\t二级指标\t三级指标\t指标性质\t指标值\t度量单位")
    read = [(i.comparator, i.target.number, i.target.text if i.target.number is None else None, i.target.unit)
            for i in project.indicators]
    assert read == [("qualitative", None, "100%", None), ("ge", 1, None, "场次"), ("eq", Decimal("11639.05"), None, None),
                    ("qualitative", None, "1-12月", None), (None, None, "每季度1次", None),
                    (None, 3000, None, "人次")]
    assert "cell-fits-column-badly" in project.indicators[0].doubts


def test_a_target_wrapped_after_its_comparator_joins_with_no_space():
    from goaltrace.forms.documents.cells import joined

    assert joined("≥30次；≥\n10次") == "≥30次；≥10次"
    assert joined("≧2人、≧\n558人") == "≧2人、≧558人"
