"""A plain rdflib in-memory SPARQL endpoint: the baseline of bench/endpoint.py.

    python bench/rdflib_endpoint.py DATA.nq PORT
"""

import sys

import rdflib
from waitress import serve


def make_app(path: str):
    dataset = rdflib.Dataset(default_union=True)
    dataset.parse(path, format="nquads")
    dataset.query("ASK { ?s ?p ?o }")  # build the SPARQL grammar before the first request

    def app(environ, start_response):
        from urllib.parse import parse_qs

        query = parse_qs(environ.get("QUERY_STRING", "")).get("query", [""])[0]
        try:
            body = dataset.query(query).serialize(format="json")
            start_response("200 OK", [("Content-Type", "application/sparql-results+json")])
        except Exception as error:  # noqa: BLE001 - a baseline: report and carry on
            body = str(error).encode()
            start_response("400 Bad Request", [("Content-Type", "text/plain")])
        return [body]

    return app


if __name__ == "__main__":
    serve(make_app(sys.argv[1]), host="127.0.0.1", port=int(sys.argv[2]), threads=4, _quiet=True)
