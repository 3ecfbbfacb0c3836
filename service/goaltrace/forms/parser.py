"""Read a declaration as published into records, whatever the provincial template.

A file holds one unit's forms for one year: a department-wide form (部门（单位）整体支出绩效目标
表), project forms (项目支出绩效目标表/申报表/审批表), or both, in any order, often after a page
title and metadata. The reader works on a grid of cells with line numbers (`grid`, or
`documents` for a spreadsheet, Word file, web page or PDF), finds each form by its title or
its first field label, reads fields by their labels (`fields`), the two kinds of form in
`department_form` and `project_form`, and indicator tables by their header
(`indicator_table`). Every cell is mapped, or kept as an unmapped cell with its line: nothing
is silently dropped.
"""

import hashlib
import re
from dataclasses import replace
from pathlib import Path

from .budget_table import BudgetLine, is_project_budget_title, project_amounts
from .budget_table import header_at as budget_header_at
from .controls import cleaned
from .department_form import GOAL_MARKER, DepartmentFormReading
from .documents import DocumentRows, document_rows, is_document
from .errors import FormError, shown
from .fields import (
    AMOUNT_UNITS,
    FieldReading,
    amount_unit_of,
    first_field,
    is_department_title,
    is_title,
    title_of,
    unit_name,
)
from .grid import Row, rows_of
from .indicator_table import header_at
from .labels import DEPARTMENT_FIELDS, PROJECT_FIELDS, column_named, field_named
from .outline import declares_targets, read_outline
from .project_form import ProjectFormReading
from .publisher import page_year, publisher
from .reading import Reading, UnmappedCell
from .records import Declaration, Goal, GoalReference, ProjectForm, SourceFile
from .simplified import NOTE as SIMPLIFIED_NOTE
from .simplified import simplified
from .statements import stated_project_count
from .text import fold, key
from .text_file import decode
from .values import parse_number
from .vertical import join_vertical_labels

YEAR = re.compile(r"(?<![0-9])(20[0-9]{2})\s*年")
# Fields that may open a project form below its title, before (or without) its 项目名称.
_OPENING_FIELDS = {"department", "supervising_unit", "implementing_unit", "fund_name"}
# The title of a table a budget publication holds besides the performance tables: 部门收支总表,
# "三公"经费支出表, 政府采购预算表（续表）. At most a line long, ending in 表 (and a note in brackets).
_OTHER_TABLE = re.compile(r"^.{2,40}表(?:[(（][^()（）]{0,12}[)）])?$")


def _other_table(row: Row) -> bool:
    """The title of a table that is not about performance (no 绩效, 目标, 指标 or 自评 in it)."""
    text = row.filled[0] if len(row.filled) == 1 else ""
    return bool(_OTHER_TABLE.search(key(text))) and not any(word in text for word in ("绩效", "目标", "指标", "自评"))


# A section heading of the document's prose: 第一部分 部门概况, 一、主要职能, （二）机构设置.
_SECTION_HEADING = re.compile(r"^(?:第[一二三四五六七八九十]+部分|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])")
EXPECTED_START = "a form title (…绩效目标表) or its first field (项目名称, 预算年度, …)"


