"""The browsable tables (/indicators, /projects, /funds, /declarations): facets that narrow a
table and count exactly the rows the API returns for the same filter, filters a click removes,
next and previous pages, CSV that Excel reads (UTF-8 with a byte order mark), xlsx, unknown
parameters refused; the pictures of funds per goal and per dimension, and of indicator kinds
across declarations. A real store of generated declarations (bench/generate.py) and the seed."""

import csv
import gc
import html
import io
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qsl, quote, urlsplit

import openpyxl
import pytest

from conftest import GOALTRACE, SEED, run_goaltrace
from goaltrace.answers import exporting
from goaltrace.graph.store import Store
from goaltrace.ingest.importing import import_files
from goaltrace.web.app import create_app
from goaltrace.web.tables import NARROW

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import generate  # noqa: E402

GENERATED = 30  # all of 2021, twelve of them in 秀山 (bench/generate.py's order), with the seed's 2023
XIUSHAN = "秀山土家族苗族自治县"
SEED_UNIT = "秀山土家族苗族自治县司法局"
SEED_QUERY = f"department={quote(SEED_UNIT)}&year=2023"
SEED_INDICATORS = 65  # the seed's indicators, annual and long-term (as /api/indicators has always listed them)


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    work = tmp_path_factory.mktemp("tables")
    generate(work / "forms", GENERATED, seed=3)
    store = Store.open(str(work / "store"))
    import_files(store, [str(work / "forms"), str(SEED), str(SEED.parents[1] / "alignments")])
    del store
    gc.collect()
    app = create_app({"STORE_LOCATION": str(work / "store"), "QUERY_WORKERS": 1})
    app.extensions["goaltrace"].refresh_index()  # the table index built, as a server builds it when it starts
    return app.test_client()


def facets(page: str) -> dict[str, list[tuple[str, int, str]]]:
    """column → [(value, count, link)] as the page shows them."""
    found = {}
    for column, body in re.findall(r'<section class="facet" data-column="([^"]+)">(.*?)</section>', page, re.S):
        found[column] = [(_value(html.unescape(value)), int(count), html.unescape(href)) for href, value, count
                         in re.findall(r'<li><a href="([^"]+)">([^<]*)</a> <span class="count">(\d+)</span>', body)]
    return found


def _value(shown: str) -> str:
    return "" if shown == "（空 empty）" else shown


