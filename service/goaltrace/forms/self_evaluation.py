"""A year-end self-evaluation (绩效自评表), read by its labels and its table headers.

A self-evaluation sets each indicator's target for the year beside what was achieved, with the
points it carries (分值) and the score given (得分); above that table sits a budget block (年初预算数
| 全年预算数 | 全年执行数 | 分值 | 执行率 | 得分) and the form's fields (项目名称, 主管部门, 实施单位).

The text is read as a stream of cells, each with its line (`grid.rows_of`; a line without pipes
or tabs is also split at single spaces, as text copied from a document often is). The outcome
table is found by its header (一级指标 … 年度指标值 | 实际完成值 | 分值 | 得分 | 偏差原因…), whose
order says which cell follows which; a header cell wrapped over two cells (年度 / 指标值) is joined.
Rows end where a line ends (a table written one row per line) or at a rule of pipes (a table
written one cell per line); where neither marks them, a cell is told by what it is: a level name,
a number for the points and score, and a cell that is not followed by a whole row for a remark.
"""

import re
from dataclasses import dataclass, replace
from decimal import Decimal

from . import catalogue, numbered_rows, split_header
from .comparators import (
    comparator_named,
    split_leading_comparator,
    split_trailing_comparator,
)
from .errors import FormError, shown
from .grid import field_key, rows_of
from .indicator_table import (
    _SPLIT_TAILS,
    ONLY_CHILD,
    PLACEHOLDER,
    SECTION_LABELS,
    Levels,
    _looks_like_unit,
    _unknown_category,
    _value_like,
    doubts_of_cells,
)
from .labels import (
    ACTUAL,
    BUDGET_EXECUTED,
    BUDGET_OPENING,
    BUDGET_PLANNED,
    BUDGET_RATE,
    BUDGET_TOTALS,
    COMPARATOR,
    DEVIATION,
    LEVEL1,
    LEVEL2,
    NAME,
    NOTE,
    SCORE,
    SELF_EVALUATION_FIELDS,
    SELF_EVALUATION_TITLE,
    TOTAL_SCORE_LABELS,
    UNIT,
    VALUE,
    WEIGHT,
    budget_column_named,
    is_closing,
    is_header_of_outcomes,
    outcome_column_named,
)
from .reading import Reading
from .records import BudgetExecution, Outcome, SelfEvaluation
from .review import doubted
from .run_together_outcomes import looks_run_together, pieces_of
from .statements import sentence
from .text import fold, key
from .values import Target, parse_number, parse_target
from .values_first import reorder

YEAR = re.compile(r"(?<![0-9])(20[0-9]{2})\s*年度")
POINTS = re.compile(r"[(（]\s*([0-9]+(?:\.[0-9]+)?)\s*分\s*[)）]")  # (20分): the points a block carries
_ONLY_POINTS = re.compile(r"^[(（]?[0-9]+(?:\.[0-9]+)?分[)）]?$")
_BRACKETED = re.compile(r"^[(（].*[)）]$")
_RULE = re.compile(r"^\s*\|(?:\s*\|)+\s*$")  # a line of pipes only: the end of a row written one cell per line
_AMOUNT = re.compile(r"^[-+]?[0-9][0-9,]*(?:\.[0-9]+)?(?:%|万元|万|元|分)?$")
_PERCENTAGE = re.compile(r"[0-9]\s*[%％]")
_BLANK_MARK = {"—", "-", "－", "–", "/", "——", "--"}
_NAME_NUMBER = re.compile(r"^(?:(?:指标|任务)\s*[0-9]+\s*[:：]?|[0-9]+\s*[、.．](?=\D))\s*")
_BUDGET_SECTION = re.compile(r"^(?:项目资金|资金情况|预算资金|预算执行情况|项目预算|整体支出规模)")
_YUAN = re.compile(r"[(（]\s*元\s*[)）]")
_FUND_ROW = re.compile(r"^(?:其中[:：]?)?(?:当年|本年)?财政拨款$|^上年结转资金$|^其他资金$|^其中[:：]")  # rows of the budget block
# The scoring rule a form states beneath its table (备注: 定量指标计分原则…), when it is the
# proportional one: full points when met, in proportion when missed (得分=权重*B/A, where A is
# the target and B the actual; OCR may drop the slash).
_PROPORTIONAL_RULE = re.compile(r"得分[=＝](?:权重|分值)[*×xX]?B/?A|完成[^。；;]{0,12}得满分[^。；;]{0,20}按[^。；;]{0,8}比例"
                                r"|按(?:实际)?完成(?:比例|程度)(?:计|得)分")
_OTHER_CLOSINGS = ("其他需要说明事项", "偏差大或", "自评等级")
REQUIRED = (VALUE, ACTUAL, WEIGHT, SCORE)  # what a whole row holds, where its header has the column
OPTIONAL = (DEVIATION, NOTE)


@dataclass(frozen=True)
class Cell:
    """A non-blank cell of the text, with what surrounds it."""

    line: int
    text: str
    line_start: bool  # the first cell of its line
    after_rule: bool  # a line of pipes stands between it and the cell before
    indented: bool = False  # the first of its line, after blank cells (its row's level columns are empty)
    doubts: tuple[str, ...] = ()  # a name cell's place guessed by a normaliser that wrote the table out again


