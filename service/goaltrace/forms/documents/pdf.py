"""PDF files: a single form, or a whole budget publication (部门预算) or final account (部门决算)
of 30–150 pages with its performance tables among twenty other tables and prose.

Every page's text is taken first with PDFium (pypdfium2), which is fast; only the pages that
can hold a performance table (their text names the indicator levels or an indicator table's
columns) are then read table by table with pdfplumber, which is thorough and slow. Other pages
are passed over, each with a note saying so. A page with no text layer is a scan: a document
that is nothing but scans is refused with the advice to OCR it; a scanned page among pages of
text is noted.

On a page that is read, each ruled table comes cell by cell through `page_tables` (columns by
the header's positions, merged level cells filled, tables followed across page breaks with
their repeated headers dropped), and the text outside the tables line by line, all in reading
order. Places: `page 2 table 1 row 4`, `page 2 line 7`.
"""

import io
import re
from dataclasses import dataclass, field

from ..errors import FormError
from ..grid import Row, is_page_marker, table_row, text_row
from ..labels import DEPARTMENT_TITLE, PROJECT_TITLE, SELF_EVALUATION_TITLE
from ..text import key
from .page_tables import TableState, normalise

# Words a page holding a performance table has in its text: level names and column labels.
_PERFORMANCE_WORDS = ("一级指标", "二级指标", "三级指标", "产出指标", "效益指标", "满意度指标", "数量指标", "质量指标",
                      "时效指标", "绩效指标", "指标名称", "年度指标值", "实际完成值")
# 西安市公安局（汇总）2026年部门预算, 国家信访局2024年度部门决算: a publication's own title.
_PUBLICATION = re.compile(
    r"(?P<unit>[\u4e00-\u9fff][\u4e00-\u9fff（）()、]{1,40}?)\s*(?P<year>20[0-9]{2})\s*年度?\s*"
    r"(?P<kind>部门综合预算|部门预算|单位预算|部门决算|单位决算)")
_ANNOTATION = re.compile(r"[（(](?:汇总|本级|部门汇总|单位)[)）]")
_SHORT = 4  # pages: a document this short is a form or two, read whole
SCANNED = "has no text layer; OCR it first, e.g. with ocrmypdf"


@dataclass(frozen=True)
class Publication:
    """What a whole document says of itself on its cover or first pages."""

    unit: str
    year: int
    kind: str  # budget or final-accounts
    page: int


@dataclass
class PdfDocument:
    rows: list[Row]
    notes: dict[int, list[str]] = field(default_factory=dict)  # row number → what was passed over before it
    publication: Publication | None = None


def pdf_rows(data: bytes) -> list[Row]:
    return read_pdf(data).rows


def read_pdf(data: bytes) -> PdfDocument:
    texts = _page_texts(data)
    scanned = [n for n, text in enumerate(texts, 1) if not text.strip()]
    if len(scanned) == len(texts):
        raise FormError("", 1, f"page 1 {SCANNED} (no page of this PDF has any text)", "page 1")
    holding = {n for n, text in enumerate(texts, 1) if _may_hold_performance_table(text)}
    # the page before one that holds a table, where a form's title and fields start above it
    holding |= {n - 1 for n in holding if n > 1 and _opens_form(texts[n - 2])}
    # the page after one, where a table goes on whose level names the text layer split
    holding |= {n + 1 for n in holding if n < len(texts) and _may_continue_table(texts[n])}
    if not holding or len(texts) <= _SHORT:
        holding = set(range(1, len(texts) + 1))  # a single form: read it all
    wanted = [n for n in sorted(holding) if texts[n - 1].strip()]
    document = PdfDocument([], publication=_publication(texts))
    passed: list[str] = []
    for number in scanned:
        passed.append(f"page {number} {SCANNED}")
    _read_pages(data, wanted, texts, document, passed)
    return document


def _page_texts(data: bytes) -> list[str]:
    import pypdfium2

    pdf = pypdfium2.PdfDocument(data)
    try:
        texts = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            texts.append(textpage.get_text_bounded())
            textpage.close()
            page.close()
        return texts
    finally:
        pdf.close()


def _may_hold_performance_table(text: str) -> bool:
    compact = key(text)
    return any(word in compact for word in _PERFORMANCE_WORDS)


def _may_continue_table(text: str) -> bool:
    compact = key(text)
    return "指标" in compact or "满意度" in compact


def _opens_form(text: str) -> bool:
    compact = key(text)
    return "项目名称" in compact or _is_title(compact)


def _publication(texts: list[str]) -> Publication | None:
    """The unit, year and kind a document names on its first pages (its cover or title)."""
    for number, text in enumerate(texts[:3], 1):
        compact = re.sub(r"\s+", "", text)
        match = _PUBLICATION.search(compact)
        if match:
            unit = _ANNOTATION.sub("", match.group("unit")).strip()
            kind = "final-accounts" if match.group("kind").endswith("决算") else "budget"
            return Publication(unit, int(match.group("year")), kind, number)
    return None


def _read_pages(data: bytes, wanted: list[int], texts: list[str], document: PdfDocument, passed: list[str]):
    import pdfplumber

    rows = document.rows
    state = TableState()
    previous = 0
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number in wanted:
            skipped = [n for n in range(previous + 1, number) if texts[n - 1].strip()]
            if skipped:
                passed.append(f"{_pages(skipped)}: passed over (no performance table)")
                state = TableState()
            if passed:
                document.notes.setdefault(len(rows) + 1, []).extend(passed)
                passed = []
            previous = number
            _read_page(pdf.pages[number - 1], number, rows, state)
    if passed:
        document.notes.setdefault(max(len(rows), 1), []).extend(passed)


def _read_page(page, number: int, rows: list[Row], state: TableState):
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]
    blocks = [(table.bbox[1], "table", (t, table.extract())) for t, table in enumerate(tables, 1)]

    def outside(obj, boxes=boxes):
        middle_x = (obj["x0"] + obj["x1"]) / 2
        middle_y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes)

    text_page = page.filter(outside) if boxes else page
    blocks += [(line["top"], "line", line["text"]) for line in text_page.extract_text_lines()]
    blocks.sort(key=lambda block: block[0])
    lines = 0
    state.titled = False
    for _, kind, payload in blocks:
        if kind == "line":
            lines += 1
            if is_page_marker(payload):
                continue
            if _is_title(payload):
                state.titled = True
            rows.append(text_row(len(rows) + 1, payload, f"page {number} line {lines}"))
            continue
        t, table = payload
        for r, cells in normalise(table, state):
            rows.append(table_row(len(rows) + 1, cells or [""], f"page {number} table {t} row {r + 1}"))


def _is_title(line: str) -> bool:
    compact = key(line)
    return bool(DEPARTMENT_TITLE.search(compact) or PROJECT_TITLE.search(compact) or SELF_EVALUATION_TITLE.search(compact))


def _pages(numbers: list[int]) -> str:
    """pages 3-7, 9"""
    runs, start = [], numbers[0]
    for a, b in zip(numbers, numbers[1:] + [None]):
        if b != a + 1:
            runs.append(f"{start}" if start == a else f"{start}-{a}")
            start = b
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(runs)
