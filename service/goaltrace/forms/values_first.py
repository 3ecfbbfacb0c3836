"""An outcome table flattened with all its values before the names they belong to, as text
extracted from some PDFs comes out: the header (with the first row's level and name caught
inside it), then every row's target, result, points and score, then the total's points and
score, and only then the level names and the indicators' names, in row order.

The values are read in the header's order, a row at a time, for as long as the points and the
score are numbers; the names are then paired with the rows by position: the n-th name with the
n-th row, and the n-th level-2 name with it where there are as many level-2 names as rows. A
name wrapped across cells leaves its last character or two on their own (与委托运营方结算完成 /
率): such a piece is joined to the name before it. The table is then written out again in the
ordinary order (level names, name, values), which the self-evaluation reader reads as any table.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

from . import catalogue
from .labels import ACTUAL, DEVIATION, NAME, NOTE, SCORE, TOTAL_SCORE_LABELS, VALUE, WEIGHT, outcome_column_named
from .text import key
from .values import parse_number

_HEADER_TEXT = {VALUE: "年度指标值", ACTUAL: "实际完成值", WEIGHT: "分值", SCORE: "得分"}
_SECTION = {"绩效指标"}
_PAGE = re.compile(r"^-?\s*[0-9]+\s*-?$")


def _level(text: str):
    return catalogue.level2_named(text) or catalogue.level1_named(text)


def _is_number(text: str) -> bool:
    return parse_number(key(text)) is not None


def _role(cells, i) -> tuple[str | None, int]:
    """The header role at cells[i], or at cells[i] and cells[i+1] together (年度 / 指标值)."""
    if i + 1 < len(cells):
        joined = outcome_column_named(key(cells[i].text) + key(cells[i + 1].text))
        if joined is not None:
            return joined, 2
    return outcome_column_named(cells[i].text), 1


def reorder(cells: list, make: Callable, notes: Callable) -> list | None:
    """The cells with a values-first outcome table written out in row order, or None when the
    cells hold no such table."""
    start = next((i for i, c in enumerate(cells) if key(c.text) == "一级指标"), None)
    if start is None:
        return None
    roles, caught_levels, caught_names = [], [], []
    i = start
    while i < len(cells):
        role, taken = _role(cells, i)
        text = key(cells[i].text)
        if role is not None:
            roles.append(role)
        elif _level(text):
            caught_levels.append(cells[i])
        elif re.search(r"[0-9%]", text) or {VALUE, ACTUAL, WEIGHT, SCORE} <= set(roles):
            break  # the first value: the header is over
        else:
            caught_names.append(cells[i])
        i += taken
    values = [r for r in roles if r in (VALUE, ACTUAL, WEIGHT, SCORE)]
    if not ({NAME, VALUE, ACTUAL} <= set(roles) and WEIGHT in values and SCORE in values):
        return None
    rows, i = _value_rows(cells, i, values)
    total = None
    if i + 1 < len(cells) and _is_number(cells[i].text) and _is_number(cells[i + 1].text):
        total = (cells[i], cells[i + 1])
        i += 2
    if not rows:
        return None
    levels, names, end = _names(cells, i, caught_levels, caught_names)
    if len(names) != len(rows):
        return None
    level2s = [c for c in levels if catalogue.level2_named(c.text)]
    if len(level2s) != len(rows):
        return None
    notes(cells[start].line, f"outcome table with its values before its names: {len(rows)} rows paired with "
                             f"{len(names)} names and {len(level2s)} level-2 names by position")
    out = list(cells[:start])
    out += [make(cells[start].line, label, True) for label in ("一级指标", "二级指标", "三级指标")]
    out += [make(cells[start].line, _HEADER_TEXT[role], True) for role in values]
    level1 = None
    for row, name, level2 in zip(rows, names, level2s):
        parent = catalogue.level2_named(level2.text).parent
        if parent != level1:
            label = next(level.label for level in catalogue.LEVEL1 if level.key == parent)
            out.append(make(level2.line, label, True))
            level1 = parent
        out.append(make(level2.line, key(level2.text), True))
        out.append(make(name.line, name.text, True))
        out += [make(c.line, c.text, False) for c in row]
    if total is not None:
        out.append(make(total[0].line, "总分", True))
        out += [make(c.line, c.text, False) for c in total]
    out += [c for c in cells[end:] if key(c.text) not in TOTAL_SCORE_LABELS]
    return out


def _value_rows(cells, i, roles) -> tuple[list[list], int]:
    """Whole rows of values from cells[i] on, in the header's order."""
    rows = []
    while i + len(roles) <= len(cells):
        row = cells[i:i + len(roles)]
        fits = all(_is_number(c.text) if role in (WEIGHT, SCORE) else not _level(key(c.text)) and len(key(c.text)) <= 16
                   for role, c in zip(roles, row))
        if not fits:
            break
        rows.append(row)
        i += len(roles)
    return rows, i


def _names(cells, i, caught_levels, caught_names):
    """The level names and the indicators' names from cells[i] up to 总分, a wrapped name's
    last piece joined to it; and the index where they stop."""
    levels, names = list(caught_levels), [(c.line, c.text.strip()) for c in caught_names]
    singles: list = []

    def flush_singles():
        joined = "".join(key(c.text) for c in singles)
        if joined and joined not in _SECTION:  # 绩 / 效 / 指 / 标: a label set one character a line
            for c in singles:
                _add_piece(names, c)
        singles.clear()

    while i < len(cells):
        text = key(cells[i].text)
        if text in TOTAL_SCORE_LABELS or text.startswith(TOTAL_SCORE_LABELS):
            break
        if len(text) == 1:
            singles.append(cells[i])
        else:
            flush_singles()
            if _level(text):
                levels.append(cells[i])
            elif text not in _SECTION and not _PAGE.match(text) and outcome_column_named(text) not in (DEVIATION, NOTE):
                names.append((cells[i].line, cells[i].text.strip()))
        i += 1
    flush_singles()
    return levels, [_Named(line, text) for line, text in names], i


@dataclass(frozen=True)
class _Named:
    """An indicator's name, its pieces joined, with the line of its first piece."""

    line: int
    text: str


def _add_piece(names: list, cell) -> None:
    """A piece of one character ends the name before it (与委托运营方合同完成 / 率)."""
    if names:
        line, text = names[-1]
        names[-1] = (line, text + key(cell.text))
    else:
        names.append((cell.line, key(cell.text)))
