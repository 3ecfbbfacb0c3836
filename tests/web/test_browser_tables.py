"""The indicator table over a corpus, as a person uses it in real headless Chromium: a facet
clicked, a search typed, a column sorted, against `goaltrace serve` on a store of 201 generated
declarations; the rows checked against what the generator wrote, and the JSON API against the
page. (The `browser` and `page` fixtures are in conftest.py; `server` is this corpus's here.)"""

import gc
import re
import sys
import urllib.request
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from playwright.sync_api import expect

from conftest import Server
from goaltrace.graph.store import Store
from goaltrace.ingest.importing import import_files

sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "bench"))
from generate import generate  # noqa: E402

# the store below is imported once, by the one worker that runs this module
pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("browser_tables")]

DECLARATIONS = 201
SEARCH = "援助"  # inside names: 法律援助项目, 法律援助服务人次, …


@pytest.fixture(scope="session")
def written(tmp_path_factory):
    """(store folder, what the generator wrote: (unit, year, project, Indicator) per indicator),
    imported once a session in one `import_files` call, the table index kept as it writes."""
    work = tmp_path_factory.mktemp("browser-tables")
    record: list = []
    # small declarations (one or two projects, three or four indicators a form): as many
    # declarations for the tables to span, a fraction of the rows to import and index
    generate(work / "forms", DECLARATIONS, seed=21, record=record, projects=(1, 2), indicators=(3, 4))
    store = Store.open(str(work / "store"))
    import_files(store, [str(work / "forms")])  # the table index kept as the import writes
    del store
    gc.collect()
    return work / "store", record


@pytest.fixture(scope="module")
def server(written):
    running = Server("--store", str(written[0]))
    with urllib.request.urlopen(running.base + "/indicators?limit=1", timeout=60) as response:
        state = response.headers["X-Goaltrace-Table-Index"]
    if state != "ready":  # kept by the import: nothing to build here
        running.stop()
        pytest.fail(f"the table index is {state!r}, where the import should have kept it")
    yield running
    running.stop()


def _text(url: str) -> str:
    with urllib.request.urlopen(url, timeout=60) as response:
        return response.read().decode("utf-8")


def _api(page_url: str) -> list[dict]:
    """What /api/indicators answers for the parameters of a page's address, every row."""
    import json

    base, query = page_url.split("/indicators", 1)
    kept = [(k, v) for k, v in parse_qsl(urlsplit(query).query) if k not in ("limit", "offset")]
    from urllib.parse import urlencode

    return json.loads(_text(f"{base}/api/indicators?{urlencode(kept + [('limit', '9999')])}"))


def _shown_total(page) -> int:
    return int(re.search(r"(\d+) 行 rows", page.locator("#table-summary").inner_text()).group(1))


def test_facet_search_and_sort_on_the_indicator_table_of_a_corpus(page, server, written, shots):
    _, record = written
    page.goto(server.base + "/indicators")
    assert _shown_total(page) == len(record)
    # a facet: satisfaction indicators alone
    facet = page.locator('section.facet[data-column="level1"]')
    facet.get_by_role("link", name="满意度指标").click()
    expect(page.locator("#filters")).to_contain_text("满意度指标")
    satisfaction = [r for r in record if r[3].level1 == "满意度指标"]
    assert _shown_total(page) == len(satisfaction)
    # a search inside Chinese names, within the facet
    page.locator('#search input[name="q"]').fill(SEARCH)
    page.locator("#search button").click()
    page.wait_for_url(re.compile(r"q=%E6%8F%B4%E5%8A%A9"))
    wanted = [r for r in satisfaction if SEARCH in r[2] or SEARCH in r[3].name]
    assert wanted and _shown_total(page) == len(wanted)
    # sort by weight, then the other way
    header = page.locator('th[data-column="weight"] a.sort')
    header.click()
    page.wait_for_url(re.compile(r"sort=weight"))
    expect(page.locator('th[data-column="weight"]')).to_have_attribute("aria-sort", "ascending")
    weight_cell = [h for h in page.locator("#rows thead th").evaluate_all("hs => hs.map(h => h.dataset.column)")].index("weight")
    ascending = [int(c) for c in page.locator(f"#rows tbody tr td:nth-child({weight_cell + 1})").all_inner_texts()]
    assert ascending == sorted(ascending) and ascending[0] == min(r[3].weight for r in wanted)
    page.locator('th[data-column="weight"] a.sort').click()
    page.wait_for_url(re.compile(r"sort=-weight"))
    descending = [int(c) for c in page.locator(f"#rows tbody tr td:nth-child({weight_cell + 1})").all_inner_texts()]
    assert descending == sorted(descending, reverse=True) and descending[0] == max(r[3].weight for r in wanted)
    page.screenshot(path=str(shots / "indicators-corpus.png"), full_page=True)
    # the rows are those the generator wrote, and the API gives the same rows in the same order
    rows = _api(page.url)
    assert sorted((r["department"], int(r["year"]), r["project"], r["indicator"], r["weight"]) for r in rows) == \
        sorted((unit, year, project, i.name, i.weight) for unit, year, project, i in wanted)
    shown = page.locator("#rows tbody tr").evaluate_all("trs => trs.map(tr => tr.children[7].innerText.trim())")
    assert shown == [r["indicator"] for r in rows][:len(shown)]
