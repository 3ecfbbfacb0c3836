"""PDF files: a single form, or a whole budget publication (部门预算) or final account (部门决算)
of 30–150 pages with its performance tables among twenty other tables and prose.

Every page's text is taken first with PDFium (pypdfium2), which is fast; only the pages that
can hold a performance table (their text names the indicator levels or an indicator table's
columns) are then read table by table with pdfplumber's table finder, which is thorough and
slow; it works on the characters and rules PDFium reads on the page (`pdfium_objects`), so
that pdfminer interprets the page again only where PDFium's reading cannot stand for its own.
Other pages are passed over, each with a note saying so. A page with no text layer is a scan: a document
that is nothing but scans is refused with the advice to OCR it; a scanned page among pages of
text is noted.

On a page that is read, each ruled table comes cell by cell through `page_tables` (columns by
the header's positions, merged level cells filled, tables followed across page breaks with
their repeated headers dropped), and the text outside the tables line by line, all in reading
order. Places: `page 2 table 1 row 4`, `page 2 line 7`.
"""

import bisect
import os
import re
from dataclasses import dataclass, field, replace

from ..errors import FormError
from ..grid import Row, is_page_marker, table_row, text_row
from ..labels import is_header_of_indicators
from ..statements import StatedCount, stated_project_count
from ..text import key
from .budget_pages import budget_lines
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
_YEAR_KIND = re.compile(rf"(?P<year>20[0-9]{{2}})年度?(?P<kind>{_KIND})")
_UNIT_NAMED = re.compile(rf"(?:部门|单位|预算单位)名称[:：](?P<unit>{_UNIT})")
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
    stated_projects: StatedCount | None = None  # how many projects its prose says carry targets


@dataclass
class PdfDocument:
    rows: list[Row]
    notes: dict[int, list[str]] = field(default_factory=dict)  # row number → what was passed over before it
    publication: Publication | None = None
    budget_lines: list = field(default_factory=list)  # its project budget table's lines (`budget_pages`)


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
    publication = _publication(texts)
    if publication is not None:  # its notes may say how many projects carry targets, on pages not read as tables
        publication = replace(publication, stated_projects=stated_project_count(texts))
    document = PdfDocument([], publication=publication)
    passed: list[str] = []
    for number in scanned:
        passed.append(f"page {number} {SCANNED}")
    _read_pages(data, wanted, texts, document, passed)
    if len(texts) > _SHORT:  # a whole publication: its project budget table, on pages passed over
        document.budget_lines = budget_lines(data, texts)
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
        # 2019年部门综合预算公开报表 … 部门名称：西安市安全生产监督管理局
        match, named = _YEAR_KIND.search(compact), _UNIT_NAMED.search(compact)
        if match and named:
            kind = "final-accounts" if "决算" in match.group("kind") else "budget"
            return Publication(_ANNOTATION.sub("", named.group("unit")), int(match.group("year")), kind, number)
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
            rows += state.finish()
            state = TableState()
        if passed:
            document.notes.setdefault(len(rows) + 1, []).extend(passed)
            passed = []
        previous = number
        _place(blocks, number, rows, state)
    rows += state.finish()
    # a table's rows are made last: a level cell named on a later page fills rows read before it
    rows[:] = [row if isinstance(row, Row) else table_row(n, row[1] or [""], row[0]) for n, row in enumerate(rows, 1)]
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
        context.set_forkserver_preload(["goaltrace.forms.documents.pdf", "goaltrace.forms.documents.pdfium_objects", "pdfplumber"])
    with concurrent.futures.ProcessPoolExecutor(len(parts), mp_context=context) as pool:
        for part, blocks in zip(parts, pool.map(_blocks_of, [data] * len(parts), parts)):
            yield from zip(part, blocks)


def _blocks_of(data: bytes, numbers: list[int]) -> list[list]:
    from .pdfium_objects import opened

    with opened(data) as (_, page_of):
        out = []
        for number in numbers:
            page = page_of(number)  # its characters and rules from PDFium, where they can be
            out.append(_page_blocks(page))
            page.close()
        return out


