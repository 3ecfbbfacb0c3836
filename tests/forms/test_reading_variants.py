"""Small forms, each showing one thing real templates do, read as a person reads them.

The real corpus (test_real_forms.py) shows these in context; here each is alone, so that a
failure names the thing that broke."""

from decimal import Decimal

import pytest

from goaltrace.forms import FormError, parse_declaration

HEAD = "2024年项目支出绩效目标表\n项目名称\t示例项目\n主管部门\t示例县农业农村局\n年度资金总额\t12\n"
TABLE = "一级指标\t二级指标\t三级指标\t指标值\n"


def read(rows: str, head: str = HEAD, table: str = TABLE, **options):
    return parse_declaration(head + table + rows, "variant.txt", **options)


def one(rows: str, **options):
    (indicator,) = read(rows, **options).projects[0].indicators
    return indicator


@pytest.mark.parametrize("cell, comparator, number, unit", [
    ("不低于95%", "ge", "95", "%"),
    ("大于等于90%", "ge", "90", "%"),
    ("≧90%", "ge", "90", "%"),
    ("不高于3天", "le", "3", "天"),
    ("±3%以内", "le", "3", "%"),
    ("90%以上", "ge", "90", "%"),
    ("═100%", "eq", "100", "%"),
    ("90%(计划标准)", None, "90", "%"),
    ("10辆", None, "10", "辆"),
    ("≥80M", "ge", "80", "M"),
    ("1,200元", None, "1200", "元"),
])
def test_values_as_written(cell, comparator, number, unit):
    indicator = one(f"产出指标\t数量指标\t示例指标\t{cell}\n")
    assert (indicator.comparator, indicator.target.number, indicator.target.unit) == (comparator, Decimal(number), unit)


def test_ocr_dollar_read_as_at_least_and_recorded():
    indicator = one("产出指标\t质量指标\t验收合格率\t$90%\n")
    assert (indicator.comparator, indicator.target.number) == ("ge", Decimal("90"))
    assert indicator.repairs and "OCR" in indicator.repairs[0]
    assert "$90%" in indicator.source_text


def test_a_lone_2_in_the_comparator_column_is_at_least():
    table = "一级指标\t二级指标\t三级指标\t指标性质\t指标值\n"
    indicator = one("产出指标\t质量指标\t验收合格率\t2\t90%\n", table=table)
    assert (indicator.comparator, indicator.target.number) == ("ge", Decimal("90"))


@pytest.mark.parametrize("cell", ["巩固提高", "有效提升", "2023年底", "每年12月底前"])
def test_qualitative_targets_and_dates_keep_their_words(cell):
    indicator = one(f"效益指标\t社会效益指标\t示例成效\t{cell}\n")
    assert indicator.target.number is None and indicator.target.text == cell


def test_level_names_as_templates_write_them():
    declaration = read(
        "产出指标(40-50)分\t数量指标值\t培训人次\t≥100人次\n"
        "\t质量指标\t合格率\t≥95%\n"
        "效益指标(30分)\t社会公众或服务对象满意度指标\t群众满意度\t≥90%\n"
        "成本指标\t经济成本指标\t单位成本\t≤10万元\n"
        "\t\t…\t\n"
        "\t生态效益指标\t\t\n")
    rows = [(i.level1, i.level2, i.name) for i in declaration.projects[0].indicators]
    assert rows == [
        ("output", "output-quantity", "培训人次"),
        ("output", "output-quality", "合格率"),
        ("satisfaction", "satisfaction-service-recipients", "群众满意度"),  # 满意度 under 效益
        ("cost", "cost-economic", "单位成本"),  # 成本 as a level 1 (2021 framework)
    ]


def test_a_blank_level_1_is_implied_by_its_level_2():
    indicator = one("\t时效指标\t按时完成率\t100%\n")
    assert (indicator.level1, indicator.level2) == ("output", "output-timeliness")


