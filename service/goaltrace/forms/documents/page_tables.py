"""Ruled tables as printed → the rows the form reader reads best.

A table read from a page keeps its cells by column, which says more than the cells' words do:
the second column of an indicator table is its level 2 whatever it is called (经济成本, 社会效益指
标 wrapped over two lines). This normaliser reads an indicator table by the positions its header
gives and writes each row in the header's order, with the level cells that a merge left empty
filled in from the row above, so that the form reader never has to guess a cell's column.

It follows a table across a page break: a table that starts a page with no new form's title
or fields above it continues the one before, the title and header a page repeats are dropped,
its empty level cells are filled from the last row of the previous page, and its cells are put
in the header's columns by where they are printed when the page draws fewer rules. In a table
of several projects, rows wait for the row that names their project when the name is printed
further down a merged cell (`TableState.held`). Rows that are not indicator rows (the form's
fields, other tables) pass as printed.
"""

import re
from dataclasses import dataclass, field

from .. import catalogue
from ..comparators import comparator_named
from ..indicator_table import SECTION_LABELS
from ..labels import (
    DEPARTMENT_TITLE,
    LEVEL1,
    LEVEL2,
    NAME,
    PROJECT_FIELDS,
    PROJECT_TITLE,
    SELF_EVALUATION_TITLE,
    column_named,
    field_named,
    is_closing,
    is_header_of_indicators,
)
from ..text import key
from ..values import parse_number
from . import coded_indicators
from .cells import joined

_SUBHEADER_ROLES = {"value", "long-term-value"}


@dataclass
class _Columns:
    """An indicator header's columns: each role and the positions it spans."""

    spans: list[tuple[str, str, list[int]]]  # (role, label as printed, positions)
    width: int
    signature: tuple[str, ...]
    edges: list[tuple[float, float]] = field(default_factory=list)  # each span's left and right edge on the page

    def position_at(self, x: float) -> int | None:
        """The first position of the span printed across `x`."""
        for (_, _, positions), (left, right) in zip(self.spans, self.edges):
            if left - 1 <= x <= right + 1:
                return positions[0]
        return None

    def holds(self, edge: tuple[float, float]) -> bool:
        """Does a cell printed between these edges stand inside one of the header's columns?"""
        return any(left - 6 <= edge[0] and edge[1] <= right + 6 for left, right in self.edges)


@dataclass(frozen=True)
class PrintedTable:
    """A ruled table as the page prints it: each cell's text (None where a merged cell covers the
    place, '' for an empty cell) and left and right edge, each row's top, and the words printed
    within its height but in none of its cells, inside it or beside it on its left (a column
    whose rules the page does not draw)."""

    rows: list[list[str | None]]
    edges: list[list[tuple[float, float] | None]] = field(default_factory=list)
    tops: list[float] = field(default_factory=list)
    beside: list[tuple[float, float, str]] = field(default_factory=list)  # (x, top, text)


