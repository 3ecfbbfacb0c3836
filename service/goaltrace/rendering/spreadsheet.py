"""Tables for spreadsheets, CSV and xlsx, whose cells are data and never code.

A form's text is written by whoever published it. Excel and LibreOffice run a CSV cell that
starts with ``=``, ``+``, ``-`` or ``@`` as a formula (``=HYPERLINK(…)``, ``+cmd|' /C calc'!A0``),
and look past tabs, carriage returns and spaces before deciding. So a text cell whose first
visible character is one of those is written with the usual ``'`` in front, which makes a
spreadsheet show it as text; in xlsx it is a string cell marked to stay text (never a
formula, not even once edited), with nothing added. A number (``-5``, ``-1.5e3``) is not a
formula: it stays as it is, a number in the spreadsheet. Control characters other than tab,
line feed and carriage return are shown as U+FFFD: they have no place in a cell, and xlsx
cannot hold them.

Every CSV and xlsx a person may open goes through here: the command line's exports and
``query --format csv``, the web's table downloads and the API's CSV and xlsx answers, and the
query page's download.
"""

import csv
import io
import re

BOM = "\ufeff"  # what tells Excel on a Chinese Windows that a CSV file is UTF-8, not GBK

FORMULA_START = frozenset("=+-@")
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def runs_as_formula(text: str) -> bool:
    """Whether a spreadsheet would take the text for a formula: its first character after any
    leading whitespace (tab and carriage return included) is =, +, - or @, and it is not a
    plain number."""
    visible = text.lstrip()
    return bool(visible) and visible[0] in FORMULA_START and not _NUMBER.fullmatch(visible)


def clean(text: str) -> str:
    """The text with control characters (but tab, line feed, carriage return) shown as U+FFFD."""
    return _CONTROL.sub("\ufffd", text)


def csv_cell(value) -> str:
    """A cell's text as CSV carries it: '' for None, numbers as they are, text cleaned and with
    a ``'`` in front where a spreadsheet would run it."""
    if value is None:
        return ""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    text = clean(str(value))
    return "'" + text if runs_as_formula(text) else text


def csv_text(header: list[str], rows, *, bom: bool = False, delimiter: str = ",", line_end: str = "\n") -> str:
    """A header and rows (lists of cells) as CSV (or TSV with ``delimiter="\\t"``), every cell
    through `csv_cell`; with `bom`, opened by the UTF-8 byte order mark."""
    out = io.StringIO()
    if bom:
        out.write(BOM)
    writer = csv.writer(out, delimiter=delimiter, lineterminator=line_end)
    writer.writerow([csv_cell(name) for name in header])
    writer.writerows([csv_cell(value) for value in row] for row in rows)
    return out.getvalue()


def guarded_csv(data: bytes, *, bom: bool = False) -> bytes:
    """CSV written elsewhere (a SPARQL CSV result: UTF-8, CRLF) with every cell through
    `csv_cell`, each line ended as it was."""
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    if not rows:
        return (BOM if bom else "").encode("utf-8")
    return csv_text(rows[0], rows[1:], bom=bom, line_end="\r\n").encode("utf-8")


def xlsx_bytes(sheet_name: str, header: list[str], rows) -> bytes:
    """A workbook of one sheet, the header row frozen: int and float cells as numbers, None as
    empty, everything else as a string cell (cleaned; never a formula)."""
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(sheet_name[:31])
    sheet.freeze_panes = "A2"
    sheet.append([_xlsx_cell(sheet, name) for name in header])
    for row in rows:
        sheet.append([_xlsx_cell(sheet, value) for value in row])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_cell(sheet, value):
    from openpyxl.cell import WriteOnlyCell

    if value is None or (isinstance(value, (int, float)) and not isinstance(value, bool)):
        return value
    text = clean(str(value))
    if not runs_as_formula(text):  # (text starting with = always is)
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"  # openpyxl would take text starting with = for a formula
    cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    return cell
