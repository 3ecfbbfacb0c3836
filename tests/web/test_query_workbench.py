"""The query workbench at /query, as a person uses it in real Chromium: an editor that highlights
SPARQL and completes the predeclared prefixes and the ontology's terms, results paged and sorted,
Turtle for CONSTRUCT and DESCRIBE, one-line errors with their place, the query in a shareable
URL, a history kept in the browser. And /api/vocabulary, which feeds the completion."""

import json
import os
import random
import re
from urllib.parse import parse_qs, quote, urlparse

import pytest
import rdflib
from playwright.sync_api import expect
from rdflib.namespace import OWL, RDF, RDFS

from conftest import CHROMIUM, CHROMIUM_ARGS, NO_CJK_FONT, cjk_font_problem
from goaltrace import resources

GT = "https://w3id.org/goaltrace/ontology#"
GOAL_3 = "积极开展“标准化”司法所建设"  # the seed form's goal 3 (data/forms/xiushan-justice-bureau-2023.txt)
browser_test = pytest.mark.browser


@pytest.fixture(scope="module")
def ontology() -> rdflib.Graph:
    graph = rdflib.Graph()
    for source in resources.ontology_files():
        graph.parse(data=source.read_text(encoding="utf-8"), format="turtle")
    return graph


def label(graph: rdflib.Graph, term, language: str) -> str:
    return next(str(o) for o in graph.objects(rdflib.URIRef(term), RDFS.label) if o.language == language)


# ---- /api/vocabulary -------------------------------------------------------------------------------

def test_vocabulary_lists_the_predeclared_prefixes_and_every_class_and_property(server, ontology):
    status, headers, body = server.get("/api/vocabulary")
    assert status == 200 and headers["Content-Type"].startswith("application/json")
    vocabulary = json.loads(body)
    prefixes = {p["prefix"]: p["iri"] for p in vocabulary["prefixes"]}
    assert len(prefixes) == 14 and prefixes["gtc"] == "https://w3id.org/goaltrace/concept/"
    assert prefixes["gt"] == GT and prefixes["skos"] == "http://www.w3.org/2004/02/skos/core#"
    terms = {t["iri"]: t for t in vocabulary["terms"]}
    declared = {
        str(s): kind
        for kind, types in (("class", [OWL.Class]), ("property", [OWL.ObjectProperty, OWL.DatatypeProperty]))
        for t in types for s in ontology.subjects(RDF.type, t)
        if isinstance(s, rdflib.URIRef)  # a class made of others (owl:unionOf) has no name to list
    }
    assert len(declared) > 100
    for iri, kind in declared.items():
        assert terms[iri]["kind"] == kind, iri
        assert terms[iri]["zh"] == label(ontology, iri, "zh") and terms[iri]["en"] == label(ontology, iri, "en"), iri
    assert terms[GT + "Indicator"]["name"] == "gt:Indicator"
    assert terms["https://w3id.org/goaltrace/framework/unit-wan-yuan"]["zh"] == "万元"  # a unit, a concept of a scheme


def test_a_sparql_syntax_error_keeps_its_line_and_column(server):
    status, _, body = server.get("/sparql?query=" + quote("SELECT *\nWHERE { ?s ?p }"))
    assert status == 400 and re.search(r"error at 2:\d+", body.decode())


# ---- the editor -----------------------------------------------------------------------------------

def open_workbench(page, server, query: str | None = None):
    page.goto(server.base + "/query" + ("?query=" + quote(query) if query is not None else ""))
    page.wait_for_function("() => window.queryEditor !== undefined")
    page.wait_for_load_state("networkidle")  # the vocabulary has arrived


def clear_editor(page):
    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")


def editor_text(page) -> str:
    return page.evaluate("() => window.queryEditor.getValue()")


def set_editor(page, text: str):
    page.evaluate("(text) => window.queryEditor.setValue(text)", text)


