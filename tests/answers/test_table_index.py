"""The table index behind /indicators, /funds, /projects, /outcomes and their API: a search that
finds text inside Chinese names, sort on any column, filters on any column with facets that
count exactly the rows returned, and an index that stays right when a declaration is imported
again, deleted or corrected by a review file. A real store on disk (the seed and a few
generated declarations), the app over it, the changes made as the app makes them."""

import csv
import gc
import shutil
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import SEED, run_goaltrace
from goaltrace.answers import exporting, review, tables
from goaltrace.answers.table_index import TableIndex, store_stamp
from goaltrace.answers.trace import DeclarationRef
from goaltrace.graph.store import Store
from goaltrace.ingest.importing import import_files
from goaltrace.web.app import create_app

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import COUNTIES, DEPARTMENTS, generate  # noqa: E402

SEED_UNIT = "秀山土家族苗族自治县司法局"
SEED_ALIGNMENT = Path(__file__).resolve().parents[2] / "data" / "alignments" / "xiushan-justice-bureau-2023.ttl"
SEED_EVALUATION = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "xiushan-2023-legal-aid-self-evaluation.txt"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """(app client, context, the generated files): a store the app may write to."""
    work = tmp_path_factory.mktemp("table-index")
    files = generate(work / "forms", 4, seed=11)
    store = Store.open(str(work / "store"))
    import_files(store, [str(SEED), *map(str, files)])
    app = create_app({"STORE": store, "QUERY_WORKERS": 1})
    context = app.extensions["goaltrace"]
    context.refresh_index()
    yield app.test_client(), context, files
    del store, context, app
    gc.collect()


