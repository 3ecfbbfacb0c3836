"""The labels that tell a reader what a cell is, as seen across provincial templates.

A header cell names a column of an indicator table (指标性质 → the comparator column); a field
label names a form field (主管部门 → the supervising unit). Labels are matched after folding
(`text.key`), with a leading 绩效 and a bracketed note such as （%） or (分) ignored, so that
绩效指标值, 指标值 and 指标值（%） are one column.
"""

import re
from functools import lru_cache

from .grid import field_key
from .text import key

# -- indicator table columns ---------------------------------------------------------------
LEVEL1, LEVEL2, NAME = "level1", "level2", "name"
COMPARATOR, VALUE, LONG_TERM_VALUE, UNIT, WEIGHT, NOTE = (
    "comparator", "value", "long-term-value", "unit", "weight", "note")

COLUMNS = {
    "一级指标": LEVEL1,
    "二级指标": LEVEL2,
    "三级指标": NAME,
    "一级": LEVEL1,
    "二级": LEVEL2,
    "三级": NAME,
    "年度数值": VALUE,
    "预期达到目标": VALUE,
    "目标值及单位": VALUE,
    "计算符号": COMPARATOR,
    "三级指标名称": NAME,
    "三级指标内容": NAME,
    "指标内容": NAME,
    "指标名称": NAME,
    "具体指标": NAME,
    "指标": NAME,
    "指标性质": COMPARATOR,
    "指标符号": COMPARATOR,
    "运算符号": COMPARATOR,
    "比较符": COMPARATOR,
    "指标值": VALUE,
    "目标值": VALUE,
    "年度指标值": VALUE,
    "本年指标值": VALUE,
    "本年绩效指标值": VALUE,
    "年度目标值": VALUE,
    "年度值": VALUE,
    "当年指标值": VALUE,
    "当年预期实现值": VALUE,
    "预期实现值": VALUE,
    "预期目标值": VALUE,
    "指标目标值": VALUE,
    "指标值及单位": VALUE,
    "计划指标值": VALUE,
    "计划指标值(或计划水平)": VALUE,
    "年度指标值及单位": VALUE,
    "中期指标值": LONG_TERM_VALUE,
    "中期目标值": LONG_TERM_VALUE,
    "实施期指标值": LONG_TERM_VALUE,
    "实施期目标值": LONG_TERM_VALUE,
    "实施周期指标值": LONG_TERM_VALUE,
    "实施周期目标值": LONG_TERM_VALUE,
    "项目实施期指标值": LONG_TERM_VALUE,
    "中期": LONG_TERM_VALUE,
    "度量单位": UNIT,
    "计量单位": UNIT,
    "单位": UNIT,
    "指标单位": UNIT,
    "权重": WEIGHT,
    "指标权重": WEIGHT,
    "分值": WEIGHT,
    "指标分值": WEIGHT,
    "权重分值": WEIGHT,
    "分值权重": WEIGHT,
    "指标解释": NOTE,
    "绩效指标描述": NOTE,
    "指标描述": NOTE,
    "指标内容描述": NOTE,
    "指标说明": NOTE,
    "指标值说明": NOTE,
    "绩效标准": NOTE,
    "指标方向性": NOTE,
    "指标方向": NOTE,
    "指标值确定依据": NOTE,
    "评分标准": NOTE,
    "评(扣)分标准": NOTE,
    "指标值内容": NOTE,
    "指标值类型": COMPARATOR,
    "备注": NOTE,
}
_NOTE_IN_LABEL = re.compile(r"[(（][^)）]*[)）]")


@lru_cache(maxsize=1 << 14)
def column_named(cell: str) -> str | None:
    """The role of an indicator-table header cell, or None (*指标值: a required column's star)."""
    label = key(cell).lstrip("*★")
    for candidate in (label, _NOTE_IN_LABEL.sub("", label), _NOTE_IN_LABEL.sub("", label).removesuffix("%")):
        for form in (candidate, candidate.removeprefix("绩效")):
            if form in COLUMNS and not (form == "指标" and candidate != "指标"):  # 绩效指标 is a section
                return COLUMNS[form]
    return None


def is_header_of_indicators(cells: list[str]) -> bool:
    """A header row (or run of header cells): level columns and a value column."""
    roles = [column_named(cell) for cell in cells]
    if NAME not in roles:
        return False
    if LEVEL1 in roles or LEVEL2 in roles:
        return VALUE in roles or LONG_TERM_VALUE in roles
    # no level columns (指标 | 指标权重 | 计量单位 | 指标性质 | 指标值): the value and two more
    return VALUE in roles and sum(r in (COMPARATOR, UNIT, WEIGHT) for r in roles) >= 2