@dataclass
class TableState:
    """What a document's tables carry from one page to the next."""

    columns: _Columns | None = None
    levels: dict[str, str] = field(default_factory=dict)  # role → the level cell in force
    opened: bool = False  # a new form's title or fields came after the current table's header
    last_title: str | None = None  # the last form title seen, to know it when a page repeats it
    last_project: str | None = None  # the last project named in a table of several projects
    pending: list = field(default_factory=list)  # rows of a project whose name is printed further on
    unnamed: dict[str, list] = field(default_factory=dict)  # level role → rows of a level cell whose name is printed further on
    project_row: list | None = None  # the cells of the row that named the project in force
    dropped: str | None = None  # a title taken for one the page repeats above the table going on
    coded: tuple[int, int, list[str]] | None = None  # a table of coded prose indicators: (column, width, value labels)
    # this table's last indicator row: its cells, the level roles it printed, and the pieces of level
    # names printed below it so far (a level cell's name over several rows)
    last_row: tuple | None = None

    def overflows(self, text: str, x0: float, x1: float) -> bool:
        """Words of a project's merged cell (its goal) that a page break pushed above the rules of
        the table going on from the page before: they join the cell, where they stand inside one
        of its project columns."""
        columns = self.columns
        if columns is None or self.opened or self.project_row is None or not columns.edges:
            return False
        for k, ((role, _, _), (left, right)) in enumerate(zip(columns.spans, columns.edges)):
            if role == "project" and left - 2 <= x0 and x1 <= right + 2 and k < len(self.project_row):
                self.project_row[k] = f"{self.project_row[k]}{text.strip()}"
                return True
        return False

    def held(self, placed, name: str | None) -> list:
        """A table of several projects prints a project's name in the middle of its merged cell,
        so across a page break the name can stand on the page after the project's first rows.
        Rows under a name cell left empty on this page wait for the row that names them, and
        follow it."""
        if name is None:  # a row under the merged cell above, or a table with no project column
            if self.pending:
                self.pending.append(placed)
                return []
            return [placed]
        if name == "":  # a new project cell, empty here: its name is printed further on
            flushed = self.flush()
            self.pending.append(placed)
            return flushed
        if key(name) == self.last_project and not self.pending:
            # a page prints the project's cells again above the rows it goes on with
            if self.columns is not None and len(placed[1]) == len(self.columns.spans):
                for k, (role, _, _) in enumerate(self.columns.spans):
                    if role == "project":
                        placed[1][k] = ""
            return [placed]
        self.last_project = key(name)
        if self.pending:
            placed = _merged(placed, self.pending[0], self.columns)
        rows = [placed] + self.pending
        self.pending = []
        return rows

    def repeats(self, line: str) -> bool:
        """Is this line one a page prints again above a table that goes on from the page before
        (the form's title, its amount unit)? A title seen for the first time is remembered."""
        compact = key(line)
        if _AMOUNT_UNIT.match(compact):
            return self.columns is not None and not self.opened
        if not is_form_title(compact):
            return False
        if self.columns is not None and not self.opened and compact == self.last_title:
            self.dropped = line  # given back if a new form, not the table, follows it
            return True
        self.last_title = compact
        self.opened = True
        return False

    def flush(self) -> list:
        rows, self.pending = self.pending, []
        return rows

    def finish(self) -> list:
        """The rows still held when the tables end; rows still waiting for a level name say
        that none was given."""
        _unnamed_left(self)
        return self.flush()


_AMOUNT_UNIT = re.compile(r"^(?:金额)?单位[:：](?:万元|元)$")


def is_form_title(compact: str) -> bool:
    return bool(DEPARTMENT_TITLE.search(compact) or PROJECT_TITLE.search(compact) or SELF_EVALUATION_TITLE.search(compact))


def header_columns(row: list[str | None], below: list[str | None] | None,
                   edges: list[tuple[float, float] | None] | None = None) -> _Columns | None:
    """The columns of an indicator header row, or None when the row is no such header. A
    second header row below it may name the parts of a merged header cell (指标值 → 中期指标值 |
    年度指标值; 其中 → 财政资金 | 其他资金)."""
    texts = [_label(joined(c)) for c in row]
    run_together = not is_header_of_indicators([t for t in texts if t]) and _levels_run_together(texts)
    if not is_header_of_indicators([t for t in texts if t]) and not run_together:
        return None
    spans: list[tuple[str, str, list[int]]] = []
    current = None
    for position, text in enumerate(texts):
        if row[position] is None and current is not None:
            current[2].append(position)  # a header cell merged over several columns
            continue
        if run_together and key(text) == _RUN_TOGETHER:
            # one cell holds level 1, level 2 and the indicator (产出指标数量指标培训工作完成率)
            current = (NAME, "三级指标", [position])
            spans += [(LEVEL1, "一级指标", current[2]), (LEVEL2, "二级指标", current[2]), current]
            continue
        role = (column_named(text) or ("project" if key(text) in _PROJECT_COLUMNS else "other")) if text else None
        current = (role, text, [position]) if role else None
        if current is not None:
            spans.append(current)
    if below is not None:
        spans = _refined(spans, [joined(c) for c in below])
    first = next((k for k, span in enumerate(spans) if span[0] in (LEVEL1, LEVEL2, NAME)), len(spans))
    # columns left of the indicator's own are the project's (序号, 当年财政拨款预算金额); those
    # right of them are notes on the indicator
    spans = [(("project" if k < first else "note") if role == "other" else role, label, positions)
             for k, (role, label, positions) in enumerate(spans)]
    if run_together:  # its activity column (活动) is a note on the indicator: it goes after the indicator's columns
        spans = [span for span in spans if span[0] != "project"] + [("note", label, positions) for role, label, positions in spans
                                                                    if role == "project"]
    signature = tuple(key(label) for _, label, _ in spans)
    placed = [_span_edges(row, edges, positions) for _, _, positions in spans] if edges else []
    return _Columns(spans, len(row), signature, placed)


_THIN = 8  # a cell this narrow beside a label is the margin of the box the label is drawn in


def _margin(text: str | None, edge: tuple[float, float] | None) -> bool:
    return text == "" and edge is not None and edge[1] - edge[0] <= _THIN


