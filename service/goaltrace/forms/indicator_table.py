"""An indicator table (绩效指标: 一级指标 | 二级指标 | 三级指标 | …), read by its header.

The header row says which columns follow the indicator's name and in what order: a comparator
(指标性质), the annual value (指标值, 年度指标值, 指标值及单位, …), a medium-term value (中期指标值),
a unit (度量单位), a weight (权重, 分值) and notes (指标解释, 备注, …). Two layouts are read:

- **rows**: a header with its cells on one line. Each row is a line; merged cells come out blank
  and shift the leading columns, so level names are recognised by what they say, and the cells
  after the name are read in the header's order.
- **stream**: a table flattened one cell per line (a web page or PDF copied as text). Blank
  cells are lost, so each cell is recognised by what it is: a level name, a comparator, a value,
  a unit, a weight; a cell that is none of those starts the next indicator.

The table ends at a closing line (其他说明, 备注, 注：…), the next form, or the end of the text;
a table that stops mid-row, or before its satisfaction indicators, is reported as cut.
"""

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from . import catalogue
from .comparators import (
    ORDERING,
    comparator_named,
    repaired_comparator,
    split_leading_comparator,
    split_ocr_comparator,
    split_sentence,
    split_trailing_comparator,
)
from .errors import shown
from .grid import Row, field_key
from .labels import (
    COLUMNS,
    COMPARATOR,
    DEPARTMENT_TITLE,
    LEVEL1,
    LEVEL2,
    LONG_TERM_VALUE,
    NAME,
    NOTE,
    PROJECT_TITLE,
    UNIT,
    VALUE,
    WEIGHT,
    column_named,
    is_closing,
    is_header_of_indicators,
)
from .reading import Reading
from .records import Indicator
from .review import doubted
from .run_together import split_by_labels, split_indicator_row
from .text import fold, key
from .units import unit_labelled
from .values import Target, is_date, parse_number, parse_target

SECTION_LABELS = {"绩效指标", "专项年度绩效指标", "年度绩效指标", "本年度绩效指标", "本年度", "年度绩效目标", "绩效目标", "中期绩效指标", "实施期绩效指标", "年度指标",
                  "实施效果指标", "绩效指标值", "绩效目标指标", "年度绩效目标指标"}
LEVEL_NAMES = "产出指标, 效益指标, 满意度指标, 成本指标; 数量指标, 质量指标, 时效指标, …"
NUMBERED_NAME = re.compile(r"^(?:指标\s*([0-9０-９]*)\s*[:：]|([0-9０-９]+)\s*[、.．]\s*(?=\D))\s*")
PLACEHOLDER = re.compile(r"^[.…。·\-—/、 ]*$|^(?:指标\s*[0-9０-９]+\s*[:：]?|三级指标)$")
# A level 1 with one level 2 in the catalogue implies it (满意度指标 → 服务对象满意度指标).
ONLY_CHILD = {parent: children[0].key for parent in {level.parent for level in catalogue.LEVEL2}
              if len(children := [c for c in catalogue.LEVEL2 if c.parent == parent]) == 1}
NO_TARGET = {"无", "/", "-", "—", "--", "不适用", "无此项"}  # a row the template keeps but the unit does not fill
_SPLIT_TAILS = {"指标", "值", "指标值"}  # the end of a level name wrapped onto its own line
# A unit written in the name for a bare value: 实施营造林总面积(亩), 苗木成活率(≥**%) — the
# template's hint, with ** where the value goes.
UNIT_IN_NAME = re.compile(r"[(（]\s*(?P<comparator>[≥≤>=<＞＜≧≦]{1,2})?\s*\**\s*(?P<unit>%|％|[\u4e00-\u9fff]{1,4}(?:/[\u4e00-\u9fff]{1,4}){0,2})?\s*[)）]\s*$")
HEADER_WORDS = frozenset(COLUMNS) | frozenset(SECTION_LABELS)
PROJECT_COLUMNS = {"单位名称", "项目名称", "项目总额", "单位(项目)名称", "单位编码", "资金总额", "预算数", "预算金额", "项目预算数", "年度目标", "年度绩效目标", "项目年度目标",
                   "项目名称(资金使用单位)", "支出项目类别(资金使用单位)", "项目"}
VALUE_ROLES = (COMPARATOR, VALUE, LONG_TERM_VALUE, UNIT, WEIGHT, NOTE)


@dataclass(frozen=True)
class Header:
    line: int
    roles: tuple[str, ...]  # the value columns after the name, in order
    labels: tuple[str, ...]  # their header cells as written
    stream: bool  # one cell per line
    rows: int  # how many rows the header takes
    spaced: bool = False  # cells separated by single spaces
    second: tuple[tuple[str, ...], tuple[str, ...]] | None = None  # a second block of columns side by side
    per_project: bool = False  # project columns (项目名称, 预算数, …) before the level columns
    project_columns: tuple[str, ...] = ()  # what each of those columns holds: name, unit, budget, goal or other
    level2_column: bool = False  # the header names a level-2 column (二级指标)
    run_together: bool = False  # cells with no separator between them
    width: int = 0  # the header's cells, project columns included (a document's tables keep every cell)


@dataclass(frozen=True)
class Table:
    indicators: tuple[Indicator, ...]
    end: int  # index of the first row after the table
    cut_line: int | None  # where the text stops, when it stops inside the table
    remarks: str | None
    projects: tuple["ProjectRow", ...] = ()  # a table of several projects: where each begins


@dataclass(frozen=True)
class ProjectRow:
    """The leading cells of a row that starts a project in a table of several projects
    (单位名称 | 项目名称 | 预算数 | 年度目标 | 一级指标 | …)."""

    line: int
    unit: str | None
    name: str | None
    budget: str | None
    goal: str | None
    first: int  # index of its first indicator in the table
    amounts: tuple[tuple[str, str], ...] = ()  # (fund source, cell) of columns such as 财政拨款 | 其他资金


