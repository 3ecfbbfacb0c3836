"""What a PDF holds, counted from its objects before any page is built: how many pages, how
large each page's content streams are once decompressed, and whether an object refers to
itself. pdfminer (under pdfplumber) follows such an object round for ever, and a small Flate
stream can unpack to gigabytes; both are refused here, with the page and what was found.

Only the structure is parsed (pdfminer's document and its objects); references are followed
here a bounded number of hops, never with pdfminer's own `resolve1`, which loops on them."""

import io
import re
import zlib

from ..errors import LimitError
from ..limits import MAX_PDF_PAGE_CONTENT, MAX_PDF_PAGES, amount, size

_HOPS = 32  # a chain of references longer than this goes round
_CHUNK = 1 << 20


def check_pdf(data: bytes) -> None:
    """Raise a LimitError (path left blank) for a PDF past a limit; anything pdfminer cannot
    parse at all is left to the readers, which say so."""
    from pdfminer.pdfdocument import PDFDocument
    from pdfminer.pdfparser import PDFParser
    from pdfminer.psparser import PSException

    try:
        document = PDFDocument(PDFParser(io.BytesIO(data)))
    except (PSException, Exception):  # noqa: BLE001 - a broken file is the readers' to name
        return
    _check_references(document, data)
    scan = _Scan(document)
    scan.pages()


def _check_references(document, data: bytes) -> None:
    """No object may be a reference that leads back round to itself (4 0 obj 4 0 R endobj).
    Such objects are found in the file's text and in its object streams, without parsing
    every object (a long publication has tens of thousands)."""
    refs = {int(a): int(b) for a, b in _BARE_REFERENCE.findall(data)}
    streams: set[int] = set()
    for xref in document.xrefs:
        for objid in xref.get_objids():
            try:
                strmid, _, _ = xref.get_pos(objid)
            except KeyError:
                continue
            if strmid is not None:
                streams.add(strmid)
    for strmid in streams:
        refs |= _bare_references_in(document, strmid)
    for start in refs:
        chain, objid = [start], refs[start]
        while objid in refs:
            if objid in chain or len(chain) > _HOPS:
                route = " → ".join(f"{n} 0 R" for n in [*chain, objid])
                raise LimitError("", 1, f"an object may not refer to itself, found object {start} that does ({route})",
                                 f"object {start}")
            chain.append(objid)
            objid = refs[objid]


_BARE_REFERENCE = re.compile(rb"(?<![0-9])([0-9]+)\s+[0-9]+\s+obj\s*([0-9]+)\s+[0-9]+\s+R\s*endobj")
_REFERENCE = re.compile(rb"\s*([0-9]+)\s+[0-9]+\s+R\s*")


def _bare_references_in(document, strmid: int) -> dict[int, int]:
    """The objects of an object stream whose whole value is a reference."""
    from pdfminer.pdftypes import PDFStream

    try:
        stream = document.getobj(strmid)
    except Exception:  # noqa: BLE001 - a broken object stream is the readers' to name
        return {}
    if not isinstance(stream, PDFStream):
        return {}
    data = _Scan(document).unpacked(stream, MAX_PDF_PAGE_CONTENT)
    if data is None:
        raise LimitError("", 1, f"an object stream may unpack to at most {size(MAX_PDF_PAGE_CONTENT)}, found more", f"object {strmid}")
    try:
        first = int(stream.attrs.get("First", 0))
        header = [int(n) for n in data[:first].split()]
    except (TypeError, ValueError):
        return {}
    ids, offsets = header[0::2], [first + n for n in header[1::2]] + [len(data)]
    found = {}
    for objid, begin, end in zip(ids, offsets, offsets[1:]):
        match = _REFERENCE.fullmatch(data[begin:end])
        if match:
            found[objid] = int(match.group(1))
    return found


