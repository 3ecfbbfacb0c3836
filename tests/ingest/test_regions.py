"""Budget units placed in administrative divisions (GB/T 2260) and amounts counted once.

The places expected below are written from knowledge of China's divisions, not from the
program: 秀山 is an autonomous county of Chongqing (500241), a municipality with no city
level; 永济 is a county-level city of 运城; 青山区 is a district of both Wuhan and Baotou. The
totals expected are the figures a person reads on the real forms (the seed's 预算支出总额
2282.58 万元; Ningde's 171.41 = 110.61 basic + 60.8 project)."""

import gc
from decimal import Decimal
from pathlib import Path
from urllib.parse import quote

import pytest
from pyoxigraph import Literal

from conftest import SEED
from goaltrace.answers import exporting
from goaltrace.domain import regions
from goaltrace.graph.store import Store
from goaltrace.ingest.importing import import_files
from goaltrace.web.app import create_app

REAL = Path(__file__).parents[1] / "fixtures" / "real"
SELF_EVALUATION = Path(__file__).parents[1] / "fixtures" / "xiushan-2023-legal-aid-self-evaluation.txt"
FILES = ["agri/hunan-nanyue-zcsy-2018.txt", "dept/fujian-ningde-dfz-dept-2019.txt",
         "dept/ningxia-tongxin-xiamaguan-prose-2023.txt", "heldout5/tj_hebei_court.txt",
         "heldout6/cq_wuxi_rural_housing_2025.txt", "social/hubei-qingshan-weak-school-2020.txt",
         "heldout/anhui-jinzhai-property-2021.txt", "selfeval/anhui-chizhou-tangxi-weituo-2022.txt"]
SEED_UNIT = "秀山土家族苗族自治县司法局"
NINGDE = "中共宁德市委党史和地方志研究室"


@pytest.mark.parametrize(("unit", "province", "city", "county", "code"), [
    # municipalities: no city level
    (SEED_UNIT, "重庆市", "", "秀山土家族苗族自治县", "500241"),
    ("秀山县司法局", "重庆市", "", "秀山土家族苗族自治县", "500241"),  # the short form people write
    ("忠县农业农村委员会", "重庆市", "", "忠县", "500233"),
    ("重庆市巴南区人民政府一品街道办事处", "重庆市", "", "巴南区", "500113"),
    ("重庆市人民政府办公厅", "重庆市", "", "", "500000"),  # …人民政府 is the organ, not a place
    ("天津市河北区人民法院", "天津市", "", "河北区", "120105"),  # a district, not 河北省
    ("上海市普陀区体育局", "上海市", "", "普陀区", "310107"),  # Shanghai's, not Zhoushan's 普陀区
    ("北京市公安局", "北京市", "", "", "110000"),
    # a party organ's prefix is not a place: the city it names is
    (NINGDE, "福建省", "宁德市", "", "350900"),
    ("中共黄石市委党校", "湖北省", "黄石市", "", "420200"),
    ("中共西安市委宣传部", "陕西省", "西安市", "", "610100"),
    # county-level cities, districts, banners, prefectures, a city without counties
    ("永济市文化和旅游局", "山西省", "运城市", "永济市", "140881"),
    ("219-池州市贵池区棠溪镇人民政府", "安徽省", "池州市", "贵池区", "341702"),
    ("314002-成安县民政局机关", "河北省", "邯郸市", "成安县", "130424"),
    ("扎赉特旗人民检察院", "内蒙古自治区", "兴安盟", "扎赉特旗", "152223"),
    ("甘孜藏族自治州市场监督管理局机关", "四川省", "甘孜藏族自治州", "", "513300"),
    ("东莞市交通运输局", "广东省", "东莞市", "", "441900"),
    ("仙桃市财政局", "湖北省", "", "仙桃市", "429004"),  # a city governed by its province directly
    ("武汉市青山区教育局", "湖北省", "武汉市", "青山区", "420107"),
    # units of the whole budgets in ../shared/corpus/documents/, as their covers name them
    ("福州市商务局", "福建省", "福州市", "", "350100"),
    ("广州市生态环境局", "广东省", "广州市", "", "440100"),
])
def test_a_unit_is_placed_by_the_divisions_its_name_begins_with(unit, province, city, county, code):
    placement = regions.place(unit)
    assert [(d.name, d.level) for d in placement.divisions] == [
        (name, level) for name, level in ((province, "province"), (city, "city"), (county, "county")) if name]
    assert placement.division.code == code and placement.reason == ""


