"""The indicator concept scheme (ontology/indicator-concepts.ttl): it parses, and every concept
says what it is in Chinese and English, the wordings it covers, and where it sits."""

import csv
import io
import json
from pathlib import Path
from urllib.parse import quote

import pytest
import rdflib
from rdflib.namespace import RDF, SKOS

from conftest import ROOT, Server, run_goaltrace
from goaltrace.graph.namespaces import GT, GTC

SCHEME = rdflib.URIRef(GTC + "indicator-concepts")


@pytest.fixture(scope="module")
def concepts(vocabulary):
    return sorted(vocabulary.subjects(SKOS.inScheme, SCHEME))


def test_the_scheme_holds_the_common_indicators_every_unit_sets(vocabulary, concepts):
    assert len(concepts) >= 40
    for slug in ("service-recipient-satisfaction", "completion-on-time", "acceptance-pass-rate",
                 "budget-execution-rate", "unit-cost", "coverage-rate", "cases-handled", "trainings-held",
                 "people-trained"):
        assert rdflib.URIRef(GTC + slug) in concepts, slug


def test_every_concept_has_zh_and_en_labels_and_definitions(vocabulary, concepts):
    for concept in concepts:
        assert (concept, RDF.type, rdflib.URIRef(GT + "IndicatorConcept")) in vocabulary, concept
        for prop in (SKOS.prefLabel, SKOS.definition):
            languages = [lit.language for lit in vocabulary.objects(concept, prop)]
            assert sorted(languages) == ["en", "zh"], (concept, prop)


def test_a_wording_names_one_concept_only(vocabulary, concepts):
    owner = {}
    for concept in concepts:
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for label in vocabulary.objects(concept, prop):
                if label.language == "zh":
                    assert owner.setdefault(str(label), concept) == concept, label


def test_every_concept_is_placed_in_the_scheme_and_the_framework(vocabulary, concepts):
    tops = set(vocabulary.objects(SCHEME, SKOS.hasTopConcept))
    for concept in concepts:
        broader = list(vocabulary.objects(concept, SKOS.broader))
        assert (concept in tops) != bool(broader), concept
        assert all(b in concepts for b in broader), concept
        for level2 in vocabulary.objects(concept, rdflib.URIRef(GT + "usualLevel2")):
            assert (level2, RDF.type, rdflib.URIRef(GT + "Level2Category")) in vocabulary, (concept, level2)
    assert any(vocabulary.objects(c, rdflib.URIRef(GT + "usualLevel2")) for c in concepts)


def test_concept_iris_are_readable_slugs(concepts):
    for concept in concepts:
        slug = str(concept).removeprefix(GTC)
        assert slug.replace("-", "").isascii() and slug.replace("-", "").isalnum() and slug == slug.lower(), slug


# -- links at import, the export's columns, curated mappings, questions across the corpus -------

REAL = ROOT / "tests" / "fixtures" / "real"
COURT = REAL / "heldout5" / "tj_hebei_court.txt"
PARTY_SCHOOL = REAL / "social" / "hubei-huangshi-party-school-training-2022.txt"
POLICE = REAL / "heldout3" / "hs_police.txt"
SELF_EVALUATION = ROOT / "tests" / "fixtures" / "xiushan-2023-legal-aid-self-evaluation.txt"