@dataclass(frozen=True)
class OutcomeHeader:
    start: int  # index of its first cell
    end: int  # index of the first cell after it
    roles: tuple[str, ...]  # the columns after the indicator's name, in order
    stream: bool  # the table is written one cell per line
    levelled: bool = True  # the form has level columns (一级指标, 二级指标), in this header or above it


def cells_of(text: str) -> list[Cell]:
    """The text's non-blank cells in reading order."""
    return cells_of_rows(rows_of(text))


def cells_of_rows(rows) -> list[Cell]:
    """The non-blank cells of rows (of a text or a document) in reading order."""
    cells: list[Cell] = []
    rule = False
    for row in rows:
        if _RULE.match(row.text):
            rule = True
            continue
        parts = row.filled
        if "|" not in row.text and "｜" not in row.text and "\t" not in row.text:
            parts = [word for part in parts for word in part.split()]
        indented = next((k for k, cell in enumerate(row.cells) if cell.strip()), 0) > 0
        for i, part in enumerate(parts):
            cells.append(Cell(row.number, part, i == 0, rule, indented and i == 0))
            rule = False
    return cells


# -- labels ----------------------------------------------------------------------------------
def _field_of(cell: str) -> tuple[str, str | None] | None:
    """(field, value in the same cell) for a field label cell, or None."""
    if "盖章" in cell:
        return None  # 主管部门(盖章): a place for a seal
    label = field_key(cell)
    if label in SELF_EVALUATION_FIELDS:
        return SELF_EVALUATION_FIELDS[label], None
    qualified = _qualified_label(label)  # 一级预算单位名称, or the same with its first characters lost
    if qualified:
        return qualified, None
    name, sep, value = cell.replace("：", ":").partition(":")
    if sep and field_key(name) in SELF_EVALUATION_FIELDS:
        return SELF_EVALUATION_FIELDS[field_key(name)], value.strip() or None
    return None


def _qualified_label(label: str) -> str | None:
    """The field of a label that is a known one with a few characters before it (一级预算单位名称,
    级预算单位名称): the longest known label it ends with, of four characters or more."""
    known = [name for name in SELF_EVALUATION_FIELDS if len(name) >= 4 and label.endswith(name) and len(label) - len(name) <= 3]
    return SELF_EVALUATION_FIELDS[max(known, key=len)] if known else None


def _total_label(cell: str) -> bool:
    label = re.sub(r"[(（][^)）]*[)）]", "", field_key(cell))
    return label in BUDGET_TOTALS


def _is_label(cell: str) -> bool:
    """Any label of the form: a field, a budget or outcome column, a section, a title."""
    label = key(cell)
    return bool(_field_of(cell) or budget_column_named(cell) or outcome_column_named(cell) or _total_label(cell)
                or _BUDGET_SECTION.match(label) or SELF_EVALUATION_TITLE.search(label) or label.startswith("年度总体目标")
                or label in ("年度", "项目负责人", "联系电话", "项目负责人及电话") or _FUND_ROW.match(label))


def _joined_label(cells: list[Cell], i: int, named) -> tuple[str | None, int]:
    """The label at cells[i] — or at cells[i] and cells[i+1] together, a header cell wrapped
    in two (年度 / 指标值) — and how many cells it takes."""
    if i + 1 < len(cells) and not _BRACKETED.match(key(cells[i].text)):
        joined = named(key(cells[i].text) + key(cells[i + 1].text))
        if joined is not None:
            return joined, 2
    return named(cells[i].text), 1


def _header_run(cells: list[Cell], start: int, named) -> tuple[list[str], int]:
    """The roles of the header cells from cells[start] on (fillers skipped), and the index of
    the first cell after them."""
    roles, i = [], start
    while i < len(cells):
        role, taken = _joined_label(cells, i, named)
        if role is not None:
            roles.append(role)
        elif not _is_header_filler(cells[i].text):
            break
        i += taken
    return roles, i


def _interleaved_budget(cells: list[Cell], start: int) -> tuple[list[str], int, list[str]] | None:
    """A budget header whose labels a flattened spreadsheet interleaved with other words (年初预算数
    (万元) 年度资金总额 其中:当年财政拨款 实施单位 全年预算数 …): the labels, the index of the total
    row's label, and the amounts after the first label that follows it."""
    roles: list[str] = []
    total, i = None, start
    while i < min(len(cells), start + 40):
        if _total_label(cells[i].text):
            total = i
        role, taken = _joined_label(cells, i, budget_column_named)
        if role is not None:
            roles.append(role)
        elif total is not None and roles and _AMOUNT.match(key(cells[i].text)):
            return roles, total, _amounts_after(cells, i - 1)
        i += taken
    return None


def _rate_agrees(planned: Decimal | None, executed: Decimal | None, rate: str | None) -> bool:
    """Whether the amount spent over the budget gives the stated rate (to the percent)."""
    stated = parse_number(rate.removesuffix("%")) if rate else None
    if not planned or executed is None or stated is None:
        return False
    return abs(executed / planned * 100 - stated) < 1


def _amounts_after(cells: list[Cell], index: int) -> list[str]:
    """The amount cells (numbers, percentages, blanks written —) after cells[index]."""
    values = []
    for cell in cells[index + 1:]:
        text = key(cell.text)
        if not (_AMOUNT.match(text) or text in _BLANK_MARK):
            break
        values.append(text)
    return values


