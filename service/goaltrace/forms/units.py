"""Units of measure (度量单位) written in target cells, as plain data.

Keys are the local names (``unit-<key>``) of the unit concepts in ``ontology/framework.ttl``.
`factor` and `base` give the conversion (万元 = 10⁴ 元); `kind` says what the unit measures,
which the validator uses (a rate should be in percent, money should not be a bare 万).
"""

from dataclasses import dataclass

from .text import fold


@dataclass(frozen=True)
class Unit:
    key: str
    label: str
    en: str
    kind: str  # count | money | percent | time | ratio | magnitude | other
    factor: int = 1
    base: str | None = None  # key of the base unit when factor != 1
    classifier: bool = False  # a measure word (量词) that may precede a noun: 268个村居（社区）


UNITS = (
    Unit("percent", "%", "percent", "percent"),
    Unit("yuan", "元", "yuan (CNY)", "money"),
    Unit("wan-yuan", "万元", "ten thousand yuan", "money", 10_000, "yuan"),
    Unit("yi-yuan", "亿元", "hundred million yuan", "money", 100_000_000, "yuan"),
    Unit("yuan-per-person", "元/人", "yuan per person", "ratio"),
    Unit("yuan-per-person-year", "元/人/年", "yuan per person per year", "ratio"),
    Unit("wan", "万", "ten thousand (of an unnamed unit)", "magnitude", 10_000),
    Unit("item", "件", "items (cases, pieces)", "count", classifier=True),
    Unit("person", "人", "persons", "count", classifier=True),
    Unit("person-ming", "名", "persons (名)", "count", classifier=True),
    Unit("piece-ge", "个", "units (个)", "count", classifier=True),
    Unit("times", "次", "times", "count", classifier=True),
    Unit("person-times", "人次", "person-times", "count"),
    Unit("wan-person-times", "万人次", "ten thousand person-times", "count", 10_000, "person-times"),
    Unit("session", "场", "sessions (events)", "count", classifier=True),
    Unit("session-times", "场次", "sessions held", "count"),
    Unit("copy", "份", "copies", "count", classifier=True),
    Unit("wan-copies", "万份", "ten thousand copies", "count", 10_000, "copy"),
    Unit("household", "户", "households", "count", classifier=True),
    Unit("project-item", "项", "items (项)", "count", classifier=True),
    Unit("institution", "家", "institutions", "count", classifier=True),
    Unit("place", "所", "places (所)", "count", classifier=True),
    Unit("site", "处", "sites", "count", classifier=True),
    Unit("article", "篇", "articles", "count", classifier=True),
    Unit("issue", "期", "issues (periodicals)", "count", classifier=True),
    Unit("machine", "台", "machines", "count", classifier=True),
    Unit("set", "套", "sets", "count", classifier=True),
    Unit("volume", "册", "volumes", "count", classifier=True),
    Unit("sheet", "张", "sheets", "count", classifier=True),
    Unit("community", "社区", "communities", "count"),
    Unit("village", "村", "villages", "count"),
    Unit("day", "天", "days", "time"),
    Unit("workday", "个工作日", "working days", "time"),
    Unit("day-ri", "日", "days (日)", "time"),
    Unit("hour", "小时", "hours", "time"),
    Unit("month", "个月", "months", "time"),
    Unit("year", "年", "years", "time"),
    Unit("square-metre", "平方米", "square metres", "other"),
    Unit("kilometre", "公里", "kilometres", "other"),
    Unit("mu", "亩", "mu (666.7 m²)", "other"),
    Unit("tonne", "吨", "tonnes", "other"),
)

_BY_LABEL = {fold(unit.label): unit for unit in UNITS}
# Longest first: "万人次" before "万", "个工作日" before "个".
LABELS = sorted(_BY_LABEL, key=len, reverse=True)


def unit_labelled(label: str | None) -> Unit | None:
    if not label:
        return None
    return _BY_LABEL.get(fold(label).replace(" ", ""))
