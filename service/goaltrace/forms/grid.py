"""Text → rows of cells, each with its line number. Knows no template.

Forms reach a researcher as text that has passed through a PDF, a web page or a spreadsheet,
so a line may hold its cells separated by tabs, by pipes (a Markdown or ASCII table), by runs
of spaces, or it may hold a single cell (a page flattened one cell per line). `rows_of` keeps
every line and splits it by the separator it evidently uses; the template reader decides, from
a table's header, whether a table is read row by row or as a stream of cells.

Page furniture (— 1 —, 第 2 页, -3-) becomes a blank row: it is never part of a form.
"""

import re
from dataclasses import dataclass
from functools import cached_property

from .errors import LimitError
from .limits import MAX_CELL_CHARS, MAX_FILE_CELLS, MAX_ROW_CELLS, MAX_TEXT_LINES, amount
from .text import fold, key

_PAGE_MARKER = re.compile(
    r"^\s*(?:[—\-–_=·]+\s*[0-9０-９]+\s*[—\-–_=·]+|第\s*[0-9０-９]+\s*页(?:\s*[,，/]?\s*共\s*[0-9０-９]+\s*页)?"
    r"|[0-9０-９]+\s*/\s*[0-9０-９]+|(?:附表|附件|表)\s*[0-9０-９一二三四五六七八九十]+(?:\s*[-—]\s*[0-9０-９]+)?\s*[:：]?)\s*$"
)
_SPACE_RUN = re.compile(r"[ \u3000]{2,}")
_RULE = re.compile(r"^[\s|:+\-=—]*$")  # |---|---| and +===+ rules of text tables


@dataclass(frozen=True)
class Row:
    number: int  # the line, from 1 (a document's rows are numbered in reading order)
    text: str  # the line as written
    cells: tuple[str, ...]
    place: str | None = None  # where a document holds the row: Sheet1!A5, table 2 row 3, page 1 table 1 row 4
    doubts: tuple[str, ...] = ()  # what a document reader guessed in making the row (forms.review.REASONS)

    @cached_property
    def filled(self) -> list[str]:
        return [cell.strip() for cell in self.cells if cell.strip()]

    @cached_property
    def keys(self) -> list[str]:
        return [field_key(cell) for cell in self.filled]

    @cached_property
    def blank(self) -> bool:
        return not self.filled


def field_key(cell: str) -> str:
    """The key of a label cell: `其中: 财政拨款` → `财政拨款`, `年度资金总额：` → `年度资金总额`."""
    folded = key(cell).lstrip("*★")  # *年度绩效总目标: a required field's star
    return folded[2:].lstrip(":") if folded.startswith("其中") else folded


def split_line(line: str) -> tuple[str, ...]:
    """The cells of one line, by the separator it uses: tab, pipe, or a run of spaces."""
    if "\t" in line:
        return tuple(line.split("\t"))
    if "|" in line or "｜" in line:
        if _RULE.match(line) and len(re.sub(r"[\s|]", "", line)) >= 3:  # |---|, +===+; not a lone = cell
            return ("",)
        inner = line.strip().replace("｜", "|")
        inner = inner[1:] if inner.startswith("|") else inner
        inner = inner[:-1] if inner.endswith("|") else inner
        return tuple(inner.split("|"))
    if _SPACE_RUN.search(line.strip()):
        return tuple(_SPACE_RUN.split(line.strip()))
    return (line,)


def is_page_marker(line: str) -> bool:
    """Page furniture: — 1 —, 第 2 页, 3/10, and table numbers alone on a line (表十二, 附件2-1)."""
    text = fold(line).strip(" |")
    return bool(_PAGE_MARKER.match(text)) if text else False


def rows_of(text: str) -> list[Row]:
    """The rows of a text; a LimitError (its path left blank) for a text past the line count,
    or a line past a cell's length, that no form reaches."""
    count = text.count("\n") + (not text.endswith("\n"))
    if count > MAX_TEXT_LINES:
        raise LimitError("", MAX_TEXT_LINES + 1, f"a text may have at most {amount(MAX_TEXT_LINES)} lines, "
                                                 f"found {amount(count)}", f"line {amount(MAX_TEXT_LINES + 1)}")
    lines = [line.rstrip("\r") for line in text.split("\n")]
    if lines and lines[-1] == "":
        lines.pop()
    joined = _rejoin_wrapped_cells(lines)
    rows = []
    cells_in_all = 0
    for number, (line, cell_text) in enumerate(zip(lines, joined), 1):
        cells = ("",) if is_page_marker(cell_text) else split_line(cell_text)
        bounded(number, cells, f"line {number}")
        cells_in_all += len(cells)
        if cells_in_all > MAX_FILE_CELLS:
            raise too_many_cells(number, f"line {number}")
        rows.append(Row(number, line, cells))  # the text as written; the cells as re-joined
    return rows


def too_many_cells(number: int, place: str | None) -> LimitError:
    return LimitError("", number, f"a file may hold at most {amount(MAX_FILE_CELLS)} cells, found more", place)


def bounded(number: int, cells, place: str):
    """A row's cells, refused when one is longer than any cell of a form, or when there are
    more than a table has columns (a LimitError, path left blank)."""
    if len(cells) > MAX_ROW_CELLS:
        raise LimitError("", number, f"a row may have at most {amount(MAX_ROW_CELLS)} cells, found {amount(len(cells))}",
                         place)
    for column, cell in enumerate(cells, 1):
        if len(cell) > MAX_CELL_CHARS:
            where = place if len(cells) == 1 else f"{place} cell {column}"
            raise LimitError("", number, f"a cell may hold at most {amount(MAX_CELL_CHARS)} characters, "
                                         f"found {amount(len(cell))}", where)
    return cells


def _rejoin_wrapped_cells(lines: list[str]) -> list[str]:
    """In a page flattened one cell per line, each line closed by `|`, a line without the
    closing `|` is a cell wrapped onto the next line: join the two (the second line's place
    becomes blank, so that line numbers stay the file's). One pass: the last filled line
    above is carried along, never searched for."""
    filled = [line for line in lines if line.strip()]
    closed = sum(1 for line in filled if line.rstrip().endswith("|"))
    if not filled or closed < 0.6 * len(filled):
        return lines
    out = list(lines)
    above = ""  # the last filled line before out[i], as re-joined so far
    for i in range(len(out) - 1):
        here, below = out[i].rstrip(), out[i + 1].rstrip()
        if here and not here.endswith("|") and "|" not in here and below.endswith("|") and below.count("|") == 1 \
                and above.endswith("|") and not is_page_marker(here) and len(here) < 40:
            glue = "" if re.match(r"[\u2e80-\u9fff]", here[-1:] + below[:1]) or re.match(r"[\u2e80-\u9fff]", below[:1]) else " "
            out[i + 1] = here + glue + below.lstrip()
            out[i] = ""
        if out[i].strip():
            above = out[i].rstrip()
    return out


def table_row(number: int, cells: list[str], place: str) -> Row:
    """A row of a document's table: its cells as the document holds them (merged cells blank
    after the first), and a tab-separated text for provenance."""
    doubts = tuple(getattr(cells, "doubts", ()))  # page_tables.Guessed: the cells of a row made by a guess
    cells = bounded(number, [cell.replace("\t", " ").replace("\n", " ") for cell in cells], place)
    return Row(number, "\t".join(cells), tuple(cells), place, doubts)


def text_row(number: int, line: str, place: str) -> Row:
    """A line of running text in a document (a title, a paragraph), split as a text line is."""
    bounded(number, (line,), place)
    return Row(number, line, ("",) if is_page_marker(line) else split_line(line), place)
