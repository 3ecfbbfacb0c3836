"""Hostile input, the export side and the text side (issue 24, items 4 and 5).

Exports are data, not code: a form whose names a spreadsheet would run as formulas
(``=HYPERLINK(…)``, ``+cmd|' /C calc'!A0``, ``@SUM(…)``) exports them as text in every CSV
(a leading ') and xlsx (a string cell, never a formula) that the command line and the web
write, numbers staying numbers; /sparql keeps the W3C CSV exact unless a download is asked for.
Markdown shows a form's HTML and links as text.

Text as people save it: UTF-16 and UTF-8 with a byte order mark import as UTF-8 does; control
characters never reach a label (a NUL in text is refused with its line; the others are
removed with a note); the document libraries' own log lines never reach the terminal; a file
that cannot be read gets one line saying what it should be and what it is.

Every file is built here, at test time."""

import csv
import gc
import io
import json
import zipfile
from pathlib import Path

import openpyxl
import pytest
from markdown_it import MarkdownIt

from conftest import SEED, run_goaltrace
from goaltrace.answers import exporting
from goaltrace.forms.errors import FormError
from goaltrace.forms.parser import read_rows
from goaltrace.graph.store import MEMORY, Store
from goaltrace.ingest.importing import import_files

FORMULAS = {  # project in the seed → the name it is given
    "人民调解": '=HYPERLINK("http://x","y")',
    "社区矫正对象管理费": "+cmd|' /C calc'!A0",
    "普法宣传": "@SUM(1+1)",
}
SCRIPT_PROJECT = "<script>alert(4)</script>"  # 公证处业务经费
GOAL_TEXT = "<script>alert(1)</script>[点此 click](javascript:alert(2))<img src=x onerror=alert(3)>"
NEGATIVE = ("公证办案投诉率\t≤\t1%", "公证办案投诉率\t≥\t-1.5%")  # a number that starts with -


def hostile_text() -> str:
    text = SEED.read_text(encoding="utf-8")
    for old, new in FORMULAS.items():
        text = text.replace(f"项目名称\t{old}", f"项目名称\t{new}")
    text = text.replace("项目名称\t公证处业务经费", f"项目名称\t{SCRIPT_PROJECT}")
    text = text.replace("目标1：全力推动“法治政府示范县”创建，提升法治秀山建设水平", "目标1：" + GOAL_TEXT, 1)
    return text.replace(*NEGATIVE)


@pytest.fixture(scope="module")
def hostile_store(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("hostile-exports")
    form = folder / "hostile.txt"
    form.write_text(hostile_text(), encoding="utf-8")
    run_goaltrace("import", "--store", str(folder / "store"), str(form), check=True)
    return folder / "store"


@pytest.fixture(scope="module")
def client(hostile_store):
    from goaltrace.web.app import create_app

    return create_app({"STORE_LOCATION": str(hostile_store), "QUERY_WORKERS": 1}).test_client()


def csv_rows(text: str, delimiter: str = ",") -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=delimiter))


def assert_formulas_written_as_text(rows: list[list[str]]):
    """Each hostile name appears, and only with the ' that makes it text."""
    cells = [cell for row in rows for cell in row]
    for name in FORMULAS.values():
        assert "'" + name in cells, name
        assert name not in cells, name


