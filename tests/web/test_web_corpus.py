"""The web app over a corpus rather than one county: nothing validated at start, a home page
that summarises and pages, validation per declaration, tables that page and refuse unknown
parameters. A real store of generated declarations (bench/generate.py) and the seed."""

import gc
import re
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from conftest import SEED
from goaltrace.graph.store import Store
from goaltrace.ingest.importing import import_files
from goaltrace.web.app import create_app
from goaltrace.web.context import SMALL_CORPUS

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import generate  # noqa: E402

DECLARATIONS = 60  # past SMALL_CORPUS, and more than one page of the home page's list


# the module-wide fixture below is built once, by the one worker that runs this module
pytestmark = pytest.mark.xdist_group("web_corpus")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    work = tmp_path_factory.mktemp("corpus")
    generate(work / "forms", DECLARATIONS, seed=2)
    store = Store.open(str(work / "store"))
    import_files(store, [str(work / "forms"), str(SEED), str(SEED.parents[1] / "alignments")])
    del store  # closed, as `goaltrace import` leaves it; the app opens it read-only, as `serve` does
    gc.collect()
    app = create_app({"STORE_LOCATION": str(work / "store"), "QUERY_WORKERS": 1})
    context = app.extensions["goaltrace"]
    assert context._validations == {}  # nothing validated by building the app
    return app.test_client()


def test_the_corpus_is_large_for_the_app():
    assert DECLARATIONS + 1 > SMALL_CORPUS


def test_home_summarises_and_pages_the_corpus(client):
    page = client.get("/").get_data(as_text=True)
    assert f'<div class="big">{DECLARATIONS + 1}</div>申报 declarations' in page
    assert "按年度" in page and "<td>2021</td>" in page and "<td>2023</td>" in page
    assert "按省" in page and '<a href="/declarations?province=%E9%87%8D%E5%BA%86%E5%B8%82">重庆市</a>' in page
    assert page.count("<td><a href=\"/id/") == 50  # one page of declarations
    assert 'rel="next" href="/?q=&amp;page=2"' in page
    assert "validation-status" not in page  # the corpus is not validated for the home page
    second = client.get("/?page=2").get_data(as_text=True)
    assert second.count("<td><a href=\"/id/") == DECLARATIONS + 1 - 50 and 'rel="prev"' in second


def test_home_search_finds_units_by_part_of_their_name(client):
    page = client.get("/?q=" + quote("司法局")).get_data(as_text=True)
    units = re.findall(r'<td><a href="/id/[^"]+">([^<]+)</a></td><td>(\d{4})</td>', page)
    assert units and all("司法局" in unit for unit, _ in units)
    assert ("秀山土家族苗族自治县司法局", "2023") in units
    empty = client.get("/?q=" + quote("没有这个单位")).get_data(as_text=True)
    assert "no unit's name holds" in empty
    assert client.get("/?page=zero").status_code == 400


def test_validation_is_per_declaration_on_a_large_corpus(client):
    whole = client.get("/api/validation")
    assert whole.status_code == 400 and "?department=&year=" in whole.get_json()["error"]
    one = client.get("/api/validation?department=" + quote("秀山土家族苗族自治县司法局") + "&year=2023")
    assert one.status_code == 200
    findings = one.get_json()["results"]
    assert len(findings) == 33  # the seed's 31 findings (with its alignment) and the records that its stated project count and its budget table could not be checked; no other declaration's
    page = client.get("/validation?department=" + quote("秀山土家族苗族自治县司法局") + "&year=2023")
    assert page.status_code == 200


def test_tables_page_their_rows_and_refuse_unknown_parameters(client):
    refused = client.get("/api/indicators?level=产出")
    assert refused.status_code == 400
    assert refused.get_json()["error"] == ("unknown parameter level; allowed here: department, year, province, city, county, form, project, term, "
                                          "level1, level2, indicator, comparator, value, unit, weight, source_text, review, "
                                          "concept, concept_basis, division_code, q, sort, facet, all, format, limit, offset")
    first = client.get("/api/indicators?limit=7")
    rows = first.get_json()
    assert len(rows) == 7
    link = first.headers["Link"]
    assert link == '</api/indicators?limit=7&offset=7>; rel="next"'
    second = client.get("/api/indicators?limit=7&offset=7").get_json()
    assert second and second[0] != rows[0]
    assert client.get("/api/indicators?limit=0").status_code == 400
    seed = client.get("/api/indicators?department=" + quote("秀山土家族苗族自治县司法局") + "&year=2023&limit=100")
    assert len(seed.get_json()) == 65 and "Link" not in seed.headers
    assert {r["department"] for r in seed.get_json()} == {"秀山土家族苗族自治县司法局"}
    funds = client.get("/api/funds?department=" + quote("秀山土家族苗族自治县司法局") + "&year=2023").get_json()
    assert sum(1 for f in funds if f["project"] == "") == 3  # 预算支出总额, 基本支出, 项目支出: each amount once


def test_a_report_for_one_declaration_of_the_corpus(client):
    report = client.get("/report?department=" + quote("秀山土家族苗族自治县司法局") + "&year=2023")
    assert report.status_code == 200
    assert "转移支付资金" in report.get_data(as_text=True)
