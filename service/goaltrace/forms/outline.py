"""Targets written as an outline rather than a table.

Notices that publish a project's targets often drop the table: the level names become headings
(`一、产出指标`, `(一)数量指标`, `【产出指标-数量指标】`, an indented tree) and each target is a
line of its own (`参训人员结业率≥100%;`, `完成时限,2025年10月底前;`, `指标1:机柜数量(≥77台)`),
or a name on one line with its value on the next (`疫苗提供及时率` / `100%`). Several targets
may share a line, separated by ；or 。, and a heading may open the line that holds its targets
(`数量指标:种植数量≥17600株;时效指标:完成及时率≥100%。`).

The outline is read only when a file holds no form the table reader recognises (or a project
form has no indicator table, its goal cells giving the targets), only in a text that declares
targets (`declares_targets`), and only under a level heading: a line that no heading governs is
never taken for a target, and a numbered heading that names no level, 附件 or 扫一扫 ends the
headings' reach. Projects are named by a numbered heading ending in 项目 (with its 资金…万元), by
the line that carries a project's amount (the tree's `项目 | 绩效金额` row), or by the notice's
title; the unit comes from the page that published it (`publisher`).
"""

import re
from dataclasses import dataclass, field

from . import catalogue
from .comparators import PREFIXES as COMPARATOR_TEXTS
from .comparators import comparator_named
from .errors import FormError
from .fields import is_title, title_of
from .grid import Row
from .indicator_table import Levels, TableReader
from .labels import VALUE, WEIGHT, is_closing
from .publisher import TITLE_HEAD, publisher
from .reading import Reading
from .records import Indicator
from .run_together import QUALITATIVE
from .text import fold, key
from .units import unit_labelled
from .values import is_date

# Numbering and decoration before a heading: 一、 (一) 1. 1、 （1） ① 【 [
_NUMBERING = re.compile(r"^[\s【\[［]*(?P<top>[一二三四五六七八九十]+\s*[、.．])?\s*(?:[(（][一二三四五六七八九十0-9]+[)）]|[0-9]+\s*[、.．)）]|[①-⑩])?\s*")
_CLOSE = re.compile(r"^[】\]］\s]*")
_SEPARATOR = re.compile(r"[,，]")  # 完成时限,2025年10月底前 (a colon is a label's: 联系人：张三)
_PIECE_END = re.compile(r"[；;。]")
_COMPARATOR_AT = re.compile("|".join(re.escape(text) for text in COMPARATOR_TEXTS if not text.isalnum() or len(text) > 1))
_BRACKETED_TARGET = re.compile(r"[(（](?P<target>[^()（）]*[0-9][^()（）]*)[)）]$")
_TRAILING_VALUE = re.compile(r"(?P<number>[0-9]+(?:\.[0-9]+)?)\s*(?P<unit>%|[\u4e00-\u9fff/]{1,4})$")
_BARE_VALUE = re.compile(r"^(?:[≥≤>=<≧≦]{1,2})?\s*[0-9]+(?:\.[0-9]+)?\s*(?:%|[\u4e00-\u9fff/]{1,4})?$")
_TITLE_TAIL = re.compile(r"(?:项目)?(?:资金)?(?:支出)?(?:预算)?绩效目标(?:和指标|及指标)?(?:申报|审批|批复|设定|公开)?(?:表|情况|的公示|的说明)?.*$")
_ATTACHMENT = re.compile(r"^附件\s*[0-9一二三四五六七八九十]*\s*[:：]?")
_SENTENCE = re.compile(r"现将|如下|根据|[:：]$")
# What a project's name says it is, in a tree of projects and their amounts.
_PROJECT_WORDS = re.compile(r"项目|资金|经费|费$|工程|补助|补贴|建设|采购|服务|药物|药品|疫苗|专项|设备|购置|维修|运行|保障")
# A numbered heading that is no level name (三、其他说明; 二、客运站运营补贴项目（资金20万元）).
_NUMBERED_HEADING = re.compile(r"^\s*(?:[一二三四五六七八九十]+\s*[、.．]|[(（][一二三四五六七八九十]+[)）])\s*(?P<text>\S.*)$")
_HEADING_AMOUNT = re.compile(r"[(（][^()（）]*?资金\s*(?P<amount>[0-9]+(?:\.[0-9]+)?\s*(?:万元|元))[^()（）]*[)）]\s*$")
# A text that reports or explains targets rather than declaring them: a self-evaluation or an
# evaluation report, or a notice on how to fill the forms in.
_NOT_A_DECLARATION = re.compile(r"自评|完成情况|实际完成|完成值|评价报告|评价结果|填报工作|填报说明|编报工作")
# Short targets in words, after a name and a comma: 增加, 提高, 持续提高, 有效保障.
_WORDS_TARGET = re.compile(r"^[\u4e00-\u9fff]{1,6}$")


