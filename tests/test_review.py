"""The review queue and corrections that stick: `goaltrace review` writes the rows that need a
look, a person fills in what is wrong, `goaltrace import review.csv` applies it as its own
graph; the correction holds while the source's bytes do, and is reported stale once they
change. Bad review files are refused with FILE:LINE and leave the store as it was.

Until the reader flags rows itself, nothing in a real import needs review: these tests add one
`gt:needsReview` triple to a row of a real imported form to flag it (marked where it is done)."""

import csv
import gc
import hashlib
import io
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest

from conftest import run_goaltrace
from goaltrace import exporting, review, validate
from goaltrace.forms import FormError
from goaltrace.graph.namespaces import GT, GTF
from goaltrace.graph.store import Store
from goaltrace.importing import import_files

REAL = (
    Path(__file__).parent
    / "fixtures"
    / "real"
    / "heldout"
    / "chongqing-rongchang-greening-2022.txt"
)
ROW = "绿化美化公路"  # read at line 86 as = 3500 米
REASON = f"{GTF}review/column-by-position"


def _flag(store: Store, indicator_name: str):
    """Flag one row as the reader does where it guessed: one gt:needsReview triple in the row's
    form graph (added by hand here, on a real imported store the reader is sure of)."""
    found = next(
        q
        for q in store.quads(None, ox.NamedNode(f"{GT}indicatorName"), None)
        if q.object.value == indicator_name
    )
    store.add_to_graph(
        found.graph_name.value,
        [
            ox.Triple(
                found.subject, ox.NamedNode(f"{GT}needsReview"), ox.NamedNode(REASON)
            )
        ],
    )


@pytest.fixture
def imported(tmp_path):
    """A store on disk holding a copy of a real form, one of its rows flagged."""
    source = tmp_path / "greening.txt"
    shutil.copy(REAL, source)
    store = Store.open(str(tmp_path / "store"))
    import_files(store, [str(source)])
    _flag(store, ROW)
    return store, source


def _value(store: Store, name: str) -> str:
    return next(
        row["value"]
        for row in exporting.rows(store, "indicators")
        if row["indicator"] == name
    )


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


def test_a_correction_survives_reimport_and_goes_stale_when_the_source_changes(
    imported, tmp_path
):
    store, source = imported
    written = tmp_path / "queue.csv"
    result = run_goaltrace(
        "review", "--store", store.location, "--out", str(written), check=True
    )
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
    ) == ("line 86", ROW, "'=", "3500", "米")
    assert row["source_text"].startswith(ROW) and row["review"] == "column taken by position"
    assert all(row[c] == "" for c in (*review.CORRECTED, "reviewer", "note"))

    filled = _filled(
        written, corrected_value="3600", reviewer="王芳", note="表中为3600米"
    )
    (imported_file,) = import_files(store, [str(filled)])[0]
    assert imported_file.corrections.corrected == 1
    assert _value(store, ROW) == "3600"  # the corrected reading, in every export
    assert review.queue(store) == []  # reviewed: sure, so out of the queue
    corrected = next(r for r in exporting.rows(store, "indicators") if r["indicator"] == ROW)
    assert corrected["review"] == ""  # and the export's review column says so
    assert (
        next(r for r in review.queue(store, everything=True) if r["indicator"] == ROW)[
            "reviewed_by"
        ]
        == "王芳"
    )

    # the same bytes again (written anew here only because the flag added by hand is not in them)
    import_files(store, [str(source)])
    assert _value(store, ROW) == "3600"

    source.write_text(
        source.read_text(encoding="utf-8").replace("15000", "16000"), encoding="utf-8"
    )
    import_files(store, [str(source)])
    assert (
        _value(store, ROW) == "3500"
    )  # the correction no longer applies: the reading shows
    stale = [
        f for f in validate.validate(store).findings if f.rule == "correction-stale"
    ]
    assert [(f.severity, f.line, f.form_label) for f in stale] == [
        ("Warning", 2, "复核文件 review file review.csv")
    ]
    assert "line 86" in stale[0].message_en and ROW in stale[0].message_zh