def _span_edges(row: list[str | None], edges: list[tuple[float, float] | None], positions: list[int]) -> tuple[float, float]:
    """The left and right edge of a header span on the page. A label drawn in a box of its own
    inside its column (一级指标 framed, with a thin empty cell either side) spans the column: the
    thin empty cell on each side is its margin."""
    known = [edges[p] for p in positions if p < len(edges) and edges[p]]
    if not known:
        return 0.0, 0.0
    left, right = min(e[0] for e in known), max(e[1] for e in known)
    before, after = positions[0] - 1, positions[-1] + 1
    if before >= 0 and _margin(row[before], edges[before]) and abs(edges[before][1] - left) < 1:
        left = edges[before][0]
    if after < min(len(row), len(edges)) and _margin(row[after], edges[after]) and abs(edges[after][0] - right) < 1:
        right = edges[after][1]
    return left, right


_RUN_TOGETHER = "绩效指标"
# numbers a text layer misplaces into a header cell from the cell above (22.6 5%指标名称, 8000计量单位)
_STRAY_NUMBERS = re.compile(r"^(?:[0-9][0-9.,]*%?\s*)+(?=[\u4e00-\u9fff])|(?<=[\u4e00-\u9fff])(?:\s*[0-9][0-9.,]*)+$")


def _label(text: str) -> str:
    """A header cell's label without numbers the text layer put into it from elsewhere."""
    cleaned = _STRAY_NUMBERS.sub("", text)
    return cleaned if cleaned != text and column_named(cleaned) else text


def _levels_run_together(texts: list[str]) -> bool:
    """A header whose 绩效指标 column holds the levels and the indicator in one cell (活动 | 绩效指标 |
    指标性质 | 指标值 | 度量单位)."""
    if sum(key(t) == _RUN_TOGETHER for t in texts) != 1:
        return False
    return is_header_of_indicators([("三级指标" if key(t) == _RUN_TOGETHER else t) for t in texts if t])


_PROJECT_COLUMNS = {"单位(项目)名称", "单位编码", "项目名称", "项目总额", "财政资金", "其他资金", "绩效目标", "年度目标", "年度绩效目标", "单位名称",
                    "预算数", "预算金额", "项目预算数", "资金总额", "总计", "财政拨款", "财政专户拨款", "项目名称（资金使用单位）"}


def _sub_role(text: str) -> str | None:
    role = column_named(text)
    if role in _SUBHEADER_ROLES:
        return role
    return "project" if key(text) in _PROJECT_COLUMNS else None


def is_subheader(row: list[str | None] | None) -> bool:
    cells = [joined(c) for c in row or [] if c]
    return bool(cells) and all(_sub_role(c) for c in cells)


def _refined(spans, below: list[str]) -> list:
    """Split merged header cells by the second header row that names their parts."""
    filled = [(p, t) for p, t in enumerate(below) if t]
    if not filled or not all(_sub_role(t) for _, t in filled):
        return spans
    out = []
    for role, label, positions in spans:
        inside = [(p, t) for p, t in filled if p in positions]
        if inside and (len(inside) >= 2 or role == "other"):
            for k, (p, t) in enumerate(inside):
                end = inside[k + 1][0] if k + 1 < len(inside) else positions[-1] + 1
                out.append((_sub_role(t), t, list(range(p, end))))
        else:
            out.append((role, label, positions))
    return out


Placed = tuple[str, list[str]]  # (place in the document, cells)