@dataclass
class OutlineProject:
    """One project of an outline: named by its row (with its amount) or by the notice's title."""

    name: str | None
    line: int | None
    amount: tuple[int, str] | None = None  # (line, text) of its amount, as written
    indicators: list[Indicator] = field(default_factory=list)


@dataclass
class Outline:
    """What an outline holds: its projects and their targets, and the unit they belong to."""

    projects: list[OutlineProject] = field(default_factory=list)
    lines: set[int] = field(default_factory=set)  # the lines read as headings, projects or targets
    leftovers: list[tuple[int, str]] = field(default_factory=list)  # parts of those lines read as nothing
    unit: str | None = None
    title: Row | None = None


def heading(text: str, level1: str | None) -> tuple[str | None, str | None, str] | None:
    """A line that opens with level names: (level 1, level 2, the rest of the line), or None."""
    folded = fold(text)
    numbering = _NUMBERING.match(folded)
    top = bool(numbering and numbering["top"])
    rest = folded[numbering.end():] if numbering else folded
    found1, found2, consumed = None, None, False
    while rest:
        match = re.match(r"(?P<name>[^:：,，\-—－/、】\]］;；。]{2,16}?)(?:[\-—－/、]|[:：,，]|[】\]］]|$)", rest)
        if not match:
            break
        name = match["name"].strip()
        if name.endswith("目标"):
            name = name[:-2] + "指标"  # 社会效益目标: a level named for its goal
        # Without its 指标 (经济效益) a name is a heading only where numbered or followed by a
        # colon: 服务对象满意度 alone on a line is a target's name.
        loose = bool(numbering and numbering.group(0).strip()) or rest[match.end() - 1: match.end()] in (":", "：")
        one, two = catalogue.level1_named(name, loose=loose), catalogue.level2_named(name, loose=loose)
        if one and two:  # 成本指标: the level 1 of the 2021 framework where numbered as one
            one, two = (one, None) if top and not found1 else (None, two)
        if one is None and two is None:
            break
        if one is not None:
            found1, found2 = one.key, None
        else:
            found1, found2 = two.parent, two.key
        consumed = True
        rest = _CLOSE.sub("", rest[match.end():]).lstrip(":：,， ")
        top = False
    if not consumed:
        return None
    return found1 or level1, found2, rest


def _outside_brackets(text: str) -> list[bool]:
    depth, inside = 0, []
    for char in text:
        if char in "(（":
            depth += 1
        inside.append(depth == 0)
        if char in ")）" and depth:
            depth -= 1
    return inside


def pieces(text: str) -> list[str]:
    """A line's targets: split at ；; and 。 outside brackets."""
    outside, out, start = _outside_brackets(text), [], 0
    for i, char in enumerate(text):
        if outside[i] and _PIECE_END.match(char):
            out.append(text[start:i])
            start = i + 1
    out.append(text[start:])
    return [piece.strip(" ,，、") for piece in out if piece.strip(" ,，、")]


