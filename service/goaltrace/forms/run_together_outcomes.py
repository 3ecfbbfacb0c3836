"""A self-evaluation whose cells were run together: a scan's or a document viewer's text that
kept no separator between cells (`…损坏的音50件50件2020望新点…`).

The text is cut at the labels a self-evaluation uses (field labels, budget and outcome header
labels, level names, the 指标N: placeholders, 总分), matched with any spaces inside them
(`分 值`, `服务对象 满意度指 标`). What lies between two labels is a run of values:

- after the budget total (年度资金总额), the amounts, the points and the rate: `303010100%` is
  30 | 30 | 10 | 100%, the split in which the amount spent over the budget gives the rate;
- after a level name, one or more outcome rows, each a name followed by the header's columns:
  `更新剧团老化、损坏的音50件50件2020` is the name, 50件, 50件 and 20 | 20, where the points and
  the score merged. Of the splits that fit the columns, the reader keeps the one in which every
  score is at most its points, no points exceed the form's total, and the target equals the
  result where the score is full; a split chosen by these constraints is noted as a guess;
- after 总分, the total points and the score (`10098` is 100 | 98).

The result is a list of pieces (text, line, whether it starts a row) that the self-evaluation
reader reads as it reads cells.
"""

import re
from dataclasses import dataclass
from decimal import Decimal
from functools import cache, lru_cache

from . import catalogue
from .labels import (
    ACTUAL,
    BUDGET_COLUMNS,
    BUDGET_RATE,
    BUDGET_TOTALS,
    DEVIATION,
    NOTE,
    OUTCOME_COLUMNS,
    SCORE,
    SELF_EVALUATION_FIELDS,
    TOTAL_SCORE_LABELS,
    VALUE,
    WEIGHT,
    budget_column_named,
    outcome_column_named,
)
from .labels import BUDGET_EXECUTED as BUDGET_EXECUTED_ROLE
from .labels import BUDGET_OPENING as BUDGET_OPENING_ROLE
from .labels import BUDGET_PLANNED as BUDGET_PLANNED_ROLE
from .run_together import QUALITATIVE
from .text import key

_VIEWER_MARK = re.compile(r"^\s*[0-9]{1,2}、")  # a document viewer's page number opening each line
_PLACEHOLDER = re.compile(r"(?:指\s*标|任\s*务)\s*[0-9]+\s*[:：]")
_FUNDS = ("项目负责人及电话", "项目负责人", "联系电话", "其中", "当年财政拨款", "本年财政拨款", "财政拨款", "上年结转资金", "其他资金")
_SECTIONS = ("项目资金", "年度总体目标", "预期目标", "实际完成情况", "绩效指标", "全年执行")
_NUMBER = r"(?:0|[1-9][0-9]*)(?:\.[0-9]+)?"
# Words a result is written in where it is no number (完成, 达成目标值), beside the qualitative targets
_RESULT_WORDS = ("达成目标值", "达成目标", "已完成", "完成", "已公开", "按规定时限", "按规定执行")
_WORDS = sorted((*QUALITATIVE, *_RESULT_WORDS), key=len, reverse=True)
_RELATIVE = ("超上年度", "超上年", "比上年", "较上年")  # a target set against last year's: 超上年2%
_VALUE = re.compile(rf"(?:{'|'.join(_RELATIVE)})?(?:[≥≤><=＞＜≧≦]=?)?{_NUMBER}(?:%|[^\s0-9%、，,。:：；;≥≤><=＞＜]{{1,3}})?(?:以上|以下|以内)?|"
                    + "|".join(map(re.escape, _WORDS)))
_POINTS = re.compile(_NUMBER)
_VALUE_START = re.compile(r"[0-9≥≤><=＞＜≧≦]|" + "|".join(map(re.escape, (*_WORDS, *_RELATIVE))))
_SHORT = {"其中", "分值", "得分", "总分", "权重", "预算数", "执行数", "执行率", "指标值", "目标值", "实际值", "完成值"}


