"""Whole published documents (department budgets and final accounts) from
../shared/corpus/documents, read against their hand readings in tests/fixtures/documents.

Each test reads a document cut down to its cover and its hand-read pages (the benchmark,
bench/documents.py, reads every page). Forms that do not yet read exactly are listed in
KNOWN_DIFFERENCES and expected to fail (strictly: one that starts reading exactly fails the
test until it is taken off the list). Skipped where the shared folder is absent.
"""

import io
import subprocess
import sys

import pytest

from document_corpus import (
    documents,
    expected_rows,
    expected_rows_named,
    match,
    pages_to_read,
    read_document,
    read_forms,
)
from goaltrace.forms import FormError
from goaltrace.forms.documents import DocumentRows
from goaltrace.forms.documents.pdf import read_pdf
from goaltrace.forms.parser import parse_rows, read_rows
from goaltrace.forms.text import key

DOCUMENTS = documents()
pytestmark = pytest.mark.skipif(not DOCUMENTS, reason="../shared/corpus/documents is not here")

# Forms the reader does not read exactly yet (document stem, form name or kind), each with
# the kind of difference; `bench/documents.py -v` shows the rows.
KNOWN_DIFFERENCES = dict.fromkeys([
    ("Guangzhou_Transport_Bureau_2026_budget", "广州市道路养护中心东城养护所2026年度公路养护专用机械购置经费"),  # targets in prose a person turns into indicators
    ("Xian_CPC_Publicity_Department_2021_budget", "department"),  # level cells of two lines overprinted in one (可持指续标影响)
    ("Quanzhou_Municipal_Government_Office_2026_budget", "department"),  # levels outside the national catalogue (一般性支出情况)
    ("Beijing_Health_Commission_2026_budget", "公共卫生及计划生育扶助保障共同事权转移支付-基本公共卫生服务方向"),  # an empty level-2 cell of its own, filled from above (flagged)
    ("Ningde_Municipal_Government_Office_2024_final-accounts", "department-selfeval"),  # 一般性支出情况 levels in a self-evaluation
], "some rows differ from the hand reading")


def _forms():
    for document in DOCUMENTS:
        for form in document.forms() + document.evaluations():
            yield pytest.param(document, form, id=f"{document.name}:{form.get('name') or form['kind']}",
                               marks=_same_worker(document))


def _same_worker(document):
    """The tests of one document run in one worker (with --dist loadgroup, the project's
    default), which reads the document once for all of them."""
    return pytest.mark.xdist_group(document.name)


def _known(document, form) -> str | None:
    stem = document.name.split("/", 1)[1]
    return KNOWN_DIFFERENCES.get((stem, "*")) or KNOWN_DIFFERENCES.get((stem, form.get("name") or form["kind"]))


@pytest.mark.parametrize("document, form", list(_forms()))
def test_every_hand_read_form_reads_as_a_person_reads_it(document, form, request):
    reason = _known(document, form)
    if reason:
        request.applymarker(pytest.mark.xfail(reason=reason, strict=True))
    read = read_document(document.path, pages_to_read(document))
    got = match(form, read_forms(read))
    want = expected_rows_named(document, form)
    if not want:  # a template printed blank reads as nothing
        assert got is None or not got["rows"]
        return
    assert got is not None, f"no form read for {form.get('name') or form['kind']}"
    assert sorted(got["rows"]) == sorted(want)


@pytest.mark.parametrize("document", [pytest.param(d, id=d.name, marks=_same_worker(d)) for d in DOCUMENTS
                                      if not d.evaluations()])
def test_the_unit_and_year_come_from_the_document_itself(document):
    if _known(document, {"kind": "*"}):
        pytest.skip("the document does not read")
    declaration = read_document(document.path, pages_to_read(document))
    assert declaration.year == document.expected["year"]
    assert key(declaration.department) == key(document.expected["unit"])


