"""Hostile files given to `goaltrace import`: each ends within its limits, exit 2, one line of
stderr naming the file, the place and the limit met, and the store exactly as it was; with
--keep-going the good files around them go in and the report names the bad ones.

Every hostile file is built here at test time, as small as its case allows: a 6.5 KB workbook
merging the whole sheet, a 1 MB Word file of ten million paragraphs, a 600-byte PDF whose
content refers to itself, and so on. The limits of time and memory are set low through the
command's own options, so that each case ends quickly."""

import io
import json
import os
import shutil
import subprocess
import time
import uuid
import zipfile
import zlib
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import GOALTRACE, run_goaltrace
from render_formats import to_xlsx

TIME_LIMIT = 20  # seconds, --time-limit for the cases a reader refuses on its own
MARGIN = 40  # seconds past the time limit a whole run may take: start-up, the store, a loaded machine
MEMORY = "1GiB"


# -- builders -------------------------------------------------------------------------------

def xlsx(rows: str, merges: tuple[str, ...] = ()) -> bytes:
    """A workbook of one sheet, written as its XML parts (openpyxl would itself build what is
    tested). `rows` is the sheet's <row> elements."""
    merged = (f'<mergeCells count="{len(merges)}">' + "".join(f'<mergeCell ref="{ref}"/>' for ref in merges)
              + "</mergeCells>") if merges else ""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    relationships = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml":
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            "</Types>",
        "_rels/.rels":
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relationships}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{main}" xmlns:r="{relationships}">'
            '<sheets><sheet name="绩效目标表" sheetId="1" r:id="rId1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels":
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
            f'<Relationship Id="rId1" Type="{relationships}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml":
            f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{main}"><sheetData>{rows}</sheetData>{merged}</worksheet>',
    }
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts.items():
            archive.writestr(name, text)
    return out.getvalue()


def text_cell(reference: str, text: str) -> str:
    return f'<c r="{reference}" t="inlineStr"><is><t>{text}</t></is></c>'


def title_row() -> str:
    return f'<row r="1">{text_cell("A1", "项目支出绩效目标表")}</row>'