# -- titles ------------------------------------------------------------------------------
# a fund's form reads 专项资金整体支出绩效目标表: the whole of a fund, not of the department
DEPARTMENT_TITLE = re.compile(r"(?<!资金)整体(支出|预算)?绩效目标(申报|审批|批复)?表|^部门(\(单位\)|（单位）)?整体绩效目标$")
PROJECT_TITLE = re.compile(r"(项目(支出)?|特定目标类项目|专项资金(整体支出)?|转移支付[^表]{0,8})绩效目标(申报|审批|批复)?表|绩效目标申报表|绩效目标表")
CLOSING = ("其他说明", "其他需说明的问题", "其他需要说明的问题", "需说明的问题", "备注", "注", "附件", "附表", "填报说明", "说明", "审核意见", "主管部门审核意见", "财政部门审核意见",
           "填表人", "填报人", "联系人", "单位负责人", "财务负责人")


_SIGN_OFF = re.compile(r"审核意见|初审意见|审批意见|[(（]盖章[)）]|^填表(日期|时间)|^填报(日期|时间)"
                       # a web page's own furniture below the form
                       r"|^(?:文件下载|附件下载|政策咨询|相关链接|相关文件|扫一扫|分享到|打印本页|关闭窗口|【打印】|\[打印\]|"
                       r"网站地图|主办单位|承办单位|版权所有)|ICP备|政府网站标识码")


_CLOSING = re.compile("^(?:" + "|".join(map(re.escape, CLOSING)) + ")(?::|$)|^注:")


def is_closing(cell: str) -> bool:
    """A cell that ends a table: remarks, notes and sign-off lines below it."""
    label = key(cell)
    return bool(_CLOSING.match(label) or _SIGN_OFF.search(label))


