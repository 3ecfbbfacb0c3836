"""The characters and rules PDFium reads on a page stand for those pdfminer reads: pdfplumber's
table finder, given either, finds the same tables with the same text, so a whole document reads
the same, only faster. Each page is read both ways, pdfminer's reading being the reference."""

import contextlib
import io
from pathlib import Path

import pdfplumber
import pypdfium2
import pytest

from document_corpus import SHARED
from goaltrace.forms.documents.pdf import _page_blocks
from goaltrace.forms.documents.pdfium_objects import opened, page_objects
from render_formats import to_pdf

SEED = Path(__file__).resolve().parents[2] / "data" / "forms" / "xiushan-justice-bureau-2023.txt"


@contextlib.contextmanager
def _both(data: bytes, number: int):
    """The page as pdfminer reads it and as PDFium does, each a pdfplumber page."""
    with pdfplumber.open(io.BytesIO(data)) as pdf, opened(data) as (_, page_of):
        fed = page_of(number)
        assert "_objects" in vars(fed)  # read by PDFium, not left to pdfminer
        yield pdf.pages[number - 1], fed


def _same_characters(mined, fed):
    """The same characters in the same order, each box within a hundredth of a point (PDFium
    keeps coordinates in single precision). A no-break space may come as a plain space: the two
    part words alike."""
    assert [c["text"].replace("\xa0", " ") for c in fed.chars] == [c["text"].replace("\xa0", " ") for c in mined.chars]
    for one, other in zip(fed.chars, mined.chars):
        for name in ("x0", "x1", "top", "bottom", "size"):
            assert one[name] == pytest.approx(other[name], abs=0.01), (one["text"], name)
        assert one["upright"] == other["upright"]


def _same_rules(mined, fed):
    """Each ruling edge has its counterpart, within a hundredth of a point."""
    def rules(page):
        return [(e["orientation"], e["x0"], e["top"], e["x1"], e["bottom"]) for e in page.edges if e["orientation"]]

    left = rules(mined)
    for edge in rules(fed):
        twin = next((k for k, other in enumerate(left) if _close(edge, other)), None)
        assert twin is not None, f"no such rule in pdfminer's reading: {edge}"
        left.pop(twin)
    assert not left, f"rules PDFium does not give: {left[:3]}"


def _same_tables(mined, fed):
    assert [t.extract() for t in fed.find_tables()] == [t.extract() for t in mined.find_tables()]


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> bytes:
    """The bundled declaration printed as a ruled PDF table, in a CJK font the PDF does not embed."""
    return to_pdf(SEED.read_text(encoding="utf-8"), tmp_path_factory.mktemp("pdfium") / "seed.pdf").read_bytes()


def test_a_rendered_form_reads_the_same_from_pdfium_as_from_pdfminer(rendered):
    with _both(rendered, 1) as (mined, fed):
        _same_characters(mined, fed)
        _same_rules(mined, fed)
        _same_tables(mined, fed)


def test_a_rotated_page_is_left_to_pdfminer(rendered):
    document = pypdfium2.PdfDocument(rendered)
    document[0].set_rotation(90)
    out = io.BytesIO()
    document.save(out)
    turned = pypdfium2.PdfDocument(out.getvalue())
    assert page_objects(turned[0], turned[0].get_textpage(), 1, 0) is None
    with opened(out.getvalue()) as (_, page_of):
        assert "_objects" not in vars(page_of(1))  # pdfminer will read it when asked


# Pages of the shared documents, each for what it prints in its own way.
REAL_PAGES = [
    ("Beijing_Health_Commission_2026_budget.pdf", 53),  # each character placed by itself, spaces as text objects of their own
    ("Xian_Finance_Bureau_2026_budget.pdf", 40),  # several characters in one text object; rules drawn as paths
    ("Guangzhou_Ecology_Environment_Bureau_Project_Targets_2026_budget.pdf", 9),  # a font that maps characters to Kangxi radicals
    ("Yantai_Civil_Affairs_Bureau_2026_budget.pdf", 40),  # a font whose ascent PDFium cannot use
    ("Guangzhou_Transport_Bureau_2026_budget.pdf", 50),  # a standard font the PDF does not embed
    ("Beijing_Capital_Greening_Committee_Office_2026_budget.pdf", 14),  # a hyphen at a line's end
]


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus/documents is not here")
@pytest.mark.parametrize("name, number", REAL_PAGES, ids=[f"{n.split('_20')[0]}-p{p}" for n, p in REAL_PAGES])
def test_a_published_page_reads_the_same_from_pdfium_as_from_pdfminer(name, number):
    data = (SHARED / name).read_bytes()
    with _both(data, number) as (mined, fed):
        _same_characters(mined, fed)
        _same_rules(mined, fed)
        assert _close(_page_blocks(fed), _page_blocks(mined))  # the tables and lines goaltrace reads


def _close(one, other) -> bool:
    """The same blocks, numbers within a hundredth."""
    if isinstance(one, float) or isinstance(other, float):
        return abs(one - other) < 0.01
    if hasattr(one, "__dataclass_fields__"):
        return type(one) is type(other) and all(_close(getattr(one, f), getattr(other, f)) for f in one.__dataclass_fields__)
    if isinstance(one, (list, tuple)):
        return isinstance(other, (list, tuple)) and len(one) == len(other) and all(_close(a, b) for a, b in zip(one, other))
    if isinstance(one, str) and isinstance(other, str):
        return one.replace("\xa0", " ") == other.replace("\xa0", " ")
    return one == other
