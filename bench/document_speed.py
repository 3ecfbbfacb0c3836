"""Pages per second reading whole published documents, side by side in one run:

    python bench/document_speed.py [DIR] [--no-pdfplumber] [--cpu]   (default ../shared/corpus/documents)

- goaltrace: `read_rows` on each PDF, as `goaltrace import` reads it (every page's text
  through PDFium, the pages that can hold a performance table through pdfplumber's table
  finder and the page-table normaliser);
- pdftotext -layout (poppler, when installed): text only, no tables;
- pdfplumber extract_tables on every page: what reading every page's tables would cost.

Each reader runs over the same files in one process, one after the other; wall-clock time.
`--no-pdfplumber` leaves out the last reader, which takes ten minutes here, to compare two
checkouts of goaltrace back to back (PYTHONPATH=OTHER/service for the other one); the line
`goaltrace from` says which was measured. `--cpu` reads every page in this one process and
gives CPU seconds as well, which other work on a shared machine changes far less than wall time.
"""

import shutil
import subprocess
import sys
import time
from pathlib import Path

import pdfplumber

from goaltrace.forms.errors import FormError
from goaltrace.forms.parser import read_rows


def _timed(run, files) -> tuple[float, float]:
    """Wall-clock and CPU seconds (this process's own) to run over the files."""
    started, cpu = time.perf_counter(), time.process_time()
    for path in files:
        run(path)
    return time.perf_counter() - started, time.process_time() - cpu


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
    plumber, one_process = "--no-pdfplumber" not in argv, "--cpu" in argv
    argv = [a for a in argv if not a.startswith("--")]
    if one_process:
        from goaltrace.forms.documents import pdf

        pdf._PARALLEL_FROM = sys.maxsize  # no page workers: their time would not be this process's
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
        seconds, cpu = _timed(run, files)
        spent = f"   CPU {cpu:6.1f} s {pages / cpu:8.1f} pages per CPU-s" if one_process and run is not _poppler else ""
        print(f"{name:40} {seconds:8.1f} s {pages / seconds:8.1f} pages/s{spent}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
