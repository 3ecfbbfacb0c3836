"""A cell's text as the document shows it: numbers as written, wrapped text joined."""

import datetime
import re
from decimal import Decimal

_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef]")


def number_text(value: float, number_format: str = "General") -> str:
    """A spreadsheet number as a person sees it: 2282.58 (never 2282.5799999), 20 (not 20.0),
    100% for a cell formatted as a percentage that holds 1."""
    if isinstance(value, bool):
        return "是" if value else "否"
    if "%" in (number_format or ""):
        number = Decimal(repr(value)) * 100
        return f"{_plain(number)}%"
    if isinstance(value, float):
        number = Decimal(repr(round(value, 10)))
        return _plain(number)
    return str(value)


def _plain(number: Decimal) -> str:
    text = format(number.normalize(), "f")
    return "0" if text in ("-0", "+0") else text


def date_text(value: datetime.date | datetime.datetime) -> str:
    """A date cell as 2023-12-31 (a time of day only when there is one)."""
    if isinstance(value, datetime.datetime) and (value.hour or value.minute or value.second):
        return value.strftime("%Y-%m-%d %H:%M")
    return value.strftime("%Y-%m-%d")


def joined(text: str | None) -> str:
    """Text wrapped inside a cell, joined as it reads: no space between Chinese characters or
    inside a number broken at its decimal point (`1598.\\n17` → 1598.17), a range at its dash or
    a target after its comparator (`≥\\n10次`), a space elsewhere."""
    if not text:
        return ""
    parts = [part.strip() for part in text.replace("\r", "\n").split("\n")]
    out = ""
    for part in parts:
        if not part:
            continue
        if out and not _glued(out[-1], part[0]):
            out += " "
        out += part
    return out


def _glued(before: str, after: str) -> bool:
    if _CJK.match(before) or _CJK.match(after):
        return True
    if (before.isdigit() or before in ".,") and (after.isdigit() or after in ".,%"):
        return True
    # a range, a bracket or a comparator broken at the line's end (1.2-\n1.5m, ≥\n10次)
    return before in "-~～/(（[≥≤≧≦<>=±" or after in ")）]%"


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters
