"""The browsable tables (indicators, projects, amounts, outcomes, declarations) as data: which columns
each has, which of them filter and facet, a declaration's rows of each, and the facets of a
set of rows. Presentation is `goaltrace.rendering`'s; choosing declarations and paging is the
reader's (the web app's context, or the command line)."""

import math
import re
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

import pyoxigraph as ox

from ..forms.review import REASON_LABELS
from ..query.named import Reader
from . import exporting, review
from .trace import DeclarationRef, declaration_projects

# Filters that choose declarations (read from the list of declarations, never by scanning rows)
DECLARATION_FILTERS = ("department", "year", *exporting.PLACE[:3])
# Columns a declaration fixes (every row of it holds the same value): they choose declarations,
# and facet first
DECLARATION_COLUMNS = ("department", "year", *exporting.PLACE)
# The tables kept in the table index (`goaltrace.answers.table_index`): declarations are the summary's own, and
# the review queue is read a declaration at a time (its reading is too slow to index a corpus)
INDEXED = ("indicators", "funds", "outcomes", "projects")
# Columns sorted as numbers (a cell that is not one after every number, an empty one first)
NUMERIC = {"value", "weight", "amount", "appropriation", "line", "score", "funds", "year"}
# Columns a text search does not look in: names of graphs and files, digests
NOT_SEARCHED = {"form", "iri", "target_indicator", "source_sha256", "source_file", "part_of", "division_code"}


@dataclass(frozen=True)
class Table:
    name: str
    title: str  # Chinese, then English
    columns: tuple[str, ...]
    row_filters: tuple[str, ...]  # columns a row is kept or dropped by, and facets counted over
    shown: tuple[str, ...] = ()  # the columns a page shows, where not all (downloads hold all)

    @property
    def filters(self) -> tuple[str, ...]:
        """The columns a request may filter on; each is also a facet."""
        return DECLARATION_FILTERS + self.row_filters

    facets = filters

    def counted(self, columns: list[str]) -> list[str]:
        """The columns whose values are counted per declaration, for facets summed without
        reading rows: those a declaration fixes, then the table's row filters."""
        return [c for c in DECLARATION_COLUMNS if c in columns] + [c for c in self.row_filters if c in columns]


TABLES = {
    "indicators": Table("indicators", "绩效指标 Indicators", tuple(exporting.TABLES["indicators"]),
                        ("level1", "level2", "unit", "comparator", "project", "term", "review")),
    "projects": Table("projects", "项目 Projects", ("department", "year", "project", "funds", "goals", "annual_goal", "iri"),
                      ("goals",)),
    "funds": Table("funds", "资金 Amounts (万元), each counted once", tuple(exporting.TABLES["funds"]), ("project", "kind"),
                   ("department", "year", "project", "kind", "kind_en", "amount", "appropriation", "amount_text", "line",
                    *exporting.PLACE[:3])),
    "outcomes": Table("outcomes", "绩效自评 Outcomes of self-evaluations", tuple(exporting.TABLES["outcomes"]),
                      ("met", "project", "level1"),
                      ("form", "department", "year", "project", "level1", "level2", "indicator", "target", "actual", "met",
                       "weight", "score", "deviation_reason")),
    "declarations": Table("declarations", "申报 Declarations", ("department", "year", *exporting.PLACE, "unplaced", "iri"),
                          ()),
    "review": Table("review", "复核清单 Review queue", tuple(review.COLUMNS), ("review", "project", "level1"),
                    ("department", "year", "project", "place", "review", "source_text", *review.READING, "reviewed_by",
                     "source_file")),
}


def indexed_columns(table: Table) -> list[str]:
    """The columns a table's rows are answered with: its own, then the unit's place where the
    table has no column for it (the projects' rows)."""
    return [*table.columns, *(c for c in exporting.PLACE if c not in table.columns)]


def place_of(place: dict[str, str] | None) -> dict[str, str]:
    """A declaration's place columns (empty where it was not placed)."""
    return {c: (place or {}).get(c, "") for c in exporting.PLACE}


# Columns holding several values, "; " between them: a filter keeps a row holding the value,
# and a facet counts each value
MULTIPLE = {"review"}

LABELS = {
    "department": "单位 department", "year": "年度 year", "province": "省 province", "city": "市 city",
    "county": "县 county", "division_code": "区划代码 division code", "unplaced": "未定位原因 why not placed", "kind": "金额类型 kind of amount",
    "kind_en": "kind (English)", "appropriation": "其中财政拨款 of which appropriation", "part_of": "所属金额 part of",
    "level1": "一级指标 level 1",
    "level2": "二级指标 level 2", "unit": "计量单位 unit", "comparator": "比较 comparator", "project": "项目 project",
    "term": "期限 term", "goals": "支撑目标 goals",
    "indicator": "三级指标 indicator", "value": "指标值 value", "weight": "分值 weight", "source_text": "原文 as published",
    "form": "表 form", "amount": "金额 amount (万元)", "amount_text": "原文 as written", "line": "行 line",
    "funds": "资金 funds (万元)", "annual_goal": "年度目标 annual goal", "iri": "IRI",
    "source_sha256": "来源文件摘要 source SHA-256", "source_file": "来源文件 source file", "place": "位置 place",
    "review": "复核原因 why to review", "reviewed_by": "已复核 reviewed by", "reviewer": "复核人 reviewer",
    "note": "备注 note", "target": "指标值 target", "actual": "实际完成值 actual", "score": "得分 score",
    "met": "完成 met", "deviation_reason": "偏差原因 reason for a deviation", "target_indicator": "申报指标 declared indicator", **{f"corrected_{c}": f"更正 corrected {c}" for c in review.READING},
}