def _is_header_filler(cell: str) -> bool:
    """A cell inside a header that names no column: 绩效指标, (80分), (20分*执行率)."""
    label = key(cell)
    return label in SECTION_LABELS or bool(_ONLY_POINTS.match(label)) or bool(_BRACKETED.match(label))


def _closes(cell: str) -> bool:
    label = key(cell)
    return is_closing(cell) or label.startswith(TOTAL_SCORE_LABELS) or label.startswith(_OTHER_CLOSINGS)


def _number(cell: str | None) -> Decimal | None:
    if cell is None:
        return None
    return parse_number(fold(cell).replace(" ", "").removesuffix("分"))


class _SelfEvaluationReader:
    def __init__(self, text: str | None, path: str, partial: bool, year: int | None, rows=None):
        self.path = path
        self.partial = partial
        self.given_year = year
        self.reading = Reading(path, partial)
        # the text as written, line by line (a file's rows keep their lines): what a reader of
        # run-together cells cuts at its labels
        self.text = text if text is not None else _text_of(rows)
        self.cells = cells_of_rows(rows) if rows is not None else cells_of(text)
        self.values_first = False  # the outcome table was flattened with its values before its names
        self.run_together = False  # the cells were cut from text that ran them together

    @staticmethod
    def _made(line: int, text: str, starts: bool, doubts: tuple[str, ...] = ()) -> Cell:
        """A cell a normaliser writes, when it writes a table out again in the ordinary order."""
        return Cell(line, text, starts, False, doubts=doubts)

    def fail(self, line: int, message: str):
        self.reading.fail(line, message)

    # -- the whole form ------------------------------------------------------------------
    def read(self) -> SelfEvaluation:
        if not self.cells:
            self.fail(1, "expected a self-evaluation (绩效自评表), found an empty text")
        split = split_header.reorder(self.cells, self._made, self.reading.note)
        if split is not None:  # a two-line header splitting the target and the score: rows written out again
            self.cells = split
        header = self._outcome_header(required=False)
        if header is None and self.text is not None and looks_run_together(self.text):
            # every cell run together: cut the text at its labels and read that
            pieces = pieces_of(self.text, self.reading.note)
            if pieces:
                self.cells = [Cell(p.line, p.text, p.starts, False) for p in pieces]
                self.run_together = True
                header = self._outcome_header(required=False)
        if header is None:  # a table flattened with its values before its names: put them in row order
            reordered = reorder(self.cells, lambda line, text, starts: Cell(line, text, starts, False), self.reading.note)
            if reordered is not None:
                self.cells, self.values_first = reordered, True
        if header is None and not self.values_first:  # a flattened spreadsheet, its indicators numbered
            renumbered = numbered_rows.reorder(self.cells, self._made, self.reading.note)
            if renumbered is not None:
                self.cells = renumbered
        if header is None:
            header = self._outcome_header()
        before = self.cells[:header.start]
        fields = self._fields(before)
        title = next((c for c in before if SELF_EVALUATION_TITLE.search(key(c.text))), None)
        year = self._year(before)
        budget = self._budget(before)
        outcomes, end, cut = self._outcomes(header)
        if cut is not None and not self.partial:
            self.fail(cut, "the text ends inside the outcome table (绩效指标), before its closing rows: "
                           "read it with partial=True (--partial) to keep the rows before the cut")
        if not outcomes and cut is None:
            self.fail(self.cells[header.start].line, "the outcome table has no rows: expected indicator rows "
                                                     "(三级指标 | 年度指标值 | 实际完成值 | …) after its header")
        totals = self._total_numbers(end)
        outcomes = self._balanced(outcomes, budget, totals)
        total_score = self._total_score(totals, outcomes, budget)
        project = fields.get("project")
        kind = "department-selfeval" if (title and "整体" in title.text) or not project else "project-selfeval"
        department = fields.get("supervising_unit") or fields.get("unit")
        return SelfEvaluation(
            path=self.path,
            kind=kind,
            title=title.text.strip() if title else None,
            department=department,
            project=project,
            implementing_unit=fields.get("implementing_unit"),
            year=year,
            budget=budget,
            total_score=total_score,
            outcomes=tuple(outcomes),
            incomplete_at=cut,
            explanation=tuple((line, what) for line in sorted(self.reading.notes) for what in self.reading.notes[line]),
            scoring_rule=scoring_rule(self.cells),
        )

    # -- fields, year --------------------------------------------------------------------
    def _fields(self, cells: list[Cell]) -> dict[str, str]:
        """Labelled fields: the first value of each; for the unit's own name, a table cell
        (单位名称 | X) before a heading line's 单位名称:X."""
        found: dict[str, str] = {}
        inline: dict[str, str] = {}
        for i, cell in enumerate(cells):
            named = _field_of(cell.text)
            if named is None:
                continue
            field, value = named
            if value is not None:
                inline.setdefault(field, value)
                self.reading.note(cell.line, f"{field}: {value}")
                continue
            following = cells[i + 1] if i + 1 < len(cells) else None
            if following is not None and not _is_label(following.text) and field not in found:
                found[field] = following.text.strip()
                self.reading.note(following.line, f"{field}: {following.text.strip()}")
            elif self.values_first and field not in found and (value := _value_before(cells, i)):
                found[field] = value  # flattened with values first: the label's value stands before it
                self.reading.note(cell.line, f"{field}, from the cells before its label: {value}")
        return {**inline, **found}

    def _year(self, cells: list[Cell]) -> int:
        for i, cell in enumerate(cells):
            match = YEAR.search(fold(cell.text))
            if match is None and i + 1 < len(cells) and re.match(r"\s*年度", cells[i + 1].text):
                match = YEAR.search(fold(cell.text + cells[i + 1].text))  # (2022 / 年度): split at its space
            if match:
                self.reading.note(cell.line, f"year: {match.group(1)}")
                return int(match.group(1))
        if self.given_year is not None:
            return self.given_year
        self.fail(cells[0].line if cells else 1, "expected the year the form evaluates (a title such as "
                                                 "(2022年度) or a 年度 field), found none: give one with --year")
        raise AssertionError  # pragma: no cover - fail raises

    # -- the budget block --------------------------------------------------------------------
    def _budget(self, cells: list[Cell]) -> BudgetExecution | None:
        start = next((i for i, c in enumerate(cells)
                      if budget_column_named(c.text) in (BUDGET_OPENING, BUDGET_PLANNED, BUDGET_EXECUTED)
                      or _joined_label(cells, i, budget_column_named)[0] in (BUDGET_OPENING, BUDGET_PLANNED)), None)
        if start is None:
            return None
        roles, i = _header_run(cells, start, budget_column_named)
        self.reading.note(cells[start].line, f"budget header: {' | '.join(roles)}")
        total = next((j for j in range(i, min(i + 4, len(cells))) if _total_label(cells[j].text)), None)
        interleaved = None
        block = " ".join(c.text for c in cells[start:])
        if total is None and self.values_first and _amounts_after(cells, i - 1) and _total_label_in(cells[i:]):
            # the total row's values stand before its label: the first row after the header,
            # one cell per column (less the rate, when no cell of it is a percentage)
            values = _amounts_after(cells, i - 1)
            first = values[:len(roles)]
            values = first if any(v.endswith("%") for v in first) else values[:len(roles) - 1]
            total = i - 1
        else:
            values = _amounts_after(cells, total) if total is not None else []
        if not values:  # no amounts after the total row's label: the header's labels among other words?
            interleaved = _interleaved_budget(cells, start)
            if interleaved is None:
                return None
            roles, total, values = interleaved
            self.reading.note(cells[start].line, f"budget header, its labels among other words: {' | '.join(roles)}")
        found = _align_budget(roles, values)
        section = " ".join(c.text for c in cells[max(0, start - 4):start])
        if self.values_first and not _YUAN.search(fold(section)) and _YUAN.search(fold(block)):
            section += " (元)"  # the block's unit, written after its values
        factor = Decimal(10000) if _YUAN.search(fold(section)) else Decimal(1)
        amounts = {role: _amount(found.get(role), factor) for role in (BUDGET_OPENING, BUDGET_PLANNED, BUDGET_EXECUTED)}
        weight = _number(found.get(WEIGHT))
        if WEIGHT not in roles and (points := POINTS.search(fold(section))):
            weight = Decimal(points.group(1))  # 预算执行情况 (20分): the block's points, with no 分值 column
        rate = found.get(BUDGET_RATE)
        if rate is None and self.values_first and amounts[BUDGET_PLANNED] and amounts[BUDGET_EXECUTED] is not None:
            rate = _stated_rate(cells[start:], amounts[BUDGET_EXECUTED] / amounts[BUDGET_PLANNED] * 100)
        line = cells[total].line
        planned, executed = amounts[BUDGET_PLANNED] or amounts[BUDGET_OPENING], amounts[BUDGET_EXECUTED]
        if rate and not rate.endswith("%") and planned and executed is not None and \
                (ratio := parse_number(rate)) is not None and ratio <= 2 and abs(executed / planned - ratio) < Decimal("0.006"):
            rate = f"{ratio * 100}%"  # the rate written as a ratio: 1 for 100%
            self.reading.note(line, f"execution rate written as the ratio {ratio}: read as {rate}")
        if interleaved is not None and not _rate_agrees(planned, executed, rate):
            return None  # labels taken from among other words, with amounts that do not give their rate
        self.reading.note(line, f"budget: {' | '.join(values)}")
        return BudgetExecution(
            line=line,
            planned=amounts[BUDGET_PLANNED] if amounts[BUDGET_PLANNED] is not None else amounts[BUDGET_OPENING],
            executed=amounts[BUDGET_EXECUTED],
            rate=parse_number(rate.removesuffix("%")) if rate else None,
            weight=weight,
            score=_number(found.get(SCORE)),
            opening=amounts[BUDGET_OPENING],
        )

    # -- the outcome table ---------------------------------------------------------------
    def _outcome_header(self, required: bool = True) -> OutcomeHeader | None:
        i = 0
        while i < len(self.cells):
            if outcome_column_named(self.cells[i].text) is None and _joined_label(self.cells, i, outcome_column_named)[0] is None:
                i += 1
                continue
            roles, j = _header_run(self.cells, i, outcome_column_named)
            if is_header_of_outcomes(roles):
                header = OutcomeHeader(i, j, _value_columns(roles), self._is_stream(j),
                                       self._levelled(roles, i))
                self.reading.note(self.cells[i].line, f"outcome table header ({'one cell per line' if header.stream else 'one row per line'}); "
                                                      f"columns after the name: {' | '.join(header.roles)}")
                return header
            i = j if j > i else i + 1
        if not required:
            return None
        first = self.cells[0]
        self.fail(first.line, "expected a self-evaluation's outcome table header (一级指标 | 二级指标 | 三级指标 | "
                              f"年度指标值 | 实际完成值 | 分值 | 得分), found none; the text begins {shown(first.text)}")
        raise AssertionError  # pragma: no cover - fail raises

    def _levelled(self, roles: list[str], start: int) -> bool:
        """Whether the form has level columns: in its header, or named above it where a flattened
        layout took the header apart (一级指标 | 年度资金总额 … 三级指标 | 年初目标值 …)."""
        named = (outcome_column_named(c.text) for c in self.cells[:start])
        return any(role in (LEVEL1, LEVEL2) for role in (*roles, *named))

    def _is_stream(self, index: int) -> bool:
        """One cell per line: most lines below the header hold a single cell."""
        counts: dict[int, int] = {}
        for cell in self.cells[index:]:
            counts[cell.line] = counts.get(cell.line, 0) + 1
            if len(counts) > 12:
                break
        lines = list(counts.values())[:12]
        return bool(lines) and sum(n > 1 for n in lines) < 0.3 * len(lines)

    def _outcomes(self, header: OutcomeHeader) -> tuple[list[Outcome], int | None, int | None]:
        """The table's rows; the line of the cell that closes it; the line where the text
        stops, when it stops inside the table."""
        cells, stream = _joined_level_names(_without_fillers(self.cells[header.end:])), header.stream
        levels = Levels()
        outcomes: list[Outcome] = []
        i = 0
        while i < len(cells):
            cell = cells[i]
            if _closes(cell.text):
                return outcomes, cell.line, None
            level1_before = levels.level1
            used = levels.take([c.text for c in cells[i:i + 3]], indented=cell.indented)
            if used:
                for c in cells[i:i + used]:
                    self.reading.note(c.line, f"level name: {c.text}")
                i += used
                continue
            near = catalogue.near_level2(cell.text, levels.level1)
            if near is not None and (i + 1 >= len(cells) or not _value_like(cells[i + 1].text)):
                levels.level1, levels.level2 = near.parent, near.key
                self.reading.note(cell.line, f"level name misspelt, read as {near.label}: {cell.text}")
                i += 1
                continue
            if _unknown_category(cell.text) and (i + 1 >= len(cells) or not _value_like(cells[i + 1].text)):
                # 群众满意度指标, 管理指标: a category outside the catalogue; a level 2 under the
                # level 1 just named keeps that level 1
                just_named = i > 0 and catalogue.level1_named(cells[i - 1].text) is not None
                levels.level1, levels.level2 = (level1_before if just_named else None), None
                self.reading.note(cell.line, f"a category outside the catalogue: {cell.text}")
                i += 1
                continue
            values, j = _row_values(cells, i, header.roles, stream)
            last = j >= len(cells)
            if last and not all(role in values for role in REQUIRED if role in header.roles):
                return outcomes, None, cell.line  # the text stops inside this row
            if VALUE in values and (ACTUAL in values or WEIGHT in values or SCORE in values):
                outcome = self._outcome(cell, values, levels)
                if any(role in header.roles and role not in values for role in REQUIRED):
                    # a column of the header with no cell on this row (blank cells vanish from a
                    # text): the cells there are were placed by what they look like
                    outcome = replace(outcome, doubts=doubted(outcome.doubts, ("column-by-position",)))
                if header.levelled and outcome.level1 is None and outcome.level2 is None:
                    # the table has level columns, but no level name stood above this row
                    outcome = replace(outcome, doubts=doubted(outcome.doubts, ("level-not-stated",)))
                    self.reading.note(cell.line, "needs review: level-not-stated")
                outcomes.append(replace(outcome, evidence=_evidence(header, values)))
            else:
                for c in cells[i:j]:
                    self.reading.note(c.line, f"not an outcome row (no target and result): {c.text}")
            i = j
        cut = cells[-1].line if cells else self.cells[-1].line
        return outcomes, None, cut

    def _outcome(self, name_cell: Cell, values: dict[str, Cell], levels: Levels) -> Outcome:
        name = " ".join(_NAME_NUMBER.sub("", name_cell.text.strip()).split())
        parts = [values[role].text.strip() for role in (COMPARATOR, VALUE, UNIT) if role in values]
        target_text = "".join(parts)
        comparator, target = _parse_target(values.get(COMPARATOR), values[VALUE].text, values.get(UNIT))
        actual_cell = values.get(ACTUAL)
        actual = parse_target(actual_cell.text.strip()) if actual_cell else None
        deviation = values.get(DEVIATION)
        self.reading.note(name_cell.line, f"outcome: {name}")
        unit = values.get(UNIT)
        doubts = doubts_of_cells(name, target, values[VALUE].text, unit.text if unit else None)
        if self.run_together and _PERCENTAGE.search(name):
            doubts.add("cell-fits-column-badly")  # a name cut from run-together text that holds a rate: a target cut short
        doubts |= set(name_cell.doubts)  # a place a normaliser guessed when it wrote the table out again
        for code in sorted(doubts):
            self.reading.note(name_cell.line, f"needs review: {code}")
        return Outcome(
            line=name_cell.line,
            level1=levels.level1,
            level2=levels.level2 or ONLY_CHILD.get(levels.level1),
            indicator=name,
            target_text=target_text,
            comparator=comparator,
            target=target,
            actual_text=actual_cell.text.strip() if actual_cell else None,
            actual=actual,
            weight=_number(values[WEIGHT].text) if WEIGHT in values else None,
            score=_number(values[SCORE].text) if SCORE in values else None,
            deviation_reason=deviation.text.strip() if deviation else None,
            source_text="\t".join([name_cell.text.strip(), *(values[r].text.strip() for r in values)]),
            doubts=doubted(tuple(doubts)),
        )

    def _total_numbers(self, end: int | None) -> list[Decimal]:
        """The numbers of the 总分 row (总分 | 100 | 96 | 优: 100 points, scored 96)."""
        if end is None:
            return []
        for i in range(len(self.cells)):
            if self.cells[i].line >= end and key(self.cells[i].text).startswith(TOTAL_SCORE_LABELS):
                numbers = []
                for cell in self.cells[i + 1:]:
                    number = _number(cell.text)
                    if number is None:
                        break
                    numbers.append(number)
                if numbers:
                    self.reading.note(self.cells[i].line, f"total row: {' | '.join(map(str, numbers))}")
                    return numbers
        return []

    def _total_score(self, numbers: list[Decimal], outcomes: list[Outcome], budget) -> Decimal | None:
        """The last number of the total row; a lone number is the points, not a score, where it
        is what the points add up to and no row was scored."""
        if not numbers:
            return None
        if len(numbers) == 1 and not any(o.score is not None for o in outcomes) and numbers[0] in _point_sums(outcomes, budget):
            return None
        return numbers[-1]

    def _balanced(self, outcomes: list[Outcome], budget, totals: list[Decimal]) -> list[Outcome]:
        """Rows whose points the table's layout hid, found by the total: where the points do not
        add up to the total row's, rows that read two bare numbers as target and result (and no
        points), or a bare number as the result of a target with a unit, are read again with those
        numbers as the points and the score — kept only if the points then add up."""
        if not totals or totals[0] in _point_sums(outcomes, budget):
            return outcomes
        changed = []
        for outcome in outcomes:
            if outcome.weight is not None or outcome.score is not None:
                changed.append(outcome)
                continue
            target, actual = parse_number(fold(outcome.target_text)), _number(outcome.actual_text)
            if target is not None and actual is not None and actual <= target:
                changed.append(replace(outcome, weight=target, score=actual, target_text="", comparator=None,
                                       target=Target("", None), actual_text=None, actual=None))
            elif actual is not None and outcome.target.unit and outcome.actual_text.strip() == format(actual, "f"):
                changed.append(replace(outcome, weight=actual, actual_text=None, actual=None))
            else:
                changed.append(outcome)
        if changed == outcomes or totals[0] not in _point_sums(changed, budget):
            return outcomes
        for before, after in zip(outcomes, changed):
            if before is not after:
                self.reading.note(after.line, f"{after.indicator}: numbers read as points and score, not as target and "
                                              f"result, so that the points add up to the total ({totals[0]})")
        # numbers given their columns by what the total adds up to: a guess a person should check
        return [after if before is after else replace(after, doubts=doubted(after.doubts, ("column-by-position",)))
                for before, after in zip(outcomes, changed)]