_LONGEST_RUN = 300
_LONGEST_TEXT = 60_000  # a run-together form is a page or two; longer texts are not cut this way
_MOST_WORK = 50_000  # readings weighed for one run, at most  # characters between two labels read as rows; longer runs are left whole
_LEVEL_STEMS: dict[str, str] = {}  # 服务对象满意度 → 服务对象满意度指标, filled with the labels


@dataclass(frozen=True)
class Piece:
    line: int
    text: str
    starts: bool  # begins a row (a label, a level name, an indicator's name)


def _spaced(label: str) -> str:
    return r"\s*".join(map(re.escape, label))


@lru_cache(maxsize=1)
def _labels() -> tuple[re.Pattern, frozenset]:
    names = set(SELF_EVALUATION_FIELDS) | set(BUDGET_COLUMNS) | set(BUDGET_TOTALS) | set(OUTCOME_COLUMNS)
    names |= {"一级指标", "二级指标", "三级指标", *_FUNDS, *_SECTIONS, *TOTAL_SCORE_LABELS}
    levels = {key(n) for level in (*catalogue.LEVEL1, *catalogue.LEVEL2) for n in (level.label, *level.variants)}
    # a level 2 written without its closing 指标 (服务对象满意度), where what is left is long enough
    # not to be part of an indicator's name
    stems = {n.removesuffix("指标"): n for n in levels if n.endswith("指标") and len(n) >= 8}
    _LEVEL_STEMS.update(stems)
    names |= levels | set(stems)
    # short labels only where they cannot be part of an indicator's name (满意度, 部门 can)
    chosen = sorted((n for n in names if (len(n) >= 4 or n in _SHORT) and not re.search(r"[()（）]", n)),
                    key=len, reverse=True)
    return re.compile(f"(?:{'|'.join(_spaced(n) for n in chosen)})(?:\\s*[:：])?"), frozenset(chosen)


_BRACKETED = re.compile(r"[(（][^()（）]{0,15}[)）]")  # a note inside a label: (A), (万元), (20分*执行率)


def looks_run_together(text: str) -> bool:
    """Whether the outcome header's labels stand in the text with nothing between them
    (notes in brackets aside): 三级指标 directly followed by the target or points column."""
    squeezed = _BRACKETED.sub("", re.sub(r"\s+", "", text))
    following = sorted((n for n, role in OUTCOME_COLUMNS.items() if role in (VALUE, WEIGHT)), key=len, reverse=True)
    return bool(re.search(f"三级指标(?:{'|'.join(map(re.escape, following))})|年度指标值实际完成值", squeezed))


def _joined(text: str) -> tuple[str, list[int]]:
    """The text's lines joined without their viewer marks, and each character's line."""
    chars, lines = [], []
    for number, line in enumerate(text.split("\n"), 1):
        line = _VIEWER_MARK.sub("", line.rstrip("\r"))
        chars.append(line)
        lines.extend([number] * len(line))
    return "".join(chars), lines


