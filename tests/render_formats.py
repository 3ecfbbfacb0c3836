"""Render a text form into the formats forms are published in — xlsx (openpyxl), xls (xlwt),
docx (python-docx), html and pdf (reportlab) — with merged cells as real forms have them.

Every row of the text becomes a table row. A cell followed by blank cells is merged across them,
and a level name (一级指标/二级指标 cells) is merged down over the blank cells below it: a merged
range shows its value once and is blank elsewhere, which is exactly what the text holds, so the
forms say the same thing in every format. Plain numbers are written as numbers, as a
spreadsheet holds them.
"""

import html
import re
from decimal import Decimal
from pathlib import Path

from goaltrace.forms.grid import rows_of

_NUMBER = re.compile(r"^-?[0-9]+(\.[0-9]+)?$")


def grid_of(text: str) -> list[list[str]]:
    rows = [[cell.strip() for cell in row.cells] for row in rows_of(text)]
    width = max(len(r) for r in rows)
    return [r + [""] * (width - len(r)) for r in rows]


def merges(grid: list[list[str]]) -> list[tuple[int, int, int, int]]:
    """(first row, first column, last row, last column) of each merged range, 0-based."""
    taken = [[False] * len(row) for row in grid]
    ranges = []
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if not cell or taken[r][c]:
                continue
            last_c = c
            while last_c + 1 < len(row) and not row[last_c + 1] and not taken[r][last_c + 1]:
                last_c += 1
            last_r = r
            if c <= 2 and last_c == c:  # a level-name column: merge down over blanks
                while last_r + 1 < len(grid) and not grid[last_r + 1][c] and not taken[last_r + 1][c] \
                        and any(grid[last_r + 1]):
                    last_r += 1
            if (last_r, last_c) != (r, c):
                ranges.append((r, c, last_r, last_c))
                for rr in range(r, last_r + 1):
                    for cc in range(c, last_c + 1):
                        taken[rr][cc] = True
    return ranges


def _value(cell: str):
    return float(cell) if _NUMBER.match(cell) and len(cell) < 15 else cell


def to_xlsx(text: str, path: Path) -> Path:
    import openpyxl

    grid = grid_of(text)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "绩效目标表"
    for r, row in enumerate(grid, 1):
        for c, cell in enumerate(row, 1):
            if cell:
                sheet.cell(r, c, _value(cell))
    for r0, c0, r1, c1 in merges(grid):
        sheet.merge_cells(start_row=r0 + 1, start_column=c0 + 1, end_row=r1 + 1, end_column=c1 + 1)
    book.save(path)
    return path


def to_xls(text: str, path: Path) -> Path:
    import xlwt

    grid = grid_of(text)
    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("Sheet1")
    ranges = merges(grid)
    covered = {(rr, cc) for r0, c0, r1, c1 in ranges for rr in range(r0, r1 + 1) for cc in range(c0, c1 + 1)}
    for r0, c0, r1, c1 in ranges:
        sheet.write_merge(r0, r1, c0, c1, _value(grid[r0][c0]))
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell and (r, c) not in covered:
                sheet.write(r, c, _value(cell))
    book.save(str(path))
    return path


def to_docx(text: str, path: Path) -> Path:
    import docx

    grid = grid_of(text)
    document = docx.Document()
    table = document.add_table(rows=len(grid), cols=len(grid[0]))
    cells = table._cells  # the grid's cells in one pass: table.cell() walks the whole table per call
    for r, row in enumerate(grid):
        for c, cell in enumerate(row):
            if cell:
                cells[r * len(grid[0]) + c].text = cell
    width = len(grid[0])
    for r0, c0, r1, c1 in merges(grid):  # ranges never overlap, so their corners are still in the table
        cells[r0 * width + c0].merge(cells[r1 * width + c1])
    document.save(path)
    return path


def to_html(text: str, path: Path) -> Path:
    grid = grid_of(text)
    ranges = {(r0, c0): (r1 - r0 + 1, c1 - c0 + 1) for r0, c0, r1, c1 in merges(grid)}
    covered = {(rr, cc) for (r0, c0), (rs, cs) in ranges.items()
               for rr in range(r0, r0 + rs) for cc in range(c0, c0 + cs)} - set(ranges)
    out = ["<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>绩效目标表</title></head><body>",
           "<p>页面导航 首页 &gt; 财政预决算</p><table border=\"1\">"]
    for r, row in enumerate(grid):
        cells = []
        for c, cell in enumerate(row):
            if (r, c) in covered:
                continue
            rs, cs = ranges.get((r, c), (1, 1))
            span = (f' rowspan="{rs}"' if rs > 1 else "") + (f' colspan="{cs}"' if cs > 1 else "")
            cells.append(f"<td{span}>{html.escape(cell)}</td>")
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table></body></html>")
    path.write_text("\n".join(out), encoding="utf-8")
    return path


def to_pdf(text: str, path: Path) -> Path:
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK")
    grid = grid_of(text)
    width = landscape(A4)[0] - 60
    ranges = merges(grid)
    data = [[Paragraph(html.escape(cell), style) if cell else "" for cell in row] for row in grid]
    table = Table(data, colWidths=[width / len(grid[0])] * len(grid[0]), repeatRows=0)
    commands = [("GRID", (0, 0), (-1, -1), 0.5, colors.black), ("VALIGN", (0, 0), (-1, -1), "TOP")]
    commands += [("SPAN", (c0, r0), (c1, r1)) for r0, c0, r1, c1 in ranges]
    table.setStyle(TableStyle(commands))
    SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=30, rightMargin=30).build([table])
    return path


RENDERERS = {"xlsx": to_xlsx, "xls": to_xls, "docx": to_docx, "html": to_html, "pdf": to_pdf}


def reading(declaration) -> tuple:
    """What a declaration says, apart from how it is written: unit, year, amounts, projects and
    every indicator's place, name and target. Names are compared as goaltrace matches them,
    without spaces: where a PDF wraps a cell's text at a space, nothing in the PDF says whether
    the space was there."""
    from goaltrace.forms.text import key

    def indicators(owner):
        return tuple((i.term, i.level1, i.level2, key(i.name), i.comparator, i.target.number, i.target.unit, i.weight)
                     for i in owner.indicators)

    def funds(owner):
        return tuple(sorted((f.spending, f.source, Decimal(f.amount)) for f in owner.funds))

    own = declaration.department_form
    return (declaration.department, declaration.year,
            (funds(own), indicators(own), tuple(g.number for g in own.goals)) if own else None,
            tuple((p.name, funds(p), indicators(p)) for p in declaration.projects))