@pytest.mark.parametrize(("unit", "why"), [
    ("省商务厅", "省商务厅 names no province, city or county"),
    ("国家信访局", "国家信访局 names no province, city or county"),  # a national organ
    ("青山区教育局", "青山区教育局 names 2 divisions: 内蒙古自治区/包头市/青山区 150204, 湖北省/武汉市/青山区 420107"),
])
def test_a_unit_that_cannot_be_placed_says_why(unit, why):
    placement = regions.place(unit)
    assert placement.divisions == () and placement.reason == why


def test_what_the_document_says_places_a_township_or_tells_a_shared_name_apart():
    assert regions.place("南岳镇政府", ("南岳区财政局",)).division.code == "430412"  # 衡阳市南岳区
    assert regions.place("青山区教育局", ("武汉市教育局",)).division.code == "420107"
    assert regions.place("南岳镇政府").reason == "南岳镇政府 names no province, city or county"


@pytest.fixture(scope="module")
def store_dir(tmp_path_factory):
    work = tmp_path_factory.mktemp("regions")
    store = Store.open(str(work / "store"))
    import_files(store, [str(SEED), str(SELF_EVALUATION), *(str(REAL / f) for f in FILES)], partial=True)
    del store
    gc.collect()
    return work / "store"


@pytest.fixture(scope="module")
def store(store_dir):
    return Store.open(str(store_dir), read_only=True)


@pytest.fixture(scope="module")
def client(store_dir):
    return create_app({"STORE_LOCATION": str(store_dir), "QUERY_WORKERS": 1}).test_client()


def test_the_places_are_kept_in_the_graph_at_import(store):
    found = store.query("""
        PREFIX gt: <https://w3id.org/goaltrace/ontology#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?unit ?code ?label ?up ?basis WHERE {
          ?d gt:declaringUnit/rdfs:label ?unit ; gt:placedIn ?place ; gt:placementBasis ?basis .
          ?place skos:notation ?code ; rdfs:label ?label .
          OPTIONAL { ?place skos:broader/skos:notation ?up }
        }""")
    places = {r["unit"].value: (r["code"].value, r["label"].value, r["up"].value if r["up"] else None, r["basis"].value)
              for r in found}
    assert places[SEED_UNIT] == ("500241", "秀山土家族苗族自治县", "500000", "name")
    assert places["天津市河北区人民法院"] == ("120105", "河北区", "120000", "name")
    assert places["同心县下马关镇人民政府"] == ("640324", "同心县", "640300", "name")  # 吴忠市
    assert places["重庆市住房城乡建委"] == ("500000", "重庆市", None, "name")
    # 南岳镇 is no county: the page says who published it, 来源：南岳区财政局
    assert places["南岳镇人民政府"] == ("430412", "南岳区", "430400", "document: 南岳区财政局")
    unplaced = {r["unit"].value: r["why"].value for r in store.query("""
        PREFIX gt: <https://w3id.org/goaltrace/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?unit ?why WHERE { ?d gt:declaringUnit/rdfs:label ?unit ; gt:unplacedReason ?why }""")}
    assert set(unplaced) == {"青山区教育局", "县财政局"}  # 区教育局 published it: which 青山区 is not said
    assert "names 2 divisions" in unplaced["青山区教育局"]


def test_exports_carry_the_place_columns(store):
    for table in ("indicators", "funds"):
        rows = exporting.rows(store, table)
        assert exporting.TABLES[table][-4:] == ["province", "city", "county", "division_code"]
        seed = {(r["province"], r["city"], r["county"], r["division_code"]) for r in rows if r["department"] == SEED_UNIT}
        assert seed == {("重庆市", "", "秀山土家族苗族自治县", "500241")}
        ningde = {(r["province"], r["city"], r["county"], r["division_code"]) for r in rows if r["department"] == NINGDE}
        assert ningde == {("福建省", "宁德市", "", "350900")}
        unplaced = {(r["province"], r["division_code"]) for r in rows if r["department"] == "青山区教育局"}
        assert unplaced in ({("", "")}, set())
    outcomes = exporting.rows(store, "outcomes")  # a self-evaluation is placed as a declaration is
    places = {r["department"]: (r["province"], r["city"], r["county"], r["division_code"]) for r in outcomes}
    assert places == {"219-池州市贵池区棠溪镇人民政府": ("安徽省", "池州市", "贵池区", "341702"),
                      "县司法局": ("", "", "", "")}  # the seed's self-evaluation names no place