def test_ok_confirms_a_row_and_a_qualitative_correction_keeps_its_words(
    imported, tmp_path
):
    store, _ = imported
    written = tmp_path / "all.csv"
    rows = review.queue(store, everything=True)
    written.write_text(
        exporting.to_csv("review", rows, columns=review.COLUMNS), encoding="utf-8"
    )
    rows = list(csv.DictReader(io.StringIO(written.read_text(encoding="utf-8"))))
    rows[0].update(note="ok", reviewer="王芳")
    rows[1].update(
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
    second = next(
        r
        for r in exporting.rows(store, "indicators")
        if r["indicator"] == rows[1]["indicator"]
    )
    assert (second["comparator"], second["value"], second["level2"]) == (
        "qualitative",
        "逐步提高",
        "质量指标",
    )
    assert json.loads(exporting.to_json([second]))[0]["value"] == "逐步提高"
    assert (
        _value(store, ROW) == "3500" and review.queue(store) == []
    )  # confirmed as read: sure, unchanged


@pytest.mark.parametrize(
    ("edit", "line", "expected"),
    [
        ({"extra": "x"}, 1, "unknown column 'extra'"),
        (
            {"place": "line 999"},
            2,
            "found none: the place does not exist in that source",
        ),
        ({"corrected_value": "三千六"}, 2, "expected a number in corrected_value"),
        ({"corrected_level1": "好指标"}, 2, "expected a level 1 of the catalogue"),
        ({"source_sha256": "0" * 64}, 2, "expected a source file this store holds"),
        ({"reviewer": ""}, 2, "expected the reviewer's name"),
    ],
)
def test_a_bad_review_file_is_refused_at_its_line_and_changes_nothing(
    imported, tmp_path, edit, line, expected
):
    store, _ = imported
    written = tmp_path / "queue.csv"
    rows = review.queue(store)
    written.write_text(
        exporting.to_csv("review", rows, columns=review.COLUMNS), encoding="utf-8"
    )
    cells = {"corrected_value": "3600", "reviewer": "王芳", **edit}
    extra = cells.pop("extra", None)
    filled = _filled(written, **cells)
    if extra:  # a column the file does not have
        text = filled.read_text(encoding="utf-8-sig").splitlines()
        filled.write_text(
            "\n".join([text[0] + ",extra", text[1] + ",x"]) + "\n", encoding="utf-8"
        )
    before = set(store.quads())
    with pytest.raises(FormError) as refused:
        import_files(store, [str(filled)])
    assert str(refused.value).startswith(f"{filled}:{line}: ") and expected in str(
        refused.value
    )
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
        "column taken by position" in page and "绿化美化公路\t米\t=\t3500</td>" in page
    )  # the row as published, beside
    assert "1 行 rows" in page
    assert ROW in client.get(
        "/review?review=column-by-position&year=2022&department=区林业局"
    ).get_data(as_text=True)
    assert ROW not in client.get("/review?year=2021").get_data(as_text=True)
    download = client.get("/review?format=csv&limit=10000").get_data()
    assert download.decode("utf-8-sig") == cli.read_text(encoding="utf-8-sig")
    (answer,) = client.get("/api/review").get_json()
    assert (answer["place"], answer["value"], answer["review"]) == (
        "line 86",
        3500,
        "column taken by position",
    )


def test_a_row_of_a_document_is_named_by_its_table_and_row(tmp_path):
    from render_formats import to_docx

    text = (Path(__file__).parent / "fixtures" / "valid-declaration.txt").read_text(
        encoding="utf-8"
    )
    store = Store.open(str(tmp_path / "store"))
    import_files(store, [str(to_docx(text, tmp_path / "form.docx"))])
    _flag(store, "受援人满意度")  # by hand, as above
    written = tmp_path / "queue.csv"
    written.write_text(
        exporting.to_csv("review", review.queue(store), columns=review.COLUMNS),
        encoding="utf-8",
    )
    (row,) = csv.DictReader(io.StringIO(written.read_text(encoding="utf-8")))
    assert row["place"].startswith("table 1 row ")
    import_files(store, [str(_filled(written, corrected_value="98", reviewer="王芳"))])
    assert "98" in [
        r["value"]
        for r in exporting.rows(store, "indicators")
        if r["indicator"] == "受援人满意度"
    ]