def _evidence(header: OutcomeHeader, values: dict[str, Cell]) -> str:
    """How an outcome row was read: the layout and each cell under the column it was taken for."""
    layout = "one cell per line" if header.stream else "row"
    return f"{layout} — " + "; ".join(f"{role}: {cell.text.strip()}" for role, cell in values.items())


def _point_sums(outcomes: list[Outcome], budget) -> set[Decimal]:
    """What the points add up to: the rows', and with the budget's where it carries points."""
    rows = sum((o.weight for o in outcomes if o.weight is not None), Decimal(0))
    return {rows, rows + budget.weight} if budget is not None and budget.weight is not None else {rows}


def _joined_level_names(cells: list[Cell]) -> list[Cell]:
    """A level name wrapped over two cells (经济效 / 益指标) as one cell: where neither part
    names a level and the two together do."""
    joined: list[Cell] = []
    i = 0
    while i < len(cells):
        cell = cells[i]
        if i + 1 < len(cells):
            both = key(cell.text) + key(cells[i + 1].text)
            if (_level_name(both) and not _level_name(cell.text) and not _level_name(cells[i + 1].text)
                    and key(cells[i + 1].text) not in _SPLIT_TAILS):  # X / 指标 is the levels' own to read
                joined.append(Cell(cell.line, both, cell.line_start, cell.after_rule, cell.indented))
                i += 2
                continue
        joined.append(cell)
        i += 1
    return joined


