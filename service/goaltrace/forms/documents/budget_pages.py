"""The pages of a PDF budget publication that print its project budget table (项目支出预算情况表), read as each project's name and amount, for the check against the performance tables.

A whole PDF is read table by table only on the pages that can hold a performance table
(`pdf`); a project budget table is not one, so its pages are passed over. This reads those
pages too, and only those: a page is taken when a line at its top is the title of a project
budget table (`budget_table.is_project_budget_title`) and names no performance target, and the
page after it when its first table repeats the same header (the table goes on). Each page's
first ruled table goes through `budget_table.project_amounts`: a name and a total per project,
nothing else. Places are the page's: `page 25 table 1 row 4`.
"""

import re

from ..budget_table import BudgetLine, header_at, is_project_budget_title, project_amounts
from ..grid import Row, table_row
from ..text import key

_TOP = 6  # lines at a page's top that may hold its title (a table number, the title, the unit)
_UNIT_LINE = re.compile(r"单位[:：]\s*(?:万元|元)")
_NOT_BUDGET = ("绩效", "指标")  # a table of targets, read as a performance table


def titled_pages(texts: list[str]) -> list[int]:
    """The pages (from 1) whose top lines title a project budget table."""
    found = []
    for number, text in enumerate(texts, 1):
        top = [line for line in text.splitlines() if line.strip()][:_TOP]
        if any(is_project_budget_title(line) and not any(word in line for word in _NOT_BUDGET) for line in top):
            found.append(number)
    return found


def budget_lines(data: bytes, texts: list[str]) -> list[BudgetLine]:
    """The lines of the project budget tables a PDF prints (its page texts `texts`, from
    PDFium), in page order; none when no page is titled as one. Only those pages, and the
    pages that go on from them, are opened with pdfplumber."""
    pages = titled_pages(texts)
    if not pages:
        return []
    from .pdfium_objects import opened

    found: list[BudgetLine] = []
    header = None  # the header of the table the page before printed
    with opened(data) as (pdf, page_of):
        for number in range(pages[0], len(pdf.pages) + 1):
            titled = number in pages
            if not titled and header is None:
                continue
            rows = _page_rows(page_of(number), number, texts[number - 1])
            at = header_at(rows)
            if at is None or (not titled and rows[at[0]].cells != header):
                header = None  # no table here, or another one
                continue
            header = rows[at[0]].cells
            found += project_amounts(rows)
    return found


def _page_rows(page, number: int, text: str) -> list[Row]:
    """The page's unit line (单位：元, where it says so) as a row, then its first table's rows,
    a cell's lines joined as the name they wrap."""
    unit = next((line.strip() for line in text.splitlines() if _UNIT_LINE.search(key(line))), None)
    rows = [Row(0, unit, (unit,), f"page {number}")] if unit else []
    tables = page.find_tables()
    for r, cells in enumerate(tables[0].extract() if tables else [], 1):
        joined = [re.sub(r"\s*\n\s*", "", cell or "") for cell in cells]
        rows.append(table_row(0, joined, f"page {number} table 1 row {r}"))
    page.close()
    return rows