def normalise(printed: PrintedTable, state: TableState, place) -> list[Placed]:
    """(place, cells) for every row worth reading, in the reader's layout; `place(index)` names
    a row of this table."""
    out: list[Placed] = []
    skip = False
    state.last_row = None  # rows of one printed table only
    indicators_before = False
    printed = _with_coded_indicators(printed, state)
    table = _aligned(printed, state.columns)
    for index, row in enumerate(table):
        if skip:
            skip = False
            continue
        below = table[index + 1] if index + 1 < len(table) else None
        if below is not None and header_columns(_with_labels_above(below, row), None) is not None \
                and _with_labels_above(below, row) != below:
            continue  # the upper row of a header printed over two rows: its labels go with the lower one
        edges = printed.edges[index] if index < len(printed.edges) else None
        above = table[index - 1] if index else None
        labelled = _with_labels_above(row, above)
        if labelled is not row and edges is not None and index - 1 < len(printed.edges):
            edges = [edge if row[p] is not None else (printed.edges[index - 1][p] if p < len(printed.edges[index - 1]) else edge)
                     for p, edge in enumerate(edges)]  # a label from the row above stands where that row prints it
        columns = header_columns(labelled, below, edges)
        if columns is not None:
            skip = is_subheader(below)
            repeated = state.columns is not None and columns.signature == state.columns.signature and not state.opened
            if not repeated:
                out += state.flush()
                columns = _weights_under_remarks(columns, table[index + 1:])
                _unnamed_left(state)
                state.columns, state.levels, state.unnamed, state.project_row = columns, {}, {}, None
                out.append((place(index), [label for _, label, _ in columns.spans]))
            state.opened = False
            continue
        texts = [joined(c) for c in row]
        filled = [t for t in texts if t]
        if not filled:
            continue
        if len(filled) == 1 and state.repeats(filled[0]):
            continue  # the title or amount unit a page prints again above the table it goes on with
        columns = state.columns
        if columns is None or len(row) != columns.width or _ends_indicators(filled):
            out += state.flush()
            if columns is not None:
                _unnamed_left(state)
                state.columns, state.levels, state.unnamed, state.project_row = None, {}, {}, None
            if state.dropped is not None:  # the same title, over a form of its own
                out.append((place(index), [state.dropped]))
            state.opened, state.dropped = True, None
            out.append((place(index), texts))
            continue
        state.dropped = None
        fits = _fits(row, columns)
        if fits:
            cells = _indicator_cells(row, columns, state, index)
            edges = printed.edges[index] if index < len(printed.edges) and len(printed.edges[index]) == len(row) else None
            state.last_row = (cells, _printed_levels(row, columns), {}, _open_levels(row, columns, edges))
        elif _names_row_above(row, columns, state):
            continue  # its level names are the row above's: read there
        else:
            if not all(_section_piece(text) for text in filled):
                state.last_row = None
            _follow_levels(filled, state)
            cells = texts
        project = _project_name_cell(row, columns, table[:index])
        if project == "" and fits and not indicators_before and _goes_on(row, columns, state):
            project = None  # the first row of a page: the merged cells of the project in force go on
        if project is None and fits and indicators_before and not state.pending and _empty_block(row, columns):
            project = ""  # a new project at the foot of the page, named further on
        indicators_before = indicators_before or fits
        if project:
            state.project_row = cells
        out += state.held((place(index), cells), project)
    return out


def _with_coded_indicators(printed: PrintedTable, state: TableState) -> PrintedTable:
    """A table of projects whose 绩效指标 cells hold coded prose, in the usual columns (see
    `coded_indicators`); its continuation on later pages too."""
    rows = printed.rows
    at = next((k for k, row in enumerate(rows) if coded_indicators.coded_column(row, rows[k + 1:]) is not None), None)
    if at is not None:
        column = coded_indicators.coded_column(rows[at], rows[at + 1:])
        state.coded = (column, len(rows[at]), coded_indicators.value_labels(rows[at + 1:], column))
    elif state.coded is None or not rows or len(rows[0]) != state.coded[1]:
        return printed
    column, _, labels = state.coded
    # rows of totals (合计, a unit's subtotal) have neither indicators nor a goal: they are no project
    body = [row for row in rows[(at + 1 if at is not None else 0):]
            if coded_indicators.indicators_in(row[column] or "") or _goal_cell(row, column)]
    out = []
    if at is not None:
        header = rows[at]
        out.append(header[:column] + ["一级指标", "二级指标", "三级指标", *labels] + header[column + 1:])
    out += coded_indicators.expanded(body, column, labels)
    return PrintedTable(out, [[None] * len(row) for row in out])


def _goal_cell(row: list[str | None], column: int) -> bool:
    """A project row with a goal (the cell before the indicators) and no coded indicators."""
    return column >= 1 and bool(row[column - 1]) and len(row[column - 1] or "") > 10


def _merged(named: tuple, first: tuple, columns: "_Columns | None") -> tuple:
    """The row that names a project takes the project cells (amount, goal) printed with the
    project's first rows, a page before; those rows keep their indicator cells only."""
    if columns is None or len(named[1]) != len(columns.spans) or len(first[1]) != len(columns.spans):
        return named
    for k, (role, _, _) in enumerate(columns.spans):
        if role == "project" and first[1][k] and not named[1][k]:
            named[1][k], first[1][k] = first[1][k], ""
    return named