class _Scan:
    def __init__(self, document):
        self.document = document

    def value(self, obj):
        from pdfminer.pdftypes import PDFObjRef

        for _ in range(_HOPS):
            if not isinstance(obj, PDFObjRef):
                return obj
            try:
                obj = self.document.getobj(obj.objid)
            except Exception:  # noqa: BLE001 - a dangling reference reads as nothing
                return None
        return None

    def pages(self) -> None:
        """Walk the page tree (each node once), counting pages and their content."""
        from pdfminer.pdftypes import PDFObjRef

        catalog = self.value(self.document.catalog) or {}
        if not isinstance(catalog, dict):
            return
        stack = [(catalog.get("Pages"), None)]
        seen: set[int] = set()
        number = 0
        while stack:
            node, inherited = stack.pop()
            if isinstance(node, PDFObjRef):
                if node.objid in seen:
                    continue
                seen.add(node.objid)
            node = self.value(node)
            if not isinstance(node, dict):
                continue
            resources = node.get("Resources", inherited)
            kids = self.value(node.get("Kids"))
            if isinstance(kids, list):
                stack.extend((kid, resources) for kid in reversed(kids))
                continue
            number += 1
            if number > MAX_PDF_PAGES:
                raise LimitError("", 1, f"a PDF may have at most {amount(MAX_PDF_PAGES)} pages, found more",
                                 f"page {number}")
            self.page(number, node, resources)

    def page(self, number: int, page: dict, resources) -> None:
        contents = self.value(page.get("Contents"))
        streams = [self.value(item) for item in contents] if isinstance(contents, list) else [contents]
        room = MAX_PDF_PAGE_CONTENT
        for stream in streams:
            room = self.spend(room, self.size(stream, room), number)
        self.forms(resources, room, number, set())

    def forms(self, resources, room: int, number: int, seen: set[int]) -> int:
        """The form XObjects a page draws hold content too: count them (each once)."""
        from pdfminer.pdftypes import PDFObjRef, PDFStream

        resources = self.value(resources)
        xobjects = self.value(resources.get("XObject")) if isinstance(resources, dict) else None
        if not isinstance(xobjects, dict):
            return room
        for ref in xobjects.values():
            if isinstance(ref, PDFObjRef):
                if ref.objid in seen:
                    continue
                seen.add(ref.objid)
            stream = self.value(ref)
            if not isinstance(stream, PDFStream) or _name(self.value(stream.attrs.get("Subtype"))) != "Form":
                continue
            room = self.spend(room, self.size(stream, room), number)
            room = self.forms(stream.attrs.get("Resources"), room, number, seen)
        return room

    @staticmethod
    def spend(room: int, used: int, number: int) -> int:
        if used > room:
            raise LimitError("", 1, f"a page's content may unpack to at most {size(MAX_PDF_PAGE_CONTENT)}, found more", f"page {number}")
        return room - used

    def size(self, stream, room: int) -> int:
        """The bytes a content stream unpacks to, counted no further than `room` + 1."""
        from pdfminer.pdftypes import PDFStream

        if not isinstance(stream, PDFStream):
            return 0
        data = self.unpacked(stream, room)
        return room + 1 if data is None else len(data)

    def unpacked(self, stream, room: int) -> bytes | None:
        """A stream's bytes unpacked, or None once they pass `room`."""
        if stream.data is not None:
            return stream.data if len(stream.data) <= room else None
        data = stream.rawdata or b""
        if stream.decipher and stream.objid is not None:
            data = stream.decipher(stream.objid, stream.genno, data, stream.attrs)
        filters = self.value(stream.attrs.get("Filter", stream.attrs.get("F")))
        for value in filters if isinstance(filters, list) else [filters] if filters else []:
            name = _name(self.value(value))
            if name in ("FlateDecode", "Fl"):
                data = _inflate(data, room)
            elif name in ("ASCII85Decode", "A85", "ASCIIHexDecode", "AHx", "LZWDecode", "LZW", "RunLengthDecode", "RL"):
                data = _decode(name, data)
            else:
                break  # an image's filter: not content
            if data is None or len(data) > room:
                return None
        return data


def _inflate(data: bytes, most: int) -> bytes | None:
    """A Flate stream decompressed, or None once past `most` bytes (never held whole)."""
    inflater = zlib.decompressobj()
    kept, size, pending = [], 0, data
    try:
        while True:
            chunk = inflater.decompress(pending, _CHUNK)
            pending = inflater.unconsumed_tail
            if not chunk and not pending:
                break
            size += len(chunk)
            if size > most:
                return None
            kept.append(chunk)
    except zlib.error:
        pass  # a corrupt stream: the reader makes what it can of it, as it does now
    return b"".join(kept)


def _decode(name: str, data: bytes) -> bytes:
    from pdfminer.ascii85 import ascii85decode, asciihexdecode
    from pdfminer.lzw import lzwdecode
    from pdfminer.runlength import rldecode

    try:
        if name in ("ASCII85Decode", "A85"):
            return ascii85decode(data)
        if name in ("ASCIIHexDecode", "AHx"):
            return asciihexdecode(data)
        if name in ("LZWDecode", "LZW"):
            return lzwdecode(data)
        return rldecode(data)
    except Exception:  # noqa: BLE001 - a corrupt stream is the readers' to name
        return data


def _name(value) -> str:
    return getattr(value, "name", value if isinstance(value, str) else "")
