"""Read a declaration as published (tab-separated text extracted from the PDF) into records.

Layout: one department-wide table (部门（单位）整体支出绩效目标申报表) followed by any number
of project tables (项目支出绩效目标表). Merged cells come out blank and columns shift from row
to row, so cells are recognised by what they say, not where they stand — except the cells after
a comparator, which keep their order (value, unit where the form has a unit column, weight), so
that a blank value is reported rather than silently replaced by the weight.
"""

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from . import catalogue
from .comparators import ORDERING, comparator_named, split_leading_comparator
from .errors import FormError, shown
from .records import (
    Declaration,
    DepartmentForm,
    FundAmount,
    Goal,
    GoalReference,
    Indicator,
    ProjectForm,
    SourceFile,
)
from .text import fold, key
from .values import parse_number, parse_target

DEPARTMENT_TITLE = re.compile(r"整体支出绩效目标(申报)?表")
PROJECT_TITLE = re.compile(r"项目(支出)?绩效目标(申报)?表")
GOAL_MARKER = re.compile(r"目标\s*([0-9０-９]+)\s*[:：]")
NUMBERED_NAME = re.compile(r"^指标\s*([0-9０-９]+)\s*[:：]\s*")
PERSON_AND_PHONE = re.compile(r"^(?P<name>.*?)\s*(?P<phone>\+?[0-9][0-9\- ()]{5,})$")

EXPECTED_TITLE = "部门（单位）整体支出绩效目标申报表"
LEVEL_NAMES = "产出指标, 效益指标, 满意度指标, 成本指标; 数量指标, 质量指标, 时效指标, …"
SECTION_LABELS = {"绩效指标", "年度绩效指标", "三级指标"}
DEPARTMENT_FIELDS = {
    "预算年度": "year",
    "预算(单位)名称": "department",
    "预算单位名称": "department",
    "单位名称": "department",
    "部门名称": "department",
    "单位": "amount_unit",
    "金额单位": "amount_unit",
}
PROJECT_FIELDS = {
    "项目名称": "name",
    "项目负责人及电话": "responsible",
    "项目负责人及联系电话": "responsible",
    "项目负责人": "responsible",
    "联系电话": "phone",
    "主管部门": "supervising_unit",
    "实施单位": "implementing_unit",
    "年度资金总额": "all",
    "财政拨款": "appropriation",
    "其他资金": "other",
    "资金情况(万元)": None,
    "资金情况": None,
    "总体目标": "goal",
    "年度目标": "goal",
    "单位": "amount_unit",
}
FUND_HEADINGS = {
    "财政拨款": "appropriation",
    "专户资金": "special-account",
    "单位资金": "unit-funds",
    "其他资金": "other",
}
AMOUNT_UNITS = {"万元": Decimal(1), "元": Decimal("0.0001")}


@dataclass(frozen=True)
class Row:
    number: int
    text: str
    cells: tuple[str, ...]

    @property
    def filled(self) -> list[str]:
        return [cell.strip() for cell in self.cells if cell.strip()]

    @property
    def keys(self) -> list[str]:
        return [field_key(cell) for cell in self.filled]

    @property
    def blank(self) -> bool:
        return not self.filled


def field_key(cell: str) -> str:
    """The key of a label cell: `其中: 财政拨款` → `财政拨款`, `年度资金总额：` → `年度资金总额`."""
    folded = key(cell)
    return folded[2:].lstrip(":") if folded.startswith("其中") else folded


def is_title(row: Row) -> bool:
    filled = row.filled
    return len(filled) == 1 and bool(
        DEPARTMENT_TITLE.search(filled[0]) or PROJECT_TITLE.search(filled[0])
    )


def is_indicator_header(row: Row) -> bool:
    keys = row.keys
    return "一级指标" in keys and "三级指标" in keys