def everything(client, table: str = "indicators", **filters) -> list[dict]:
    query = "&".join(f"{k}={quote(str(v))}" for k, v in filters.items())
    response = client.get(f"/api/{table}?limit=9999&{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


def test_a_search_finds_text_inside_a_chinese_name(served):
    client, _, _ = served
    rows = everything(client)
    for text in ("援助", "法律援助", "满意"):  # two characters and more, inside longer names
        found = everything(client, q=text)
        expected = [r for r in rows if any(text in str(r[c]) for c in ("department", "project", "indicator", "level1",
                                                                         "level2", "unit", "value", "source_text"))]
        assert found and found == expected
    assert everything(client, q="援助", department=SEED_UNIT) == [r for r in rows if "援助" in r["source_text"] + r["project"]
                                                                 + r["indicator"] and r["department"] == SEED_UNIT]


def test_sort_on_any_column_ascending_and_descending(served):
    client, _, _ = served
    weights = [r["weight"] for r in everything(client, sort="-weight")]
    numbers = [w for w in weights if w is not None]
    assert numbers == sorted(numbers, reverse=True) and weights[:len(numbers)] == numbers  # empty cells last
    values = [r["value"] for r in everything(client, sort="value")]
    numeric = [v for v in values if isinstance(v, (int, float))]
    assert numeric == sorted(numeric) and values.index(numeric[0]) < min(
        (i for i, v in enumerate(values) if isinstance(v, str) and v), default=len(values))
    names = [r["indicator"] for r in everything(client, sort="indicator", level1="满意度指标")]
    assert names == sorted(names)
    refused = client.get("/api/indicators?sort=valu")
    assert refused.status_code == 400 and refused.get_json()["error"].startswith("sort must be a column")


def test_facets_of_the_api_count_the_rows_each_filter_returns(served):
    client, _, _ = served
    page = client.get("/indicators?q=" + quote("满意度")).get_data(as_text=True)
    assert 'data-column="level1"' in page
    facets = client.get("/api/indicators/facets?q=" + quote("满意度")).get_json()["facets"]
    for column in ("department", "level1", "unit"):
        for entry in facets[column]["values"][:3]:
            rows = everything(client, q="满意度", **{column: entry["value"]})
            assert len(rows) == entry["count"] and {r[column] for r in rows} == {entry["value"]}


def test_the_index_follows_a_reimport_a_correction_and_a_delete(served, tmp_path):
    client, context, files = served
    changed = files[1].read_text(encoding="utf-8")
    unit, year = COUNTIES[0] + DEPARTMENTS[1], 2021  # the generator's second declaration
    old = next(r["indicator"] for r in everything(client, department=unit, year=year) if r["indicator"] in changed)
    edited = tmp_path / files[1].name  # a revised edition of the same unit's declaration: one name changed
    edited.write_text(changed.replace(old, "重新发布的指标名称"), encoding="utf-8")
    context.write(lambda store: import_files(store, [str(edited)]))
    assert [r["indicator"] for r in everything(client, q="重新发布")] and not everything(client, q=old, department=unit)

    row = next(r for r in review.queue(context.store, everything=True) if r["department"] == SEED_UNIT)
    corrections = tmp_path / "review.csv"
    with open(corrections, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=review.COLUMNS)
        writer.writeheader()
        writer.writerow({**row, "corrected_value": "4321", "reviewer": "王芳"})
    context.write(lambda store: import_files(store, [str(corrections)]))
    corrected = everything(client, department=SEED_UNIT, indicator=row["indicator"])
    assert [r["value"] for r in corrected] == [4321]
    assert everything(client, department=SEED_UNIT, sort="-value")[0]["value"] >= 4321

    declaration = f"https://w3id.org/goaltrace/id/{unit}/{year}"
    context.write(lambda store: [store.drop_graph(g) for g in store.declaration_graphs(declaration)])
    assert not everything(client, department=unit) and not everything(client, q="重新发布")
    assert unit not in {r["department"] for r in everything(client, "funds")}
    assert len(everything(client)) == len(exporting.rows(context.store, "indicators"))


@pytest.fixture(scope="module")
def imported(tmp_path_factory):
    """(store folder, the generated files): the seed with its alignment and a self-evaluation,
    and two small generated declarations, imported as `goaltrace import` imports them, into a
    store nothing else has touched."""
    work = tmp_path_factory.mktemp("index-upkeep")
    files = generate(work / "forms", 2, seed=5, projects=(1, 2), indicators=(3, 4))
    store = Store.open(str(work / "store"))
    import_files(store, [str(SEED), str(SEED_ALIGNMENT), str(SEED_EVALUATION), *map(str, files)])
    del store
    gc.collect()
    return work / "store", files


def _served(location) -> tuple:
    app = create_app({"STORE_LOCATION": str(location), "QUERY_WORKERS": 1})
    return app.test_client(), app.extensions["goaltrace"]


def _indexed(location, department: str) -> list[dict]:
    """A unit's indicator rows as the index holds them."""
    index = TableIndex(Path(location) / "goaltrace-index" / "tables.sqlite")
    rows, _ = index.rows("indicators", {"department": department}, "", "", 9999, 0, 30.0)
    return rows


def test_an_import_keeps_the_index_and_the_server_only_reads_it(imported):
    location, _ = imported
    client, context = _served(location)
    page = client.get("/indicators")
    assert page.headers["X-Goaltrace-Table-Index"] == "ready" and not context._indexing.locked()
    store = Store.open(str(location), read_only=True)
    assert everything(client) == exporting.typed(exporting.rows(store, "indicators"))
    del store, context, client
    gc.collect()


def test_the_rows_an_import_indexes_are_those_the_store_gives(imported):
    """Each table's rows as the index serves them (read at import from a copy of each batch of
    declarations) against the same named queries asked of the whole store, declaration by
    declaration (an outcome's unit is the one its self-evaluation names, so rows are compared
    table by table, in the index's order within each declaration)."""
    location, _ = imported
    store = Store.open(str(location), read_only=True)
    index = TableIndex.of(store)
    for table in tables.INDEXED:
        columns = index.columns(table)
        asked = []
        for row in store.run("declaration-catalogue"):
            declaration = DeclarationRef(row["d"].value, row["name"].value, int(row["year"].value))
            place = {c: row[c].value for c in exporting.PLACE}
            asked += [tuple({**tables.place_of(place), **r}.get(c, "") for c in columns)
                      for r in tables.declaration_rows(store, table, declaration, place)]
        served = [tuple(r[c] or "" for c in columns) for r in index.rows(table, {}, "", "", 99_999, 0, 30.0)[0]]
        assert sorted(served) == sorted(asked) and len(served) == len(asked)
        assert table != "outcomes" or served  # the self-evaluation was read with its declaration
    linked = index.rows("projects", {"department": SEED_UNIT}, "", "", 9999, 0, 30.0)[0]
    assert any(r["goals"] for r in linked)
    del store, index
    gc.collect()


def test_a_reimport_a_correction_and_a_mapping_rewrite_the_rows_of_what_they_wrote(imported, tmp_path):
    location, files = imported
    unit = COUNTIES[0] + DEPARTMENTS[1]  # the second generated declaration
    other = _indexed(location, COUNTIES[0] + DEPARTMENTS[0])
    text = files[1].read_text(encoding="utf-8")
    old = next(r["indicator"] for r in _indexed(location, unit) if r["indicator"] in text)
    edited = tmp_path / files[1].name
    edited.write_text(text.replace(old, "重新发布的指标名称"), encoding="utf-8")
    store = Store.open(str(location))
    import_files(store, [str(edited)])
    names = [r["indicator"] for r in _indexed(location, unit)]
    assert "重新发布的指标名称" in names and old not in names
    assert _indexed(location, COUNTIES[0] + DEPARTMENTS[0]) == other  # what was not written is as it was

    row = next(r for r in review.queue(store, everything=True) if r["department"] == SEED_UNIT)
    corrections = tmp_path / "review.csv"
    with open(corrections, "w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=review.COLUMNS)
        writer.writeheader()
        writer.writerow({**row, "corrected_value": "4321", "reviewer": "王芳"})
    import_files(store, [str(corrections)])
    assert [r["value"] for r in _indexed(location, SEED_UNIT) if r["indicator"] == row["indicator"]] == ["4321"]

    mapping = tmp_path / "concepts.csv"
    mapping.write_text(f"indicator,concept,curator\n{row['indicator']},cases-handled,王芳\n", encoding="utf-8")
    import_files(store, [str(mapping)])
    curated = [r for r in _indexed(location, SEED_UNIT) if r["indicator"] == row["indicator"]]
    assert curated and {(r["concept"], r["concept_basis"]) for r in curated} == {("cases-handled", "curated")}
    assert TableIndex.of(store).matches(store_stamp(store))
    del store
    gc.collect()


def test_a_store_whose_index_is_missing_says_so_until_goaltrace_index_builds_it(imported):
    location, _ = imported
    index = Path(location) / "goaltrace-index"
    shutil.rmtree(index)
    client, context = _served(location)
    page = client.get("/indicators")
    assert page.headers["X-Goaltrace-Table-Index"] == "stale"
    assert "goaltrace index --store" in page.get_data(as_text=True)
    assert not index.exists() or not TableIndex(index / "tables.sqlite").ready("indicators")  # the server built nothing
    del client, context
    gc.collect()
    built = run_goaltrace("index", "--store", str(location), check=True)
    assert built.stdout_text.strip().endswith("s") and "table index up to date; 3 of 3 declarations read again" in built.stdout_text
    client, _ = _served(location)
    assert client.get("/indicators").headers["X-Goaltrace-Table-Index"] == "ready"
    again = run_goaltrace("index", "--store", str(location), check=True)
    assert "0 of 3 declarations read again" in again.stdout_text  # nothing changed since
