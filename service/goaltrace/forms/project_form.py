"""Project forms (项目支出绩效目标表/申报表/审批表): the fields above the indicator table, and
the projects of a table that lists several. `ProjectFormReading` is that part of the form
reader (`parser._Reader`)."""

import re
from dataclasses import replace

from .fields import AMOUNT_UNITS, first_field, is_title, title_of
from .grid import Row
from .indicator_table import TableReader, header_at
from .labels import PROJECT_FIELDS, PROJECT_TITLE
from .outline import read_outline
from .records import ProjectForm
from .text import fold, key

PERSON_AND_PHONE = re.compile(r"^(?P<name>.*?)\s*(?P<phone>\+?[0-9][0-9\- ()]{5,})$")

MAPPED_PROJECT_FIELDS = {"name", "responsible", "phone", "supervising_unit", "implementing_unit", "department", "year",
                         "amount_unit", "all", "appropriation", "other", "goal", "long_goal"}

FIELD_LABELS = {"attribute": "项目属性", "period": "项目期", "code": "编码", "long_all": "中期资金总额", "summary": "项目概况",
                "central_unit": "中央主管部门", "provincial_unit": "省级主管部门", "finance_unit": "财政部门",
                "project_total": "项目总预算", "fund_name": "资金名称"}

AMOUNT_FIELDS = ("all", "appropriation", "other")
SOURCE_COLUMNS = {"appropriation": "财政拨款", "special-account": "财政专户拨款", "unit-funds": "单位资金", "other": "其他资金"}



class ProjectFormReading:
    """Reads a project form from its first field or its indicator table (a mixin of the reader)."""

    def _projects_of_table(self, table, title: Row, fields: dict) -> list[ProjectForm]:
        """The projects of a table that lists several, each with the indicators below its row."""
        factor = AMOUNT_UNITS[self.amount_unit]
        projects = []
        bounds = [p.first for p in table.projects[1:]] + [len(table.indicators)]
        for row, end in zip(table.projects, bounds):
            if row.unit:
                self.found.setdefault("department", (row.unit, row.line))
            parts = [("all", row.budget, "预算数")] if row.budget else []
            parts += [(source, cell, SOURCE_COLUMNS.get(source, source)) for source, cell in row.amounts]
            funds = tuple(amount for source, cell, label in parts
                          if (amount := self._amount({source: [(row.line, cell)]}, source, factor, label)))
            own = tuple(replace(ind, ordinal=n) for n, ind in enumerate(table.indicators[row.first:end], 1))
            projects.append(ProjectForm(
                line=row.line, title=title_of(title) or title.filled[0], name=row.name, name_line=row.line,
                responsible_person=None, phone=None, supervising_unit=None, implementing_unit=row.unit,
                funds=funds, annual_goal=row.goal, annual_goal_line=row.line if row.goal else None,
                indicators=own))
        return projects

    # -- department form ---------------------------------------------------------------

    def project_form(self, index: int, titles: list[Row]) -> tuple[ProjectForm, list, int]:
        start = self.rows[index]
        title = titles[-1] if titles else None
        part = f"the project table at line {(title or start).number}"
        tokens, j, header = self._project_field_cells(index, part)
        fields = self._walk(tokens, PROJECT_FIELDS, "project form fields")
        self._take_declaration_fields({k: fields.get(k) for k in ("year", "department", "amount_unit")})
        if header is None:
            indicators, index = self._targets_without_table(index, j, part), j
        else:
            table = TableReader(self.rows, self.reading, part).read(j, header)
            self._check_cut(table.cut_line, part)
            indicators, index = table.indicators, table.end
            if table.projects:
                return self._projects_of_table(table, title or start, fields), [], index
        project, goal_lines = self._project_of_fields(fields, indicators, title, start)
        return project, goal_lines, index

    def _project_field_cells(self, index: int, part: str):
        """(the cells above the project's indicator table with their lines, the index of the
        table's header or of the end, the header or None)."""
        tokens: list[tuple[int, str]] = []
        j, header, named = index, None, False
        while j < len(self.rows):
            row = self.rows[j]
            if row.blank:
                j += 1
                continue
            header = header_at(self.rows, j)
            if header is not None:
                break
            names_project = first_field(row, PROJECT_FIELDS) == "name"
            if j > index and (is_title(row) or (names_project and named)):
                self.fail(row.number, f"{part} ends too early: expected its indicators (绩效指标), found the next table")
            named = named or names_project  # a form opened by its unit (单位信息: …) names its project below
            tokens.extend((row.number, cell) for cell in row.filled)
            j += 1
        return tokens, j, header

    def _targets_without_table(self, index: int, end: int, part: str) -> tuple:
        """A project form with no indicator table: targets written into its fields under level
        names (年度绩效总目标 | 产出指标 | 巡查频次8次;验收合格率≥86%;…), read as an outline."""
        near = self._near_header(self.rows[index:end])
        if near is not None:
            self.fail(*near)
        outline = read_outline(self.rows[index:end], self.reading)
        if outline is None:
            self._check_cut(self.rows[-1].number, part, before_table=True)
        found = [ind for project in (outline.projects if outline else []) for ind in project.indicators]
        return tuple(replace(ind, ordinal=n) for n, ind in enumerate(found, 1))

    def _project_of_fields(self, fields: dict, indicators: tuple, title: Row | None, start: Row):
        """The project form its fields and indicators make, and its goal's lines."""
        factor = AMOUNT_UNITS[self.amount_unit]
        funds = [fund for source, label in zip(AMOUNT_FIELDS, ("年度资金总额", "财政拨款", "其他资金"))
                 if (fund := self._amount(fields, source, factor, label)) is not None]
        person, phone = _person_and_phone(fields)
        name_field = "name" if fields.get("name") or not fields.get("fund_name") else "fund_name"  # 资金名称: a fund's form
        name = fields.get(name_field)
        goal_lines = fields.get("goal", [])

        def text_of(field: str) -> str | None:
            return " ".join(" ".join(t.split()) for _, t in fields[field]) if fields.get(field) else None

        # a transfer payment's form names its 主管部门 at each level: the lowest one named is the unit's,
        # where the form names no county 主管部门 and no 实施单位
        supervising = "supervising_unit" if fields.get("supervising_unit") or fields.get("implementing_unit") else next(
            (f for f in ("provincial_unit", "central_unit") if fields.get(f)), "supervising_unit")
        for field in sorted(set(fields) - MAPPED_PROJECT_FIELDS - {supervising, name_field}):
            for line, text in fields[field]:  # recognised, but the graph has no property for it yet
                self.reading.keep(line, text, f"the project field {FIELD_LABELS.get(field, field)}")
        named, supervisor = text_of(name_field), text_of(supervising)
        if _swapped(named, supervisor):
            named, supervisor = supervisor, named
            self.reading.note(name[0][0], f"needs review: the name cell holds a unit ({supervisor}) and the 主管部门 cell "
                                          f"a fund or project ({named}): read as swapped")
        project = ProjectForm(
            line=(title or start).number,
            title=title_of(title) if title else start.filled[0],
            name=named or (_named_by_title(title) if self.reading.tolerant else None),
            name_line=name[0][0] if name else (title or start).number,
            responsible_person=person,
            phone=phone,
            supervising_unit=supervisor,
            implementing_unit=text_of("implementing_unit"),
            funds=tuple(funds),
            annual_goal="\n".join(text for _, text in goal_lines) or None,
            annual_goal_line=goal_lines[0][0] if goal_lines else None,
            indicators=indicators,
            long_term_goal="\n".join(text for _, text in fields.get("long_goal", [])) or None,
            period=text_of("period"),
        )
        return project, goal_lines


