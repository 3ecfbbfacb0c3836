"""The web app: an app factory over the same functions as the command line."""

from flask import Flask, jsonify, render_template

from .. import exporting
from ..graph.store import Store


def create_app(config: dict | None = None) -> Flask:
    """Build the app. ``config["STORE"]`` is an open `Store`; otherwise ``STORE_LOCATION``
    (a directory, ``:memory:``, or None for the bundled data) is opened read-only."""
    app = Flask(__name__)
    app.config.update(STORE_LOCATION=None, JSON_AS_ASCII=False)
    app.config.update(config or {})
    if app.config.get("STORE") is None:
        location = app.config["STORE_LOCATION"]
        app.config["STORE"] = Store.open(location, read_only=location not in (None, ":memory:"))
    app.json.ensure_ascii = False

    def store() -> Store:
        return app.config["STORE"]

    @app.get("/")
    def home():
        declarations = store().select(
            "SELECT ?d ?label WHERE { ?d a gt:Declaration ; rdfs:label ?label } ORDER BY ?label"
        )
        return render_template(
            "home.html",
            declarations=[(row["d"].value, row["label"].value) for row in declarations],
            indicators=len(exporting.rows(store(), "indicators")),
            location=store().location,
        )

    @app.get("/api/indicators")
    def api_indicators():
        return jsonify(exporting.typed(exporting.rows(store(), "indicators")))

    @app.get("/api/funds")
    def api_funds():
        return jsonify(exporting.typed(exporting.rows(store(), "funds")))

    return app
