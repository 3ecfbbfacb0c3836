"""A form published as a spreadsheet, a Word file, a web page or a PDF reads exactly as its
text: the same unit, year, amounts, projects and indicators. The bundled declaration and real
forms of three other layouts are rendered into each format by the libraries that write them
(openpyxl, xlwt, python-docx, reportlab), with merged cells as real forms have them."""

from decimal import Decimal
from pathlib import Path

import pytest

from goaltrace.forms import FormError, read_declaration
from goaltrace.forms.documents.unreadable import EXPECTED
from render_formats import RENDERERS, reading

HERE = Path(__file__).parents[1]
FORMS = {
    "seed": (HERE.parent / "data" / "forms" / "xiushan-justice-bureau-2023.txt", {}),
    "one-cell-per-line": (HERE / "fixtures" / "real" / "agri" / "hunan-yueyang-hbt-2022.txt", {}),
    "several-projects": (HERE / "fixtures" / "real" / "heldout" / "sichuan-jingyan-mata-2023.txt", {"partial": True}),
    "medium-term-beside-annual": (HERE / "fixtures" / "real" / "heldout" / "guangdong-dongguan-roads-2019.txt", {"partial": True}),
    "department-wide": (HERE / "fixtures" / "real" / "heldout" / "jiangxi-fuliang-forestry-dept.txt", {"partial": True, "year": 2026}),
}


def whole_rows(path: Path) -> str:
    """The text without a last row the page cut mid-way: a document rendered from it would show
    that row whole (with blank cells), which is no longer the same form."""
    text = path.read_text(encoding="utf-8")
    lines = text.rstrip("\n").split("\n")
    return "\n".join(lines[:-1]) + "\n" if lines[-1].count("|") and not lines[-1].rstrip().endswith("|") else text


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    out = tmp_path_factory.mktemp("formats")
    files = {}
    for form, (path, _) in FORMS.items():
        text = whole_rows(path)
        files[form, "txt"] = out / f"{form}.txt"
        files[form, "txt"].write_text(text, encoding="utf-8")
        for fmt, render in RENDERERS.items():
            files[form, fmt] = render(text, out / f"{form}.{fmt}")
    return files


@pytest.mark.parametrize("fmt", sorted(RENDERERS))
@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_format_reads_as_the_text(rendered, form, fmt):
    _, options = FORMS[form]
    expected = reading(read_declaration(rendered[form, "txt"], **options))
    got = reading(read_declaration(rendered[form, fmt], **options))
    assert got == expected


def test_the_seed_reads_65_indicators_and_its_amounts_from_every_format(rendered):
    for fmt in RENDERERS:
        declaration = read_declaration(rendered["seed", fmt])
        assert len(declaration.indicators) == 65, fmt
        funds = {(f.spending, f.source): f.amount for f in declaration.department_form.funds}
        assert funds[("total", "all")] == Decimal("2282.58") and funds[("basic", "all")] == Decimal("1598.17"), fmt


@pytest.mark.parametrize("fmt, place", [("xlsx", "绩效目标表!A"), ("xls", "Sheet1!A"), ("docx", "table 1 row "),
                                         ("html", "table 1 row "), ("pdf", "page ")])
def test_provenance_names_the_place_in_the_document(rendered, fmt, place):
    declaration = read_declaration(rendered["seed", fmt])
    places = dict(declaration.places)
    legal_aid = declaration.projects[0].indicators[0]
    assert places[legal_aid.line].startswith(place)
    from goaltrace.graph.mapper import map_declaration
    quads = map_declaration(declaration).quads
    assert any(q.predicate.value.endswith("sourcePlace") and q.object.value == places[legal_aid.line] for q in quads)


def test_a_broken_document_is_refused_with_its_name(tmp_path):
    for suffix in ("xlsx", "xls", "docx", "pdf"):
        path = tmp_path / f"broken.{suffix}"
        path.write_bytes(b"PK\x03\x04 this is not really a " + suffix.encode())
        with pytest.raises(FormError) as error:
            read_declaration(path)
        assert error.value.line == 1 and error.value.message.startswith(f"expected {EXPECTED[suffix]}, found ")
        assert "zip archive cut short" in error.value.message  # what it evidently is, not the library's words


def test_spreadsheet_numbers_percentages_and_dates_read_as_written(tmp_path):
    import datetime

    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    rows = [["2024年项目支出绩效目标表"], ["项目名称", "示例项目"], ["主管部门", "示例县水利局"],
            ["年度资金总额", 2282.58], ["一级指标", "二级指标", "三级指标", "指标性质", "指标值"],
            ["产出指标", "质量指标", "验收合格率", "≥", 1], ["", "时效指标", "完工时间", "=", datetime.date(2024, 12, 31)],
            ["满意度指标", "服务对象满意度指标", "群众满意度", "≥", 0.95]]
    for row in rows:
        sheet.append(row)
    sheet["E6"].number_format = "0%"
    sheet["E8"].number_format = "0%"
    sheet["E7"].number_format = "yyyy-mm-dd"
    path = tmp_path / "numbers.xlsx"
    book.save(path)
    declaration = read_declaration(path)
    (fund,) = declaration.projects[0].funds
    assert fund.text == "2282.58" and fund.amount == Decimal("2282.58")
    targets = [(i.name, i.target.text, i.target.number, i.target.unit) for i in declaration.indicators]
    assert targets == [("验收合格率", "100%", Decimal("100"), "%"), ("完工时间", "2024-12-31", None, None),
                       ("群众满意度", "95%", Decimal("95"), "%")]


def test_a_pdf_without_ruled_tables_reads_from_its_text(tmp_path):
    """A PDF that is a page of text, one cell per line (as a web page printed to PDF), reads
    through its text lines as the same text does."""
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    from render_formats import reading

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=9, leading=11)
    source = FORMS["one-cell-per-line"][0]
    lines = [line for line in source.read_text(encoding="utf-8").split("\n") if line.strip()]
    path = tmp_path / "printed.pdf"
    SimpleDocTemplate(str(path), pagesize=A4).build([Paragraph(line.replace("&", "&amp;").replace("<", "&lt;"), style)
                                                     for line in lines])
    declaration = read_declaration(path)
    assert dict(declaration.places)[declaration.indicators[0].line].startswith("page 1 line ")
    assert reading(declaration) == reading(read_declaration(source))


def test_a_pdf_with_no_text_layer_is_refused_with_ocr_advice(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    page = canvas.Canvas(str(path))
    page.rect(50, 50, 400, 600, fill=1)  # a page that is a picture, as a scanner makes it
    page.showPage()
    page.save()
    with pytest.raises(FormError) as error:
        read_declaration(path)
    assert str(error.value).startswith(f"{path}:1: page 1 has no text layer; OCR it first")