def _level_name_start(text: str) -> bool:
    """The first characters of a level name (生态 of 生态效益指标), as a wrapped or cut cell is."""
    start = key(text)
    return len(start) >= 2 and any(label.startswith(start) and label != start
                                   for level in (*catalogue.LEVEL1, *catalogue.LEVEL2) for label in (level.label, *level.variants))


def _level_name(text: str) -> bool:
    return catalogue.level1_named(text) is not None or catalogue.level2_named(text) is not None


def _without_fillers(cells: list[Cell]) -> list[Cell]:
    """The table's cells without unfilled template cells (……, 指标2, —) and bare points
    ((50分), a level-1 label whose words were lost); a dropped cell's row break passes on."""
    kept: list[Cell] = []
    carry_start = carry_rule = False
    for cell in cells:
        text = key(cell.text)
        if PLACEHOLDER.match(text) or text in _BLANK_MARK or _ONLY_POINTS.match(text) or re.fullmatch(r"(?:指标|任务)[0-9]+[:：]?", text):
            carry_start, carry_rule = carry_start or cell.line_start, carry_rule or cell.after_rule
            continue
        kept.append(replace(cell, line_start=cell.line_start or carry_start, after_rule=cell.after_rule or carry_rule))
        carry_start = carry_rule = False
    return kept


