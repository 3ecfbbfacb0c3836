"""A whole document's project budget table (项目支出预算表), read as each project's name and amount, and nothing else.

A department budget prints its project spending in a table of its own, apart from the
performance tables: 项目名称 | 合计 | 财政拨款 | …. The reader passes such tables over (they are
not forms); this reads only the name and the total of each line, so that the funds the
performance tables declare can be set against them (shapes/reviewer.ttl,
project-funds-match-budget-table).
"""

import re
from dataclasses import dataclass
from decimal import Decimal

from .grid import Row
from .text import key
from .values import parse_number

# the title of a project budget table: 项目支出预算表, 2024年项目支出表, 部门预算项目支出明细表,
# 项目支出预算情况表 (Yantai's budgets)
TITLE = re.compile(r"项目支出(?:预算)?(?:明细|情况)?表")
_NAME = ("项目名称", "项目")
_AMOUNT = ("合计", "总计", "金额", "预算数", "预算金额", "本年预算", "项目支出")
_TOTAL_ROW = re.compile(r"^(?:合计|总计|小计|本年合计)$")
_IN_YUAN = re.compile(r"单位[:：]?元$|[(（]元[)）]")


@dataclass(frozen=True)
class BudgetLine:
    """One project's line of a project budget table, its amount in 万元."""

    line: int
    project: str
    amount: Decimal
    place: str | None = None  # where a document holds it: page 25 table 1 row 4


def is_project_budget_title(text: str) -> bool:
    return bool(TITLE.search(key(text)))


def header_at(rows: list[Row], within: int = 5) -> tuple[int, int, int] | None:
    """(index, name column, amount column) of a project budget table's header among the first
    rows after its title: the row with a 项目名称 and an amount (合计, 金额, 预算数) column, and
    no column of targets (绩效目标, 指标: then it is a performance table)."""
    for index, row in enumerate(rows[:within]):
        cells = [key(cell) for cell in row.cells]
        name_at = next((i for i, cell in enumerate(cells) if cell in _NAME), None)
        amount_at = next((i for i, cell in enumerate(cells) if cell in _AMOUNT and i != name_at), None)
        if any(word in cell for cell in cells for word in ("绩效", "目标", "指标")):
            return None  # a table of projects with their targets: a performance table, read as such
        if name_at is not None and amount_at is not None:
            return index, name_at, amount_at
    return None


def project_amounts(rows: list[Row]) -> list[BudgetLine]:
    """The lines of a project budget table (the rows after its title), below its header
    (`header_at`): each project's name and amount, total rows left out. Amounts in 元
    (单位：元) are turned into 万元. No header, no lines."""
    header = header_at(rows)
    if header is None:
        return []
    index, name_at, amount_at = header
    in_yuan = any(_IN_YUAN.search(key(cell)) for row in rows[:index + 1] for cell in row.cells)
    return _lines(rows[index + 1:], name_at, amount_at, Decimal(10000) if in_yuan else Decimal(1))


def _lines(rows: list[Row], name_at: int, amount_at: int, divisor: Decimal) -> list[BudgetLine]:
    found = []
    for row in rows:
        name = row.cells[name_at].strip() if name_at < len(row.cells) else ""
        amount = parse_number(row.cells[amount_at]) if amount_at < len(row.cells) else None
        if name and amount is not None and not _TOTAL_ROW.match(key(name)):
            found.append(BudgetLine(row.number, name, amount / divisor, row.place))
    return found