def cells(page: str) -> list[list[str]]:
    """The table's rows, each a list of its cells' text."""
    body = re.search(r'<table class="rows" id="rows">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    if "no rows match" in body:
        return []
    return [[html.unescape(re.sub(r"<[^>]+>", "", cell)).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def table_rows(page: str) -> int:
    return len(cells(page))


def link(page: str, rel: str) -> str | None:
    found = re.search(rf'<a rel="{rel}" href="([^"]+)">', page)
    return html.unescape(found.group(1)) if found else None


def api(client, page_link: str, table: str = "indicators") -> list[dict]:
    """What /api/<table> returns for the filters of a page's link."""
    query = [(k, v) for k, v in parse_qsl(urlsplit(page_link).query, keep_blank_values=True) if k != "offset"]
    response = client.get(f"/api/{table}", query_string=[*query, ("limit", "9999")])
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "Link" not in response.headers
    return response.get_json()


def test_every_facet_of_a_declaration_narrows_the_table_to_the_rows_the_api_returns(client):
    page = client.get(f"/indicators?{SEED_QUERY}").get_data(as_text=True)
    shown = facets(page)
    assert {"level1", "level2", "unit", "comparator", "project", "term"} <= set(shown)
    assert "department" not in shown and "year" not in shown  # chosen already: shown as filters instead
    level1 = {value: count for value, count, _ in shown["level1"]}
    assert set(level1) >= {"产出指标", "效益指标", "满意度指标"}
    assert sum(level1.values()) == SEED_INDICATORS
    for column in ("level1", "unit", "comparator", "project"):
        for value, count, href in shown[column][:4]:
            narrowed = client.get(href).get_data(as_text=True)
            assert f"{count} 行 rows" in narrowed
            rows = api(client, href)
            assert len(rows) == count
            assert {r[column] for r in rows} == {value}
            assert {r["department"] for r in rows} == {SEED_UNIT}
            assert table_rows(narrowed) == min(count, 50)


def test_a_filter_is_shown_and_removed_with_a_click(client):
    page = client.get(f"/indicators?{SEED_QUERY}&level1=" + quote("满意度指标")).get_data(as_text=True)
    removals = {c: html.unescape(h) for h, c in re.findall(r'<a class="remove" href="([^"]+)"[^>]*aria-label="remove (\w+)"', page)}
    assert set(removals) == {"department", "year", "level1"}
    without = client.get(removals["level1"]).get_data(as_text=True)
    assert f"{SEED_INDICATORS} 行 rows" in without
    assert "level1" not in dict(parse_qsl(urlsplit(removals["level1"]).query))


def test_a_county_facet_counts_rows_across_its_declarations(client):
    page = client.get("/funds?county=" + quote(XIUSHAN)).get_data(as_text=True)
    shown = facets(page)
    departments = {value: count for value, count, _ in shown["department"]}
    assert SEED_UNIT in departments and all(d.startswith(XIUSHAN) for d in departments)
    rows_shown = int(re.search(r"(\d+) 行 rows", page).group(1))
    assert [(v, n) for v, n, _ in shown["province"]] == [("重庆市", rows_shown)]
    for value, count, href in shown["kind"]:
        rows = api(client, href, "funds")
        assert len(rows) == count and {r["kind"] for r in rows} == {value}
        assert all(r["department"].startswith(XIUSHAN) and r["division_code"] == "500241" for r in rows)


def test_across_every_declaration_facets_count_rows_and_row_filters_narrow(client):
    page = client.get("/indicators").get_data(as_text=True)
    shown = facets(page)
    assert {"department", "year", "province", "city", "county", "level1", "unit", "comparator"} <= set(shown)
    assert "(申报数 declarations)" not in page  # rows counted, from the index, not declarations
    years = {v: n for v, n, _ in shown["year"]}
    assert set(years) == {"2021", "2023"} and years["2023"] == SEED_INDICATORS
    assert sum(years.values()) == int(re.search(r"(\d+) 行 rows", page).group(1))
    assert dict((v, n) for v, n, _ in shown["province"]) == {"重庆市": sum(years.values())}  # every generated county is in Chongqing
    declarations = client.get("/declarations?year=2021").get_data(as_text=True)
    assert f"{GENERATED} 行 rows" in declarations
    wide = client.get("/api/indicators?year=2021&level1=" + quote("产出指标") + "&limit=9999")
    assert GENERATED > NARROW and wide.status_code == 200
    rows = wide.get_json()
    assert rows and {(r["year"], r["level1"]) for r in rows} == {("2021", "产出指标")}
    narrowed = client.get("/indicators?year=2021&level1=" + quote("产出指标")).get_data(as_text=True)
    assert f"{len(rows)} 行 rows" in narrowed


def test_pages_follow_one_another_and_add_up_to_the_api_rows(client):
    everything = api(client, f"/indicators?{SEED_QUERY}")
    seen, url, pages = [], f"/indicators?{SEED_QUERY}&limit=20", 0
    while url:
        page = client.get(url).get_data(as_text=True)
        pages += 1
        seen += [row[7] for row in cells(page)]  # the indicator's name, the eighth column
        previous = link(page, "prev")
        assert (previous is None) == (pages == 1)
        url = link(page, "next")
    assert pages == 4  # 65 rows, 20 a page
    assert seen == [r["indicator"] for r in everything]
    last = client.get(f"/indicators?{SEED_QUERY}&limit=20&offset=60").get_data(as_text=True)
    assert table_rows(last) == SEED_INDICATORS - 60 and link(last, "next") is None
    assert "offset=40" in link(last, "prev")


def test_the_api_pages_the_corpus_with_the_same_filters(client):
    first = client.get("/api/indicators?county=" + quote(XIUSHAN) + "&limit=30")
    assert len(first.get_json()) == 30
    assert first.headers["Link"] == f'</api/indicators?county={quote(XIUSHAN)}&limit=30&offset=30>; rel="next"'
    second = client.get("/api/indicators?county=" + quote(XIUSHAN) + "&limit=30&offset=30").get_json()
    assert second[0] != first.get_json()[0]
    wide = client.get("/api/indicators?year=2021&limit=500")
    assert len(wide.get_json()) == 500 and {r["year"] for r in wide.get_json()} == {"2021"} and "Link" in wide.headers


def test_csv_has_the_byte_order_mark_excel_needs_and_parses(client):
    page = client.get(f"/indicators?{SEED_QUERY}").get_data(as_text=True)
    href = html.unescape(re.search(r'<a href="([^"]+)">CSV</a>', page).group(1))
    response = client.get(href)
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert response.data.startswith(b"\xef\xbb\xbf")
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="indicators.csv"')  # and, for browsers that take it, the unit's name:
    assert f"filename*=UTF-8''{quote('indicators-' + SEED_UNIT + '-2023.csv')}" in disposition
    rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert len(rows) == SEED_INDICATORS
    assert list(rows[0]) == exporting.TABLES["indicators"]
    assert {r["department"] for r in rows} == {SEED_UNIT}
    api_csv = client.get(f"/api/funds?{SEED_QUERY}&format=csv").data
    assert api_csv.startswith(b"\xef\xbb\xbf") and api_csv.decode("utf-8-sig").startswith("form,department,year,project,")


def test_xlsx_opens_with_the_header_row_and_every_row(client):
    response = client.get(f"/api/indicators?{SEED_QUERY}&format=xlsx&level1=" + quote("产出指标"))
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    sheet = openpyxl.load_workbook(io.BytesIO(response.data)).active
    values = list(sheet.values)
    assert list(values[0]) == exporting.TABLES["indicators"]
    count = len(client.get(f"/api/indicators?{SEED_QUERY}&level1=" + quote("产出指标")).get_json())
    assert len(values) - 1 == count > 0
    assert all(row[5] == "产出指标" for row in values[1:])
    weights = [row[11] for row in values[1:] if row[11] is not None]
    assert weights and all(isinstance(w, (int, float)) for w in weights)  # numbers, not text, in Excel
    projects = client.get(f"/projects?{SEED_QUERY}&format=xlsx")
    assert list(next(openpyxl.load_workbook(io.BytesIO(projects.data)).active.values)) == \
        ["department", "year", "project", "funds", "goals", "annual_goal", "iri"]


@pytest.mark.parametrize("path", ["/api/indicators", "/api/funds", "/indicators", "/projects", "/funds", "/declarations"])
def test_an_unknown_parameter_is_refused_naming_the_allowed_ones(client, path):
    refused = client.get(path + "?levl1=x", headers={"Accept": "application/json"})
    assert refused.status_code == 400
    message = refused.get_json()["error"]
    assert message.startswith("unknown parameter levl1; allowed here: department, year, province, city, county")
    assert "format, limit, offset" in message
    assert client.get(path + "?format=pdf", headers={"Accept": "application/json"}).status_code == 400
    assert client.get(path + "?year=twenty", headers={"Accept": "application/json"}).status_code == 400


def test_the_command_line_writes_xlsx_and_csv_without_a_byte_order_mark(tmp_path):
    workbook = tmp_path / "funds.xlsx"
    run_goaltrace("export", "funds", "--format", "xlsx", "--output", str(workbook), check=True)
    values = list(openpyxl.load_workbook(workbook).active.values)
    plain = run_goaltrace("export", "funds", check=True).stdout
    assert not plain.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(plain.decode("utf-8"))))
    assert list(values[0]) == rows[0] == exporting.TABLES["funds"]
    assert len(values) == len(rows) > 1
    stdout = subprocess.run([GOALTRACE, "export", "indicators", "--format", "xlsx"], capture_output=True, check=True,
                            timeout=120).stdout  # bytes on standard output, for a pipe or a redirect
    assert len(list(openpyxl.load_workbook(io.BytesIO(stdout)).active.values)) == SEED_INDICATORS + 1


def test_goal_and_declaration_pages_picture_funds_per_goal_and_per_dimension(client):
    goal = client.get(f"/id/{SEED_UNIT}/2023/goal/3", headers={"Accept": "text/html"}).get_data(as_text=True)
    chart = re.search(r'<svg[^>]*class="chart goal-funds".*?</svg>', goal, re.S).group(0)
    assert "▶ 目标3 Goal 3" in chart  # the page's goal marked
    assert "only this goal 141.3 万元" in chart  # as the home page's goal table gives it
    assert "shared with other goals 385 万元（转移支付资金）" in chart
    declaration = client.get(f"/id/{SEED_UNIT}/2023", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert declaration.count('class="chart goal-funds"') == 1
    dimensions = re.search(r'<svg[^>]*class="chart dimension-funds".*?</svg>', declaration, re.S).group(0)
    assert all(kind in dimensions for kind in ("产出指标", "效益指标", "满意度指标"))
    assert f'href="/indicators?department={quote(SEED_UNIT)}&amp;year=2023"' in declaration


def test_declarations_picture_the_mix_of_indicator_kinds_per_year_and_province(client):
    page = client.get("/declarations").get_data(as_text=True)
    per_year = re.search(r'<figure id="kinds-per-year">(.*?)</figure>', page, re.S).group(1)
    labels = re.findall(r'text-anchor="end">([^<]+)</text>', per_year)
    assert [label.split(" ")[0] for label in labels] == ["2021", "2023"]
    seed_annual = int(re.search(r"2023 \((\d+)\)", per_year).group(1))
    assert seed_annual == SEED_INDICATORS  # 47 产出, 8 效益, 10 满意度
    per_region = re.search(r'<figure id="kinds-per-region">(.*?)</figure>', page, re.S).group(1)
    assert "重庆市" in per_region


def test_the_report_links_its_tables_as_files(client):
    page = client.get(f"/report?{SEED_QUERY}").get_data(as_text=True)
    links = [html.unescape(h) for h in re.findall(r'<a href="(/api/[^"]+format=(?:csv|xlsx))">', page)]
    assert len(links) == 4
    for href in links:
        response = client.get(href)
        assert response.status_code == 200 and len(response.data) > 100


@pytest.mark.browser
def test_clicking_a_facet_narrows_the_table_in_a_browser(page, server):
    from playwright.sync_api import expect

    page.goto(server.base + "/indicators")
    rows = page.locator("#rows tbody tr")
    expect(rows).to_have_count(50)
    facet = page.locator('section.facet[data-column="level1"] li', has_text="满意度指标")
    count = int(facet.locator(".count").inner_text())
    facet.get_by_role("link").click()
    page.wait_for_url("**level1=*")
    expect(rows).to_have_count(count)
    level1 = rows.locator("td:nth-child(6)").all_inner_texts()
    assert set(level1) == {"满意度指标"}
    assert page.locator("#table-summary").inner_text().startswith(f"{count} 行 rows")
    page.locator('#filters a[aria-label="remove level1"]').click()
    expect(rows).to_have_count(50)