def test_one_cell_per_line_with_page_markers_and_a_title_page():
    text = ("某某县人民政府网 首页 > 政务公开\n发布时间:2024-03-01\n\n项目支出绩效目标申报表\n(2024年度)\n"
            "项目名称\n\n道路养护\n\n主管部门\n\n某某县交通运输局\n\n— 1 —\n\n"
            "一级指标\n\n二级指标\n\n三级指标\n\n指标值\n\n产出指标\n\n数量指标\n\n养护里程\n\n≥120公里\n\n"
            "第 2 页\n\n满意度指标\n\n服务对象满意度指标\n\n群众满意度\n\n≥90%\n")
    declaration = parse_declaration(text, "stream.txt")
    assert (declaration.department, declaration.year) == ("某某县交通运输局", 2024)
    rows = [(i.name, i.comparator, i.target.number, i.target.unit) for i in declaration.projects[0].indicators]
    assert rows == [("养护里程", "ge", Decimal("120"), "公里"), ("群众满意度", "ge", Decimal("90"), "%")]
    kept = {cell.text for cell in declaration.unmapped}
    assert "发布时间:2024-03-01" in kept  # the page's own text, kept with its line


def test_medium_term_and_annual_side_by_side():
    table = "一级指标\t二级指标\t三级指标\t中期指标值\t年度指标值\n"
    declaration = read("产出指标\t数量指标\t新建道路\t≥30公里\t≥10公里\n", table=table)
    rows = sorted((i.term, i.target.number) for i in declaration.projects[0].indicators)
    assert rows == [("annual", Decimal("10")), ("long-term", Decimal("30"))]


def test_amounts_in_yuan_with_separators_are_held_in_wan_yuan():
    head = "2024年项目支出绩效目标表\n金额单位:元\n项目名称\t示例项目\n主管部门\t示例县农业农村局\n年度资金总额\t1,200,000.00\n"
    declaration = read("产出指标\t数量指标\t示例\t≥1个\n", head=head)
    (fund,) = declaration.projects[0].funds
    assert (fund.amount, fund.text) == (Decimal("120"), "1,200,000.00")


def test_a_department_form_after_its_projects_still_links_their_declared_goals():
    project = HEAD + "年度目标\t目标1：提升道路通行能力\n" + TABLE + "产出指标\t数量指标\t里程\t≥1公里\n\n"
    department = ("部门整体支出绩效目标表\n预算年度:2024\n单位名称:示例县农业农村局\n"
                  "整体绩效目标\t目标1：提升道路通行能力\n" + TABLE + "产出指标\t数量指标\t总里程\t≥1公里\n")
    declaration = parse_declaration(project + department, "order.txt")
    assert declaration.department_form is not None and declaration.projects[0].goal_references[0].number == 1


def test_a_form_cut_mid_row_needs_partial():
    text = HEAD + TABLE + "产出指标\t数量指标\t里程\t≥1公里\n\t\t养护面积"
    with pytest.raises(FormError) as error:
        parse_declaration(text, "cut.txt")
    assert error.value.line == 7 and "ends inside its indicator table" in error.value.message
    declaration = parse_declaration(text, "cut.txt", partial=True)
    assert declaration.incomplete_at == 7 and len(declaration.projects[0].indicators) == 1


def test_a_weight_wrapped_onto_its_own_line_joins_its_row():
    table = "一级指标 二级指标 三级指标 指标性质 指标值 权重\n"
    declaration = read("产出指标 数量指标 培训人次 ≥ 100 20\n效益指标 社会效益指标 群众认可度 定性 高\n10\n", table=table)
    rows = [(i.name, i.comparator, i.target.text, i.weight) for i in declaration.projects[0].indicators]
    assert rows == [("培训人次", "ge", "100", Decimal("20")), ("群众认可度", "qualitative", "高", Decimal("10"))]


