"""A PDF page's characters and painted paths as PDFium reads them, in the shape pdfplumber builds from pdfminer's layout.

Given to a pdfplumber page as its `Page.objects`, they let pdfplumber's table finder and text
tools run on a page whose content stream pdfminer never interprets.

pdfminer interprets a content stream in Python, token by token, and a page of ruled tables
takes it a large part of a second; PDFium has read the same page already, in C, for its text.
Each character is given the box pdfminer would give it: its advance width across, the font's
size high, standing on the font's descent below the baseline, through the character's own
matrix. Each painted path (stroked or filled; a clipping path is not painted) is split into
its subpaths and sorted as pdfminer sorts them: a single segment is a line, a closed
axis-aligned quadrilateral a rectangle, anything else a curve through its points.

Where PDFium's reading cannot stand for pdfminer's, `page_objects` gives None and the page is
read by pdfminer as before: a rotated page, a media box that does not start at 0 0, text
written vertically, a character PDFium reads with no font or a Unicode map error.
"""

import contextlib
import ctypes
import io
import re
import unicodedata

import pypdfium2.raw as pdfium_c
from pdfminer.fontmetrics import FONT_METRICS

_TEXT, _PATH, _FORM = pdfium_c.FPDF_PAGEOBJ_TEXT, pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_FORM
_MOVE, _LINE, _BEZIER = pdfium_c.FPDF_SEGMENT_MOVETO, pdfium_c.FPDF_SEGMENT_LINETO, pdfium_c.FPDF_SEGMENT_BEZIERTO
_IDENTITY = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class _Unreadable(Exception):
    """PDFium's reading of the page cannot stand for pdfminer's."""


def page_objects(page, textpage, number: int, doctop: float) -> dict[str, list[dict]] | None:
    """The page's `char`, `line`, `rect` and `curve` objects as pdfplumber's `Page.objects`
    holds them (page `number` from 1, starting `doctop` points down the document), from the
    pypdfium2 `page` and its `textpage`; None where pdfminer must read the page instead."""
    left, bottom, right, top = page.get_mediabox()
    if page.get_rotation() or left or bottom:
        return None
    height = top - bottom
    made = _Chars(number, height, doctop)
    objects: dict[str, list[dict]] = {}
    try:
        chars, owners = _text_layer(textpage, made)
        drawn = list(_drawn(page.raw))
        chars = _with_spaces(chars, owners, [(handle, matrix) for kind, handle, matrix in drawn if kind == _TEXT], made)
        if chars:
            objects["char"] = chars
        for path in (_painted(handle, matrix) for kind, handle, matrix in drawn if kind == _PATH):
            for kind, shape in _shapes(path) if path else []:
                objects.setdefault(kind, []).append(_placed(shape, kind, number, height, doctop))
    except _Unreadable:
        return None
    return objects


_HYPHEN = 0x02  # PDFium's code for a hyphen that ends a line
_KANGXI = range(0x2F00, 0x2FE0)  # Kangxi radicals (⼒ ⽣ ⾏), which some fonts map their characters to (力 生 行)
_SPACE = 0x20


class _Chars:
    """The page's characters as pdfplumber's dicts, each font's name, descent and widths looked up once."""

    def __init__(self, number: int, height: float, doctop: float):
        self.number, self.height, self.doctop = number, height, doctop
        self.fonts: dict[int, tuple[str, float]] = {}
        self.widths: dict[tuple, float] = {}
        self.width = ctypes.c_float()

    def char(self, code: int, matrix: tuple, font, size: float, adv: float | None = None) -> dict:
        """A character of the page as pdfminer boxes it: from the font's descent below the
        baseline, the font's size high, its advance width across (`adv`, or the width the
        font gives the character `code`), through its matrix."""
        if not font or not size:
            raise _Unreadable
        address = ctypes.cast(font, ctypes.c_void_p).value or 0
        if address not in self.fonts:
            self.fonts[address] = _font(font)
        name, descent = self.fonts[address]
        if adv is None:
            adv = self.widths.get((address, code, size))
        if adv is None:
            if not pdfium_c.FPDFFont_GetGlyphWidth(font, code, ctypes.c_float(size), ctypes.byref(self.width)):
                raise _Unreadable
            adv = self.widths[address, code, size] = self.width.value
        a, b, c, d, e, f = matrix
        low = descent * size
        corners = [(a * x + c * y + e, b * x + d * y + f) for x, y in ((0, low), (adv, low), (0, low + size), (adv, low + size))]
        x0, x1 = min(p[0] for p in corners), max(p[0] for p in corners)
        y0, y1 = min(p[1] for p in corners), max(p[1] for p in corners)
        height = self.height
        return {
            "matrix": matrix, "fontname": name, "adv": adv, "upright": a * d > 0 and b * c <= 0,
            "x0": x0, "y0": y0, "x1": x1, "y1": y1, "width": x1 - x0, "height": y1 - y0, "size": y1 - y0,
            "mcid": None, "tag": None, "text": _text(code), "object_type": "char", "page_number": self.number,
            "top": height - y1, "bottom": height - y0, "doctop": self.doctop + height - y1,
        }