def _page_blocks(page) -> list:
    """A page's ruled tables (as printed) and its lines of text outside them, top to bottom."""
    _rest_on_baselines(page)
    _full_width_brackets(page)
    _spaced_scripts(page)
    # Text drawn past the page's edge is clipped from view (a merged cell's words that a page
    # break cut off are drawn again on the next page): read what the page shows.
    page = page.within_bbox(page.bbox)
    tables = page.find_tables()
    boxes = [table.bbox for table in tables]

    def outside(obj, boxes=boxes):  # a line that starts above a table's bottom rule is the table's
        middle_x = (obj["x0"] + obj["x1"]) / 2
        middle_y = min((obj["top"] + obj["bottom"]) / 2, obj["top"] + 1)
        return not any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes)

    cells = _Boxes([cell for table in tables for cell in table.cells])

    def loose(obj):  # inside or beside a table, in none of its cells
        middle_x = (obj["x0"] + obj["x1"]) / 2
        middle_y = (obj["top"] + obj["bottom"]) / 2
        return any(_beside(obj, box) for box in boxes) or (
            any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes)
            and not cells.hold(middle_x, middle_y))

    text_page = page.filter(lambda obj: outside(obj) and not loose(obj)) if boxes else page
    lines = text_page.extract_text_lines()
    words = page.filter(loose).extract_words() if boxes else []
    overflow = _overflowing(page.chars) if tables else []
    blocks = [(table.bbox[1], "table", (t, _printed(table, [w for w in words if _near(w, table.bbox)], overflow)))
              for t, table in enumerate(tables, 1)]
    for line in lines:
        header = _header_over(line, boxes, page)
        if header is not None:
            blocks.append((line["top"], "table", (0, header)))
        else:
            blocks.append((line["top"], "line", (_close_brackets(line["text"]), line["x0"], line["x1"])))
    blocks.sort(key=lambda block: block[0])
    return blocks


def _place(blocks: list, number: int, rows: list, state: TableState):
    """A page's blocks as rows, its tables going on from the page before where they do."""
    lines = 0
    for _, kind, payload in blocks:
        if kind == "line":
            lines += 1
            text, x0, x1 = payload
            if is_page_marker(text) or _PAGE_NUMBER.match(text) or state.repeats(text) or state.overflows(text, x0, x1):
                continue
            rows.append(text_row(len(rows) + 1, text, f"page {number} line {lines}"))
            continue
        t, table = payload
        if t == 0:  # a header printed as a line of words
            lines += 1
        where = (lambda r, n=lines: f"page {number} line {n}") if t == 0 else (lambda r, t=t: f"page {number} table {t} row {r + 1}")
        rows += normalise(table, state, where)


def _header_over(line: dict, boxes: list, page) -> PrintedTable | None:
    """An indicator table's header printed as a line of words just above the table, its own
    rules not drawn (一级指标  二级指标  指标内容  指标值): a header row whose columns are the
    spaces between the page's vertical rules (or between its words, where there are none)."""
    below = [box for box in boxes if -3 <= box[1] - line["bottom"] <= 12 and box[0] < line["x1"] and line["x0"] < box[2]]
    if not below:
        return None
    words = page.within_bbox((line["x0"] - 1, line["top"] - 1, line["x1"] + 1, line["bottom"] + 1)).extract_words()
    labels = [w["text"] for w in words]
    if len(labels) < 3 or not is_header_of_indicators(labels):
        return None
    box = below[0]
    rules = sorted({round(edge["x0"]) for edge in page.edges if edge["orientation"] == "v"
                    and edge["top"] <= box[1] + 4 and edge["bottom"] >= box[1] + 4})
    middles = [(w["x0"] + w["x1"]) / 2 for w in words]
    edges = []
    for k, middle in enumerate(middles):
        left = max((x for x in rules if x < middle), default=None)
        right = min((x for x in rules if x > middle), default=None)
        if left is None or right is None or any(left < m < right for m in middles[:k] + middles[k + 1:]):
            left = (middles[k - 1] + middle) / 2 if k else words[0]["x0"] - 20
            right = (middles[k + 1] + middle) / 2 if k + 1 < len(middles) else words[-1]["x1"] + 20
        edges.append((float(left), float(right)))
    return PrintedTable([labels], [edges], [line["top"]], [])


def _inside(obj: dict, box) -> bool:
    return box[0] <= obj["x0"] and obj["x1"] <= box[2] and box[1] <= obj["top"] and obj["bottom"] <= box[3]


def _beside(line: dict, box) -> bool:
    """Words printed in the margin left of a table, level with it: a column whose rules are not drawn."""
    x0, top, _, bottom = box
    return line["x1"] <= x0 + 2 and top - 2 <= line["top"] and line["bottom"] <= bottom + 2


def _near(word: dict, box) -> bool:
    _, top, x1, bottom = box
    return top - 2 <= word["top"] and word["bottom"] <= bottom + 2 and word["x1"] <= x1 + 2


def _rest_on_baselines(page):
    """Put back on their line the characters of a font whose metrics place their boxes off the
    line they are drawn on (the digits and brackets of 建成15分钟 a line below; =24小时/日 split
    over two lines by a Latin font's box a few points lower than the Chinese one's): a box is
    made from the character's baseline where the box stands clear of where it would be."""
    height = page.height
    for char in page.chars:
        matrix, size = char.get("matrix"), char.get("size") or 0
        if not matrix or not size or not char.get("upright", True):
            continue
        baseline = height - matrix[5]
        shift = (baseline - 0.85 * size) - char["top"]
        if abs(shift) > 1.5:
            char["top"] += shift
            char["bottom"] += shift
            char["doctop"] += shift
            char["y0"] -= shift
            char["y1"] -= shift


