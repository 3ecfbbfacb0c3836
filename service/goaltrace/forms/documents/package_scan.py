"""What an Office Open XML file (.xlsx, .docx: a zip of XML parts) holds, counted from its
parts as they stream out of the zip, before openpyxl or python-docx builds anything from them.

A 6.5 KB workbook can declare a merged range of 17 thousand million cells, and openpyxl makes
an object for each; a 1 MB Word file can unpack to ten million paragraphs, and python-docx
builds every one. Both are refused here with the sheet or part and what was found."""

import io
import re
import zipfile
from xml.etree.ElementTree import iterparse

from ..errors import LimitError
from ..limits import (
    MAX_MERGED_CELLS,
    MAX_PACKAGE_BYTES,
    MAX_PARAGRAPHS,
    MAX_SHEET_CELLS,
    amount,
    size,
)

_SHEET_NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
_WORD_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_REFERENCE = re.compile(r"^\$?([A-Za-z]{1,3})\$?([0-9]{1,7})$")


def package(data: bytes) -> zipfile.ZipFile | None:
    """The zip, once its parts are known to unpack to no more than the limit; None when it is
    no zip at all (the format's library then says what it is)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        return None
    # a part's declared size bounds what it unpacks to: zipfile stops there and checks the CRC
    unpacked = sum(info.file_size for info in archive.infolist())
    if unpacked > MAX_PACKAGE_BYTES:
        raise LimitError("", 1, f"an xlsx or docx may unpack to at most {size(MAX_PACKAGE_BYTES)}, "
                                f"found {size(unpacked)}", "whole file")
    return archive


def check_workbook(data: bytes) -> None:
    """Cells and merged ranges, all sheets together, within the limits; a LimitError names the
    sheet and the range or cell that passed one."""
    archive = package(data)
    if archive is None:
        return
    cells = merged = 0
    for part, title in _sheets(archive):
        try:
            stream = archive.open(part)
        except KeyError:
            continue
        for _, element in iterparse(stream):
            tag = element.tag
            if tag == f"{_SHEET_NS}c":
                cells += 1
                if cells > MAX_SHEET_CELLS:
                    raise LimitError("", 1, f"a workbook may hold at most {amount(MAX_SHEET_CELLS)} cells, found more",
                                     f"{title}!{element.get('r') or ''}".rstrip("!"))
                element.clear()
            elif tag == f"{_SHEET_NS}row":
                element.clear()
            elif tag == f"{_SHEET_NS}mergeCell":
                ref = element.get("ref") or ""
                covered = _size(ref)
                merged += covered
                if merged > MAX_MERGED_CELLS:
                    found = f"one covering {amount(covered)}" if covered > MAX_MERGED_CELLS else f"{amount(merged)} by this one"
                    raise LimitError("", 1, f"merged ranges may cover at most {amount(MAX_MERGED_CELLS)} cells, "
                                            f"found {found}", f"{title}!{ref}")
                element.clear()


def check_word(data: bytes) -> None:
    """The paragraphs of a Word file's body, those in table cells included, within the limit."""
    archive = package(data)
    if archive is None:
        return
    part = next((name for name in archive.namelist() if name.lower() in ("word/document.xml", "word/document2.xml")), None)
    if part is None:
        return
    paragraphs = 0
    for _, element in iterparse(archive.open(part)):
        if element.tag == f"{_WORD_NS}p":
            paragraphs += 1
            if paragraphs > MAX_PARAGRAPHS:
                raise LimitError("", 1, f"a Word file may have at most {amount(MAX_PARAGRAPHS)} paragraphs, found more",
                                 f"paragraph {amount(paragraphs)}")
            element.clear()
        elif element.tag == f"{_WORD_NS}tbl":
            element.clear()


def _sheets(archive: zipfile.ZipFile) -> list[tuple[str, str]]:
    """(part, sheet title) of every worksheet, titled as Excel shows them where the workbook
    says; a part the workbook does not name goes by its part name."""
    titled = {}
    try:
        from openpyxl.packaging.manifest import Manifest
        from openpyxl.reader.excel import _find_workbook_part
        from openpyxl.reader.workbook import WorkbookParser
        from openpyxl.xml.functions import fromstring

        manifest = Manifest.from_tree(fromstring(archive.read("[Content_Types].xml")))
        parser = WorkbookParser(archive, _find_workbook_part(manifest).PartName[1:])
        parser.parse()
        for sheet, rel in parser.find_sheets():
            titled[rel.target] = sheet.name
    except Exception:  # noqa: BLE001 - a workbook openpyxl cannot open: openpyxl will say so
        pass
    parts = [name for name in archive.namelist() if re.search(r"worksheets/[^/]+\.xml$", name)]
    return [(part, titled.get(part, part)) for part in dict.fromkeys([*titled, *parts])]


def _position(reference: str | None) -> tuple[int, int] | None:
    match = _REFERENCE.match(reference or "")
    if not match:
        return None
    column = 0
    for letter in match.group(1).upper():
        column = column * 26 + ord(letter) - 64
    return int(match.group(2)), column


def _size(ref: str) -> int:
    """The cells a range such as A1:XFD1048576 covers."""
    ends = [_position(end) for end in ref.split(":")]
    if not ends or None in ends:
        return 1
    (top, left), (bottom, right) = ends[0], ends[-1]
    return (abs(bottom - top) + 1) * (abs(right - left) + 1)
