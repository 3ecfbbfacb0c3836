"""Read a declaration as published into records, whatever the provincial template.

A file holds one unit's forms for one year: a department-wide form (部门（单位）整体支出绩效目标
表), project forms (项目支出绩效目标表/申报表/审批表), or both, in any order, often after a page
title and metadata. The reader works on a grid of cells with line numbers (`grid`), finds each
form by its title or its first field label, reads fields by their labels (`labels`), and reads
indicator tables by their header (`indicator_table`). Every cell is mapped, or kept as an
unmapped cell with its line: nothing is silently dropped.
"""

import hashlib
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

from .comparators import comparator_named
from .errors import FormError, shown
from .documents import document_rows, is_document
from .grid import Row, field_key, rows_of
from .indicator_table import SECTION_LABELS, TableReader, header_at
from .labels import DEPARTMENT_FIELDS, DEPARTMENT_TITLE, PROJECT_FIELDS, PROJECT_TITLE, field_named, is_closing
from .reading import Reading
from .run_together import split_fields
from .records import (
    Declaration,
    DepartmentForm,
    FundAmount,
    Goal,
    GoalReference,
    ProjectForm,
    SourceFile,
    Task,
)
from .text import fold, key
from .values import parse_number

GOAL_MARKER = re.compile(r"目标\s*([0-9０-９]+)\s*[:：]")
PERSON_AND_PHONE = re.compile(r"^(?P<name>.*?)\s*(?P<phone>\+?[0-9][0-9\- ()]{5,})$")
YEAR = re.compile(r"(?<![0-9])(20[0-9]{2})\s*年")
CHINESE_NUMERAL = re.compile(r"^[零一二三四五六七八九十百千万亿点两〇]+(万元|元|万)?$")
BRACKETED = re.compile(r"[(（][^)）]*[)）]")
ANY_AMOUNT = re.compile(r"(?P<num>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)\s*(?P<unit>万元|万|元)?")
LEADING_AMOUNT = re.compile(r"^\s*(?P<num>[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)\s*(?P<unit>万元|万|元)?")

EXPECTED_START = "a form title (…绩效目标表) or its first field (项目名称, 预算年度, …)"
_KEYS = {id(labels): frozenset(labels) for labels in (PROJECT_FIELDS, DEPARTMENT_FIELDS)}
MAPPED_PROJECT_FIELDS = {"name", "responsible", "phone", "supervising_unit", "implementing_unit", "department", "year",
                         "amount_unit", "all", "appropriation", "other", "goal", "long_goal"}
FIELD_LABELS = {"attribute": "项目属性", "period": "项目期", "code": "编码", "long_all": "中期资金总额", "summary": "项目概况"}
LABEL_TAILS = {"及编码", "及代码", "及电话", "及联系电话", "(万元)", "(元)"}
PLACEHOLDER_VALUE = re.compile(r"^[(（]?(?:盖章|签字|签章|公章|签名)[)）]?$|^年月日$")
SINGLE_VALUED = {"name", "supervising_unit", "implementing_unit", "department", "attribute", "period", "code"}
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
AMOUNT_UNITS = {"万元": Decimal(1), "元": Decimal("0.0001")}
AMOUNT_FIELDS = ("all", "appropriation", "other")


def title_of(row: Row) -> str | None:
    """The title a row holds: alone, or beside a short label (标题: | 项目支出绩效目标申报表)."""
    filled = row.filled
    if not 1 <= len(filled) <= 2:
        return None
    if len(filled) == 2 and len(key(filled[0])) > 4:
        return None
    title = filled[-1]
    if len(key(title)) <= 60 and (DEPARTMENT_TITLE.search(title) or PROJECT_TITLE.search(title)):
        return title
    return None


def is_title(row: Row) -> bool:
    return title_of(row) is not None


def _is_department_title(row: Row) -> bool:
    return is_title(row) and bool(DEPARTMENT_TITLE.search(title_of(row)))


def _first_field(row: Row, labels: dict) -> str | None:
    if not row.filled:
        return None
    first = _spaced_fields(row.filled[0], labels)[0]
    named = field_named(split_fields(first, _KEYS[id(labels)])[0], labels)
    if named is None and len(row.filled) > 1 and labels is PROJECT_FIELDS:
        # 专项基本情况 | 专项名称 | …: a group heading before the name's label
        second = field_named(row.filled[1], labels)
        named = second if second and second[0] == "name" else None
    return named[0] if named else None


