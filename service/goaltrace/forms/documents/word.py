"""Word documents (.docx, python-docx): paragraphs and tables in document order.

A cell merged across columns (gridSpan) or down rows (vMerge) keeps its text in its first
place and leaves the rest blank. A table row's place is `table N row M`; a paragraph's
`paragraph N`."""

import io

from ..grid import Row, table_row, text_row
from .cells import joined


def docx_rows(data: bytes) -> list[Row]:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    document = docx.Document(io.BytesIO(data))
    rows: list[Row] = []
    tables = paragraphs = 0
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraphs += 1
            text = Paragraph(block, document).text
            for line in text.split("\n"):
                rows.append(text_row(len(rows) + 1, line, f"paragraph {paragraphs}"))
        elif tag == "tbl":
            tables += 1
            table = Table(block, document)
            above: list = []
            for r, row in enumerate(table.rows, 1):
                cells, seen = [], []
                for column, cell in enumerate(row.cells):
                    repeated = any(cell._tc is s for s in seen)  # merged across columns
                    merged_down = column < len(above) and above[column] is cell._tc  # merged down rows
                    cells.append("" if repeated or merged_down else joined(cell.text))
                    seen.append(cell._tc)
                above = seen
                rows.append(table_row(len(rows) + 1, cells, f"table {tables} row {r}"))
    return rows
