"""Excel workbooks (.xlsx with openpyxl, .xls with xlrd): every sheet, row by row.

A merged range keeps its value in its first cell and leaves the others blank, as a merged cell
comes out of a PDF; a sheet is read up to its last row and column that hold anything; numbers keep the value as written (2282.58) and percentages their sign;
a date cell reads as 2023-12-31. A row's place is its sheet and first cell: Sheet1!A5."""

import io

from ..errors import LimitError
from ..grid import Row, table_row
from ..limits import MAX_SHEET_CELLS, amount
from .cells import column_letter, date_text, joined, number_text
from .library_output import DISCARD
from .package_scan import check_workbook


def xlsx_rows(data: bytes) -> list[Row]:
    import datetime

    import openpyxl

    check_workbook(data)  # cells and merged ranges counted before openpyxl makes an object of each
    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)  # formulas as their last computed value
    extents = _text_extents(book)
    rows: list[Row] = []
    for sheet in book.worksheets:
        last_row, last_column = extents[sheet.title]
        for excel_row in sheet.iter_rows(max_row=last_row, max_col=last_column) if last_row else ():
            cells = []
            for cell in excel_row:
                value = cell.value
                if value is None:
                    cells.append("")
                elif isinstance(value, (datetime.date, datetime.datetime)):
                    cells.append(date_text(value))
                elif isinstance(value, (int, float)):
                    cells.append(number_text(value, cell.number_format))
                else:
                    cells.append(joined(str(value)))
            while cells and not cells[-1]:
                cells.pop()
            number = excel_row[0].row if excel_row else len(rows) + 1
            rows.append(table_row(len(rows) + 1, cells or [""], f"{sheet.title}!A{number}"))
    return rows


def _text_extents(book) -> dict[str, tuple[int, int]]:
    """Each sheet's last row and column that hold anything: what is read. Cells formatted but
    empty past them (a sheet's used range can reach XFD1048576) are never visited."""
    extents, laid_out = {}, 0
    for sheet in book.worksheets:
        filled = [key for key, cell in sheet._cells.items() if cell.value is not None and cell.value != ""]
        last_row = max((r for r, _ in filled), default=0)
        last_column = max((c for _, c in filled), default=0)
        extents[sheet.title] = (last_row, last_column)
        laid_out += last_row * last_column
        if laid_out > MAX_SHEET_CELLS:
            raise LimitError("", 1, f"a workbook's sheets may lay out at most {amount(MAX_SHEET_CELLS)} cells (rows "
                                    f"times columns up to the last that hold text), found text reaching "
                                    f"{column_letter(last_column - 1)}{last_row}",
                             f"{sheet.title}!{column_letter(last_column - 1)}{last_row}")
    return extents


def xls_rows(data: bytes) -> list[Row]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=False, logfile=DISCARD)  # xlrd prints otherwise
    laid_out = 0
    for sheet in book.sheets():
        laid_out += sheet.nrows * sheet.ncols
        if laid_out > MAX_SHEET_CELLS:
            corner = f"{column_letter(sheet.ncols - 1)}{sheet.nrows}"
            raise LimitError("", 1, f"a workbook's sheets may lay out at most {amount(MAX_SHEET_CELLS)} cells, found "
                                    f"cells reaching {corner}", f"{sheet.name}!{corner}")
    rows: list[Row] = []
    for sheet in book.sheets():
        for r in range(sheet.nrows):
            cells = []
            for c in range(sheet.ncols):
                cell = sheet.cell(r, c)
                if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK):
                    cells.append("")
                elif cell.ctype == xlrd.XL_CELL_DATE:
                    cells.append(date_text(xlrd.xldate_as_datetime(cell.value, book.datemode)))
                elif cell.ctype == xlrd.XL_CELL_NUMBER:
                    cells.append(number_text(cell.value))
                elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                    cells.append(number_text(bool(cell.value)))
                elif cell.ctype == xlrd.XL_CELL_ERROR:
                    cells.append("")
                else:
                    cells.append(joined(str(cell.value)))
            while cells and not cells[-1]:
                cells.pop()
            rows.append(table_row(len(rows) + 1, cells or [""], f"{sheet.name}!{column_letter(0)}{r + 1}"))
    return rows