def docx(body) -> bytes:
    """A Word file whose body is the given XML, streamed into the zip piece by piece."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml",
                         '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                         '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                         '<Default Extension="xml" ContentType="application/xml"/>'
                         '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
                         "</Types>")
        archive.writestr("_rels/.rels",
                         '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                         '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
                         'Target="word/document.xml"/></Relationships>')
        with archive.open("word/document.xml", "w") as part:
            part.write(b'<?xml version="1.0" encoding="UTF-8"?><w:document '
                       b'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>')
            for piece in body:
                part.write(piece.encode("utf-8"))
            part.write(b"</w:body></w:document>")
    return out.getvalue()


def vmerge_chain(rows: int):
    """A table whose first column is one cell merged down every row (w:vMerge)."""
    yield "<w:tbl>"
    for n in range(rows):
        mark = '<w:vMerge w:val="restart"/>' if n == 0 else "<w:vMerge/>"
        yield (f"<w:tr><w:tc><w:tcPr>{mark}</w:tcPr><w:p><w:r><w:t>产出指标</w:t></w:r></w:p></w:tc>"
               f"<w:tc><w:p><w:r><w:t>指标{n}</w:t></w:r></w:p></w:tc></w:tr>")
    yield "</w:tbl>"


def pdf(objects: list[bytes]) -> bytes:
    """A PDF of the given objects (1 is the catalogue), with a correct cross-reference table."""
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


CATALOGUE = b"<< /Type /Catalog /Pages 2 0 R >>"
FONT = b"/Resources << /Font << /F1 << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> >> >>"


def stream(data: bytes, extra: bytes = b"") -> bytes:
    return b"<< /Length %d %s >>\nstream\n" % (len(data), extra) + data + b"\nendstream"


def page(contents: bytes) -> bytes:
    return b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] " + FONT + b" /Contents " + contents + b" >>"


def ruled_pdf(pages: int, lines: int) -> bytes:
    """Pages of text over a ruled grid of `lines` × `lines` rules: pdfplumber finds a table of
    (lines - 1)² cells on each, and takes minutes over it."""
    step, side = 8, 8 * lines + 20
    rules = b"".join(b"10 %d m %d %d l " % (10 + step * n, side - 10, 10 + step * n) for n in range(lines))
    rules += b"".join(b"%d 10 m %d %d l " % (10 + step * n, 10 + step * n, side - 10) for n in range(lines))
    content = rules + b"S BT /F1 8 Tf 20 %d Td (hello) Tj ET" % (side - 8)
    kids = " ".join(f"{3 + 2 * n} 0 R" for n in range(pages)).encode()
    objects = [CATALOGUE, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % pages]
    for n in range(pages):
        objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 %d %d] " % (side, side) + FONT
                    + f" /Contents {4 + 2 * n} 0 R >>".encode(),
                    stream(zlib.compress(content), b"/Filter /FlateDecode")]
    return pdf(objects)


# -- running the command --------------------------------------------------------------------

@pytest.fixture(scope="module")
def seeded(tmp_path_factory, seed_path):
    """A store holding the bundled declaration, and its quads."""
    store = tmp_path_factory.mktemp("seeded") / "store"
    run_goaltrace("import", "--store", str(store), str(seed_path), check=True)
    return store, quads(store)


@pytest.fixture
def store(seeded, tmp_path):
    """A copy of the seeded store for one test."""
    copy = tmp_path / "store"
    shutil.copytree(seeded[0], copy)
    return copy


def quads(store: Path) -> set:
    held = ox.Store.read_only(str(store))
    found = set(held)
    del held
    return found


def goaltrace_import(store: Path, *args: str, time_limit: float = TIME_LIMIT, memory: str = MEMORY, env=None):
    """Run `goaltrace import` as a user does; the result with `seconds` it took and `lines` of stderr."""
    started = time.monotonic()
    result = subprocess.run([GOALTRACE, "import", "--store", str(store), "--time-limit", str(time_limit),
                             "--max-memory", memory, *args], capture_output=True, check=False, timeout=time_limit + 120,
                            env={**os.environ, "PYTHONIOENCODING": "utf-8", **(env or {})})
    result.seconds = time.monotonic() - started
    result.stdout_text = result.stdout.decode("utf-8")
    result.lines = result.stderr.decode("utf-8").splitlines()
    return result


def refused(store: Path, seeded, path: Path, time_limit: float = TIME_LIMIT, memory: str = MEMORY, env=None) -> str:
    """The one line with which the import of `path` is refused: exit 2, in bounded time, the
    store unchanged."""
    result = goaltrace_import(store, str(path), time_limit=time_limit, memory=memory, env=env)
    assert result.returncode == 2, (result.returncode, result.lines)
    assert len(result.lines) == 1, result.lines
    assert result.lines[0].startswith(f"{path}:"), result.lines
    assert result.seconds < time_limit + MARGIN, result.seconds
    assert quads(store) == seeded[1], "a refused import changed the store"
    return result.lines[0]


# -- spreadsheets ---------------------------------------------------------------------------

def test_a_merged_range_over_the_whole_sheet_is_refused(store, seeded, tmp_path):
    path = tmp_path / "merged.xlsx"
    path.write_bytes(xlsx(title_row(), merges=("A1:XFD1048576",)))
    assert path.stat().st_size < 10_000
    line = refused(store, seeded, path)
    assert line == (f"{path}: 绩效目标表!A1:XFD1048576: merged ranges may cover at most 1,000,000 cells, "
                    "found one covering 17,179,869,184")


def test_a_cell_at_the_far_corner_of_a_sheet_is_refused(store, seeded, tmp_path):
    path = tmp_path / "corner.xlsx"
    path.write_bytes(xlsx(title_row() + f'<row r="1048576">{text_cell("XFD1048576", "x")}</row>'))
    line = refused(store, seeded, path)
    assert line.startswith(f"{path}: 绩效目标表!XFD1048576: a workbook's sheets may lay out at most 1,000,000 cells")


def test_formatting_far_past_the_text_is_passed_over(tmp_path, seed_text):
    """Cells formatted but empty far beyond the form (a used range reaching XFD1048576) cost
    nothing: the form reads as it would without them."""
    from goaltrace.forms.parser import read_rows

    rows = title_row() + '<row r="1048576"><c r="XFD1048576" s="0"/></row>'
    path = tmp_path / "formatted.xlsx"
    path.write_bytes(xlsx(rows))
    read, _ = read_rows(path)
    assert [row.cells for row in read] == [("项目支出绩效目标表",)]


def test_a_ten_megabyte_cell_is_refused_before_it_becomes_a_name(store, seeded, tmp_path):
    path = tmp_path / "long-name.xlsx"
    rows = title_row() + f'<row r="2">{text_cell("A2", "项目名称")}{text_cell("B2", "x" * (10 << 20))}</row>'
    path.write_bytes(xlsx(rows))
    assert path.stat().st_size < 20_000
    line = refused(store, seeded, path)
    assert line == f"{path}: 绩效目标表!A2 cell 2: a cell may hold at most 20,000 characters, found 10,485,760"


# -- names ----------------------------------------------------------------------------------

def test_a_project_name_longer_than_any_real_one_never_reaches_an_iri(store, seeded, tmp_path, seed_text):
    path = tmp_path / "long-project.txt"
    path.write_text(seed_text.replace("项目名称\t法律援助\t", "项目名称\t" + "法律援助" * 250 + "\t", 1), encoding="utf-8")
    line = refused(store, seeded, path)
    assert line.startswith(f"{path}: line 34: a project's name may be at most 300 characters (it goes into IRIs), "
                           "found 1,000: '法律援助")


# -- Word -----------------------------------------------------------------------------------

def test_ten_million_paragraphs_are_refused_unbuilt(store, seeded, tmp_path):
    path = tmp_path / "paragraphs.docx"
    path.write_bytes(docx("<w:p/>" * 100_000 for _ in range(100)))
    assert path.stat().st_size < 1_500_000
    line = refused(store, seeded, path)
    assert line == f"{path}: paragraph 200,001: a Word file may have at most 200,000 paragraphs, found more"


def test_a_long_vertical_merge_reads_in_linear_time(store, seeded, tmp_path):
    """A cell merged down 3,000 rows took python-docx 27 s (it walks the chain up for every
    cell); read from each cell's own marks it takes well under the time limit, and the file is
    refused for what it is: not a form."""
    path = tmp_path / "vmerge.docx"
    path.write_bytes(docx(vmerge_chain(3_000)))
    line = refused(store, seeded, path)
    assert "--time-limit" not in line
    assert line.startswith(f"{path}:1: expected a form title")


# -- web pages ------------------------------------------------------------------------------

def test_cells_spanning_a_thousand_rows_and_columns_are_refused(store, seeded, tmp_path):
    path = tmp_path / "spans.html"
    cells = '<td rowspan="1000" colspan="1000">x</td>' * 1_000
    path.write_text(f"<html><body><table><tr>{cells}</tr></table></body></html>", encoding="utf-8")
    assert path.stat().st_size < 50_000
    line = refused(store, seeded, path)
    assert line == (f"{path}: table 1: a web page's tables may lay out at most 1,000,000 cells, found "
                    "1,000,000,000 by the end of this table (rowspan times colspan)")


# -- PDF ------------------------------------------------------------------------------------

def test_a_pdf_whose_contents_refer_to_themselves_is_refused(store, seeded, tmp_path):
    """pdfminer follows `4 0 obj 4 0 R endobj` round for ever."""
    path = tmp_path / "itself.pdf"
    path.write_bytes(pdf([CATALOGUE, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page(b"[5 0 R 4 0 R]"), b"4 0 R",
                          stream(b"BT /F1 12 Tf 72 700 Td (hello) Tj ET")]))
    assert path.stat().st_size < 700
    line = refused(store, seeded, path)
    assert line == f"{path}: object 4: an object may not refer to itself, found object 4 that does (4 0 R → 4 0 R)"


def test_a_content_stream_that_unpacks_to_gigabytes_is_refused(store, seeded, tmp_path):
    path = tmp_path / "deflated.pdf"
    packed = zlib.compressobj(9)
    data = b"".join(packed.compress(b" " * (1 << 20)) for _ in range(17)) + packed.flush()
    path.write_bytes(pdf([CATALOGUE, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>", page(b"4 0 R"),
                          stream(data, b"/Filter /FlateDecode")]))
    assert path.stat().st_size < 50_000
    line = refused(store, seeded, path)
    assert line == f"{path}: page 1: a page's content may unpack to at most 16 MiB, found more"


def test_more_pages_than_any_publication_are_refused(store, seeded, tmp_path):
    path = tmp_path / "pages.pdf"
    count = 2_001
    kids = " ".join(f"{3 + n} 0 R" for n in range(count)).encode()
    objects = [CATALOGUE, b"<< /Type /Pages /Kids [" + kids + b"] /Count %d >>" % count]
    objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 10 10] >>"] * count
    path.write_bytes(pdf(objects))
    line = refused(store, seeded, path)
    assert line == f"{path}: page 2001: a PDF may have at most 2,000 pages, found more"


def processes_marked(mark: str) -> list[int]:
    """Processes whose environment holds the mark: those a run started, and what they started."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and mark.encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found


