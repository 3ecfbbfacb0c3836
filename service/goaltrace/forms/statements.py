"""What a budget publication states in its prose about its own targets: how many projects it put under performance-target management.

A department budget (部门预算) says in its notes how many projects carry performance targets
(`全面实施绩效目标管理，涉及一级预算项目76个`), then prints the target tables of some or all of
them. The count is kept with the sentence it was read from, so that the forms present can be
set against it (shapes/reviewer.ttl, stated-project-count).
"""

import re
from collections.abc import Iterable
from dataclasses import dataclass

# 实行/实施 …绩效目标管理，涉及(一级)预算项目(支出)N个 — or — N个项目…实行/实施/纳入…绩效目标(管理)
_COUNT = re.compile(
    r"绩效目标管理[，,、]?(?:共|涉及|覆盖)[^。；;0-9]{0,10}?项目(?:支出)?(?P<a>[0-9]+)个"
    r"|(?:共|涉及)(?P<b>[0-9]+)个(?:预算)?项目[^。；;0-9]{0,8}(?:实行|实施|纳入|编制)[^。；;0-9]{0,4}绩效目标")
_SENTENCE_END = "。；;"


@dataclass(frozen=True)
class StatedCount:
    projects: int
    text: str  # the sentence it was read from


def stated_project_count(texts: Iterable[str]) -> StatedCount | None:
    """The first count of projects under performance-target management the texts state (page
    texts or cells, in order), with its sentence; None when they state none."""
    for text in texts:
        compact = re.sub(r"\s+", "", text)
        found = _COUNT.search(compact)
        if found:
            return StatedCount(int(found.group("a") or found.group("b")), sentence(compact, found)[:300])
    return None


def sentence(text: str, found: re.Match, starts: str = _SENTENCE_END) -> str:
    """The sentence of `text` that holds a match: from after the last of `starts` before it to
    the end of the sentence (。；;) after it, that mark included."""
    start = max(text.rfind(mark, 0, found.start()) for mark in starts) + 1
    end = min((i for i in (text.find(mark, found.end()) for mark in _SENTENCE_END) if i >= 0), default=len(text))
    return text[start:end + 1]
