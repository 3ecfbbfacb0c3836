"""Plain records of a declaration, as read from its forms. No RDF: the mapper builds that.

Every record carries the line it was read from (1-based) so that provenance and error messages
can point back into the source.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from .reading import UnmappedCell
from .values import Target


@dataclass(frozen=True)
class SourceFile:
    path: str
    name: str
    sha256: str
    line_count: int


@dataclass(frozen=True)
class FundAmount:
    """One amount cell (万元). spending: total | basic | project; source: all | appropriation |
    special-account | unit-funds | other."""

    spending: str
    source: str
    amount: Decimal
    text: str
    line: int
    doubts: tuple[str, ...] = ()  # reasons to check the reading (review.REASONS)
    evidence: str = ""  # how it was read: the block and the heading or field it was taken under


@dataclass(frozen=True)
class Goal:
    """An overall goal (整体绩效目标) of the department: 目标N."""

    number: int
    text: str
    line: int


@dataclass(frozen=True)
class GoalReference:
    """A project's annual goal quoting a department goal: a *declared* link."""

    number: int
    line: int
    text: str  # the words of the project form that make the link


@dataclass(frozen=True)
class Indicator:
    """A level-3 indicator row (三级指标) with its place in the catalogue."""

    ordinal: int  # position within its form, from 1
    line: int
    level1: str | None  # catalogue key, e.g. "output"
    level2: str | None  # catalogue key, e.g. "output-quantity"
    name: str  # without a leading 指标N：
    number: int | None  # N of a leading 指标N：
    comparator: str | None  # key from comparators.COMPARATORS
    comparator_text: str | None
    target: Target | None
    weight: Decimal | None
    weight_text: str | None
    source_text: str  # the whole row as published
    term: str = "annual"  # annual, or long-term for a 中期/实施期 target
    notes: tuple[tuple[str, str], ...] = ()  # (header label, cell) of columns such as 指标解释, 备注
    repairs: tuple[str, ...] = ()  # what the reader mended, e.g. "read '$' as ≥ (OCR)"
    doubts: tuple[str, ...] = ()  # reasons to check the reading (review.REASONS), an OCR or sentence repair among them
    evidence: str = ""  # how it was read: the layout and the header each cell was taken under


@dataclass(frozen=True)
class Task:
    """A row of the 年度履职目标 table: a duty, the year's task for it, and the money behind it."""

    line: int
    function: str  # 部门职能
    task: str  # 年度目标任务
    project: str | None  # 支出项目名称
    amount: Decimal  # 预算金额, 万元
    amount_text: str


@dataclass(frozen=True)
class DepartmentForm:
    """部门（单位）整体支出绩效目标申报表."""

    line: int
    title: str
    funds: tuple[FundAmount, ...]
    goals: tuple[Goal, ...]
    goals_text: str
    indicators: tuple[Indicator, ...]
    remarks: str | None = None
    tasks: tuple[Task, ...] = ()


@dataclass(frozen=True)
class ProjectForm:
    """项目支出绩效目标表 (特定目标类项目)."""

    line: int
    title: str
    name: str | None
    name_line: int
    responsible_person: str | None
    phone: str | None
    supervising_unit: str | None
    implementing_unit: str | None
    funds: tuple[FundAmount, ...]
    annual_goal: str | None
    annual_goal_line: int | None
    indicators: tuple[Indicator, ...]
    goal_references: tuple[GoalReference, ...] = ()
    long_term_goal: str | None = None  # 中期目标 / 实施期目标, where the form states one
    period: str | None = None  # 项目起止时间 / 项目期, as written (2022年1月—12月)


@dataclass(frozen=True)
class Declaration:
    """One unit's declaration for one budget year: its department form, its project forms, or
    both, as one file holds them."""

    source: SourceFile
    department: str
    year: int
    amount_unit: str  # as declared (单位：万元); amounts are held in 万元
    department_form: DepartmentForm | None
    projects: tuple[ProjectForm, ...] = field(default=())
    incomplete_at: int | None = None  # the line where a cut text stops (imported with --partial)
    unmapped: tuple[UnmappedCell, ...] = ()  # cells read as no known field, kept with their line
    explanation: tuple[tuple[int, str], ...] = ()  # (line, what the reader made of it), for --explain
    places: tuple[tuple[int, str], ...] = ()  # (line, place) for a document: Sheet1!A5, page 2 table 1 row 4
    publisher: str | None = None  # who published the page (来源：南岳区财政局), where it says
    stated_projects: int | None = None  # how many projects the document says carry targets (forms.statements)
    stated_projects_text: str | None = None  # the sentence that says so
    budget_table: tuple = ()  # the lines of its project budget table, where the document has one (forms.budget_table.BudgetLine)

    @property
    def line(self) -> int:
        """The line of the first form."""
        forms = [self.department_form] if self.department_form else []
        return min(form.line for form in [*forms, *self.projects])

    @property
    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator of the declaration, annual and long-term."""
        own = self.department_form.indicators if self.department_form else ()
        return own + tuple(ind for project in self.projects for ind in project.indicators)


@dataclass(frozen=True)
class Outcome:
    """A row of a self-evaluation's outcome table: an indicator's target for the year beside
    what was achieved, its points (分值) and the score given (得分)."""

    line: int
    level1: str | None  # catalogue key, e.g. "output"
    level2: str | None  # catalogue key, e.g. "output-quantity"
    indicator: str  # the level-3 name, without a leading 指标N：
    target_text: str  # the target as written (its comparator, value and unit cells joined)
    comparator: str | None  # key from comparators.COMPARATORS
    target: Target
    actual_text: str | None  # what was achieved, as written
    actual: Target | None
    weight: Decimal | None
    score: Decimal | None
    deviation_reason: str | None
    source_text: str  # the cells of the row as read, tab-separated
    doubts: tuple[str, ...] = ()  # reasons to check the reading (review.REASONS)
    evidence: str = ""  # how it was read: the layout and the header each cell was taken under


@dataclass(frozen=True)
class BudgetExecution:
    """The budget block of a self-evaluation, in 万元: the year's budget, what was spent, the
    execution rate (percent) and the points and score it carries."""

    line: int
    planned: Decimal | None  # 全年预算数, or 年初预算数 where the form has no other
    executed: Decimal | None  # 全年执行数
    rate: Decimal | None  # 执行率, in percent
    weight: Decimal | None  # 分值
    score: Decimal | None  # 得分
    opening: Decimal | None = None  # 年初预算数


@dataclass(frozen=True)
class SelfEvaluation:
    """绩效自评表: a project's (项目支出) or a whole unit's (部门整体支出) year-end self-evaluation."""

    path: str
    kind: str  # project-selfeval | department-selfeval
    title: str | None
    department: str | None  # 主管部门, or the unit's own name where the form has no 主管部门
    project: str | None
    implementing_unit: str | None
    year: int
    budget: BudgetExecution | None
    total_score: Decimal | None
    outcomes: tuple[Outcome, ...]
    incomplete_at: int | None = None  # the line where a cut text stops (read with partial=True)
    explanation: tuple[tuple[int, str], ...] = ()
    scoring_rule: str | None = None  # the rule it states for scoring targets, full points when met and in proportion when missed, as written