def pieces_of(text: str, notes) -> list[Piece] | None:
    """The run-together text as pieces, or None when its outcome header cannot be found."""
    joined, lines = _joined(text)
    if len(joined) > _LONGEST_TEXT:
        return None
    pattern, _ = _labels()
    raw: list[tuple[int, str, bool]] = []  # (offset, text, is a label)
    at = 0
    notes_in_brackets = [m.span() for m in _BRACKETED.finditer(joined)]
    for match in re.finditer(rf"{_PLACEHOLDER.pattern}|{pattern.pattern}", joined):
        if any(start < match.start() and match.end() < end for start, end in notes_in_brackets):
            continue  # (20分*执行率): a label inside a note is part of the note
        if match.start() > at and joined[at:match.start()].strip():
            raw.append((at, joined[at:match.start()], False))
        label = key(match.group(0))
        raw.append((match.start(), _LEVEL_STEMS.get(label, label), True))
        at = match.end()
    if joined[at:].strip():
        raw.append((at, joined[at:], False))
    header = _outcome_roles(raw)
    if header is None:
        return None
    roles, header_end = header
    pieces: list[Piece] = []
    budget_roles: list[str] = []
    in_budget = False
    closed = False
    for index, (offset, piece, label) in enumerate(raw):
        line = lines[min(offset, len(lines) - 1)]
        if label:
            pieces.append(Piece(line, piece, True))
            if index < header_end:
                role = budget_column_named(piece)
                if role is not None and not in_budget:
                    budget_roles.append(role)
                in_budget = piece in BUDGET_TOTALS and bool(budget_roles)
            if piece in TOTAL_SCORE_LABELS and index > header_end:
                closed = True
            continue
        previous = raw[index - 1][1] if index else ""
        if in_budget and previous in BUDGET_TOTALS:
            pieces += [Piece(line, cell, False) for cell in _amounts(piece.strip(), budget_roles, line, notes)]
            in_budget = False
        elif index > header_end and not closed:
            pieces += _rows(piece, roles, line, notes)
        elif closed and previous in TOTAL_SCORE_LABELS:
            pieces += [Piece(line, cell, False) for cell in _total(piece.strip(), WEIGHT in roles, line, notes)]
        else:
            pieces.append(Piece(line, piece.strip(), True))
    return pieces


def _outcome_roles(raw) -> tuple[list[str], int] | None:
    """The outcome header's columns after the name, and the index of its last label."""
    first = "一级指标" if any(label and piece == "一级指标" for _, piece, label in raw) else "二级指标"
    for i, (_, piece, label) in enumerate(raw):
        if not (label and piece == first):
            continue
        roles, j = [], i
        while j < len(raw) and (raw[j][2] or _BRACKETED.fullmatch(raw[j][1].strip())):
            role = outcome_column_named(raw[j][1])
            if role == "name":
                roles.clear()  # 分解目标 | 自评权重 | 二级指标 | 三级指标: the weight before the name is the level's
            elif role is not None and role not in ("level1", "level2"):
                roles.append(role)
            j += 1
        if VALUE in roles and ACTUAL in roles:
            return roles, j - 1
    return None


# -- outcome rows -----------------------------------------------------------------------------
def _rows(chunk: str, roles: list[str], line: int, notes) -> list[Piece]:
    """A run of one or more rows: each a name and then a cell per column, up to the last
    column that holds a number or a value (a remark cannot be told from the next name)."""
    columns = tuple(r for r in roles if r not in (DEVIATION, NOTE))
    text = re.sub(r"(?:…|\.{3,})+$", "", chunk.strip()).strip()  # an unfilled template row (……) after the last
    parsed = _parse_rows(text, columns) if len(text) <= _LONGEST_RUN else None
    if parsed is None:
        return [Piece(line, text, True)]
    rows, ways = parsed
    pieces = []
    for row in rows:
        if len(row) == 1:  # the words after the last row
            pieces.append(Piece(line, row[0], True))
            continue
        pieces.append(Piece(line, row[0], True))
        pieces += [Piece(line, cell, False) for cell in row[1:]]
        if WEIGHT in columns and SCORE in columns:
            w, s = columns.index(WEIGHT) + 1, columns.index(SCORE) + 1
            if abs(w - s) == 1 and _other_splits(row[min(w, s)] + row[max(w, s)]) > 1:
                notes(line, f"points and score run together as {row[min(w, s)]}{row[max(w, s)]}: read as "
                            f"{row[w]} points, {row[s]} scored (a score is at most its points, points at most 100)")
    if ways > 1:
        notes(line, f"ambiguous cell boundaries in {text!r}: {ways} readings fit equally well; read as "
                    + "; ".join(" | ".join(row) for row in rows if len(row) > 1))
    return pieces