@browser_test
def test_the_editor_highlights_sparql(page, server):
    open_workbench(page, server, "SELECT ?x WHERE { ?x a gt:Indicator } # 注释")
    expect(page.locator(".CodeMirror .cm-keyword", has_text="SELECT")).to_have_count(1)
    expect(page.locator(".CodeMirror .cm-variable-2", has_text="?x").first).to_be_visible()
    expect(page.locator(".CodeMirror .cm-comment")).to_contain_text("注释")


@browser_test
def test_completing_a_prefix_declaration(page, server):
    open_workbench(page, server)
    clear_editor(page)
    page.keyboard.type("PREFIX gt")
    page.keyboard.press("Control+Space")
    hints = page.locator(".CodeMirror-hints")
    expect(hints).to_contain_text("gtf:")
    page.keyboard.press("Enter")
    assert editor_text(page) == "PREFIX gt: <https://w3id.org/goaltrace/ontology#>"


@browser_test
def test_completing_a_prefix_then_a_class_shown_with_its_labels(page, server, ontology):
    open_workbench(page, server)
    clear_editor(page)
    page.keyboard.type("SELECT * WHERE { ?i a sk")
    page.keyboard.press("Control+Space")
    expect(page.locator(".CodeMirror-hints")).to_contain_text("skos:")
    page.keyboard.press("Enter")  # the prefix; the names under it are offered next
    assert editor_text(page).endswith("?i a skos:")
    page.keyboard.press("Escape")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.press("Backspace")
    page.keyboard.type("gt:Indic")  # typing a prefixed name offers its completions unasked
    active = page.locator(".CodeMirror-hints .CodeMirror-hint-active")
    expect(active).to_contain_text("gt:Indicator")
    expect(active).to_contain_text(label(ontology, GT + "Indicator", "zh"))
    expect(active).to_contain_text(label(ontology, GT + "Indicator", "en"))
    page.keyboard.press("Enter")
    assert editor_text(page) == "SELECT * WHERE { ?i a gt:Indicator"


@browser_test
def test_a_chinese_label_completes_to_its_term(page, server, ontology):
    open_workbench(page, server)
    clear_editor(page)
    page.keyboard.type("?i a ")
    page.keyboard.insert_text("绩效指标")  # the start of gt:Indicator's label, 绩效指标（三级指标）
    assert label(ontology, GT + "Indicator", "zh").startswith("绩效指标")
    page.keyboard.press("Control+Space")
    expect(page.locator(".CodeMirror-hints .CodeMirror-hint-active")).to_contain_text("gt:Indicator")
    page.keyboard.press("Enter")
    assert editor_text(page) == "?i a gt:Indicator"


@browser_test
def test_the_panel_lists_prefixes_and_schema_and_puts_names_in_the_editor(page, server, ontology):
    open_workbench(page, server)
    expect(page.locator("#prefix-panel table.prefixes tr")).to_have_count(14)
    classes = {str(s) for s in ontology.subjects(RDF.type, OWL.Class) if isinstance(s, rdflib.URIRef)}  # named ones
    expect(page.locator('#schema-panel details[data-kind="class"] li')).to_have_count(len(classes))
    page.locator("#schema-filter").fill(label(ontology, GT + "Project", "zh"))
    expect(page.locator('#schema-panel details[data-kind="class"] li:visible').first).to_be_visible()
    shown = page.locator("#schema-panel li:visible button.insert").all_inner_texts()
    assert "gt:Project" in shown and "gt:Indicator" not in shown
    clear_editor(page)
    page.keyboard.type("?p a ")
    page.locator("#schema-panel button.insert", has_text=re.compile("^gt:Project$")).click()
    assert editor_text(page) == "?p a gt:Project"


# ---- running, the URL and the history ------------------------------------------------------------

GOALS = """SELECT ?number ?text WHERE {
  ?goal a gt:OverallGoal ; gt:goalNumber ?number ; gt:goalText ?text .
} ORDER BY ?number"""