def _value_columns(roles: list[str]) -> tuple[str, ...]:
    """The columns after the name. A sub-header that splits the target into 指标性质 | 指标值 |
    度量单位, written after the level columns, takes the place of the target column."""
    after = [r for r in roles if r not in (LEVEL1, LEVEL2, NAME)]
    values = [i for i, r in enumerate(after) if r == VALUE]
    if len(values) >= 2:
        second = values[1]
        lo, hi = second, second + 1
        while lo - 1 > values[0] and after[lo - 1] in (COMPARATOR, UNIT):
            lo -= 1
        while hi < len(after) and after[hi] in (COMPARATOR, UNIT):
            hi += 1
        block = after[lo:hi]
        after = after[:values[0]] + block + after[values[0] + 1:lo] + after[hi:]
    return tuple(after)


def _breaks(cell: Cell, stream: bool) -> bool:
    return cell.after_rule if stream else cell.line_start


def _starts_row(cells: list[Cell], i: int) -> bool:
    return bool(Levels().take([c.text for c in cells[i:i + 2]])) or _closes(cells[i].text) or (
        _bare_level2(cells[i].text) and not cells[i].indented)


def _bare_level2(text: str) -> bool:
    """经济效益, 环境效益: a level 2 written without its 指标 (服务对象满意度 excepted: forms also use
    it as an indicator's name)."""
    level = catalogue.level2_named(text, True)
    return level is not None and not key(text).endswith(("指标", "满意度")) and len(key(text)) >= 4


