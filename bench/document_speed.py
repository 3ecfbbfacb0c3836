"""Pages per second reading whole published documents, side by side in one run:

    python bench/document_speed.py [DIR] [--no-pdfplumber]   (default ../shared/corpus/documents)

- goaltrace: `read_rows` on each PDF, as `goaltrace import` reads it (every page's text
  through PDFium, the pages that can hold a performance table through pdfplumber's table
  finder and the page-table normaliser);
- pdftotext -layout (poppler, when installed): text only, no tables;
- pdfplumber extract_tables on every page: what reading every page's tables would cost.

Each reader runs over the same files in one process, one after the other; wall-clock time.
`--no-pdfplumber` leaves out the last reader, which takes ten minutes here, to compare two
checkouts of goaltrace back to back (PYTHONPATH=OTHER/service for the other one); the line
`goaltrace from` says which was measured.
"""

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pdfplumber

from goaltrace.forms.errors import FormError
from goaltrace.forms.parser import read_rows


def _timed(run, files) -> float:
    started = time.perf_counter()
    for path in files:
        run(path)
    return time.perf_counter() - started


def _goaltrace(path: Path):
    try:
        read_rows(path)
    except FormError:
        pass  # a scanned document is refused after its text is looked at: time counted all the same


def _poppler(path: Path):
    subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, check=False)


def _pdfplumber(path: Path):
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_tables()
            page.flush_cache()


def main(argv: list[str]) -> int:
    plumber = "--no-pdfplumber" not in argv
    argv = [a for a in argv if a != "--no-pdfplumber"]
    folder = Path(argv[0]) if argv else Path(__file__).resolve().parents[2] / "shared" / "corpus" / "documents"
    files = sorted(folder.glob("*.pdf"))
    if not files:
        print(f"no PDF in {folder}")
        return 1
    import pypdfium2
    pages = sum(len(pypdfium2.PdfDocument(str(path))) for path in files)
    readers = [("goaltrace read_rows", _goaltrace)]
    if shutil.which("pdftotext"):
        readers.append(("pdftotext -layout (poppler)", _poppler))
    if plumber:
        readers.append(("pdfplumber extract_tables, every page", _pdfplumber))
    print(f"{len(files)} documents, {pages} pages; goaltrace from {Path(read_rows.__code__.co_filename).parents[2]}")
    for name, run in readers:
        seconds = _timed(run, files)
        print(f"{name:40} {seconds:8.1f} s {pages / seconds:8.1f} pages/s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
