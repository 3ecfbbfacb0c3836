"""The department-wide form (部门（单位）整体支出绩效目标表): its fields, its funds table or
amounts, its overall goals (目标1, 目标2, …), its annual-duty table (年度履职目标) and its
indicator table. `DepartmentFormReading` is that part of the form reader (`parser._Reader`)."""

import re
from dataclasses import dataclass, field, replace

from .errors import shown
from .fields import AMOUNT_UNITS, first_field, is_department_title, is_title, title_of
from .grid import Row, field_key
from .indicator_table import SECTION_LABELS, TableReader, header_at
from .labels import DEPARTMENT_FIELDS, PROJECT_FIELDS, field_named, is_closing
from .records import DepartmentForm, FundAmount, Goal, Task
from .text import fold, key
from .values import parse_number

GOAL_MARKER = re.compile(r"目标\s*([0-9０-９]+)\s*[:：]")

TASK_LABELS = {"年度履职目标", "年度主要任务", "年度重点工作任务"}

STACKED_LABELS = {"年度总体目标", "总体目标", "年度绩效目标", "年度履职目标", "年度主要任务", "年度预算安排(万元)",
                  "年度预算安排", "绩效指标", "年度绩效指标"} | TASK_LABELS

GOALS_LABELS = {"部门整体绩效情况", "年度绩效总目标", "部门整体绩效总目标", "整体绩效目标", "年度总体目标", "总体绩效目标", "部门整体绩效目标", "年度绩效目标"}

FUND_HEADINGS = {
    "财政拨款": "appropriation",
    "专户资金": "special-account",
    "单位资金": "unit-funds",
    "其他资金": "other",
}

SLOT_NAMES = {"total": "预算支出总额", "basic": "基本支出", "project": "项目支出"}

_PART = "the department table"


@dataclass
class _DepartmentParts:
    """What a department form has given so far, above its indicator table."""

    title: Row
    tokens: list = field(default_factory=list)  # field cells with their lines, not read yet
    funds: tuple = ()  # from the funds table
    field_funds: tuple = ()  # amounts given as fields (资金总额 171.41) rather than a table
    fields_taken: bool = False
    goals_text: str = ""
    goals: tuple = ()
    tasks: list = field(default_factory=list)
    indicators: tuple = ()
    remarks: str | None = None