_FULL_WIDTH = {"(": "（", ")": "）"}
_BESIDE_FULL_WIDTH = re.compile(r"\s+(?=[（）])|(?<=[（）])\s+")


def _full_width_brackets(page):
    """A bracket a Chinese font draws full width but codes as ASCII (its box is as wide as a
    character of the line's size) is the full-width bracket a reader sees: （正式合同额）. Its box,
    placed by the Latin metrics, stands apart from its neighbours; the space that makes is
    dropped with `_close_brackets`."""
    for char in page.chars:
        full = _FULL_WIDTH.get(char["text"])
        size = char.get("size") or 0
        if full and size and char["x1"] - char["x0"] >= 0.9 * size:
            char["text"] = full


_WORD_GAP = 3  # pdfplumber's x_tolerance: a wider gap between two characters parts two words
_LATIN = re.compile(r"[0-9A-Za-z]")
_HAN = re.compile(r"[\u4e00-\u9fff]")


def _spaced_scripts(page):
    """A gap of a quarter em or more between Latin letters or digits and Chinese characters on
    one line (12345 诉求件数, GDP 增速) is a space as the page shows it, however narrow the
    Latin font's space is: the Chinese character's box is started past the word gap so that
    the words part there."""
    chars = page.chars
    for before, after in zip(chars, chars[1:]):
        size = before.get("size") or 0
        gap = after["x0"] - before["x1"]
        if not size or abs((after.get("size") or 0) - size) > 0.5 or not 0.2 * size <= gap <= _WORD_GAP \
                or abs(after["bottom"] - before["bottom"]) > size / 2:
            continue
        scripts = (_LATIN.fullmatch(before["text"] or ""), _HAN.fullmatch(after["text"] or ""),
                   _HAN.fullmatch(before["text"] or ""), _LATIN.fullmatch(after["text"] or ""))
        if (scripts[0] and scripts[1]) or (scripts[2] and scripts[3]):
            after["x0"] = before["x1"] + _WORD_GAP + 0.1


def _close_brackets(text: str | None) -> str | None:
    """No space beside a full-width bracket: Chinese type sets none."""
    return _BESIDE_FULL_WIDTH.sub("", text) if text else text


def _overflowing(chars: list[dict]) -> list[dict]:
    """Characters a cell's text ran past its bottom rule with: drawn over the first character of
    the cell below (the same place, a fraction higher), where the page clips them."""
    places: dict[tuple[int, int], list[dict]] = {}
    for char in chars:
        places.setdefault((round(char["x0"]), round(char["top"] / 5)), []).append(char)
    out = []
    for (x, band), here in places.items():
        near = here + places.get((x, band + 1), []) + places.get((x, band - 1), [])
        for char in here:
            if any(other is not char and other["text"] != char["text"] and abs(other["x0"] - char["x0"]) < 1
                   and 0.3 < other["top"] - char["top"] < 0.6 * (char["bottom"] - char["top"]) for other in near):
                out.append(char)
    return out


def _back_up(texts: list[list[str | None]], table, overflow: list[dict]):
    """Give the line a cell's text ran past its bottom rule with back to that cell: the cell
    below is read again without it."""
    from pdfplumber.utils import extract_text

    rows = table.rows
    index = _CharIndex(table.page.chars)
    for r, row in enumerate(rows):
        for c, cell in enumerate(row.cells):
            above = next((k for k in range(r - 1, -1, -1) if texts[k][c] is not None), None)
            if cell is None or texts[r][c] is None or above is None:
                continue
            chars = index.centred_in(cell)
            ran = _overprinted(chars, overflow) or _ran_down(chars, cell, rows[above].cells[c], index)
            if ran:
                texts[r][c] = extract_text([ch for ch in chars if not any(ch is other for other in ran)])
                texts[above][c] = (texts[above][c] or "") + extract_text(ran)


def _clipped_below(texts: list[list[str | None]], table):
    """The last line of a cell on the table's bottom rule that starts above the rule and runs
    past it, where the page clips it (…提升医保基金监 / 管效能): the cell's, as the text layer has it."""
    from pdfplumber.utils import extract_text

    bottom = table.bbox[3]
    for r, row in enumerate(table.rows):
        for c, cell in enumerate(row.cells):
            if cell is None or texts[r][c] is None or abs(cell[3] - bottom) > 1:
                continue
            cut = [ch for ch in table.page.chars if cell[0] <= (ch["x0"] + ch["x1"]) / 2 <= cell[2]
                   and cell[1] <= ch["top"] < bottom - 1 and (ch["top"] + ch["bottom"]) / 2 > bottom]
            if cut:
                texts[r][c] = (texts[r][c] + "\n" if texts[r][c] else "") + extract_text(cut)