def _person_and_phone(fields: dict) -> tuple[str | None, str | None]:
    """The project's responsible person and phone, from one cell (张三 13800000000) or two."""
    person, phone = None, None
    if fields.get("responsible"):
        text = fold(" ".join(t for _, t in fields["responsible"]))
        match = PERSON_AND_PHONE.match(text)
        person, phone = (match["name"] or None, match["phone"]) if match else (text, None)
    if fields.get("phone"):
        phone = fold(fields["phone"][0][1])
    return person, phone


_UNIT_NAME = re.compile(r"(?:委员会|办公室|办公厅|人民政府|政府|局|委|厅|中心|支队|大队)$")
_FUND_NAME = re.compile(r"(?:资金|经费|项目|工程)$")


def _swapped(name: str | None, supervisor: str | None) -> bool:
    """A form that puts the unit in the name cell and the fund in the 主管部门 cell."""
    return bool(name and supervisor and _UNIT_NAME.search(key(name)) and _FUND_NAME.search(key(supervisor))
                and not _FUND_NAME.search(key(name)))


# Titles that name a kind of form, not a project: 部门专项业务经费绩效目标表, 项目支出绩效目标表.
_GENERIC_TITLES = {"", "项目", "项目支出", "部门专项业务经费", "专项资金", "政策和项目预算", "单位预算项目", "部门预算项目",
                   "特定目标类项目", "部门", "单位", "部门项目", "重点项目", "一般性项目", "专项业务经费"}


def _named_by_title(title: Row | None) -> str | None:
    """The project a form's title names where the form has no 项目名称 (市行政中心保安服务项目绩效目标表)."""
    if title is None:
        return None
    text = key(title_of(title) or "".join(title.filled))
    match = PROJECT_TITLE.search(text)
    if match is None:
        return None
    named = re.sub(r"^(?:[0-9]{4}年度?|[(（][0-9]{4}年度?[)）])", "", text[: match.start()])
    named = re.sub(r"^(?:表[0-9一二三四五六七八九十-]+|附表[0-9-]+)[、.:：]?", "", named)
    if named in _GENERIC_TITLES or len(named) < 4 or re.search(r"部门|单位", named) \
            or re.fullmatch(r"(?:[市区县省]级)?(?:一般性|重点|专项|特定目标类)(?:项目|专项|资金)?", named):
        return None
    return named
