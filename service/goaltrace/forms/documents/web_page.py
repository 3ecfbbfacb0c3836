"""Web pages (.html, .htm): tables cell by cell, honouring rowspan and colspan, and the text
around them line by line, in page order. A table row's place is `table N row M`; a line of
text `text line N`. Scripts and styles are skipped."""

from html.parser import HTMLParser

from ..errors import LimitError
from ..grid import Row, table_row, text_row
from ..limits import MAX_TABLE_CELLS, MAX_TEXT_LINES, amount
from .cells import joined

_BLOCKS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "br", "tr", "title", "section", "article",
           "header", "footer", "dt", "dd", "caption", "pre", "blockquote"}


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.blocks: list = []  # ("text", str) and ("table", [[(text, rowspan, colspan)]])
        self.text: list[str] = []
        self.tables: list = []  # open tables, innermost last: each a list of rows
        self.cell: list[str] | None = None
        self.span = (1, 1)
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style", "noscript"):
            self.skip += 1
        elif tag == "table":
            self._flush()
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            if not self.tables[-1]:
                self.tables[-1].append([])
            found = dict(attrs)
            self.cell = []
            self.span = (_count(found.get("rowspan")), _count(found.get("colspan")))
        elif tag == "br":
            (self.cell if self.cell is not None else self.text).append("\n")
        elif tag in _BLOCKS and self.cell is None:
            self._flush()

    def handle_endtag(self, tag):
        if tag in ("script", "style", "noscript"):
            self.skip = max(0, self.skip - 1)
        elif tag in ("td", "th") and self.cell is not None and self.tables:
            self.tables[-1][-1].append((joined("".join(self.cell)), *self.span))
            self.cell = None
        elif tag == "table" and self.tables:
            table = self.tables.pop()
            if self.tables and self.cell is not None:  # a table inside a cell: its text joins the cell
                self.cell.append(" ".join(text for row in table for text, _, _ in row))
            else:
                self.blocks.append(("table", table))
        elif tag in _BLOCKS and self.cell is None:
            self._flush()

    def handle_data(self, data):
        if self.skip:
            return
        (self.cell if self.cell is not None else self.text).append(data)

    def _flush(self):
        text = "".join(self.text)
        self.text = []
        for line in text.split("\n"):
            if line.strip():
                self.blocks.append(("text", " ".join(line.split())))

    def close(self):
        super().close()
        self._flush()
        while self.tables:
            self.blocks.append(("table", self.tables.pop(0)))


def _count(value) -> int:
    try:
        return max(1, min(int(value), 1000))
    except (TypeError, ValueError):
        return 1


def _grid(table) -> list[list[str]]:
    """Lay out rows of (text, rowspan, colspan): a spanning cell's text in its first place,
    blanks where it reaches."""
    grid: list[list[str | None]] = []
    for r, row in enumerate(table):
        while len(grid) <= r:
            grid.append([])
        column = 0
        for text, rowspan, colspan in row:
            while column < len(grid[r]) and grid[r][column] is not None:
                column += 1
            for dr in range(rowspan):
                while len(grid) <= r + dr:
                    grid.append([])
                target = grid[r + dr]
                while len(target) < column + colspan:
                    target.append(None)
                for dc in range(colspan):
                    target[column + dc] = text if (dr, dc) == (0, 0) else ""
            column += colspan
    return [[cell or "" for cell in row] for row in grid]


def _check_size(blocks: list):
    """The page's lines of text and the cells its tables lay out (a cell spanning 3 rows and 2
    columns lays out 6), counted before any table is laid out."""
    lines = laid_out = tables = 0
    for kind, block in blocks:
        if kind == "text":
            lines += 1
            if lines > MAX_TEXT_LINES:
                raise LimitError("", 1, f"a web page may have at most {amount(MAX_TEXT_LINES)} lines of text, found more",
                                 f"text line {amount(lines)}")
            continue
        tables += 1
        laid_out += sum(rowspan * colspan for row in block for _, rowspan, colspan in row)
        if laid_out > MAX_TABLE_CELLS:
            raise LimitError("", 1, f"a web page's tables may lay out at most {amount(MAX_TABLE_CELLS)} cells, "
                                    f"found {amount(laid_out)} by the end of this table (rowspan times colspan)",
                             f"table {tables}")


def html_rows(data: bytes) -> list[Row]:
    text = _decode(data)
    page = _Page()
    page.feed(text)
    page.close()
    _check_size(page.blocks)
    rows: list[Row] = []
    tables = lines = 0
    for kind, block in page.blocks:
        if kind == "text":
            lines += 1
            rows.append(text_row(len(rows) + 1, block, f"text line {lines}"))
        else:
            tables += 1
            for r, cells in enumerate(_grid(block), 1):
                rows.append(table_row(len(rows) + 1, cells or [""], f"table {tables} row {r}"))
    return rows


def _decode(data: bytes) -> str:
    """The encoding a byte order mark names (a page saved as "Unicode"), UTF-8, or the charset
    the page declares (GB2312/GBK pages are common)."""
    import re

    from ..text_file import marked_encoding

    marked = marked_encoding(data)
    head = data[:2048].decode("ascii", errors="replace")
    declared = re.search(r"charset=[\"']?([A-Za-z0-9_-]+)", head)
    for encoding in ([marked] if marked else []) + ([declared.group(1)] if declared else []) + ["utf-8-sig", "gb18030"]:
        try:
            return data.decode({"gb2312": "gb18030", "gbk": "gb18030"}.get(encoding.lower(), encoding))
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")
