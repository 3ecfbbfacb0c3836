"""Entity IRIs as linked data, and the endpoint's description of itself, as an RDF client reads
them: fetched from a running `goaltrace serve` and parsed with rdflib."""

import json
import urllib.parse

import pytest
import rdflib

from conftest import Server, run_goaltrace

GT = rdflib.Namespace("https://w3id.org/goaltrace/ontology#")
GTF = rdflib.Namespace("https://w3id.org/goaltrace/framework/")
SD = rdflib.Namespace("http://www.w3.org/ns/sparql-service-description#")
SH = rdflib.Namespace("http://www.w3.org/ns/shacl#")
ID = "https://w3id.org/goaltrace/id/"
XIUSHAN = ID + "秀山土家族苗族自治县司法局/2023/"
GOAL_3 = XIUSHAN + "goal/3"
RDF_FORMATS = {"text/turtle": "turtle", "application/n-triples": "nt", "application/ld+json": "json-ld",
               "application/rdf+xml": "xml"}


def fetch(server, iri: str, media: str) -> bytes:
    status, headers, body = server.get("/id/" + iri[len(ID):], accept=media)
    assert status == 200 and headers["Content-Type"].startswith(media), (iri, media, status, body[:200])
    return body


def graph(server, iri: str, media: str = "text/turtle") -> rdflib.Graph:
    return rdflib.Graph().parse(data=fetch(server, iri, media), format=RDF_FORMATS[media])


def select(server, query: str) -> list[dict]:
    status, _, body = server.get("/sparql?query=" + urllib.parse.quote(query), accept="application/sparql-results+json")
    assert status == 200, body
    return json.loads(body)["results"]["bindings"]


def test_a_goal_lists_the_projects_that_support_it(server):
    g = graph(server, GOAL_3)
    goal = rdflib.URIRef(GOAL_3)
    # the README's account of goal 3: declared by 转移支付资金's own form, curated for the other two
    supporters = {str(p)[len(XIUSHAN + "project/"):] for p in g.subjects(GT.supportsGoal, goal)}
    assert supporters == {"转移支付资金", "社区矫正社会工作者工作经费", "社区矫正对象管理费"}
    for project in g.subjects(GT.supportsGoal, goal):  # each named, not only an IRI
        assert str(g.value(project, rdflib.RDFS.label)) == str(project).rpartition("/")[2]
    contributions = set(g.subjects(GT.goal, goal))  # the qualified links point here too
    assert {str(c).rpartition("/")[2] for c in contributions} == {"declared", "curated"}
    assert len(contributions) == 3
    assert (goal, GT.goalNumber, rdflib.Literal(3)) in g  # and what the goal says of itself


def test_a_qualified_link_dereferences_to_its_basis_and_justification(server):
    link = XIUSHAN + "project/社区矫正对象管理费/supports/goal-3/curated"
    g = graph(server, link)
    node = rdflib.URIRef(link)
    assert g.value(node, GT.basis) == GTF["basis-curated"]
    assert g.value(node, GT.goal) == rdflib.URIRef(GOAL_3)
    assert (rdflib.URIRef(XIUSHAN + "project/社区矫正对象管理费"), GT.qualifiedContribution, node) in g
    assert any(j.language == "zh" for j in g.objects(node, GT.justification))


def test_turtle_is_written_with_prefixes(server):
    text = fetch(server, GOAL_3, "text/turtle").decode("utf-8")
    declared = {line.split()[1] for line in text.splitlines() if line.startswith("@prefix")}
    assert {"gt:", "prov:", "skos:", "org:", "qb:", "rdfs:", "xsd:", "gtf:"} <= declared
    assert "gt:supportsGoal" in text and "a gt:OverallGoal" in text
    body = "\n".join(line for line in text.splitlines() if not line.startswith("@prefix"))
    assert "<https://w3id.org/goaltrace/ontology#" not in body  # never spelled out where a prefix covers it


@pytest.mark.parametrize("iri", [GOAL_3, XIUSHAN + "project/转移支付资金", ID + "year/2023",
                                 XIUSHAN + "project/法律援助/supports/goal-2/curated"])
def test_every_rdf_format_says_the_same(server, iri):
    turtle = set(graph(server, iri, "text/turtle"))
    assert len(turtle) > 3
    for media in ("application/n-triples", "application/ld+json", "application/rdf+xml"):
        assert set(graph(server, iri, media)) == turtle, media


def test_json_ld_carries_a_context_of_the_predeclared_prefixes(server):
    document = json.loads(fetch(server, GOAL_3, "application/ld+json"))
    context = document["@context"]
    assert context["gt"] == str(GT) and context["prov"] == "http://www.w3.org/ns/prov#"
    assert context["skos"] == "http://www.w3.org/2004/02/skos/core#" and context["id"] == ID
    goal = next(node for node in document["@graph"] if node["@id"] == "id:秀山土家族苗族自治县司法局/2023/goal/3")
    assert goal["@type"] == ["gt:OverallGoal"]  # compact names, expanded by the context


