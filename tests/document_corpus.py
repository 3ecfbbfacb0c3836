"""Whole published documents (../shared/corpus/documents/), read by hand into
tests/fixtures/documents/<batch>/<stem>.expected.json, and the importer's reading of the same
documents, so that the two can be compared form by form and row by row.

The documents themselves are never copied into the repository; where the shared folder is
absent, `documents()` is empty and the tests that use it skip.
"""

import hashlib
import io
import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from goaltrace.forms.catalogue import LEVEL1, LEVEL2
from goaltrace.forms.comparators import SYMBOL
from goaltrace.forms.documents import DocumentRows
from goaltrace.forms.documents.pdf import read_pdf
from goaltrace.forms.parser import parse_rows, read_rows
from goaltrace.forms.self_evaluation import is_self_evaluation, read_self_evaluations
from goaltrace.forms.text import fold, key
from goaltrace.forms.values import format_number

EXPECTED = Path(__file__).parent / "fixtures" / "documents"
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "documents"
BLIND = ("blind1", "blind2", "blind3")  # read by helpers who never saw the reader; scored before any change for them
COLUMNS = ("term", "level1", "level2", "indicator", "comparator", "value", "unit", "weight")
_LABELS = {level.key: level.label for level in (*LEVEL1, *LEVEL2)}
DECLARATION_KINDS = ("project", "department", "fund")
SELF_EVALUATION_KINDS = ("project-selfeval", "department-selfeval")
OUTCOME_COLUMNS = ("level1", "level2", "indicator", "target", "actual", "weight", "score")


@dataclass(frozen=True)
class Document:
    batch: str
    expected: dict

    @property
    def path(self) -> Path:
        return SHARED / self.expected["file"]

    @property
    def name(self) -> str:
        return f"{self.batch}/{Path(self.expected['file']).stem}"

    def forms(self) -> list[dict]:
        return [f for f in self.expected["forms"] if f["kind"] in DECLARATION_KINDS]

    def evaluations(self) -> list[dict]:
        return [f for f in self.expected["forms"] if f["kind"] in SELF_EVALUATION_KINDS]


def documents(batches: tuple[str, ...] | None = None) -> list[Document]:
    if not SHARED.is_dir():
        return []
    found = []
    for path in sorted(EXPECTED.glob("*/*.expected.json")):
        if batches is None or path.parent.name in batches:
            found.append(Document(path.parent.name, json.loads(path.read_text(encoding="utf-8"))))
    return [d for d in found if d.path.is_file()]


def plain(value) -> str:
    if value is None:
        return ""
    text = " ".join(str(value).split())
    try:
        from decimal import Decimal
        return format_number(Decimal(text))
    except Exception:
        return text


def expected_rows(form: dict) -> list[tuple]:
    if form["kind"] in SELF_EVALUATION_KINDS:
        return [tuple(_compact(row.get(c)) for c in OUTCOME_COLUMNS) for row in form.get("outcomes", [])]
    return [_folded(tuple(plain(row.get(c)) for c in COLUMNS)) for row in form.get("indicators", [])]


def _folded(row: tuple) -> tuple:
    """A unit as the program keeps it: full-width forms folded (次／年 is 次/年)."""
    unit = COLUMNS.index("unit")
    return (*row[:unit], fold(row[unit]), *row[unit + 1:])


def _compact(value) -> str:
    """A self-evaluation's cell as compared: spaces dropped (≥110 人 is ≥110人), numbers plain."""
    return plain(value).replace(" ", "")


@lru_cache(maxsize=64)
def read_document(path: Path, pages: tuple[int, ...] | None = None):
    """The declaration a document holds, or the self-evaluations (a tuple) of a final account;
    with `pages`, of those pages only (a copy of the document cut down to them, for speed: the
    tests read the cover and the hand-read pages, not every page of every document)."""
    if pages is None:
        rows, digest = read_rows(path)
    else:
        data = _pages_of(path, pages)
        document = read_pdf(data)
        rows, digest = DocumentRows(document.rows, document.notes, document.publication), hashlib.sha256(data).hexdigest()
    if is_self_evaluation(rows):
        return tuple(read_self_evaluations(rows, str(path)))
    return parse_rows(rows, str(path), digest)