class DepartmentFormReading:
    """Reads a department-wide form from its title row (a mixin of the reader)."""

    def department_form(self, index: int) -> tuple[DepartmentForm, int]:
        title = self.rows[index]
        self.reading.note(title.number, f"department-wide form title: {title_of(title)}")
        self._year_hint(title)
        parts = _DepartmentParts(title)
        index += 1
        while index < len(self.rows):
            row = self.rows[index]
            if row.blank:
                index += 1
                continue
            header = header_at(self.rows, index)
            if header is not None:
                table = TableReader(self.rows, self.reading, _PART).read(index, header)
                self._check_cut(table.cut_line, _PART)
                parts.indicators, parts.remarks, index = table.indicators, table.remarks, table.end
                break
            index = self._department_row(parts, index)
        else:
            self._check_cut(self.rows[-1].number if not parts.indicators else None, _PART, before_table=True)
        if not parts.fields_taken:
            parts.field_funds = self._take_department_fields(parts.tokens, parts.title, before="the indicators")
        # the funds table wins; an amount given as a field fills a slot the table leaves empty
        taken = {(fund.spending, fund.source) for fund in parts.funds}
        funds = parts.funds + tuple(fund for fund in parts.field_funds if (fund.spending, fund.source) not in taken)
        form = DepartmentForm(
            line=parts.title.number,
            title=title_of(parts.title),
            funds=funds,
            goals=parts.goals,
            goals_text=parts.goals_text,
            indicators=parts.indicators,
            remarks=parts.remarks,
            tasks=tuple(parts.tasks),
        )
        return form, index

    def _department_row(self, parts: "_DepartmentParts", index: int) -> int:
        """Read the department form's row at `index` above its indicator table (a second
        title, a year line, a stacked label, the funds table, the goals, or field cells) into
        `parts`; the index of the row after what was read."""
        row = self.rows[index]
        if is_department_title(row) and not (parts.funds or parts.goals or any(
                field_named(cell, DEPARTMENT_FIELDS) for _, cell in parts.tokens)):
            for line, cell in [(parts.title.number, title_of(parts.title)), *parts.tokens]:
                self.reading.keep(line, cell, "before the form's own title")
            parts.tokens = []
            parts.title = row  # the page named the form first; the form's own title follows
            self.reading.note(row.number, f"department-wide form title: {title_of(row)}")
            return index + 1
        if is_title(row) or first_field(row, PROJECT_FIELDS) == "name":
            self.fail(row.number, f"{_PART} ends too early: expected its indicators (年度绩效指标), found the next table")
        if self._year_line(row):
            return index + 1
        stacked = self._stacked(index)
        if stacked is not None:
            label, after = stacked
            self.reading.note(row.number, f"label written down the page: {label}")
            if label in GOALS_LABELS:
                self._fields_before(parts, "the overall goals")
                parts.goals_text, parts.goals, after = self.department_goals(after, labelled=True)
            elif label in TASK_LABELS:
                parts.tasks, after = self.department_tasks(after)
            return after
        keys = set(row.keys)
        if {"总体资金情况", "预算支出总额"} & keys or ("基本支出" in keys and "项目支出" in keys):
            parts.field_funds = self._take_department_fields(parts.tokens, parts.title, before="the funds table (总体资金情况)")
            parts.fields_taken = True
            parts.funds, index = self.department_funds(index)
            return index
        if GOALS_LABELS & keys:
            self._fields_before(parts, "the overall goals")
            parts.goals_text, parts.goals, index = self.department_goals(index)
            return index
        parts.tokens.extend((row.number, cell) for cell in row.filled)
        return index + 1

    def _fields_before(self, parts: "_DepartmentParts", before: str):
        """Read the field cells met so far, once, before the part of the form named `before`."""
        if not parts.fields_taken:
            parts.field_funds = self._take_department_fields(parts.tokens, parts.title, before=before)
            parts.fields_taken = True

    def _take_department_fields(self, tokens, title: Row, before: str) -> tuple[FundAmount, ...]:
        """The department form's fields by label; amounts given as fields (资金总额 171.41,
        基本支出 110.61) rather than as a funds table are returned as its funds."""
        fields = self._walk(tokens, DEPARTMENT_FIELDS, "department form fields")
        if fields.get("year"):
            self.found["year"] = (fields["year"][0][1], fields["year"][0][0])
        if fields.get("department"):
            self.found["department"] = (fields["department"][0][1], fields["department"][0][0])
        self._take_declaration_fields({"amount_unit": fields.get("amount_unit")})
        factor = AMOUNT_UNITS[self.amount_unit]
        funds = []
        for spending in ("total", "basic", "project"):
            amount = self._amount(fields, spending, factor, SLOT_NAMES[spending])
            if amount is not None:
                funds.append(replace(amount, spending=spending, source="all"))
        return tuple(funds)

    def _year_line(self, row: Row) -> bool:
        """(2019年度) on a line of its own: the budget year."""
        if len(row.filled) == 1 and re.fullmatch(r"[(（]?\s*(20[0-9]{2})\s*年度?\s*[)）]?", fold(row.filled[0])):
            self._year_hint(row)
            self.reading.note(row.number, f"budget year: {row.filled[0]}")
            return True
        return False

    def _stacked(self, index: int) -> tuple[str, int] | None:
        """A label written down the page a few characters a line (年度 / 总体 / 目标), as a
        merged cell comes out of a spreadsheet: the label and the index after it."""
        pieces, j, best = "", index, None
        while j < len(self.rows) and len(pieces) <= 12:
            row = self.rows[j]
            if row.blank:
                j += 1
                continue
            if len(row.filled) != 1 or len(key(row.filled[0])) > 6:
                break
            pieces += key(row.filled[0])
            j += 1
            if pieces in STACKED_LABELS and j - index >= 2:
                best = (pieces, j)
        if best is not None:
            for row in self.rows[index:best[1]]:
                if not row.blank:
                    self.reading.note(row.number, f"part of the label {best[0]}, written down the page")
        return best

    def department_tasks(self, index: int) -> tuple[list[Task], int]:
        """The 年度履职目标 table: 部门职能 | 年度目标任务 | 支出项目名称 | 预算金额, a task a row."""
        tasks: list[Task] = []
        factor = AMOUNT_UNITS[self.amount_unit]
        while index < len(self.rows) and self.rows[index].blank:
            index += 1
        if index < len(self.rows) and "部门职能" in [key(w) for w in self.rows[index].text.split()] + self.rows[index].keys:
            self.reading.note(self.rows[index].number, "annual duty table header (部门职能 | 年度目标任务 | 支出项目名称 | 预算金额)")
            index += 1
        while index < len(self.rows):
            row = self.rows[index]
            if row.blank:
                break
            cells = row.filled if len(row.filled) > 1 else row.filled[0].split()
            if len(cells) < 3 or parse_number(cells[-1]) is None or header_at(self.rows, index) is not None:
                break
            function, task, project = (cells[:-1] + ["", ""])[:3] if len(cells) >= 4 else (cells[0], cells[1], "")
            tasks.append(Task(row.number, function, task, project or None, parse_number(cells[-1]) * factor, cells[-1]))
            self.reading.note(row.number, f"annual duty: {task}")
            index += 1
        return tasks, index

    def department_funds(self, index: int) -> tuple[tuple[FundAmount, ...], int]:
        factor = AMOUNT_UNITS[self.amount_unit]
        row = self.rows[index]
        self.reading.note(row.number, "funds table (总体资金情况)")
        groups = ["basic", "project"]

        def next_filled(i: int, expected: str) -> int:
            while i < len(self.rows) and self.rows[i].blank:
                i += 1
            if i >= len(self.rows):
                self.fail(self.rows[-1].number, f"the funds table ends too early: expected {expected}, found the end of the file")
            return i

        if "预算支出总额" in row.keys and any(k in FUND_HEADINGS for k in row.keys):
            below = next_filled(index + 1, "the parts of each source (合计, 基本支出, 项目支出)")
            if set(self.rows[below].keys) <= {"合计", "基本支出", "项目支出"}:
                return self._funds_by_source(row, self.rows[below], next_filled(below + 1, "a row of amounts under the fund headings"))
        if "预算支出总额" not in row.keys:
            group_order = [k for k in row.keys if k in ("基本支出", "项目支出")]
            if group_order == ["项目支出", "基本支出"]:
                groups.reverse()
            index = next_filled(index + 1, "the fund headings (预算支出总额, 合计, 财政拨款, …)")
        headings = self.rows[index]
        index = next_filled(index + 1, "a row of amounts under the fund headings")
        values = self.rows[index]
        funds = []
        group = -1
        labels = set()  # columns of the row label (总体资金情况), which a merged cell may repeat below
        for column, cell in enumerate(headings.cells):
            heading = field_key(cell)
            if not heading:
                continue
            if heading.startswith("总体资金情况"):
                labels.add(column)
                continue
            if heading == "预算支出总额":
                slot = ("total", "all")
            elif heading in SLOT_NAMES.values() and group < 0:  # one header row: 预算支出总额 | 基本支出 | 项目支出
                slot = (next(k for k, v in SLOT_NAMES.items() if v == heading), "all")
            elif heading == "合计":
                group += 1
                if group >= len(groups):
                    self.fail(headings.number, "expected two 合计 headings (基本支出, 项目支出), found a third")
                slot = (groups[group], "all")
            elif heading in FUND_HEADINGS and group >= 0:
                slot = (groups[group], FUND_HEADINGS[heading])
            else:
                self.fail(headings.number, f"expected a fund heading (预算支出总额, 合计, 财政拨款, 专户资金, 单位资金), found {shown(cell)}")
            text = values.cells[column].strip() if column < len(values.cells) else ""
            if text:
                amount = parse_number(text)
                if amount is None:
                    self.fail(values.number, f"expected an amount (a number) under {heading}, found {shown(text)}")
                funds.append(FundAmount(slot[0], slot[1], amount * factor, text, values.number,
                                        evidence=f"funds table — {heading}: {text}"))
                self.reading.note(values.number, f"amount {SLOT_NAMES[slot[0]]}·{heading}: {text}")
        for column, cell in enumerate(values.cells):
            if column in labels:
                if cell.strip() and field_key(cell) != field_key(headings.cells[column]):
                    self.fail(values.number, f"expected the amounts under the fund headings, found {shown(cell)} "
                                             f"under {shown(headings.cells[column])}")
                continue  # the label's merged cell, repeated on the row of amounts
            if cell.strip() and (column >= len(headings.cells) or not headings.cells[column].strip()):
                self.fail(values.number, f"expected each amount under a fund heading, found {shown(cell)} in column {column + 1} with no heading")
        if not funds:
            self.fail(values.number, f"expected the amounts of the funds table, found {shown(values.text)}")
        self.reading.note(headings.number, "fund headings")
        return tuple(funds), index + 1

    def _funds_by_source(self, sources: Row, parts: Row, index: int) -> tuple[tuple[FundAmount, ...], int]:
        """A funds table headed by its sources over two rows (预算支出总额 | 财政拨款 | 其他资金 above
        合计 | 基本支出 | 项目支出 under each source), its amounts on the row below."""
        factor = AMOUNT_UNITS[self.amount_unit]
        values = self.rows[index]
        spending = {"合计": "total", "基本支出": "basic", "项目支出": "project"}
        funds, source, source_label = [], None, ""
        for column, cell in enumerate(values.cells):
            top = field_key(sources.cells[column]) if column < len(sources.cells) else ""
            part = field_key(parts.cells[column]) if column < len(parts.cells) else ""
            if top:
                source = "all" if top == "预算支出总额" else FUND_HEADINGS.get(top)
                source_label = top
            text = cell.strip()
            if not text:
                continue
            if top == "预算支出总额":
                slot = ("total", "all")
            elif source is not None and source != "all" and part in spending:
                slot = (spending[part], source)
            else:
                self.fail(values.number, f"expected each amount under a source and its part (财政拨款 › 合计, …), "
                                         f"found {shown(text)} in column {column + 1}")
            amount = parse_number(text)
            if amount is None:
                self.fail(values.number, f"expected an amount (a number) under {part or top}, found {shown(text)}")
            funds.append(FundAmount(slot[0], slot[1], amount * factor, text, values.number,
                                    evidence=f"funds table by source — {source_label} › {part}: {text}"))
            self.reading.note(values.number, f"amount {SLOT_NAMES[slot[0]]}·{slot[1]}: {text}")
        if not funds:
            self.fail(values.number, f"expected the amounts of the funds table, found {shown(values.text)}")
        self.reading.note(sources.number, "fund headings, by source over two rows")
        return tuple(funds), index + 1

    def department_goals(self, index: int, labelled: bool = False) -> tuple[str, tuple[Goal, ...], int]:
        pieces = []  # (line, raw text) of the goal cells, over one or more rows
        first = not labelled
        while index < len(self.rows):
            row = self.rows[index]
            if row.blank:
                index += 1
                continue
            if not first and (header_at(self.rows, index) is not None or set(row.keys) & SECTION_LABELS
                              or set(row.keys) & {"总体资金情况", "预算支出总额"} or is_title(row)
                              or is_closing(row.filled[0]) or self._stacked(index) is not None):
                break
            first = False
            texts = [c for c in row.filled if field_key(c) not in GOALS_LABELS]
            pieces.extend((row.number, text) for text in texts)
            self.reading.note(row.number, "overall goals (整体绩效目标)")
            index += 1
        goals: list[Goal] = []
        for line, text in pieces:
            markers = list(GOAL_MARKER.finditer(text))
            lead = text[: markers[0].start()].strip() if markers else text.strip()
            if lead:
                if goals:  # a continuation of the goal before
                    last = goals[-1]
                    goals[-1] = Goal(last.number, f"{last.text} {lead}", last.line)
                else:
                    goals.append(Goal(1, lead, line))
            for i, marker in enumerate(markers):
                end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
                goals.append(Goal(int(fold(marker.group(1))), text[marker.end():end].strip(), line))
        return "\n".join(text for _, text in pieces), tuple(goals), index

    # -- project form ------------------------------------------------------------------