def _text(code: int) -> str:
    """The character as pdfminer reads it: a Kangxi radical as the ideograph it stands for."""
    return unicodedata.normalize("NFKC", chr(code)) if code in _KANGXI else chr(code)


def _font(font) -> tuple[str, float]:
    """A font's name (with its subset prefix, as pdfminer gives it) and its descent for a size of one."""
    size = pdfium_c.FPDFFont_GetBaseFontName(font, None, 0)
    name = ctypes.create_string_buffer(size)
    pdfium_c.FPDFFont_GetBaseFontName(font, name, size)
    base = name.value.decode("latin-1")
    if base in FONT_METRICS and not pdfium_c.FPDFFont_GetIsEmbedded(font):
        # one of the fourteen standard fonts, drawn with a stand-in: pdfminer takes its descent
        # from the standard font's own metrics, PDFium from the stand-in's
        return base, FONT_METRICS[base][0].get("Descent", 0) / 1000
    descent = ctypes.c_float()
    if not pdfium_c.FPDFFont_GetDescent(font, ctypes.c_float(1.0), ctypes.byref(descent)):
        raise _Unreadable
    return base, descent.value


def _text_layer(textpage, made: _Chars) -> tuple[list[dict], list[int]]:
    """The characters PDFium's text page holds, in the page's order, and the text object each
    belongs to."""
    matrix, loose = pdfium_c.FS_MATRIX(), pdfium_c.FS_RECTF()
    matrix_ref, loose_ref = ctypes.byref(matrix), ctypes.byref(loose)
    x, y = ctypes.c_double(), ctypes.c_double()
    x_ref, y_ref = ctypes.byref(x), ctypes.byref(y)
    chars, owners = [], []
    objects: dict[int, tuple] = {}  # text object → its matrix, font size and font, the same for each of its characters
    for index in range(pdfium_c.FPDFText_CountChars(textpage)):
        if pdfium_c.FPDFText_IsGenerated(textpage, index):
            continue  # a space or line break PDFium adds, not one the page draws
        code = pdfium_c.FPDFText_GetUnicode(textpage, index)
        text_object = pdfium_c.FPDFText_GetTextObject(textpage, index)
        owner = ctypes.cast(text_object, ctypes.c_void_p).value
        if not owner or pdfium_c.FPDFText_HasUnicodeMapError(textpage, index):
            raise _Unreadable
        if owner not in objects:
            if not pdfium_c.FPDFText_GetMatrix(textpage, index, matrix_ref):
                raise _Unreadable
            objects[owner] = ((matrix.a, matrix.b, matrix.c, matrix.d), pdfium_c.FPDFText_GetFontSize(textpage, index),
                              pdfium_c.FPDFTextObj_GetFont(text_object))
        (a, b, c, d), size, font = objects[owner]
        # the character's matrix is its text object's, moved to where the character stands
        pdfium_c.FPDFText_GetCharOrigin(textpage, index, x_ref, y_ref)
        chars.append(made.char(0x2D if code == _HYPHEN else code, (a, b, c, d, x.value, y.value),
                               font, size, _advance(textpage, index, (a, b, c), size, x.value, (loose, loose_ref))))
        owners.append(owner)
    return chars, owners