def test_a_run_together_row_is_cut_by_the_columns_its_header_names():
    """名称 | 权重 | 计量单位 | 指标性质 | 指标值 with every separator lost: the weight ends the name,
    a known unit and a comparator may follow, and the value closes the row."""
    table = "绩效指标指标名称指标权重计量单位指标性质指标值\n"
    declaration = read("产出指标数量指标道路养护里程10公里=125\n满意度指标群众满意度5%≥95\n效益指标社会效益指标出行条件20明显改善\n",
                       table=table)
    rows = [(i.name, str(i.weight), i.comparator, i.target.text, i.target.unit) for i in declaration.projects[0].indicators]
    assert rows == [("道路养护里程", "10", "eq", "125", "公里"), ("群众满意度", "5", "ge", "95", "%"),
                    ("出行条件", "20", None, "明显改善", None)]


def test_a_level_name_written_down_the_page_one_character_a_line():
    rows = "产\n出\n指\n标\n数量指标\n培训人次\n100人\n满\n意\n度\n指\n标\n服务对象满意度指标\n学员满意度\n≥95%\n"
    stream = "一级指标\n二级指标\n三级指标\n指标值\n"
    declaration = read(rows, table=stream)
    assert [(i.level1, i.level2, i.name) for i in declaration.projects[0].indicators] == [
        ("output", "output-quantity", "培训人次"), ("satisfaction", "satisfaction-service-recipients", "学员满意度")]


def test_a_transfer_payments_regional_form_takes_the_fund_as_project_and_the_lowest_unit():
    head = ("2022年某奖励资金区域绩效目标表\n资金名称\t某奖励资金\n中央主管部门\t财政部\n省级主管部门\t某省农业农村厅\n"
            "区县主管部门\t某县农业农村委员会\n年度金额(万元):\t397\n")
    declaration = read("产出指标\t数量指标\t猪肉产量稳定率\t≥95%\n", head=head)
    project = declaration.projects[0]
    assert (project.name, project.supervising_unit, declaration.department) == ("某奖励资金", "某县农业农村委员会", "某县农业农村委员会")
    assert str(project.funds[0].amount) == "397"
    assert any(cell.text == "某省农业农村厅" for cell in declaration.unmapped)  # kept, not the unit
    without_county = read("产出指标\t数量指标\t猪肉产量稳定率\t≥95%\n", head=head.replace("区县主管部门\t某县农业农村委员会\n", ""))
    assert without_county.department == "某省农业农村厅"  # the lowest level the form names


def test_a_spaced_qualitative_row_has_no_unit_and_its_wrapped_weight_joins_it():
    table = "一级指标 二级指标 三级指标 指标性质 指标值 度量单位 权重(%)\n"
    declaration = read("产出指标 数量指标 召开会议 ≥ 2 次 15\n满意度指标 服务对象满意度指标 公众满意度 定性 高中低\n5", table=table)
    rows = [(i.name, i.comparator, i.target.text, i.target.unit, i.weight) for i in declaration.projects[0].indicators]
    assert rows == [("召开会议", "ge", "2", "次", Decimal("15")), ("公众满意度", "qualitative", "高中低", None, Decimal("5"))]
    assert declaration.incomplete_at is None


def test_a_form_opened_by_its_unit_below_its_title_names_its_project_further_down():
    head = "2024年绩效目标表\n单位信息:\t324001-某州市场监督管理局机关\n项目名称:\t食品安全专项\n"
    declaration = read("产出指标\t数量指标\t专项整治次数\t≥2次\n", head=head)
    assert (declaration.department, declaration.projects[0].name) == ("某州市场监督管理局机关", "食品安全专项")


