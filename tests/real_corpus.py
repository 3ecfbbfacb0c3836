"""The real-forms corpus (tests/fixtures/real/): each form's hand reading, and the importer's
reading of the same text in the same shape, so that the two can be compared row by row."""

import json
from dataclasses import dataclass
from pathlib import Path

from goaltrace.forms import parse_declaration
from goaltrace.forms.catalogue import LEVEL1, LEVEL2
from goaltrace.forms.comparators import SYMBOL
from goaltrace.forms.values import format_number

REAL = Path(__file__).parent / "fixtures" / "real"
COLUMNS = ("project", "term", "level1", "level2", "indicator", "comparator", "value", "unit", "weight")
_LABELS = {level.key: level.label for level in (*LEVEL1, *LEVEL2)}


@dataclass(frozen=True)
class Form:
    path: Path
    expected: dict

    @property
    def name(self) -> str:
        return f"{self.path.parent.name}/{self.path.stem}"

    @property
    def complete(self) -> bool:
        return bool(self.expected.get("complete"))

    def expected_rows(self) -> list[tuple]:
        return [tuple(_plain(row.get(c)) for c in COLUMNS) for row in self.expected["indicators"]]


def forms(batch: str | None = None) -> list[Form]:
    found = []
    for expected in sorted(REAL.glob(f"{batch or '*'}/*.expected.json")):
        text = expected.with_name(expected.name.removesuffix(".expected.json") + ".txt")
        reading = json.loads(expected.read_text(encoding="utf-8"))
        if not reading.get("kind", "").endswith("-selfeval"):  # self-evaluations are read apart
            found.append(Form(text, reading))
    return found


def _plain(value) -> str:
    if value is None:
        return ""
    text = str(value).strip()
    try:
        from decimal import Decimal
        return format_number(Decimal(text))
    except Exception:
        return text


def read_rows(form: Form, partial: bool | None = None):
    """The importer's reading of a form, as rows in the hand reading's columns."""
    text = form.path.read_text(encoding="utf-8")
    # a form that states no budget year is given one, as a user would with --year
    declaration = parse_declaration(text, str(form.path), partial=not form.complete if partial is None else partial,
                                    year=form.expected.get("year") or 2000)
    rows = []
    owners = [(None, declaration.department_form)] if declaration.department_form else []
    owners += [(p.name, p) for p in declaration.projects]
    for project, owner in owners:
        for ind in owner.indicators:
            target = ind.target
            if ind.comparator:
                comparator = SYMBOL[ind.comparator]
            else:
                comparator = "=" if target.number is not None else "qualitative"
            value = format_number(target.number) if target.number is not None else target.text.strip()
            rows.append(tuple(_plain(v) for v in (
                project, ind.term, _LABELS.get(ind.level1, ""), _LABELS.get(ind.level2, ""), ind.name, comparator,
                value, target.unit, format_number(ind.weight) if ind.weight is not None else None)))
    return declaration, rows


def score(form: Form) -> tuple[int, int, int, str | None]:
    """(rows read exactly, rows expected, rows read that the hand reading does not have, the
    error when the form did not read)."""
    expected = form.expected_rows()
    try:
        _, rows = read_rows(form)
    except Exception as error:  # noqa: BLE001 - a score, not a test: every failure counts as zero rows
        return 0, len(expected), 0, str(error)
    remaining = list(rows)
    exact = 0
    for row in expected:
        if row in remaining:
            remaining.remove(row)
            exact += 1
    return exact, len(expected), len(remaining), None


def row_doubts(declaration) -> list[tuple[str, ...]]:
    """Each row's reasons for review, in the order of `read_rows`."""
    owners = [declaration.department_form] if declaration.department_form else []
    return [ind.doubts for owner in [*owners, *declaration.projects] for ind in owner.indicators]


def review(form: Form) -> dict:
    """The form's rows sorted by right or wrong and flagged or not (document_corpus.review_counts)."""
    from document_corpus import REVIEW, review_counts

    expected = form.expected_rows()
    try:
        declaration, rows = read_rows(form)
    except Exception:  # noqa: BLE001 - a score: a form that does not read misses all its rows
        return {**dict.fromkeys(REVIEW, 0), "wrong_silent": len(expected), "missing": len(expected),
                "refused": len(expected)}
    return review_counts(expected, rows, row_doubts(declaration))


def expected_header(form: Form) -> dict:
    """Department, year and projects (name and total) as the hand reading gives them."""
    e = form.expected
    return {"department": e.get("department"), "year": e.get("year") or 2000,  # none stated: the one given
            "projects": [(p["name"], _plain(p.get("total"))) for p in e.get("projects", []) if p.get("name")]}


def read_header(declaration) -> dict:
    def total(project):
        amount = next((f.amount for f in project.funds if f.source == "all"), None)
        return _plain(format_number(amount)) if amount is not None else ""
    return {"department": declaration.department, "year": declaration.year,
            "projects": [(p.name, total(p)) for p in declaration.projects if p.name]}
