"""The web app: Flask pages, the JSON API and the SPARQL endpoint over the same answers as the command line."""
