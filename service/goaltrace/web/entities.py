"""Entity IRIs as pages: ``https://w3id.org/goaltrace/id/…`` is served at ``/id/…``."""

import pyoxigraph as ox

from ..graph.namespaces import GT, ID, RDF, RDFS
from ..graph.serialization import serialize
from ..query.named import Reader, Row
from ..rendering import local_path


def iri_of(path: str) -> str:
    return ID + path


def statements(reader: Reader, iri: str) -> list[Row]:
    """What is said of the entity, ({property, value} rows) each statement once; none for an
    IRI nothing is known about. ValueError for text that is not an IRI."""
    return reader.run("entity-statements", {"entity": ox.NamedNode(iri)})


def types(reader: Reader, iri: str, said: list[Row] | None = None) -> set[str]:
    said = statements(reader, iri) if said is None else said
    return {row["value"].value for row in said if row["property"].value == f"{RDF}type"}


def label(reader: Reader, iri: str, said: list[Row] | None = None) -> str:
    if said is None:
        labels = [row["label"] for row in reader.run("entity-labels", {"entity": ox.NamedNode(iri)})]
    else:
        labels = [row["value"] for row in said if row["property"].value == f"{RDFS}label"]
    zh = [l.value for l in labels if getattr(l, "language", None) == "zh"]
    return zh[0] if zh else (labels[0].value if labels else iri.rpartition("/")[2])


def describe(reader: Reader, iri: str, said: list[Row] | None = None) -> dict:
    """Every statement about the entity (`said`, when already asked) and every statement
    pointing at it, with labels, all asked through ``reader``."""
    node = ox.NamedNode(iri)
    labels: dict[str, str] = {}

    def term_label(term: str) -> str:
        if term not in labels:
            labels[term] = _term_label(reader, term)
        return labels[term]

    said = statements(reader, iri) if said is None else said
    outgoing = [_statement(term_label, row["property"].value, row["value"]) for row in said]
    rows, cut = inbound_links(reader, node)
    incoming = [{"predicate": row["property"].value, "predicate_label": term_label(row["property"].value),
                 "subject": row["subject"].value,
                 "subject_label": row["label"].value if "label" in row else label(reader, row["subject"].value),
                 "href": local_path(row["subject"].value)} for row in rows]
    outgoing.sort(key=lambda s: (s["predicate"] != f"{RDF}type", s["predicate_label"]))
    return {"iri": iri, "label": label(reader, iri, said), "types": sorted(types(reader, iri, said)),
            "statements": outgoing, "incoming": incoming, "incoming_cut": cut}


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


# How many links that point at an entity its RDF documents list. An entity's own statements
# are bounded by what a form holds, but the links into it are not: at corpus size a budget year
# or a budget unit is named by every form of thousands of declarations. Every type is cut at
# the same bound rather than some left out by type, so that a goal, a project or an agent (all
# far below it) always come with every link into them, and a document that is cut says so in a
# comment triple on the entity, with the query that lists them all.
INBOUND_LIMIT = 500


def inbound_links(reader, node: ox.NamedNode) -> tuple[list[dict], bool]:
    """The links that point at the entity, at most `INBOUND_LIMIT` (fewer where the web app's
    row cap is lower), and whether there were more."""
    limit = INBOUND_LIMIT
    if reader.row_limit is not None:  # the web app's reader: the row cap of a request holds here too
        limit = max(1, min(limit, reader.row_limit - 1))
    rows = reader.run("inbound-links", {"entity": node}, limit=limit + 1)  # one more than shown: was it cut?
    return rows[:limit], len(rows) > limit


def rdf(reader: Reader, iri: str, fmt: ox.RdfFormat) -> bytes:
    """The entity's statements, the links that point at it (at most `INBOUND_LIMIT`, said so
    when cut) and the Chinese labels of the entities on the other end of each, in one format."""
    node = ox.NamedNode(iri)
    triples = {ox.Triple(node, row["property"], row["value"]) for row in statements(reader, iri)}
    triples |= {ox.Triple(row["neighbour"], ox.NamedNode(f"{RDFS}label"), row["label"])
                for row in reader.run("entity-neighbour-labels", {"entity": node})}
    rows, cut = inbound_links(reader, node)
    links = set()
    for row in rows:
        links.add((row["subject"], row["property"]))
        triples.add(ox.Triple(row["subject"], row["property"], node))
        if "label" in row:
            triples.add(ox.Triple(row["subject"], ox.NamedNode(f"{RDFS}label"), row["label"]))
    if cut:
        triples |= {ox.Triple(node, ox.NamedNode(f"{RDFS}comment"), ox.Literal(text, language=language)) for language, text in (
            ("en", f"Not every link that points here is listed: this document lists {len(links)} of them. "
                   f"/sparql lists them all: match the pattern ?subject ?property <{iri}>."),
            ("zh", f"本文档只列出指向此处的部分链接（{len(links)}条）。"
                   f"全部链接可在 /sparql 以模式 ?subject ?property <{iri}> 查询。"))}
    return serialize(triples, fmt)