def test_a_spaced_table_of_several_projects_takes_each_project_column_by_its_header():
    """项目名称 项目单位 项目类别 预算数 年度绩效目标 before the levels, space-separated: each
    project cell is what its header names (not guessed from where the amount stands); a row with
    no level cells continues the project above; a 定性 target's words and weight may each wrap
    onto a line of their own."""
    head = "2025年项目绩效目标表\n单位:元\n"
    table = "项目名称 项目单位 项目类别 预算数 年度绩效目标 一级指标 二级指标 三级指标 指标性质 指标方向 目标值 计量单位 分值\n"
    rows = ("装备经费 776001-某旗人民检察院 32-专项资金项目 1,030,700.00 保障办案装备需要。 产出指标(50分) 数量指标 车辆采购数量 反向 小于等于 1 辆 7.5\n"
            "设备验收及时率 正向 大于等于 98 % 5\n"
            "效益指标(30分) 社会效益 提升工作效率 定性\n有效提升\n15\n")
    declaration = read(rows, head=head, table=table)
    (project,) = declaration.projects
    assert (declaration.department, project.name, project.funds[0].amount) == ("某旗人民检察院", "装备经费", Decimal("103.07"))
    assert [(i.level2, i.name, i.comparator, i.target.text, str(i.weight)) for i in project.indicators] == [
        ("output-quantity", "车辆采购数量", "le", "1", "7.5"),
        ("output-quantity", "设备验收及时率", "ge", "98", "5"),
        ("benefit-social", "提升工作效率", "qualitative", "有效提升", "15"),
    ]


# Layouts the reader read before the outline and run-together rules came, kept as they were
# (found by a review of those rules).

def test_a_stream_closed_by_pipe_lines_reads_its_last_whole_row_with_or_without_a_closing_line():
    cells = ["项目名称", "|", "道路养护", "||||", "主管部门", "|", "某县交通运输局", "||||",
             "一级指标", "|", "二级指标", "|", "三级指标", "|", "指标值", "||||",
             "产出指标", "|", "数量指标", "|", "养护里程", "|", "≥120公里", "||||",
             "满意度指标", "|", "服务对象满意度指标", "|", "群众满意度", "|", "≥90%"]
    for tail in ("", "\n||||"):
        declaration = parse_declaration("2024年项目支出绩效目标表\n" + "\n".join(cells) + tail, "pipes.txt")
        assert [i.name for i in declaration.projects[0].indicators] == ["养护里程", "群众满意度"]
    cut = "\n".join(cells[:-1] + ["满"])  # the text stops one character into the last value
    with pytest.raises(FormError):
        parse_declaration("2024年项目支出绩效目标表\n" + cut, "cut.txt")


def test_single_characters_that_make_no_label_are_not_joined():
    stream = "一级指标\n二级指标\n三级指标\n指标值\n"
    rows = "产出指标\n质量指标\n是否发生安全事故\n否\n效益指标\n社会效益指标\n群众满意\n是\n满意度指标\n服务对象满意度指标\n满意度\n高\n"
    declaration = read(rows, table=stream)
    assert [(i.name, i.target.text) for i in declaration.projects[0].indicators] == [
        ("是否发生安全事故", "否"), ("群众满意", "是"), ("满意度", "高")]


def test_a_footer_below_a_qualitative_row_is_not_its_target():
    table = "一级指标 二级指标 三级指标 指标性质 指标值 度量单位 权重(%)\n"
    with pytest.raises(FormError):  # the row stops at 定性: cut, as before
        read("产出指标 数量指标 召开会议 ≥ 2 次 15\n满意度指标 服务对象满意度指标 公众满意度 定性\n审核日期：2024年3月1日\n", table=table)


def test_a_bare_level_2_name_followed_only_by_a_value_is_an_indicator():
    declaration = read("效益指标\t社会效益指标\t带动就业\t≥50人\n\t\t经济效益\t增收10万元\n\t\t生态效益\t改善\n")
    assert [(i.level2, i.name) for i in declaration.projects[0].indicators] == [
        ("benefit-social", "带动就业"), ("benefit-social", "经济效益"), ("benefit-social", "生态效益")]
    stream = read("产出指标\n数量指标\n培训人次\n≥50人\n质量\n合格\n", table="一级指标\n二级指标\n三级指标\n指标值\n")
    assert [(i.level2, i.name, i.target.text) for i in stream.projects[0].indicators] == [
        ("output-quantity", "培训人次", "50人"), ("output-quantity", "质量", "合格")]


# Found by a second review: level names and labels that must not take what is not theirs.