class _Reader(FieldReading, DepartmentFormReading, ProjectFormReading):
    def __init__(self, rows: list[Row], path: str, partial: bool = False, year: int | None = None):
        self.given_year = year
        self.rows = rows
        self.path = path
        self.reading = Reading(path, partial, {row.number: row.place for row in rows if row.place})
        self.partial = partial
        self.found: dict[str, tuple[str, int]] = {}  # declaration-wide fields: year, department
        self.year_hints: list[tuple[int, int]] = []  # (year, line) from titles and page text
        self.amount_unit = "万元"  # in force until a form says otherwise
        self.amount_unit_stated = False
        self.cut: int | None = None
        self.budget_lines: list[BudgetLine] = []  # a project budget table's lines (`budget_table`)

    def fail(self, line: int, message: str):
        self.reading.fail(line, message)

    # -- the whole file ----------------------------------------------------------------
    def declaration(self, source: SourceFile) -> Declaration:
        if all(row.blank for row in self.rows):
            self.fail(1, f"expected {EXPECTED_START}, found an empty file")
        department_form = None
        projects: list[tuple[ProjectForm, list]] = []
        titles: list[Row] = []
        index = 0
        while index < len(self.rows):
            row = self.rows[index]
            if row.blank:
                index += 1
                continue
            if is_department_title(row):
                if department_form is not None and not self.reading.tolerant:
                    self.fail(row.number, f"expected one department-wide form per file, found a second one: {shown(row.text)}")
                read = self._isolated(index, self.department_form)
                if read is None:
                    index = self._next_form(index)
                else:
                    form, index = read
                    if department_form is None:
                        department_form = form
                    else:
                        self.reading.note(form.line, "a second department-wide form in the document: not read "
                                                     "(the first one stands for the unit)")
                titles = []
                continue
            if is_title(row):
                titles.append(row)
                self.reading.note(row.number, f"form title: {title_of(row)}")
                self._year_hint(row)
                index += 1
                continue
            if first_field(row, PROJECT_FIELDS) == "name" or header_at(self.rows, index) is not None or (
                    titles and first_field(row, PROJECT_FIELDS) in _OPENING_FIELDS):
                read = self._isolated(index, lambda at, titles=titles: self.project_form(at, titles))
                if read is None:
                    index = self._next_form(index)
                else:
                    project, goal_lines, index = read
                    for one in project if isinstance(project, list) else [project]:
                        projects.append((one, goal_lines))
                titles = []
                continue
            passed = self._passed_over(index)
            if passed is not None:
                index = passed
                continue
            if not self._declaration_line(row):
                for cell in row.filled:
                    self.reading.keep(row.number, cell, "outside any form" if (department_form or projects) else "before the first form")
            index += 1
        if department_form is None and not projects:
            projects = [(form, []) for form in self._outline()]
        if department_form is None and not projects:
            self.fail(*self._nothing_recognised())
        goals = department_form.goals if department_form else ()
        forms = tuple(replace(p, goal_references=goal_references(lines, goals)) for p, lines in projects)
        year, department = self._year(), self._department(forms)
        self._department_notes(department)
        self._title_notes([form for form in (department_form, *forms) if form is not None])
        return Declaration(
            source=source,
            department=department,
            year=year,
            amount_unit=self.amount_unit,
            department_form=department_form,
            projects=forms,
            incomplete_at=self.cut,
            unmapped=tuple(self.reading.unmapped),
            explanation=tuple((line, what) for line in sorted(self.reading.notes) for what in self.reading.notes[line]),
            places=tuple(sorted(self.reading.places.items())),
            publisher=self._publisher(forms),
        )

    def _isolated(self, index: int, read):
        """A form read on its own: in a whole document, a form that cannot be read is passed
        over with the reason (its cells kept), and the rest of the document is read."""
        if not self.reading.tolerant:
            return read(index)
        saved = (len(self.reading.unmapped), self.cut)
        try:
            return read(index)
        except FormError as error:
            del self.reading.unmapped[saved[0]:]
            self.cut = saved[1]
            start = self.rows[index].number
            self.reading.note(start, f"needs review: the form here was not read ({error.message}); "
                                     f"its cells are kept as unmapped")
            end = self._next_form(index)
            for row in self.rows[index:end]:
                for cell in row.filled:
                    self.reading.unmapped.append(UnmappedCell(row.number, cell, "a form that could not be read"))
            return None

    def _passed_over(self, index: int) -> int | None:
        """What a whole document holds besides its forms, passed over and said to be: another
        table (收支总表, 三公经费表, …) from its title to the next form, or a line of prose (a
        section heading, a sentence). The index to go on from, or None."""
        row = self.rows[index]
        if len(row.filled) != 1:
            return None
        text = key(row.filled[0])
        if _other_table(row):
            budget = is_project_budget_title(row.filled[0]) and budget_header_at(self.rows[index + 1:])
            # a project budget table's header names 项目名称 as a project form does: look past it
            end = self._next_form(index + 1 + budget[0] if budget else index)
            end = next((k for k in range(index + 1, end) if _other_table(self.rows[k])), end)
            if budget:  # its projects' names and amounts, and nothing else
                self.budget_lines += project_amounts(self.rows[index + 1:end])
            last = next(r.number for r in reversed(self.rows[index:end]) if not r.blank)
            self.reading.note(row.number, f"passed over, not a performance table: {shown(row.filled[0])}"
                                          + (f" (lines {row.number}-{last})" if last > row.number else ""))
            for inside in self.rows[index + 1:end]:
                if not inside.blank:
                    self.reading.note(inside.number, "passed over: a row of that table")
            return end
        if _SECTION_HEADING.match(text) or (len(text) >= 30 and text.endswith(("。", "；", ";"))):
            self.reading.note(row.number, "passed over: prose of the document")
            return index + 1
        return None

    def _next_form(self, index: int) -> int:
        """The index of the next row after `index` that starts a form (a title or 项目名称)."""
        for k in range(index + 1, len(self.rows)):
            row = self.rows[k]
            if not row.blank and (is_title(row) or is_department_title(row) or first_field(row, PROJECT_FIELDS) == "name"):
                return k
        return len(self.rows)

    def _outline(self) -> list[ProjectForm]:
        """A notice with no form the tables are read from: its targets as an outline under level
        headings (`outline`), each project with its amount where the text states its unit."""
        outline = read_outline(self.rows, self.reading) if declares_targets(self.rows) else None
        if outline is None:
            return []
        self.reading.unmapped = [cell for cell in self.reading.unmapped if cell.line not in outline.lines]
        for line in outline.lines:
            self.reading.notes[line] = [n for n in self.reading.notes.get(line, []) if not n.startswith("kept as an unmapped cell")]
        for line, text in outline.leftovers:
            self.reading.keep(line, text, "a line of the outline, beside its targets")
        if outline.unit:
            self.found.setdefault("department", (outline.unit, outline.projects[0].line or 1))
        title = outline.title
        if title is not None:  # the notice's own title says the year before any attachment's
            before = len(self.year_hints)
            self._year_hint(title)
            self.year_hints = self.year_hints[before:] + self.year_hints[:before]
        forms = []
        for project in outline.projects:
            funds = ()
            if project.amount and (self.amount_unit_stated or project.amount[1].endswith("元")):
                amount = self._amount({"all": [project.amount]}, "all", AMOUNT_UNITS[self.amount_unit], "项目金额")
                funds = (amount,) if amount else ()
            line = project.line or project.indicators[0].line
            self.reading.note(line, f"project (from an outline of targets under level headings): {project.name}")
            forms.append(ProjectForm(
                line=line, title=(title_of(title) or " ".join(title.filled)) if title else "", name=project.name,
                name_line=line, responsible_person=None, phone=None, supervising_unit=None,
                implementing_unit=None, funds=funds, annual_goal=None, annual_goal_line=None,
                indicators=tuple(replace(ind, ordinal=n) for n, ind in enumerate(project.indicators, 1))))
        return forms

    def _nothing_recognised(self) -> tuple[int, str]:
        """Why no form was found, in terms of what was recognised and what is missing."""
        near = self._near_header(self.rows)
        if near is not None:
            return near
        first = next(row for row in self.rows if not row.blank)
        titles = [row for row in self.rows if is_title(row)]
        if titles:
            return titles[0].number, (f"found the title {shown(titles[0].filled[0])} but no form after it: expected the "
                                      f"project fields (项目名称, …) or an indicator table (一级指标 | 二级指标 | 三级指标 | 指标值)")
        return first.number, f"expected {EXPECTED_START}, found {shown(first.text)}"

    def _near_header(self, rows: list[Row]) -> tuple[int, str] | None:
        """A row that names indicator columns but lacks one a table needs: where, and what."""
        for row in rows:
            roles = [column_named(c) for c in row.filled]
            if sum(r is not None for r in roles) >= 2:
                missing = [what for what, present in (("the indicator name (三级指标)", "name" in roles),
                                                      ("the level names (一级指标/二级指标)", "level1" in roles or "level2" in roles),
                                                      ("the target value (指标值)", "value" in roles or "long-term-value" in roles))
                           if not present]
                if missing:
                    return row.number, (f"found an indicator table at line {row.number} with no column for "
                                        f"{' or '.join(missing)}; its header was: {' | '.join(row.filled)}")
        return None

    def _declaration_line(self, row: Row) -> bool:
        """A line between forms that says something of them all: 单位：万元, 预算年度, a year."""
        named = field_named(row.filled[0], DEPARTMENT_FIELDS)
        if named is None:
            if len(row.filled) == 1 and re.fullmatch(r"[(（]?\s*20[0-9]{2}\s*年度?\s*[)）]?", fold(row.filled[0])):
                self._year_hint(row)
                self.reading.note(row.number, f"budget year: {row.filled[0]}")
                return True
            return False
        tokens = [(row.number, cell) for cell in row.filled]
        fields = self._walk(tokens, DEPARTMENT_FIELDS, "declaration fields")
        self._take_declaration_fields(fields)
        return True

    def _take_declaration_fields(self, fields: dict):
        for name in ("year", "department"):
            if fields.get(name):
                self.found.setdefault(name, (" ".join(t for _, t in fields[name]), fields[name][0][0]))
        if fields.get("amount_unit"):
            text, line = fields["amount_unit"][0][1], fields["amount_unit"][0][0]
            unit = amount_unit_of(text)
            if unit is None:
                self.fail(line, f"expected amounts in 万元 or 元 (单位：万元), found {shown(text)}")
            self.amount_unit = unit
            self.amount_unit_stated = True

    def _year_hint(self, row: Row):
        for match in YEAR.finditer(fold(row.text)):
            self.year_hints.append((int(match.group(1)), row.number))

    def _year(self) -> int:
        if "year" in self.found:
            text, line = self.found["year"]
            year = parse_number(fold(text).removesuffix("年度").removesuffix("年"))
            if year is None or year != int(year) or not 1900 <= year <= 2200:
                self.fail(line, f"expected a budget year (预算年度) such as 2023, found {shown(text)}")
            return int(year)
        if self.year_hints:
            return self.year_hints[0][0]
        if self.given_year is not None:
            return self.given_year
        dated = page_year(self.rows)
        if dated is not None:  # a notice that states no budget year is taken to be for the year it was signed in
            self.reading.note(dated[1], f"budget year {dated[0]}: the form states none, the page is dated then "
                                        "(give --year to say otherwise)")
            return dated[0]
        first = next(row for row in self.rows if not row.blank)
        self.fail(first.number, "expected the budget year (预算年度:YYYY, or a title such as 2023年…绩效目标表), "
                                "found none; if the form states none, give it with --year")

    def _department_notes(self, department: str):
        """Each line read as the unit's name said as what it became: the name without its code
        (813-潼南区五桂镇 → 潼南区五桂镇), or not the unit at all where another line named it."""
        for notes in self.reading.notes.values():
            for n, what in enumerate(notes):
                if not what.startswith("department: "):
                    continue
                raw = what.removeprefix("department: ")
                if unit_name(raw) != department:
                    notes[n] = f"{what} — not read as the unit, which is {department}"
                elif raw != department:
                    notes[n] = f"{what}, read as {department}"

    def _title_notes(self, forms: list):
        """A line read as a form's title that the form does not keep as its title (a heading
        above it, or a title the form's own replaced) said as such, with the title kept."""
        titles = {form.title for form in forms}
        ordered = sorted(forms, key=lambda form: form.line)
        for line, notes in self.reading.notes.items():
            for n, what in enumerate(notes):
                label, sep, title = what.partition("form title: ")
                if not sep or label not in ("", "department-wide ") or title in titles or not ordered:
                    continue
                kept = next((form for form in ordered if form.line >= line), ordered[-1])
                notes[n] = f"{what} — not kept as a title; the form's title is {kept.title}"

    def _publisher(self, projects: tuple[ProjectForm, ...]) -> str | None:
        """The page's publisher (its title's subject, signature, 来源 or a name above the form):
        what places a unit whose own name names no place (南岳镇政府, published by 南岳区财政局)."""
        if not hasattr(self, "_published_by"):
            titles = [title_of(row) for row in self.rows if is_title(row)]
            self._published_by = publisher(self.rows, titles[0] if titles else None,
                                           before=projects[0].line if projects else None)
        return self._published_by

    def _department(self, projects: tuple[ProjectForm, ...]) -> str:
        if "department" in self.found:
            return unit_name(self.found["department"][0])
        for project in projects:
            for unit in (project.supervising_unit, project.implementing_unit):
                if unit:
                    return unit_name(unit)
        published_by = self._publisher(projects)
        if published_by:
            self.reading.note(1, f"budget unit (the form names none; the page's publisher): {published_by}")
            return published_by
        first = next(row for row in self.rows if not row.blank)
        self.fail(first.number, "expected the unit name (预算单位/单位名称, or a project's 主管部门), found none")

    def _check_cut(self, cut: int | None, part: str, before_table: bool = False):
        if cut is None:
            return
        if not self.partial:
            where = "ends too early, before its indicator table" if before_table else "ends inside its indicator table"
            self.fail(cut, f"the form {where} ({part}); import with --partial to keep the rows before the cut")
        self.cut = cut
        self.reading.note(cut, "the text stops here: the form is imported as incomplete")

    # -- fields by label -------------------------------------------------------------------





