"""An outcome table flattened to words with its indicators numbered (指标1:…), as a spreadsheet
saved by a document-sharing site comes out: the header's cells interleaved with the rows, names
wrapped over two words, and some rows' values printed apart from their names.

The words after the header's 一级指标 are sorted into level names (产出 指标 (50分), 社会效益), the
numbered names (指标3:…, with the word after a long name as the rest of its wrap), values (a
number, a number and its unit, 不少于12 种) and the reason written after a row's values. The
header's own words (分值, 得分, 偏差原因分析及改进措 / 施) are passed over. The values are grouped
as rows of target, result, points and score, the points and score being numbers; where a run of
values gives every row's target first and then every row's result, points and score, it is read
that way. Each name takes the rows of values that follow it; a name followed by none waits for
the next values (a name printed before a neighbour's), and rows of values printed before any name
that could take them go to the names that come after. A row paired with its name in either way,
not by standing after it, is a guess (column taken by position). The table is then written out
again in the ordinary order, which the self-evaluation reader reads as any table.
"""

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from . import catalogue
from .comparators import comparator_named, split_leading_comparator
from .labels import LEVEL1, TOTAL_SCORE_LABELS, outcome_column_named
from .text import key
from .units import unit_labelled
from .values import parse_number

_NUMBERED = re.compile(r"^指标\s*([0-9]+)\s*[:：]\s*(.*)$")
_POINTS = re.compile(r"[(（]?\s*[0-9]+(?:\.[0-9]+)?\s*分\s*[)）]?")  # (50分): the points a level carries
_WRAPPED = 8  # a name at least this long may go on in the next word (a cell's text wrapped)
_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分", "偏差原因分析及改进措施")
_POSITION = ("column-by-position",)
_SECTIONS = {"绩效指标", "绩效目标"}


@dataclass
class _Name:
    line: int
    number: int
    text: str
    level1: str | None
    level2: str | None
    values: list = field(default_factory=list)  # [value cells, reason words] pairs, as they followed the name
    row: list | None = None  # the row of values it was given
    guessed: bool = False
    wrapped: bool = False


def _is_number(text: str) -> bool:
    return parse_number(key(text)) is not None


def _value_like(text: str) -> bool:
    return bool(re.search(r"[0-9]", text) or comparator_named(text) or split_leading_comparator(text)[0])


def _level(tokens: list, i: int, level1: str | None) -> tuple[tuple[str, str | None] | None, int]:
    """The level named by up to three words from tokens[i] (产出 / 指标 / (50分)): (level 1, level 2)
    and the number of words taken."""
    for taken in (3, 2, 1):
        words = [key(t.text) for t in tokens[i:i + taken]]
        if len(words) < taken or any(_NUMBERED.match(w) for w in words):
            continue
        text = _POINTS.sub("", "".join(words)).strip("()（）")
        if not text or (taken > 1 and _value_like(words[-1]) and not _POINTS.fullmatch(words[-1])):
            continue
        level2 = catalogue.level2_named(text, loose=True)
        level1_named = catalogue.level1_named(text)
        if level2 is not None and (level1_named is None or level1 in (None, level2.parent)):
            return (level2.parent, level2.key), taken
        if level1_named is not None:
            return (level1_named.key, None), taken
    return None, 0


def _rows(values: list) -> tuple[list, list, bool]:
    """Whole rows (target, result, points, score) from the start of `values`, each with its
    reason; the values left over; whether the rows came as a block (targets first)."""
    rows, i = [], 0
    while i + 4 <= len(values) and all(_is_number(v[0].text) for v in values[i + 2:i + 4]):
        rows.append(([v[0] for v in values[i:i + 4]], values[i + 3][1]))
        i += 4
    if rows or len(values) < 8 or len(values) % 4:
        return rows, values[i:], False
    k = len(values) // 4
    triples = values[k:]
    if all(_is_number(triples[j][0].text) and _is_number(triples[j + 1][0].text) and not _is_number(triples[j - 1][0].text)
           for j in range(1, len(triples), 3)):
        return [([values[n][0], *(v[0] for v in triples[3 * n:3 * n + 3])], triples[3 * n + 2][1]) for n in range(k)], [], True
    return [], values, False