@pytest.fixture
def mark():
    """A mark for the environment of the processes a test starts; any left at its end are
    found by it and ended (by their ids), so that a failing test leaves none running."""
    if not Path("/proc/self/environ").exists():
        pytest.skip("finds processes through /proc")
    found = f"goaltrace-test-{uuid.uuid4()}"
    yield found
    for pid in processes_marked(found):
        try:
            os.kill(pid, 9)
        except OSError:
            pass


def test_a_pdf_past_the_time_limit_is_stopped_with_every_page_process(store, seeded, tmp_path, mark):
    """Ten ruled pages of 40,000 cells each: pdfplumber takes minutes over them, in page
    processes of their own. At the time limit the reader and all of those are stopped."""
    path = tmp_path / "ruled.pdf"
    path.write_bytes(ruled_pdf(pages=10, lines=200))
    assert path.stat().st_size < 30_000
    line = refused(store, seeded, path, time_limit=4, env={"GOALTRACE_TEST_MARK": mark})
    assert line == f"{path}: whole file: a file may take at most 4 s to read (--time-limit), found one still being read after 4 s"
    deadline = time.monotonic() + 60
    while processes_marked(mark) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_marked(mark) == [], "a process the import started outlived it"


# -- text -----------------------------------------------------------------------------------

def test_a_text_of_more_lines_than_any_form_is_refused(store, seeded, tmp_path):
    path = tmp_path / "lines.txt"
    path.write_text("a\n" * 200_001, encoding="utf-8")
    line = refused(store, seeded, path)
    assert line == f"{path}: line 200,001: a text may have at most 200,000 lines, found 200,001"