def _advance(textpage, index: int, matrix: tuple, size: float, x: float, box) -> float | None:
    """The character's advance width in text space, from its loose box where PDFium makes that
    box from the font's metrics (it starts at the character's origin `x` and is the font's
    size high); None where it gives the glyph's own box instead (the width is then asked of
    the font). `matrix`: its a, b and c; `box`: an FS_RECTF and a reference to it, to fill."""
    loose, loose_ref = box
    a, b, c = matrix
    if not a or b or c or not pdfium_c.FPDFText_GetLooseCharBox(textpage, index, loose_ref):
        return None
    if abs(loose.left - x) > 0.01 or abs(loose.top - loose.bottom - a * size) > 0.01:
        return None
    return (loose.right - loose.left) / a


def _with_spaces(chars: list[dict], owners: list[int], texts: list[tuple], made: _Chars) -> list[dict]:
    """The characters with the spaces PDFium leaves out of its text page: a text object that
    draws nothing but a space (a page that places each character by itself) has no character
    there, where pdfminer has a space. Each goes after the characters of the text object drawn
    before it."""
    last = {owner: k for k, owner in enumerate(owners)}
    after: dict[int, list[dict]] = {}
    previous = -1
    for handle, matrix in texts:
        address = ctypes.cast(handle, ctypes.c_void_p).value
        if address in last:
            previous = last[address]
            continue
        left, bottom, right, top = (ctypes.c_float() for _ in range(4))
        if not pdfium_c.FPDFPageObj_GetBounds(handle, *(ctypes.byref(v) for v in (left, bottom, right, top))) \
                or right.value - left.value > 0.01:
            raise _Unreadable  # a text object that draws something PDFium did not read
        size = ctypes.c_float()
        pdfium_c.FPDFTextObj_GetFontSize(handle, ctypes.byref(size))
        after.setdefault(previous, []).append(made.char(_SPACE, matrix, pdfium_c.FPDFTextObj_GetFont(handle), size.value))
    if not after:
        return chars
    out = after.get(-1, [])
    for k, char in enumerate(chars):
        out.append(char)
        out += after.get(k, [])
    return out


def _drawn(parent, matrix=_IDENTITY, in_form=False):
    """(kind, handle, matrix to page space) of every text and path object a page or form draws, in order."""
    count = (pdfium_c.FPDFFormObj_CountObjects if in_form else pdfium_c.FPDFPage_CountObjects)(parent)
    get = pdfium_c.FPDFFormObj_GetObject if in_form else pdfium_c.FPDFPage_GetObject
    for index in range(count):
        handle = get(parent, index)
        kind = pdfium_c.FPDFPageObj_GetType(handle)
        if kind == _FORM:
            yield from _drawn(handle, _times(_matrix_of(handle), matrix), True)
        elif kind in (_PATH, _TEXT):
            yield kind, handle, _times(_matrix_of(handle), matrix)


def _painted(handle, matrix: tuple):
    """(segments in page space, line width, stroked, filled) of a path, or None for a path
    nothing paints (a clipping path)."""
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    if not pdfium_c.FPDFPath_GetDrawMode(handle, ctypes.byref(fill), ctypes.byref(stroke)):
        raise _Unreadable
    if not fill.value and not stroke.value:
        return None
    width = ctypes.c_float()
    pdfium_c.FPDFPageObj_GetStrokeWidth(handle, ctypes.byref(width))
    return _segments(handle, matrix), width.value, bool(stroke.value), bool(fill.value)


def _matrix_of(handle) -> tuple:
    m = pdfium_c.FS_MATRIX()
    if not pdfium_c.FPDFPageObj_GetMatrix(handle, ctypes.byref(m)):
        raise _Unreadable
    return (m.a, m.b, m.c, m.d, m.e, m.f)


def _times(first: tuple, then: tuple) -> tuple:
    """The matrix that applies `first`, then `then`."""
    a, b, c, d, e, f = first
    a2, b2, c2, d2, e2, f2 = then
    return (a * a2 + b * c2, a * b2 + b * d2, c * a2 + d * c2, c * b2 + d * d2, e * a2 + f * c2 + e2, e * b2 + f * d2 + f2)