def _amount_unit_of(text: str) -> str | None:
    """万元 or 元 from `单位：万元`, `资金情况（万元）`, `金额单位:元`."""
    folded = fold(text)
    for unit in ("万元", "元"):
        if unit in folded:
            return unit
    return None


class _Reader:
    def __init__(self, rows: list[Row], path: str, partial: bool = False, year: int | None = None):
        self.given_year = year
        self.rows = rows
        self.path = path
        self.reading = Reading(path, partial, {row.number: row.place for row in rows if row.place})
        self.partial = partial
        self.found: dict[str, tuple[str, int]] = {}  # declaration-wide fields: year, department
        self.year_hints: list[tuple[int, int]] = []  # (year, line) from titles and page text
        self.amount_unit = "万元"  # in force until a form says otherwise
        self.cut: int | None = None

    def fail(self, line: int, message: str):
        self.reading.fail(line, message)

    # -- the whole file ----------------------------------------------------------------
    def declaration(self, source: SourceFile) -> Declaration:
        if all(row.blank for row in self.rows):
            self.fail(1, f"expected {EXPECTED_START}, found an empty file")
        department_form = None
        projects: list[tuple[ProjectForm, list]] = []
        titles: list[Row] = []
        index = 0
        while index < len(self.rows):
            row = self.rows[index]
            if row.blank:
                index += 1
                continue
            if _is_department_title(row):
                if department_form is not None:
                    self.fail(row.number, f"expected one department-wide form per file, found a second one: {shown(row.text)}")
                department_form, index = self.department_form(index)
                titles = []
                continue
            if is_title(row):
                titles.append(row)
                self.reading.note(row.number, f"form title: {title_of(row)}")
                self._year_hint(row)
                index += 1
                continue
            if _first_field(row, PROJECT_FIELDS) == "name" or header_at(self.rows, index) is not None:
                project, goal_lines, index = self.project_form(index, titles)
                for one in project if isinstance(project, list) else [project]:
                    projects.append((one, goal_lines))
                titles = []
                continue
            if not self._declaration_line(row):
                for cell in row.filled:
                    self.reading.keep(row.number, cell, "outside any form" if (department_form or projects) else "before the first form")
            index += 1
        if department_form is None and not projects:
            self.fail(*self._nothing_recognised())
        goals = department_form.goals if department_form else ()
        forms = tuple(replace(p, goal_references=goal_references(lines, goals)) for p, lines in projects)
        year, department = self._year(), self._department(forms)
        return Declaration(
            source=source,
            department=department,
            year=year,
            amount_unit=self.amount_unit,
            department_form=department_form,
            projects=forms,
            incomplete_at=self.cut,
            unmapped=tuple(self.reading.unmapped),
            explanation=tuple((line, what) for line in sorted(self.reading.notes) for what in self.reading.notes[line]),
            places=tuple(sorted(self.reading.places.items())),
        )

    def _nothing_recognised(self) -> tuple[int, str]:
        """Why no form was found, in terms of what was recognised and what is missing."""
        near = self._near_header(self.rows)
        if near is not None:
            return near
        first = next(row for row in self.rows if not row.blank)
        titles = [row for row in self.rows if is_title(row)]
        if titles:
            return titles[0].number, (f"found the title {shown(titles[0].filled[0])} but no form after it: expected the "
                                      f"project fields (项目名称, …) or an indicator table (一级指标 | 二级指标 | 三级指标 | 指标值)")
        return first.number, f"expected {EXPECTED_START}, found {shown(first.text)}"

    def _near_header(self, rows: list[Row]) -> tuple[int, str] | None:
        """A row that names indicator columns but lacks one a table needs: where, and what."""
        from .labels import column_named
        for row in rows:
            roles = [column_named(c) for c in row.filled]
            if sum(r is not None for r in roles) >= 2:
                missing = [what for what, present in (("the indicator name (三级指标)", "name" in roles),
                                                      ("the level names (一级指标/二级指标)", "level1" in roles or "level2" in roles),
                                                      ("the target value (指标值)", "value" in roles or "long-term-value" in roles))
                           if not present]
                if missing:
                    return row.number, (f"found an indicator table at line {row.number} with no column for "
                                        f"{' or '.join(missing)}; its header was: {' | '.join(row.filled)}")
        return None

    def _declaration_line(self, row: Row) -> bool:
        """A line between forms that says something of them all: 单位：万元, 预算年度, a year."""
        named = field_named(row.filled[0], DEPARTMENT_FIELDS)
        if named is None:
            if len(row.filled) == 1 and re.fullmatch(r"[(（]?\s*20[0-9]{2}\s*年度?\s*[)）]?", fold(row.filled[0])):
                self._year_hint(row)
                self.reading.note(row.number, f"budget year: {row.filled[0]}")
                return True
            return False
        tokens = [(row.number, cell) for cell in row.filled]
        fields = self._walk(tokens, DEPARTMENT_FIELDS, "declaration fields")
        self._take_declaration_fields(fields)
        return True

    def _take_declaration_fields(self, fields: dict):
        for name in ("year", "department"):
            if fields.get(name):
                self.found.setdefault(name, (" ".join(t for _, t in fields[name]), fields[name][0][0]))
        if fields.get("amount_unit"):
            text, line = fields["amount_unit"][0][1], fields["amount_unit"][0][0]
            unit = _amount_unit_of(text)
            if unit is None:
                self.fail(line, f"expected amounts in 万元 or 元 (单位：万元), found {shown(text)}")
            self.amount_unit = unit

    def _year_hint(self, row: Row):
        for match in YEAR.finditer(fold(row.text)):
            self.year_hints.append((int(match.group(1)), row.number))

    def _year(self) -> int:
        if "year" in self.found:
            text, line = self.found["year"]
            year = parse_number(fold(text).removesuffix("年度").removesuffix("年"))
            if year is None or year != int(year) or not 1900 <= year <= 2200:
                self.fail(line, f"expected a budget year (预算年度) such as 2023, found {shown(text)}")
            return int(year)
        if self.year_hints:
            return self.year_hints[0][0]
        if self.given_year is not None:
            return self.given_year
        first = next(row for row in self.rows if not row.blank)
        self.fail(first.number, "expected the budget year (预算年度:YYYY, or a title such as 2023年…绩效目标表), "
                                "found none; if the form states none, give it with --year")

    def _department(self, projects: tuple[ProjectForm, ...]) -> str:
        if "department" in self.found:
            return _unit_name(self.found["department"][0])
        for project in projects:
            for unit in (project.supervising_unit, project.implementing_unit):
                if unit:
                    return _unit_name(unit)
        first = next(row for row in self.rows if not row.blank)
        self.fail(first.number, "expected the unit name (预算单位/单位名称, or a project's 主管部门), found none")

    def _check_cut(self, cut: int | None, part: str, before_table: bool = False):
        if cut is None:
            return
        if not self.partial:
            where = "ends too early, before its indicator table" if before_table else "ends inside its indicator table"
            self.fail(cut, f"the form {where} ({part}); import with --partial to keep the rows before the cut")
        self.cut = cut
        self.reading.note(cut, "the text stops here: the form is imported as incomplete")

    # -- fields by label -------------------------------------------------------------------
    def _walk(self, tokens: list[tuple[int, str]], labels: dict, context: str) -> dict[str, list[tuple[int, str]]]:
        """Label cells and the cells after them, one row or one cell per line alike: each cell
        after a label belongs to it until the next label. Two goal labels side by side
        (中期目标 | 年度目标) share out the row below them by position."""
        fields: dict[str, list[tuple[int, str]]] = {}
        current = None
        side_by_side: list[str] | None = None
        by_line: dict[int, list[str]] = {}
        for line, cell in tokens:
            for part in _spaced_fields(cell, labels):
                by_line.setdefault(line, []).extend(split_fields(part, _KEYS[id(labels)]) if " " not in part.strip() else [part])
        label_line, alone, taken = 0, False, 0
        for line, cells in by_line.items():
            if side_by_side and len(cells) == len(side_by_side) and not any(field_named(c, labels) for c in cells):
                for field, cell in zip(side_by_side, cells):
                    fields.setdefault(field, []).append((line, cell))
                    self.reading.note(line, f"{field} (by its column): {cell}")
                side_by_side = None
                continue
            goal_labels = [field_named(c, labels)[0] for c in cells if field_named(c, labels)
                           and field_named(c, labels)[0] in ("goal", "long_goal")]
            if len(set(goal_labels)) == 2 and len(goal_labels) == len([c for c in cells if field_named(c, labels)]):
                side_by_side = goal_labels
            for cell in cells:
                named = field_named(cell, labels)
                if named is not None:
                    current, inline = named
                    label_line, alone, taken = line, len(cells) == 1, 0
                    if current is not None or _amount_unit_of(cell):
                        if current is None and _amount_unit_of(cell):
                            fields.setdefault("amount_unit", []).append((line, _amount_unit_of(cell)))
                    self.reading.note(line, f"label {cell.strip()} → {current or 'a group heading'}")
                    if inline and PLACEHOLDER_VALUE.match(key(inline)):
                        inline = None
                    if inline and current:
                        fields.setdefault(current, []).append((line, inline))
                        self.reading.note(line, f"{current}: {inline}")
                    continue
                if key(cell) in SECTION_LABELS or key(cell) in LABEL_TAILS:
                    self.reading.note(line, f"section label or the end of a label: {cell}")
                    continue
                if PLACEHOLDER_VALUE.match(key(cell)):
                    self.reading.note(line, f"a blank left for a seal or signature: {cell}")
                    continue
                if current in SINGLE_VALUED and any(key(t) == key(cell) for _, t in fields.get(current, [])):
                    self.reading.note(line, f"{current} again: {cell}")
                    continue
                if current is None or (current in SINGLE_VALUED and not (
                        line == label_line or (alone and not taken))):
                    # a value stands beside its label, or below it when the label is alone on
                    # its line (one cell per line); anything else is not this field's
                    self.reading.keep(line, cell, context)
                    continue
                taken += 1
                fields.setdefault(current, []).append((line, cell))
                self.reading.note(line, f"{current}: {cell.strip()}")
        return fields

    def _amount(self, fields: dict, source: str, factor: Decimal, label: str) -> FundAmount | None:
        """A project amount: the number its cell starts with (`854万(…)`), or the one number a
        described cell holds (`中央衔接推进乡村振兴补助资金50`); a cell with no number is kept."""
        if not fields.get(source):
            return None
        values = fields[source]
        if fields.get("long_all") and len(values) > 1:  # 中期 | 年度 side by side: the annual is last
            values = values[::-1]
        (line, text), *rest = values
        for extra_line, extra in rest:
            self.reading.keep(extra_line, extra, f"a second cell for {label}")
        folded = fold(text)
        amount = parse_number(folded.removesuffix("万元").removesuffix("元").removesuffix("万"))
        if amount is not None and folded.endswith("元") and not folded.endswith("万元"):
            amount *= AMOUNT_UNITS["元"] / factor
        if amount is None:
            match = LEADING_AMOUNT.match(folded)
            numbers = [m for m in ANY_AMOUNT.finditer(BRACKETED.sub("", folded))]
            if match is None and len(numbers) == 1:
                match = numbers[0]
            if match is None:
                if CHINESE_NUMERAL.match(folded) or re.search(r"[0-9]", folded):
                    self.fail(line, f"expected an amount (a number, 万元) for {label}, found {shown(text)}")
                self.reading.keep(line, text, f"no amount for {label}")
                return None
            amount = Decimal(match["num"].replace(",", ""))
            if match["unit"] == "元":
                amount *= AMOUNT_UNITS["元"] / factor
        self.reading.note(line, f"amount {label}: {text}")
        return FundAmount("project", source, amount * factor, text, line)

    def _projects_of_table(self, table, title: Row, fields: dict) -> list[ProjectForm]:
        """The projects of a table that lists several, each with the indicators below its row."""
        factor = AMOUNT_UNITS[self.amount_unit]
        projects = []
        bounds = [p.first for p in table.projects[1:]] + [len(table.indicators)]
        for row, end in zip(table.projects, bounds):
            if row.unit:
                self.found.setdefault("department", (row.unit, row.line))
            funds = ()
            if row.budget:
                amount = self._amount({"all": [(row.line, row.budget)]}, "all", factor, "预算数")
                funds = (amount,) if amount else ()
            own = tuple(replace(ind, ordinal=n) for n, ind in enumerate(table.indicators[row.first:end], 1))
            projects.append(ProjectForm(
                line=row.line, title=title_of(title) or title.filled[0], name=row.name, name_line=row.line,
                responsible_person=None, phone=None, supervising_unit=None, implementing_unit=row.unit,
                funds=funds, annual_goal=row.goal, annual_goal_line=row.line if row.goal else None,
                indicators=own))
        return projects

    # -- department form ---------------------------------------------------------------
    def department_form(self, index: int) -> tuple[DepartmentForm, int]:
        title = self.rows[index]
        self.reading.note(title.number, f"department-wide form title: {title_of(title)}")
        self._year_hint(title)
        part = "the department table"
        index += 1
        tokens: list[tuple[int, str]] = []
        funds: tuple[FundAmount, ...] = ()
        goals_text, goals = "", ()
        fields_taken = False
        indicators, remarks = (), None
        tasks: list[Task] = []
        while index < len(self.rows):
            row = self.rows[index]
            if row.blank:
                index += 1
                continue
            header = header_at(self.rows, index)
            if header is not None:
                table = TableReader(self.rows, self.reading, part).read(index, header)
                self._check_cut(table.cut_line, part)
                indicators, remarks, index = table.indicators, table.remarks, table.end
                break
            if _is_department_title(row) and not (funds or goals or any(
                    field_named(cell, DEPARTMENT_FIELDS) for _, cell in tokens)):
                for line, cell in [(title.number, title_of(title)), *tokens]:
                    self.reading.keep(line, cell, "before the form's own title")
                tokens = []
                title = row  # the page named the form first; the form's own title follows
                self.reading.note(row.number, f"department-wide form title: {title_of(row)}")
                index += 1
                continue
            if is_title(row) or _first_field(row, PROJECT_FIELDS) == "name":
                self.fail(row.number, f"{part} ends too early: expected its indicators (年度绩效指标), found the next table")
            if self._year_line(row):
                index += 1
                continue
            stacked = self._stacked(index)
            if stacked is not None:
                label, after = stacked
                self.reading.note(row.number, f"label written down the page: {label}")
                if label in GOALS_LABELS:
                    if not fields_taken:
                        self._take_department_fields(tokens, title, before="the overall goals")
                        fields_taken = True
                    goals_text, goals, index = self.department_goals(after, labelled=True)
                elif label in TASK_LABELS:
                    tasks, index = self.department_tasks(after)
                else:
                    index = after
                continue
            keys = set(row.keys)
            if {"总体资金情况", "预算支出总额"} & keys or (("基本支出" in keys and "项目支出" in keys)):
                self._take_department_fields(tokens, title, before="the funds table (总体资金情况)")
                fields_taken = True
                funds, index = self.department_funds(index)
                continue
            if GOALS_LABELS & keys:
                if not fields_taken:
                    self._take_department_fields(tokens, title, before="the overall goals")
                    fields_taken = True
                goals_text, goals, index = self.department_goals(index)
                continue
            tokens.extend((row.number, cell) for cell in row.filled)
            index += 1
        else:
            self._check_cut(self.rows[-1].number if not indicators else None, part, before_table=True)
        if not fields_taken:
            amounts = self._take_department_fields(tokens, title, before="the indicators")
            funds = funds or amounts
        form = DepartmentForm(
            line=title.number,
            title=title_of(title),
            funds=funds,
            goals=goals,
            goals_text=goals_text,
            indicators=indicators,
            remarks=remarks,
            tasks=tuple(tasks),
        )
        return form, index

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
        for column, cell in enumerate(headings.cells):
            heading = field_key(cell)
            if not heading:
                continue
            if heading == "预算支出总额":
                slot = ("total", "all")
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
                funds.append(FundAmount(slot[0], slot[1], amount * factor, text, values.number))
                self.reading.note(values.number, f"amount {SLOT_NAMES[slot[0]]}·{heading}: {text}")
        for column, cell in enumerate(values.cells):
            if cell.strip() and (column >= len(headings.cells) or not headings.cells[column].strip()):
                self.fail(values.number, f"expected each amount under a fund heading, found {shown(cell)} in column {column + 1} with no heading")
        if not funds:
            self.fail(values.number, f"expected the amounts of the funds table, found {shown(values.text)}")
        self.reading.note(headings.number, "fund headings")
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
    def project_form(self, index: int, titles: list[Row]) -> tuple[ProjectForm, list, int]:
        start = self.rows[index]
        title = titles[-1] if titles else None
        part = f"the project table at line {(title or start).number}"
        tokens: list[tuple[int, str]] = []
        j, header = index, None
        while j < len(self.rows):
            row = self.rows[j]
            if row.blank:
                j += 1
                continue
            header = header_at(self.rows, j)
            if header is not None:
                break
            if j > index and (is_title(row) or _first_field(row, PROJECT_FIELDS) == "name"):
                self.fail(row.number, f"{part} ends too early: expected its indicators (绩效指标), found the next table")
            tokens.extend((row.number, cell) for cell in row.filled)
            j += 1
        fields = self._walk(tokens, PROJECT_FIELDS, "project form fields")
        self._take_declaration_fields({k: fields.get(k) for k in ("year", "department", "amount_unit")})
        if header is None:
            near = self._near_header(self.rows[index:j])
            if near is not None:
                self.fail(*near)
            self._check_cut(self.rows[-1].number, part, before_table=True)
            indicators, index = (), j
        else:
            table = TableReader(self.rows, self.reading, part).read(j, header)
            self._check_cut(table.cut_line, part)
            indicators, index = table.indicators, table.end
            if table.projects:
                return self._projects_of_table(table, title or start, fields), [], index
        factor = AMOUNT_UNITS[self.amount_unit]
        funds = [fund for source, label in zip(AMOUNT_FIELDS, ("年度资金总额", "财政拨款", "其他资金"))
                 if (fund := self._amount(fields, source, factor, label)) is not None]
        person, phone = None, None
        if fields.get("responsible"):
            text = fold(" ".join(t for _, t in fields["responsible"]))
            match = PERSON_AND_PHONE.match(text)
            person, phone = (match["name"] or None, match["phone"]) if match else (text, None)
        if fields.get("phone"):
            phone = fold(fields["phone"][0][1])
        name = fields.get("name")
        goal_lines = fields.get("goal", [])

        def text_of(field: str) -> str | None:
            return " ".join(" ".join(t.split()) for _, t in fields[field]) if fields.get(field) else None

        for field in sorted(set(fields) - MAPPED_PROJECT_FIELDS):
            for line, text in fields[field]:  # recognised, but the graph has no property for it yet
                self.reading.keep(line, text, f"the project field {FIELD_LABELS.get(field, field)}")
        project = ProjectForm(
            line=(title or start).number,
            title=title_of(title) if title else start.filled[0],
            name=text_of("name"),
            name_line=name[0][0] if name else (title or start).number,
            responsible_person=person,
            phone=phone,
            supervising_unit=text_of("supervising_unit"),
            implementing_unit=text_of("implementing_unit"),
            funds=tuple(funds),
            annual_goal="\n".join(text for _, text in goal_lines) or None,
            annual_goal_line=goal_lines[0][0] if goal_lines else None,
            indicators=indicators,
            long_term_goal="\n".join(text for _, text in fields.get("long_goal", [])) or None,
        )
        return project, goal_lines, index


