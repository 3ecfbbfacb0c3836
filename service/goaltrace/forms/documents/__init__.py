"""Documents → rows of cells: a spreadsheet, a Word file, a web page or a PDF read into the same
grid a text file gives (`grid.Row`), each row with its place in the document. Merged cells
come out as the text layout has them: the value in the first cell, the rest blank. Nothing
here knows a template; the form reader does the rest, the same for every format."""

from pathlib import Path

from ..errors import FormError
from ..grid import Row
from . import library_output, unreadable

library_output.silence()  # the libraries' own logs and warnings never reach the terminal

FORMATS = {
    ".txt": "text", ".xlsx": "xlsx", ".xlsm": "xlsx", ".xls": "xls", ".docx": "docx",
    ".html": "html", ".htm": "html", ".pdf": "pdf",
}


class DocumentRows(list):
    """A document's rows, with what the document says of itself beyond them: the notes on
    pages passed over (row number → notes, shown before that row by --explain) and the unit,
    year and kind its cover names (`pdf.Publication`), where it names them, and the lines of
    its project budget table (`budget_pages`), where it prints one."""

    def __init__(self, rows, notes: dict | None = None, publication=None, budget_lines=()):
        super().__init__(rows)
        self.notes = notes or {}
        self.publication = publication
        self.budget_lines = list(budget_lines)  # its project budget table, read from pages passed over


def is_document(path: str | Path) -> bool:
    return Path(path).suffix.lower() in FORMATS and Path(path).suffix.lower() != ".txt"


def document_rows(path: str, data: bytes) -> list[Row]:
    """The rows of a document, by its file name's suffix; a FormError names what is wrong."""
    kind = FORMATS.get(Path(path).suffix.lower())
    try:
        if kind == "xlsx":
            from .spreadsheet import xlsx_rows
            return xlsx_rows(data)
        if kind == "xls":
            from .spreadsheet import xls_rows
            return xls_rows(data)
        if kind == "docx":
            from .word import docx_rows
            return docx_rows(data)
        if kind == "html":
            from .web_page import html_rows
            refusal = unreadable.not_a_web_page(data)
            if refusal:
                raise FormError(path, 1, refusal)
            return html_rows(data)
        if kind == "pdf":
            from .pdf import read_pdf
            document = read_pdf(data)
            return DocumentRows(document.rows, document.notes, document.publication, document.budget_lines)
    except FormError as error:
        if error.path:
            raise
        raise error.at(path) from None
    except MemoryError:
        raise  # the reading worker's memory limit: it says so itself
    except Exception as error:  # a broken file: what it is instead, or what its library says; never a traceback
        raise FormError(path, 1, unreadable.message(kind, data, error)) from None
    raise FormError(path, 1, f"expected a file of a known format ({', '.join(sorted(FORMATS))}), found {Path(path).suffix or 'no suffix'}")
