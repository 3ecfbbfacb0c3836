"""What to say of a document its library could not open: what was expected, and what the file
is instead, from its first bytes (a PDF named .xlsx, a workbook named .docx, a zip archive cut
short, an .xls cut inside a sector), so that a reader learns what to do about it rather than
the library's own words (``IndexError: array index out of range``, ``'<_io.BytesIO object at
0x…>' is not a Word file``). Those words follow only where nothing better is known, on one
line and without the library's object names."""

import io
import re
import zipfile

EXPECTED = {
    "xlsx": "an Excel workbook (.xlsx, a zip archive of spreadsheet XML)",
    "xls": "an Excel 97-2003 workbook (.xls)",
    "docx": "a Word document (.docx, a zip archive of document XML)",
    "pdf": "a PDF document",
    "html": "a web page (HTML text)",
}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # the compound file an .xls or .doc is
_SECTOR = 512
_OBJECT = re.compile(r"'?<[\w.]+ object at 0x[0-9a-fA-F]+>'?")


def message(kind: str, data: bytes, error: Exception) -> str:
    """One line: what a `kind` file should be, and what this one is."""
    found = what_it_is(data)
    if found is None:
        return f"expected {EXPECTED[kind]}, found bytes of no known format ({library_words(error)})"
    found_kind, description, damage = found
    if found_kind != kind:
        rename = f"; rename it to .{found_kind}" if found_kind in EXPECTED else ""
        return f"expected {EXPECTED[kind]}, found {description}{rename}"
    if damage:
        return f"expected {EXPECTED[kind]}, found one {damage}"
    return f"expected {EXPECTED[kind]}, found one that its library cannot read ({library_words(error)})"


def not_a_web_page(data: bytes) -> str | None:
    """Why bytes named .html are no web page (a PDF, a workbook, binary data), or None."""
    found = what_it_is(data)
    if found and found[0] not in ("html", "text"):
        return message("html", data, ValueError("not HTML"))
    if b"\x00" in data[:8192] and not data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return f"expected {EXPECTED['html']}, found binary data (a NUL byte)"
    return None


def what_it_is(data: bytes) -> tuple[str, str, str | None] | None:
    """(kind, description, damage) of what the bytes evidently are (damage: how the file is
    evidently broken, or None), or None when nothing says."""
    if data.startswith(b"%PDF-"):
        return ("pdf", "a PDF document", None if b"%%EOF" in data[-2048:] else "cut short (no %%EOF at its end)")
    if data.startswith(_OLE2):
        if b"W\x00o\x00r\x00d\x00D\x00o\x00c\x00u\x00m\x00e\x00n\x00t" in data:
            return ("doc", "a Word 97-2003 document (.doc), which goaltrace does not read: save it as .docx", None)
        cut = len(data) % _SECTOR
        return ("xls", "an Excel 97-2003 workbook (.xls)",
                f"cut short: its {len(data)} bytes are not whole {_SECTOR}-byte sectors" if cut else None)
    if data.startswith(b"PK"):
        return _zip(data)
    head = data[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if head.startswith((b"<!doctype html", b"<html", b"<table", b"<meta", b"<head", b"<body")):
        return ("html", "a web page (HTML)", None)
    if head.startswith(b"{\\rtf"):
        return ("rtf", "an RTF document, which goaltrace does not read: save it as .docx", None)
    if data.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return ("image", "an image (a scan?): goaltrace reads text, not pictures", None)
    if b"\x00" not in data[:8192]:
        try:
            data[:8192].decode("utf-8")
        except UnicodeDecodeError as error:
            if error.start < 8188:  # not merely a character cut at the 8 KiB mark
                return None
        return ("text", "plain text: rename it to .txt", None)
    return None


def _zip(data: bytes) -> tuple[str, str, str | None]:
    try:
        names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        cut = "a zip archive cut short or damaged (its directory at the end is missing: an unfinished download?)"
        return ("zip", cut, None)
    if any(n.startswith("xl/") for n in names):
        return ("xlsx", "an Excel workbook (.xlsx)", None)
    if any(n.startswith("word/") for n in names):
        return ("docx", "a Word document (.docx)", None)
    if any(n.startswith("ppt/") for n in names):
        return ("pptx", "a PowerPoint presentation, which holds no form goaltrace reads", None)
    if "[Content_Types].xml" not in names:
        return ("zip", "a zip archive that is no Office document (it has no [Content_Types].xml)", None)
    return ("zip", "an Office zip archive of no kind goaltrace reads", None)


def library_words(error: Exception) -> str:
    """The library's message on one line, without object names, at most 120 characters."""
    text = _OBJECT.sub("the file", " ".join(str(error).split())) or "no detail"
    return f"{type(error).__name__}: {text[:120]}{'…' if len(text) > 120 else ''}"