def target_of(piece: str) -> tuple[str, str] | None:
    """A target written on one line: (name, value as written), or None."""
    text = fold(piece)
    numbered = re.match(r"指标\s*[0-9]+\s*[:：]", text)
    if numbered and (inner := re.search(r"[(（](?P<target>[^()（）]+)[)）]$", text)) and inner.start() > numbered.end():
        return text[: inner.start()].strip(), inner["target"].strip()  # 指标1:名称(正面支撑): the form's own layout
    bracketed = _BRACKETED_TARGET.search(text)
    if bracketed and bracketed.start() > 0 and (comparator_named(bracketed["target"][:1]) or bracketed["target"].lstrip()[:1].isdigit()
                                                or _COMPARATOR_AT.match(bracketed["target"].lstrip())):
        return text[: bracketed.start()].strip(), bracketed["target"].strip()
    outside = _outside_brackets(text)
    for match in _COMPARATOR_AT.finditer(text):
        if match.start() > 0 and outside[match.start()]:
            name, value = text[: match.start()].strip(" ,，:："), re.split(r"[,，]", text[match.start():])[0].strip()
            if name and re.search(r"[0-9]", value):
                return name, value
    trailing = _TRAILING_VALUE.search(text)
    if trailing and trailing.start() >= 2 and not re.search(r"[0-9]", text[: trailing.start()]) \
            and (trailing["unit"] == "%" or unit_labelled(trailing["unit"])):
        return text[: trailing.start()].strip(), text[trailing.start():].strip()  # 巡查频次8次: a count and its unit
    word = next((w for w in QUALITATIVE if len(w) >= 4 and text.endswith(w) and len(text) - len(w) >= 4), None)
    if word and not _SEPARATOR.search(text):
        return text[: -len(word)].strip(), word  # 数据库基本健全: a state in words (a four-character phrase, not a bare 提高)
    separators = [m.start() for m in _SEPARATOR.finditer(text) if outside[m.start()]]
    if separators:
        cut = separators[-1]
        name, value = text[:cut].strip(), text[cut + 1:].strip()
        if name and value and len(key(name)) <= 40 and not name.startswith(("【", "[")) and len(key(value)) <= 14 and (_BARE_VALUE.match(key(value)) or is_date(value) or _WORDS_TARGET.match(key(value))):
            return name, value
    return None