class _Scan:
    """The words of the table, sorted into names, values and levels as they come."""

    def __init__(self, notes: Callable):
        self.notes = notes
        self.level1: str | None = None
        self.level2: str | None = None
        self.names: list[_Name] = []
        self.first_level2: str | None = None  # the first level 2 named after a name with none
        self.before: list = []  # values before any name

    def read(self, tokens: list) -> int:
        """Sort the words; the index of the 总分 that ends the table (or the end)."""
        i = 0
        while i < len(tokens):
            text = key(tokens[i].text)
            if text.startswith(TOTAL_SCORE_LABELS):
                return i
            numbered = _NUMBERED.match(text)
            if numbered:
                self.names.append(_Name(tokens[i].line, int(numbered.group(1)), numbered.group(2),
                                        self.level1, self.level2, wrapped=False))
                i += 1
                continue
            spelt = _spelt_section(tokens, i)
            if spelt:
                i += spelt  # 绩 / 效 / 指 / 标: the section's label, one character a word
                continue
            level, taken = _level(tokens, i, self.level1)
            if level is not None:
                if level[1] is not None and self.first_level2 is None and any(n.level1 is None for n in self.names):
                    self.first_level2 = level[1]
                kept = level[1] is None and catalogue.level2_key_parent(self.level2 or "") == level[0]
                self.level1, self.level2 = level[0], self.level2 if kept else level[1]
                if self.names:
                    self.names[-1].wrapped = True  # nothing more of its name follows a level
                i += taken
                continue
            self._word(tokens[i], text)
            i += 1
        return len(tokens)

    def _word(self, token, text: str) -> None:
        name = self.names[-1] if self.names else None
        values = name.values if name else self.before
        if _value_like(text) and not _POINTS.fullmatch(text):
            values.append([token, ""])
            if name:
                name.wrapped = True
            return
        if outcome_column_named(text) is not None or _POINTS.fullmatch(text) or text in "()（）":
            return  # a header cell, or a level's points, among the rows
        if values and _is_unit_after(values[-1][0].text, text):
            values[-1][0] = _joined(values[-1][0], token, " ")
            return
        if name and not name.wrapped and not values and (len(name.text) >= _WRAPPED or len(text) <= 2):
            name.text += text
            name.wrapped = True
            return
        if values and len(values) % 4 == 0 and len(text) > 1:
            values[-1][1] += text  # the reason for a deviation, written after the row's values
            return
        self.notes(token.line, f"a word of the flattened table's header, passed over: {text}")


def _spelt_section(tokens: list, i: int) -> int:
    """How many one-character words from tokens[i] spell a section label (绩效指标), or 0."""
    j = i
    while j < len(tokens) and len(key(tokens[j].text)) == 1:
        j += 1
    return j - i if j - i > 1 and "".join(key(t.text) for t in tokens[i:j]) in _SECTIONS else 0


def _is_unit_after(value: str, text: str) -> bool:
    """A unit on its own after a number: one goaltrace knows, or any short word after a target
    with its comparator (不少于12 / 种); not a header's last character (8755 / 施)."""
    if not re.search(r"[0-9]$", key(value)) or not 0 < len(text) <= 2 or _value_like(text):
        return False
    return unit_labelled(text) is not None or split_leading_comparator(key(value))[0] is not None


@dataclass(frozen=True)
class _Word:
    line: int
    text: str


def _joined(first, second, between: str) -> _Word:
    return _Word(first.line, first.text.strip() + between + second.text.strip())


