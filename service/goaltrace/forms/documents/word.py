"""Word documents (.docx, python-docx): paragraphs and tables in document order.

A cell merged across columns (gridSpan) or down rows (vMerge) keeps its text in its first
place and leaves the rest blank. A table row's place is `table N row M`; a paragraph's
`paragraph N`."""

import io

from ..errors import LimitError
from ..grid import Row, table_row, text_row
from ..limits import MAX_ROW_CELLS, amount
from .cells import joined
from .package_scan import check_word


def docx_rows(data: bytes) -> list[Row]:
    import docx
    from docx.table import Table, _Cell
    from docx.text.paragraph import Paragraph

    check_word(data)  # paragraphs counted before python-docx builds each
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
            for r, tr in enumerate(table._tbl.tr_lst, 1):
                place = f"table {tables} row {r}"
                cells = []
                for tc in tr.tc_lst:
                    # Each cell's own marks, never a search up the column (python-docx's
                    # row.cells walks a vMerge chain to its top for every cell: quadratic).
                    span = max(1, tc.grid_span)
                    if len(cells) + span > MAX_ROW_CELLS:
                        raise LimitError("", len(rows) + 1, f"a row may have at most {amount(MAX_ROW_CELLS)} cells, "
                                                            f"found a cell spanning {amount(span)}", place)
                    merged_down = tc.vMerge == "continue"
                    cells += ["" if merged_down else joined(_Cell(tc, table).text)] + [""] * (span - 1)
                rows.append(table_row(len(rows) + 1, cells, place))
    return rows
