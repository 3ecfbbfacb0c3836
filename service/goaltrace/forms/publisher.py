"""Who published a page, where its form names no budget unit, in this order: the notice's
signature (the unit's name, then the date); the head of its title
(石嘴山市疾病预防控制中心2020年项目绩效目标批复表); its 信息来源 or 发布机构 (a portal's 发布机构
may be the office that runs the site, so the unit's own words come first); an organisation's
name standing alone above the form (天津市河北区人民法院 / 项目支出绩效目标表)."""

import re

from .grid import Row
from .text import fold, key

_ORGANISATION = re.compile(r"(?:局|委|院|中心|政府|办公室|办|站|所|委员会|镇|乡|街道|处|学校|学院|医院|馆|队|部|社|会|厅|署|团|场|室)$")
_CODE = re.compile(r"^\s*[0-9]{3,}\s*[-－—.、]?\s*")
_NOTICE_LABELS = {"发布机构", "信息来源", "来源", "发文机关", "发布单位"}
_PUBLISHED_BY = re.compile(r"(?:发布机构|信息来源|来源|发文机关|发布单位)\s*[:：|]?\s*(?P<unit>[^\s:：|]+)")
_SIGNED_ON = re.compile(r"20[0-9]{2}\s*年\s*[0-9]{1,2}\s*月\s*[0-9]{1,2}\s*日")
_TITLE_HEAD = re.compile(r"^(?:附件\s*[0-9一二三四五六七八九十]*\s*[:：]?\s*|关于)")


def publisher(rows: list[Row], title: str | None = None, before: int | None = None) -> str | None:
    """The unit that published the page, or None. `before`: the line of the first form, above
    which a unit's name may stand alone."""
    return _signature(rows) or _title_unit(title) or _published_by(rows) or _standing_alone(rows, before)


def organisation(text: str) -> bool:
    """A unit's name: short, no digits or sentence punctuation, ending as units' names end."""
    return 4 <= len(key(text)) <= 30 and not re.search(r"[0-9:：,，。!！]", text) and bool(_ORGANISATION.search(key(text)))


def _signature(rows: list[Row]) -> str | None:
    filled = [row for row in rows if not row.blank]
    for name_row, date_row in zip(filled, filled[1:]):
        name, date = fold(" ".join(name_row.filled)), fold(" ".join(date_row.filled))
        if _SIGNED_ON.fullmatch(date) and organisation(name):
            return name
    return None


def _published_by(rows: list[Row]) -> str | None:
    for row in rows:
        cells = [fold(c) for c in row.filled]
        for label, value in zip(cells, cells[1:]):
            if key(label) in _NOTICE_LABELS and organisation(value):
                return value
        for match in _PUBLISHED_BY.finditer(" ".join(cells)):
            if organisation(match["unit"]):
                return match["unit"]
    return None


def _standing_alone(rows: list[Row], before: int | None) -> str | None:
    """The first cell above the form that is nothing but a unit's name (its code may lead)."""
    for row in rows:
        if before is not None and row.number >= before:
            break
        for cell in row.filled[:1]:
            name = _CODE.sub("", fold(cell))
            if organisation(name):
                return name
    return None


def _title_unit(title: str | None) -> str | None:
    if not title:
        return None
    head = re.split(r"20[0-9]{2}\s*年", _TITLE_HEAD.sub("", fold(title)), maxsplit=1)[0].strip()
    return head if organisation(head) else None
