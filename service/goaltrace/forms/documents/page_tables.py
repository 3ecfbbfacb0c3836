"""Ruled tables as printed → the rows the form reader reads best.

A table read from a page keeps its cells by column, which says more than the cells' words do:
the second column of an indicator table is its level 2 whatever it is called (经济成本, 社会效益指
标 wrapped over two lines). This normaliser reads an indicator table by the positions its header
gives and writes each row in the header's order, with the level cells that a merge left empty
filled in from the row above, so that the form reader never has to guess a cell's column.

It follows a table across a page break: a table that starts a page with no title above it
continues the one before, its repeated header dropped, its empty level cells filled from the
last row of the previous page. Rows that are not indicator rows (the form's fields, other
tables) pass as printed.
"""

from dataclasses import dataclass, field

from .. import catalogue
from ..comparators import comparator_named
from ..labels import LEVEL1, LEVEL2, NAME, column_named, is_closing, is_header_of_indicators
from ..text import key
from ..values import parse_number
from .cells import joined

_SUBHEADER_ROLES = {"value", "long-term-value"}


@dataclass
class _Columns:
    """An indicator header's columns: each role and the positions it spans."""

    spans: list[tuple[str, str, list[int]]]  # (role, label as printed, positions)
    width: int
    signature: tuple[str, ...]

    def cells(self, row: list[str | None]) -> dict[str, str]:
        out = {}
        for role, _, positions in self.spans:
            out[role + str(positions[0])] = next((joined(row[p]) for p in positions if p < len(row) and row[p]), "")
        return out


@dataclass
class TableState:
    """What a document's tables carry from one page to the next."""

    columns: _Columns | None = None
    levels: dict[str, str] = field(default_factory=dict)  # role → the level cell in force
    titled: bool = False  # a title or field row stood above the current table on this page


def header_columns(row: list[str | None], below: list[str | None] | None) -> _Columns | None:
    """The columns of an indicator header row, or None when the row is no such header."""
    texts = [joined(c) for c in row]
    if not is_header_of_indicators([t for t in texts if t]):
        return None
    spans: list[tuple[str, str, list[int]]] = []
    current = None
    for position, text in enumerate(texts):
        if row[position] is None and current is not None:
            current[2].append(position)  # a header cell merged over several columns
            continue
        role = column_named(text) if text else None
        if role is None and text and key(text) in _PROJECT_COLUMNS:
            role = "project"
        current = (role, text, [position]) if role else None
        if current is not None:
            spans.append(current)
    if below is not None:
        spans = _refined(spans, [joined(c) for c in below])
    signature = tuple(key(label) for _, label, _ in spans)
    return _Columns(spans, len(row), signature)


_PROJECT_COLUMNS = {"项目名称", "项目总额", "财政资金", "其他资金", "绩效目标", "年度目标", "年度绩效目标", "单位名称",
                    "预算数", "预算金额", "项目预算数", "资金总额", "总计", "财政拨款", "项目名称（资金使用单位）"}


def _refined(spans, below: list[str]) -> list:
    """A second header row naming the value columns (指标值 → 中期指标值 | 年度指标值)."""
    filled = [(p, t) for p, t in enumerate(below) if t]
    if not filled or not all(column_named(t) in _SUBHEADER_ROLES for _, t in filled):
        return spans
    out = []
    for role, label, positions in spans:
        inside = [(p, t) for p, t in filled if p in positions]
        if role in _SUBHEADER_ROLES and len(inside) >= 2:
            for k, (p, t) in enumerate(inside):
                end = inside[k + 1][0] if k + 1 < len(inside) else positions[-1] + 1
                out.append((column_named(t), t, list(range(p, end))))
        else:
            out.append((role, label, positions))
    return out


def normalise(table: list[list[str | None]], state: TableState) -> list[tuple[int, list[str]]]:
    """(row index in the table, cells) for every row worth reading, in the reader's layout."""
    out: list[tuple[int, list[str]]] = []
    skip = 0
    for index, row in enumerate(table):
        if skip:
            skip -= 1
            continue
        below = table[index + 1] if index + 1 < len(table) else None
        columns = header_columns(row, below)
        if columns is not None:
            subheader = _refined(columns.spans, [joined(c) for c in below]) is not columns.spans if below else False
            repeated = state.columns is not None and columns.signature == state.columns.signature and not state.titled
            if not repeated:
                state.columns, state.levels = columns, {}
                out.append((index, [label for _, label, _ in columns.spans]))
                if below is not None and any(column_named(joined(c)) in _SUBHEADER_ROLES for c in below if c):
                    skip = 1 if subheader or _all_subheader(below) else 0
            else:
                skip = 1 if below is not None and _all_subheader(below) else 0
            state.titled = False
            continue
        texts = [joined(c) for c in row]
        filled = [t for t in texts if t]
        if not filled:
            continue
        columns = state.columns
        if columns is None or len(row) != columns.width or _ends_indicators(filled):
            if columns is not None and (len(row) != columns.width or _ends_indicators(filled)):
                state.columns, state.levels = None, {}
            state.titled = True
            out.append((index, texts))
            continue
        if _fits(row, columns):
            out.append((index, _indicator_cells(row, columns, state)))
        else:
            _follow_levels(filled, state)
            out.append((index, texts))
    return out


def _follow_levels(filled: list[str], state: TableState):
    """The levels a row read by its words names (a template row of level names alone), in force
    for the rows below it."""
    for text in filled:
        if (level := catalogue.level1_named(text)) is not None and not catalogue.level2_named(text):
            state.levels = {LEVEL1: level.label}
        elif (level := catalogue.level2_named(text, True)) is not None:
            parent = next(one.label for one in catalogue.LEVEL1 if one.key == level.parent)
            state.levels = {LEVEL1: parent, LEVEL2: level.label}


def _fits(row: list[str | None], columns: _Columns) -> bool:
    """Does the row stand in its header's columns? Its name cell holds a name (not a level, a
    comparator or a number) and its level cells hold levels of their own rank. A table drawn
    from text that had already lost its merged cells does not, and is read by what its cells
    say instead."""
    covered = {p for _, _, positions in columns.spans for p in positions}
    if any(text and position not in covered for position, text in enumerate(row)):
        return False
    for role, _, positions in columns.spans:
        text = _cell(row, positions)
        if role == NAME and (not text or catalogue.level1_named(text) or catalogue.level2_named(text)
                             or comparator_named(text) or parse_number(text.rstrip("%％")) is not None):
            return False
        if role == "value" and text and comparator_named(text) and parse_number(text) is None:
            return False
        if role == "weight" and text and parse_number(text.rstrip("分%％")) is None:
            return False
        if role == LEVEL1 and text and catalogue.level2_named(text) and not catalogue.level1_named(text):
            return False
        if role == LEVEL2 and text and not (catalogue.level2_named(text, True) or catalogue.level1_named(text)) \
                and (comparator_named(text) or parse_number(text.rstrip("%％")) is not None or len(text) > 12):
            return False
    return True


def _all_subheader(row: list[str | None]) -> bool:
    cells = [joined(c) for c in row if c]
    return bool(cells) and all(column_named(c) in _SUBHEADER_ROLES for c in cells)


def _ends_indicators(filled: list[str]) -> bool:
    first = key(filled[0])
    return is_closing(filled[0]) or first in ("项目名称", "主管部门", "实施单位", "预算单位", "单位名称", "部门名称") \
        or "绩效目标表" in first or "绩效自评表" in first


def _indicator_cells(row: list[str | None], columns: _Columns, state: TableState) -> list[str]:
    cells = []
    named = any(role == NAME and _cell(row, positions) for role, _, positions in columns.spans)
    for role, _, positions in columns.spans:
        text = _cell(row, positions)
        if role in (LEVEL1, LEVEL2):
            if text:
                text = _level_label(text, role)
                state.levels[role] = text
                if role == LEVEL1:
                    state.levels.pop(LEVEL2, None)
            elif named and all(row[p] is None or not row[p] for p in positions):
                text = state.levels.get(role, "")  # merged above, or cut by the page break
        cells.append(text)
    return cells


def _cell(row: list[str | None], positions: list[int]) -> str:
    return next((joined(row[p]) for p in positions if p < len(row) and row[p]), "")


def _level_label(text: str, role: str) -> str:
    """A level cell in the catalogue's words when it names one (经济成本 → 经济成本指标)."""
    if role == LEVEL2:
        level = catalogue.level2_named(text) or catalogue.level2_named(text, True)
    else:
        level = catalogue.level1_named(text) or catalogue.level1_named(text, True)
    return level.label if level is not None else text