def goal_references(lines: list[tuple[int, str]], goals: tuple[Goal, ...]) -> tuple[GoalReference, ...]:
    """Department goals a project's annual goal names: by number (目标2：…) when the words
    that follow are that goal's, or by quoting a goal's text verbatim."""
    found: dict[int, GoalReference] = {}
    by_number = {goal.number: goal for goal in goals}
    for line, text in lines:
        compact = key(text)
        for marker in GOAL_MARKER.finditer(text):
            goal = by_number.get(int(fold(marker.group(1))))
            if goal and key(goal.text)[:12] and key(text[marker.end():]).startswith(key(goal.text)[:12]):
                found.setdefault(goal.number, GoalReference(goal.number, line, text.strip()))
        for goal in goals:
            if len(key(goal.text)) >= 8 and key(goal.text) in compact:
                found.setdefault(goal.number, GoalReference(goal.number, line, text.strip()))
    return tuple(found[n] for n in sorted(found))


def parse_declaration(text: str, path: str = "<text>", sha256: str | None = None, partial: bool = False,
                      year: int | None = None) -> Declaration:
    """Text → a Declaration. `partial` imports a form cut inside its indicator table up to the
    cut; `year` is the budget year for a file that states none."""
    digest = sha256 or hashlib.sha256(text.encode("utf-8")).hexdigest()
    return parse_rows(simplified(cleaned(rows_of(text))), path, digest, partial, year)


