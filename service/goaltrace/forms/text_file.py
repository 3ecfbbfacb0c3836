"""The bytes of a text form as text, in the encodings people save text in.

A byte order mark says what a file is, whatever ``--encoding`` says: UTF-8 with one (Notepad's
"UTF-8 with BOM"), UTF-16 (Notepad's and Excel's "Unicode", little-endian) and UTF-32. Without
one the file is read in the encoding asked for (UTF-8 unless ``--encoding`` says otherwise;
``--encoding utf-16`` reads UTF-16 with or without a mark). Line ends may be LF, CRLF or, as
old Mac programs wrote them, CR alone.

Text never holds NUL: a file with one is refused, the line named (where NUL bytes fill every
other byte, the message says it looks like UTF-16 without a mark). Other control characters
are left to `controls`, which removes them with a note.
"""

import codecs

from .errors import FormError

SNIFFED = 8192  # bytes looked at to tell UTF-16 without a byte order mark
_MARKS = (  # the longer first: UTF-32-LE's mark begins as UTF-16-LE's does
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)


def marked_encoding(data: bytes) -> str | None:
    """The encoding a byte order mark at the start of the data names, or None."""
    return next((encoding for mark, encoding in _MARKS if data.startswith(mark)), None)


def decode(data: bytes, path: str, encoding: str = "utf-8", empty: str = "text") -> str:
    """Bytes → text with LF line ends, or a FormError naming the line and what was found there.
    `empty` is what an empty file is said to lack."""
    if not data.strip():
        raise FormError(path, 1, f"expected {empty}, found an empty file")
    marked = marked_encoding(data)
    try:
        codec = marked or _codec(encoding)
    except LookupError:
        raise FormError(path, 1, f"expected a known text encoding, found {encoding!r}") from None
    name = {"utf-8-sig": "UTF-8", "utf-16": "UTF-16", "utf-32": "UTF-32"}[marked] if marked else encoding
    wide = codec.startswith(("utf-16", "utf-32"))
    if not wide and b"\x00" in data:
        hint = _wide_hint(data)
        line = 1 if hint else data[: data.index(b"\x00")].count(b"\n") + 1
        raise FormError(path, line, f"expected text (tab-separated, {'UTF-8' if codec == 'utf-8-sig' else name}), "
                                    f"found a NUL byte, which text never holds (binary data){hint}")
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as error:
        if error.end == len(data) and error.reason in ("unexpected end of data", "truncated data"):
            # Cut inside a character: read what is there; the layout check says where it ends.
            return decode(data[: error.start], path, encoding, empty)
        raise FormError(path, _line_at(data, error.start, codec),
                        f"expected {name} text, found the byte 0x{data[error.start]:02x}, which is not {name}"
                        f"{_hint(data, codec)}") from None
    if wide and "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise FormError(path, line, f"expected {name} text, found the character U+0000 (NUL), which text never holds")
    if "\r" in text:
        text = text.replace("\r\n", "\n")
        if "\n" not in text:  # CR alone ends each line, as old Mac programs wrote them
            text = text.replace("\r", "\n")
    return text


def _codec(encoding: str) -> str:
    name = codecs.lookup(encoding).name
    return "utf-8-sig" if name == "utf-8" else name


def _line_at(data: bytes, offset: int, codec: str) -> int:
    return data[:offset].decode(codec, errors="replace").count("\n") + 1


def _hint(data: bytes, codec: str) -> str:
    if codec.startswith("utf-8") or codec == "ascii":
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            return ""
        return "; the file reads as GB18030 — try --encoding gb18030"
    return ""


def _wide_hint(data: bytes) -> str:
    """Where NUL bytes fill every other byte, as in UTF-16 text without a byte order mark, say so."""
    head = data[:SNIFFED]
    even, odd = head[0::2].count(0), head[1::2].count(0)
    if max(even, odd) < len(head) // 8 or min(even, odd) > max(even, odd) // 4:
        return ""
    return f"; it looks like UTF-16 without a byte order mark — try --encoding utf-16-{'le' if odd > even else 'be'}"
