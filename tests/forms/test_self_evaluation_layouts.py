"""Self-evaluation layouts that a normaliser writes out again before the reader reads them:
a spreadsheet flattened to words with its indicators numbered (forms/numbered_rows.py), and
Hebei's two-line header that splits the target and the score (forms/split_header.py). Each text
is written by hand in the layout as published, shortened."""

import pytest

from goaltrace.forms import FormError
from goaltrace.forms.self_evaluation import read_self_evaluation

FLATTENED = " ".join([
    "某县项目支出绩效自评表 (2022年度) 项目名称 乡村道路养护 主管部门 某县交通运输局",
    "项目资金 年初预算数 (万元) 年度资金总额 其中:当年财政拨款 实施单位 全年预算数 全年执行数 分值 执行率 得分",
    "50 45 10 90% 9 50 45 — 90% — 上年结转资金 — —",
    "年度总 体目标 一级 指标 二级指标 三级指标 数量指标 指标1:养护道路里程 绩 效 指 标 产出 指标 (60分 )",
    "实际 指标值 完成值 120公里 分值 得分 偏差原因分析及改进措 施 118公里 20 19 雨季连续 停工",
    "质量指标 指标1:路面检测合格率达到 标准 95% 97% 30 30 ≤2万元 1.8万元 10 10 90% 93% 40 38 100 97",
    "成本指标 指标1:每公里养护成本 效益指 标(40 分) 社会效益 指标1:群众出行满意度 总分",
])


def rows(form):
    return [(o.level1, o.level2, o.indicator, o.target_text, o.actual_text, o.weight, o.score, o.deviation_reason,
             o.doubts) for o in form.outcomes]


def test_a_flattened_numbered_table_reads_each_name_with_its_values_and_flags_those_paired_by_position():
    form = read_self_evaluation(FLATTENED, "flattened.txt")
    assert rows(form) == [
        ("output", "output-quantity", "养护道路里程", "120公里", "118公里", 20, 19, "雨季连续停工", ()),
        ("output", "output-quality", "路面检测合格率达到标准", "95%", "97%", 30, 30, None, ()),
        # values printed before their names: paired in order, and flagged
        ("output", "output-cost", "每公里养护成本", "≤2万元", "1.8万元", 10, 10, None, ("column-by-position",)),
        ("benefit", "benefit-social", "群众出行满意度", "90%", "93%", 40, 38, None, ("column-by-position",)),
    ]
    assert form.total_score == 97
    # the budget's labels interleaved with the 实施单位 field: the amounts after the last of them
    budget = form.budget
    assert (budget.planned, budget.executed, budget.weight, budget.rate, budget.score) == (50, 45, 10, 90, 9)


def test_interleaved_budget_labels_whose_amounts_do_not_give_their_rate_give_no_budget():
    text = FLATTENED.replace("50 45 10 90% 9", "0 45 10 90% 9")
    assert read_self_evaluation(text, "flattened.txt").budget is None


def test_a_flattened_table_cut_after_a_name_is_refused_without_partial():
    text = FLATTENED.replace(" 总分", " 满意度指标 指标1:群众满意")
    with pytest.raises(FormError) as caught:
        read_self_evaluation(text, "cut.txt")
    assert "partial" in caught.value.message
    assert len(read_self_evaluation(text, "cut.txt", partial=True).outcomes) == 4


SPLIT_HEADER = "\n".join([
    "某县民政局2021年度预算项目绩效自评表",
    "一、基本情况 项目名称: 高龄津贴 实施(主管)单位 某县民政局",
    "四、年度绩效指标完成情况 一级指标 二级指标 三级指标 指标分值 预期指标值 单项指标实际完成值 单项指标完成情况 自评得分",
    "符号 单位(文字描述) 单项指标得分 权重占比(%) 单项指标折算得分",
    "产出指标 数量指标 发放人数 按月领取津贴的人数 >= 120 人 126人 完成 40.00 40.00 16.00",
    "时效指标 发放及时率 每月十日前发放的比例 >= 95 % 100% 完成 30.00 30.00 9.00",
    "满意度指标 服务对象满意度指标 老人满意度 享受津贴老人的满意程度 满意 满意 完成 27.00 30.00 8.10",
    "总分 100 97",
])


def test_a_two_line_header_splitting_target_and_score_reads_the_points_and_the_score_it_names():
    form = read_self_evaluation(SPLIT_HEADER, "split.txt")
    assert (form.department, form.project, form.year) == ("某县民政局", "高龄津贴", 2021)
    assert rows(form) == [
        ("output", "output-quantity", "发放人数", ">=120人", "126人", 40, 40, None, ()),
        ("output", "output-timeliness", "发放及时率", ">=95%", "100%", 30, 30, None, ()),
        # no comparator to find the target by: its last cell before the result, a guess
        ("satisfaction", "satisfaction-service-recipients", "老人满意度", "满意", "满意", 30, 27, None,
         ("column-by-position",)),
    ]


# A unit-wide form of Jiangxi's layout, run together: 分解目标 | 自评权重 before the level 2, rows
# numbered 任务N:, targets written 95%以上 and 超上年2%, a result written 完成.
DEPARTMENT_RUN_TOGETHER = (
    "某卫生院整体支出绩效自评表(2021年度)评价部门名称某乡卫生院"
    "分解目标自评权重二级指标三级指标年度指标值全年完成值分值得分偏差及原因分析"
    "产出指标40数量指标任务1:健康管理率超上年2%达成目标值2020质量指标任务1:诊断准确率95%以上97%1010"
    "任务2:档案管理率100%完成1010满意度指标服务对象满意度指标任务1:群众满意度≥90%93%6060总分100100"
)


def test_a_run_together_unit_form_cuts_rows_at_their_task_numbers_and_reads_targets_as_written():
    form = read_self_evaluation(DEPARTMENT_RUN_TOGETHER, "unit.txt")
    assert [(o.level2, o.indicator, o.target_text, o.actual_text, o.weight, o.score) for o in form.outcomes] == [
        ("output-quantity", "健康管理率", "超上年2%", "达成目标值", 20, 20),
        ("output-quality", "诊断准确率", "95%以上", "97%", 10, 10),
        ("output-quality", "档案管理率", "100%", "完成", 10, 10),
        ("satisfaction-service-recipients", "群众满意度", "≥90%", "93%", 60, 60),
    ]
