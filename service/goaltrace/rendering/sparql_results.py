"""SPARQL results written with a row cap: JSON, XML, CSV and TSV for SELECT; the boolean of an
ASK; Turtle, N-Triples, JSON-LD, RDF/XML or N-Quads for CONSTRUCT and DESCRIBE (Turtle and
RDF/XML with the predeclared prefixes, JSON-LD with them as its ``@context``).

A result longer than the cap is cut at the cap and says so: ``truncated`` is returned, and the
JSON carries ``"truncated": true`` beside ``head`` and ``results``.
"""

import csv
import io
import json
from itertools import islice
from xml.sax.saxutils import escape, quoteattr

import pyoxigraph as ox

from ..graph.serialization import serialize

XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
SELECT_MEDIA = {
    "application/sparql-results+json": "json",
    "application/json": "json",
    "application/sparql-results+xml": "xml",
    "application/xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
GRAPH_MEDIA = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/n-quads": ox.RdfFormat.N_QUADS,
}
# Graph formats without named graphs: entity pages and the graph store.
TRIPLE_MEDIA = {media: fmt for media, fmt in GRAPH_MEDIA.items() if media != "application/n-quads"}
# the file name's extension of an answer in each format the endpoint serves (a download's)
EXTENSIONS = {
    "text/csv": "csv", "text/tab-separated-values": "tsv", "application/sparql-results+json": "srj",
    "application/json": "json", "application/sparql-results+xml": "srx", "application/xml": "xml",
    "text/turtle": "ttl", "application/n-triples": "nt", "application/ld+json": "jsonld",
    "application/rdf+xml": "rdf", "application/n-quads": "nq",
}
BOOLEAN_FORMATS = {"json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML,
                   "csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV}


def kind(result) -> str:
    if isinstance(result, ox.QuerySolutions):
        return "select"
    if isinstance(result, ox.QueryBoolean):
        return "ask"
    return "graph"


def write(result, media: str, limit: int) -> tuple[bytes, bool]:
    """(body, truncated) of a query result in the chosen media type."""
    if isinstance(result, ox.QueryBoolean):
        return result.serialize(format=BOOLEAN_FORMATS[SELECT_MEDIA[media]]), False
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        rows = list(islice(result, limit + 1))
        truncated = len(rows) > limit
        rows = [[solution[n] for n in names] for solution in rows[:limit]]
        writer = {"json": _json, "xml": _xml, "csv": _csv, "tsv": _tsv}[SELECT_MEDIA[media]]
        return writer(names, rows, truncated), truncated
    triples = list(islice(result, limit + 1))
    truncated = len(triples) > limit
    if media == "application/n-quads":
        return ox.serialize(triples[:limit], format=GRAPH_MEDIA[media]), truncated
    return serialize(triples[:limit], GRAPH_MEDIA[media]), truncated  # with the goaltrace prefixes, as entity pages


def _json_term(term) -> dict:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def _json(names, rows, truncated) -> bytes:
    bindings = [{n: _json_term(t) for n, t in zip(names, row) if t is not None} for row in rows]
    document = {"head": {"vars": names}, "results": {"bindings": bindings}}
    if truncated:
        document["truncated"] = True
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def _xml(names, rows, truncated) -> bytes:
    out = ['<?xml version="1.0"?>\n<sparql xmlns="http://www.w3.org/2005/sparql-results#">\n<head>']
    out += [f"<variable name={quoteattr(n)}/>" for n in names]
    if truncated:
        out.append('<link href="urn:goaltrace:truncated"/>')
    out.append("</head>\n<results>")
    for row in rows:
        out.append("<result>")
        for name, term in zip(names, row):
            if term is None:
                continue
            if isinstance(term, ox.NamedNode):
                value = f"<uri>{escape(term.value)}</uri>"
            elif isinstance(term, ox.BlankNode):
                value = f"<bnode>{escape(term.value)}</bnode>"
            elif term.language:
                value = f"<literal xml:lang={quoteattr(term.language)}>{escape(term.value)}</literal>"
            elif term.datatype.value != XSD_STRING:
                value = f"<literal datatype={quoteattr(term.datatype.value)}>{escape(term.value)}</literal>"
            else:
                value = f"<literal>{escape(term.value)}</literal>"
            out.append(f"<binding name={quoteattr(name)}>{value}</binding>")
        out.append("</result>")
    out.append("</results>\n</sparql>\n")
    return "\n".join(out).encode("utf-8")


def _csv(names, rows, truncated) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(names)
    for row in rows:
        writer.writerow(["" if t is None else (f"_:{t.value}" if isinstance(t, ox.BlankNode) else t.value) for t in row])
    return buffer.getvalue().encode("utf-8")


def _tsv(names, rows, truncated) -> bytes:
    lines = ["\t".join(f"?{n}" for n in names)]
    lines += ["\t".join("" if t is None else str(t) for t in row) for row in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")