def parse_rows(rows: list[Row], path: str, sha256: str, partial: bool = False, year: int | None = None) -> Declaration:
    """Rows of cells (from text or any document) → a Declaration."""
    source = SourceFile(path=path, name=Path(path).name, sha256=sha256, line_count=len(rows))
    publication, page_notes = getattr(rows, "publication", None), getattr(rows, "notes", {})
    removed = getattr(rows, "removed", [])  # control characters taken out (`controls.cleaned`)
    printed_budget = getattr(rows, "budget_lines", [])  # a PDF's project budget table (`documents.budget_pages`)
    converted = getattr(rows, "simplified", False)  # a glossed traditional copy (`simplified.simplified`)
    document = isinstance(rows, DocumentRows)
    rows, joined = join_vertical_labels(rows)
    reader = _Reader(rows, path, partial, year)
    reader.reading.tolerant = document and bool(page_notes or publication)
    if reader.reading.tolerant:  # a whole document: a form its publisher cut short keeps its rows, marked incomplete
        reader.partial = reader.reading.partial = True
    for line, notes in page_notes.items():
        for note in notes:
            reader.reading.note(line, note)
    for line, note in removed:
        reader.reading.note(line, note)
    if converted and rows:
        reader.reading.note(rows[0].number, SIMPLIFIED_NOTE)
    if publication is not None:  # a whole publication names its unit and year on its cover
        reader.found["department"] = (publication.unit, 1)
        reader.found["year"] = (str(publication.year), 1)
        reader.reading.note(1, f"the document: {publication.unit}, {publication.year}, "
                               f"{'final accounts (部门决算)' if publication.kind == 'final-accounts' else 'budget (部门预算)'}, "
                               f"named on page {publication.page}")
    if printed_budget:  # read apart from the rows, on pages passed over: said where
        pages = ", ".join(dict.fromkeys(line.place.split(" table")[0] for line in printed_budget if line.place))
        reader.reading.note(1, f"the project budget table (项目支出预算表) on {pages}: {len(printed_budget)} projects' "
                               f"names and totals read, to hold the performance tables' funds to")
    for line, first, label in joined:
        reader.reading.note(line, f"a character of {label}, written down the page from line {first}")
    declaration = reader.declaration(source)
    if reader.budget_lines or printed_budget:
        declaration = replace(declaration, budget_table=tuple(reader.budget_lines + printed_budget))
    return _with_stated_count(declaration, rows, publication)


