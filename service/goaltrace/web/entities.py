"""Entity IRIs as pages: ``https://w3id.org/goaltrace/id/…`` is served at ``/id/…``."""

import pyoxigraph as ox

from ..graph.namespaces import GT, ID, RDF, RDFS
from ..graph.store import Store

from ..rendering import local_path


def iri_of(path: str) -> str:
    return ID + path


def exists(store: Store, iri: str) -> bool:
    return any(True for _ in store.quads(ox.NamedNode(iri), None, None))


def types(store: Store, iri: str) -> set[str]:
    return {q.object.value for q in store.quads(ox.NamedNode(iri), ox.NamedNode(f"{RDF}type"), None)}


def label(store: Store, iri: str) -> str:
    labels = [q.object for q in store.quads(ox.NamedNode(iri), ox.NamedNode(f"{RDFS}label"), None)]
    zh = [l.value for l in labels if getattr(l, "language", None) == "zh"]
    return zh[0] if zh else (labels[0].value if labels else iri.rpartition("/")[2])


def describe(store: Store, reader, iri: str) -> dict:
    """Every statement about the entity and every statement pointing at it, with labels (the
    quads read from the store by pattern, the labels of terms asked through ``reader``)."""
    node = ox.NamedNode(iri)
    labels: dict[str, str] = {}

    def term_label(term: str) -> str:
        if term not in labels:
            labels[term] = _term_label(reader, term)
        return labels[term]

    outgoing, seen = [], set()
    for quad in store.quads(node, None, None):
        key = (quad.predicate.value, str(quad.object))
        if key in seen:
            continue
        seen.add(key)
        outgoing.append(_statement(term_label, quad.predicate.value, quad.object))
    incoming = []
    for quad in store.quads(None, None, node):
        if len(incoming) >= 200:
            break
        incoming.append({"predicate": quad.predicate.value, "predicate_label": term_label(quad.predicate.value),
                         "subject": quad.subject.value, "subject_label": label(store, quad.subject.value),
                         "href": local_path(quad.subject.value)})
    outgoing.sort(key=lambda s: (s["predicate"] != f"{RDF}type", s["predicate_label"]))
    return {"iri": iri, "label": label(store, iri), "types": sorted(types(store, iri)),
            "statements": outgoing, "incoming": incoming}


def _statement(term_label, predicate: str, obj) -> dict:
    statement = {"predicate": predicate, "predicate_label": term_label(predicate)}
    if isinstance(obj, ox.NamedNode):
        statement.update(kind="iri", value=obj.value, label=term_label(obj.value), href=local_path(obj.value))
    else:
        statement.update(kind="literal", value=obj.value, language=getattr(obj, "language", None) or "")
    return statement


def _term_label(reader, iri: str) -> str:
    labels = reader.run("term-label", {"term": ox.NamedNode(iri)})
    if iri.startswith(GT):  # an ontology term: its label beside its name
        return f"{labels[0]['label'].value} {iri[len(GT):]}" if labels else iri[len(GT):]
    return labels[0]["label"].value if labels else iri.rpartition("#")[2].rpartition("/")[2] or iri


def rdf(store: Store, iri: str, fmt: ox.RdfFormat) -> bytes:
    triples = {q.triple for q in store.quads(ox.NamedNode(iri), None, None)}
    return ox.serialize(sorted(triples, key=str), format=fmt, prefixes={"gt": GT, "rdfs": RDFS, "id": ID})
