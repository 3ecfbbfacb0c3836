"""The national indicator catalogue (三级指标体系, levels 1 and 2) as plain data.

Keys are the local names of the SKOS concepts in ``ontology/framework.ttl``; a test keeps the
two in step. Labels are matched after `text.key` folding, so full-width variants need no entry.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from .text import key


@dataclass(frozen=True)
class Level:
    key: str
    label: str  # the catalogue's Chinese name (skos:prefLabel@zh)
    parent: str | None = None  # level-2 concepts only
    variants: tuple[str, ...] = ()  # names seen in real forms (skos:altLabel@zh)


LEVEL1 = (
    Level("output", "产出指标", variants=("产出", "项目完成指标", "预期产出指标")),
    Level("benefit", "效益指标", variants=("效果指标", "效益", "效果", "项目效益指标", "预期效果指标")),
    Level("satisfaction", "满意度指标", variants=("满意度",)),
    Level("cost", "成本指标", variants=("成本",)),  # level 1 since 财预〔2021〕101号
)

LEVEL2 = (
    Level("output-quantity", "数量指标", "output"),
    Level("output-quality", "质量指标", "output"),
    Level("output-timeliness", "时效指标", "output"),
    Level("output-cost", "成本指标", "output", ("预算控制指标", "投资规模控制指标", "成本控制指标")),
    Level("benefit-economic", "经济效益指标", "benefit"),
    Level("benefit-social", "社会效益指标", "benefit", ("社会、经济、生态效益指标", "社会经济生态效益指标")),
    Level("benefit-ecological", "生态效益指标", "benefit", ("环境效益指标",)),
    Level("benefit-sustainable", "可持续影响指标", "benefit", ("可持续影响",)),
    Level(
        "satisfaction-service-recipients",
        "服务对象满意度指标",
        "satisfaction",
        ("社会公众或服务对象满意度指标", "社会公众满意度指标"),
    ),
    Level("cost-economic", "经济成本指标", "cost"),
    Level("cost-social", "社会成本指标", "cost"),
    Level("cost-ecological", "生态环境成本指标", "cost", ("环境成本指标",)),
)

def _index(levels):
    index = {}
    for level in levels:
        for name in (level.label, *level.variants):
            index[key(name)] = level
    return index


_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.]|[0-9]+[、.]|[(（][一二三四五六七八九十0-9]+[)）])")
_LEVEL1_NAMES = _index(LEVEL1)
_LEVEL2_NAMES = _index(LEVEL2)


_SCORE = re.compile(r"[(（][^)）]*[)）]|[0-9０-９.\-—~～]+分?$|分$")


def _spellings(name: str, loose: bool) -> list[str]:
    """The ways a level name is written: `产出指标(40-50)分`, `数量指标值`, `一、产出指标`; and,
    when `loose`, without its 指标 (`经济效益`, for a name whose 指标 was wrapped onto the next
    line: without that, 服务对象满意度 is an indicator's name, not a level)."""
    bare = _SCORE.sub("", _NUMBERING.sub("", key(name)))
    if bare.endswith("指标等"):
        bare = bare[:-1]  # 服务对象满意度指标等: the template's own wording
    spellings = [key(name), bare]
    if bare.endswith("性指标"):
        spellings.append(bare[:-3] + "指标")  # 时效性指标
    if bare.endswith("值"):
        spellings.append(bare[:-1] if bare[:-1].endswith("指标") else bare[:-1] + "指标")
    if loose and not bare.endswith("指标"):
        spellings.append(bare + "指标")
    return spellings


def _named(index: dict, name: str, loose: bool) -> Level | None:
    spellings = _spellings(name, loose)
    for spelling in spellings:
        if spelling in index:
            return index[spelling]
    return None


@lru_cache(maxsize=1 << 14)
def level1_named(name: str, loose: bool = False) -> Level | None:
    return _named(_LEVEL1_NAMES, name, loose)


@lru_cache(maxsize=1 << 14)
def level2_named(name: str, loose: bool = False) -> Level | None:
    return _named(_LEVEL2_NAMES, name, loose)


def near_level2(name: str, parent: str | None) -> Level | None:
    """The level 2 of `parent` a name misspells by one character (日效性指标 for 时效指标), when
    only one is that near: read only where a level name is expected and none matched."""
    if parent is None:
        return None
    near = {level for level in LEVEL2 if level.parent == parent
            for spelling in _spellings(name, False) for known in (level.label, *level.variants)
            if spelling.endswith("指标") and len(spelling) == len(known) > 3
            and sum(a != b for a, b in zip(key(known), spelling)) == 1}
    return near.pop() if len(near) == 1 else None


def level2_key_parent(level2_key: str) -> str | None:
    return next((level.parent for level in LEVEL2 if level.key == level2_key), None)