@pytest.mark.parametrize("row, name", [
    ("产出\t\t新建错车道\t≥15处\n", "新建错车道"),
    ("满意度\t\t学生满意度\t≥90%\n", "学生满意度"),
])
def test_a_short_level_1_repeated_over_an_empty_level_2_is_a_level(row, name):
    declaration = read("产出指标\t数量指标\t养护里程\t≥120公里\n" + row)
    assert [i.name for i in declaration.projects[0].indicators] == ["养护里程", name]


def test_an_indicator_named_after_another_level_2_stays_an_indicator():
    table = "一级指标\t二级指标\t三级指标\t指标值\t权重\n"
    declaration = read("效益指标\t社会效益指标\t生态效益\t改善\t10\n", table=table)
    (indicator,) = declaration.projects[0].indicators
    assert (indicator.level2, indicator.name, indicator.target.text, indicator.weight) == ("benefit-social", "生态效益", "改善", 10)


def test_flattened_medium_term_and_annual_blocks_keep_their_terms_when_one_block_lacks_a_row():
    head = "中期目标\n年度目标\n"
    cells = ["一级指标", "二级指标", "三级指标", "指标值", "二级指标", "三级指标", "指标值",
             "产出指标", "数量指标", "养护里程", "≥360公里", "数量指标", "养护里程", "≥120公里",
             "质量指标", "验收合格率", "≥95%",
             "时效指标", "完成时间", "2026年底前", "时效指标", "完成时间", "2024年底前"]
    declaration = read("\n".join(cells[7:]) + "\n", table=head + "\n".join(cells[:7]) + "\n")
    assert [(i.term, i.name, i.target.text) for i in declaration.projects[0].indicators] == [
        ("long-term", "养护里程", "360公里"), ("annual", "养护里程", "120公里"), ("long-term", "验收合格率", "95%"),
        ("long-term", "完成时间", "2026年底前"), ("annual", "完成时间", "2024年底前")]


def test_a_year_where_an_amount_was_expected_is_no_amount():
    head = "2024年项目支出绩效目标表\n项目名称\t示例项目\n主管部门\t示例县农业农村局\n年度资金总额\t2024年度\t12\n"
    declaration = read("产出指标\t数量指标\t培训人次\t≥100人\n", head=head)
    assert all(fund.amount != 2024 for fund in declaration.projects[0].funds)


def test_a_fund_named_beside_a_named_project_does_not_rename_it():
    head = "2024年项目支出绩效目标表\n项目名称\t乡村道路养护项目\n主管部门\t某县交通运输局\n资金名称：城乡道路养护补助资金\n"
    declaration = read("产出指标\t数量指标\t养护里程\t≥120公里\n", head=head)
    assert declaration.projects[0].name == "乡村道路养护项目"


def test_a_provincial_supervisor_does_not_replace_the_implementing_unit():
    head = "2024年项目支出绩效目标表\n项目名称\t乡村道路养护项目\n省级主管部门\t某省交通运输厅\n实施单位\t某县公路中心\n"
    assert read("产出指标\t数量指标\t养护里程\t≥120公里\n", head=head).department == "某县公路中心"


def test_fund_sources_named_side_by_side_take_the_amounts_below_them_by_column():
    head = ("2022年项目绩效目标表\n项目名称 | 文物保护专项经费 | 预算金额 | 36万元 |\n预算单位 | 某市文化和旅游局 |\n"
            "资金来源(万元) | 财政拨款 | 非税安排 | 上年结转 | 政府债券 | 其他 |\n36 | 0 | 0 | 0 | 0 | |\n")
    declaration = read("产出指标 | 数量指标 | 巡查次数 | ≥8次 |\n", head=head, table="一级指标 | 二级指标 | 三级指标 | 指标值 |\n")
    assert {fund.source: fund.amount for fund in declaration.projects[0].funds} == {
        "all": Decimal("36"), "appropriation": Decimal("36"), "other": Decimal("0")}
    assert {cell.text for cell in declaration.unmapped} >= {"0"}  # 非税安排's, 上年结转's, 政府债券's amounts are kept