def _aligned(printed: PrintedTable, columns: _Columns | None) -> list[list[str | None]]:
    """The table's cells in the header's columns. A table that goes on from a page before has
    its cells put in the header's columns by where they are printed: a page break can leave a
    column's rules undrawn (the table then has fewer columns). Words printed inside the table's
    height but in no cell (a project's name, amounts and goal where the page draws no rules
    round them, or beside the table) are put in the project and level columns by where they
    stand."""
    rows = [list(row) for row in printed.rows]
    own = next((header_columns(row, rows[k + 1] if k + 1 < len(rows) else None, printed.edges[k])
                for k, row in enumerate(rows) if header_columns(row, None)), None)
    columns = own or columns
    if columns is None or not columns.edges or not rows:
        return rows
    if own is None and len(rows[0]) != columns.width:
        if not all(columns.holds(edge) or _label_beside(text, edge, columns)
                   for row, edges in zip(rows, printed.edges) for text, edge in zip(row, edges) if edge):
            return rows  # its columns are not the header's: read by what the cells say
        aligned = []
        for row, edges in zip(rows, printed.edges):
            out: list[str | None] = [None] * columns.width
            for text, edge in zip(row, edges):
                if text is None or edge is None or not columns.holds(edge):
                    continue
                position = columns.position_at((edge[0] + edge[1]) / 2)
                if position is not None:
                    out[position] = f"{out[position]}\n{text}" if out[position] else text
            aligned.append(out)
        rows = aligned
    if not printed.beside or len(rows[0]) != columns.width:
        return rows
    levels = {positions[0] for role, _, positions in columns.spans if role in (LEVEL1, LEVEL2)}
    name = _name_position(columns)
    projects = {p for role, _, positions in columns.spans if role == "project" for p in positions} if name is not None else set()
    for x, top, text in printed.beside:
        position = columns.position_at(x)
        if position in levels:
            # a level cell whose rules the page does not draw: its words stand level with a row
            # of the block they name (the block's first rows take it from the catalogue)
            at = max((k for k, row_top in enumerate(printed.tops) if row_top <= top + 1), default=0)
            start = next((k for k in range(at, -1, -1) if rows[k][position] is not None), 0)
            if not rows[start][position]:
                rows[start][position] = text
            elif catalogue.level1_named(rows[start][position] + text) or catalogue.level2_named(rows[start][position] + text):
                rows[start][position] += text
            continue
        if position not in projects:
            continue
        at = max((k for k, row_top in enumerate(printed.tops) if row_top <= top + 1), default=0)
        # a project's cells stand in the middle of its merged cells: they belong to the block's first row
        start = next((k for k in range(at, -1, -1) if rows[k][name] is not None
                      or any(rows[k][p] for p in projects if p != name)), 0)
        rows[start][position] = f"{rows[start][position]}{text}" if rows[start][position] else text
    return rows


def _label_beside(text: str | None, edge: tuple[float, float], columns: _Columns) -> bool:
    """A section's label printed in a column left of the header's (整体绩效目标, 年度绩效指标)."""
    first = min((left for left, right in columns.edges if right > left), default=0.0)  # a span placed nowhere aside
    return edge[1] <= first + 3 and (not text or key(text) in SECTION_LABELS
                                                                      or key(text).endswith(("目标", "指标")))


def _name_position(columns: _Columns) -> int | None:
    return next((positions[0] for role, label, positions in columns.spans
                 if role == "project" and ("名称" in key(label))), None)


def _with_labels_above(row: list[str | None], above: list[str | None] | None) -> list[str | None]:
    """A header printed over two rows (单位（项目）名称 | 资金总额 | 绩效指标 above, 一级指标 | 二级指标 |
    … below it): the lower row takes the labels of the cells merged down beside it."""
    if above is None or len(above) != len(row) or not any(column_named(joined(c)) for c in row if c):
        return row
    both = [cell if cell else (above[p] if above[p] and not cell else cell) for p, cell in enumerate(row)]
    # the lower row a header alone (一级指标 | 二级指标 | … below 单位名称 | 绩效指标), or the two rows
    # one header between them (三级指标 | 指标值 above, 一级指标 | 二级指标 boxed lower in their cells)
    if not is_header_of_indicators([joined(c) for c in row if c]) and not is_header_of_indicators([joined(c) for c in both if c]):
        return row
    return both


def _weights_under_remarks(columns: _Columns, rows: list[list[str | None]]) -> _Columns:
    """A 备注 column that holds a number on every row it fills is the weight column (长沙's
    forms put the weight there), where the header has no weight column of its own."""
    if any(role == "weight" for role, _, _ in columns.spans):
        return columns
    spans = []
    for role, label, positions in columns.spans:
        if role == "note" and key(label) == "备注":
            cells = [joined(row[positions[0]]) for row in rows if positions[0] < len(row) and row[positions[0]]]
            if len(cells) >= 2 and all(parse_number(c) is not None for c in cells):
                role, label = "weight", "权重（备注）"
        spans.append((role, label, positions))
    return _Columns(spans, columns.width, columns.signature, columns.edges)


