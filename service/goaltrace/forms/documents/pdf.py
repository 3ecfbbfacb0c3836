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
import os
import re
from dataclasses import dataclass, field

from ..errors import FormError
from ..grid import Row, is_page_marker, table_row, text_row
from ..text import key
from .page_tables import PrintedTable, TableState, is_form_title, normalise
from .pdf_scan import check_pdf

# Words a page holding a performance table has in its text: level names and column labels.
_PERFORMANCE_WORDS = ("一级指标", "二级指标", "三级指标", "产出指标", "效益指标", "满意度指标", "数量指标", "质量指标",
                      "时效指标", "绩效指标", "指标名称", "年度指标值", "实际完成值")
# 西安市公安局（汇总）2026年部门预算, 2026年度 泉州市人民政府办公室 部门预算, 国家信访局2024年度部门决算,
# 广州市生态环境局2026年项目支出绩效目标表: a publication's own title, the unit before or after the year.
_UNIT = (r"[\u4e00-\u9fff][\u4e00-\u9fff、]{1,30}?(?:委员会|办公室|办公厅|政府|支队|大队|中心|局|委|厅|院|部|会|站|所|队|处|馆|社|团|办)"
         r"(?:[（(](?:汇总|本级|部门汇总|单位)[)）])?")
_KIND = r"部门综合预算|部门预算|单位预算|部门决算|单位决算|(?:项目支出|部门整体支出|部门整体)绩效(?:目标|自评)表"
_PUBLICATION = re.compile(rf"(?P<unit>{_UNIT})(?P<year>20[0-9]{{2}})年度?(?P<kind>{_KIND})"
                          rf"|(?P<year2>20[0-9]{{2}})年度?(?P<unit2>{_UNIT})(?P<kind2>{_KIND})")
_ANNOTATION = re.compile(r"[（(](?:汇总|本级|部门汇总|单位)[)）]")
_PAGE_NUMBER = re.compile(r"^\s*[-—–]?\s*[0-9]{1,4}\s*[-—–]?\s*$")  # a page's number alone on its line
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


def read_pdf(data: bytes) -> PdfDocument:
    check_pdf(data)  # page count, content sizes, objects that refer to themselves: before any page is built
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
    return "项目名称" in compact or is_form_title(compact)


def _publication(texts: list[str]) -> Publication | None:
    """The unit, year and kind a document names on its first pages (its cover or title)."""
    for number, text in enumerate(texts[:3], 1):
        compact = re.sub(r"\s+", "", text)
        match = _PUBLICATION.search(compact)
        if match:
            unit = _ANNOTATION.sub("", match.group("unit") or match.group("unit2")).strip()
            kind = "final-accounts" if "决算" in (match.group("kind") or match.group("kind2")) else "budget"
            return Publication(unit, int(match.group("year") or match.group("year2")), kind, number)
    return None


# Pages are read by several processes at once when a document has this many to read.
_PARALLEL_FROM = 8


def _read_pages(data: bytes, wanted: list[int], texts: list[str], document: PdfDocument, passed: list[str]):
    rows = document.rows
    state = TableState()
    previous = 0
    for number, blocks in _pages_read(data, wanted):
        skipped = [n for n in range(previous + 1, number) if texts[n - 1].strip()]
        if skipped:
            passed.append(f"{_pages(skipped)}: passed over (no performance table)")
            for place, cells in state.flush():
                rows.append(table_row(len(rows) + 1, cells or [""], place))
            state = TableState()
        if passed:
            document.notes.setdefault(len(rows) + 1, []).extend(passed)
            passed = []
        previous = number
        _place(blocks, number, rows, state)
    for place, cells in state.flush():
        rows.append(table_row(len(rows) + 1, cells or [""], place))
    if passed:
        document.notes.setdefault(max(len(rows), 1), []).extend(passed)


