"""Targets published as an outline (level names as headings, one target per line) rather than
a table: read only under a heading, with the project and unit the notice names."""

from pathlib import Path

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


# Found by a review of the outline reader: what a page holds besides its targets.

BODY = "一、产出指标\n(一)数量指标\n养护农村公路里程≥120公里;新建错车道≥15处;\n二、满意度指标\n沿线群众满意度≥90%。\n"
TARGETS = [("养护农村公路里程", "120"), ("新建错车道", "15"), ("沿线群众满意度", "90")]


def targets(declaration):
    return [(i.name, str(i.target.number)) for p in declaration.projects for i in p.indicators]


@pytest.mark.parametrize("after", [
    "附件1\n扫一扫在手机打开当前页\n责任编辑：李四\n来源：县交通局\n【打印本页】【关闭窗口】\n",
    "三、其他说明\n实施周期：1年\n资金来源：县级财政\n项目负责人：王五\n",
])
def test_page_text_after_the_targets_is_kept_not_read_as_targets(after):
    declaration = parse_declaration("关于某县交通运输局2024年道路养护项目绩效目标的公示\n" + BODY + after)
    assert targets(declaration) == TARGETS
    assert {"李四", "1年", "王五"} & {cell.text.split("：")[-1] for cell in declaration.unmapped}


def test_a_notice_of_two_projects_reads_each_with_its_sum():
    text = ("某县交通运输局2024年项目支出绩效目标公开\n一、农村公路养护项目（资金45万元）\n1.产出指标：养护农村公路里程≥120公里；\n"
            "2.满意度指标：沿线群众满意度≥90%。\n二、客运站运营补贴项目（资金20万元）\n1.产出指标：补贴客运班线≥12条；\n"
            "2.满意度指标：乘客满意度≥85%。\n某县交通运输局\n2024年3月1日\n")
    declaration = parse_declaration(text)
    assert [(p.name, str(p.funds[0].amount), [i.name for i in p.indicators]) for p in declaration.projects] == [
        ("农村公路养护项目", "45", ["养护农村公路里程", "沿线群众满意度"]),
        ("客运站运营补贴项目", "20", ["补贴客运班线", "乘客满意度"])]


@pytest.mark.parametrize("text", [
    "2023年度农民培训项目绩效自评报告\n二、2023年度绩效目标完成情况\n(一)产出指标\n2.质量指标：培训合格率98%，目标值≥95%\n",
    "关于做好2025年项目支出绩效目标表填报工作的通知\n一、效益指标\n效益指标得分≥20分;\n二、产出指标\n数量指标应当量化,如培训人数≥100人;\n某县财政局\n2025年1月5日\n",
])
def test_texts_that_report_or_explain_targets_are_refused_not_read_as_declarations(text):
    with pytest.raises(FormError):
        parse_declaration(text)