def _goes_on(row: list[str | None], columns: _Columns, state: TableState) -> bool:
    """Does a row at the top of a page whose project cells are all empty go on with the project
    the page before was reading (the page break cut its merged cells), rather than start one
    whose name is printed further on?"""
    cells = [row[p] for role, _, positions in columns.spans if role == "project" for p in positions if p < len(row)]
    return state.last_project is not None and not state.pending and not any(cells)


def _project_name_cell(row: list[str | None], columns: _Columns, above: list[list[str | None]] = ()) -> str | None:
    """A table of several projects: its name cell as printed ('' for a cell left empty on this
    page, None for a row under a merged cell); None in any other table. A row that starts a
    project's other cells (an amount, a goal) under a name cell that began further up this
    table is a part of that project (one project funded in several blocks)."""
    position = _name_position(columns)
    if position is None or position >= len(row):
        return None
    if row[position] is None and any(row[p] for role, _, positions in columns.spans if role == "project"
                                     for p in positions if p != position):
        if any(position < len(earlier) and earlier[position] for earlier in above):
            return None  # under the merged name cell of a project named above on this page
        return ""  # the project's other cells start here; its name is printed further on
    return joined(row[position]) if row[position] is not None else None


def _empty_block(row: list[str | None], columns: _Columns) -> bool:
    """Does the row start new project cells that are all printed empty (the project's name,
    amounts and goal stand below the table's last rule, where the page cuts them)?"""
    position = _name_position(columns)
    cells = [row[p] for role, _, positions in columns.spans if role == "project" for p in positions if p < len(row)]
    return position is not None and position < len(row) and row[position] is None and "" in cells and not any(cells)


def _follow_levels(filled: list[str], state: TableState):
    """The levels a row read by its words names (a template row of level names alone), in force
    for the rows below it."""
    for text in filled:
        if (level := catalogue.level1_named(text)) is not None and not catalogue.level2_named(text):
            state.levels = {LEVEL1: level.label}
        elif (level := catalogue.level2_named(text, True)) is not None:
            parent = next(one.label for one in catalogue.LEVEL1 if one.key == level.parent)
            state.levels = {LEVEL1: parent, LEVEL2: level.label}


def _printed_levels(row: list[str | None], columns: _Columns) -> set[str]:
    """The level roles a row prints a cell's words for (not merged from above)."""
    parts = _split_levels(columns, row)
    return {role for role, _, positions in columns.spans
            if role in (LEVEL1, LEVEL2) and parts.get(role, _cell(row, positions))}


def _open_levels(row: list[str | None], columns: _Columns, edges: list | None) -> set[str]:
    """The level roles whose cell starts on this row empty (a level cell whose name is drawn
    lower down in it, as a box of its own)."""
    found = set()
    for k, (role, _, positions) in enumerate(columns.spans):
        if role not in (LEVEL1, LEVEL2):
            continue
        if any(p < len(row) and row[p] == "" for p in positions):
            found.add(role)
        elif edges and k < len(columns.edges):
            middle = sum(columns.edges[k]) / 2
            if any(text == "" and edge and edge[0] <= middle <= edge[1] for text, edge in zip(row, edges)):
                found.add(role)
    return found


def _names_row_above(row: list[str | None], columns: _Columns, state: TableState) -> bool:
    """A row of level names alone whose name and value places are all covered by the cells of
    the indicator row above (a merged level cell drawn as a box of its own in the middle of its
    height, which the table finder takes for rows of their own): the names are that row's
    levels where its level cell starts empty, and stay in force for the rows below. True when
    so read; under a row whose level cell is merged from above, such a row is read as printed
    (a template's category with no indicator, under a name cell merged down over it)."""
    if state.last_row is None:
        return False
    cells, printed, pieces, open_levels = state.last_row
    found: dict[str, str] = {}
    taken = dict(pieces)
    for role, _, positions in columns.spans:
        text = key(_cell(row, positions))
        if role in (LEVEL1, LEVEL2) and text:
            whole = _catalogue_level(taken.get(role, "") + text, role)
            level = whole or _catalogue_level(text, role)
            if level is None and not _LEVEL_PIECE.fullmatch(text):
                return False
            taken[role] = taken.get(role, "") + text if (whole or level is None) else text
            if level is not None:
                found[role] = level
        elif role not in (LEVEL1, LEVEL2) and any(p < len(row) and row[p] is not None for p in positions):
            return False  # a cell of its own outside the levels: not under the row above's cells
    covered = {p for _, _, positions in columns.spans for p in positions}
    if not taken or taken == pieces or any(text and p not in covered and not _section_piece(text) for p, text in enumerate(row)):
        return False
    if not any(role in open_levels for role in taken):
        return False  # the row above's level cells are merged from above: a category listed with no indicator of its own
    pieces.update(taken)
    roles = [role for role, _, _ in columns.spans]
    for role in (LEVEL1, LEVEL2):
        if role not in found:
            continue
        if state.unnamed.get(role):
            _name_block(state, columns, role, found[role])
        elif role not in printed and role in open_levels:
            cells[roles.index(role)] = found[role]
            if role == LEVEL2 and LEVEL1 not in printed:
                _level1_of_level2(cells, columns, [None] * columns.width)
        state.levels[role] = found[role]
    if isinstance(cells, Guessed):
        cells.doubts.discard("level-inherited-across-page")  # its level stands beside it on this page
    return True


