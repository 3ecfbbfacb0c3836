"""Indicators written as numbered, coded prose in one cell of a table of projects.

Some publishers print a project table (项目名称 | 总计 | 财政拨款 | … | 绩效目标 | 绩效指标) whose
绩效指标 cell holds every indicator of the project as text:

    1.1－产出指标，11－数量指标，项目专职环保员数量；实施周期指标值：≦核定人数，年度指标值：≦核定人数；
    2、1－产出指标，12－质量指标，环境应急事件响应率；实施周期指标值：100%，年度指标值：100%;…

This normaliser turns such a table into the layout every other table has: the 绩效指标 column
becomes 一级指标 | 二级指标 | 三级指标 and one column per value label the cells use, one row per
indicator, the project's own cells on its first row only.
"""

import re

from ..text import key
from .cells import joined

_ITEM = re.compile(r"(?:^|(?<=[；;。]))\s*[0-9]{1,3}\s*[.、．]\s*(?=[0-9]{1,3}\s*[－—\-–])")
_CODED = re.compile(r"^[0-9]{1,3}\s*[－—\-–]\s*(?P<level1>[^，,；;]{2,12}?)\s*[，,；;]\s*[0-9]{1,3}\s*[－—\-–]\s*"
                    r"(?P<level2>[^，,；;]{2,12}?)\s*[，,；;]\s*(?P<rest>.+)$", re.DOTALL)
_VALUE_LABEL = re.compile(r"(实施周期指标值|实施期指标值|中期指标值|年度指标值|指标值)\s*[:：]")
_COLUMNS = ("绩效指标", "绩效目标", "绩效指标及指标值")


def coded_column(header: list[str | None], body: list[list[str | None]]) -> int | None:
    """The position of the column of a project table (项目名称 | … | 绩效目标 | 绩效指标) whose cells
    below the header hold coded indicators, where the header has no level columns of its own."""
    labels = [key(cell or "") for cell in header]
    if any(label in ("一级指标", "二级指标", "三级指标") for label in labels):
        return None
    if not labels or not labels[0].startswith(("项目", "支出项目")):
        return None
    for position, label in enumerate(labels):
        if label in _COLUMNS and any(position < len(row) and indicators_in(row[position] or "") for row in body):
            return position
    return None


def indicators_in(text: str) -> list[tuple[str, str, str, list[tuple[str, str]]]]:
    """(level 1, level 2, indicator, [(value label, value)…]) for each coded indicator of a cell."""
    compact = joined(text)
    starts = [m.end() for m in _ITEM.finditer(compact)]
    out = []
    for k, start in enumerate(starts):
        end = starts[k + 1] if k + 1 < len(starts) else len(compact)
        piece = compact[start:end]
        piece = re.sub(r"[；;。]?\s*[0-9]{1,3}\s*[.、．]\s*$", "", piece)  # the next item's number
        coded = _CODED.match(piece.strip())
        if coded is None:
            continue
        parts = _VALUE_LABEL.split(coded["rest"])
        name = parts[0].strip().rstrip("；;，,").strip()
        values = [(parts[j], parts[j + 1].strip().rstrip("；;，,。")) for j in range(1, len(parts) - 1, 2)]
        if name and values:
            out.append((coded["level1"].strip(), coded["level2"].strip(), name, values))
    return out


def expanded(rows: list[list[str | None]], column: int, labels: list[str]) -> list[list[str | None]]:
    """The table's rows with the coded column expanded: the header's column replaced by the level,
    name and value columns, each project row by a row per indicator. Rows whose cell holds no
    coded indicator (totals, a unit's subtotal) keep their cells with the indicator columns empty."""
    out = []
    for row in rows:
        before, after = row[:column], row[column + 1:]
        found = indicators_in(row[column] or "") if column < len(row) else []
        if not found:
            out.append(before + [None] * (3 + len(labels)) + after)
            continue
        for k, (level1, level2, name, values) in enumerate(found):
            by_label = dict(values)
            cells = [level1, level2, name] + [by_label.get(label, "") for label in labels]
            out.append((before if k == 0 else [None] * len(before)) + cells + (after if k == 0 else [None] * len(after)))
    return out


def value_labels(rows: list[list[str | None]], column: int) -> list[str]:
    """The value labels the table's coded cells use, in the order they are written."""
    labels: list[str] = []
    for row in rows:
        for _, _, _, values in indicators_in(row[column] or "" if column < len(row) else ""):
            for label, _ in values:
                if label not in labels:
                    labels.append(label)
    return labels or ["指标值"]