def declaration_rows(reader: Reader, table: str, declaration: DeclarationRef, place: dict[str, str] | None = None,
                     page: int = 5000) -> list[dict[str, str]]:
    """One declaration's rows of a table, every cell a string ('' where the forms have nothing),
    asked `page` rows at a time (a reader may cap how many one query returns)."""
    if table in ("indicators", "funds", "outcomes"):
        rows: list[dict[str, str]] = []
        while True:
            found = exporting.rows(reader, table, declaration.iri, page, len(rows))
            rows += found
            if len(found) < page:
                return rows
    if table == "review":
        return review.queue(reader, declaration.iri, page=page)
    if table == "declarations":
        return [{"department": declaration.department, "year": str(declaration.year),
                 **{c: (place or {}).get(c, "") for c in (*exporting.PLACE, "unplaced")}, "iri": declaration.iri}]
    if table == "projects":
        goals: dict[str, list[int]] = {}
        for link in reader.run("project-goal-links", {"declaration": ox.NamedNode(declaration.iri)}):
            goals.setdefault(link["p"].value, []).append(int(link["n"].value))
        return [{"department": declaration.department, "year": str(declaration.year), "project": row["name"].value,
                 "funds": row["funds"].value if "funds" in row else "",
                 "goals": ", ".join(str(n) for n in sorted(set(goals.get(row["p"].value, [])))),
                 "annual_goal": row["goal"].value if "goal" in row else "", "iri": row["p"].value}
                for row in declaration_projects(reader, declaration.iri)]
    raise KeyError(table)


def keep(rows: list[dict[str, str]], filters: dict[str, str]) -> list[dict[str, str]]:
    """The rows whose cells equal every filter's value ('' keeps the rows where the cell is empty);
    a cell of several values (`review`: its reasons, '; ' between them) answers to each."""
    return [r for r in rows if all(_matches(column, r.get(column, ""), value) for column, value in filters.items())]


def _matches(column: str, cell: str, wanted: str) -> bool:
    """`review` also answers `yes` (any reason), `no` (none) and a reason's code
    (column-by-position) as well as its label."""
    if column == "review" and wanted in ("yes", "no"):
        return bool(cell) == (wanted == "yes")
    values = values_of(column, cell)
    return wanted in values or (column == "review" and REASON_LABELS.get(wanted, "\0") in values)


def values_of(column: str, cell: str) -> list[str]:
    """A cell's values: several in a column of several (`MULTIPLE`), else the cell itself."""
    return cell.split("; ") if column in MULTIPLE and cell else [cell]


@dataclass(frozen=True)
class Facet:
    column: str
    values: list[tuple[str, int]]  # the most frequent first, then by value
    distinct: int  # how many values there are in all (more than are listed, past `top`)
    counts: str = "rows"  # what the counts count: "rows", or "declarations" where rows were not read
    totals: dict[str, Decimal] = field(default_factory=dict)  # amounts: each value's rows' sum, each amount once


def facet(column: str, values, top: int = 10, counts: str = "rows") -> Facet:
    """How often each value occurs, the `top` most frequent."""
    return ranked(column, Counter(v for value in values for v in values_of(column, value)), top, counts)


def ranked(column: str, tally: Counter, top: int, counts: str = "rows") -> Facet:
    """A facet of counted values: the `top` most frequent, then by value."""
    order = sorted(tally.items(), key=lambda item: (-item[1], item[0]))
    return Facet(column, order[:top], len(tally), counts)


_RUN = re.compile(r"[^\W_]+")  # letters and digits (a Chinese character is a letter)


def search_runs(text: str) -> list[str]:
    """What a text search looks for: each run of letters and digits in it, lower-cased; a row
    matches when each is inside its text (法律 inside 法律援助服务人次)."""
    return _RUN.findall(text.lower())


def searched(rows: list[dict[str, str]], text: str) -> list[dict[str, str]]:
    """The rows whose searched cells hold every run of the search text, each inside one run
    of letters and digits of the row's text (as the table index finds them)."""
    wanted = search_runs(text)
    kept = []
    for row in rows:
        runs = search_runs(" ".join(v for c, v in row.items() if c not in NOT_SEARCHED))
        if all(any(w in run for run in runs) for w in wanted):
            kept.append(row)
    return kept


def sorted_rows(rows: list[dict[str, str]], sort: str, numeric: set[str]) -> list[dict[str, str]]:
    """Rows in the order `sort` asks: `COLUMN` ascending or `-COLUMN` descending; numbers by
    value and before text in a numeric column, empty cells first; equal rows keep their order."""
    column = sort.lstrip("-")

    def key(row):
        cell = row.get(column, "")
        number = sort_number(cell) if column in numeric else None
        return (0, 0.0, "") if not cell else (1, number, "") if number is not None else (2, 0.0, cell)

    return sorted(rows, key=key, reverse=sort.startswith("-"))


def sort_number(cell: str) -> float | None:
    """A cell as the number it is sorted by; None where it is not a finite number."""
    try:
        number = float(cell)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def with_totals(found: Facet, rows: list[dict[str, str]]) -> Facet:
    """A facet of amount rows with the sum of each value's rows, each amount counted once
    (`exporting.total`): 基本支出 and 项目支出 are in 预算支出总额 only where it is among them."""
    groups: dict[str, list[dict[str, str]]] = {}
    for row in rows:
        for value in values_of(found.column, row.get(found.column, "")):
            groups.setdefault(value, []).append(row)
    return Facet(found.column, found.values, found.distinct, found.counts,
                 {value: exporting.total(groups.get(value, [])) for value, _ in found.values})