def _pages_of(path: Path, pages: tuple[int, ...]) -> bytes:
    import pypdfium2

    source = pypdfium2.PdfDocument(str(path))
    copy = pypdfium2.PdfDocument.new()
    copy.import_pages(source, [p - 1 for p in pages if p <= len(source)])
    out = io.BytesIO()
    copy.save(out)
    return out.getvalue()


def pages_to_read(document: Document) -> tuple[int, ...]:
    """The cover (its first three pages), the pages that name the unit and year where the cover
    does not (`pages_naming`: a tables annex with no cover), and the hand-read pages with one page
    either side."""
    read = set(range(1, 4)) | set(document.expected.get("pages_naming", []))
    for page in document.expected.get("pages_read", []):
        read |= {page - 1, page, page + 1}
    return tuple(sorted(p for p in read if p >= 1))


def expected_rows_named(document: Document, form: dict) -> list[tuple]:
    """The rows of a hand-read form together with those of the other forms the hand reading
    records under the same name (the sub-blocks of one project, each with its own amount and
    goal under one merged name cell), which the importer reads as one project."""
    if form["kind"] != "project":
        return expected_rows(form)
    same = [f for f in document.forms() if f["kind"] == "project" and key(f.get("name") or "") == key(form.get("name") or "")]
    return [row for f in same for row in expected_rows(f)]


def outcome_rows(evaluation) -> list[tuple]:
    return [tuple(_compact(v) for v in (
        _LABELS.get(o.level1, ""), _LABELS.get(o.level2, ""), o.indicator, o.target_text, o.actual_text,
        format_number(o.weight) if o.weight is not None else None,
        format_number(o.score) if o.score is not None else None)) for o in evaluation.outcomes]


def indicator_rows(owner) -> list[tuple]:
    rows = []
    for ind in owner.indicators:
        target = ind.target
        comparator = SYMBOL[ind.comparator] if ind.comparator else ("=" if target.number is not None else "qualitative")
        value = format_number(target.number) if target.number is not None else target.text.strip()
        rows.append(_folded(tuple(plain(v) for v in (
            ind.term, _LABELS.get(ind.level1, ""), _LABELS.get(ind.level2, ""), ind.name, comparator, value,
            target.unit, format_number(ind.weight) if ind.weight is not None else None))))
    return rows


def _page(declaration, line: int) -> int | None:
    place = dict(declaration.places).get(line, "")
    return int(place.split()[1]) if place.startswith("page ") else None


def read_forms(declaration) -> list[dict]:
    """The importer's forms as (kind, name, first page, rows)."""
    if isinstance(declaration, tuple):
        return [{"kind": "project" if e.kind == "project-selfeval" else "department", "name": e.project, "page": None,
                 "rows": outcome_rows(e), "doubts": [o.doubts for o in e.outcomes], "total": ""}
                for e in declaration]
    forms = []
    if declaration.department_form is not None:
        forms.append({"kind": "department", "name": None, "page": _page(declaration, declaration.department_form.line),
                      "rows": indicator_rows(declaration.department_form),
                      "doubts": [i.doubts for i in declaration.department_form.indicators],
                      "total": _total(declaration.department_form)})
    for project in declaration.projects:
        forms.append({"kind": "project", "name": project.name, "page": _page(declaration, project.line),
                      "rows": indicator_rows(project), "doubts": [i.doubts for i in project.indicators],
                      "total": _total(project)})
    return forms


def _total(form) -> str:
    amount = next((f.amount for f in form.funds if f.source == "all" and f.spending in ("total", "project")), None)
    return plain(format_number(amount)) if amount is not None else ""


