"""Records → RDF, stable IRIs, and the store the graph lives in."""