_UNIT_CODE = re.compile(r"^\s*(?:[\[［【(（]\s*[0-9]{3,}\s*[\]］】)）]|[0-9]{3,}\s*[-－—.、]?)\s*")


def _unit_name(text: str) -> str:
    """A budget unit's name without the code some templates put before it: `[066]六安市农业农村局`,
    `813-潼南区五桂镇` → the name."""
    return " ".join(_UNIT_CODE.sub("", text).split()) or " ".join(text.split())


def _spaced_fields(cell: str, labels: dict) -> list[str]:
    """A row written with single spaces (项目名称 某项目 项目负责人及电话 某某) as its cells: each
    label starts a cell; words before the first label stay one cell. A cell holding no label,
    or one label only, is returned as it is."""
    words = cell.split()
    if len(words) < 2:
        return [cell]
    is_label = [field_named(word, labels) is not None for word in words]
    if not any(is_label) or (field_named(cell, labels) is not None and sum(is_label) < 2):
        return [cell]
    cells: list[str] = []
    for word, label in zip(words, is_label):
        if label or not cells or field_named(cells[-1], labels) is not None and field_named(cells[-1], labels)[1] is None:
            cells.append(word)
        else:
            cells[-1] = f"{cells[-1]} {word}"
    return cells


SLOT_NAMES = {"total": "预算支出总额", "basic": "基本支出", "project": "项目支出"}