def _fits(role: str, text: str) -> bool:
    if role in (WEIGHT, SCORE):
        return _number(text) is not None
    if role == COMPARATOR:
        return comparator_named(text) is not None
    if role == UNIT:
        return _looks_like_unit(text)
    return True


def _row_values(cells: list[Cell], i: int, roles: tuple[str, ...], stream: bool) -> tuple[dict[str, Cell], int]:
    """The cells of the row whose name is cells[i], by column; and the index after the row."""
    values: dict[str, Cell] = {}
    j = i + 1
    for role in roles:
        if j >= len(cells) or _starts_row(cells, j):
            break
        cell = cells[j]
        whole = VALUE in values and ACTUAL in values
        if _breaks(cell, stream) and (whole or role in OPTIONAL):
            break  # the row has ended (a row whose values wrapped onto the next line goes on)
        if _breaks(cell, stream) and role in (COMPARATOR, UNIT):
            continue  # a target's comparator and unit stand on its own line
        if role in OPTIONAL:
            if _plausible_row(cells, j, roles) or _level_name_start(cell.text):
                break  # the next indicator, or the start of a level name wrapped or cut, not a remark
        elif not _fits(role, cell.text):
            continue
        values[role] = cell
        j += 1
    return values, j


def _plausible_row(cells: list[Cell], i: int, roles: tuple[str, ...]) -> bool:
    """Does cells[i] start a whole row: a name followed by a target, a result and, where the
    header has them, numbers for the points and the score?"""
    numeric = [r for r in roles if r in (WEIGHT, SCORE)]
    j = i + 1
    found = set()
    for role in roles:
        if role in OPTIONAL:
            continue
        if j >= len(cells) or _starts_row(cells, j):
            break
        if _fits(role, cells[j].text):
            found.add(role)
            j += 1
    return VALUE in found and ACTUAL in found and all(r in found for r in numeric)


def _parse_target(comparator_cell: Cell | None, value_text: str, unit_cell: Cell | None) -> tuple[str | None, Target]:
    comparator = comparator_named(comparator_cell.text) if comparator_cell else None
    rest = value_text
    if comparator is None:
        comparator, rest = split_leading_comparator(value_text)
        if comparator is None:
            comparator, rest = split_trailing_comparator(value_text)
    return comparator, parse_target(rest, unit_cell.text if unit_cell else None)


def _value_before(cells: list[Cell], index: int) -> str | None:
    """The value written before the label at cells[index] (a flattened PDF puts a value cell
    before its label): the cells back to the previous label or title, joined, unless they are
    the value of the label before them."""
    taken: list[Cell] = []
    j = index - 1
    while j >= 0 and len(taken) < 3:
        text = key(cells[j].text)
        if _is_label(cells[j].text) or SELF_EVALUATION_TITLE.search(text) or re.search(r"年度|[(（)）]", text):
            break
        taken.insert(0, cells[j])
        j -= 1
    if not taken or (j >= 0 and _field_of(cells[j].text)):
        return None
    return "".join(c.text.strip() for c in taken)


def _total_label_in(cells: list[Cell]) -> bool:
    return any(_total_label(c.text) for c in cells)


def _stated_rate(cells: list[Cell], computed: Decimal) -> str | None:
    """A percentage written elsewhere in the block that is the rate the amounts give."""
    for cell in cells:
        text = key(cell.text)
        if text.endswith("%") and (number := parse_number(text[:-1])) is not None and abs(number - computed) < Decimal("0.05"):
            return text
    return None


