"""PDF files (pdfplumber): each page's ruled tables cell by cell, and its other text line by
line, in reading order (top to bottom). A cell merged over several rows or columns is blank
after its first place; text wrapped inside a cell is joined (`1598.\\n17` → 1598.17). A page
with no ruled table is read as text lines, which the form reader re-aligns by its header.
Places: `page 2 table 1 row 4`, `page 2 line 7`."""

import io

from ..grid import Row, table_row, text_row
from .cells import joined


def pdf_rows(data: bytes) -> list[Row]:
    import pdfplumber

    rows: list[Row] = []
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for number, page in enumerate(pdf.pages, 1):
            blocks = []  # (top, kind, payload)
            tables = page.find_tables()
            boxes = [table.bbox for table in tables]
            for t, table in enumerate(tables, 1):
                blocks.append((table.bbox[1], "table", (t, table.extract())))

            def outside(obj, boxes=boxes):
                middle_x = (obj["x0"] + obj["x1"]) / 2
                middle_y = (obj["top"] + obj["bottom"]) / 2
                return not any(x0 <= middle_x <= x1 and top <= middle_y <= bottom for x0, top, x1, bottom in boxes)

            text_page = page.filter(outside) if boxes else page
            for line in text_page.extract_text_lines():
                blocks.append((line["top"], "line", line["text"]))
            blocks.sort(key=lambda block: block[0])
            lines = 0
            for _, kind, payload in blocks:
                if kind == "line":
                    lines += 1
                    rows.append(text_row(len(rows) + 1, payload, f"page {number} line {lines}"))
                else:
                    t, table = payload
                    for r, cells in enumerate(table, 1):
                        rows.append(table_row(len(rows) + 1, [joined(cell) for cell in cells] or [""],
                                              f"page {number} table {t} row {r}"))
    return rows