class _Boxes:
    """Boxes (x0, top, x1, bottom) by the bands of the page's height they reach into, to ask
    whether one holds a point without going through them all."""

    _BAND = 8.0

    def __init__(self, boxes: list):
        self.bands: dict[int, list] = {}
        for box in boxes:
            for band in range(int(box[1] // self._BAND), int(box[3] // self._BAND) + 1):
                self.bands.setdefault(band, []).append(box)

    def hold(self, x: float, y: float) -> bool:
        return any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in self.bands.get(int(y // self._BAND), ()))


class _CharIndex:
    """A page's characters by the height of their middles, to find those centred in a box
    without going through every character of the page for every cell."""

    def __init__(self, chars: list[dict]):
        self.placed = sorted(((ch["top"] + ch["bottom"]) / 2, (ch["x0"] + ch["x1"]) / 2, k, ch) for k, ch in enumerate(chars))
        self.heights = [middle_y for middle_y, _, _, _ in self.placed]

    def centred_in(self, box) -> list[dict]:
        """The characters whose middle stands in the box, in the page's order."""
        low, high = bisect.bisect_left(self.heights, box[1]), bisect.bisect_right(self.heights, box[3])
        found = [(k, ch) for _, middle_x, k, ch in self.placed[low:high] if box[0] <= middle_x <= box[2]]
        return [ch for _, ch in sorted(found, key=lambda pair: pair[0])]


def _overprinted(chars: list[dict], overflow: list[dict]) -> list[dict]:
    """The cell's first line where it is drawn over by the cell above's overflowing line."""
    flagged = [ch for ch in overflow if any(ch is other for other in chars)]
    if not flagged:
        return []
    line = min(ch["top"] for ch in flagged)
    if line > min(ch["top"] for ch in chars) + 0.3:
        return []  # not the cell's first line: overprinted text inside the cell, left as read
    return [ch for ch in chars if abs(ch["top"] - line) < 0.3]


def _ran_down(chars: list[dict], cell, above, page_chars: "_CharIndex") -> list[dict]:
    """The cell's first line where it is the end of the text of the cell above run past that
    cell's bottom rule: it starts on the rule between them, the cell's own text begins less than a
    line below it (two blocks, not one paragraph, whose lines stand further apart), and the text
    above fills its cell to less than half a line from the rule."""
    if not chars or above is None:
        return []
    first = min(ch["top"] for ch in chars)
    line = [ch for ch in chars if ch["top"] - first < 1.5]
    rest = [ch for ch in chars if ch["top"] - first >= 1.5]
    height = max(ch["bottom"] - ch["top"] for ch in line)
    if not rest or abs(first - cell[1]) > 1.5 or min(ch["top"] for ch in rest) - first > 1.1 * height:
        return []
    over = page_chars.centred_in(above)
    if not over or above[3] - max(ch["bottom"] for ch in over) > 0.5 * height:
        return []
    return line


def _printed(table, beside: list[dict], overflow: list[dict] = ()) -> PrintedTable:
    texts = [[_close_brackets(text) for text in row] for row in table.extract()]
    _back_up(texts, table, [char for char in overflow if _inside(char, table.bbox)])
    _clipped_below(texts, table)
    rows = table.rows
    edges = [[(cell[0], cell[2]) if cell else None for cell in row.cells] for row in rows]
    tops = [row.bbox[1] for row in rows]
    # A place no cell covers (no merged cell above reaches down to it) is an empty cell, not the
    # rest of a merged one: the rows below a merged project cell's end belong to another project.
    width = max((len(row) for row in texts), default=0)
    middles = []
    for j in range(width):
        found = sorted((e[0] + e[1]) / 2 for row in edges if j < len(row) and (e := row[j]))
        middles.append(found[len(found) // 2] if found else None)
    void = [False] * width  # the place above was one too: one run of them is one empty cell
    seen = [False] * width  # a cell stood above in the column: uncovered places at a table's top
    # are the rest of a merged cell the page before began
    for row, cells, placed in zip(texts, rows, edges):
        y = (cells.bbox[1] + cells.bbox[3]) / 2
        for j, text in enumerate(row):
            uncovered = text is None and middles[j] is not None and not any(
                x0 <= middles[j] <= x1 and top <= y <= bottom for x0, top, x1, bottom in table.cells)
            seen[j] = seen[j] or not uncovered
            if uncovered and not void[j] and seen[j]:
                row[j] = ""
                placed[j] = (middles[j] - 1, middles[j] + 1)
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
