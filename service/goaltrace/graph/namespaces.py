"""Namespace IRIs used by goaltrace's ontology, framework and data."""

GT = "https://w3id.org/goaltrace/ontology#"  # classes and properties (ontology/goaltrace.ttl)
GTF = "https://w3id.org/goaltrace/framework/"  # SKOS concepts (ontology/framework.ttl)
GTC = "https://w3id.org/goaltrace/concept/"  # indicator concepts (ontology/indicator-concepts.ttl)
ID = "https://w3id.org/goaltrace/id/"  # data: declarations, forms, projects, indicators
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
OWL = "http://www.w3.org/2002/07/owl#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
QB = "http://purl.org/linked-data/cube#"
SH = "http://www.w3.org/ns/shacl#"
DCT = "http://purl.org/dc/terms/"

PREFIXES = {
    "gt": GT,
    "gtf": GTF,
    "id": ID,
    "rdf": RDF,
    "rdfs": RDFS,
    "xsd": XSD,
    "owl": OWL,
    "skos": SKOS,
    "prov": PROV,
    "org": ORG,
    "qb": QB,
    "sh": SH,
    "dct": DCT,
    "gtc": GTC,
}