def goal_references(lines: list[tuple[int, str]], goals: tuple[Goal, ...]) -> tuple[GoalReference, ...]:
    """Department goals a project's annual goal names: by number (目标2：…) when the words
    that follow are that goal's, or by quoting a goal's text verbatim."""
    found: dict[int, GoalReference] = {}
    by_number = {goal.number: goal for goal in goals}
    for line, text in lines:
        compact = key(text)
        for marker in GOAL_MARKER.finditer(text):
            goal = by_number.get(int(fold(marker.group(1))))
            if goal and key(goal.text)[:12] and key(text[marker.end():]).startswith(key(goal.text)[:12]):
                found.setdefault(goal.number, GoalReference(goal.number, line, text.strip()))
        for goal in goals:
            if len(key(goal.text)) >= 8 and key(goal.text) in compact:
                found.setdefault(goal.number, GoalReference(goal.number, line, text.strip()))
    return tuple(found[n] for n in sorted(found))


def decode(data: bytes, path: str, encoding: str = "utf-8") -> str:
    """Bytes → text, or a FormError naming the line of the first undecodable byte."""
    if not data.strip():
        raise FormError(path, 1, f"expected {EXPECTED_START}, found an empty file")
    if b"\x00" in data[:8192]:
        line = data[: data.index(b"\x00")].count(b"\n") + 1
        raise FormError(path, line, "expected text (tab-separated, UTF-8), found binary data (a NUL byte)")
    try:
        return data.decode("utf-8-sig" if encoding.lower().replace("_", "-") in ("utf-8", "utf8") else encoding)
    except UnicodeDecodeError as error:
        if error.reason == "unexpected end of data" and error.end == len(data):
            # Cut inside a character: read what is there; the layout check says where it ends.
            return decode(data[: error.start], path, encoding)
        line = data[: error.start].count(b"\n") + 1
        hint = ""
        try:
            data.decode("gb18030")
            hint = "; the file reads as GB18030 — try --encoding gb18030"
        except UnicodeDecodeError:
            pass
        raise FormError(path, line, f"expected {encoding} text, found the byte 0x{data[error.start]:02x}, which is not {encoding}{hint}") from None
    except LookupError:
        raise FormError(path, 1, f"expected a known text encoding, found {encoding!r}") from None