@browser_test
def test_a_shared_url_runs_its_query_on_load(page, server, shots):
    open_workbench(page, server, GOALS)
    rows = page.locator("#result-table tbody tr")
    expect(rows).to_have_count(3)
    assert rows.nth(2).locator("td").nth(0).inner_text() == "3"
    assert GOAL_3 in rows.nth(2).locator("td").nth(1).inner_text()
    assert editor_text(page) == GOALS
    set_editor(page, GOALS.replace("\n} ORDER BY ?number", "\n  ?goal gt:goa"))
    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+End")
    page.keyboard.type("l")  # completion offered unasked, with labels
    expect(page.locator(".CodeMirror-hints")).to_contain_text("gt:goalOf")
    page.screenshot(path=str(shots / "query.png"))
    page.keyboard.press("Escape")


@browser_test
def test_running_puts_the_query_in_the_url_and_the_history(page, server):
    open_workbench(page, server)
    set_editor(page, GOALS)
    page.locator(".CodeMirror").click()
    page.keyboard.press("Control+Enter")  # runs, as the button does
    expect(page.locator("#result-table tbody tr")).to_have_count(3)
    assert parse_qs(urlparse(page.url).query)["query"] == [GOALS]
    shared = page.url

    entry = page.locator("#history button.history-entry").first
    expect(entry).to_have_attribute("title", GOALS)
    set_editor(page, "ASK { ?s ?p ?o }")
    page.get_by_role("button", name="运行 Run").click()
    expect(page.locator("#status")).to_have_text("ASK: true")
    expect(page.locator("#history button.history-entry")).to_have_count(2)

    page.goto(shared)  # the link, opened again: the same answer, and the history is still there
    expect(page.locator("#result-table tbody tr")).to_have_count(3)
    expect(page.locator("#history button.history-entry")).to_have_count(2)
    page.locator("#history button.history-entry", has_text="ASK").click()
    expect(page.locator("#status")).to_have_text("ASK: true")
    assert parse_qs(urlparse(page.url).query)["query"] == ["ASK { ?s ?p ?o }"]
    page.go_back()  # back to the goals, run again
    expect(page.locator("#result-table tbody tr")).to_have_count(3)
    assert editor_text(page) == GOALS


@browser_test
def test_results_are_paged_and_sorted_by_their_headers(page, server):
    numbers = list(range(1, 121))
    random.Random(7).shuffle(numbers)
    values = " ".join(f'({n} "名{n:03d}")' for n in numbers)
    open_workbench(page, server, f"SELECT ?n ?name WHERE {{ VALUES (?n ?name) {{ {values} }} }}")
    rows = page.locator("#result-table tbody tr")
    expect(rows).to_have_count(50)
    expect(page.locator("#status")).to_have_text("120 行 rows")
    expect(page.locator("#page-info")).to_contain_text("1–50 / 120")

    def column(index: int) -> list[str]:
        return page.locator(f"#result-table tbody tr td:nth-child({index})").all_inner_texts()

    assert column(1) == [str(n) for n in numbers[:50]]  # the order of the answer
    page.get_by_role("button", name="n", exact=True).click()
    expect(page.locator("#result-table th").first).to_have_attribute("aria-sort", "ascending")
    assert column(1) == [str(n) for n in range(1, 51)]  # as numbers: 2 before 10
    page.locator("#next-page").click()
    assert column(1) == [str(n) for n in range(51, 101)]
    page.locator("#next-page").click()
    assert column(1) == [str(n) for n in range(101, 121)]
    expect(page.locator("#next-page")).to_be_disabled()
    page.get_by_role("button", name="n", exact=True).click()  # again: descending, from page 1
    assert column(1) == [str(n) for n in range(120, 70, -1)]
    page.get_by_role("button", name="name", exact=True).click()
    assert column(2)[:3] == ["名001", "名002", "名003"]

    number_cell = page.locator("#result-table tbody td").first
    assert page.evaluate("(cell) => getComputedStyle(cell).textAlign", number_cell.element_handle()) == "right"
    text_cell = page.locator("#result-table tbody td").nth(1)
    assert page.evaluate("(cell) => getComputedStyle(cell).textAlign", text_cell.element_handle()) == "left"


