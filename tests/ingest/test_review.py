"""The review queue and corrections that stick: `goaltrace review` writes the rows that need a
look, a person fills in what is wrong, `goaltrace import review.csv` applies it as its own
graph; the correction holds while the source's bytes do, and is reported stale once they
change. Bad review files are refused with FILE:LINE and leave the store as it was.

The row under review is one the reader itself flags: a real Hunan form whose target for
返本分红比例 is a sentence with two percentages in it (`target not understood`)."""

import csv
import gc
import hashlib
import io
import json
import shutil
from pathlib import Path

import pytest

from conftest import run_goaltrace
from goaltrace.answers import exporting, review
from goaltrace.forms import FormError
from goaltrace.graph.store import Store
from goaltrace.ingest.importing import import_files
from goaltrace.rendering import formats
from goaltrace.validation import validate

REAL = Path(__file__).parents[1] / "fixtures" / "real" / "agri" / "hunan-nanyue-zcsy-2018.txt"
ROW = "返本分红比例"  # line 18: 质量指标 返本分红比例 第一年按总投资额返本20%,分红按8%分红
SENTENCE = "第一年按总投资额返本20%,分红按8%分红"


@pytest.fixture
def imported(tmp_path):
    """A store on disk holding a copy of a real form, one of whose rows the reader flags."""
    source = tmp_path / "nanyue.txt"
    shutil.copy(REAL, source)
    store = Store.open(str(tmp_path / "store"))
    import_files(store, [str(source)])
    return store, source


def _value(store: Store, name: str) -> str:
    return next(row["value"] for row in exporting.rows(store, "indicators") if row["indicator"] == name)