class Levels:
    """The level-1 and level-2 categories in force: merged cells leave them blank below."""

    def __init__(self):
        self.level1: str | None = None
        self.level2: str | None = None
        self.seen1: set[str] = set()

    def take(self, cells: list[str], indented: bool = False, short_level2: bool = False) -> int:
        """Consume leading level names and section labels; return how many cells were used.
        `indented`: the row's first cells (its level columns) are blank, so that its first cell
        stands in the name's column. `short_level2`: the table has a level-2 column, so that a
        two-character 数量 right after a level 1 stands in it."""
        used = 0
        level2_named_here = False  # a level 2 among the cells consumed so far
        level1_just_named = False  # the cell before was a level 1 (so that this one stands in the level-2 column)
        is_level1 = False
        while used < len(cells):
            name = cells[used]
            following = cells[used + 1] if used + 1 < len(cells) else None
            loose = following is not None and key(following) in _SPLIT_TAILS
            if key(name) in SECTION_LABELS:
                pass
            elif key(name) in _SPLIT_TAILS and used > 0:
                pass  # 经济效益 / 指标: the tail of the name before
            elif catalogue.level2_named(name, loose) is not None and catalogue.level2_named(name, loose).key == "output-cost":
                # 成本 is a level 2 of 产出 in most forms, and a level 1 in the 2021 framework
                # when its own level-2 names (经济成本指标, …) follow.
                below = (catalogue.level2_named(following) or catalogue.level2_named(following, True)) if following else None
                if below is not None and below.parent == "cost":
                    self.level1, self.level2 = "cost", None
                else:
                    self.level1, self.level2 = "output", "output-cost"
            elif (level := catalogue.level1_named(name, loose)) is not None:
                third = cells[used + 2] if used + 2 < len(cells) else None
                if self.level2 is not None and catalogue.level2_key_parent(self.level2) == level.key \
                        and not key(name).endswith(("指标", "指标值")) \
                        and (following is None or _value_like(following) or third is None or Levels().take([third])):
                    # 服务对象满意度指标 | 满意度 | 90%: below its own level 2, a bare 满意度 followed by
                    # one value (not by a name and a value: 满意度 | 学生满意度 | ≥90%) names the indicator
                    break
                children = [c for c in catalogue.LEVEL2 if c.parent == level.key]
                if used > 0 and self.level1 == level.key and self.level2 is None and len(children) == 1:
                    self.level2 = children[0].key  # 满意度指标 | 满意度指标: the level 1 in the level-2 column
                elif self.level2 is not None and catalogue.level2_key_parent(self.level2) == level.key and used == 0 \
                        and not (following and catalogue.level2_named(following, loose)):
                    is_level1 = True  # the merged level-1 cell's label, printed halfway down its block (or on every row)
                else:
                    self.level1, self.level2 = level.key, None
                    is_level1 = True
            elif (level := catalogue.level2_named(name, loose)) is not None:
                if level2_named_here and level.key == self.level2 and following is not None:
                    break  # 服务对象满意度指标 | 服务对象满意度指标 | ≥90%: the second names the indicator
                # A level 2 fixes its level 1, even when the level-1 cell is missing or stale.
                self.level1, self.level2 = level.parent, level.key
                level2_named_here = True
            elif (level := catalogue.level2_named(name, True)) is not None and self.level1 in (level.parent, None) \
                    and self.level2 != level.key and (len(key(name)) >= 4 or (level1_just_named and short_level2)) \
                    and len(cells) - used >= 3 \
                    and not _value_like(following) and not level2_named_here and not (indented and used == 0) \
                    and (not key(name).endswith("满意度") or used > 0):
                # 效益指标 | 经济效益 | name | value: a level 2 of the level 1 in force (or of none yet),
                # written without its 指标 (a two-character one, 数量, right after its level 1 only),
                # where a name and a value follow it (经济效益 | 增收10万元
                # is an indicator and its value), in the level-2 column: not after another level 2
                # (社会效益指标 | 生态效益 | 改善), nor in the name's column of an indented row.
                # 服务对象满意度 is one only right after its level 1: forms also use it as the
                # indicator's own name.
                self.level1, self.level2 = level.parent, level.key
                level2_named_here = True
            else:
                break
            if self.level1:
                self.seen1.add(self.level1)
            used += 1
            level1_just_named, is_level1 = is_level1, False
        return used


def header_at(rows: list[Row], index: int) -> Header | None:
    """The indicator-table header starting at rows[index], in either layout, or None."""
    row = rows[index]
    cells = row.filled
    if len(cells) >= 3 and is_header_of_indicators(cells):
        return _header(row.number, cells, stream=False, rows=1 + _subheader(rows, index + 1, cells))
    if len(cells) == 1 and " " in cells[0].strip():
        spaced = cells[0].split()
        if len(spaced) >= 3 and is_header_of_indicators(spaced):
            return _header(row.number, spaced, stream=False, rows=1, spaced=True)
    if len(cells) == 1 and " " not in cells[0].strip():
        labels = split_by_labels(cells[0], HEADER_WORDS)
        if labels and len(labels) >= 3 and is_header_of_indicators(labels):
            return replace(_header(row.number, labels, stream=False, rows=1), run_together=True)
    if not 1 <= len(cells) <= 3 or not all(_is_heading(c) for c in cells):
        return None
    run, j = [], index  # a header flattened one cell per line, or wrapped over a few lines
    while j < len(rows):
        if rows[j].blank:
            j += 1
            continue
        if not 1 <= len(rows[j].filled) <= 3 or not all(_is_heading(c) for c in rows[j].filled):
            break
        for cell in rows[j].filled:
            if run and key(cell) in _SPLIT_TAILS and column_named(key(run[-1]) + key(cell)):
                run[-1] = key(run[-1]) + key(cell)  # 一级 / 指标: a header cell wrapped over two lines
            else:
                run.append(cell)
        j += 1
    if len(run) >= 3 and is_header_of_indicators(run):
        body = next((r for r in rows[j:] if not r.blank), None)
        stream = body is None or len(body.filled) == 1
        return _header(row.number, run, stream=stream, rows=j - index)
    return None


def _is_heading(cell: str) -> bool:
    return column_named(cell) is not None or key(cell) in SECTION_LABELS


def _subheader(rows: list[Row], index: int, cells: list[str]) -> int:
    """1 when the row below a header names its value columns again (指标值 → 中期 | 年度, or
    2021年实际实现值 | 预期2022年实现值)."""
    if index < len(rows) and len(rows[index].filled) >= 2:
        below = rows[index].filled
        if all(key(c).endswith("值") and len(key(c)) <= 12 for c in below):
            return 1
    return 0


def _header(line: int, cells: list[str], stream: bool, rows: int, spaced: bool = False) -> Header:
    """The value columns after the name; a header that names the indicator twice holds two
    blocks side by side (中期 | 年度), read as two indicators per row."""
    roles = [column_named(cell) for cell in cells]
    names = [i for i, role in enumerate(roles) if role == NAME]
    # a name column counts when a value column follows it before the next name: a stray 指标
    # (the end of a section label written down the page) does not open a block
    names = [n for k, n in enumerate(names)
             if any(r in (VALUE, LONG_TERM_VALUE) for r in roles[n + 1:(names[k + 1] if k + 1 < len(names) else len(roles))])]
    start = names[0] + 1 if names else 0
    end = len(roles)
    second = None
    if len(names) >= 2:
        end = names[1]
        while end - 1 > names[0] and roles[end - 1] in (LEVEL1, LEVEL2):
            end -= 1
        tail = [(r, c) for r, c in zip(roles[names[1] + 1:], cells[names[1] + 1:]) if r in VALUE_ROLES]
        second = (tuple(r for r, _ in tail), tuple(c for _, c in tail))
    pairs = [(r, c) for r, c in zip(roles[start:end], cells[start:end]) if r in VALUE_ROLES]
    first_level = next((i for i, r in enumerate(roles) if r in (LEVEL1, LEVEL2, NAME)), 0)
    per_project = any(key(c) in PROJECT_COLUMNS for c in cells[:first_level])
    columns = tuple(_project_column_role(c) for c in cells[:first_level]) if per_project else ()
    return Header(line, tuple(r for r, _ in pairs), tuple(c for _, c in pairs), stream, rows, spaced, second,
                  per_project, columns, LEVEL2 in roles, width=len(cells))


# The columns of a table of several projects before its level columns, by what they hold.
_PROJECT_COLUMN_ROLES = {
    "项目名称": "name", "项目": "name", "单位(项目)名称": "name", "项目名称(资金使用单位)": "name", "支出项目类别(资金使用单位)": "name", "单位名称": "unit", "项目单位": "unit", "预算单位": "unit", "实施单位": "unit",
    "预算数": "budget", "预算金额": "budget", "项目总额": "budget", "项目预算数": "budget", "金额": "budget",
    "资金总额": "budget", "总计": "budget",
    "年度目标": "goal", "年度绩效目标": "goal", "项目年度目标": "goal", "绩效目标": "goal",
    # a part of the total by where the money comes from (a fund source of the framework)
    "财政拨款": "amount:appropriation", "财政拨款资金": "amount:appropriation",
    "财政专户拨款": "amount:special-account", "财政专户管理资金": "amount:special-account", "专户资金": "amount:special-account",
    "单位资金": "amount:unit-funds", "其他资金": "amount:other",
}


