"""Control characters out of a file's rows, each removal noted.

NUL, escape, bell, DEL, the C1 controls and their kind mean nothing in a form, yet they reach
a reader's cells from a damaged text file, a PDF's text layer or a web page; stored, they
would end up in labels, IRIs and every export. Every row a file gives (text or document) comes
through here before it is read: line and page breaks inside a line (VT, FF, a CR alone, NEL)
become a space, the rest are removed, and the row's reading says what was removed. Tab and
line feed are left: they are how text separates cells and lines.
"""

import re

from .grid import Row

_BREAKS = "\x0b\x0c\r\x85"  # vertical tab (Word's line break), form feed (a page break), CR, next line
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NAMES = {0x00: "NUL", 0x0B: "VT", 0x0C: "FF", 0x0D: "CR", 0x1B: "ESC", 0x7F: "DEL", 0x85: "NEL"}


class CleanedRows(list):
    """Rows with `removed`: (line, note) for each row that held control characters."""

    removed: list


def cleaned(rows: list[Row]) -> list[Row]:
    """The rows without control characters. When none has any, the rows as they were;
    otherwise the same kind of list (a document's keeps what it says of itself) with
    ``removed``, the notes for the reading."""
    if not any(_CONTROL.search(row.text) or any(_CONTROL.search(cell) for cell in row.cells) for row in rows):
        return rows
    out, removed = [], []
    for row in rows:
        found = {c for text in (row.text, *row.cells) for c in _CONTROL.findall(text)}
        if not found:
            out.append(row)
            continue
        out.append(Row(row.number, _clean(row.text), tuple(_clean(cell) for cell in row.cells), row.place,
                       row.doubts))
        names = ", ".join(_name(c) for c in sorted(found))
        note = f"control characters taken out of this row ({names}): a line or page break as a space, the others removed"
        removed.append((row.number, note))
    if type(rows) is list:
        result = CleanedRows(out)
    else:  # a document's rows: keep its notes and publication
        result = type(rows).__new__(type(rows))
        result.__dict__.update(rows.__dict__)
        result.extend(out)
    result.removed = removed
    return result


def _clean(text: str) -> str:
    return _CONTROL.sub(lambda m: " " if m.group() in _BREAKS else "", text)


def _name(c: str) -> str:
    code = ord(c)
    return f"U+{code:04X}" + (f" {_NAMES[code]}" if code in _NAMES else "")
