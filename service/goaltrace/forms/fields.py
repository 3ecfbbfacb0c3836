"""Form fields read by their labels: `项目名称 | 某项目`, `主管部门：某局`, a label alone on its line
with its value below, labels run together with their values; and amounts as forms write them.

`FieldReading` is the part of the form reader (`parser._Reader`) that walks a form's label and
value cells; the functions here recognise titles and labels in a row.
"""

import re
from decimal import Decimal

from .errors import shown
from .grid import Row
from .indicator_table import SECTION_LABELS
from .labels import DEPARTMENT_FIELDS, DEPARTMENT_TITLE, PROJECT_FIELDS, PROJECT_TITLE, field_named
from .records import FundAmount
from .run_together import split_fields
from .text import fold, key
from .values import parse_number

CHINESE_NUMERAL = re.compile(r"^[零一二三四五六七八九十百千万亿点两〇]+(万元|元|万)?$")

BRACKETED = re.compile(r"[(（][^)）]*[)）]")

ANY_AMOUNT = re.compile(r"(?P<num>(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)\s*(?P<unit>万元|万|元)?")

LEADING_AMOUNT = re.compile(r"^\s*(?P<num>[-+]?(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]+)?)\s*(?P<unit>万元|万|元)?")

LABEL_TAILS = {"及编码", "及代码", "及其编码", "及其代码", "及电话", "及联系电话", "(万元)", "(元)"}

PLACEHOLDER_VALUE = re.compile(r"^[(（]?(?:盖章|签字|签章|公章|签名)[)）]?$|^年月日$")

SINGLE_VALUED = {"name", "supervising_unit", "implementing_unit", "department", "attribute", "period", "code"}

AMOUNT_UNITS = {"万元": Decimal(1), "元": Decimal("0.0001")}

_UNIT_CODE = re.compile(r"^\s*(?:[\[［【(（]\s*[0-9]{3,}\s*[\]］】)）]|[0-9]{3,}\s*[-－—.、]?)\s*")

_KEYS = {id(labels): frozenset(labels) for labels in (PROJECT_FIELDS, DEPARTMENT_FIELDS)}


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


def is_department_title(row: Row) -> bool:
    return is_title(row) and bool(DEPARTMENT_TITLE.search(title_of(row)))


def first_field(row: Row, labels: dict) -> str | None:
    if not row.filled:
        return None
    first = spaced_fields(row.filled[0], labels)[0]
    named = field_named(split_fields(first, _KEYS[id(labels)])[0], labels)
    if named is None and len(row.filled) > 1 and labels is PROJECT_FIELDS:
        # 专项基本情况 | 专项名称 | …: a group heading before the name's label
        second = field_named(row.filled[1], labels)
        named = second if second and second[0] == "name" else None
    return named[0] if named else None


def amount_unit_of(text: str) -> str | None:
    """万元 or 元 from `单位：万元`, `资金情况（万元）`, `金额单位:元`."""
    folded = fold(text)
    for unit in ("万元", "元"):
        if unit in folded:
            return unit
    return None


_A_YEAR = re.compile(r"^(?:19|20)[0-9]{2}\s*年度?$")
_TRAILING_CODE = re.compile(r"(?:\s+|\s*[-－—(（\[［]\s*)[0-9]{3,}\s*[)）\]］]?\s*$")


_AMOUNT_FIELDS = {"all", "appropriation", "other"}


def _amount_columns(cells: list[str], labels: dict, values: int) -> list[tuple[str | None, str]] | None:
    """A row naming funds side by side (资金来源(万元) | 财政拨款 | 非税安排 | 上年结转 | 其他): the
    field of each column (None for a source the graph has no field for), when at least two are
    amounts the forms name and the row below holds exactly one amount per column (a first cell
    that is the group's heading aside); None otherwise, and then both rows are read as before.
    A blank cell in the row below is lost from the text, so a count that differs says nothing
    about which column is blank: such rows are not paired."""
    named = [field_named(cell, labels) for cell in cells]
    columns = [(n[0] if n else None, cell) for n, cell in zip(named, cells)]
    if len(columns) == values + 1 and columns[0][0] not in _AMOUNT_FIELDS:
        columns = columns[1:]  # 资金来源(万元): the group's heading
    if len(columns) != values or values < 2 or sum(field in _AMOUNT_FIELDS for field, _ in columns) < 2:
        return None
    if any(re.search(r"[0-9]", cell) or (field is not None and field not in _AMOUNT_FIELDS) for field, cell in columns):
        return None  # a row that holds amounts itself (项目金额 | 164万元 | 其中… | 132万元), or other fields
    return columns


def _is_amount(cell: str) -> bool:
    return parse_number(fold(cell).replace(" ", "").removesuffix("万元").removesuffix("元")) is not None