def _amounts(by_role: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """The parts of a project's total by fund source, from its row's amount columns."""
    return tuple((role.removeprefix("amount:"), cell) for role, cell in by_role.items() if role.startswith("amount:"))


def _project_column_role(cell: str) -> str:
    label = key(cell)
    if label in _PROJECT_COLUMN_ROLES:
        return _PROJECT_COLUMN_ROLES[label]
    label = re.sub(r"\(单位[:：]?(?:万元|元)\)$", "", label)  # 预算数（单位：万元）
    if label.endswith(("预算金额", "预算数", "资金总额")):
        return "budget"  # 当年财政拨款预算金额
    if label.endswith(("绩效目标", "年度目标")):
        return "goal"  # 当年绩效目标
    return "other"


def refine(header: Header, below: list[str]) -> Header:
    """Apply a sub-header (中期指标值 | 年度指标值 under 指标值) to the value columns."""
    roles, labels = list(header.roles), list(header.labels)
    sub = [(column_named(c), c) for c in below]
    if not all(r in (VALUE, LONG_TERM_VALUE) for r, _ in sub):
        return header  # other years' values beside this year's (2021年实际实现值): one target a row
    if VALUE in roles:
        at = roles.index(VALUE)
        roles[at:at + 1] = [r for r, _ in sub]
        labels[at:at + 1] = [c for _, c in sub]
    return Header(header.line, tuple(roles), tuple(labels), header.stream, header.rows, level2_column=header.level2_column)


def _leaves_ruled_table(rows: list[Row], index: int) -> bool:
    """A document's ruled table ends where the document's next section starts: a numbered
    heading printed below it is no row of it (words of its cells printed outside its rules are)."""
    before, row = rows[index - 1], rows[index]
    if not (before.place and row.place and " table " in before.place and " line " in row.place):
        return False
    return bool(_SECTION_HEADING.match(fold(row.filled[0])))


# 2.有关情况说明, 八、其他重要事项说明, （二）…: the document's next section below a table
_SECTION_HEADING = re.compile(r"^\s*(?:[0-9]{1,2}\s*[.、]|[一二三四五六七八九十]{1,3}\s*、|[(（][一二三四五六七八九十0-9]{1,3}[)）])\s*[\u4e00-\u9fff]")


def ends_table(cells: list[str]) -> bool:
    if not cells:
        return False
    first = cells[0]
    return is_closing(first) or field_key(first) in ("项目名称", "预算年度", "单位名称", "部门名称", "专项(项目)名称",
                                                     "转移支付名称", "资金名称") or (
        len(cells) == 1 and _is_title(first)) or any(_AMOUNT_UNIT_LINE.match(key(cell)) for cell in cells[:3])


# 单位：万元 / 金额单位:元 — the line above a form's fields, never a cell of an indicator row.
_AMOUNT_UNIT_LINE = re.compile(r"^(?:金额)?单位[:：](?:万元|元)$")


def _is_title(cell: str) -> bool:
    return bool(DEPARTMENT_TITLE.search(cell) or PROJECT_TITLE.search(cell))


class TableReader:
    def __init__(self, rows: list[Row], reading: Reading, part: str, term: str = "annual"):
        self.rows = rows
        self.reading = reading
        self.part = part
        self.term = term
        self.levels = Levels()
        self.indicators: list[Indicator] = []
        self.projects: list[ProjectRow] = []
        self.right_levels = Levels()  # the level names in force in a second block of columns (年度 beside 中期)
        self._consumed = 0  # cells of the current row read by its first block
        self._doubts: set[str] = set()  # what was guessed in reading the current row (forms.review.REASONS)
        self._short = False  # the current row stops before the columns its header promises

    def read(self, index: int, header: Header) -> Table:
        if header.rows > 1 and not header.stream:
            header = refine(header, self.rows[index + 1].filled)
        for offset in range(header.rows):
            if not self.rows[index + offset].blank:
                self.reading.note(self.rows[index + offset].number, f"indicator table header ({'one cell per line' if header.stream else 'one row'}); columns after the name: {' | '.join(header.labels) or 'none'}")
        if header.roles and all(r in (LONG_TERM_VALUE, UNIT, WEIGHT, NOTE, COMPARATOR) for r in header.roles):
            self.term = "long-term"
        self.header = header
        start = index + header.rows
        return self._stream(start) if header.stream else self._rows(start)

    # -- row layout ------------------------------------------------------------------------
    def _rows(self, index: int) -> Table:
        remarks = None
        last_line = self.rows[index - 1].number
        cut = None
        while index < len(self.rows):
            row = self.rows[index]
            if row.blank:
                index += 1
                continue
            cells = row.filled
            if ends_table(cells) or header_at(self.rows, index) is not None or _leaves_ruled_table(self.rows, index):
                if key(cells[0]) == "其他说明":
                    remarks = " ".join(cells[1:]) or None
                    self.reading.note(row.number, "remarks (其他说明)")
                    index += 1
                break
            index += 1
            last_line = row.number
            raw = row
            if self.header.spaced and len(row.filled) == 1:
                row = Row(row.number, row.text, tuple(_spaced_cells(row.filled[0], self.header.roles, len(self.header.project_columns))))
            elif self.header.run_together and len(row.filled) == 1:
                row = Row(row.number, row.text, tuple(split_indicator_row(row.filled[0], self.header.roles)))
            following = index
            while following < len(self.rows) and self.rows[following].blank:
                following += 1
            below = self.rows[following].filled if following < len(self.rows) else []
            wrapped = self._wrapped_qualitative(raw, following) if self.header.spaced else []
            if wrapped:
                # …指标名称 定性 / 有效提升 / 15: a qualitative target's words and weight on lines of their own
                for line, cell in wrapped:
                    self.reading.note(line, f"wrapped onto its own line, part of the row above: {cell}")
                joined = f"{raw.filled[0]} {' '.join(cell for _, cell in wrapped)}"
                row = Row(row.number, row.text, tuple(_spaced_cells(joined, self.header.roles, len(self.header.project_columns))))
                index = next(k for k, r in enumerate(self.rows) if r.number == wrapped[-1][0]) + 1
            elif self.header.spaced and WEIGHT in self.header.roles and len(below) == 1 and " " not in below[0].strip() \
                    and _weight_number(below[0]) is not None and len(raw.filled) == 1 \
                    and WEIGHT not in _spaced_values(raw.filled[0], self.header.roles)[2]:
                # a weight wrapped onto a line of its own, below a row that has none
                self.reading.note(self.rows[following].number, "the weight of the row above, wrapped onto its own line")
                row = Row(row.number, row.text, tuple(_spaced_cells(f"{raw.filled[0]} {below[0]}", self.header.roles)))
                index = following + 1
            elif following < len(self.rows) and [key(c) for c in below] in (["指标"], ["值"]):
                # 项目完成 / 指标: a level name wrapped onto the next line
                self.reading.note(self.rows[following].number, "the end of the level name above")
                row = Row(row.number, row.text, (*row.cells, self.rows[following].filled[0]))
                index = following + 1
            before = len(self.indicators)
            self._short = False
            self._doubts = set(raw.doubts)
            if self.header.run_together:
                self._doubts.add("header-incomplete")  # the header's labels were split apart by what they say
                if len(raw.filled) == 1:
                    self._doubts.add("column-by-position")  # and so were the row's cells
            cut = self._row(row)
        else:
            if cut is None and last_line != self.header.line and self._cut_short(row, before):
                cut = last_line
            return self._finish(index, cut if cut is not None else self._cut_at_header(last_line), remarks)
        return self._finish(index, None, remarks)

    def _wrapped_qualitative(self, raw: Row, following: int) -> list[tuple[int, str]]:
        """The lines below a spaced row that ends with 定性 and no words after it: its target's
        words, then its weight, each alone on a line (none when the row is whole)."""
        if len(raw.filled) != 1 or comparator_named(raw.filled[0].split()[-1]) != "qualitative":
            return []
        taken: list[tuple[int, str]] = []
        k = following
        while k < len(self.rows) and len(taken) < 2:
            row = self.rows[k]
            if row.blank:
                k += 1
                continue
            cell = row.filled[0].strip() if len(row.filled) == 1 else ""
            if not cell or " " in cell or re.search(r"[:：]", cell) or Levels().take([cell]) or ends_table([cell]) \
                    or header_at(self.rows, k) is not None:
                break  # a footer (审核日期：…), the next row or table: the row above is whole, or cut
            if taken and _weight_number(cell) is None:
                break  # after the words only a weight may follow
            if not taken and _weight_number(cell) is not None:
                break  # no words: a weight alone is the other rule's (below)
            taken.append((row.number, cell))
            k += 1
        return taken

    def _cut_short(self, row: Row, before: int) -> bool:
        """Is the text's last row cut? It stops before the columns its header promises, or its
        line lacks the closing separator every row of its table has. Its indicators are dropped."""
        header_text = next(r.text for r in self.rows if r.number == self.header.line).rstrip()
        unclosed = header_text.endswith("|") and not row.text.rstrip().endswith("|")
        if (self._short or unclosed) and len(self.indicators) > before:
            self._drop_from(before)
            self.reading.note(row.number, "the text stops inside this row: not read")
            return True
        return False

    def _row(self, row: Row) -> int | None:
        """Read one row; return its line when it stops before its value (a possible cut)."""
        if self.header.per_project:
            row = self._project_cells(row)
            if row is None:
                return None
        if self.header.second is not None:
            return self._blocks(row)
        return self._block(row, list(row.cells), self.levels, self.header.roles, self.header.labels, self.term, True)

    def _project_cells(self, row: Row) -> Row | None:
        """Take the leading project cells off a row of a table of several projects; a row
        that holds them starts the next project. A row of project cells alone (the
        department's own row, 820-马踏镇部门 | 8,827,620.53) is kept as unmapped cells."""
        cells = list(row.cells)
        columns = self.header.project_columns
        if self.header.width and len(cells) == self.header.width and not any(Levels().take([c]) for c in cells[:len(columns)] if c.strip()):
            # a row read cell by cell under its header (a document's ruled table): its project
            # cells are the first columns, filled or not
            lead = [c.strip() for c in cells[:len(columns)]]
            if any(lead):
                by_role = {role: cell for role, cell in zip(columns, lead) if role != "other" and cell}
                if by_role.get("name"):
                    self.projects.append(ProjectRow(row.number, by_role.get("unit"), by_role.get("name"), by_role.get("budget"),
                                                    by_role.get("goal"), len(self.indicators), _amounts(by_role)))
                    self.reading.note(row.number, f"a new project in the table: {by_role.get('name')}")
                for role, cell in zip(columns, lead):
                    if cell and (role == "other" or not by_role.get("name")):
                        self.reading.keep(row.number, cell, f"{self.part}, a project column the reader does not map")
            if not any(c.strip() for c in cells[len(columns):]):
                return None
            return Row(row.number, row.text, tuple(cells[len(columns):]))
        positions = [i for i, c in enumerate(cells) if c.strip()]
        start = next((k for k, p in enumerate(positions) if Levels().take([cells[q] for q in positions[k:k + 4]])), None)
        if start is None and any(comparator_named(cells[p]) in ORDERING or comparator_named(cells[p]) == "eq" for p in positions):
            return row  # an indicator below the last, its level cells merged: no project cells
        if start is None:
            for p in positions:
                self.reading.keep(row.number, cells[p], f"{self.part}, a row with no indicator")
            return None
        lead = [cells[p].strip() for p in positions[:start]]
        columns = self.header.project_columns
        printed = [cell.strip() for cell in cells[:positions[start]]]
        if lead and len(lead) != len(columns) and len(printed) == len(columns) and "name" in columns:
            # a table read cell by cell (a document's ruled table): blank cells keep their columns
            pairs = [(role, cell) for role, cell in zip(columns, printed) if cell]
            columns, lead = tuple(role for role, _ in pairs), [cell for _, cell in pairs]
        if lead and len(lead) == len(columns) and "name" in columns:
            # as many cells as the header has project columns: each is what its column holds
            by_role = {role: cell for role, cell in zip(columns, lead) if role != "other"}
            self.projects.append(ProjectRow(row.number, by_role.get("unit"), by_role.get("name"), by_role.get("budget"),
                                            by_role.get("goal"), len(self.indicators), _amounts(by_role)))
            self.reading.note(row.number, f"a new project in the table: {by_role.get('name')}")
            for role, cell in zip(columns, lead):
                if role == "other":
                    self.reading.keep(row.number, cell, f"{self.part}, a project column the reader does not map")
        elif lead:
            number = next((k for k in range(len(lead) - 1, -1, -1) if parse_number(lead[k]) is not None), None)
            if number is None:
                name, unit, budget, goal = lead[0], None, None, " ".join(lead[1:]) or None
            else:
                name = lead[number - 1] if number >= 1 else None
                unit = lead[number - 2] if number >= 2 else None
                budget, goal = lead[number], " ".join(lead[number + 1:]) or None
            self.projects.append(ProjectRow(row.number, unit, name, budget, goal, len(self.indicators)))
            self.reading.note(row.number, f"a new project in the table: {name}")
        return Row(row.number, row.text, tuple(cells[positions[start]:]))

    def _blocks(self, row: Row) -> int | None:
        """A row of two blocks side by side: the left (中期) block, then the right (年度) one."""
        cells = list(row.cells)
        left = self._block(row, cells, self.levels, self.header.roles, self.header.labels, "long-term", False)
        rest = cells[self._consumed:]
        if left is None and any(c.strip() for c in rest):
            roles, labels = self.header.second
            return self._block(row, rest, self.right_levels, roles, labels, "annual", True)
        return left

    def _block(self, row: Row, all_cells: list[str], levels: "Levels", roles, labels, term: str, last: bool) -> int | None:
        """Read the levels, the name and the value columns of one block of a row."""
        self._consumed = len(all_cells)
        positions = [i for i, cell in enumerate(all_cells) if cell.strip()]
        cells = [all_cells[i].strip() for i in positions]
        used = levels.take(cells, indented=bool(positions) and positions[0] > 0 and not self.header.spaced,
                           short_level2=self.header.level2_column)
        for cell in cells[:used]:
            self.reading.note(row.number, f"level name: {cell}")
        if used == len(cells):
            return None
        name_raw = cells[used]
        if PLACEHOLDER.match(key(name_raw)):
            self.reading.note(row.number, f"an unfilled template row, skipped: {name_raw}")
            return None
        first_after = positions[used] + 1
        after = list(all_cells[first_after:])
        while after and not after[0].strip() and not self.header.spaced:  # spaced rows are laid out already
            after.pop(0)
            first_after += 1
        if not any(c.strip() for c in after):
            self._check_level_name(row, name_raw, after, levels, used)
            self.reading.keep(row.number, name_raw, f"{self.part}, a row with no target value")
            return row.number
        if self._check_level_name(row, name_raw, after, levels, used):
            return None  # a whole document's row that names no level it could be: kept raw, the rest read
        values, consumed = self._assign_by_position(row, after, roles, labels, last)
        if not self.header.spaced and not self.header.run_together and _misaligned(after, roles, values):
            self._doubts.add("column-by-position")
        if key(values.get(VALUE) or "x") in NO_TARGET and not values.get(LONG_TERM_VALUE):
            self.reading.keep(row.number, name_raw, f"{self.part}, an indicator stated as not applicable")
            self.reading.keep(row.number, values[VALUE], f"{self.part}, its value")
            return None
        self._short = len(after) < len(roles) - (COMPARATOR in roles and COMPARATOR not in values)
        self._consumed = first_after + consumed
        self._indicator(row.number, row.text, name_raw, values, term, levels)
        return None

    def _check_level_name(self, row: Row, name: str, after: list[str], levels: "Levels | None" = None, used: int = 0) -> bool:
        """Refuse a row whose name cell holds what looks like a misspelt level name; in a whole
        document the row is kept raw with the finding (True: skip it) and the table goes on."""
        if used >= 2:
            return False  # both levels stand before it on its row: the cell is an indicator named …指标
        first = next((c for c in after if c.strip()), None)
        if first is not None and key(first) in NO_TARGET:
            return False  # 不适用生态效益指标 | 无: a level the unit says it has no indicator for
        if key(name).endswith("指标") and (
                first is None or (comparator_named(first) is None and not re.search(r"\d", first))):
            self.reading.doubt(row.number, f"expected a level-1 or level-2 indicator name ({LEVEL_NAMES}), found {shown(name)}",
                               row.text, f"{self.part}, a row whose level could not be read")
            return True
        return False

    def _assign_by_position(self, row: Row, after: list[str], roles, labels, last: bool = True) -> tuple[dict, int]:
        values: dict = {"notes": []}
        i = 0
        for role, label in zip(roles, labels):
            cell = after[i].strip() if i < len(after) else ""
            if role == COMPARATOR:
                following = after[i + 1].strip() if i + 1 < len(after) else ""
                if comparator_named(cell) or (repaired_comparator(cell) and re.match(r"[0-9]", following)):
                    values[COMPARATOR] = cell  # a lone 2 is ≥ only when a number follows it
                    i += 1
                elif key(cell) in QUANTITATIVE:
                    i += 1  # 指标值类型 | 定量: the value is a number, compared as written
                continue
            if role == NOTE:
                if cell:
                    values["notes"].append((key(label), cell))
            else:
                values.setdefault(role, cell)
            i += 1
        if last:
            for cell in after[i:]:
                if cell.strip():
                    self.reading.keep(row.number, cell, f"{self.part}, a cell after the last column")
                    if row.place is None or _value_like(cell):
                        # a text's row, whose blank cells may be lost, or a value beyond the last
                        # column (服务对象 | 受众满意度 | 》90%): the cells may have shifted
                        self._doubts.add("column-by-position")
        return values, i

    # -- stream layout ---------------------------------------------------------------------
    def _stream_tokens(self, index: int) -> tuple[list[tuple[int, str]], int]:
        """The cells of a table written one cell per line, with their lines, and the index of
        the row after them."""
        tokens: list[tuple[int, str]] = []
        end = index
        while end < len(self.rows):
            row = self.rows[end]
            if not row.blank:
                if ends_table(row.filled) or (header_at(self.rows, end) is not None and tokens) or (
                        len(row.filled) > 1 and tokens):
                    break  # a closing line, the next table, or lines of several cells: page text
                tokens.extend((row.number, cell) for cell in row.filled)
            end += 1
        return tokens, end

    def _stream(self, index: int) -> Table:
        tokens, end = self._stream_tokens(index)
        i, cut, side = 0, None, 0
        while i < len(tokens):
            line, text = tokens[i]
            level2_before = self.levels.level2
            used = self.levels.take([t for _, t in tokens[i:i + 3]], short_level2=self.header.level2_column)
            if used:
                for cell_line, cell in tokens[i:i + used]:
                    self.reading.note(cell_line, f"level name: {cell}")
                if self.header.second:
                    side = _block_after([t for _, t in tokens[i:i + used]], level2_before)
                i += used
                continue
            if PLACEHOLDER.match(key(text)):
                self.reading.note(line, f"an unfilled template row, skipped: {text}")
                i += 1
                continue
            if _unknown_category(text) and (i + 1 >= len(tokens) or not _value_like(tokens[i + 1][1])):
                # 过程管理指标, 计划管理指标: a category outside the catalogue; what follows has no level
                self.levels.level1 = self.levels.level2 = None
                self.reading.note(line, f"a category outside the catalogue (its indicators have no level): {text}")
                i += 1
                continue
            self._doubts = set()
            values, lines, i = self._stream_values(tokens, i + 1, text)
            if i >= len(tokens) and comparator_named(values.get(VALUE) or "") not in (None, "qualitative"):
                cut = line  # …覆盖率 | ≧ and the text ends: the value was cut off after its comparator
                break
            if VALUE not in values and LONG_TERM_VALUE not in values and \
                    comparator_named(values.get(COMPARATOR, "")) == "qualitative":
                values[VALUE] = ""  # 定性 with no words after it: the comparator is the target
            if VALUE not in values and LONG_TERM_VALUE not in values:
                if i >= len(tokens):
                    cut = line
                    break
                self._check_level_name(Row(line, text, (text,)), text, [])
                self.reading.fail(line, f"expected a target value (指标值) for {shown(text)}, found {shown(tokens[i][1])}")
            if key(values.get(VALUE) or "x") in NO_TARGET:
                self.reading.keep(line, text, f"{self.part}, an indicator stated as not applicable")
                continue
            # 中期 | 年度 side by side, flattened: which block the indicator stands in (`_block_after`)
            term = ("long-term", "annual")[side] if self.header.second else None
            before = len(self.indicators)
            self._indicator(line, "\t".join(lines), text, values, term)
            if i >= len(tokens) and end >= len(self.rows) and self._unclosed(tokens[-1][0]) \
                    and not _value_like(tokens[-1][1]) and len(key(tokens[-1][1])) <= 3:
                self._drop_from(before)  # its last cell stops where the text does
                cut = line
                self.reading.note(line, "the text stops inside this row: it is not read")
        if cut is None and end >= len(self.rows):
            cut = self._cut_at_header(tokens[-1][0] if tokens else self.header.line)
        return self._finish(end, cut, None)

    def _stream_values(self, tokens: list[tuple[int, str]], i: int, text: str) -> tuple[dict, list[str], int]:
        """The value cells after the name `text` (tokens[i] on), each taken by its header's
        roles in order where it looks like what the role holds: (values by role, the row's
        cells, the index after them)."""
        values: dict = {"notes": []}
        lines = [text]
        for role in self.header.roles:
            if i >= len(tokens):
                break
            cell = tokens[i][1]
            if role == COMPARATOR:
                taken = bool(comparator_named(cell) or repaired_comparator(cell))
            elif role in (VALUE, LONG_TERM_VALUE):
                taken = not self._starts_row(tokens, i) and not (
                    comparator_named(values.get(COMPARATOR, "")) == "qualitative"
                    and self._starts_indicator(tokens, i))
            elif role == UNIT:
                taken = _looks_like_unit(cell)
            elif role == WEIGHT:
                taken = _weight_number(cell) is not None and not self._starts_row(tokens, i)
            else:
                taken = _looks_like_note(cell)  # other notes cannot be told from the next name
            if taken:
                values[role] = cell
                lines.append(cell)
                self.reading.note(tokens[i][0], f"{role} of {text}: {cell}")
                i += 1
        return values, lines, i

    def _drop_from(self, before: int):
        """Drop the indicators read from a row the text stops inside, and say so where each was
        first noted as read."""
        for indicator in self.indicators[before:]:
            self.reading.withdraw(indicator.line, f"indicator: {indicator.name}", "the text stops inside its row")
        del self.indicators[before:]

    def _unclosed(self, line: int) -> bool:
        """In a page whose cells are each followed by a line of pipes alone (`|` between cells,
        `||||` after a row), is the last cell without one? With a last cell of a few characters
        that is no number (解, where 解决旱情… was meant), the text was cut inside it; a whole
        value such as ≥90% is read, closed or not."""
        closers = [bool(row.text.strip()) and not row.text.strip().strip("|") for row in self.rows]
        cells = [k for k, row in enumerate(self.rows) if not row.blank]
        closed = sum(1 for k in cells if k + 1 < len(closers) and closers[k + 1])
        last = next(k for k, row in enumerate(self.rows) if row.number == line)
        return len(cells) >= 6 and closed >= 0.75 * (len(cells) - 1) and (last + 1 >= len(closers) or not closers[last + 1])

    def _starts_indicator(self, tokens: list[tuple[int, str]], i: int) -> bool:
        """Does tokens[i] read as the next indicator's name: followed by what the first column
        after a name holds (a weight, a unit, a comparator)?"""
        if i + 1 >= len(tokens) or not self.header.roles:
            return False
        following, first = tokens[i + 1][1], self.header.roles[0]
        return bool((first == WEIGHT and _weight_number(following) is not None)
                    or (first == UNIT and _looks_like_unit(following) and not _weight_number(following))
                    or (first == COMPARATOR and comparator_named(following)))

    def _starts_row(self, tokens: list[tuple[int, str]], i: int) -> bool:
        """Is tokens[i] a level name, so that the indicator before it has no value?"""
        return bool(Levels().take([t for _, t in tokens[i:i + 2]]))

    # -- both --------------------------------------------------------------------------------
    def _cut_at_header(self, line: int) -> int | None:
        """A table that stops right after its header was cut; one that stops after whole rows
        may be complete, and validation says what it lacks."""
        return None if self.indicators else line

    def _finish(self, end: int, cut: int | None, remarks: str | None) -> Table:
        if not self.indicators and cut is None:
            line = self.rows[min(end, len(self.rows)) - 1].number if self.rows else 1
            self.reading.fail(line, f"{self.part} has no indicators: expected at least one indicator row (三级指标) after the headings")
        return Table(tuple(self.indicators), end, cut, remarks, tuple(self.projects))

    def add_target(self, line: int, source_text: str, name: str, values: dict, levels: "Levels"):
        """One indicator read from cells found elsewhere than in a table (an outline's line):
        its values by role, read by the same rules as a table's row."""
        self._doubts = set()
        self._indicator(line, source_text, name, values, levels=levels)

    def _indicator(self, line: int, source_text: str, name_raw: str, values: dict, term: str | None = None,
                   levels: "Levels | None" = None):
        pairs = _paired_targets(name_raw, values.get(VALUE) or "")
        if pairs:  # 系统平台数量；坐席数量 | 1个；60个: two indicators in one row, each with its value
            self.reading.note(line, f"{len(pairs)} indicators in one row, their names and values paired by ；")
            kept = self._doubts
            for name, value in pairs:
                self._doubts = kept | {"several-in-one-row"}
                self._indicator(line, source_text, name, {**values, VALUE: value}, term, levels)
            self._doubts = kept
            return
        numbered = NUMBERED_NAME.match(name_raw)
        if numbered and numbered.group(2) and re.search(r"[；;，,。]\s*" + str(int(fold(numbered.group(2))) + 1) + r"\s*[、.．]", name_raw):
            numbered = None  # 1、…；2、…: a numbered list of the indicator's parts, not its number
        number = None
        if numbered:  # 指标：… with no number is a label before the name
            number = int(fold(numbered.group(1) or numbered.group(2))) if (numbered.group(1) or numbered.group(2)) else None
            while (again := NUMBERED_NAME.match(name_raw[numbered.end():])) and again.group(1):
                name_raw = name_raw[numbered.end():]  # 指标1：指标1：, the number printed twice
                numbered = again
        name = " ".join((name_raw[numbered.end():] if numbered else name_raw).split())
        self.reading.note(line, f"indicator: {name}")
        for role, value_term in ((VALUE, term or self.term), (LONG_TERM_VALUE, "long-term")):
            if role not in values:
                continue
            cell = values[role]
            if not cell and role == LONG_TERM_VALUE:
                continue
            target = self._target(line, source_text, name, number, values, cell, value_term, levels or self.levels)
            if target is not None:  # None: a doubt noted in a whole document, the row kept raw
                self.indicators.append(target)

    def _target(self, line, source_text, name, number, values, value_text, term, levels: "Levels") -> Indicator | None:
        repairs: list[str] = []
        doubts = set(self._doubts)
        comparator, comparator_text = _comparator_column(values.get(COMPARATOR), repairs, doubts)
        if not value_text and comparator != "qualitative":
            self.reading.doubt(line, f"expected a target value (指标值) for {shown(name)} after {comparator_text or 'its name'}, "
                                     "found an empty cell", source_text, f"{self.part}, a row with no target value")
            return None
        comparator, comparator_text, target_cell = _comparator_in_value(value_text, comparator, comparator_text, repairs, doubts)
        target_cell = _NUMBER_GAP.sub("", target_cell)  # 1-12 月: a gap the text layer keeps, no word break
        unit_text = values.get(UNIT) or None
        weight_text = values.get(WEIGHT) or None
        weight = self._weight(line, name, weight_text, doubts)
        target = _stated_as_written(parse_target(target_cell, unit_text), name, comparator, unit_text, doubts)
        if target.number is None and comparator is None:
            comparator, comparator_text, target = _target_from_sentence(target_cell, unit_text, target, comparator_text,
                                                                        repairs, doubts)
        months = _MONTHS.fullmatch(fold(target_cell).strip()) if comparator in ORDERING and target.number is None else None
        if months:  # ≤12月: within twelve months, a number of months, not the month of December
            target = replace(target, number=Decimal(months.group(1)), unit="月")
        if target.number is not None and not target.unit:
            target, comparator, comparator_text = _hint_from_name(name, target, comparator, comparator_text, repairs)
        if target.number is None and comparator in ORDERING and not is_date(target_cell):
            self.reading.doubt(line, f"expected a number after {comparator_text} for {shown(name)}, found {shown(value_text)}",
                               value_text, f"{self.part}, the target of {name}")
            comparator, comparator_text = "qualitative", None
            target = parse_target(value_text, None)
            doubts.add("target-not-understood")
        for repair in repairs:
            self.reading.note(line, repair)
        level2 = levels.level2 or ONLY_CHILD.get(levels.level1)
        doubts |= self._row_doubts(name, target, target_cell, values, comparator, levels.level1, level2)
        for code in sorted(doubts):
            self.reading.note(line, f"needs review: {code}")
        return Indicator(
            ordinal=len(self.indicators) + 1,
            line=line,
            level1=levels.level1,
            level2=level2,
            name=name,
            number=number,
            comparator=comparator,
            comparator_text=comparator_text,
            target=target,
            weight=weight,
            weight_text=weight_text,
            source_text=source_text,
            term=term,
            notes=tuple(values.get("notes", ())),
            repairs=tuple(repairs),
            doubts=doubted(tuple(doubts)),
            evidence=self._evidence(values),
        )

    def _weight(self, line: int, name: str, weight_text: str | None, doubts: set[str]) -> Decimal | None:
        """The row's weight as a number; a weight cell that is no number is a doubt, noted."""
        if not weight_text:
            return None
        weight = _weight_number(weight_text)
        if weight is None:
            doubts.add("weight-not-a-number")
            self.reading.doubt(line, f"expected a weight (权重, a number) for {shown(name)}, found {shown(weight_text)}",
                               weight_text, f"{self.part}, the weight of {name}")
        return weight

    def _row_doubts(self, name: str, target, target_cell: str, values: dict, comparator: str | None,
                    level1, level2) -> set[str]:
        """The doubts a finished row gives by its cells, its comparator and its levels."""
        doubts = doubts_of_cells(name, target, target_cell, values.get(UNIT))
        header = getattr(self, "header", None)
        if (level1 is None or level2 is None) and header is not None and header.level2_column:
            doubts.add("level-not-stated")  # the table has level columns, and no level stands for this row
        return doubts

    def _evidence(self, values: dict) -> str:
        """How the row was read, in a line: the layout, then each cell with the header label it
        was taken under (名称 for the name)."""
        header = getattr(self, "header", None)
        if header is None:  # add_target: a line of an outline, its cells found by what they say
            return "outline line — " + "; ".join(f"{role}: {values[role]}" for role in VALUE_ROLES if role != NOTE and values.get(role))
        layout = ("one cell per line" if header.stream else "spaced row" if header.spaced
                  else "run-together row" if header.run_together else "row")
        taken = [f"{label}: {values[role]}" for role, label in zip(header.roles, header.labels)
                 if role not in (NOTE,) and values.get(role)]
        return f"{layout} — " + "; ".join(taken) if taken else layout


# a space between a number and the Chinese word after it in a target (1-12 月, 24 小时)
_NUMBER_GAP = re.compile(r"(?<=[0-9%])\s+(?=[\u4e00-\u9fff])")


_FREQUENCY = re.compile(r"频次|频率|频度")
_PER_PERIOD = re.compile(r"每(?:个)?(?:季度|月|年|半年|周|日|天|学期|工作日)")


def _stated_as_written(target, name: str, comparator: str | None, unit_text: str | None, doubts: set[str]):
    """The target as the form states it. Under 定性 the value cell is the target's text as
    written, number or not (定性 | 100%, 定性 | 1000户), its unit the unit column's; a number over
    定性 is a doubt all the same. A number with no comparator after 每季度, 每月… where the
    indicator measures a frequency (抽查频次 | 每季度1次) is written as a whole; where it measures
    a count (服务人次 | 每天 3000人次), the period qualifies the number. A word after the number that the indicator's name ends with
    (人员经费成本 | 11639.05成本) restates what is measured: no unit."""
    if comparator == "qualitative" and target.number is not None:
        doubts.add("cell-fits-column-badly")
        unit = fold(unit_text).replace(" ", "") if unit_text and unit_text.strip() else None
        return Target(target.text, None, unit, None, unit_text)
    if comparator is None and target.number is not None and _PER_PERIOD.fullmatch(key(target.qualifier or "")) \
            and _FREQUENCY.search(name):
        return Target(target.text, None, target.unit_text and fold(target.unit_text).replace(" ", "") or None, None,
                      target.unit_text)  # 每季度1次: a frequency, as written
    word = target.unit
    if target.number is not None and word and not (unit_text and unit_text.strip()) and not _known_unit(word) \
            and len(word) >= 2 and key(name).endswith(key(word)):
        return replace(target, unit=None, qualifier=" ".join(part for part in (target.qualifier, word) if part))
    return target


def _comparator_column(cell: str | None, repairs: list[str], doubts: set[str]) -> tuple[str | None, str | None]:
    """The comparator a comparator column gives (an OCR misreading taken as ≥, a repair), and
    its text as written."""
    if not cell:
        return None, None
    comparator = comparator_named(cell)
    if comparator is None:
        comparator = repaired_comparator(cell)
        repairs.append(f"read {cell!r} in the comparator column as ≥ (OCR)")
        doubts.add("repaired")
    return comparator, cell


def _comparator_in_value(value_text: str, comparator: str | None, comparator_text: str | None,
                         repairs: list[str], doubts: set[str]) -> tuple[str | None, str | None, str]:
    """(comparator, its text, the target's cell without it) where the value cell begins with a
    comparator (≥90%, OCR's $90%) or ends with one (±3%以内) and the row has none yet."""
    target_cell = value_text
    leading, remainder = split_leading_comparator(value_text)
    if leading is None:
        leading, remainder = split_ocr_comparator(value_text)
        if leading is not None:
            repairs.append(f"read {value_text.strip()[0]!r} before the value as ≥ (OCR)")
            doubts.add("repaired")
    if leading is None and comparator is None:
        trailing, rest = split_trailing_comparator(value_text)
        if trailing is not None:
            comparator, comparator_text, target_cell = trailing, value_text.strip(), rest
    if leading is not None and (comparator is None or comparator == leading):
        comparator = leading
        comparator_text = comparator_text or value_text.strip()[: len(value_text.strip()) - len(remainder)]
        target_cell = remainder
    return comparator, comparator_text, target_cell


def _target_from_sentence(target_cell: str, unit_text: str | None, target, comparator_text: str | None,
                          repairs: list[str], doubts: set[str]):
    """(comparator, its words, target) from a target written as a sentence (应急抢险及时率为100%),
    a repair; the target as it was where the sentence holds no number and known unit."""
    stated, value, words = split_sentence(target_cell)
    sentence = parse_target(value, unit_text) if stated else None
    if sentence is not None and sentence.number is not None and (not sentence.unit or _known_unit(sentence.unit)):
        repairs.append(f"read the comparator and value from the sentence {target_cell!r}")
        doubts.add("repaired")
        return stated, words, replace(sentence, text=target_cell)
    return None, comparator_text, target


def _hint_from_name(name: str, target, comparator: str | None, comparator_text: str | None, repairs: list[str]):
    """(target, comparator, its text) with the unit and comparator a name's template hint gives
    (成活率(≥**%)) where the value cell states none."""
    hint = UNIT_IN_NAME.search(name)
    if hint and hint["unit"] and not _known_unit(hint["unit"]):
        hint = None
    if hint and hint["unit"]:
        target = replace(target, unit=fold(hint["unit"]))
        repairs.append(f"took the unit {hint['unit']} from the indicator's name")
    if hint and comparator is None and hint["comparator"]:
        comparator = comparator_named(hint["comparator"])
        comparator_text = hint["comparator"]
        repairs.append(f"took the comparator {hint['comparator']} from the indicator's name")
    return target, comparator, comparator_text


def _misaligned(after: list[str], roles, values: dict) -> bool:
    """Does a row hold fewer cells than its header has value columns (blank cells lost, so the
    rest were placed by their order), a comparator aside?"""
    wanted = [r for r in roles if r not in (COMPARATOR, NOTE)]
    return len([c for c in after if c.strip()]) < len(wanted) and len(after) < len(roles) - (COMPARATOR in roles and COMPARATOR not in values)


def doubts_of_cells(name: str, target, target_cell: str, unit_cell: str | None) -> set[str]:
    """Reasons to doubt a row read from its cells' words: a name that looks like a value, a
    number in a target that did not read as one (not a date), a unit split off the value by
    rule where it is no unit the reader knows."""
    doubts = set()
    words = name.split()
    if not re.search(r"[\u4e00-\u9fff]", name) or parse_number(key(name).rstrip("%")) is not None \
            or comparator_named(name) or key(name) in QUANTITATIVE \
            or (len(words) > 1 and _looks_like_note(words[-1])) or len(key(name)) <= 1 \
            or (key(name) not in _LEVEL_LABELS and any(label in key(name) for label in _LEVEL_LABELS)) \
            or key(target_cell) in _LEVEL_LABELS or key(target_cell) in _SPLIT_TAILS \
            or (len(key(name)) <= 4 and any(key(name) in label for label in _LEVEL_LABELS) and not _value_like(target_cell)):
        # a name that is a number, a lone character, a piece of a level's name (效益), holds a level's
        # name (产出指标数量指标古树…) or a note column's word (正向); a target that is a level's
        # name or the end of one (指标)
        doubts.add("cell-fits-column-badly")
    if target.number is None and re.search(r"[0-9]", fold(target_cell)) and not is_date(target_cell) \
            and not _PERIOD.fullmatch(fold(target_cell).strip()):
        doubts.add("target-not-understood")
    stated = key(unit_cell) if unit_cell else ""
    if stated and target.number is not None and target.qualifier and _known_unit(key(target.qualifier)) \
            and key(target.qualifier) != stated:
        doubts.add("cell-fits-column-badly")  # the value writes a unit of its own, not the unit column's (28.8万元 | %)
    if len(stated) > 8 and not _known_unit(stated):
        doubts.add("cell-fits-column-badly")  # a sentence in the unit column (该指标主要考察…)
    unit = target.unit or ""
    split = target.number is not None and not (unit_cell and unit_cell.strip())
    if split and unit and not _known_unit(unit) and not (re.fullmatch(r"[\u4e00-\u9fff]{1,3}", unit) and not _LEVEL_WORD.search(unit)):
        doubts.add("unit-split-by-rule")  # no unit the reader knows
    if split and target.qualifier:
        doubts.add("unit-split-by-rule")  # words left beside the number and its unit (每季度1次, ≥1场次)
    return doubts


_LEVEL_LABELS = frozenset(level.label for level in (*catalogue.LEVEL1, *catalogue.LEVEL2))

# what a 指标值类型 column writes where the target is a number: no comparator, the value as written
QUANTITATIVE = frozenset({"定量", "定量指标"})

# 2021年1月-12月, 2023.07-2024.01: a period, qualitative as written
_PERIOD = re.compile(r"[0-9年月日.\-—~～至/ ]+(?:底|前|底前|以前)?")



_TARGET_SEPARATOR = re.compile(r"\s*[；;]\s*")


def _paired_targets(name: str, value: str) -> list[tuple[str, str]]:
    """The names and values of a row that holds as many indicators as its name cell has parts
    separated by ；, each value in the same place in the value cell."""
    names = [part for part in _TARGET_SEPARATOR.split(name.strip().rstrip("；;")) if part]
    targets = [part for part in _TARGET_SEPARATOR.split(value.strip().rstrip("；;")) if part]
    if len(names) < 2 or len(names) != len(targets) or any(len(part) > 40 for part in names):
        return []
    if any(not _measured(part) for part in targets):
        return []  # 50人次；一次；12期: a part in words, so the row is one target written as a list
    return list(zip(names, targets))


def _measured(value: str) -> bool:
    """A value that is a number (with its comparator and unit), a date or a period (全年)."""
    text = fold(value).strip().lstrip("≥≤><=≧≦")
    return parse_target(text).number is not None or is_date(text) or bool(_PERIOD.fullmatch(text)) \
        or text in _WHOLE_PERIODS


_WHOLE_PERIODS = frozenset({"全年", "全年度", "常年", "长期", "当年", "年内"})


_MONTHS = re.compile(r"([0-9]{1,2})\s*个?\s*月")


def _known_unit(text: str) -> bool:
    """A unit of measure, or a compound of them (元/平方米/月, 万元/年, 万平方米)."""
    return all(unit_labelled(part) or unit_labelled(part.removeprefix("万")) or (1 <= len(part) <= 2 and not _LEVEL_WORD.search(part))
               for part in text.split("/"))


_LEVEL_WORD = re.compile(r"指标|成本|效益|[试暂]行|[含注]")


def _block_after(names: list[str], before: str | None) -> int:
    """Two blocks side by side (中期 | 年度), flattened one cell per line, each block repeating its
    level names before its indicator: 0 (left) or 1 (right) for the indicator after these level
    names, `before` being the level 2 in force until them. A level 1 opens a row on the left; a
    level 2 named twice means the left block is empty and the indicator is the right one; a level
    2 alone is the right block's when it repeats the level 2 before it, else a new row's left."""
    level2 = [catalogue.level2_named(n) for n in names if catalogue.level2_named(n) is not None]
    if len(level2) >= 2 and len({level.key for level in level2}) == 1:
        return 1
    if any(catalogue.level1_named(n) is not None and catalogue.level2_named(n) is None for n in names):
        return 0
    return 1 if level2 and level2[-1].key == before else 0


def _spaced_cells(text: str, roles: tuple[str, ...], project_columns: int = 0) -> list[str]:
    """A row of a table written with single spaces: leading level names, then the name (which
    may hold spaces itself), then the value columns taken from the right by what they are,
    and laid out again in the header's order (blank where the row has nothing). In a table of
    several projects, a row that starts a project first gives one word to each project column."""
    words = text.split()
    lead: list[str] = []
    if project_columns and not Levels().take(words) and len(words) > project_columns \
            and Levels().take(words[project_columns:]):
        lead, text = words[:project_columns], " ".join(words[project_columns:])
    levels, rest, found = _spaced_values(text, roles)
    tail = [found.get(role, "") for role in roles if role != COMPARATOR or role in found]
    return lead + levels + ([" ".join(rest)] if rest else []) + tail


def _spaced_values(text: str, roles: tuple[str, ...]) -> tuple[list[str], list[str], dict[str, str]]:
    """(level names, the words of the name, the value columns found by role) of a spaced row."""
    words = text.split()
    leading = Levels().take(words)
    rest = words[leading:]
    found: dict[str, str] = {}
    last_value = max((i for i, r in enumerate(roles) if r in (VALUE, LONG_TERM_VALUE)), default=len(roles))
    # remarks after the value are mostly blank, and cannot be told from the value when not
    wanted = [r for k, r in enumerate(roles) if not (r == NOTE and k > last_value)]
    for role in reversed(wanted):
        while len(rest) > 2 and NOTE in wanted and NOTE not in found and _looks_like_note(rest[-1]):
            found[NOTE] = rest.pop()  # 正向 / 反向, wherever its column stands
        if len(rest) < 2 or role in found:
            continue
        last = rest[-1]
        if role in (VALUE, LONG_TERM_VALUE) \
                or (role == WEIGHT and _weight_number(last) is not None and len(rest) > 2) \
                or (role == UNIT and _looks_like_unit(last) and len(rest) > 2 and comparator_named(rest[-2]) != "qualitative") \
                or (role == COMPARATOR and (comparator_named(last) or repaired_comparator(last))) \
                or (role == NOTE and (_looks_like_note(last) or "标准" in last or re.search(r"[0-9]", last))):
            found[role] = rest.pop()
    while len(rest) > 1 and NOTE in wanted and NOTE not in found and _looks_like_note(rest[-1]):
        found[NOTE] = rest.pop()
    return words[:leading], rest, found


_NOTES = re.compile(r"^(?:计划|历史|行业|其他|国家|地方)标准$|^(?:正向|反向|中性)(?:指标)?$|^[/／\-—]$")


def _looks_like_note(cell: str) -> bool:
    """A cell of a note column that no indicator name resembles: 计划标准, 正向指标, /."""
    return bool(_NOTES.match(key(cell)))


def _unknown_category(cell: str) -> bool:
    text = key(cell)
    return text.endswith("指标") and 4 <= len(text) <= 8 and not re.search(r"[0-9%]", text)


def _value_like(cell: str) -> bool:
    text = key(cell)
    return bool(re.search(r"[0-9]", text) or comparator_named(text) or split_leading_comparator(text)[0])


def _weight_number(text: str) -> Decimal | None:
    folded = fold(text).replace(" ", "")
    return parse_number(folded.removesuffix("分").removesuffix("%"))


def _looks_like_unit(cell: str) -> bool:
    text = key(cell)
    if re.search(r"[0-9]", text) or comparator_named(text) is not None:
        return False
    return bool(unit_labelled(text)) or (0 < len(text) <= 3 and catalogue.level1_named(text) is None) or (
        "/" in text and len(text) <= 7)  # 万元/人, 元/月/人