def bare_value(text: str) -> bool:
    """A line that is a target's value and nothing else: 100%, ≥300人, 40%, 12 (a bare number
    of more than four digits is an amount, not a target)."""
    folded = key(text)
    if not _BARE_VALUE.match(folded) or is_date(text):
        return False
    return not (re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", folded) and len(folded.split(".")[0]) > 4)


def _project_row(rows: list[Row], index: int) -> tuple[Row, Row] | None:
    """A project's row in a tree or list: its name alone on a line, its amount alone on the next."""
    row = rows[index]
    if len(row.filled) != 1 or not 2 <= len(key(row.filled[0])) <= 60 or len(re.findall(r"[\u4e00-\u9fff]", row.filled[0])) < 2:
        return None
    if key(row.filled[0])[:1].isdigit() or _COMPARATOR_AT.match(key(row.filled[0])) or target_of(row.filled[0]) is not None:
        return None
    if key(row.filled[0]).startswith(("【", "[")) or heading(row.filled[0], None) is not None:
        return None
    if not _PROJECT_WORDS.search(key(row.filled[0])):
        return None  # 浏览次数 / 12345, 邮政编码 / 751100: page furniture, not a project and its amount
    following = next((r for r in rows[index + 1:] if not r.blank), None)
    if following is None or len(following.filled) != 1:
        return None
    amount = key(following.filled[0]).replace(",", "")
    if re.fullmatch(r"[0-9]+(?:\.[0-9]+)?", amount) and not bare_value(amount):
        return row, following
    return None


def declares_targets(rows: list[Row]) -> bool:
    """Does a text that holds no form declare targets, rather than report on them (a
    self-evaluation, an evaluation report) or explain how to fill the forms in?"""
    return not any(_NOT_A_DECLARATION.search(fold(" ".join(row.filled))) for row in rows if not row.blank)


def read_outline(rows: list[Row], reading: Reading) -> Outline | None:
    """The outline's projects and targets; None when the text holds fewer than two targets under
    level headings (or one, under headings that name both its levels)."""
    table = TableReader(rows, reading, "the outline")
    outline = Outline()
    levels = Levels()
    current = OutlineProject(None, None)
    projects = [current]
    pending: tuple[Row, str] | None = None  # a name whose value is on the next line
    skip: set[int] = set()
    both_levels = False  # a level-2 heading met below another heading
    for index, row in enumerate(rows):
        if row.blank or row.number in skip:
            continue
        pair = _project_row(rows, index)
        if pair is not None:
            name_row, amount_row = pair
            current = OutlineProject(name_row.filled[0].strip(), name_row.number, (amount_row.number, key(amount_row.filled[0])))
            projects.append(current)
            skip.add(amount_row.number)
            levels, pending = Levels(), None
            reading.note(name_row.number, f"a project of the outline: {current.name}")
            reading.note(amount_row.number, f"its amount: {current.amount[1]}")
            continue
        text = " ".join(row.filled)
        if pending is not None and bare_value(text):
            name_row, name = pending
            pending = None
            if _add(table, current, name_row.number, f"{name}\t{text}", name, text, levels):
                outline.lines |= {name_row.number, row.number}
                reading.note(row.number, f"value of {name}: {text}")
            continue
        pending = None
        section = _NUMBERED_HEADING.match(text) if len(row.filled) == 1 else None
        if section and heading(text, None) is None:
            # a numbered heading that names no level: a project of the notice, or a section
            # (三、其他说明) whose lines no level governs
            levels = Levels()
            amount = _HEADING_AMOUNT.search(section["text"])
            name = (section["text"][: amount.start()] if amount else section["text"]).strip(" :：")
            if name.endswith("项目") and len(key(name)) <= 50:  # not 项目概况, 项目资金安排情况
                current = OutlineProject(name, row.number, (row.number, key(amount["amount"])) if amount else None)
                projects.append(current)
                reading.note(row.number, f"a project of the outline: {name}")
            continue
        if is_closing(text):
            levels = Levels()  # 附件, 扫一扫, 打印本页: the page goes on below the targets
            continue
        read_any, unread = False, []
        for piece in (piece for cell in row.filled for piece in pieces(cell)):  # 产出指标 | 巡查8次;…: cell by cell
            found = heading(piece, levels.level1)
            if found is not None:
                levels.level1, levels.level2, piece = found
                both_levels = both_levels or (levels.level2 is not None and len(outline.lines) > 0)
                outline.lines.add(row.number)
                reading.note(row.number, f"level heading: {_level_label(levels)}")
            if levels.level1 is None or not piece:
                continue
            for one in _targets(piece):
                one, points = _points(one)
                target = target_of(one)
                if target is not None and _add(table, current, row.number, one, *target, levels, points):
                    read_any = True
                else:
                    unread.append(one)
        if read_any or row.number in outline.lines:
            outline.lines.add(row.number)
            outline.leftovers += [(row.number, one) for one in unread]
        elif levels.level1 is not None and row.number not in outline.lines and len(row.filled) == 1 \
                and 2 <= len(key(text)) <= 60 and not re.search(r"[0-9]", text) and not is_title(row):
            pending = (row, text)
    return _finished(rows, outline, projects, both_levels)


def _finished(rows: list[Row], outline: Outline, projects: list[OutlineProject], both_levels: bool) -> Outline | None:
    """The outline with its projects that hold targets, their lines, names and amounts; None
    unless it holds two targets, or one under headings that name both its levels (一、产出指标 /
    数量指标:…)."""
    outline.projects = [p for p in projects if p.indicators]
    if sum(len(p.indicators) for p in outline.projects) < (1 if both_levels else 2):
        return None
    for project in outline.projects:
        if project.line is not None:
            outline.lines.add(project.line)
        if project.amount is not None:
            outline.lines.add(project.amount[0])
    _name_from_title(rows, outline)
    if len(outline.projects) == 1 and outline.projects[0].amount is None:
        outline.projects[0].amount = _stated_amount(rows, min(outline.lines))
    return outline


# 安排…资金30万元, 资金总额500万元; not what it brings in (带动投资…)
_PROSE_AMOUNT = re.compile(r"资金\s*(?:共计|合计|总额|总计)?\s*(?P<amount>[0-9]+(?:\.[0-9]+)?\s*(?:万元|元))")
_PER_UNIT = re.compile(r"每|标准")  # 每户发放补助资金1000元, 补助标准…: a rate, not the project's sum


def _stated_amount(rows: list[Row], before: int) -> tuple[int, str] | None:
    """The one sum a notice's prose gives its project, above its targets (安排…资金30万元), with
    its unit; None where it gives none or several."""
    found = {(row.number, re.sub(r"\s", "", match["amount"])) for row in rows if row.number < before
             for text in [fold(" ".join(row.filled))] for match in _PROSE_AMOUNT.finditer(text)
             if not _PER_UNIT.search(text[max(0, match.start() - 8): match.start()])}
    amounts = {text for _, text in found}
    return min(found) if len(amounts) == 1 else None


def _level_label(levels: Levels) -> str:
    """产出指标 › 数量指标: the catalogue's names of the levels in force."""
    names = [level.label for level in (*catalogue.LEVEL1, *catalogue.LEVEL2) if level.key in (levels.level1, levels.level2)]
    return " › ".join(names)


def _targets(piece: str) -> list[str]:
    """A piece holding several targets joined by commas (产值≥80万元,增加收入≥80万元): each."""
    outside = _outside_brackets(piece)
    cuts = [m.end() for m in re.finditer(r"[0-9](?:%|[\u4e00-\u9fff/]{0,4})?\s*[,，]", piece)
            if outside[m.end() - 1] and _COMPARATOR_AT.search(piece[m.end():])]
    out, start = [], 0
    for cut in cuts:
        out.append(piece[start:cut - 1])
        start = cut
    out.append(piece[start:])
    return [one.strip() for one in out if one.strip()]


_POINTS = re.compile(r"[(（]\s*(?P<points>[0-9]+(?:\.[0-9]+)?)\s*分\s*[)）]$")


def _points(piece: str) -> tuple[str, str | None]:
    """养护里程≥120公里（20分）: the target without its points, and the points (its weight)."""
    found = _POINTS.search(fold(piece).strip())
    return (fold(piece).strip()[: found.start()].strip(), found["points"]) if found else (piece, None)


def _add(table: TableReader, project: OutlineProject, line: int, source: str, name: str, value: str, levels: Levels,
         weight: str | None = None) -> bool:
    """Read one target through the table reader's rules; a value it cannot read is not a target."""
    before = len(table.indicators)
    try:
        table.add_target(line, source, name, {VALUE: value, **({WEIGHT: weight} if weight else {})}, levels)
    except FormError:
        del table.indicators[before:]
        return False
    project.indicators.extend(table.indicators[before:])
    return len(table.indicators) > before


def _name_from_title(rows: list[Row], outline: Outline):
    """A project named by no row takes the notice's title; the unit is the notice's signature,
    its 发布机构, or the head of its title."""
    titles = [row for row in rows if _titled(row)] \
        or [row for row in rows if is_title(row) and not _ATTACHMENT.match(fold(row.filled[-1]))] \
        or [row for row in rows if len(row.filled) == 1 and "绩效目标" in row.filled[0] and len(key(row.filled[0])) <= 40
            and not _SENTENCE.search(row.filled[0])] \
        or [row for row in rows if is_title(row)]
    title = outline.title = titles[0] if titles else None
    title_text = (_titled(title) or title_of(title) or title.filled[0]) if title is not None else None
    outline.unit = publisher(rows, title_text, signed_after=min(outline.lines))
    for project in outline.projects:
        if project.name is None and title_text:
            name = _TITLE_TAIL.sub("", TITLE_HEAD.sub("", fold(title_text)))
            if name:
                name = name if name.endswith("项目") else name + "项目"
                project.name, project.line = _with_place(rows, name, outline.unit), title.number


def _with_place(rows: list[Row], name: str, unit: str | None) -> str:
    """A title that drops the county its notice names the project with (关于下马关镇…项目 in the
    title, 实施同心县下马关镇…项目 in the text, the unit being 同心县下马关镇人民政府): the name
    as the text gives it, with the unit's own county or city before it."""
    if not unit:
        return name
    for place in re.findall(r"^[\u4e00-\u9fff]{1,8}?(?:自治县|县|市|区|旗|州|盟)", fold(unit)):
        if not name.startswith(place) and any(place + name in fold(" ".join(row.filled)) for row in rows):
            return place + name
    return name


def _titled(row: Row | None) -> str | None:
    """标题: | 关于…项目绩效目标设定的公示: a notice's title field."""
    if row is None or len(row.filled) < 2 or key(row.filled[0]) not in ("标题", "标题:"):
        return None
    return row.filled[1] if "绩效目标" in row.filled[1] else None