def test_lines_closed_by_pipes_rejoin_in_linear_time():
    """602 KB of `a|` lines took 49 s when each line searched all the lines above it; carried
    along in one pass, the same lines take a fraction of a second."""
    from goaltrace.forms.grid import _rejoin_wrapped_cells

    lines = ["a|"] * 200_000
    lines[1000] = "wrapped"  # a cell wrapped onto the next line, far down: still joined
    started = time.monotonic()
    joined = _rejoin_wrapped_cells(lines)
    assert time.monotonic() - started < 20
    assert joined[1000:1002] == ["", "wrapped a|"] and joined[999] == joined[1002] == "a|"


def test_a_file_past_the_memory_limit_is_refused(store, seeded, tmp_path):
    """Within every count a reader checks, a file can still need more memory than allowed:
    99,000 lines of 10 cells, which the form reader takes 400 MiB over, read with 192 MiB."""
    path = tmp_path / "wide.txt"
    path.write_text(("\t".join(["abcdefgh"] * 10) + "\n") * 99_000, encoding="utf-8")
    line = refused(store, seeded, path, memory="192MiB")
    assert line == (f"{path}: whole file: reading may use at most 192 MiB of memory (--max-memory), "
                    "found a file that needs more")


def test_a_file_of_more_cells_than_a_reader_goes_through_is_refused(store, seeded, tmp_path):
    path = tmp_path / "cells.txt"
    path.write_text(("a" + "\t" * 99 + "\n") * 10_001, encoding="utf-8")
    line = refused(store, seeded, path)
    assert line == f"{path}: line 10001: a file may hold at most 1,000,000 cells, found more"


# -- the worker itself ----------------------------------------------------------------------

def abort(path):
    os.abort()


def segfault(path):
    import ctypes

    ctypes.string_at(0)


def echo(path):
    return path


@pytest.mark.parametrize("crash, signal_name", [(abort, "SIGABRT"), (segfault, "SIGSEGV")])
def test_a_reader_that_crashes_is_named_and_the_next_file_read(crash, signal_name):
    from goaltrace.forms import FormError
    from goaltrace.ingest.reading_worker import Limits, ReadingWorker

    with ReadingWorker(Limits(memory=1 << 30, seconds=20)) as reader:
        first, second = reader.each(crash, [("bad.xlsx",)]), reader.each(echo, [("good.txt",)])
        outcome = next(first)
        assert isinstance(outcome, FormError)
        assert str(outcome) == (f"bad.xlsx: whole file: reading may use at most 1 GiB of memory (--max-memory), "
                                f"found the reading process killed by {signal_name}, as a library is when refused memory")
        assert next(second) == "good.txt"