def match(expected: dict, read: list[dict]) -> dict | None:
    """The read form that stands for an expected one: the department-wide form by its kind, a
    project or fund by its name (ignoring spacing and punctuation), else by its first page."""
    if expected["kind"] in ("department", "department-selfeval"):
        return next((f for f in read if f["kind"] == "department"), None)
    name = key(expected.get("name") or "")
    candidates = [f for f in read if f["kind"] == "project"]
    for test in (lambda f: key(f["name"] or "") == name,
                 lambda f: name and f["name"] and (key(f["name"]) in name or name in key(f["name"]))):
        found = [f for f in candidates if test(f)]
        if found:
            return found[0]
    return None


def score(document: Document, pages: tuple[int, ...] | None = None) -> dict:
    """Rows read exactly, rows expected, rows read on the same forms that the hand reading
    does not have, forms read exactly, forms expected; the error when the document did not
    read; and `review`, the rows sorted by right or wrong and flagged for review or not
    (see `review_counts`)."""
    forms = document.forms() + document.evaluations()
    result = {"exact": 0, "expected": sum(len(expected_rows(f)) for f in forms), "extra": 0,
              "forms_exact": 0, "forms": len(forms), "error": None, "differences": [],
              "review": dict.fromkeys(REVIEW, 0)}
    try:
        declaration = read_document(document.path, pages)
    except Exception as error:
        result["error"] = str(error)
        result["review"].update(wrong_silent=result["expected"], missing=result["expected"], refused=result["expected"])
        return result
    read = read_forms(declaration)
    # Right and wrong, flagged or not, per form read: where a hand reading splits one form the
    # importer reads whole into several with the same name (a project's sub-blocks), their rows
    # are set together against it, each read row counted once.
    by_read: dict[int, tuple[dict | None, list]] = {}
    for form in forms:
        got = match(form, read)
        by_read.setdefault(id(got) if got else -id(form), (got, []))[1].extend(expected_rows(form))
    for got, want in by_read.values():
        if got is None and not want:
            continue
        counts = review_counts(want, list(got["rows"]) if got else [], got["doubts"] if got else [])
        for name in REVIEW:
            result["review"][name] += counts[name]
    for form in forms:
        want = expected_rows(form)
        got = match(form, read)
        if got is None and not want:  # a template printed blank, read as nothing
            result["forms_exact"] += 1
            continue
        rows = list(got["rows"]) if got else []
        doubts = dict(zip(rows, got["doubts"])) if got else {}  # for the listing of differences
        exact = 0
        missing = []
        for row in want:
            if row in rows:
                rows.remove(row)
                exact += 1
            else:
                missing.append(row)
        result["exact"] += exact
        result["extra"] += len(rows)
        result["forms_exact"] += exact == len(want) and not rows and got is not None
        if missing or rows or got is None:
            result["differences"].append((form.get("name") or form["kind"], got is not None, missing,
                                          [(*row, "⚑ " + ", ".join(doubts[row])) if doubts.get(row) else row for row in rows]))
    return result


# missing: of wrong_silent, the expected rows not read; refused: of those, the rows of forms refused with an error
REVIEW = ("right_sure", "right_flagged", "wrong_flagged", "wrong_silent", "missing", "refused")


def review_counts(want: list[tuple], rows: list[tuple], doubts: list[tuple]) -> dict:
    """The rows of one form sorted four ways: right (equal to a hand-read row) or wrong, and
    flagged for review (any doubt) or not. A row read that the hand reading does not have is
    wrong; an expected row nobody read is wrong and not flagged, once for each expected row left
    over after the wrong rows read have been set against the expected rows they missed."""
    counts = dict.fromkeys(REVIEW, 0)
    left = list(want)
    wrong = 0
    for row, doubt in zip(rows, doubts, strict=True):
        right = row in left
        if right:
            left.remove(row)
        else:
            wrong += 1
        counts[("right_" if right else "wrong_") + ("flagged" if doubt else ("sure" if right else "silent"))] += 1
    counts["missing"] = max(0, len(left) - wrong)
    counts["wrong_silent"] += counts["missing"]
    return counts
