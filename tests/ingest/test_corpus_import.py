"""Importing a directory of forms as published, some broken: --keep-going, --report, the
progress line, and all-or-nothing without --keep-going."""

import json
import os
import pty
import subprocess
from pathlib import Path

import pytest

from conftest import GOALTRACE, SEED, run_goaltrace
from render_formats import to_docx, to_xlsx

REAL = Path(__file__).parents[1] / "fixtures" / "real"


@pytest.fixture
def corpus(tmp_path):
    """Four good files in four formats, and three bad ones: a PDF that is not one, a cut text,
    and a second file for a unit and year already declared."""
    folder = tmp_path / "forms"
    folder.mkdir()
    (folder / "a-seed.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    to_xlsx((REAL / "agri" / "hunan-yueyang-hbt-2022.txt").read_text(encoding="utf-8"), folder / "b-yueyang.xlsx")
    to_docx((REAL / "heldout" / "guangdong-dongguan-roads-2019.txt").read_text(encoding="utf-8").rsplit("\n", 2)[0],
            folder / "c-dongguan.docx")
    (folder / "d-huaibei.txt").write_text((REAL / "social" / "anhui-huaibei-village-opera-2025.txt").read_text(encoding="utf-8"),
                                          encoding="utf-8")
    (folder / "e-scan.pdf").write_bytes(b"%PDF-1.7 this is not a PDF at all")
    text = (REAL / "agri" / "anhui-luan-ncpzj-2024.txt").read_text(encoding="utf-8")
    (folder / "f-cut.txt").write_text(text, encoding="utf-8")  # stops mid-row at line 26
    (folder / "g-seed-again.txt").write_text(SEED.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "notes.md").write_text("not a form", encoding="utf-8")  # not a supported file: not read
    return folder


def _declarations(store) -> list[str]:
    out = run_goaltrace("query", "SELECT ?d WHERE { ?d a gt:Declaration }", "--format", "csv",
                        "--store", str(store), check=True).stdout_text
    return sorted(out.split()[1:])


def test_without_keep_going_one_bad_file_writes_nothing(corpus, tmp_path):
    store = tmp_path / "store"
    result = run_goaltrace("import", "--store", str(store), str(corpus))
    assert result.returncode == 2
    assert result.stderr_text.startswith(f"{corpus / 'e-scan.pdf'}:1: expected a PDF document, found one cut short")
    assert not store.exists() or _declarations(store) == []


def test_keep_going_imports_what_reads_and_names_the_rest(corpus, tmp_path):
    store, report = tmp_path / "store", tmp_path / "report.json"
    result = run_goaltrace("import", "--keep-going", "--report", str(report), "--store", str(store), str(corpus))
    assert result.returncode == 2
    skipped = [line for line in result.stderr_text.splitlines() if line.startswith("skipped ")]
    assert skipped == [
        f"skipped {corpus / 'e-scan.pdf'}:1: " + skipped[0].split(":1: ", 1)[1],
        f"skipped {corpus / 'f-cut.txt'}:26: " + skipped[1].split(":26: ", 1)[1],
        f"skipped {corpus / 'g-seed-again.txt'}:3: " + skipped[2].split(":3: ", 1)[1],
    ]
    assert "expected a PDF document, found one cut short" in skipped[0]
    assert "ends inside its indicator table" in skipped[1]
    assert skipped[2].endswith(f"found 部门整体支出绩效目标 in this file and in {corpus / 'a-seed.txt'}")
    assert result.stdout_text.rstrip().splitlines()[-1].startswith("imported 4 declarations from 7 files")
    assert result.stdout_text.rstrip().endswith("skipped 3")
    assert len(_declarations(store)) == 4
    outcomes = json.loads(report.read_text(encoding="utf-8"))
    assert (outcomes["imported_declarations"], outcomes["files"], outcomes["skipped"]) == (4, 7, 3)
    by_file = {Path(o["file"]).name: o for o in outcomes["outcomes"]}
    assert by_file["b-yueyang.xlsx"]["outcome"] == "imported" and by_file["b-yueyang.xlsx"]["indicators"] == 12
    assert by_file["c-dongguan.docx"]["department"] == "东莞市交通运输局"
    assert by_file["f-cut.txt"] == {"file": str(corpus / "f-cut.txt"), "outcome": "skipped", "line": 26,
                                    "reason": by_file["f-cut.txt"]["reason"]}
    assert "notes.md" not in by_file


def test_keep_going_with_nothing_wrong_exits_0(tmp_path):
    result = run_goaltrace("import", "--keep-going", "--store", str(tmp_path / "s"), str(SEED))
    assert result.returncode == 0
    summary = result.stdout_text.rstrip().splitlines()[-1]
    assert summary.startswith("imported 1 declarations from 1 files in ") and summary.endswith("; skipped 0")


def test_the_progress_line_shows_on_a_terminal_never_in_a_pipe(corpus, tmp_path):
    piped = run_goaltrace("import", "--keep-going", "--store", str(tmp_path / "a"), str(corpus))
    assert "\r" not in piped.stderr_text and "reading files" not in piped.stderr_text
    leader, follower = pty.openpty()
    process = subprocess.Popen([GOALTRACE, "import", "--keep-going", "--store", str(tmp_path / "b"), str(corpus)],
                               stdout=subprocess.DEVNULL, stderr=follower, env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    process.wait()
    os.close(leader)
    text = seen.decode("utf-8", errors="replace")
    assert "reading files" in text and "7/7" in text and "writing declarations" in text