def test_a_final_account_gives_every_self_evaluation_it_holds():
    (document,) = [d for d in DOCUMENTS if d.expected["file"].startswith("National_Public_Complaints")]
    evaluations = read_document(document.path, pages_to_read(document))
    assert sorted(e.project for e in evaluations) == sorted(f["name"] for f in document.evaluations())
    assert {e.year for e in evaluations} == {2024}


def test_pages_that_hold_no_performance_table_are_passed_over_and_said_to_be(tmp_path):
    (document,) = [d for d in DOCUMENTS if d.expected["file"].startswith("Xian_Public_Security")]
    result = subprocess.run([sys.executable, "-m", "goaltrace.cli", "import", "--store", ":memory:", "--explain",
                             str(document.path)], capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr
    assert "pages 1-50: passed over (no performance table)" in result.stdout
    assert "the document: 西安市公安局, 2026, budget" in result.stdout


def test_a_scanned_document_is_refused_with_the_page_and_advice():
    scanned = DOCUMENTS[0].path.parent / "Changsha_Finance_Bureau_Fund_Notice_Scanned_2025_budget.pdf"
    with pytest.raises(FormError) as error:
        read_rows(scanned)
    assert "page 1 has no text layer; OCR it first" in str(error.value)
    assert str(error.value).startswith(str(scanned))


def test_a_wide_table_of_projects_gives_each_amount_by_its_source():
    """Guangzhou's one table of many projects prints each project's total beside its parts
    (总计 | 财政拨款 | 财政专户拨款 | 其他资金): the parts are amounts of their sources, not cells
    left unmapped. Read by hand from page 1: 238.00 in all, 238.00 of it appropriated."""
    (document,) = [d for d in DOCUMENTS if d.expected["file"].startswith("Guangzhou_Ecology_Environment_Bureau_Project")]
    declaration = read_document(document.path, (1,))
    first = declaration.projects[0]
    assert first.name == "广州市镇（街）园区环保监督检查员经费（越秀区）"
    assert sorted((f.source, str(f.amount)) for f in first.funds) == [("all", "238.00"), ("appropriation", "238.00")]
    assert not [u for u in declaration.unmapped if "a project column the reader does not map" in u.context]


def _turned(path, pages: tuple[int, ...], turn: int) -> bytes:
    """A copy of some pages of a real document as a rotated page is published: its content drawn
    turned on a page of the other orientation, and the page's /Rotate turning it back upright
    (what a viewer shows is the page as printed)."""
    import pypdfium2

    source = pypdfium2.PdfDocument(str(path))
    copy = pypdfium2.PdfDocument.new()
    for number in pages:
        width, height = source[number - 1].get_size()
        drawn = source.page_as_xobject(number - 1, copy).as_pageobject()
        # (x, y) as shown is drawn at (height - y, x) for a quarter turn, (y, width - x) for three
        drawn.transform(pypdfium2.PdfMatrix(0, 1, -1, 0, height, 0) if turn == 90
                        else pypdfium2.PdfMatrix(0, -1, 1, 0, 0, width))
        page = copy.new_page(height, width)
        page.insert_obj(drawn)
        page.gen_content()
        page.set_rotation(turn)
    out = io.BytesIO()
    copy.save(out)
    return out.getvalue()


@pytest.mark.parametrize("turn", [90, 270])
def test_a_rotated_page_reads_as_it_is_shown(turn):
    """No shared document prints a performance table on a rotated page (Yantai's rotated pages
    hold other tables), so the pages of Chongqing's 市商务发展专项 are turned as publishers do:
    its form reads as the hand reading has it."""
    (document,) = [d for d in DOCUMENTS if d.expected["file"].startswith("Chongqing_Commerce_Commission")]
    (form,) = [f for f in document.forms() if f.get("name") == "市商务发展专项"]
    printed = read_pdf(_turned(document.path, (1, 2, 26, 27), turn))
    declaration = parse_rows(DocumentRows(printed.rows, printed.notes, printed.publication), "turned.pdf", "0" * 64)
    got = match(form, read_forms(declaration))
    assert got is not None and sorted(got["rows"]) == sorted(expected_rows(form))
