"""The notebook API (`goaltrace.Corpus`), used as a researcher would in a notebook, on a store of
real published forms: the frames hold the rows the CSV exports hold, typed as promised;
a filter gives what the export's --department/--year give; a `goaltrace serve` endpoint gives
the same frames as the store directory it serves."""

import csv
import io
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest

from conftest import Server, run_goaltrace
from goaltrace import Corpus
from goaltrace.notebook import CorpusError

REAL = Path(__file__).parents[1] / "fixtures" / "real"
BATCHES = ("dept", "agri", "selfeval")  # department, project and self-evaluation forms from several provinces


@pytest.fixture(scope="session")
def real_store(tmp_path_factory) -> str:
    store = str(tmp_path_factory.mktemp("notebook") / "store")
    result = run_goaltrace("import", "--store", store, "--keep-going", "--partial", *(str(REAL / b) for b in BATCHES))
    assert "imported" in result.stderr_text + result.stdout_text, result.stderr_text
    return store


@pytest.fixture(scope="session")
def corpus(real_store) -> Corpus:
    return Corpus(real_store)


def exported(store: str, table: str, *options: str) -> list[dict[str, str]]:
    """The CSV export as a reader of the file sees it: a text cell a spreadsheet would run as a
    formula (=, +, -, @ first) is written with a ' in front, which is taken off again here."""
    text = run_goaltrace("export", table, "--format", "csv", "--store", store, *options, check=True).stdout_text
    unguard = lambda cell: cell[1:] if cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@") else cell
    return [{k: unguard(v) for k, v in row.items()} for row in csv.DictReader(io.StringIO(text))]


def same_cell(frame_value, csv_text: str) -> bool:
    if frame_value is pd.NA or frame_value is None:  # met: 'unknown' in the export, NA in the frame
        return csv_text in ("", "unknown")
    if isinstance(frame_value, bool):
        return csv_text == ("true" if frame_value else "false")
    if isinstance(frame_value, float | int) and not isinstance(frame_value, bool):
        return csv_text != "" and Decimal(csv_text) == Decimal(str(frame_value))
    return frame_value == csv_text


def assert_same_rows(frame: pd.DataFrame, rows: list[dict[str, str]]):
    assert list(frame.columns) == list(rows[0]) if rows else True
    assert len(frame) == len(rows)
    for index, row in enumerate(rows):
        record = frame.iloc[index].to_dict()
        differing = {c: (record[c], row[c]) for c in row if not same_cell(record[c], row[c])}
        assert not differing, (index, differing)


@pytest.mark.parametrize("table", ["indicators", "funds", "outcomes"])
def test_a_frame_holds_the_rows_of_the_csv_export(corpus, real_store, table):
    frame = getattr(corpus, table)()
    rows = exported(real_store, table)
    assert len(rows) > 10  # a store of real forms: every table has rows to compare
    assert_same_rows(frame, rows)


def test_columns_are_typed_as_promised(corpus):
    indicators, funds, outcomes = corpus.indicators(), corpus.funds(), corpus.outcomes()
    assert indicators.year.dtype == "Int64" and indicators.weight.dtype == "Float64"
    assert funds.amount.dtype == "Float64" and funds.line.dtype == "Int64"
    assert outcomes.score.dtype == "Float64" and outcomes.met.dtype == "boolean"
    assert indicators.department.dtype == "string" and indicators.indicator.dtype == "string"
    # department-wide indicators have no project: NA, not ''
    assert indicators.project.isna().any() and not (indicators.project == "").any()
    # a self-evaluation that cannot tell whether a target was met says so as NA, not False
    assert outcomes.met.isna().any() and outcomes.met.any() and outcomes.met.eq(False).any()
    # target values: numbers as floats, a qualitative target as its text
    values = indicators.value.dropna()
    assert {type(v) for v in values} == {float, str}
    assert indicators.loc[indicators.comparator == "qualitative", "value"].map(type).eq(str).all()
    # sums and means work on numeric columns as they are
    assert funds.amount.sum() > 0 and 0 < outcomes.score.mean() <= 100


def test_a_filter_gives_the_rows_of_the_exports_department_and_year(corpus, real_store):
    frame = corpus.indicators()
    department, year = frame.groupby(["department", "year"]).size().idxmax()
    part = department[1:-1]  # a part of the name is enough, as for --department
    chosen = corpus.indicators(department=part, year=int(year))
    assert 0 < len(chosen) < len(frame)
    assert_same_rows(chosen, exported(real_store, "indicators", "--department", part, "--year", str(year)))
    assert corpus.indicators(department=part, year=str(year)).equals(chosen)  # a year given as text


def test_any_column_the_export_has_is_a_filter(corpus):
    frame = corpus.indicators()
    satisfaction = corpus.indicators(level1="满意度指标")
    assert len(satisfaction) == (frame.level1 == "满意度指标").sum() > 0
    several = corpus.indicators(level1=["满意度指标", "效益指标"], comparator=">=")
    assert set(several.level1) == {"满意度指标", "效益指标"} and set(several.comparator) == {">="}
    recent = corpus.indicators(year=lambda y: y >= 2022)
    assert 0 < len(recent) < len(frame) and (recent.year >= 2022).all()
    with pytest.raises(CorpusError, match="no column 'region' to filter by; the columns are form, department"):
        corpus.indicators(region="湖南")
    with pytest.raises(CorpusError, match=r"year='last': expected a whole number"):
        corpus.funds(year="last")


def test_a_named_query_with_its_inputs(corpus, real_store):
    declarations = corpus.query("declarations")
    assert declarations.year.dtype == "Int64" and len(declarations) == 13
    sizes = {iri: len(corpus.query("declaration-projects", declaration=iri)) for iri in declarations.d}
    iri = max(sizes, key=sizes.get)
    projects = corpus.query("declaration-projects", declaration=iri)
    text = run_goaltrace("query", "declaration-projects", "-i", f"declaration={iri}", "--format", "csv",
                         "--store", real_store, check=True).stdout_text
    rows = list(csv.DictReader(io.StringIO(text)))
    assert list(projects.columns) == list(rows[0]) and len(projects) == len(rows) > 0
    with pytest.raises(CorpusError, match="no named query declaration-project; did you mean"):
        corpus.query("declaration-project")
    with pytest.raises(CorpusError, match="takes no input 'unit'"):
        corpus.query("declaration-projects", unit="x")


def test_a_missing_store_is_one_line(tmp_path):
    from goaltrace.graph.store import StoreError

    with pytest.raises(StoreError, match="no store here"):
        Corpus(str(tmp_path / "nowhere"))


def test_a_remote_endpoint_gives_the_same_frames(corpus, real_store):
    server = Server("--store", real_store, "--query-workers", "1", "--page-workers", "1")
    try:
        remote = Corpus(server.base + "/sparql")
        for table in ("indicators", "funds", "outcomes"):
            pd.testing.assert_frame_equal(getattr(remote, table)(), getattr(corpus, table)())
        pd.testing.assert_frame_equal(remote.query("declarations"), corpus.query("declarations"))
    finally:
        server.stop()


def test_import_goaltrace_stays_light():
    code = "import sys, goaltrace; print('pandas' in sys.modules); from goaltrace import Corpus; print(Corpus.__name__)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.split()
    assert out == ["False", "Corpus"]