# -- form fields -------------------------------------------------------------------------
DEPARTMENT_FIELDS = {
    "预算年度": "year",
    "年度": "year",
    "预算(单位)名称": "department",
    "预算单位名称": "department",
    "预算单位": "department",
    "单位名称": "department",
    "部门名称": "department",
    "部门(单位)名称": "department",
    "填报单位": "department",
    "单位": "amount_unit",
    "金额单位": "amount_unit",
    "部门预算编码": "code",
    "单位编码": "code",
    "资金总额": "total",
    "预算支出总额": "total",
    "年度资金总额": "total",
    "支出预算总量": "total",
    "区级支出预算总量": "total",
    "县级支出预算总量": "total",
    "市级支出预算总量": "total",
    "基本支出": "basic",
    "项目支出": "project",
}
PROJECT_FIELDS = {
    "项目名称": "name",
    "项目支出名称": "name",
    "项目主管部门": "supervising_unit",
    "预算部门": "department",
    "年度本级预算金额": "all",
    "其他": "other",
    "项目总体情况": "goal",
    "本年度绩效目标": "goal",
    "实施期绩效目标": "long_goal",
    "项目支出实施期": "period",
    "专项名称": "name",
    "项目(专项)名称": "name",
    "下达地方或单位": "department",
    "下达中央预算内投资(万元)": "all",
    "本次下达中央预算内投资(万元)": "all",
    "项目负责人及电话": "responsible",
    "项目负责人及联系电话": "responsible",
    "项目负责人": "responsible",
    "负责人及电话": "responsible",
    "联系电话": "phone",
    "主管部门": "supervising_unit",
    "主管部门及代码": "supervising_unit",
    "主管单位": "supervising_unit",
    "主管预算部门": "supervising_unit",
    "项目金额": "all",
    "当年市级财政资金": "appropriation",
    "专项资金名称": "name",
    "业务主管部门": "supervising_unit",
    "编制单位": "department",
    "当年预算": "all",
    "当年绩效目标": "goal",
    "立项依据": "summary",
    "申报单位": "department",
    "具体实施单位": "implementing_unit",
    "项目总体目标": "goal",
    "项目年度目标": "goal",
    "项目概况及立项依据": "summary",
    "项目概况": "summary",
    "专项负责人": "responsible",
    "联系人及电话": "phone",
    "中长期绩效目标": "long_goal",
    "项目预算金额(万元)": "all",
    "项目预算金额": "all",
    "预算数": "all",
    "绩效目标": "goal",
    "年度绩效目标(文字)": "goal",
    "项目执行单位": "implementing_unit",
    "实施单位": "implementing_unit",
    "项目实施单位": "implementing_unit",
    "预算单位": "department",
    "单位名称": "department",
    "预算年度": "year",
    "项目属性": "attribute",
    "专项属性": "attribute",
    "项目分类": "attribute",
    "预算金额": "all",
    "单位信息": "department",
    "项目经办人": "responsible",
    "项目经办人电话": "phone",
    "当年年度预算": "all",
    "当年预算数": "all",
    "项目总预算": "project_total",
    "其它资金": "other",
    # a transfer payment's regional form (区域绩效目标表): the fund is what the targets are of,
    # and the unit is the lowest 主管部门 it names (the county's, below the centre's and province's)
    "资金名称": "fund_name",
    "转移支付名称": "fund_name",
    "市级主管部门": "supervising_unit",
    "区县主管部门": "supervising_unit",
    "市县主管部门": "supervising_unit",
    "中央主管部门": "central_unit",
    "省级主管部门": "provincial_unit",
    "省级财政部门": "finance_unit",
    "区县财政部门": "finance_unit",
    "市县财政部门": "finance_unit",
    "年度金额": "all",
    "年度金额(万元)": "all",
    "中央补助": "appropriation",
    "中央补助(万元)": "appropriation",
    "地方资金": "other",
    "地方资金(万元)": "other",
    "部门名称": "department",
    "专项起止时间": "period",
    "项目起止时间": "period",
    "项目期": "period",
    "项目实施期": "period",
    "年度资金总额": "all",
    "年度预算资金总额": "all",  # Yantai's 政策和项目预算绩效目标表
    "资金总额": "all",
    "项目资金总额": "all",
    "年度资金总额(万元)": "all",
    "财政拨款": "appropriation",
    "财政资金": "appropriation",
    "本级财政资金": "appropriation",
    "上级补助资金": "appropriation",
    "其他资金": "other",
    "资金情况(万元)": None,
    "资金情况(元)": None,
    "资金情况": None,
    "项目资金申请(万元)": None,
    "年度预算申请(万元)": None,
    "项目资金(万元)": None,
    "项目资金": None,
    "总体目标": "goal",
    "年度总体目标": "goal",
    "中期资金总额": "long_all",
    "中期市财政预算(万元)": "long_all",
    "本年度申请市财政预算资金(万元)": "all",
    "本年度申请财政预算资金(万元)": "all",
    "年度目标": "goal",
    "年度绩效目标": "goal",
    "中期目标": "long_goal",
    "实施期目标": "long_goal",
    "实施期总目标": "long_goal",
    "单位": "amount_unit",
    "金额单位": "amount_unit",
}


def field_named(cell: str, labels: dict) -> tuple[str | None, str | None] | None:
    """(field, value in the same cell) for a label cell — `年度资金总额：20` → ("all", "20") —
    or None when the cell is no label of `labels`."""
    return _field_named(cell, _LABEL_SETS[id(labels)])


@lru_cache(maxsize=1 << 15)
def _field_named(cell: str, which: str) -> tuple[str | None, str | None] | None:
    labels = PROJECT_FIELDS if which == "project" else DEPARTMENT_FIELDS
    cell_key = _ENUMERATION.sub("", field_key(cell)).removesuffix("小计")  # (一)财政拨款小计 → 财政拨款
    if cell_key in labels:
        return labels[cell_key], None
    stripped = _NOTE_IN_LABEL.sub("", cell_key)
    if stripped in labels:
        return labels[stripped], None
    label, sep, value = cell.replace("：", ":").partition(":")
    if sep and field_key(label) in labels:
        return labels[field_key(label)], value.strip() or None
    return None


_ENUMERATION = re.compile(r"^(?:[(（][一二三四五六七八九十0-9]+[)）]|[一二三四五六七八九十0-9]+[、.])")
_LABEL_SETS = {id(PROJECT_FIELDS): "project", id(DEPARTMENT_FIELDS): "department"}


# -- year-end self-evaluations (绩效自评表) ---------------------------------------------------
ACTUAL, SCORE, DEVIATION = "actual", "score", "deviation"