def test_a_real_self_evaluation_is_no_declaration():
    path = Path(__file__).parents[1] / "fixtures" / "real" / "selfeval-heldout" / "hunan-lingling-lyj-2021.txt"
    with pytest.raises(FormError):
        parse_declaration(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("page, unit", [
    ("某县财政局关于某县交通运输局2024年道路养护项目绩效目标的批复\n" + BODY + "某县财政局\n2024年3月1日\n", "某县交通运输局"),
    ("发布机构: 某县人民政府办公室\n关于2024年道路养护项目绩效目标的公示\n" + BODY + "某县交通运输局\n二〇二四年三月一日\n", "某县交通运输局"),
    ("关于某县交通运输局2024年道路养护项目绩效目标的公示\n" + BODY + "相关阅读\n县政府召开安全生产工作会\n2024年2月28日\n", "某县交通运输局"),
])
def test_the_unit_is_the_one_whose_targets_they_are(page, unit):
    assert parse_declaration(page).department == unit


def test_a_table_form_takes_no_unit_from_a_fund_source_or_a_menu():
    form = "新闻中心\n2024年项目支出绩效目标表\n项目名称\t道路养护\n资金来源\t县财政局\n一级指标\t二级指标\t三级指标\t指标值\n产出指标\t数量指标\t养护里程\t≥120公里\n"
    with pytest.raises(FormError) as error:
        parse_declaration(form)
    assert "unit name" in str(error.value)


def test_page_furniture_with_a_number_below_it_is_no_project():
    page = "关于某县交通运输局2024年道路养护项目绩效目标的公示\n浏览次数\n12345\n" + BODY.replace("二、满意度指标", "邮政编码\n751100\n二、满意度指标")
    declaration = parse_declaration(page)
    assert [p.name for p in declaration.projects] == ["某县交通运输局2024年道路养护项目"]
    assert targets(declaration) == TARGETS


def test_an_attachments_title_does_not_override_the_notices_year_or_name():
    page = ("关于某县2024年道路养护项目绩效目标设定的公示\n某县交通运输局现将绩效目标设定如下:\n" + BODY
            + "附件：2023年度项目支出绩效目标表\n某县交通运输局\n2024年3月1日\n")
    declaration = parse_declaration(page)
    assert (declaration.year, declaration.projects[0].name) == (2024, "某县2024年道路养护项目")


def test_a_rate_in_the_prose_is_not_the_projects_sum():
    page = "关于某县2024年困难群众临时救助项目绩效目标的公示\n每户发放补助资金1000元。\n" + BODY + "某县民政局\n2024年3月1日\n"
    assert parse_declaration(page).projects[0].funds == ()


def test_what_a_line_holds_beside_its_targets_is_kept():
    page = ("关于某县农业农村局2024年农民培训项目绩效目标的公示\n一、产出指标\n(一)数量指标：培训对象为全县脱贫户及监测户；培训合格率≥95%；\n"
            "二、满意度指标\n受训农民满意度≥90%。\n")
    declaration = parse_declaration(page)
    assert [i.name for i in declaration.indicators] == ["培训合格率", "受训农民满意度"]
    assert any(cell.text == "培训对象为全县脱贫户及监测户" for cell in declaration.unmapped)


def test_a_numbered_section_that_is_no_project_does_not_name_one():
    page = ("关于某县2024年道路养护项目绩效目标的公示\n一、项目概况\n本项目由县公路中心实施。\n二、绩效目标\n" + BODY
            + "某县交通运输局\n2024年3月1日\n")
    assert [p.name for p in parse_declaration(page).projects] == ["某县2024年道路养护项目"]


def test_points_in_brackets_are_the_targets_weight():
    page = ("关于某县交通运输局2024年道路养护项目绩效目标的公示\n一、产出指标（50分）\n养护里程≥120公里（20分）；\n"
            "二、满意度指标（10分）\n群众满意度≥90%（10分）。\n")
    declaration = parse_declaration(page)
    assert [(i.name, str(i.target.number), i.target.unit, i.weight) for i in declaration.indicators] == [
        ("养护里程", "120", "公里", 20), ("群众满意度", "90", "%", 10)]


def test_an_approval_belongs_to_the_unit_it_is_addressed_to():
    page = ("某县财政局关于2024年道路养护项目绩效目标的批复\n县交通运输局：\n你局报送的道路养护项目绩效目标收悉，现批复如下：\n"
            + BODY + "某县财政局\n2024年3月1日\n")
    assert parse_declaration(page).department == "县交通运输局"


def test_a_declaration_read_from_an_outline_is_served_whole(tmp_path):
    """Its project states no funds: the report, its picture of the money and the tables answer
    all the same (the picture once failed on the missing amount with a 500)."""
    from urllib.parse import quote

    from conftest import Server, run_goaltrace

    notice = tmp_path / "notice.txt"
    notice.write_text("关于某县交通运输局2024年道路养护项目绩效目标的公示\n" + BODY + "某县交通运输局\n2024年3月1日\n", encoding="utf-8")
    store = tmp_path / "store"
    run_goaltrace("import", "--store", str(store), str(notice), check=True)
    server = Server("--store", str(store))
    try:
        one = f"department={quote('某县交通运输局')}&year=2024"
        for path in (f"/report?{one}", f"/indicators?{one}", f"/projects?{one}", f"/validation?{one}"):
            for accept in ("text/html", "application/json"):
                status, _, body = server.get(path, accept=accept)
                assert status == 200, (path, accept, body[:200])
        status, _, body = server.get(f"/api/indicators?{one}", accept="application/json")
        assert "养护农村公路里程" in body.decode("utf-8")
    finally:
        server.stop()


def test_a_notice_that_states_no_budget_year_is_for_the_year_it_was_signed_and_says_so():
    page = "关于某县交通运输局道路养护项目绩效目标的公示\n" + BODY + "某县交通运输局\n2024年3月1日\n"
    declaration = parse_declaration(page)
    assert declaration.year == 2024
    assert any("budget year 2024: the form states none, the page is dated then" in what for _, what in declaration.explanation)
    assert parse_declaration(page, year=2025).year == 2025  # --year says otherwise
    with pytest.raises(FormError) as error:  # no year and no date: the user is asked for one
        parse_declaration(page.replace("2024年3月1日\n", ""))
    assert "--year" in str(error.value)
