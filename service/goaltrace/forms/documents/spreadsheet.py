"""Excel workbooks (.xlsx with openpyxl, .xls with xlrd): every sheet, row by row.

A merged range keeps its value in its first cell and leaves the others blank, as a merged cell
comes out of a PDF; numbers keep the value as written (2282.58) and percentages their sign;
a date cell reads as 2023-12-31. A row's place is its sheet and first cell: Sheet1!A5."""

import io

from ..grid import Row, table_row
from .cells import column_letter, date_text, joined, number_text
from .library_output import DISCARD


def xlsx_rows(data: bytes) -> list[Row]:
    import datetime

    import openpyxl

    book = openpyxl.load_workbook(io.BytesIO(data), data_only=True)  # formulas as their last computed value
    rows: list[Row] = []
    for sheet in book.worksheets:
        for excel_row in sheet.iter_rows():
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


def xls_rows(data: bytes) -> list[Row]:
    import xlrd

    book = xlrd.open_workbook(file_contents=data, formatting_info=False, logfile=DISCARD)  # xlrd prints otherwise
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