_LEVEL_PIECE = re.compile(r"[\u4e00-\u9fff]{1,6}")  # a line of a level name wrapped over rows (服务对象 | 满意度指标)


def _section_piece(text: str) -> bool:
    """One character of a section label written down the page a character a row (绩 / 效 / 指 / 标)."""
    return len(key(text)) == 1 and any(key(text) in label for label in SECTION_LABELS)


def _catalogue_level(text: str, role: str) -> str | None:
    """The catalogue's label for a level cell of its rank (可持续影响 → 可持续影响指标), or None."""
    named = catalogue.level2_named if role == LEVEL2 else catalogue.level1_named
    level = named(text) or named(text, True)
    return level.label if level is not None else None


def _fits(row: list[str | None], columns: _Columns) -> bool:
    """Does the row stand in its header's columns? Its name cell holds a name (not a level, a
    comparator or a number) and its level cells hold levels of their own rank. A table drawn
    from text that had already lost its merged cells does not, and is read by what its cells
    say instead."""
    covered = {p for _, _, positions in columns.spans for p in positions}
    if any(text and position not in covered and key(text) not in SECTION_LABELS and not _section_piece(text)
           for position, text in enumerate(row)):
        return False
    parts = _split_levels(columns, row)
    for role, _, positions in columns.spans:
        text = parts.get(role, _cell(row, positions))
        if role == NAME and (not text or catalogue.level1_named(text) or catalogue.level2_named(text)
                             or comparator_named(text) or parse_number(text.rstrip("%％")) is not None):
            return False
        if role == "value" and text and comparator_named(text) and parse_number(text) is None:
            return False
        if role == "weight" and text and parse_number(text.rstrip("分%％")) is None:
            return False
        if role == LEVEL1 and text and catalogue.level2_named(text) and not catalogue.level1_named(text):
            return False
        if role == LEVEL2 and text and not (catalogue.level2_named(text, True) or catalogue.level1_named(text)) \
                and (comparator_named(text) or parse_number(text.rstrip("%％")) is not None or len(text) > 12):
            return False
    return True


def _ends_indicators(filled: list[str]) -> bool:
    first = key(filled[0])
    return is_closing(filled[0]) or first in ("项目名称", "主管部门", "实施单位", "预算单位", "单位名称", "部门名称") \
        or (field_named(filled[0], PROJECT_FIELDS) or (None,))[0] in ("name", "fund_name") \
        or "绩效目标表" in first or "绩效自评表" in first


class Guessed(list):
    """A row's cells, with what was guessed in filling them (forms.review.REASONS), which
    grid.table_row passes on to the row."""

    doubts: set[str]

    def __init__(self, *args):
        super().__init__(*args)
        self.doubts = set()


def _indicator_cells(row: list[str | None], columns: _Columns, state: TableState, index: int) -> list[str]:
    cells: list[str] = Guessed()
    named = any(role == NAME and _cell(row, positions) for role, _, positions in columns.spans)
    parts = _split_levels(columns, row)
    for role, _, positions in columns.spans:
        text = parts.get(role, _cell(row, positions))
        if role in (LEVEL1, LEVEL2):
            if text and state.unnamed.get(role) and _names_block(state, columns, role, cells, index):
                _name_block(state, columns, role, _level_label(text, role), across_page=index == 0)
            if text:
                text = _level_label(text, role)
                state.levels[role] = text
                _unnamed_left(state, role)
                if role == LEVEL1:
                    state.levels.pop(LEVEL2, None)
            elif named and (index > 0 or role not in state.levels) and any(row[p] == "" for p in positions):
                # an empty cell below a rule: a block whose name is printed further down or on the page after
                if state.levels.get(role) == "" and role in state.unnamed:
                    state.unnamed[role].append(cells)
                else:
                    _unnamed_left(state, role)
                    state.levels[role] = ""
                    state.unnamed[role] = [cells]
            elif named and all(row[p] is None or not row[p] for p in positions):
                text = state.levels.get(role, "")  # merged above, or cut by the page break
                if text and index == 0:
                    cells.doubts.add("level-inherited-across-page")
                if role in state.unnamed:
                    state.unnamed[role].append(cells)
        cells.append(text)
    return _level1_of_level2(cells, columns, row)