def _pair(scan: _Scan) -> tuple[list[_Name], list]:
    """Give each name its row of values; what is left over (the total's numbers)."""
    waiting: list[_Name] = []
    carried: list = list(scan.before)
    spare: list = []  # rows no name before them could take
    for name in scan.names:
        if spare and not name.values:
            name.row, name.guessed = spare.pop(0), True
            continue
        waiting.append(name)
        carried += name.values
        rows, carried, block = _rows(carried)
        if not rows:
            continue
        by_number = block or len(rows) != len(waiting)
        first = waiting[0].number
        for waiter in waiting:
            at = waiter.number - first if by_number else waiting.index(waiter)
            if 0 <= at < len(rows):
                waiter.row, waiter.guessed = rows[at], block or len(waiting) > 1
        taken = max((w.number - first for w in waiting), default=-1) if by_number else len(waiting) - 1
        spare += rows[taken + 1:]
        waiting = [w for w in waiting if w.row is None]
    return scan.names, carried


def reorder(cells: list, make: Callable, notes: Callable) -> list | None:
    """The cells with a numbered, flattened outcome table written out in row order, or None
    when the cells hold no such table."""
    numbered = [i for i, c in enumerate(cells) if _NUMBERED.match(key(c.text))]
    if len(numbered) < 3:
        return None
    start = next((i for i in range(numbered[0], -1, -1) if _starts_header(cells, i)), None)
    if start is None:
        return None
    scan = _Scan(notes)
    end = start + 1 + scan.read(cells[start + 1:])
    names, left = _pair(scan)
    if not any(n.row for n in names):
        return None
    _levels_before_the_first(scan)
    notes(cells[start].line, f"outcome table flattened to words, its {len(names)} numbered names paired with their "
                             "rows of values")
    out = list(cells[:start]) + [make(cells[start].line, label, True) for label in _HEADER]
    level1 = None
    for name in names:
        out += _row_cells(name, make, level1 != name.level1 or name.level2 is None)
        level1 = name.level1
        if name.row is None:
            break  # a name with no values: the text stops here
    total = [w for w, _ in left]
    if end < len(cells):
        out.append(make(cells[end].line, "总分", True))
        out += [make(w.line, w.text, False) for w in total if _is_number(w.text)][-2:]
    return out


def _starts_header(cells: list, i: int) -> bool:
    """一级指标 as one cell or as 一级 / 指标."""
    joined = key(cells[i].text) + (key(cells[i + 1].text) if i + 1 < len(cells) else "")
    return outcome_column_named(cells[i].text) == LEVEL1 or outcome_column_named(joined) == LEVEL1


def _levels_before_the_first(scan: _Scan) -> None:
    """Rows above the first level name printed: where that name is the second level 2 of its
    level 1 in the catalogue (质量指标), the rows before it are the first's (产出指标, 数量指标),
    as the template prints them."""
    if scan.first_level2 is None:
        return
    named = next(level for level in catalogue.LEVEL2 if level.key == scan.first_level2)
    siblings = [level for level in catalogue.LEVEL2 if level.parent == named.parent]
    if siblings.index(named) != 1:
        return
    for name in scan.names:
        if name.level1 is None and name.level2 is None:
            name.level1, name.level2 = named.parent, siblings[0].key


def _row_cells(name: _Name, make: Callable, with_level1: bool) -> list:
    doubts = _POSITION if name.guessed else ()
    out = []
    if name.level1 is not None and with_level1:
        out.append(make(name.line, next(level.label for level in catalogue.LEVEL1 if level.key == name.level1), True))
    if name.level2 is not None:
        out.append(make(name.line, next(level.label for level in catalogue.LEVEL2 if level.key == name.level2), True))
    out.append(make(name.line, name.text, True, doubts))
    if name.row is not None:
        values, reason = name.row
        out += [make(w.line, w.text.strip(), False) for w in values]
        if reason:
            out.append(make(name.line, reason, False))
    return out