def test_the_service_description_names_every_graph_and_the_prefixes(server):
    status, headers, body = server.get("/sparql", accept="text/turtle")
    assert status == 200
    g = rdflib.Graph().parse(data=body, format="turtle")
    service = next(g.subjects(rdflib.RDF.type, SD.Service))
    dataset = g.value(service, SD.defaultDataset)
    described = {str(g.value(n, SD.name)) for n in g.objects(dataset, SD.namedGraph)}
    held = {row["g"]["value"] for row in select(server, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")}
    assert described == held
    assert {"https://w3id.org/goaltrace/ontology", "https://w3id.org/goaltrace/framework",
            ID + "history", XIUSHAN + "form/department", XIUSHAN + "alignment/curated"} <= described
    prefixes = {str(g.value(d, SH.prefix)): str(g.value(d, SH.namespace)) for d in g.objects(service, SH.declare)}
    assert prefixes["gt"] == str(GT) and prefixes["org"] == "http://www.w3.org/ns/org#"
    assert prefixes["qb"] == "http://purl.org/linked-data/cube#" and prefixes["xsd"] == "http://www.w3.org/2001/XMLSchema#"
    # each declared prefix is one the endpoint really predeclares: a query without PREFIX lines uses it
    for prefix, namespace in prefixes.items():
        row = select(server, f"SELECT ?x WHERE {{ BIND ({prefix}:probe AS ?x) }}")[0]
        assert row["x"]["value"] == namespace + "probe", prefix


def test_the_service_description_in_json_ld_has_a_context(server):
    status, _, body = server.get("/sparql", accept="application/ld+json")
    document = json.loads(body)
    assert status == 200 and document["@context"]["sd"] == str(SD)
    turtle = rdflib.Graph().parse(data=server.get("/sparql", accept="text/turtle")[2], format="turtle")
    assert len(rdflib.Graph().parse(data=body, format="json-ld")) == len(turtle)


# the module-wide fixture below is built once, by the one worker that runs this module
pytestmark = pytest.mark.xdist_group("linked_data")


@pytest.fixture(scope="module")
def corpus_server(tmp_path_factory, seed_text):
    """Thirty budget units' 2023 declarations (the seed under other names): the year is named
    by about 19 statements of each, well over the bound of 500 links listed."""
    folder = tmp_path_factory.mktemp("corpus")
    for n in range(30):
        (folder / f"unit-{n}.txt").write_text(seed_text.replace("秀山土家族苗族自治县司法局", f"测试县第{n}局"), encoding="utf-8")
    store = str(folder / "store")
    run_goaltrace("import", "--store", store, str(folder), check=True)
    server = Server("--store", store)
    server.location = store
    yield server
    server.stop()


def test_a_year_named_by_thousands_lists_a_bounded_number_and_says_so(corpus_server):
    year = rdflib.URIRef(ID + "year/2023")
    g = graph(corpus_server, str(year))
    links = {(s, p) for s, p, o in g if o == year}
    assert len(links) == 500
    comments = {c.language: str(c) for c in g.objects(year, rdflib.RDFS.comment)}
    assert "Not every link that points here is listed: this document lists 500" in comments["en"]
    assert f"?subject ?property <{year}>" in comments["en"] and "部分链接（500条）" in comments["zh"]
    assert set(graph(corpus_server, str(year), "application/ld+json")) == set(g)
    # a goal, far below the bound, keeps every link and no such comment
    goal = rdflib.URIRef(ID + "测试县第7局/2023/goal/3")
    g = graph(corpus_server, str(goal))
    assert len(set(g.subjects(GT.supportsGoal, goal))) == 1  # declared by 转移支付资金: no alignment imported here
    assert not list(g.objects(goal, rdflib.RDFS.comment))


def test_the_entity_page_says_when_it_lists_only_some_links_in(corpus_server):
    """The HTML page and its JSON list the same bounded links as the RDF, and say they are cut,
    with a link to a query that lists them all; a goal's page is not cut."""
    year = ID + "year/2023"
    status, _, body = corpus_server.get("/id/year/2023", accept="application/json")
    described = json.loads(body)
    assert status == 200 and described["incoming_cut"] is True and len(described["incoming"]) == 500
    rdf_links = {(str(s), str(p)) for s, p, o in graph(corpus_server, year) if str(o) == year}
    assert {(row["subject"], row["predicate"]) for row in described["incoming"]} == rdf_links
    status, _, html = corpus_server.get("/id/year/2023", accept="text/html")
    text = html.decode("utf-8")
    assert status == 200 and "Only the first 500 links that point here are listed" in text
    assert "/query?query=" + urllib.parse.quote(f"SELECT ?subject ?property WHERE {{ ?subject ?property <{year}> }}", safe="/") in text
    status, _, body = corpus_server.get("/id/测试县第7局/2023/goal/3", accept="text/html")
    assert status == 200 and "Only the first" not in body.decode("utf-8")
    status, _, body = corpus_server.get("/id/测试县第7局/2023/project/法律援助", accept="application/json")
    assert json.loads(body)["incoming_cut"] is False


def test_a_smaller_row_cap_bounds_the_links_listed_too(corpus_server):
    """A server whose row cap is below the bound lists what fits, rather than failing the page."""
    server = Server("--store", corpus_server.location, "--row-limit", "100")
    try:
        year = rdflib.URIRef(ID + "year/2023")
        g = graph(server, str(year))
        assert len({(s, p) for s, p, o in g if o == year}) == 99
        assert any("lists 99 of them" in str(c) for c in g.objects(year, rdflib.RDFS.comment))
    finally:
        server.stop()


def test_construct_and_describe_results_are_written_with_the_prefixes_too(server):
    query = "/sparql?query=" + urllib.parse.quote(f"DESCRIBE <{GOAL_3}>")
    status, _, turtle = server.get(query, accept="text/turtle")
    assert status == 200 and "@prefix gt: <https://w3id.org/goaltrace/ontology#> ." in turtle.decode("utf-8")
    status, _, body = server.get(query, accept="application/ld+json")
    assert status == 200 and json.loads(body)["@context"]["gt"] == str(GT)
    described = set(rdflib.Graph().parse(data=turtle, format="turtle"))
    assert set(rdflib.Graph().parse(data=body, format="json-ld")) == described
    assert (rdflib.URIRef(GOAL_3), GT.goalNumber, rdflib.Literal(3)) in described