def test_a_named_query_per_level(store):
    provinces = {r["province"].value: int(r["n"].value) for r in store.run("declarations-per-province")}
    assert provinces == {"重庆市": 2, "天津市": 1, "湖南省": 1, "福建省": 1, "宁夏回族自治区": 1, "": 2}
    cities = {(r["province"].value, r["city"].value, r["division_code"].value) for r in store.run("declarations-per-city")}
    assert cities == {("湖南省", "衡阳市", "430400"), ("福建省", "宁德市", "350900"), ("宁夏回族自治区", "吴忠市", "640300")}
    chongqing = store.run("declarations-per-county", {"wantedProvince": Literal("重庆市")})
    assert [(r["city"].value, r["county"].value, r["division_code"].value) for r in chongqing] == [
        ("", "秀山土家族苗族自治县", "500241")]


def test_the_api_and_pages_filter_by_province_city_and_county(client):
    chongqing = client.get("/api/indicators?province=" + quote("重庆市")).get_json()
    assert chongqing and {r["department"] for r in chongqing} == {SEED_UNIT, "重庆市住房城乡建委"}
    county = client.get("/api/funds?county=" + quote("秀山土家族苗族自治县")).get_json()
    assert {r["department"] for r in county} == {SEED_UNIT}
    city = client.get("/api/funds?city=" + quote("宁德市")).get_json()
    assert {r["department"] for r in city} == {NINGDE}
    page = client.get("/indicators?province=" + quote("湖南省")).get_data(as_text=True)
    assert "南岳镇人民政府" in page and SEED_UNIT not in page
    listed = client.get("/declarations?format=json").get_json()
    unplaced = {r["department"]: r["unplaced"] for r in listed if not r["province"]}
    assert set(unplaced) == {"青山区教育局", "县财政局"} and all(unplaced.values())  # each says why


def test_each_amount_is_listed_once_and_totals_are_what_the_form_says(store):
    rows = exporting.rows(store, "funds")
    seed = [r for r in rows if r["department"] == SEED_UNIT]
    kinds = [(r["kind"], r["kind_en"], r["amount"], r["appropriation"]) for r in seed if not r["project"]]
    assert sorted(kinds) == sorted([("预算支出总额", "total spending", "2282.58", ""),
                                    ("基本支出", "basic spending", "1598.17", "1598.17"),
                                    ("项目支出", "project spending", "684.41", "684.41")])
    assert len([r for r in seed if r["project"]]) == 8  # one row per project: its total, its appropriation beside it
    assert exporting.total(seed) == Decimal("2282.58")  # the form's 预算支出总额, not 2282.58 + 1598.17 + …
    ningde = [r for r in rows if r["department"] == NINGDE]
    assert exporting.total(ningde) == Decimal("171.41")
    basic = [r for r in seed if r["kind"] == "基本支出"]
    assert exporting.total(basic) == Decimal("1598.17")  # a part alone counts itself
    projects = [r for r in seed if r["project"]]
    assert exporting.total(projects) == Decimal("643.3")  # 20 + 12 + 19.8 + 121.5 + 40 + 25 + 20 + 385
    assert not {"basic", "project", "total", "all", "appropriation"} & {r["kind"] for r in rows}


def test_the_funds_page_and_api_total_each_amount_once(client):
    seed = f"department={quote(SEED_UNIT)}&year=2023"
    answer = client.get(f"/api/funds?{seed}")
    assert answer.headers["Total-Amount"] == "2282.58" and len(answer.get_json()) == 11
    page = client.get(f"/funds?{seed}").get_data(as_text=True)
    assert "合计 <strong>2282.58</strong> 万元" in page
    assert f'{quote("项目年度资金")}">项目年度资金</a> <span class="count">8</span> <span class="amount">643.3 万元' in page
    basic = client.get(f"/api/funds?{seed}&kind=" + quote("基本支出"))
    assert basic.headers["Total-Amount"] == "1598.17" and len(basic.get_json()) == 1