def _segments(handle, matrix: tuple) -> list[tuple]:
    """A path as pdfminer records it: ('m', point), ('l', point), ('c', end point) and ('h',)."""
    a, b, c, d, e, f = matrix
    x, y = ctypes.c_float(), ctypes.c_float()
    out: list[tuple] = []
    bezier = 0
    for index in range(pdfium_c.FPDFPath_CountSegments(handle)):
        segment = pdfium_c.FPDFPath_GetPathSegment(handle, index)
        pdfium_c.FPDFPathSegment_GetPoint(segment, ctypes.byref(x), ctypes.byref(y))
        point = (a * x.value + c * y.value + e, b * x.value + d * y.value + f)
        kind = pdfium_c.FPDFPathSegment_GetType(segment)
        if kind == _BEZIER:
            bezier += 1
            if bezier % 3:
                continue  # a control point: pdfminer keeps a curve's end point only
            out.append(("c", point))
        else:
            bezier = 0
            out.append(("m" if kind == _MOVE else "l", point))
        if pdfium_c.FPDFPathSegment_GetClose(segment):
            out.append(("h",))
    return out


def _shapes(path) -> list[tuple[str, dict]]:
    """The lines, rectangles and curves pdfminer makes of a painted path, one per subpath."""
    segments, width, stroke, fill = path
    shape = "".join(s[0] for s in segments)
    out = []
    for match in re.finditer(r"m[^m]+", shape):
        part = segments[match.start():match.end()]
        start = part[0][1]
        points = [s[1] if s[0] != "h" else start for s in part]
        ops = shape[match.start():match.end()]
        if len(ops) > 3 and ops.endswith("lh") and points[-2] == points[0]:
            ops = ops[:-2] + "h"
            points.pop()
        common = {"linewidth": width, "stroke": stroke, "fill": fill}
        if ops in ("mlh", "ml"):
            out.append(("line", {**common, "pts": points[:2]}))
        elif ops in ("mlllh", "mllll") and points[0] == points[4] and _square(points):
            (x0, y0), (x1, y1) = points[0], points[2]
            out.append(("rect", {**common, "pts": [(x0, y0), (x1, y0), (x1, y1), (x0, y1)]}))
        else:
            out.append(("curve", {**common, "pts": points}))
    return out


def _square(points: list) -> bool:
    (x0, y0), (x1, y1), (x2, y2), (x3, y3) = points[:4]
    return (x0 == x1 and y1 == y2 and x2 == x3 and y3 == y0) or (y0 == y1 and x1 == x2 and y2 == y3 and x3 == x0)


def _placed(shape: dict, kind: str, number: int, height: float, doctop: float) -> dict:
    """A shape's box and points as pdfplumber gives them: y measured down from the page's top."""
    points = shape["pts"]
    x0, x1 = min(p[0] for p in points), max(p[0] for p in points)
    y0, y1 = min(p[1] for p in points), max(p[1] for p in points)
    return {
        **shape, "object_type": kind, "page_number": number, "pts": [(x, height - y) for x, y in points],
        "x0": x0, "y0": y0, "x1": x1, "y1": y1, "width": x1 - x0, "height": y1 - y0,
        "top": height - y1, "bottom": height - y0, "doctop": doctop + height - y1,
    }


@contextlib.contextmanager
def opened(data: bytes):
    """pdfplumber's reading of a PDF, and `page(number)`: its page (from 1) with the objects
    PDFium reads on it, where they can stand for pdfminer's."""
    import pdfplumber
    import pypdfium2

    document = pypdfium2.PdfDocument(data)
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            def page(number: int):
                one = pdf.pages[number - 1]
                feed(one, document)
                return one

            yield pdf, page
    finally:
        document.close()


def feed(page, document) -> bool:
    """Give pdfplumber's `page` the objects PDFium reads on the same page of `document` (a
    pypdfium2 PdfDocument of the same bytes), so that pdfminer does not read it; False, and the
    page left to pdfminer, where PDFium's reading cannot stand for it."""
    number = page.page_number
    pdfium_page = document[number - 1]
    textpage = pdfium_page.get_textpage()
    try:
        objects = page_objects(pdfium_page, textpage, number, page.initial_doctop)
    finally:
        textpage.close()
        pdfium_page.close()
    if objects is None:
        return False
    page._objects = objects  # pdfplumber's own cache of the page's objects, read by everything it derives
    return True
