"""An outcome table whose header takes two lines, the second splitting the target into 符号 |
单位(文字描述) and the score into 单项指标得分 | 权重占比(%) | 单项指标折算得分, as Hebei's 预算项目绩效自评表
prints it (一级指标 | 二级指标 | 三级指标 | 指标分值 | 预期指标值 | 单项指标实际完成值 | 单项指标完成情况
| 自评得分), one row a line.

A row gives its levels, the name, a sentence explaining the indicator, the target as comparator,
number and unit, the result, whether it was met (完成), and three numbers: the score, the points
as a share of the total (权重占比) and the score weighted by that share. The row is written out
again as level names, name, target (its three cells joined as printed), result, points and score;
the explanation, the verdict and the weighted score are left out. A row whose target has no
comparator to find it by takes its last cell before the result as the target, a guess.
"""

from collections.abc import Callable

from . import catalogue
from .comparators import comparator_named
from .labels import TOTAL_SCORE_LABELS
from .text import key
from .values import parse_number

_SUB_HEADER = ("单项指标得分", "权重占比")
_HEADER = ("一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值", "得分")
_CLOSING = ("预算执行率",)


def _lines(cells: list) -> list[list]:
    lines: list[list] = []
    for cell in cells:
        if lines and lines[-1][0].line == cell.line:
            lines[-1].append(cell)
        else:
            lines.append([cell])
    return lines


def _is_number(text: str) -> bool:
    return parse_number(key(text)) is not None


def _is_level(text: str) -> bool:
    return catalogue.level1_named(text) is not None or catalogue.level2_named(text, loose=True) is not None


def reorder(cells: list, make: Callable, notes: Callable) -> list | None:
    """The cells with a two-line-header outcome table written out in the ordinary order, or None
    when the cells hold no such table."""
    lines = _lines(cells)
    at = next((n for n, line in enumerate(lines)
               if all(any(key(c.text).startswith(label) for c in line) for label in _SUB_HEADER)), None)
    if at is None or at == 0:
        return None
    header = lines[at - 1]
    start = next((k for k, c in enumerate(header) if key(c.text) == "一级指标"), None)
    if start is None:
        return None
    out = [c for line in lines[:at - 1] for c in line] + header[:start]
    out += [make(header[start].line, label, True) for label in _HEADER]
    rows = 0
    for n in range(at + 1, len(lines)):
        row = _row(lines[n], make)
        if row is None:
            out += [c for line in lines[n:] for c in line]
            break
        out += row
        rows += 1
    if not rows:
        return None
    notes(header[start].line, f"outcome table with a two-line header (符号 | 单位, 单项指标得分 | 权重占比 | 折算得分): "
                              f"{rows} rows written out as target, result, points and score")
    return out


def _row(line: list, make: Callable) -> list | None:
    """One row written out again, or None where the line is no such row."""
    texts = [c.text.strip() for c in line]
    if not texts or key(texts[0]).startswith(TOTAL_SCORE_LABELS + _CLOSING):
        return None
    levels = 0
    while levels < min(2, len(texts)) and _is_level(texts[levels]):
        levels += 1
    rest = texts[levels:]
    if len(rest) < 6 or not all(_is_number(t) for t in rest[-3:]):
        return None
    score, weight = rest[-3], rest[-2]
    verdict = not _is_number(rest[-4])  # 完成, 未完成: whether the target was met, as the form says
    actual = rest[-5] if verdict else rest[-4]
    middle = rest[1:-5] if verdict else rest[1:-4]
    comparator = next((k for k, t in enumerate(middle) if comparator_named(t) is not None), None)
    target = "".join(middle[comparator:]) if comparator is not None else (middle[-1] if middle else "")
    doubts = () if comparator is not None else ("column-by-position",)
    cells = [make(line[0].line, t, True) for t in texts[:levels]]
    cells.append(make(line[0].line, rest[0], True, doubts))
    cells += [make(line[0].line, t, False) for t in (target, actual, weight, score)]
    return cells
