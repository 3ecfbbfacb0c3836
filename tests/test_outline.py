"""Targets published as an outline (level names as headings, one target per line) rather than
a table: read only under a heading, with the project and unit the notice names."""

import pytest

from goaltrace.forms import parse_declaration
from goaltrace.forms.errors import FormError

NOTICE = """关于某县2024年道路养护项目绩效目标设定的公示
安排某县2024年道路养护项目资金45万元。某县交通运输局现将绩效目标设定如下:
一、产出指标
(一)数量指标
养护农村公路里程≥120公里;新建错车道≥15处;
(二)时效指标
完成时限,2024年11月底前;
二、效益指标
(一)社会效益指标:群众出行条件,明显改善。
三、满意度指标
沿线群众满意度≥90%。
附件:某县2024年道路养护项目绩效目标表
某县交通运输局
2024年3月1日
"""

TREE = """某县疾病预防控制中心2022年项目绩效目标批复表
单位:元
项目
指标值
绩效金额
  疫苗采购
500000
   产出指标
    数量指标(必填)
     疫苗供应及时率
100%
    质量指标
     疫苗合格率
≥99%
   满意度指标
    服务对象满意度指标
     服务对象满意度
95%
"""


def rows(declaration):
    return [(p.name, i.level2, i.name, i.comparator, str(i.target.number) if i.target.number is not None else i.target.text,
             i.target.unit) for p in declaration.projects for i in p.indicators]


def test_a_notice_with_numbered_headings_reads_each_target_under_its_level():
    declaration = parse_declaration(NOTICE)
    assert (declaration.department, declaration.year) == ("某县交通运输局", 2024)
    project = "某县2024年道路养护项目"
    assert rows(declaration) == [
        (project, "output-quantity", "养护农村公路里程", "ge", "120", "公里"),
        (project, "output-quantity", "新建错车道", "ge", "15", "处"),
        (project, "output-timeliness", "完成时限", None, "2024年11月底前", None),
        (project, "benefit-social", "群众出行条件", None, "明显改善", None),
        (project, "satisfaction-service-recipients", "沿线群众满意度", "ge", "90", "%"),
    ]
    (fund,) = declaration.projects[0].funds  # the one sum the prose gives the project
    assert (fund.amount, fund.spending, fund.source) == (45, "project", "all")


def test_prose_that_names_two_sums_gives_the_project_none():
    text = NOTICE.replace("资金45万元。", "资金45万元,其中前期已拨付资金10万元。")
    assert parse_declaration(text).projects[0].funds == ()


def test_a_tree_pairs_names_with_the_values_below_and_takes_the_project_row_and_its_amount():
    declaration = parse_declaration(TREE)
    assert (declaration.department, declaration.year) == ("某县疾病预防控制中心", 2022)
    assert rows(declaration) == [
        ("疫苗采购", "output-quantity", "疫苗供应及时率", None, "100", "%"),
        ("疫苗采购", "output-quality", "疫苗合格率", "ge", "99", "%"),
        ("疫苗采购", "satisfaction-service-recipients", "服务对象满意度", None, "95", "%"),
    ]
    (fund,) = declaration.projects[0].funds
    assert str(fund.amount) == "50.0000"  # 500000 元 in 万元, since the text says 单位:元


def test_targets_under_no_heading_are_not_taken():
    """The same lines without their level headings: nothing says what they measure, so the file
    is refused as before rather than read as guesses."""
    text = "\n".join(line for line in NOTICE.splitlines() if "指标" not in line)
    with pytest.raises(FormError) as error:
        parse_declaration(text)
    assert "expected a form title" in str(error.value) or "found the title" in str(error.value)


def test_a_line_of_prose_under_a_heading_is_kept_not_read_as_a_target():
    text = NOTICE.replace("沿线群众满意度≥90%。", "沿线群众满意度≥90%。\n项目建成后将由乡镇负责日常管护,请各单位认真落实。")
    declaration = parse_declaration(text)
    assert len(rows(declaration)) == 5
    assert any("日常管护" in cell.text for cell in declaration.unmapped)


def test_the_unit_a_notice_title_names_comes_before_the_portal_that_published_it():
    """A city portal's 发布机构 is often the office that runs the site; the notice's title names
    the unit whose targets they are, and gives the year."""
    text = ("发布机构: 某市人民政府办公室 发布日期: 2025-05-27\n某市公安局2025年项目绩效目标和指标\n"
            "【产出指标-数量指标】\n指标1:机柜数量(≥77台)\n【满意度指标-服务对象满意度指标】\n指标1:群众安全感(≥90%)\n")
    declaration = parse_declaration(text)
    assert (declaration.department, declaration.year) == ("某市公安局", 2025)
    assert rows(declaration) == [("某市公安局2025年项目", "output-quantity", "机柜数量", "ge", "77", "台"),
                                 ("某市公安局2025年项目", "satisfaction-service-recipients", "群众安全感", "ge", "90", "%")]


def test_targets_written_into_a_project_forms_goal_cells_are_its_indicators():
    """A project form with no indicator table, whose 年度绩效总目标 gives each level's targets as
    one sentence: counts with their unit, comparisons, and states in words."""
    text = ("2022年项目绩效目标表\n项目名称 | 文物保护专项经费 | 预算金额 | 36万元 |\n预算单位 | 某市文化和旅游局 |\n"
            "年度绩效总目标 | 产出指标 | 开展文物安全巡查频次8次;文物保护项目验收合格率≥86%。 |\n"
            "效益指标 | 文物保护名录和数据库基本健全;文物保护修缮个数≥5个。 |\n")
    declaration = parse_declaration(text)
    assert rows(declaration) == [
        ("文物保护专项经费", None, "开展文物安全巡查频次", None, "8", "次"),
        ("文物保护专项经费", None, "文物保护项目验收合格率", "ge", "86", "%"),
        ("文物保护专项经费", None, "文物保护名录和数据库", None, "基本健全", None),
        ("文物保护专项经费", None, "文物保护修缮个数", "ge", "5", "个"),
    ]
    assert [i.level1 for i in declaration.projects[0].indicators] == ["output", "output", "benefit", "benefit"]