def _pages_read(data: bytes, wanted: list[int]):
    """(page, its blocks) in page order. Reading a page's tables is the slow part and each page
    is read on its own, so a long document's pages are shared out among processes; what links
    one page to the next is done after, in order."""
    workers = min(os.cpu_count() or 1, 4)
    if workers < 2 or len(wanted) < _PARALLEL_FROM:
        yield from zip(wanted, _blocks_of(data, wanted))
        return
    import concurrent.futures
    import multiprocessing

    share = -(-len(wanted) // workers)
    parts = [wanted[k:k + share] for k in range(0, len(wanted), share)]
    # Workers start from a clean server process, not from this one, which may hold the store
    # open and run threads of its own; the server has the PDF libraries loaded already.
    method = "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["goaltrace.forms.documents.pdf", "pdfplumber"])
    with concurrent.futures.ProcessPoolExecutor(len(parts), mp_context=context) as pool:
        for part, blocks in zip(parts, pool.map(_blocks_of, [data] * len(parts), parts)):
            yield from zip(part, blocks)


def _blocks_of(data: bytes, numbers: list[int]) -> list[list]:
    import pdfplumber

    with pdfplumber.open(io.BytesIO(data)) as pdf:
        out = []
        for number in numbers:
            page = pdf.pages[number - 1]
            out.append(_page_blocks(page))
            page.close()
        return out


def _page_blocks(page) -> list:
    """A page's ruled tables (as printed) and its lines of text outside them, top to bottom."""
    # Text drawn past the page's edge is clipped from view (a merged cell's words that a page
    # break cut off are drawn again on the next page): read what the page shows.
    page = page.within_bbox(page.bbox)
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]

    def outside(obj, boxes=boxes):
        middle_x = (obj["x0"] + obj["x1"]) / 2
        middle_y = (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes)

    cells = [cell for table in tables for cell in table.cells]

    def loose(obj):  # inside or beside a table, in none of its cells
        middle_x = (obj["x0"] + obj["x1"]) / 2
        middle_y = (obj["top"] + obj["bottom"]) / 2
        return any(_beside(obj, box) for box in boxes) or (
            any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes)
            and not any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in cells))

    text_page = page.filter(lambda obj: outside(obj) and not loose(obj)) if boxes else page
    lines = text_page.extract_text_lines()
    words = page.filter(loose).extract_words() if boxes else []
    blocks = [(table.bbox[1], "table", (t, _printed(table, [w for w in words if _near(w, table.bbox)])))
              for t, table in enumerate(tables, 1)]
    blocks += [(line["top"], "line", line["text"]) for line in lines]
    blocks.sort(key=lambda block: block[0])
    return blocks


def _place(blocks: list, number: int, rows: list[Row], state: TableState):
    """A page's blocks as rows, its tables going on from the page before where they do."""
    lines = 0
    for _, kind, payload in blocks:
        if kind == "line":
            lines += 1
            if is_page_marker(payload) or _PAGE_NUMBER.match(payload) or state.repeats(payload):
                continue
            rows.append(text_row(len(rows) + 1, payload, f"page {number} line {lines}"))
            continue
        t, table = payload
        for place, cells in normalise(table, state, lambda r, t=t: f"page {number} table {t} row {r + 1}"):
            rows.append(table_row(len(rows) + 1, cells or [""], place))


def _beside(line: dict, box) -> bool:
    """Words printed in the margin left of a table, level with it: a column whose rules are not drawn."""
    x0, top, _, bottom = box
    return line["x1"] <= x0 + 2 and top - 2 <= line["top"] and line["bottom"] <= bottom + 2 and x0 - line["x0"] < 120


def _near(word: dict, box) -> bool:
    x0, top, x1, bottom = box
    return top - 2 <= word["top"] and word["bottom"] <= bottom + 2 and x0 - 120 <= word["x0"] and word["x1"] <= x1 + 2


def _printed(table, beside: list[dict]) -> PrintedTable:
    texts = table.extract()
    edges = [[(cell[0], cell[2]) if cell else None for cell in row.cells] for row in table.rows]
    tops = [row.bbox[1] for row in table.rows]
    # A place no cell covers (no merged cell above reaches down to it) is an empty cell, not the
    # rest of a merged one: the rows below a merged project cell's end belong to another project.
    width = max((len(row) for row in texts), default=0)
    middles = []
    for j in range(width):
        found = sorted((e[0] + e[1]) / 2 for row in edges if j < len(row) and (e := row[j]))
        middles.append(found[len(found) // 2] if found else None)
    void = [False] * width  # the place above was one too: one run of them is one empty cell
    for row, cells in zip(texts, table.rows):
        y = (cells.bbox[1] + cells.bbox[3]) / 2
        for j, text in enumerate(row):
            uncovered = text is None and middles[j] is not None and not any(
                x0 <= middles[j] <= x1 and top <= y <= bottom for x0, top, x1, bottom in table.cells)
            if uncovered and not void[j]:
                row[j] = ""
            void[j] = uncovered
    return PrintedTable(texts, edges, tops, [((w["x0"] + w["x1"]) / 2, w["top"], w["text"]) for w in beside])


def _pages(numbers: list[int]) -> str:
    """pages 3-7, 9"""
    runs, start = [], numbers[0]
    for a, b in zip(numbers, numbers[1:] + [None]):
        if b != a + 1:
            runs.append(f"{start}" if start == a else f"{start}-{a}")
            start = b
    return ("page " if len(numbers) == 1 else "pages ") + ", ".join(runs)