# -- --keep-going ---------------------------------------------------------------------------

def test_keep_going_imports_the_good_files_around_hostile_ones(store, tmp_path, seed_text):
    folder = tmp_path / "corpus"
    folder.mkdir()
    good = []
    for n, unit in enumerate(["甲县司法局", "乙县司法局", "丙县司法局"]):
        text = seed_text.replace("秀山土家族苗族自治县司法局", unit)
        if n == 1:
            good.append(to_xlsx(text, folder / f"{n}-good.xlsx"))
        else:
            good.append(folder / f"{n}-good.txt")
            good[-1].write_text(text, encoding="utf-8")
    (folder / "0-merged.xlsx").write_bytes(xlsx(title_row(), merges=("A1:XFD1048576",)))
    (folder / "1-ruled.pdf").write_bytes(ruled_pdf(pages=1, lines=200))
    (folder / "2-itself.pdf").write_bytes(pdf([CATALOGUE, b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
                                               page(b"4 0 R"), b"4 0 R"]))
    report = tmp_path / "report.json"
    result = goaltrace_import(store, "--keep-going", "--report", str(report), str(folder), time_limit=4)
    assert result.returncode == 2, result.lines
    bad = {"0-merged.xlsx": "merged ranges may cover", "1-ruled.pdf": "--time-limit",
           "2-itself.pdf": "an object may not refer to itself"}
    assert len(result.lines) == len(bad), result.lines
    for name, reason in bad.items():
        assert any(line.startswith(f"skipped {folder / name}: ") and reason in line for line in result.lines), name
    outcomes = {Path(item["file"]).name: item for item in json.loads(report.read_text(encoding="utf-8"))["outcomes"]}
    assert {name for name, item in outcomes.items() if item["outcome"] == "imported"} == {p.name for p in good}
    for name, reason in bad.items():
        assert outcomes[name]["outcome"] == "skipped" and reason in outcomes[name]["reason"]
    held = {q.object.value for q in quads(store) if q.predicate.value.endswith("prefLabel")}
    assert {"甲县司法局", "乙县司法局", "丙县司法局"} <= held


def test_an_import_killed_outright_leaves_no_reader_behind(store, tmp_path, mark):
    """SIGKILL to `goaltrace import` while its worker reads a slow file: the worker goes with
    it, not on to the end of a file no one waits for."""
    path = tmp_path / "ruled.pdf"
    path.write_bytes(ruled_pdf(pages=1, lines=200))
    process = subprocess.Popen([GOALTRACE, "import", "--store", str(store), str(path)], stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, env={**os.environ, "GOALTRACE_TEST_MARK": mark})
    deadline = time.monotonic() + 120
    while len(processes_marked(mark)) < 2 and time.monotonic() < deadline:  # the command and its worker
        time.sleep(0.1)
    assert len(processes_marked(mark)) >= 2, "the worker never started"
    time.sleep(1)
    process.kill()
    process.wait()
    deadline = time.monotonic() + 60
    while processes_marked(mark) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_marked(mark) == [], "the reading worker outlived the import"


def test_a_large_import_reads_its_files_again_through_the_worker(tmp_path, seed_text, monkeypatch):
    """Past KEEP_IN_MEMORY files an import keeps summaries and reads each file again to write
    it: in the worker too, and each file's declaration lands under its own name."""
    from goaltrace.graph.store import Store
    from goaltrace.ingest import importing
    from goaltrace.ingest.reading_worker import Limits, ReadingWorker

    monkeypatch.setattr(importing, "KEEP_IN_MEMORY", 2)
    files = []
    for n in range(5):
        files.append(tmp_path / f"{n}.txt")
        files[-1].write_text(seed_text.replace("秀山土家族苗族自治县司法局", f"第{n}县司法局"), encoding="utf-8")
    store = Store.open(str(tmp_path / "store"))
    with ReadingWorker(Limits(memory=1 << 30, seconds=60), {"txt"}) as reader:
        report = importing.import_corpus(store, [str(f) for f in files], reader=reader)
    assert [item.department for item in report.imported] == [f"第{n}县司法局" for n in range(5)]
    assert all(item.declaration is None for item in report.imported)  # summaries only: read again to write
    assert len(store.declarations()) == 5
