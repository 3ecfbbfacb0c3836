"""Cells run together: text copied from a page that dropped every separator.

`产出指标数量指标农村义务教育学校改造覆盖率100%` is three cells and a value; a header such as
`绩效指标一级指标二级指标指标内容指标值` is five labels. Known labels (header labels, level names,
field labels) are where one cell ends and the next begins; a value starts at its comparator, at
the number that ends the text, or at a qualitative target word the forms use.
"""

import re
from functools import lru_cache

from . import catalogue
from .text import key

_STANDARD_TAG = re.compile(r"(?:计划|历史|行业|其他)标准$")
_COMPARATOR_AT = re.compile(r"[≥≤＞＜><=≧≦]|不低于|不高于|不少于|不超过|大于等于|小于等于")
_TRAILING_VALUE = re.compile(r"(?:[0-9]+(?:\.[0-9]+)?\s*(?:%|[\u4e00-\u9fff/]{0,4}))$")
# Qualitative targets seen in real forms, longest first when matched at the end of a cell.
QUALITATIVE = sorted(("稳步提高", "有效提升", "持续改善", "巩固提高", "逐步提高", "明显改善", "显著提升", "明显提升",
                      "逐步完善", "持续提升", "不断提高", "有效改善", "长期", "及时", "良好", "提高", "提升", "改善",
                      "有效", "达标", "合格", "优良", "基本健全", "健全", "基本完善", "完善"), key=len, reverse=True)
_LEVEL_NAMES = sorted({key(name) for level in (*catalogue.LEVEL1, *catalogue.LEVEL2)
                       for name in (level.label, *level.variants) if len(key(name)) >= 4}, key=len, reverse=True)


def split_by_labels(text: str, labels: frozenset) -> list[str] | None:
    """Text that is nothing but labels, one after another, as its labels; None otherwise."""
    pattern = _run_pattern(labels)
    folded = key(text)
    if not pattern.fullmatch(folded):
        return None
    return _label_pattern(labels, 1).findall(folded)


@lru_cache(maxsize=16)
def _run_pattern(labels: frozenset) -> "re.Pattern":
    return re.compile(f"(?:{_label_pattern(labels, 1).pattern})+")


def split_fields(text: str, labels) -> list[str]:
    """`项目主管部门青山区教育局项目执行单位化工区学校` → label, value, label, value: a cell that
    starts with a label is cut before every label it holds (labels of four characters or more,
    so that a short word inside a value never cuts it)."""
    folded = key(text)
    pattern = _label_pattern(labels if isinstance(labels, frozenset) else frozenset(labels))
    if pattern is None or folded in labels or not pattern.match(folded):
        return [text]
    cells, previous = [], 0
    for match in pattern.finditer(folded):
        value = folded[previous:match.start()].lstrip(":")
        if value:
            cells.append(value)
        cells.append(match.group(0))
        previous = match.end()
    if folded[previous:].lstrip(":"):
        cells.append(folded[previous:].lstrip(":"))
    return cells


@lru_cache(maxsize=16)
def _label_pattern(labels: frozenset, shortest: int = 4) -> "re.Pattern | None":
    """The labels as one alternation, longest first, so that a longer label wins."""
    chosen = sorted((label for label in labels if len(label) >= shortest), key=len, reverse=True)
    return re.compile("|".join(map(re.escape, chosen))) if chosen else None


def split_indicator_row(text: str, roles: tuple[str, ...] = ()) -> list[str]:
    """A run-together indicator row as its cells: leading level names, the indicator's name and
    its value (from its comparator, its closing number, or a qualitative word). Where the
    header puts a weight or a unit between the name and the value (指标名称 | 指标权重 | 计量单位 |
    指标性质 | 指标值), those columns are split off too and the cells follow the header's order."""
    folded = key(text)
    cells = []
    while True:
        match = next((name for name in _LEVEL_NAMES if folded.startswith(name) and len(folded) > len(name)), None)
        if match is None:
            break
        cells.append(match)
        folded = folded[len(match):]
    columns = _by_columns(folded, roles)
    if columns is not None:
        return cells + columns
    standard = _STANDARD_TAG.search(folded)
    if standard and standard.start() > 0:
        folded, tag = folded[:standard.start()], standard.group(0)
    else:
        tag = None
    comparator = _COMPARATOR_AT.search(folded)
    trailing = _TRAILING_VALUE.search(folded)
    if comparator and comparator.start() > 0:
        cells += [folded[:comparator.start()], folded[comparator.start():]]
    elif trailing and trailing.start() > 0:
        cells += [folded[:trailing.start()], folded[trailing.start():]]
    else:
        word = next((w for w in QUALITATIVE if folded.endswith(w) and len(folded) > len(w)), None)
        cells += [folded[: -len(word)], word] if word else [folded]
    return cells + ([tag] if tag else [])


# The columns a run-together row may hold after its name, as patterns; the value is a number,
# or words where the row has a weight to end the name.
_COLUMN_PATTERNS = {
    "weight": r"(?P<weight>100|[0-9]{1,2}(?:\.[0-9]+)?)",
    "unit": None,  # the known unit labels, built on first use
    "comparator": r"(?P<comparator>≥|≤|>=|<=|=|>|<|≧|≦)",
    "value": r"(?P<value>[0-9]+(?:\.[0-9]+)?|[\u4e00-\u9fff]{2,8})",
}


def _by_columns(text: str, roles: tuple[str, ...]) -> list[str] | None:
    """name | weight | unit | comparator | value, cut by what each column can hold, when the
    header names a weight or a unit before the value; None when it names neither or the row
    does not fit."""
    order = [role for role in roles if role in _COLUMN_PATTERNS]
    if "value" not in order or not {"weight", "unit"} & set(order[: order.index("value")]):
        return None
    order = order[: order.index("value") + 1]
    pattern = _columns_pattern(tuple(order))
    match = pattern.fullmatch(text)
    if match is None:
        return None
    # a comparator column left empty takes no cell (as the row reader expects of it); any other
    # empty column stays as a blank cell in its place
    return [match["name"], *(match[role] or "" for role in order if role != "comparator" or match[role])]


@lru_cache(maxsize=8)
def _columns_pattern(order: tuple[str, ...]) -> "re.Pattern":
    from .units import LABELS

    units = "|".join(re.escape(label) for label in ("%", *LABELS))
    parts = [f"(?P<unit>{units})?" if role == "unit" else
             _COLUMN_PATTERNS[role] + ("" if role in ("weight", "value") else "?") for role in order]
    return re.compile(r"(?P<name>.*?[^0-9.\-])" + "".join(parts))