def _amount(text: str | None, factor: Decimal) -> Decimal | None:
    if text is None or text in _BLANK_MARK:
        return None
    folded = text.removesuffix("万元").removesuffix("万")
    if folded.endswith("元"):
        folded, factor = folded.removesuffix("元"), Decimal(10000)
    number = parse_number(folded)
    return number / factor if number is not None else None


def _align_budget(roles: list[str], values: list[str]) -> dict[str, str]:
    """The budget row's cells by column. The rate (a percentage) anchors the row: the cells
    before it are the amounts and the points, those after it the score. Where cells are
    missing, 年初预算数 is the one left blank first, then the last amounts."""
    rate_at = next((i for i, v in enumerate(values) if v.endswith("%")), None)
    if rate_at is None and BUDGET_RATE in roles and len(values) == len(roles) - 1:
        return dict(zip([r for r in roles if r != BUDGET_RATE], values))  # the rate left blank
    if rate_at is None or BUDGET_RATE not in roles:
        return dict(zip(roles, values))
    column = roles.index(BUDGET_RATE)
    found = {BUDGET_RATE: values[rate_at]}
    found.update(zip(roles[column + 1:], values[rate_at + 1:]))
    before, cells = list(roles[:column]), values[:rate_at]
    if WEIGHT in before and len(cells) < len(before) and before[-1] == WEIGHT:
        found[WEIGHT] = cells.pop() if cells else None
        before.pop()
    while len(before) > len(cells):
        if BUDGET_OPENING in before and len(before) > 1:
            before.remove(BUDGET_OPENING)
        else:
            before.pop()
    found.update(zip(before, cells))
    return {role: value for role, value in found.items() if value is not None and value not in _BLANK_MARK}


def scoring_rule(cells: list[Cell]) -> str | None:
    """The proportional scoring rule the form states (full points when met, in proportion when
    missed), as written: the sentence that holds it; None when it states none."""
    for cell in cells:
        text = re.sub(r"\s+", "", cell.text)
        found = _PROPORTIONAL_RULE.search(text)
        if found:  # the rule itself: from after its heading's colon (计分原则：…)
            return sentence(text, found, starts="。；;:：")[:200]
    return None


def _text_of(rows) -> str:
    lines = {row.number: row.text for row in rows}
    return "\n".join(lines.get(number, "") for number in range(1, max(lines, default=0) + 1))


def read_self_evaluation(text: str, path: str, partial: bool = False, year: int | None = None) -> SelfEvaluation:
    """Read a self-evaluation (绩效自评表) as published. Raises FormError (FILE:LINE: reason) for
    text it cannot read, and for a text cut inside its outcome table unless `partial`."""
    return _SelfEvaluationReader(text, path, partial, year).read()


def is_self_evaluation(rows) -> bool:
    """Whether rows are a self-evaluation rather than a declaration: a 绩效自评表 title (a line
    of its own, not a sentence that names the form: 及时上报“项目支出绩效自评表”), or an outcome
    table's 实际完成值 beside its 得分."""
    lines = [key(row.text) for row in rows[:400]]
    titled = any(not _quoted(line, match.start()) or len(line) <= 40
                 for line in lines for match in SELF_EVALUATION_TITLE.finditer(line))
    seen = " ".join(lines)
    return titled or ("实际完成" in seen and "得分" in seen)


def _quoted(line: str, at: int) -> bool:
    """Does position `at` of a long line stand inside quotation marks (“…”, 「…」, "…")? A short
    line that quotes the title (附件2：“2023年度项目支出绩效自评表”) is the title all the same."""
    before = line[:at]
    return before.count("“") > before.count("”") or before.count("「") > before.count("」") or before.count('"') % 2 == 1


def read_self_evaluation_rows(rows, path: str, partial: bool = False, year: int | None = None) -> SelfEvaluation:
    """A self-evaluation from a file's rows, whatever its format (see `parser.read_rows`)."""
    return _SelfEvaluationReader(None, path, partial, year, rows=rows).read()


def read_self_evaluations(rows, path: str, partial: bool = False, year: int | None = None) -> list[SelfEvaluation]:
    """Every self-evaluation in a file: one, or in a whole document (a final account, 部门决算)
    one per 绩效自评表 title, each read on its own. In a document, a form that cannot be read is
    passed over while the others are read; when none can be, the first one's error is raised."""
    sections = _sections(rows) if getattr(rows, "publication", None) is not None else [rows]
    if year is None and getattr(rows, "publication", None) is not None:
        year = rows.publication.year
    if len(sections) <= 1:
        return [read_self_evaluation_rows(rows, path, partial, year)]
    found, errors = [], []
    for section in sections:
        try:
            found.append(read_self_evaluation_rows(section, path, partial, year))
        except FormError as error:
            errors.append(error)
    if not found:
        raise errors[0]
    return found


def _sections(rows) -> list[list]:
    """The rows from each self-evaluation's title to the next one's (what comes before the
    first title, prose and other tables, is no form)."""
    starts = [k for k, row in enumerate(rows)
              if len(row.filled) == 1 and len(key(row.text)) <= 40 and SELF_EVALUATION_TITLE.search(key(row.text))]
    return [rows[start:end] for start, end in zip(starts, starts[1:] + [len(rows)])]
