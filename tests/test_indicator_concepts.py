"""The indicator concept scheme (ontology/indicator-concepts.ttl): it parses, and every concept
says what it is in Chinese and English, the wordings it covers, and where it sits."""

import pytest
import rdflib
from rdflib.namespace import RDF, SKOS

from goaltrace import resources
from goaltrace.graph.namespaces import GT, GTC

SCHEME = rdflib.URIRef(GTC + "indicator-concepts")


@pytest.fixture(scope="module")
def vocabulary():
    g = rdflib.Graph()
    for f in resources.ontology_files():
        g.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    return g


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
