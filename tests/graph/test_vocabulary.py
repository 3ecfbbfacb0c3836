"""The ontology and framework files: complete, consistent with the reader's tables, and
describing every term the data uses."""

import pyoxigraph
import rdflib
from rdflib.namespace import OWL, RDF, RDFS, SKOS

from goaltrace.forms import catalogue, comparators, units
from goaltrace.graph.namespaces import GT, GTF
from goaltrace.ingest.importing import open_store


def labels(g, term, prop):
    return {lit.language for lit in g.objects(term, prop)}


def test_every_term_has_zh_and_en_label_and_definition(vocabulary):
    g = vocabulary
    terms = {s for s in g.subjects(RDF.type, None) if isinstance(s, rdflib.URIRef) and str(s).startswith((GT, GTF))}
    assert len(terms) > 100
    for term in terms:
        label_prop = SKOS.prefLabel if (term, RDF.type, OWL.Class) not in g and str(term).startswith(GTF) else RDFS.label
        assert {"zh", "en"} <= labels(g, term, label_prop), term
        assert {"zh", "en"} <= labels(g, term, SKOS.definition), term


def test_catalogue_matches_the_framework(vocabulary):
    g = vocabulary
    for level in catalogue.LEVEL1 + catalogue.LEVEL2:
        concept = rdflib.URIRef(GTF + level.key)
        assert rdflib.Literal(level.label, lang="zh") in set(g.objects(concept, SKOS.prefLabel)), level.key
        assert {str(v) for v in level.variants} <= {str(a) for a in g.objects(concept, SKOS.altLabel)}, level.key
        broader = set(g.objects(concept, SKOS.broader))
        assert broader == ({rdflib.URIRef(GTF + level.parent)} if level.parent else set()), level.key
    # 效果指标 = 效益指标, and 成本 both ways
    assert rdflib.Literal("效果指标", lang="zh") in set(g.objects(rdflib.URIRef(GTF + "benefit"), SKOS.altLabel))
    assert (rdflib.URIRef(GTF + "output-cost"), SKOS.broader, rdflib.URIRef(GTF + "output")) in g
    assert (rdflib.URIRef(GTF + "cost"), SKOS.topConceptOf, rdflib.URIRef(GTF + "indicator-framework")) in g


def test_units_and_comparators_match_the_framework(vocabulary):
    g = vocabulary
    for unit in units.UNITS:
        concept = rdflib.URIRef(f"{GTF}unit-{unit.key}")
        assert rdflib.Literal(unit.label, lang="zh") in set(g.objects(concept, SKOS.prefLabel)), unit.key
        factor = g.value(concept, rdflib.URIRef(GT + "conversionFactor"))
        assert (factor.toPython() if factor is not None else 1) == unit.factor, unit.key
    assert g.value(rdflib.URIRef(GTF + "unit-wan-yuan"), rdflib.URIRef(GT + "baseUnit")) == rdflib.URIRef(GTF + "unit-yuan")
    for name, symbol in comparators.SYMBOL.items():
        assert str(g.value(rdflib.URIRef(GTF + name), SKOS.notation)) == symbol


def test_every_predicate_and_class_in_the_data_is_declared(vocabulary):
    store = open_store(None)
    declared = set(vocabulary.subjects(RDF.type, None))
    used = set()
    for quad in store.quads():
        if quad.graph_name.value in store.data_graphs():
            used.add(quad.predicate.value)
            if quad.predicate.value == str(RDF.type):
                used.add(quad.object.value)
            elif isinstance(quad.object, pyoxigraph.NamedNode) and quad.object.value.startswith(GTF):
                assert rdflib.URIRef(quad.object.value) in declared, quad.object.value
    ours = {u for u in used if u.startswith(GT)}
    assert ours and all(rdflib.URIRef(u) in declared for u in ours), ours - {str(d) for d in declared}


def test_ontology_passes_an_owl_rl_consistency_check(vocabulary):
    """OWL-RL closure of ontology + seed data raises no owl:Nothing member and keeps the
    declared classes disjoint (a department form is never a project form)."""
    import owlrl

    store = open_store(None)
    g = rdflib.Graph()
    g += vocabulary
    g.parse(data=store.dump(pyoxigraph.RdfFormat.N_TRIPLES), format="nt")
    owlrl.DeductiveClosure(owlrl.OWLRL_Semantics).expand(g)
    assert not list(g.subjects(RDF.type, OWL.Nothing))
    both = set(g.subjects(RDF.type, rdflib.URIRef(GT + "DepartmentForm"))) & set(g.subjects(RDF.type, rdflib.URIRef(GT + "ProjectForm")))
    assert not both
    # the functional level-1 property: one level 1 per indicator, even after inference
    for indicator in g.subjects(RDF.type, rdflib.URIRef(GT + "Indicator")):
        assert len(set(g.objects(indicator, rdflib.URIRef(GT + "level1")))) == 1


def test_every_fact_lives_in_exactly_one_graph(seed_text):
    """Oxigraph's union default graph repeats a triple once per graph that holds it: two
    declarations of one unit, in two years, and another unit's, must share nothing."""
    from goaltrace.forms import parse_declaration
    from goaltrace.graph.mapper import map_declaration

    store = open_store(None)
    store.replace([map_declaration(parse_declaration(seed_text.replace("预算年度:2023", "预算年度:2024"), "2024.txt")),
                   map_declaration(parse_declaration(seed_text.replace("秀山土家族苗族自治县司法局", "酉阳县司法局"), "y.txt"))])
    seen = {}
    for graph in store.data_graphs():
        for quad in store.quads(graph=pyoxigraph.NamedNode(graph)):
            assert quad.triple not in seen, f"{quad.triple} in {graph} and {seen[quad.triple]}"
            seen[quad.triple] = graph