def _other_splits(digits: str) -> int:
    return sum(1 for i in range(1, len(digits)) if _POINTS.fullmatch(digits[:i]) and _POINTS.fullmatch(digits[i:]))


def _parse_rows(text: str, columns: tuple[str, ...]):
    """The best reading of text as whole rows — the fewest broken constraints, then the most
    rows (a name does not hold a whole row) — and how many readings are as good."""

    work = 0

    @cache
    def cells_at(at: int) -> tuple:
        return tuple(_cells(text, at, columns))

    @cache
    def best(at: int):
        nonlocal work
        if at == len(text):
            return (0, 0), (), 1
        found = None
        if at > 0 and not re.search(r"[0-9]", text[at:]):
            found = (5, 0), ((text[at:].strip(),),), 1  # words after the last row (a scrambled label): no row
        for end in range(at + 1, min(len(text), at + 80)):
            if not _VALUE_START.match(text, end):
                continue  # a name ends where a value begins
            name = text[at:end].strip()
            if not re.search(r"[\u4e00-\u9fff]", name) or _VALUE.fullmatch(name):
                continue
            for cells, after in cells_at(end):
                work += 1
                if work > _MOST_WORK:
                    raise _TooMany
                rest = best(after)
                if rest is None:
                    continue
                row = (name, *cells)
                rank = (rest[0][0] + _cost(row, columns), rest[0][1] - 1)
                if found is None or rank < found[0]:
                    found = (rank, (row, *rest[1]), rest[2])
                elif rank == found[0]:
                    found = (found[0], found[1], found[2] + rest[2])
        return found

    try:
        result = best(0)
    except _TooMany:  # digits upon digits: too many readings to weigh; the run is left whole
        return None
    finally:
        best.cache_clear()
        cells_at.cache_clear()
    return (result[1], result[2]) if result else None


class _TooMany(Exception):
    pass


def _cells(text: str, at: int, columns: tuple[str, ...]):
    """The ways columns can be read from text[at:]: (cells, index after them)."""
    if not columns:
        yield (), at
        return
    role, rest = columns[0], columns[1:]
    pattern = _POINTS if role in (WEIGHT, SCORE) else _VALUE
    longest = 6 if role in (WEIGHT, SCORE) else 16  # points are at most 100, with two decimals
    for end in range(at + 1, min(len(text), at + longest) + 1):
        cell = text[at:end]
        if pattern.fullmatch(cell):
            if role in (WEIGHT, SCORE) and Decimal(cell) > 100:
                continue
            for cells, after in _cells(text, end, rest):
                yield (cell, *cells), after


def _cost(row: tuple[str, ...], columns: tuple[str, ...]) -> int:
    cells = dict(zip(columns, row[1:]))
    # numbers and comparators in a name are most likely a value it swallowed
    cost = 2 * len(re.findall(r"[0-9]+|[≥≤><=＞＜≧≦]", row[0]))
    if row[0].endswith(_RELATIVE):
        cost += 2  # 超上年 ends no name: it begins the target after it
    if WEIGHT in cells and SCORE in cells and Decimal(cells[SCORE]) > Decimal(cells[WEIGHT]):
        cost += 10
    if VALUE in cells and ACTUAL in cells and _bare(cells[VALUE]) != _bare(cells[ACTUAL]):
        cost += 1  # most rows report the target reached as written
        if cells[VALUE].endswith("%") != cells[ACTUAL].endswith("%"):
            cost += 2  # a target and its result are in the same unit
    return cost


def _bare(value: str) -> str:
    return re.sub(r"^[≥≤><=＞＜≧≦]=?", "", value)