def parse_declaration(text: str, path: str = "<text>", sha256: str | None = None, partial: bool = False,
                      year: int | None = None) -> Declaration:
    """Text → a Declaration. `partial` imports a form cut inside its indicator table up to the
    cut; `year` is the budget year for a file that states none."""
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return parse_rows(rows_of(text), path, digest, partial, year)


def parse_rows(rows: list[Row], path: str, sha256: str, partial: bool = False, year: int | None = None) -> Declaration:
    """Rows of cells (from text or any document) → a Declaration."""
    source = SourceFile(path=path, name=Path(path).name, sha256=sha256, line_count=len(rows))
    return _Reader(rows, path, partial, year).declaration(source)


def read_declaration(path: str | Path, encoding: str = "utf-8", partial: bool = False,
                     year: int | None = None) -> Declaration:
    """Read one declaration file — text, or a spreadsheet, Word file, web page or PDF; any
    problem is a FormError ``FILE:LINE: …``."""
    rows, digest = read_rows(path, encoding)
    return parse_rows(rows, str(path), digest, partial, year)


def read_rows(path: str | Path, encoding: str = "utf-8") -> tuple[list[Row], str]:
    """A file's rows of cells, whatever its format, and the sha256 of its bytes."""
    shown_path = str(path)
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise FormError(shown_path, 1, "expected a file, found a directory") from None
    except FileNotFoundError:
        raise FormError(shown_path, 1, "expected a readable file, found no such file") from None
    except OSError as error:
        raise FormError(shown_path, 1, f"expected a readable file, found {error.strerror}") from None
    digest = hashlib.sha256(data).hexdigest()
    if is_document(shown_path):
        if not data.strip():
            raise FormError(shown_path, 1, "expected a document, found an empty file")
        return document_rows(shown_path, data), digest
    return rows_of(decode(data, shown_path, encoding)), digest
