"""A merged cell's label written down the page, one character a line (产 / 出 / 指 / 标), as
web pages and PDFs give a tall merged cell: its characters are joined back into one cell where
together they make a label the forms use (a level name, a column or section label, a field
label). Single characters that make no such label (否 / 无 / 无: a row of short values) are left
as they are."""

import re

from . import catalogue
from .grid import Row
from .labels import DEPARTMENT_FIELDS, PROJECT_FIELDS, column_named, field_named
from .text import key

_ONE_CHARACTER = re.compile(r"^[\u4e00-\u9fff]$")
_SECTIONS = {"绩效指标", "绩效目标", "总体目标", "年度目标", "中期目标", "年度绩效指标", "项目资金", "资金情况", "基本信息"}


def join_vertical_labels(rows: list[Row]) -> tuple[list[Row], list[tuple[int, int, str]]]:
    """The rows with each label written down the page joined onto its first line (the other
    lines blank, so that line numbers stay the file's); and for each joined line (line, first
    line, label), for the reader's notes."""
    out = list(rows)
    joined: list[tuple[int, int, str]] = []
    run: list[int] = []

    def close():
        label = "".join(out[i].filled[0].strip() for i in run)
        if len(run) >= 3 and _is_label(label):
            first = out[run[0]]
            out[run[0]] = Row(first.number, first.text, (label,), first.place)
            for i in run[1:]:
                joined.append((out[i].number, first.number, label))
                out[i] = Row(out[i].number, out[i].text, ("",), out[i].place)
        run.clear()

    for i, row in enumerate(out):
        if row.blank:
            continue
        if len(row.filled) == 1 and _ONE_CHARACTER.match(row.filled[0].strip()):
            run.append(i)
        else:
            close()
    close()
    return out, joined


def _is_label(text: str) -> bool:
    return (catalogue.level1_named(text) is not None or catalogue.level2_named(text) is not None
            or column_named(text) is not None or key(text) in _SECTIONS
            or field_named(text, PROJECT_FIELDS) is not None or field_named(text, DEPARTMENT_FIELDS) is not None)