def unit_name(text: str) -> str:
    """A budget unit's name without the code some templates put before or after it:
    `[066]六安市农业农村局`, `813-潼南区五桂镇`, `湘潭市城市管理和综合执法局 308001` → the name."""
    return " ".join(_TRAILING_CODE.sub("", _UNIT_CODE.sub("", text)).split()) or " ".join(text.split())


def spaced_fields(cell: str, labels: dict) -> list[str]:
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



def _cells_by_line(tokens: list[tuple[int, str]], labels: dict) -> list[tuple[int, list[str]]]:
    """Each line's cells, a cell of several spaced or run-together fields split into them."""
    by_line: dict[int, list[str]] = {}
    for line, cell in tokens:
        for part in spaced_fields(cell, labels):
            by_line.setdefault(line, []).extend(split_fields(part, _KEYS[id(labels)]) if " " not in part.strip() else [part])
    return list(by_line.items())


def _columns_over_amounts(lines: list[tuple[int, list[str]]], labels: dict) -> dict[int, list[tuple[str | None, str]]]:
    """Each line of amounts under a line of fund labels (资金来源 | 财政拨款 | 非税安排 | …), with
    the columns above it: (field or None, label)."""
    by_column: dict[int, list[tuple[str | None, str]]] = {}
    for (_, above), (below_line, below) in zip(lines, lines[1:]):
        columns = _amount_columns(above, labels, len(below))
        if columns and all(_is_amount(cell) for cell in below):
            by_column[below_line] = columns
    return by_column


class FieldReading:
    """Label and value cells of a form, and the amounts among them (a mixin of the reader)."""

    def _walk(self, tokens: list[tuple[int, str]], labels: dict, context: str) -> dict[str, list[tuple[int, str]]]:
        """Label cells and the cells after them, one row or one cell per line alike: each cell
        after a label belongs to it until the next label. Two goal labels side by side
        (中期目标 | 年度目标) share out the row below them by position."""
        fields: dict[str, list[tuple[int, str]]] = {}
        current = None
        side_by_side: list[str] | None = None
        label_line, alone, taken = 0, False, 0
        lines = _cells_by_line(tokens, labels)
        by_column = _columns_over_amounts(lines, labels)
        for index, (line, cells) in enumerate(lines):
            if side_by_side and len(cells) == len(side_by_side) and not any(field_named(c, labels) for c in cells):
                for field, cell in zip(side_by_side, cells):
                    fields.setdefault(field, []).append((line, cell))
                    self.reading.note(line, f"{field} (by its column): {cell}")
                side_by_side = None
                continue
            if index + 1 < len(lines) and lines[index + 1][0] in by_column:
                # a row of fund labels (资金来源 | 财政拨款 | 非税安排 | … | 其他) over as many amounts
                for field, cell in by_column[lines[index + 1][0]]:
                    self.reading.note(line, f"label {cell.strip()} → {field} (a column; its amount is below)" if field
                                      else f"a column label: {cell.strip()}")
                current = None
                continue
            if line in by_column:
                for (field, label), cell in zip(by_column[line], cells):
                    if field:
                        fields.setdefault(field, []).append((line, cell))
                        self.reading.note(line, f"{field} (by its column, {label}): {cell}")
                    else:
                        self.reading.keep(line, cell, f"{context}, the column {label}")
                current = None
                continue
            goal_labels = [field_named(c, labels)[0] for c in cells if field_named(c, labels)
                           and field_named(c, labels)[0] in ("goal", "long_goal")]
            if len(set(goal_labels)) == 2 and len(goal_labels) == len([c for c in cells if field_named(c, labels)]):
                side_by_side = goal_labels
            for position, cell in enumerate(cells):
                named = field_named(cell, labels)
                if named is not None:
                    current, inline = named
                    # alone on its line: beside it at most the end of its own label (…及其编码)
                    alone = all(k == position or key(other) in LABEL_TAILS or key(other) in SECTION_LABELS
                                for k, other in enumerate(cells))
                    label_line, taken = line, 0
                    if current is not None or amount_unit_of(cell):
                        if current is None and amount_unit_of(cell):
                            fields.setdefault("amount_unit", []).append((line, amount_unit_of(cell)))
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
        for year_line, year in [v for v in values if _A_YEAR.match(fold(v[1]))]:  # 年度资金总额 | 2024年度 | 100
            self.reading.keep(year_line, year, f"a year beside the amount for {label}")
        values = [v for v in values if not _A_YEAR.match(fold(v[1]))]
        if not values:
            return None
        (line, text), *rest = values
        for extra_line, extra in rest:
            self.reading.keep(extra_line, extra, f"a second cell for {label}")
        doubts: list[str] = []
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
            doubts.append("cell-fits-column-badly")  # a number picked out of a cell of words
        self.reading.note(line, f"amount {label}: {text}")
        for code in doubts:
            self.reading.note(line, f"needs review: {code}")
        return FundAmount("project", source, amount * factor, text, line, doubts=tuple(doubts),
                          evidence=f"field — {label}: {text}")