def assert_xlsx_holds_text(body: bytes, numeric_column: str | None = None):
    """Each hostile name is a string cell, as written, marked to stay text; no cell anywhere is
    a formula; a numeric column holds numbers (returned)."""
    with zipfile.ZipFile(io.BytesIO(body)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/"):
                assert b"<f>" not in archive.read(name) and b"<f " not in archive.read(name), name
    sheet = openpyxl.load_workbook(io.BytesIO(body)).worksheets[0]
    found = {}
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.coordinate
            if cell.value in FORMULAS.values():
                found[cell.value] = cell
    assert set(found) == set(FORMULAS.values())
    for cell in found.values():
        assert cell.data_type == "s" and cell.quotePrefix
    if numeric_column:
        header = [c.value for c in next(sheet.iter_rows(max_row=1))]
        numbers = [row[header.index(numeric_column)].value for row in sheet.iter_rows(min_row=2)]
        assert numbers and all(isinstance(n, (int, float)) for n in numbers if n is not None)
        return numbers
    return None


# -- exports: the command line --------------------------------------------------------------

def test_cli_csv_exports_write_formulas_as_text(hostile_store):
    funds = run_goaltrace("export", "funds", "--store", str(hostile_store), check=True).stdout_text
    assert_formulas_written_as_text(csv_rows(funds))
    indicators = csv_rows(run_goaltrace("export", "indicators", "--store", str(hostile_store), check=True).stdout_text)
    assert_formulas_written_as_text(indicators)
    header = indicators[0]
    complaint = next(r for r in indicators if r[header.index("indicator")] == "公证办案投诉率")
    assert complaint[header.index("value")] == "-1.5"  # a number, not text with a quote
    assert complaint[header.index("source_text")].startswith("\t\t质量指标")  # a tab, then no formula: as written


def test_cli_xlsx_export_holds_strings_never_formulas(hostile_store, tmp_path):
    out = tmp_path / "indicators.xlsx"
    run_goaltrace("export", "indicators", "--format", "xlsx", "--output", str(out), "--store", str(hostile_store), check=True)
    values = assert_xlsx_holds_text(out.read_bytes(), numeric_column="value")
    assert -1.5 in values


def test_cli_query_csv_writes_formulas_as_text(hostile_store):
    result = run_goaltrace("query", "SELECT ?name WHERE { ?p gt:projectName ?name }", "--format", "csv",
                           "--store", str(hostile_store), check=True)
    assert_formulas_written_as_text(csv_rows(result.stdout_text))


# -- exports: the web ---------------------------------------------------------------------------

def test_web_table_downloads_and_api_write_formulas_as_text(client):
    for path in ("/funds?format=csv", "/indicators?format=csv", "/projects?format=csv", "/api/funds?format=csv",
                 "/api/indicators?format=csv"):
        response = client.get(path)
        assert response.status_code == 200, path
        assert_formulas_written_as_text(csv_rows(response.get_data(as_text=True)))
    for path, numeric in (("/funds?format=xlsx", "amount"), ("/api/indicators?format=xlsx", "value"),
                          ("/projects?format=xlsx", None)):
        response = client.get(path)
        assert response.status_code == 200, path
        numbers = assert_xlsx_holds_text(response.data, numeric)
        assert numeric != "value" or -1.5 in numbers
    declaration = json.loads(client.get("/api/declarations").data)[0]["iri"]
    named = client.get("/api/queries/declaration-projects", query_string={"declaration": declaration, "format": "csv"})
    assert_formulas_written_as_text(csv_rows(named.get_data(as_text=True)))


def test_sparql_csv_is_exact_and_its_download_is_text(client):
    query = "SELECT ?name WHERE { ?p gt:projectName ?name }"
    exact = client.get("/sparql", query_string={"query": query}, headers={"Accept": "text/csv"})
    assert exact.status_code == 200 and "Content-Disposition" not in exact.headers
    names = [row[0] for row in csv_rows(exact.get_data(as_text=True))[1:]]
    assert set(FORMULAS.values()) <= set(names)  # the W3C results format: every value as it is
    download = client.get("/sparql", query_string={"query": query, "format": "csv", "download": "1"})
    assert download.status_code == 200 and download.headers["Content-Disposition"].startswith("attachment")
    assert download.data.startswith("\ufeff".encode())
    assert_formulas_written_as_text(csv_rows(download.get_data(as_text=True)))
    script = (Path(__file__).resolve().parents[2] / "service" / "goaltrace" / "web" / "static" / "query.js").read_text()
    assert "download=1" in script  # the query page's link asks for it


# -- Markdown -----------------------------------------------------------------------------------

def rendered(markdown: str) -> str:
    """The HTML a CommonMark viewer (raw HTML allowed, GitHub's tables) makes of the Markdown."""
    return MarkdownIt("commonmark").enable("table").render(markdown)


def assert_inert(markdown: str):
    page = rendered(markdown)
    assert "<script" not in page and "<img" not in page and "<a " not in page and "href=" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # the text is there, shown as text


def test_markdown_shows_html_and_links_from_forms_as_text(hostile_store, client):
    answer = run_goaltrace("trace", "goal", "1", "--format", "markdown", "--store", str(hostile_store), check=True)
    assert_inert(answer.stdout_text)
    report = client.get("/report?format=markdown").get_data(as_text=True)  # goaltrace report's Markdown too
    assert_inert(report)
    assert "<h3>&lt;script&gt;alert(4)&lt;/script&gt; — " in rendered(report)  # the project's name, in its heading


# -- text as people save it --------------------------------------------------------------------

def indicators_of(store) -> list[dict[str, str]]:
    """The indicators table of a store (a directory, read in this process, or a Store)."""
    if isinstance(store, Path):
        store = Store.open(str(store), read_only=True)
    return exporting.rows(store, "indicators")


def quads(store: Path) -> list[str]:
    """Every quad of a store on disk but the record of imports (which grows with each import
    by design), read in this process (and closed again)."""
    opened = Store.open(str(store), read_only=True)
    try:
        return sorted(str(q) for q in opened.quads() if not str(q.graph_name).endswith("/id/history>"))
    finally:
        del opened
        gc.collect()


@pytest.fixture(scope="module")
def seed_indicators() -> list[dict[str, str]]:
    store = Store.open(MEMORY)
    import_files(store, [str(SEED)])
    return indicators_of(store)


ENCODINGS = {  # how the file is saved → the encoding asked for
    "notepad-unicode": (lambda t: t.replace("\n", "\r\n").encode("utf-16"), "utf-8"),  # UTF-16 LE with its mark, CRLF
    "utf-16-be-marked": (lambda t: "\ufeff".encode("utf-16-be") + t.encode("utf-16-be"), "utf-8"),
    "utf-8-marked": (lambda t: t.encode("utf-8-sig"), "utf-8"),
    "utf-32-marked": (lambda t: t.encode("utf-32"), "utf-8"),
    "utf-16-asked": (lambda t: t.encode("utf-16"), "utf-16"),
    "utf-16-le-unmarked-asked": (lambda t: t.encode("utf-16-le"), "utf-16-le"),
    "mac-line-ends": (lambda t: t.replace("\n", "\r").encode("utf-8"), "utf-8"),
}


@pytest.mark.parametrize("saved", sorted(ENCODINGS))
def test_text_saved_in_other_encodings_reads_as_utf8_does(saved, tmp_path, seed_indicators):
    encode, encoding = ENCODINGS[saved]
    form = tmp_path / "form.txt"
    form.write_bytes(encode(SEED.read_text(encoding="utf-8")))
    store = Store.open(MEMORY)
    import_files(store, [str(form)], encoding=encoding)
    assert indicators_of(store) == seed_indicators


def test_notepad_unicode_imports_from_the_command_line(tmp_path, seed_indicators):
    """UTF-16 with its mark and CRLF, as Notepad saves "Unicode": with and without --encoding utf-16."""
    form = tmp_path / "form.txt"
    form.write_bytes(SEED.read_text(encoding="utf-8").replace("\n", "\r\n").encode("utf-16"))
    result = run_goaltrace("import", "--store", str(tmp_path / "store"), str(form))
    assert result.returncode == 0 and result.stderr_text == "", result.stderr_text
    result = run_goaltrace("import", "--encoding", "utf-16", "--store", str(tmp_path / "store"), str(form))
    assert result.returncode == 0 and result.stderr_text == "", result.stderr_text
    assert indicators_of(tmp_path / "store") == seed_indicators
    gc.collect()


def test_unmarked_utf16_is_refused_with_a_hint(tmp_path):
    form = tmp_path / "form.txt"
    form.write_bytes(SEED.read_text(encoding="utf-8").encode("utf-16-le"))
    result = run_goaltrace("import", "--store", str(tmp_path / "store"), str(form))
    assert result.returncode == 2
    assert result.stderr_text.count("\n") == 1 and result.stderr_text.startswith(f"{form}:1: expected text")
    assert "--encoding utf-16-le" in result.stderr_text


def test_control_characters_never_reach_a_label(tmp_path):
    """ESC, FF and DEL after the first 8 KiB of a text file, and C1 controls and DEL in an xlsx
    cell, are taken out with a note; the names are stored and exported without them."""
    text = SEED.read_text(encoding="utf-8")
    at = text.encode("utf-8").index("项目名称\t转移支付资金".encode())
    assert at > 8192
    form = tmp_path / "form.txt"
    form.write_text(text.replace("项目名称\t转移支付资金", "项目名称\t转移\x1b[31m支付\x0c资金\x7f"), encoding="utf-8")
    explained = run_goaltrace("import", "--explain", str(form), check=True).stdout_text
    assert "control characters taken out of this row (U+000C FF, U+001B ESC, U+007F DEL)" in explained
    assert "\x1b" not in explained
    from render_formats import to_xlsx

    workbook = to_xlsx(text.replace("项目名称\t人民调解", "项目名称\t人民\x9b调解\x7f"), tmp_path / "form.xlsx")
    for path, name in ((form, "转移[31m支付 资金"), (workbook, "人民调解")):  # a break as a space, the rest removed
        store = tmp_path / f"store-{path.suffix[1:]}"
        run_goaltrace("import", "--store", str(store), str(path), check=True)
        graph = "".join(quads(store))
        assert not any(c in graph or f"\\u{ord(c):04X}" in graph for c in "\x1b\x0c\x7f\x9b\x00"), path
        assert name in {row["project"] for row in indicators_of(store)}, path
        del store
        gc.collect()


@pytest.fixture(scope="module")
def seeded_store(tmp_path_factory) -> Path:
    """A store holding the seed, for imports that must leave it as it is."""
    store = tmp_path_factory.mktemp("seeded") / "store"
    run_goaltrace("import", "--store", str(store), str(SEED), check=True)
    return store


def test_a_nul_in_text_is_refused_with_its_line(tmp_path, seeded_store):
    store = seeded_store
    before = quads(store)
    text = SEED.read_text(encoding="utf-8")
    line = text[: text.index("项目名称\t转移支付资金")].count("\n") + 1
    form = tmp_path / "form.txt"
    form.write_text(text.replace("项目名称\t转移支付资金", "项目名称\t转移\x00支付资金"), encoding="utf-8")
    result = run_goaltrace("import", "--store", str(store), str(form))
    assert result.returncode == 2 and result.stderr_text.count("\n") == 1
    assert result.stderr_text.startswith(f"{form}:{line}: expected text") and "NUL" in result.stderr_text
    assert quads(store) == before


# -- documents that cannot be read: one line, no library's chatter --------------------------------

def _zip_of(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def _xls() -> bytes:
    import xlwt

    book = xlwt.Workbook(encoding="utf-8")
    sheet = book.add_sheet("表1")
    for r in range(60):
        sheet.write(r, 0, f"项目名称{r}")
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx() -> bytes:
    book = openpyxl.Workbook()
    book.active["A1"] = "项目名称"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _docx() -> bytes:
    import docx

    document = docx.Document()
    document.add_paragraph("项目名称")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _pdf() -> bytes:
    from reportlab.pdfgen import canvas

    out = io.BytesIO()
    page = canvas.Canvas(out)
    page.drawString(100, 700, "not a form")
    page.save()
    return out.getvalue()


UNREADABLE = {  # file name → (bytes, what the message must say it found)
    "cut.xls": (lambda: _xls()[:-700], "cut short"),
    "cut.xlsx": (lambda: _xlsx()[:1500], "zip archive cut short"),
    "cut.docx": (lambda: _docx()[:4000], "zip archive cut short"),
    "cut.pdf": (lambda: _pdf()[:600], "cut short"),
    "workbook.docx": (_xlsx, "an Excel workbook (.xlsx); rename it to .xlsx"),
    "document.xlsx": (_docx, "a Word document (.docx); rename it to .docx"),
    "archive.xlsx": (lambda: _zip_of({"notes.txt": b"hello"}), "no Office document"),
    "scan.docx": (_pdf, "a PDF document; rename it to .pdf"),
    "page.xls": (lambda: "<html><body><table><tr><td>项目名称</td></tr></table></body></html>".encode(),
                 "a web page (HTML); rename it to .html"),
    "binary.html": (lambda: bytes(range(256)) * 8, "binary data"),
}


def test_unreadable_documents_get_one_line_each(tmp_path, seeded_store):
    """Each says what the file should be and what it is; the terminal gets that line and
    nothing before it (xlrd prints warnings of its own about a cut .xls); the store is as it was."""
    before = quads(seeded_store)
    paths, messages = [], []
    for name, (build, found) in UNREADABLE.items():
        path = tmp_path / name
        path.write_bytes(build())
        paths.append(str(path))
        with pytest.raises(FormError) as refused:
            read_rows(path)
        line = str(refused.value)
        assert "\n" not in line and line.startswith(f"{path}:1: expected "), line
        assert found in line, line
        assert "object at 0x" not in line and "IndexError" not in line, line
        messages.append(line)
    result = run_goaltrace("import", "--keep-going", "--store", str(seeded_store), *paths)
    assert result.returncode == 2
    assert result.stderr_text.splitlines() == [f"skipped {line}" for line in messages]
    assert quads(seeded_store) == before


def test_library_log_lines_never_reach_the_terminal(tmp_path):
    """pdfminer logs a warning for each operator it cannot read; the import says nothing of it."""
    import html as html_text

    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Table, TableStyle

    from render_formats import grid_of

    text = SEED.read_text(encoding="utf-8")
    text = text[: text.index("2023年特定目标类项目绩效目标表")]  # the department form: one page
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    style = ParagraphStyle("zh", fontName="STSong-Light", fontSize=7, leading=9, wordWrap="CJK")
    grid = grid_of(text)
    table = Table([[Paragraph(html_text.escape(c), style) if c else "" for c in row] for row in grid],
                  colWidths=[(landscape(A4)[0] - 60) / len(grid[0])] * len(grid[0]))
    table.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.5, colors.black)]))
    path = tmp_path / "form.pdf"

    def unreadable_operators(canvas, _document):
        canvas._code.append("/NotANumber w")  # pdfminer: "Cannot set line width because … invalid float value"

    SimpleDocTemplate(str(path), pagesize=landscape(A4), leftMargin=30, rightMargin=30).build(
        [table], onFirstPage=unreadable_operators)
    result = run_goaltrace("import", "--store", str(tmp_path / "store"), str(path))
    assert result.returncode == 0, result.stderr_text
    assert result.stderr_text == "" and "Cannot set" not in result.stdout_text
