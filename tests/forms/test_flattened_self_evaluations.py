"""A self-evaluation whose cells were all run together (a scan's or a viewer's text): cut at its
labels, with each row's cells told apart by what they are and points merged with the score split
by the form's own constraints. Hand-written texts, each in the shape real forms take."""

from goaltrace.forms.self_evaluation import read_self_evaluation

RUN_TOGETHER = (
    "项目支出绩效自评表(2021 年度)项目名称村道养护经费主管部门某县交通运输局实施单位某县公路中心"
    "项目资金 (万元)年初预算数全年预算数全年执行数分值执行率得分年度资金总额50451090%9"
    "其中:当年财政拨款5045其他资金绩 效 指 标一级指标二级指标三级指标年度 指标值实际 完成值分 值得 分"
    "偏差原因分析 及改进措施产出指标数量指标养护里程120公里118公里3028路面合格率≥95%≥95%3030"
    "指标2:效益指标社会效益 指标群众出行条件改善显著提升显著提升2020满意度 指标服务对象 满意度指 标"
    "群众满意度≥90%93%1010总分10088"
)


def test_a_run_together_form_is_cut_at_its_labels_and_its_rows_at_their_values():
    form = read_self_evaluation(RUN_TOGETHER, "scan.txt")
    assert (form.project, form.department, form.year, form.total_score) == ("村道养护经费", "某县交通运输局", 2021, 88)
    budget = form.budget
    assert (budget.planned, budget.executed, budget.weight, budget.rate, budget.score) == (50, 45, 10, 90, 9)
    rows = [(o.level2, o.indicator, o.target_text, o.actual_text, o.weight, o.score) for o in form.outcomes]
    assert rows == [
        ("output-quantity", "养护里程", "120公里", "118公里", 30, 28),
        ("output-quantity", "路面合格率", "≥95%", "≥95%", 30, 30),
        ("benefit-social", "群众出行条件改善", "显著提升", "显著提升", 20, 20),
        ("satisfaction-service-recipients", "群众满意度", "≥90%", "93%", 10, 10),
    ]


def test_points_merged_with_the_score_are_split_so_that_no_score_exceeds_its_points_and_the_guess_is_noted():
    form = read_self_evaluation(RUN_TOGETHER, "scan.txt")
    notes = [what for _, what in form.explanation]
    # 3028 could be 3 | 028 (no), 30 | 28, 302 | 8 (more than the form's 100 points)
    assert any("3028" in what and "30 points, 28 scored" in what for what in notes)
    assert any("10088" in what and "100 | 88" in what for what in notes)


def test_a_run_together_text_without_an_outcome_header_is_still_refused_at_its_start():
    import pytest

    from goaltrace.forms import FormError
    with pytest.raises(FormError) as caught:
        read_self_evaluation("项目支出绩效自评表(2021 年度)项目名称村道养护经费三级指标年度指标值", "scan.txt")
    assert caught.value.line == 1


# A PDF's text with the outcome table's values before its names, as 上海 普陀 publishes it: the
# first row's level and name caught inside the header, the total's points and score after the
# rows, a wrapped name's last character on its own, and the budget's total row before its label.
VALUES_FIRST = " ".join([
    "项目支出绩效自评表 (2022 年度) 村道养护 经费 项目名称 主管部门 某区交通委",
    "年初预算数 全年预算数 全年执行数 分值 执行率 得分 500000.00 500000.00 450,000 10 9 —",
    "年度资金总额 项目资金 (元) 实施单位 90.00%",
    "一级指标 二级指标 数量指标 三级指标 养护道路里 年度 指标值 实际 完成值 分值 得分",
    ">=120公里 118公里 40 38 合格 合格 30 30 >=90% 95% 20 20 100 97",
    "程 产出指标 质量指标 满意度指标 服务对象满意度指标 路面质量 群众满意 度 总分 偏差原因分析及改进措施",
])


def test_values_before_their_names_are_paired_with_them_by_position():
    form = read_self_evaluation(VALUES_FIRST, "pdf.txt")
    assert (form.project, form.department, form.total_score) == ("村道养护经费", "某区交通委", 97)
    rows = [(o.level1, o.level2, o.indicator, o.target_text, o.actual_text, o.weight, o.score) for o in form.outcomes]
    assert rows == [
        ("output", "output-quantity", "养护道路里程", ">=120公里", "118公里", 40, 38),
        ("output", "output-quality", "路面质量", "合格", "合格", 30, 30),
        ("satisfaction", "satisfaction-service-recipients", "群众满意度", ">=90%", "95%", 20, 20),
    ]


def test_a_budget_written_before_its_labels_in_yuan_takes_its_rate_from_the_block():
    budget = read_self_evaluation(VALUES_FIRST, "pdf.txt").budget
    assert (budget.planned, budget.executed, budget.weight, budget.score, budget.rate) == (50, 45, 10, 9, 90)


def test_a_run_together_file_reads_the_same_through_the_importers_rows(tmp_path):
    from goaltrace.forms.parser import read_rows
    from goaltrace.forms.self_evaluation import read_self_evaluation_rows
    path = tmp_path / "scan.txt"
    path.write_text("某网站页头\n" + RUN_TOGETHER, encoding="utf-8")
    rows, _ = read_rows(path, "utf-8")
    form = read_self_evaluation_rows(rows, str(path))
    assert [(o.indicator, o.weight, o.score, o.line) for o in form.outcomes][:2] == [("养护里程", 30, 28, 2), ("路面合格率", 30, 30, 2)]


def test_a_run_of_digits_too_tangled_to_weigh_is_refused_with_a_line_not_read_for_ever():
    import time

    import pytest

    from goaltrace.forms import FormError
    text = ("项目支出绩效自评表(2021年度)项目名称某一级指标二级指标三级指标年度指标值实际完成值分值得分产出指标数量指标"
            + "养护1201181" * 27 + "总分10088")
    started = time.monotonic()
    with pytest.raises(FormError) as caught:
        read_self_evaluation(text, "tangled.txt")
    assert caught.value.line == 1 and "no rows" in caught.value.message
    assert time.monotonic() - started < 10


def test_explain_shows_how_a_run_together_self_evaluation_was_cut_and_which_splits_are_guesses(tmp_path):
    from conftest import run_goaltrace
    path = tmp_path / "scan.txt"
    path.write_text(RUN_TOGETHER + "\n", encoding="utf-8")
    result = run_goaltrace("import", "--explain", str(path))
    assert result.returncode == 0, result.stderr_text
    out = result.stdout_text
    assert "某县交通运输局 2021" in out
    assert "points and score run together as 3028: read as 30 points, 28 scored" in out
    assert "outcome: 群众满意度" in out
