"""Triples as documents people read: Turtle and RDF/XML with goaltrace's prefixes, JSON-LD with
them as its ``@context``, N-Triples as it is.

The prefixes are those ``/sparql`` and ``goaltrace query`` predeclare (`namespaces.PREFIXES`),
so a name read in a document can be pasted into a query. Turtle leaves out ``id:``: the local
part of an entity IRI holds slashes (``秀山…/2023/goal/3``), which a Turtle prefixed name must
escape (``id:秀山…\\/2023\\/goal\\/3``); the full IRI reads better. JSON-LD has no such rule,
and its context declares ``id:`` too.
"""

import json
from collections.abc import Iterable

import pyoxigraph as ox

from .namespaces import ID, PREFIXES, RDF, XSD

TURTLE_PREFIXES = {name: namespace for name, namespace in PREFIXES.items() if namespace != ID}


def serialize(triples: Iterable[ox.Triple], format: ox.RdfFormat, more_prefixes: dict[str, str] | None = None) -> bytes:
    """The triples, sorted, in one RDF format; JSON-LD compacted against the prefixes (and
    `more_prefixes`, for a document that uses another vocabulary)."""
    ordered = sorted(set(triples), key=str)
    if format == ox.RdfFormat.JSON_LD:
        return json_ld(ordered, {**PREFIXES, **(more_prefixes or {})})
    if format in (ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        return ox.serialize(ordered, format=format, prefixes={**TURTLE_PREFIXES, **(more_prefixes or {})})
    return ox.serialize(ordered, format=format)


def compact_iri(iri: str, prefixes: dict[str, str] = PREFIXES) -> str:
    """``gt:Project`` for the IRI of gt:Project; the IRI itself when no prefix covers it."""
    for name, namespace in prefixes.items():
        if iri.startswith(namespace) and len(iri) > len(namespace) and not iri[len(namespace):].startswith("//"):
            return f"{name}:{iri[len(namespace):]}"
    return iri


def json_ld(triples: list[ox.Triple], prefixes: dict[str, str] = PREFIXES) -> bytes:
    """JSON-LD 1.1 in compacted form: one node object per subject in ``@graph``, every IRI a
    compact IRI where a prefix of the ``@context`` covers it. Each prefix's namespace ends in
    ``#`` or ``/``, so JSON-LD processors expand the compact IRIs back."""
    nodes: dict[str, dict] = {}
    for triple in triples:
        subject = _node_id(triple.subject, prefixes)
        node = nodes.setdefault(subject, {"@id": subject})
        if triple.predicate.value == f"{RDF}type" and isinstance(triple.object, ox.NamedNode):
            node.setdefault("@type", []).append(compact_iri(triple.object.value, prefixes))
        else:
            node.setdefault(compact_iri(triple.predicate.value, prefixes), []).append(_value(triple.object, prefixes))
    document = {"@context": dict(prefixes), "@graph": list(nodes.values())}
    return (json.dumps(document, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _node_id(term, prefixes: dict[str, str]) -> str:
    return f"_:{term.value}" if isinstance(term, ox.BlankNode) else compact_iri(term.value, prefixes)


def _value(term, prefixes: dict[str, str]) -> dict:
    if isinstance(term, (ox.NamedNode, ox.BlankNode)):
        return {"@id": _node_id(term, prefixes)}
    value = {"@value": term.value}
    if term.language:
        value["@language"] = term.language
    elif term.datatype.value != f"{XSD}string":
        value["@type"] = compact_iri(term.datatype.value, prefixes)
    return value