def _names_block(state: TableState, columns: _Columns, role: str, cells: list[str], index: int) -> bool:
    """Does a level cell printed here name the rows above it that wait for their level? At the
    top of a page it names those the page before left waiting; further down, a level 1 does,
    and a level 2 does where those rows stand under the same level 1 (or none)."""
    if index == 0 or role == LEVEL1:
        return True
    first = [r for r, _, _ in columns.spans].index(LEVEL1) if LEVEL1 in [r for r, _, _ in columns.spans] else None
    if first is None or first >= len(cells):
        return True
    return all(not waiting[first] or waiting[first] == cells[first] for waiting in state.unnamed[role])


def _split_levels(columns: _Columns, row: list[str | None]) -> dict[str, str]:
    """The level 1, level 2 and indicator of a cell that holds all three, where the header's
    level and name columns are one printed column."""
    spans = {role: positions for role, _, positions in columns.spans if role in (LEVEL1, LEVEL2, NAME)}
    if len(spans) < 3 or not spans[LEVEL1] == spans[LEVEL2] == spans[NAME]:
        return {}
    text = _cell(row, spans[NAME]).strip()
    parts = {}
    for role, named in ((LEVEL1, catalogue.level1_named), (LEVEL2, catalogue.level2_named)):
        cut = next((k for k in range(min(len(text), 12), 1, -1)
                    if not text[k - 1].isdigit() and named(text[:k].strip())), None)
        parts[role] = text[:cut].strip() if cut else ""
        text = text[cut:].strip() if cut else text
    levels = parts[LEVEL1] + parts[LEVEL2]
    while parts[LEVEL1] and parts[LEVEL2] and text.startswith(levels) and len(text) > len(levels):
        text = text[len(levels):].strip()  # the two level names printed twice before the indicator
    parts[NAME] = text
    return parts


def _unnamed_left(state: TableState, role: str | None = None):
    """Rows waiting for a level name that no cell gave them (the page leaves their level cell
    empty, and the next name printed is another block's): the reader fills the level from the
    rows above, which is a guess, so each says so."""
    for one in [role] if role else list(state.unnamed):
        for cells in state.unnamed.pop(one, []):
            if isinstance(cells, Guessed):
                cells.doubts.add("level-not-stated")


def _name_block(state: TableState, columns: _Columns, role: str, label: str, across_page: bool = False):
    """The rows of a level block whose name is printed on a later page take it."""
    k = [r for r, _, _ in columns.spans].index(role)
    for cells in state.unnamed.pop(role, []):
        if k < len(cells) and not cells[k]:
            cells[k] = label
            if across_page and isinstance(cells, Guessed):
                cells.doubts.add("level-inherited-across-page")
            if role == LEVEL2:
                _level1_of_level2(cells, columns, [None] * columns.width)


def _level1_of_level2(cells: list[str], columns: _Columns, row: list[str | None]) -> list[str]:
    """A level 1 cell the page does not print on this row (its merged cell has no rules, or it
    stands on another page) is the national framework's parent of the level 2 the row names
    (数量指标 → 产出指标), where the level carried down from above says otherwise or nothing."""
    roles = [role for role, _, _ in columns.spans]
    if LEVEL1 not in roles or LEVEL2 not in roles:
        return cells
    first, second = roles.index(LEVEL1), roles.index(LEVEL2)
    printed = _cell(row, columns.spans[first][2])
    level = catalogue.level2_named(cells[second]) if cells[second] else None
    if printed or level is None:
        return cells
    parent = next(one for one in catalogue.LEVEL1 if one.key == level.parent)
    if catalogue.level1_named(cells[first]) != parent:
        cells[first] = parent.label
    return cells


def _cell(row: list[str | None], positions: list[int]) -> str:
    return next((joined(row[p]) for p in positions if p < len(row) and row[p]), "")


def _level_label(text: str, role: str) -> str:
    """A level cell in the catalogue's words when it names one (经济成本 → 经济成本指标)."""
    if role == LEVEL2:
        level = catalogue.level2_named(text) or catalogue.level2_named(text, True)
    else:
        level = catalogue.level1_named(text) or catalogue.level1_named(text, True)
    return level.label if level is not None else text