@browser_test
def test_construct_and_describe_show_turtle(page, server, ontology):
    open_workbench(page, server, "CONSTRUCT { ?goal gt:goalText ?text } WHERE { ?goal a gt:OverallGoal ; gt:goalText ?text }")
    turtle = page.locator("#turtle")
    expect(turtle).to_contain_text(GOAL_3)
    graph = rdflib.Graph().parse(data=turtle.text_content(), format="turtle")
    assert len(graph) == 3
    assert "gt:goalText" in turtle.text_content()  # IRIs written with the predeclared prefixes
    assert any(GOAL_3 in str(o) for o in graph.objects(None, rdflib.URIRef(GT + "goalText")))
    expect(page.locator("#status")).to_have_text("Turtle")

    set_editor(page, "DESCRIBE gt:Indicator")
    page.get_by_role("button", name="运行 Run").click()
    expect(turtle).to_contain_text(label(ontology, GT + "Indicator", "zh"))
    graph = rdflib.Graph().parse(data=turtle.text_content(), format="turtle")
    assert (rdflib.URIRef(GT + "Indicator"), RDF.type, OWL.Class) in graph


@browser_test
def test_a_syntax_error_is_one_line_with_its_place(page, server):
    open_workbench(page, server, "SELECT ?s\nWHERE {\n  ?s ?p\n}")
    error = page.locator("#error")
    expect(error).to_be_visible()
    text = error.inner_text()
    assert re.search(r"syntax error at 4:\d+", text), text
    assert "\n" not in text and len(text) < 160
    assert page.locator(".CodeMirror-code > div").nth(3).locator(".error-line").count() == 1  # line 4 marked
    expect(page.locator("#result-table")).to_have_count(0)

    set_editor(page, "SELECT * WHERE { ?s nope:thing ?o }")  # the prefix named, not the parser's character ranges
    expect(page.locator(".error-line")).to_have_count(0)  # editing clears the mark
    page.get_by_role("button", name="运行 Run").click()
    expect(error).to_have_text(re.compile(r"^语法错误 syntax error at 1:21: unknown prefix 'nope:'; known: gt:, gtf:, .*dct:, gtc:$"))
    # the browser logs the deliberate 400s; they are the answers expected, not problems
    assert [p for p in page.problems if "status of 400" in p]
    page.problems[:] = [p for p in page.problems if "status of 400" not in p]


# ---- Chinese needs a CJK font ---------------------------------------------------------------------

@browser_test
def test_the_page_draws_chinese_in_its_own_font(page, server):
    """The `browser` fixture checks the machine; this checks the page's own font stack."""
    open_workbench(page, server)
    font = page.evaluate("() => { const s = getComputedStyle(document.querySelector('h1')); return s.fontSize + ' ' + s.fontFamily; }")
    assert cjk_font_problem(page.context.browser, font) is None


FONT_CONFIGS = {  # fontconfig files, and whether Chromium started with each should pass the check
    "no fonts at all": ("<fontconfig></fontconfig>", False),
    "every font but the CJK ones": ("""<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <selectfont><rejectfont><glob>*CJK*</glob></rejectfont></selectfont>
</fontconfig>""", False),
    "every font": ('<fontconfig><include ignore_missing="yes">/etc/fonts/fonts.conf</include></fontconfig>', True),
}


@browser_test
@pytest.mark.parametrize("fonts", list(FONT_CONFIGS))
def test_the_font_check_fails_without_a_cjk_font(playwright_driver, tmp_path, fonts):
    """The check that guards every browser test really fails on a machine without a CJK font:
    Chromium started with a fontconfig that hides them (and passes with one that hides nothing)."""
    text, has_cjk = FONT_CONFIGS[fonts]
    conf = tmp_path / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n' + text)
    env = {**os.environ, "FONTCONFIG_FILE": str(conf), "XDG_CACHE_HOME": str(tmp_path / "cache")}
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, env=env)
    try:
        problem = cjk_font_problem(browser)
    finally:
        browser.close()
    if has_cjk:
        assert problem is None
    else:
        assert problem == NO_CJK_FONT and "fonts-noto-cjk" in problem