def _with_stated_count(declaration: Declaration, rows: list[Row], publication) -> Declaration:
    """The declaration with the count of projects its document says carry targets: from a
    PDF's pages (`publication`), or from the rows themselves (a remark, a sentence of prose)."""
    stated = getattr(publication, "stated_projects", None) or stated_project_count(" ".join(row.filled) for row in rows)
    if stated is None:
        return declaration
    return replace(declaration, stated_projects=stated.projects, stated_projects_text=stated.text)


def read_declaration(path: str | Path, encoding: str = "utf-8", partial: bool = False,
                     year: int | None = None) -> Declaration:
    """Read one declaration file — text, or a spreadsheet, Word file, web page or PDF; any
    problem is a FormError ``FILE:LINE: …``."""
    rows, digest = read_rows(path, encoding)
    return parse_rows(rows, str(path), digest, partial, year)


def read_rows(path: str | Path, encoding: str = "utf-8") -> tuple[list[Row], str]:
    """A file's rows of cells, whatever its format, and the sha256 of its bytes."""
    shown_path = str(path)
    try:
        data = Path(path).read_bytes()
    except IsADirectoryError:
        raise FormError(shown_path, 1, "expected a file, found a directory") from None
    except FileNotFoundError:
        raise FormError(shown_path, 1, "expected a readable file, found no such file") from None
    except OSError as error:
        raise FormError(shown_path, 1, f"expected a readable file, found {error.strerror}") from None
    digest = hashlib.sha256(data).hexdigest()
    if is_document(shown_path):
        if not data.strip():
            raise FormError(shown_path, 1, "expected a document, found an empty file")
        return simplified(cleaned(document_rows(shown_path, data))), digest
    try:
        return simplified(cleaned(rows_of(decode(data, shown_path, encoding, EXPECTED_START)))), digest
    except FormError as error:  # a limit of the text, found before the file's name is known
        if error.path:
            raise
        raise error.at(shown_path) from None