class _Levels:
    """The level-1 and level-2 categories in force: merged cells leave them blank below."""

    def __init__(self):
        self.level1: str | None = None
        self.level2: str | None = None

    def take(self, cells: list[str]) -> int:
        """Consume leading level names and section labels; return how many cells were used."""
        used = 0
        while used < len(cells):
            name = cells[used]
            following = cells[used + 1] if used + 1 < len(cells) else None
            if key(name) in SECTION_LABELS:
                pass
            elif key(name) == "成本指标":
                # 成本 is a level 2 of 产出 in most forms, and a level 1 in the 2021 framework
                # when its own level-2 names (经济成本指标, …) follow.
                below = catalogue.level2_named(following) if following else None
                if below is not None and below.parent == "cost":
                    self.level1, self.level2 = "cost", None
                else:
                    self.level1, self.level2 = "output", "output-cost"
            elif (level := catalogue.level1_named(name)) is not None:
                self.level1, self.level2 = level.key, None
            elif (level := catalogue.level2_named(name)) is not None:
                # A level 2 fixes its level 1, even when the level-1 cell is missing or stale.
                self.level1, self.level2 = level.parent, level.key
            else:
                break
            used += 1
        return used


class _Reader:
    def __init__(self, rows: list[Row], path: str):
        self.rows = rows
        self.path = path
        self.index = 0

    # -- cursor ------------------------------------------------------------------------
    def fail(self, line: int, message: str):
        raise FormError(self.path, line, message)

    def at_end(self) -> bool:
        return self.index >= len(self.rows)

    def peek(self) -> Row:
        return self.rows[self.index]

    def advance(self) -> Row:
        row = self.rows[self.index]
        self.index += 1
        return row

    def skip_blank(self):
        while not self.at_end() and self.peek().blank:
            self.index += 1

    def end_line(self) -> int:
        return self.rows[-1].number if self.rows else 1

    def next_filled(self, expected: str, part: str) -> Row:
        """The next non-blank row, or an error saying that the part ended early."""
        self.skip_blank()
        if self.at_end():
            self.fail(self.end_line(), f"{part} ends too early: expected {expected}, found the end of the file")
        return self.advance()

    # -- the whole file ----------------------------------------------------------------
    def declaration(self, source: SourceFile) -> Declaration:
        self.skip_blank()
        if self.at_end():
            self.fail(1, f"expected a declaration starting with {EXPECTED_TITLE}, found an empty file")
        fields, department_form = self.department_form()
        projects = []
        while True:
            self.skip_blank()
            if self.at_end():
                break
            projects.append(self.project_form(fields["amount_factor"], department_form.goals))
        return Declaration(
            source=source,
            department=fields["department"],
            year=fields["year"],
            amount_unit=fields["amount_unit"],
            department_form=department_form,
            projects=tuple(projects),
        )

    # -- department form ---------------------------------------------------------------
    def department_form(self):
        title = self.advance()
        if not (len(title.filled) == 1 and DEPARTMENT_TITLE.search(title.filled[0])):
            found = "a project table" if PROJECT_TITLE.search(title.text) else shown(title.text)
            self.fail(title.number, f"expected the title {EXPECTED_TITLE}, found {found}")
        part = "the department table"
        fields = {"amount_unit": "万元"}
        while True:
            row = self.next_filled("the funds table (总体资金情况)", part)
            if "总体资金情况" in row.keys or "预算支出总额" in row.keys:
                break
            self.header_fields(row, DEPARTMENT_FIELDS, fields)
        year_text = fields.get("year")
        if not year_text:
            self.fail(title.number, "expected the budget year (预算年度:YYYY) before the funds table, found none")
        year = parse_number(year_text[0])
        if year is None or year != int(year) or not 1900 <= year <= 2200:
            self.fail(year_text[1], f"expected a budget year (预算年度) such as 2023, found {shown(year_text[0])}")
        department = fields.get("department")
        if not department:
            self.fail(title.number, "expected the unit name (预算（单位）名称：…) before the funds table, found none")
        amount_unit = fold(fields["amount_unit"][0] if isinstance(fields["amount_unit"], tuple) else "万元")
        if amount_unit not in AMOUNT_UNITS:
            self.fail(fields["amount_unit"][1], f"expected amounts in 万元 or 元 (单位：万元), found {shown(amount_unit)}")
        factor = AMOUNT_UNITS[amount_unit]
        funds = self.department_funds(row, factor)
        goals_text, goals = self.department_goals()
        indicators, remarks = self.indicator_section(part, stop_at_remarks=True)
        form = DepartmentForm(
            line=title.number,
            title=title.filled[0],
            funds=funds,
            goals=goals,
            goals_text=goals_text,
            indicators=indicators,
            remarks=remarks,
        )
        header = {
            "year": int(year),
            "department": department[0],
            "amount_unit": amount_unit,
            "amount_factor": factor,
        }
        return header, form

    def header_fields(self, row: Row, labels: dict, into: dict):
        """Label/value pairs of a header row: `预算年度:2023` in one cell, or label⇥value."""
        cells = row.filled
        i = 0
        while i < len(cells):
            cell_key = field_key(cells[i])
            if cell_key in labels:
                value = None
                if i + 1 < len(cells) and field_key(cells[i + 1]) not in labels:
                    value = cells[i + 1]
                    i += 1
                if labels[cell_key] and value is not None:
                    into[labels[cell_key]] = (value, row.number)
                elif labels[cell_key]:
                    into.setdefault(labels[cell_key], None)
            else:
                folded = fold(cells[i])
                label, sep, value = folded.partition(":")
                label_key = field_key(label)
                if not sep or label_key not in labels:
                    self.fail(row.number, f"expected a header field ({', '.join(sorted({k for k in labels if labels[k]}))}), found {shown(cells[i])}")
                if labels[label_key] and value.strip():
                    into[labels[label_key]] = (value.strip(), row.number)
            i += 1

    def department_funds(self, row: Row, factor: Decimal) -> tuple[FundAmount, ...]:
        groups = ["basic", "project"]
        if "预算支出总额" not in row.keys:
            group_order = [k for k in row.keys if k in ("基本支出", "项目支出")]
            if group_order == ["项目支出", "基本支出"]:
                groups.reverse()
            row = self.next_filled("the fund headings (预算支出总额, 合计, 财政拨款, …)", "the funds table")
        headings = row
        values = self.next_filled("a row of amounts under the fund headings", "the funds table")
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
        for column, cell in enumerate(values.cells):
            if cell.strip() and (column >= len(headings.cells) or not headings.cells[column].strip()):
                self.fail(values.number, f"expected each amount under a fund heading, found {shown(cell)} in column {column + 1} with no heading")
        if not funds:
            self.fail(values.number, f"expected the amounts of the funds table, found {shown(values.text)}")
        return tuple(funds)

    def department_goals(self) -> tuple[str, tuple[Goal, ...]]:
        row = self.next_filled("the overall goals (整体绩效目标)", "the department table")
        if not ({"部门整体绩效情况", "整体绩效目标"} & set(row.keys)):
            self.fail(row.number, f"expected the overall goals (部门整体绩效情况 / 整体绩效目标), found {shown(row.text)}")
        pieces = []  # (line, raw text) of the goal cells, over one or more rows
        while True:
            texts = [c for c in row.filled if field_key(c) not in ("部门整体绩效情况", "整体绩效目标")]
            pieces.extend((row.number, text) for text in texts)
            following = self.next_filled("the annual indicators (年度绩效指标)", "the department table")
            if "年度绩效指标" in following.keys or is_indicator_header(following):
                self.index -= 1
                break
            row = following
        goals = []
        for line, text in pieces:
            markers = list(GOAL_MARKER.finditer(text))
            if not markers:
                if goals:  # a continuation of the goal before
                    last = goals[-1]
                    goals[-1] = Goal(last.number, f"{last.text} {text.strip()}", last.line)
                else:
                    goals.append(Goal(1, text.strip(), line))
                continue
            if markers[0].start() > 0 and text[: markers[0].start()].strip():
                lead = text[: markers[0].start()].strip()
                if goals:
                    last = goals[-1]
                    goals[-1] = Goal(last.number, f"{last.text} {lead}", last.line)
                else:
                    goals.append(Goal(1, lead, line))
            for i, marker in enumerate(markers):
                end = markers[i + 1].start() if i + 1 < len(markers) else len(text)
                number = int(fold(marker.group(1)))
                goals.append(Goal(number, text[marker.end():end].strip(), line))
        return "\n".join(text for _, text in pieces), tuple(goals)

    # -- indicators ----------------------------------------------------------------------
    def indicator_section(self, part: str, stop_at_remarks: bool):
        row = self.next_filled("the indicator headings (一级指标, 二级指标, 三级指标, …)", part)
        if "年度绩效指标" in row.keys and not is_indicator_header(row):
            row = self.next_filled("the indicator headings (一级指标, 二级指标, 三级指标, …)", part)
        if not is_indicator_header(row):
            self.fail(row.number, f"expected the indicator headings (一级指标, 二级指标, 三级指标, …), found {shown(row.text)}")
        has_unit_column = any("度量单位" in k or k == "单位" for k in row.keys)
        levels = _Levels()
        indicators: list[Indicator] = []
        remarks = None
        while True:
            self.skip_blank()
            if self.at_end() or is_title(self.peek()):
                break
            row = self.advance()
            if stop_at_remarks and row.keys and row.keys[0] == "其他说明":
                remarks = " ".join(row.filled[1:]) or None
                break
            indicator = self.indicator_row(row, levels, has_unit_column, len(indicators) + 1)
            if indicator is not None:
                indicators.append(indicator)
        if not indicators:
            self.fail(row.number, f"{part} has no indicators: expected at least one indicator row (三级指标) after the headings")
        return tuple(indicators), remarks

    def indicator_row(self, row: Row, levels: _Levels, has_unit_column: bool, ordinal: int) -> Indicator | None:
        positions = [i for i, cell in enumerate(row.cells) if cell.strip()]
        cells = [row.cells[i].strip() for i in positions]
        used = levels.take(cells)
        if used == len(cells):
            return None  # a row of level names only: categories with no indicator
        name_raw = cells[used]
        after = cells[used + 1:]
        if key(name_raw).endswith("指标") and (
            not after or (comparator_named(after[0]) is None and not re.search(r"\d", after[0]))
        ):
            self.fail(row.number, f"expected a level-1 or level-2 indicator name ({LEVEL_NAMES}), found {shown(name_raw)}")
        if levels.level1 is None and levels.level2 is None:
            self.fail(row.number, f"expected the indicator's level names (一级指标, 二级指标) before {shown(name_raw)}, found none")
        numbered = NUMBERED_NAME.match(name_raw)
        number = int(fold(numbered.group(1))) if numbered else None
        name = " ".join((name_raw[numbered.end():] if numbered else name_raw).split())
        if not after:
            self.fail(row.number, f"expected a comparator (≥, ≤, =, >, <, 定性) and a target value for {shown(name)}, found nothing")

        # From here on cells are read by position: comparator, value, [unit], weight.
        column = positions[used + 1]
        comparator = comparator_named(row.cells[column])
        comparator_text = row.cells[column].strip() if comparator else None
        value_text = None
        if comparator is not None:
            column += 1
        else:
            comparator, remainder = split_leading_comparator(row.cells[column])
            if comparator is not None:
                comparator_text = row.cells[column].strip()[: len(row.cells[column].strip()) - len(remainder)]
                value_text = row.cells[column].strip()
                column += 1
        if value_text is None:
            value_text = row.cells[column].strip() if column < len(row.cells) else ""
            column += 1
        if not value_text:
            self.fail(row.number, f"expected a target value (指标值) for {shown(name)} after {comparator_text or 'its name'}, found an empty cell")
        target_cell = value_text
        if comparator is not None and comparator_text and fold(target_cell).startswith(fold(comparator_text)) and not comparator_named(target_cell):
            target_cell = fold(target_cell)[len(fold(comparator_text)):]
        rest = [cell.strip() for cell in row.cells[column:]]
        unit_text = None
        if has_unit_column and rest:
            unit_text = rest.pop(0) or None
        while rest and not rest[-1]:
            rest.pop()
        weight_text = rest.pop(0) if rest else None
        if rest:
            self.fail(row.number, f"expected nothing after the weight of {shown(name)}, found {shown(' '.join(c for c in rest if c))}")
        weight = None
        if weight_text:
            weight = parse_number(weight_text)
            if weight is None:
                self.fail(row.number, f"expected a weight (权重, a number) for {shown(name)}, found {shown(weight_text)}")
        target = parse_target(target_cell, unit_text)
        if target.number is None and comparator in ORDERING:
            self.fail(row.number, f"expected a number after {comparator_text} for {shown(name)}, found {shown(value_text)}")
        return Indicator(
            ordinal=ordinal,
            line=row.number,
            level1=levels.level1,
            level2=levels.level2,
            name=name,
            number=number,
            comparator=comparator,
            comparator_text=comparator_text,
            target=target,
            weight=weight,
            weight_text=weight_text or None,
            source_text=row.text,
        )

    # -- project form ------------------------------------------------------------------
    def project_form(self, factor: Decimal, goals: tuple[Goal, ...] = ()) -> ProjectForm:
        title = self.advance()
        if not (len(title.filled) == 1 and PROJECT_TITLE.search(title.filled[0])):
            self.fail(title.number, f"expected the title of a project table (…项目绩效目标表), found {shown(title.text)}")
        part = f"the project table at line {title.number}"
        fields: dict = {}
        goal_lines: list[tuple[int, str]] = []
        in_goal = False
        while True:
            row = self.next_filled("the indicator headings (绩效指标: 一级指标, 二级指标, 三级指标, …)", part)
            if is_indicator_header(row):
                self.index -= 1
                break
            if is_title(row):
                self.fail(row.number, f"{part} ends too early: expected its indicators (绩效指标), found the next table")
            if in_goal:
                goal_lines.append((row.number, " ".join(row.filled)))
                continue
            self.header_fields(row, PROJECT_FIELDS, fields)
            if "goal" in fields:
                in_goal = True
                if fields["goal"] is not None:
                    goal_lines.append((fields["goal"][1], fields["goal"][0]))
        name = fields.get("name")
        indicators, _ = self.indicator_section(part, stop_at_remarks=False)
        person, phone = None, None
        if fields.get("responsible"):
            match = PERSON_AND_PHONE.match(fold(fields["responsible"][0]))
            person, phone = (match["name"] or None, match["phone"]) if match else (fold(fields["responsible"][0]), None)
        if fields.get("phone"):
            phone = fold(fields["phone"][0])
        funds = []
        for source in ("all", "appropriation", "other"):
            if fields.get(source):
                text, line = fields[source]
                amount = parse_number(text)
                if amount is None:
                    self.fail(line, f"expected an amount (a number, 万元) for {next(k for k, v in PROJECT_FIELDS.items() if v == source)}, found {shown(text)}")
                funds.append(FundAmount("project", source, amount * factor, text, line))
        return ProjectForm(
            line=title.number,
            title=title.filled[0],
            name=" ".join(name[0].split()) if name else None,
            name_line=name[1] if name else title.number,
            responsible_person=person,
            phone=phone,
            supervising_unit=fields["supervising_unit"][0] if fields.get("supervising_unit") else None,
            implementing_unit=fields["implementing_unit"][0] if fields.get("implementing_unit") else None,
            funds=tuple(funds),
            annual_goal="\n".join(text for _, text in goal_lines) or None,
            annual_goal_line=goal_lines[0][0] if goal_lines else None,
            indicators=indicators,
            goal_references=goal_references(goal_lines, goals),
        )


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
        raise FormError(path, 1, f"expected a declaration starting with {EXPECTED_TITLE}, found an empty file")
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


def parse_declaration(text: str, path: str = "<text>", sha256: str | None = None) -> Declaration:
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    rows = [Row(n, line.rstrip("\r"), tuple(line.rstrip("\r").split("\t"))) for n, line in enumerate(lines, 1)]
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    source = SourceFile(path=path, name=Path(path).name, sha256=digest, line_count=len(rows))
    return _Reader(rows, path).declaration(source)


def read_declaration(path: str | Path, encoding: str = "utf-8") -> Declaration:
    """Read one declaration file; any problem is a FormError ``FILE:LINE: …``."""
    shown_path = str(path)
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise FormError(shown_path, 1, "expected a file, found a directory") from None
    except FileNotFoundError:
        raise FormError(shown_path, 1, "expected a readable file, found no such file") from None
    except OSError as error:
        raise FormError(shown_path, 1, f"expected a readable file, found {error.strerror}") from None
    text = decode(data, shown_path, encoding)
    return parse_declaration(text, shown_path, hashlib.sha256(data).hexdigest())