# -- the budget row and the total ------------------------------------------------------------------
def _amounts(chunk: str, roles: list[str], line: int, notes) -> list[str]:
    """`303010100%` as the budget row's cells: the numbers split so that the amount spent over
    the budget gives the rate (a percentage, or a ratio: 1 for 100%); where cells are fewer than
    columns, 年初预算数 is the one left out first, then the score. Words after the numbers are
    a cell of their own."""
    match = re.match(r"[0-9.]+%?(?:[0-9.]+)?", chunk)
    if not match or BUDGET_RATE not in roles:
        return [chunk]
    numbers, after = match.group(0), chunk[match.end():].strip()
    if len(numbers) > 40:
        return [chunk]
    readings = [split for columns in _column_choices(roles) for split in _splits_with_rate(numbers, columns)
                if _consistent(dict(zip(columns, split)))]
    if not readings:
        return [chunk]
    # nothing spent at a rate of 0% fits any digits: the reading with the fewest zeros, then the most cells
    readings.sort(key=lambda split: (sum(Decimal(c.rstrip("%")) == 0 for c in split), -len(split)))
    if len(set(readings)) > 1:
        notes(line, f"budget amounts run together as {numbers}: read as {' | '.join(readings[0])}")
    return [*readings[0], *([after] if after else [])]


def _column_choices(roles: list[str]):
    """The budget columns a run may fill, most first: all, then without 年初预算数, then
    without the score as well."""
    roles = [r for r in roles if r != NOTE]
    yield roles
    if BUDGET_OPENING_ROLE in roles:
        yield [r for r in roles if r != BUDGET_OPENING_ROLE]
    if SCORE in roles:
        yield [r for r in roles if r not in (BUDGET_OPENING_ROLE, SCORE)]


def _splits_with_rate(numbers: str, columns: list[str]):
    rate_at = columns.index(BUDGET_RATE)
    for split in _splits(numbers.replace("%", "\x00"), len(columns), allow_percent=True):
        cells = [part.replace("\x00", "%") for part in split]
        if all(("%" in cell) == (i == rate_at and "%" in numbers) for i, cell in enumerate(cells)):
            yield tuple(cells)


def _consistent(values: dict) -> bool:
    try:
        planned, executed = Decimal(values[BUDGET_PLANNED_ROLE]), Decimal(values[BUDGET_EXECUTED_ROLE])
        rate_text = values[BUDGET_RATE]
        rate = Decimal(rate_text.rstrip("%"))
    except (KeyError, ArithmeticError):
        return False
    if not planned:
        return False
    share = executed / planned
    fits = abs(share * 100 - rate) < Decimal("0.6") or (not rate_text.endswith("%") and abs(share - rate) < Decimal("0.006"))
    weight, score = values.get(WEIGHT), values.get(SCORE)
    if weight is not None and Decimal(weight) > 100:
        return False
    if weight is not None and score is not None and Decimal(score) > Decimal(weight):
        return False
    return fits


def _splits(digits: str, count: int, allow_percent: bool = False):
    number = re.compile(_NUMBER + ("\x00?" if allow_percent else ""))
    if count == 1:
        if number.fullmatch(digits):
            yield (digits,)
        return
    for i in range(1, len(digits)):
        head = digits[:i]
        if number.fullmatch(head):
            for rest in _splits(digits[i:], count - 1, allow_percent):
                yield (head, *rest)


def _total(chunk: str, with_points: bool, line: int, notes) -> list[str]:
    """`10098` after 总分: the total points and the score (score at most the points, points
    at most 100); anything after them is left as it is. Without a points column, the score."""
    match = re.match(r"[0-9.]+", chunk)
    if not match:
        return [chunk]
    digits = match.group(0)
    if not with_points:
        return [digits, *([chunk[match.end():].strip()] if chunk[match.end():].strip() else [])]
    options = [s for s in _splits(digits, 2) if Decimal(s[1]) <= Decimal(s[0]) <= 100]
    if len(options) != 1:
        return [chunk]
    if _other_splits(digits) > 1:
        notes(line, f"total points and score run together as {digits}: read as {options[0][0]} | {options[0][1]}")
    rest = chunk[match.end():].strip()
    return [*options[0], *([rest] if rest else [])]