def test_short_level_names_in_their_columns_read_as_levels():
    """产出 | 数量 | 养护里程 | ≥120公里: a two-character level 2 right after its level 1 stands in the
    level-2 column; the same word alone before a value stays an indicator's name."""
    declaration = read("产出\t数量\t养护里程\t≥120公里\n效益\t经济效益\t带动增收\t10万元\n效益\t社会效益\t就业人数\t≥20人\n")
    assert [(i.level2, i.name) for i in declaration.projects[0].indicators] == [
        ("output-quantity", "养护里程"), ("benefit-economic", "带动增收"), ("benefit-social", "就业人数")]


# Found by a third review: fund columns, budget years and short level names, where a guess
# would be silent.

def test_fund_columns_over_a_row_with_a_blank_are_not_paired_by_guess():
    """A blank amount cell is lost from the text, so four labels over two amounts cannot say which
    column is blank: the amounts are not spread over the columns (which would count them twice)."""
    head = ("2022年项目绩效目标表\n项目名称 | 文物保护专项经费 |\n预算单位 | 某市文化和旅游局 |\n"
            "项目资金(万元) | 年度资金总额 | 财政拨款 | 其他资金 |\n | 50 | 50 | |\n")
    table = "一级指标 | 二级指标 | 三级指标 | 指标值 |\n"
    funds = {f.source: f.amount for f in read("产出指标 | 数量指标 | 巡查次数 | ≥8次 |\n", head=head, table=table).projects[0].funds}
    assert not ("all" in funds and "appropriation" in funds and "other" in funds)
    whole = head.replace(" | 50 | 50 | |\n", "50万元 | 40万元 | 10万元 |\n").replace("项目资金(万元) | ", "")
    funds = {f.source: f.amount for f in read("产出指标 | 数量指标 | 巡查次数 | ≥8次 |\n", head=whole, table=table).projects[0].funds}
    assert funds == {"all": Decimal("50"), "appropriation": Decimal("40"), "other": Decimal("10")}


def test_a_year_beside_an_amount_is_passed_over():
    head = "2024年项目支出绩效目标表\n项目名称\t示例项目\n主管部门\t示例县农业农村局\n年度资金总额\t2024年度\t100\n"
    (fund,) = read("产出指标\t数量指标\t培训人次\t≥100人\n", head=head).projects[0].funds
    assert fund.amount == 100


def test_two_character_level_names_only_where_the_table_has_a_level_2_column():
    rows = "产出\t数量\t养护里程\t≥120公里\n产出\t质量\t合格率\t≥95%\n"
    declaration = read(rows)
    assert [(i.level2, i.name) for i in declaration.projects[0].indicators] == [
        ("output-quantity", "养护里程"), ("output-quality", "合格率")]
    without = read("产出\t数量\t10个\t无\n", table="一级指标\t三级指标\t指标值\t备注\n")
    assert [(i.level2, i.name, i.target.text) for i in without.projects[0].indicators] == [(None, "数量", "10个")]


@pytest.mark.parametrize("dated", ["填报日期：2024年11月5日\n", "发布时间：2024-03-05\n", "某县交通运输局\n2024年12月20日\n"])
def test_a_date_that_does_not_say_the_budget_year_is_not_taken_for_it(dated):
    """A fill-in or publication date, or a signature in November or December (when next year's
    targets are set), says nothing sure of the budget year: the user is asked for --year."""
    notice = "关于某县交通运输局道路养护项目绩效目标的公示\n一、产出指标\n(一)数量指标\n养护里程≥120公里;新建错车道≥15处;\n" + dated
    with pytest.raises(FormError) as error:
        parse_declaration(notice)
    assert "--year" in str(error.value)


def test_a_self_evaluation_whose_title_line_quotes_it_is_a_self_evaluation():
    from goaltrace.forms.grid import rows_of
    from goaltrace.forms.self_evaluation import is_self_evaluation

    assert is_self_evaluation(rows_of("附件2：“2023年度项目支出绩效自评表”\n项目名称 | 乡村道路养护项目 |\n"))
    assert not is_self_evaluation(rows_of("二、预算年度结束后，要根据有关文件要求及时上报“项目支出绩效自评表”和自评报告，并配合好绩效评价工作。\n"))