def next_year(seed_text: str, folder: Path) -> Path:
    """The seed as its unit might declare it the next year: the same forms, its mediation case
    targets lowered from 4500 to 4000."""
    path = folder / "xiushan-justice-bureau-2024.txt"
    path.write_text(seed_text.replace("2023", "2024").replace("4500", "4000"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def corpus(tmp_path_factory, seed_path, seed_text):
    """A store on disk of real forms: the seed, the same unit's next year, its self-evaluation,
    and three forms of other provinces."""
    folder = tmp_path_factory.mktemp("concepts")
    store = str(folder / "store")
    run_goaltrace("import", "--store", store, str(seed_path), str(next_year(seed_text, folder)), str(SELF_EVALUATION),
                  str(COURT), str(PARTY_SCHOOL), str(POLICE), check=True)
    return store


def export(store: str) -> list[dict]:
    result = run_goaltrace("export", "indicators", "--format", "csv", "--store", store, check=True)
    return list(csv.DictReader(io.StringIO(result.stdout_text)))


def query(store: str, name: str, *inputs: str) -> list[dict]:
    args = [a for i in inputs for a in ("-i", i)]
    result = run_goaltrace("query", name, *args, "--format", "csv", "--store", store, check=True)
    return list(csv.DictReader(io.StringIO(result.stdout_text)))


@pytest.fixture(scope="module")
def exported(corpus):
    return export(corpus)


def concepts_of(rows: list[dict], department: str) -> dict[str, str]:
    return {r["indicator"]: r["concept"] for r in rows if r["department"] == department and r["term"] == "annual"}


# What a person reading each form gives its indicators (None: no concept of the scheme fits);
# names a person could read either way are left out.
COURT_CONCEPTS = {
    "维修面积": "", "验收合格率": "acceptance-pass-rate", "资金支付及时率": "timely-disbursement",
    "项目成本": "total-cost", "消除安全隐患": "", "干警满意度": "staff-satisfaction", "聘用调解员人数": "",
    "陪审员参审案件数量": "cases-handled", "案件调解率": "mediation-success-rate", "补助发放及时率": "timely-disbursement",
}
PARTY_SCHOOL_CONCEPTS = {
    "主体班培训人次": "people-trained", "邀请校外名师、领导授课人次": "", "理论教育和党性教育课时比例": "",
    "及时完成率": "completion-on-time", "成本控制率": "cost-control", "课程数量达标率": "",
    "培训学员对培训效果满意度": "trainee-satisfaction",
}
POLICE_CONCEPTS = {
    "视频监控在线率": "equipment-availability", "维护成本": "total-cost", "为全市经济发展保驾护航": "",
    "服务保障民生": "", "为生态环境保护提供支撑": "", "持续保障社会发展": "", "提升群众安全感": "sense-of-security",
}


@pytest.mark.parametrize("department, expected", [
    ("天津市河北区人民法院", COURT_CONCEPTS), ("中共黄石市委党校", PARTY_SCHOOL_CONCEPTS), ("黄山市公安局", POLICE_CONCEPTS),
])
def test_real_forms_get_the_concepts_a_person_gives_them(exported, department, expected):
    found = concepts_of(exported, department)
    assert {name: found.get(name) for name in expected} == expected


@pytest.mark.parametrize("name, unit, level2, expected", [
    # a cost item, named by what the money buys, is not the project's whole cost; spending named
    # as a whole is
    ("设备租赁费", "万元", "output-cost", None),
    ("宣传资料印制费", "万元", "cost-economic", None),
    ("项目经费", "万元", "output-cost", "total-cost"),
    # a deadline to start is not completion on time; a deadline to finish is
    ("项目开工时限", None, "output-timeliness", None),
    ("项目启动时间", None, "output-timeliness", None),
    ("项目竣工时间", None, "output-timeliness", "completion-on-time"),
    # a count of devices named as such is what is bought; devices serviced or calibrated are not
    ("消防报警设备", "套", "output-quantity", "equipment-purchased"),
    ("检定计量仪器", "台", "output-quantity", None),
])
def test_the_rules_link_only_what_the_name_says(name, unit, level2, expected):
    from goaltrace.domain import concepts

    found = concepts.link(name, unit, level2)
    assert (found.concept.removeprefix(GTC) if found else None) == expected


def test_the_export_says_each_indicators_concept_and_how_it_was_linked(exported):
    assert list(exported[0])[14:16] == ["concept", "concept_basis"]  # after review, before the place columns
    seed = [r for r in exported if r["department"] == "秀山土家族苗族自治县司法局" and r["year"] == "2023"]
    basis = {(r["indicator"], r["concept"], r["concept_basis"]) for r in seed}
    assert ("服务对象满意度", "service-recipient-satisfaction", "declared") in basis  # the standard wording
    assert ("受援人满意度", "service-recipient-satisfaction", "suggested") in basis
    assert ("人民调解培训人员满意度", "trainee-satisfaction", "suggested") in basis
    assert ("支持法律援助案件数量", "cases-handled", "suggested") in basis
    assert all(r["concept_basis"] == "" for r in seed if r["concept"] == "")


MAPPING = """indicator,concept,curator,note
受援人满意度,trainee-satisfaction,某某,a deliberate overrule for the test
公证业务满意度,none,某某,
值班咨询人次,service-visits,某某,confirms the rule's link
"""


def test_a_curated_mapping_overrules_and_survives_reimport(tmp_path, seed_text):
    store, form = str(tmp_path / "store"), next_year(seed_text, tmp_path)
    run_goaltrace("import", "--store", store, str(form), check=True)
    mapping = tmp_path / "concepts.csv"
    mapping.write_text(MAPPING, encoding="utf-8")
    said = run_goaltrace("import", "--store", store, str(mapping), check=True).stdout_text
    assert said.startswith(f"{mapping}: concept mapping ") and "— 3 indicator names curated" in said
    form.write_text(form.read_text(encoding="utf-8").replace("≥\t800\t件", "≥\t850\t件"), encoding="utf-8")
    run_goaltrace("import", "--store", store, str(form), check=True)  # the form changed: imported again
    rows = export(store)
    assert "850" in {r["value"] for r in rows}
    got = {(r["indicator"], r["concept"], r["concept_basis"]) for r in rows}
    assert ("受援人满意度", "trainee-satisfaction", "curated") in got
    assert ("公证业务满意度", "", "curated") in got
    assert ("值班咨询人次", "service-visits", "curated") in got
    assert ("服务对象满意度", "service-recipient-satisfaction", "declared") in got
    curations = query(store, "concept-curations")
    assert [(c["indicator"], c["curator"]) for c in curations][:1] == [("受援人满意度", "某某")]


def test_a_bad_mapping_row_is_refused_with_its_line(tmp_path):
    mapping = tmp_path / "concepts.csv"
    mapping.write_text("indicator,concept,curator\n受援人满意度,satisfied-people,某某\n", encoding="utf-8")
    result = run_goaltrace("import", "--store", str(tmp_path / "store"), str(mapping))
    assert result.returncode == 2
    assert result.stderr_text.strip().splitlines()[-1].startswith(f"{mapping}:2: expected a concept of")
    assert "Traceback" not in result.stderr_text


def test_one_concept_across_units_and_years(corpus):
    rows = query(corpus, "concept-across-units", "concept=gtc:cases-handled")
    assert {r["concept_slug"] for r in rows} == {"cases-handled"}
    assert {(r["department"], r["year"]) for r in rows} >= {
        ("秀山土家族苗族自治县司法局", "2023"), ("秀山土家族苗族自治县司法局", "2024"), ("天津市河北区人民法院", "2023")}
    evaluated = [r for r in rows if r["indicator"] == "法律援助办结案件数量" and r["year"] == "2023"]
    assert [(r["comparator"], r["value"], r["unit"], r["actual"], r["met"]) for r in evaluated] == [
        (">=", "800", "件", "812件", "true")]
    broader = query(corpus, "concept-across-units", "concept=gtc:service-recipient-satisfaction")
    assert {"trainee-satisfaction", "staff-satisfaction", "service-recipient-satisfaction"} <= {
        r["concept_slug"] for r in broader}


def test_targets_that_fall_from_one_year_to_the_next(corpus):
    rows = query(corpus, "falling-targets", "concept=gtc:cases-handled")
    assert [(r["department"], r["unit"], r["year_before"], r["target_before"], r["year_after"], r["target_after"])
            for r in rows] == [("秀山土家族苗族自治县司法局", "件", "2023", "4500", "2024", "4000")]
    assert query(corpus, "falling-targets", "concept=gtc:service-recipient-satisfaction") == []


def test_the_declaration_quality_profile(corpus):
    rows = {(r["department"], r["year"]): r for r in query(corpus, "declaration-quality-profile")}
    seed = rows[("秀山土家族苗族自治县司法局", "2023")]
    # eight projects; three with a benefit indicator, seven with a satisfaction one (read in the
    # form); the self-evaluation meets four of its seven targets
    assert (seed["region"], seed["indicators"], seed["projects"]) == ("秀山土家族苗族自治县", "65", "8")
    assert (float(seed["benefit_share"]), float(seed["satisfaction_share"])) == (0.375, 0.875)
    assert (seed["outcomes_judged"], float(seed["met_share"])) == ("7", 0.571)
    assert rows[("秀山土家族苗族自治县司法局", "2024")]["met_share"] == ""


def test_the_web_answers_the_same_questions_in_json(corpus):
    server = Server("--store", corpus)
    try:
        concept = quote(GTC + "cases-handled", safe="")
        status, _, body = server.get(f"/api/queries/falling-targets?concept={concept}")
        assert status == 200
        assert [(r["department"], r["target_before"], r["target_after"]) for r in json.loads(body)["rows"]] == [
            ("秀山土家族苗族自治县司法局", "4500", "4000")]
        status, _, body = server.get("/api/indicators?department=天津市河北区人民法院")
        rows = json.loads(body)
        assert status == 200 and {r["indicator"]: r["concept_basis"] for r in rows}["验收合格率"] == "declared"
    finally:
        server.stop()


# -- the questions drawn: each mark read back from the page and held to the page's JSON ------

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def charts(corpus):
    """The three question pages of the corpus, served by `goaltrace serve`: (svg root, json)."""
    import xml.etree.ElementTree as ET

    server = Server("--store", corpus)
    try:
        found = {}
        for path in ("/questions/concept-across-units?concept=service-recipient-satisfaction",
                     "/questions/falling-targets?concept=cases-handled", "/questions/declaration-quality-profile"):
            status, _, page = server.get(path)
            assert status == 200, page
            html = page.decode()
            svg = html[html.index("<svg"):html.index("</svg>") + len("</svg>")]
            status, _, data = server.get(path + ("&" if "?" in path else "?") + "format=json")
            assert status == 200, data
            found[path.split("?")[0].rsplit("/", 1)[1]] = (ET.fromstring(svg), json.loads(data))
        status, _, body = server.get("/questions/concept-across-units?concept=no%20such")
        found["refused"] = (status, body.decode())
        for year in ("2023", "23"):
            status, _, body = server.get(f"/questions/concept-across-units?concept=service-recipient-satisfaction&year={year}&format=json")
            found[f"year {year}"] = (status, body.decode())
        return found
    finally:
        server.stop()


def marks(svg, kind: str, css: str) -> list:
    return [m for m in svg.iter(f"{SVG}{kind}") if css in m.get("class", "").split()]


def linear(points: list[tuple[float, float]]) -> bool:
    """Whether every (value, position) lies on the line through the first and the last."""
    (v0, x0), (v1, x1) = min(points), max(points)
    return v1 > v0 and all(abs(x0 + (v - v0) * (x1 - x0) / (v1 - v0) - x) < 0.2 for v, x in points)


def test_each_target_of_a_concept_is_a_dot_where_its_value_lies(charts):
    svg, data = charts["concept-across-units"]
    assert data["unit"] == "%"  # most satisfaction targets are percentages
    dots = marks(svg, "circle", "target")
    assert len(dots) == len(data["targets"]) > 10
    assert [float(d.get("data-value")) for d in dots] == [t["value"] for t in data["targets"]]
    ticks = [(float(t.get("data-value")), float(t.get("x"))) for t in svg.iter(f"{SVG}text") if t.get("class") == "tick"]
    assert linear(ticks + [(float(d.get("data-value")), float(d.get("cx"))) for d in dots])  # on the axis's scale
    # the self-evaluation's 97 % against a target of 99 %: a ring on the target's line, left of its dot
    rings = marks(svg, "circle", "actual")
    evaluated = [(i, t) for i, t in enumerate(data["targets"]) if t["actual"] is not None]
    assert [(float(r.get("data-value")), int(r.get("data-row"))) for r in rings] == [(t["actual"], i) for i, t in evaluated]
    assert [(t["actual"], t["value"], t["met"]) for _, t in evaluated] == [(97.0, 99.0, "false")]
    assert float(rings[0].get("cx")) < float(dots[evaluated[0][0]].get("cx"))
    assert charts["refused"][0] == 400 and "slug" in charts["refused"][1]


def test_a_fallen_target_is_a_bar_as_long_as_its_fall(charts):
    svg, data = charts["falling-targets"]
    bars = marks(svg, "rect", "fall")
    assert [(f["department"], f["target_before"], f["target_after"]) for f in data["falls"]] == [
        ("秀山土家族苗族自治县司法局", 4500, 4000)]
    assert len(bars) == 1 and abs(float(bars[0].get("data-value")) - 500 / 45) < 0.01
    ticks = [(float(t.get("data-value")), float(t.get("x"))) for t in svg.iter(f"{SVG}text") if t.get("class") == "tick"]
    left = float(bars[0].get("x"))
    assert linear(ticks + [(0.0, left), (500 / 45, left + float(bars[0].get("width")))])


def test_each_share_of_the_quality_profile_is_a_bar_of_its_size(charts):
    svg, data = charts["declaration-quality-profile"]
    frames = marks(svg, "rect", "frame")
    full = float(frames[0].get("width"))
    for name in ("quantitative", "benefit", "satisfaction", "met"):
        drawn = {int(b.get("data-row")): float(b.get("width")) for b in marks(svg, "rect", name)}
        shares = {i: d["shares"][name] for i, d in enumerate(data["declarations"]) if d["shares"][name] is not None}
        assert drawn.keys() == shares.keys(), name  # nothing counted, nothing drawn
        assert all(abs(drawn[i] - shares[i] * full) < 0.1 for i in shares), name
    seed = next(d for d in data["declarations"] if (d["department"], d["year"]) == ("秀山土家族苗族自治县司法局", 2023))
    assert (seed["shares"]["benefit"], seed["shares"]["satisfaction"], seed["shares"]["met"]) == (0.375, 0.875, 0.571)


def test_one_concept_in_one_year_is_that_years_targets_of_every_year(charts):
    """?year= narrows the concept's targets to one budget year (a corpus of many units asks so
    when every year's targets pass the row cap); a year that is not one is refused, named."""
    _, every_year = charts["concept-across-units"]
    status, body = charts["year 2023"]
    assert status == 200
    in_2023 = json.loads(body)["targets"]
    assert in_2023 and {t["year"] for t in every_year["targets"]} > {2023}
    assert in_2023 == [t for t in every_year["targets"] if t["year"] == 2023]
    status, body = charts["year 23"]
    assert status == 400 and "year" in body and "'23'" in body