# Outcome-table columns of a self-evaluation, beyond the indicator columns above: the target
# (年度指标值), what was achieved (实际完成值), the points (分值), the score (得分) and why they differ.
OUTCOME_COLUMNS = {
    "年度指标值": VALUE,
    "本年指标值": VALUE,
    "本年绩效指标值": VALUE,
    "年度目标值": VALUE,
    "指标值": VALUE,
    "年初目标值": VALUE,
    "预期指标值": VALUE,
    "年初设定目标值": VALUE,
    "实际完成值": ACTUAL,
    "实际完成指标值": ACTUAL,
    "全年实际值": ACTUAL,
    "全年完成值": ACTUAL,
    "实际值": ACTUAL,
    "实际完成情况值": ACTUAL,
    "完成值": ACTUAL,
    "全年实际完成值": ACTUAL,
    "单项指标实际完成值": ACTUAL,
    "分值": WEIGHT,
    "权重": WEIGHT,
    "指标分值": WEIGHT,
    "自评权重": WEIGHT,
    "得分": SCORE,
    "自评得分": SCORE,
    "偏差原因分析及改进措施": DEVIATION,
    "偏差原因": DEVIATION,
    "偏差原因分析": DEVIATION,
    "偏差及原因分析": DEVIATION,
    "未完成原因": DEVIATION,
    "未完成原因分析": DEVIATION,
    "未完成原因及拟采取的改进措施": DEVIATION,
    "未完成原因和改进措施": DEVIATION,
    "未完成原因及改进措施": DEVIATION,
    "得分计算方法": NOTE,
}

# Columns of the budget-execution block (项目资金 / 预算执行情况).
BUDGET_OPENING, BUDGET_PLANNED, BUDGET_EXECUTED, BUDGET_RATE = "opening", "planned", "executed", "rate"
BUDGET_COLUMNS = {
    "年初预算数": BUDGET_OPENING,
    "全年预算数": BUDGET_PLANNED,
    "预算数": BUDGET_PLANNED,
    "全年执行数": BUDGET_EXECUTED,
    "执行数": BUDGET_EXECUTED,
    "全年执行": BUDGET_EXECUTED,  # the header cell cut short
    "年初预算": BUDGET_OPENING,
    "调整后预算数": BUDGET_PLANNED,
    "预算执行数": BUDGET_EXECUTED,
    "权重": WEIGHT,
    "原因": NOTE,
    "分值": WEIGHT,
    "执行率": BUDGET_RATE,
    "预算执行率": BUDGET_RATE,
    "得分": SCORE,
    "得分计算方法": NOTE,
}
# The row of a budget block that holds the whole amount (the rows below it break it down).
BUDGET_TOTALS = ("年度资金总额", "年度财政资金总额", "部门整体支出总额", "资金总额", "项目资金总额", "总额")

SELF_EVALUATION_FIELDS = {
    "项目名称": "project",
    "主管部门": "supervising_unit",
    "项目主管部门": "supervising_unit",
    "实施单位": "implementing_unit",
    "项目实施单位": "implementing_unit",
    "实施(主管)单位": "supervising_unit",
    "转移支付(项目)名称": "project",
    "地方主管部门": "supervising_unit",
    "单位名称": "unit",
    "部门名称": "unit",
    "部门": "unit",
    "评价部门名称": "unit",
    "预算单位": "unit",
    "预算单位名称": "unit",
}
SELF_EVALUATION_TITLE = re.compile(r"绩效(目标)?自评(价)?表")
TOTAL_SCORE_LABELS = ("总分", "合计得分", "自评总分", "合计")


def _self_evaluation_label(cell: str, labels: dict) -> str | None:
    label = key(cell)
    for candidate in (label, _NOTE_IN_LABEL.sub("", label), _NOTE_IN_LABEL.sub("", label).removesuffix("%")):
        for form in (candidate, candidate.removeprefix("绩效")):
            if form in labels:
                return labels[form]
    return None


@lru_cache(maxsize=1 << 14)
def outcome_column_named(cell: str) -> str | None:
    """The role of a self-evaluation outcome-table header cell (年度指标值 → value, 实际完成值 →
    actual, 得分 → score, …), or None."""
    own = _self_evaluation_label(cell, OUTCOME_COLUMNS)
    if own is not None:
        return own
    role = column_named(cell)
    return role if role in (LEVEL1, LEVEL2, NAME, COMPARATOR, VALUE, UNIT, WEIGHT) else None


@lru_cache(maxsize=1 << 14)
def budget_column_named(cell: str) -> str | None:
    """The role of a budget-block header cell (年初预算数, 全年执行数, 执行率(B/A), …), or None."""
    return _self_evaluation_label(cell, BUDGET_COLUMNS)


def is_header_of_outcomes(roles: list[str | None]) -> bool:
    """Header roles of an outcome table: a name column, a target and what was achieved."""
    return NAME in roles and VALUE in roles and ACTUAL in roles