def _filled(path: Path, **cells: str) -> Path:
    """The review file with cells of its first row filled in, as a person does in Excel."""
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    rows[0].update(cells)
    out = path.with_name("review.csv")
    with open(out, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return out


def test_a_correction_survives_reimport_and_goes_stale_when_the_source_changes(imported, tmp_path):
    store, source = imported
    written = tmp_path / "queue.csv"
    result = run_goaltrace("review", "--store", store.location, "--out", str(written), check=True)
    assert result.stdout_text.startswith("wrote 1 rows that need a look")
    (row,) = csv.DictReader(io.StringIO(written.read_text(encoding="utf-8-sig")))
    assert row["source_sha256"] == hashlib.sha256(source.read_bytes()).hexdigest()
    # "=" is written "'=": a spreadsheet would run a bare = as a formula (the import takes the ' off)
    assert (
        row["place"],
        row["indicator"],
        row["comparator"],
        row["value"],
        row["unit"],
    ) == ("line 18", ROW, "qualitative", SENTENCE, "")
    assert row["source_text"].startswith("质量指标 返本分红比例") and row["review"] == "target not understood"
    assert all(row[c] == "" for c in (*review.CORRECTED, "reviewer", "note"))

    filled = _filled(
        written, corrected_comparator="=", corrected_value="20", corrected_unit="%", reviewer="王芳", note="第一年返本比例"
    )
    (imported_file,) = import_files(store, [str(filled)])[0]
    assert imported_file.corrections.corrected == 1
    assert _value(store, ROW) == "20"  # the corrected reading, in every export
    assert review.queue(store) == []  # reviewed: sure, so out of the queue
    corrected = next(r for r in exporting.rows(store, "indicators") if r["indicator"] == ROW)
    assert corrected["review"] == ""  # and the export's review column says so
    assert next(r for r in review.queue(store, everything=True) if r["indicator"] == ROW)["reviewed_by"] == "王芳"

    # the same bytes again
    import_files(store, [str(source)])
    assert _value(store, ROW) == "20"

    source.write_text(source.read_text(encoding="utf-8").replace("=46.16万元", "=46.17万元"), encoding="utf-8")
    import_files(store, [str(source)])
    assert _value(store, ROW) == SENTENCE  # the correction no longer applies: the reading shows
    stale = [f for f in validate.validate(store).findings if f.rule == "correction-stale"]
    assert [(f.severity, f.line, f.form_label) for f in stale] == [("Warning", 2, "复核文件 review file review.csv")]
    assert "line 18" in stale[0].message_en and ROW in stale[0].message_zh


def test_ok_confirms_a_row_and_a_qualitative_correction_keeps_its_words(imported, tmp_path):
    store, _ = imported
    written = tmp_path / "all.csv"
    rows = review.queue(store, everything=True)
    written.write_text(formats.text("table", "csv", formats.Rows("review", list(review.COLUMNS), rows)), encoding="utf-8")
    rows = list(csv.DictReader(io.StringIO(written.read_text(encoding="utf-8"))))
    flagged = next(r for r in rows if r["indicator"] == ROW)
    other = next(r for r in rows if r["indicator"] != ROW and r["comparator"] != "qualitative")
    flagged.update(note="ok", reviewer="王芳")
    other.update(
        corrected_comparator="qualitative",
        corrected_value="逐步提高",
        corrected_level2="质量指标",
        reviewer="李四",
    )
    with open(written, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=review.COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
    import_files(store, [str(written)])
    second = next(r for r in exporting.rows(store, "indicators") if r["indicator"] == other["indicator"])
    assert (second["comparator"], second["value"], second["level2"]) == (
        "qualitative",
        "逐步提高",
        "质量指标",
    )
    assert json.loads(formats.text("table", "json", formats.Rows("review", list(review.COLUMNS), [second])))[0]["value"] == "逐步提高"
    assert _value(store, ROW) == SENTENCE and review.queue(store) == []  # confirmed as read: sure, unchanged


@pytest.mark.parametrize(
    ("edit", "line", "expected"),
    [
        ({"extra": "x"}, 1, "unknown column 'extra'"),
        (
            {"place": "line 999"},
            2,
            "found none: the place does not exist in that source",
        ),
        ({"corrected_comparator": "≥", "corrected_value": "二成"}, 2, "expected a number in corrected_value"),
        ({"corrected_level1": "好指标"}, 2, "expected a level 1 of the catalogue"),
        ({"source_sha256": "0" * 64}, 2, "expected a source file this store holds"),
        ({"reviewer": ""}, 2, "expected the reviewer's name"),
    ],
)
def test_a_bad_review_file_is_refused_at_its_line_and_changes_nothing(imported, tmp_path, edit, line, expected):
    store, _ = imported
    written = tmp_path / "queue.csv"
    rows = review.queue(store)
    written.write_text(formats.text("table", "csv", formats.Rows("review", list(review.COLUMNS), rows)), encoding="utf-8")
    cells = {"corrected_value": "20", "reviewer": "王芳", **edit}
    extra = cells.pop("extra", None)
    filled = _filled(written, **cells)
    if extra:  # a column the file does not have
        text = filled.read_text(encoding="utf-8-sig").splitlines()
        filled.write_text("\n".join([text[0] + ",extra", text[1] + ",x"]) + "\n", encoding="utf-8")
    before = set(store.quads())
    with pytest.raises(FormError) as refused:
        import_files(store, [str(filled)])
    assert str(refused.value).startswith(f"{filled}:{line}: ") and expected in str(refused.value)
    assert set(store.quads()) == before


def test_the_review_page_lists_the_queue_and_offers_the_same_csv(imported, tmp_path):
    from goaltrace.web.app import create_app

    store, _ = imported
    location = store.location
    cli = tmp_path / "queue.csv"
    run_goaltrace("review", "--store", location, "--out", str(cli), check=True)
    del store
    gc.collect()
    client = create_app({"STORE_LOCATION": location, "QUERY_WORKERS": 1}).test_client()
    page = client.get("/review").get_data(as_text=True)
    assert (
        "target not understood" in page and '<td class="small">质量指标 返本分红比例 第一年按总投资额返本20%,分红按8%分红' in page
    )  # the row as published, beside
    assert "1 行 rows" in page
    assert ROW in client.get("/review?review=target-not-understood&year=2018&department=南岳镇人民政府").get_data(as_text=True)
    assert ROW not in client.get("/review?year=2021").get_data(as_text=True)
    download = client.get("/review?format=csv&limit=10000").get_data()
    assert download.decode("utf-8-sig") == cli.read_text(encoding="utf-8-sig")
    (answer,) = client.get("/api/review").get_json()
    assert (answer["place"], answer["value"], answer["review"]) == (
        "line 18",
        SENTENCE,
        "target not understood",
    )


def test_a_row_of_a_document_is_named_by_its_table_and_row(tmp_path):
    from render_formats import to_docx

    store = Store.open(str(tmp_path / "store"))
    import_files(store, [str(to_docx(REAL.read_text(encoding="utf-8"), tmp_path / "form.docx"))])
    written = tmp_path / "queue.csv"
    written.write_text(
        formats.text("table", "csv", formats.Rows("review", list(review.COLUMNS), review.queue(store))),
        encoding="utf-8",
    )
    (row,) = csv.DictReader(io.StringIO(written.read_text(encoding="utf-8")))
    assert (row["place"], row["indicator"]) == ("table 1 row 18", ROW)  # the form's 18th line, as a table row
    import_files(store, [str(_filled(written, corrected_value="20", corrected_unit="%", reviewer="王芳"))])
    assert _value(store, ROW) == "20"
