"""What a file may hold and still be a form: the bounds each reader checks before it builds
anything, so that a small file cannot make the reading take gigabytes or hours. Each is far
above what a real form or a real 150-page budget publication holds (see README, Security)."""

MAX_CELL_CHARS = 20_000  # characters in one cell, one line of text or one paragraph
MAX_NAME_CHARS = 300  # characters in a name that goes into IRIs: unit, project, person
MAX_TEXT_LINES = 200_000  # lines of a text file
MAX_ROW_CELLS = 5_000  # cells of one row or line
MAX_FILE_CELLS = 1_000_000  # cells of all the rows of a file: what the form reader goes through
MAX_SHEET_CELLS = 1_000_000  # cells a workbook lays out: each sheet's rows up to its last cell that holds text
MAX_MERGED_CELLS = 1_000_000  # cells a workbook's merged ranges cover, all together
MAX_PACKAGE_BYTES = 256 << 20  # bytes an xlsx or docx (a zip) unpacks to
MAX_PARAGRAPHS = 200_000  # paragraphs of a Word file, those in table cells included
MAX_TABLE_CELLS = 1_000_000  # cells a web page's tables lay out, spans counted as the cells they cover
MAX_PDF_PAGES = 2_000
MAX_PDF_PAGE_CONTENT = 16 << 20  # bytes a PDF page's content streams (and an object stream) unpack to


def amount(number: int) -> str:
    """A count as a message shows it: 1,000,000."""
    return f"{number:,}"


def size(number: int) -> str:
    """Bytes as a message shows them: 16 MiB, 1.5 GiB, 700 bytes."""
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if number >= scale:
            return f"{number / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{number:,} bytes"
