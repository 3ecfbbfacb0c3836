"""Who published a page, where its form names no budget unit, in this order:

0. an approval's (批复) addressee (县交通运输局：), the unit whose targets it approves;
1. the unit its title names as the subject (石嘴山市疾病预防控制中心2020年项目绩效目标批复表;
   关于批复某县交通运输局2024年…: the unit whose targets they are, not the one approving them);
2. the notice's signature at its end: the unit's name, then the date (2025年4月26日,
   二〇二四年三月一日);
3. its 信息来源 or 发布机构 (a portal's 发布机构 may be the office that runs the site, so the
   unit's own words come first);
4. a unit's name standing alone above the form (天津市河北区人民法院 / 项目支出绩效目标表).

A unit's name is short, names a place (县, 市, 区, 镇, …) or ends as units' names end (局, 委,
院, 中心, 政府, …), and is no sentence (召开, 关于, 会议).
"""

import re

from .grid import Row
from .text import fold, key

_ORGANISATION = re.compile(r"(?:局|委|院|中心|政府|办公室|办|站|所|委员会|联合会|协会|工会|镇|乡|街道|处|学校|学院|医院|馆|队|部|社|厅|署|团|场)$")
_PLACE = re.compile(r"省|市|县|区|州|旗|盟|镇|乡|街道|村")
_NOT_A_NAME = re.compile(r"关于|召开|举办|开展|会议|印发|通知")
_CODE = re.compile(r"^\s*[0-9]{3,}\s*[-－—.、]?\s*")
_PUBLISHED_BY = re.compile(r"(?:^|[\s|【\[])(?P<label>信息来源|发布机构|来源|发文机关|发布单位)\s*[:：|】\]]?\s*(?P<unit>[^\s:：|]+)")
_NUMERAL = "〇零一二三四五六七八九十"
_SIGNED_ON = re.compile(rf"(?:20[0-9]{{2}}|二[{_NUMERAL}]{{3}})\s*年\s*(?:[0-9]{{1,2}}|[{_NUMERAL}]{{1,3}})\s*月"
                        rf"\s*(?:[0-9]{{1,2}}|[{_NUMERAL}]{{1,3}})\s*日")
# What comes before a project's or unit's name in a title: 附件1：, 关于, 某县财政局关于批复.
TITLE_HEAD = re.compile(r"^(?:附件\s*[0-9一二三四五六七八九十]*\s*[:：]?\s*|.{0,30}?关于(?:批复|下达|安排|印发|解决)?)")


def publisher(rows: list[Row], title: str | None = None, before: int | None = None, signed_after: int = 0) -> str | None:
    """The unit that published the page, or None. `before`: the line of the first form, above
    which a unit's name may stand alone; `signed_after`: the line below which a signature may
    stand (the end of the targets it signs)."""
    approval = bool(title and "批复" in title)
    return ((_addressee(rows) if approval else None) or _title_unit(title) or _signature(rows, signed_after)
            or _published_by(rows) or _standing_alone(rows, before))


def _addressee(rows: list[Row]) -> str | None:
    """An approval (批复) is addressed to the unit whose targets it approves: 县交通运输局："""
    for row in rows[:12]:
        text = fold(" ".join(row.filled))
        if text.endswith((":", "：")) and organisation(text[:-1]):
            return text[:-1].strip()
    return None


def page_year(rows: list[Row]) -> tuple[int, int] | None:
    """(year, line) of the date a notice was signed (its last date standing alone on a line, as a
    notice ends), where that says the budget year: not in November or December, when notices
    already set the next year's targets. None where there is no such date; a page's other dates
    (填报日期, 发布时间, a project's 起止日期) say nothing of the budget year."""
    signed = [row for row in rows if not row.blank and _SIGNED_ON.fullmatch(fold(" ".join(row.filled)))]
    if not signed:
        return None
    date = fold(" ".join(signed[-1].filled))
    year = re.match(r"(20[0-9]{2})\s*年\s*([0-9]{1,2})\s*月", date)
    if year is None or int(year[2]) >= 11:
        return None
    return int(year[1]), signed[-1].number


def organisation(text: str) -> bool:
    """A unit's name: short, no digits or sentence punctuation, ending as units' names end."""
    name = key(text)
    return (4 <= len(name) <= 30 and not re.search(r"[0-9:：,，。!！]", text) and not _NOT_A_NAME.search(name)
            and bool(_ORGANISATION.search(name)))


def _signature(rows: list[Row], after: int) -> str | None:
    filled = [row for row in rows if not row.blank and row.number > after]
    found = None
    for name_row, date_row in zip(filled, filled[1:]):
        name, date = fold(" ".join(name_row.filled)), fold(" ".join(date_row.filled))
        if _SIGNED_ON.fullmatch(date) and organisation(name):
            found = name  # the last one: a notice is signed at its end
    return found


def _published_by(rows: list[Row]) -> str | None:
    for label in ("信息来源", "发布机构", "发文机关", "发布单位", "来源"):
        for row in rows:
            cells = [fold(c) for c in row.filled]
            for cell, value in zip(cells, cells[1:]):
                if key(cell) == label and organisation(value):
                    return value
            for match in _PUBLISHED_BY.finditer(" ".join(cells)):
                if match["label"] == label and organisation(match["unit"]):
                    return match["unit"]
    return None


def _standing_alone(rows: list[Row], before: int | None) -> str | None:
    """The first cell above the form that is nothing but a unit's name (its code may lead)."""
    for row in rows:
        if before is not None and row.number >= before:
            break
        for cell in row.filled[:1]:
            name = _CODE.sub("", fold(cell))
            if organisation(name) and _PLACE.search(name):
                return name
    return None


def _title_unit(title: str | None) -> str | None:
    """The unit a title names: the subject after its 关于 (关于批复某县交通运输局2024年…), or
    the one that issues it (某县交通运输局关于2024年…)."""
    if not title:
        return None
    text = fold(title)
    subject = re.split(r"20[0-9]{2}\s*年", TITLE_HEAD.sub("", text), maxsplit=1)[0].strip()
    if organisation(subject):
        return subject
    issuer = text.split("关于", 1)[0].strip() if "关于" in text and "批复" not in text else ""  # an approver's is not
    return issuer if organisation(issuer) else None
