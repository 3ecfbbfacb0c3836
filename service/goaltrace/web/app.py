"""The web app: an app factory over the same functions as the command line."""

from flask import Blueprint, Flask, jsonify, render_template, request
from werkzeug.exceptions import HTTPException

from ..graph.endpoint import EndpointError
from ..ingest.importing import open_store
from ..rendering.html import STATIC, TEMPLATES, register_filters
from .context import Context, QueryLimits
from .limited import QueryLimitExceeded
from .query_workers import default_memory
from .sparql import plain_query


def create_app(config: dict | None = None) -> Flask:
    """Build the app. ``config["STORE"]`` is an open `Store`; otherwise ``STORE_LOCATION``
    (a directory, ``:memory:``, or None for the bundled data) is opened read-only."""
    app = Flask(__name__, template_folder=str(TEMPLATES))
    app.config.update(
        STORE_LOCATION=None,
        MAX_CONTENT_LENGTH=1 << 20,  # a request body over 1 MiB is refused (413)
        QUERY_WORKERS=4,  # processes for /sparql
        SPARQL_REQUESTS=None,  # /sparql requests held at once, answered or waiting (None: twice QUERY_WORKERS)
        PAGE_WORKERS=2,  # processes for pages and the API
        QUERY_MEMORY=None,  # bytes each query worker may grow by (None: see query_workers.default_memory)
        QUERY_TIMEOUT=10.0,
        ROW_LIMIT=10_000,
        RESULT_CACHE=32 << 20,  # bytes of answers each pool of query workers keeps until the store changes (0: none)
        ALLOW_UPDATE=False,
        UPDATE_TOKEN=None,
    )
    app.config.update(config or {})
    if app.config["ALLOW_UPDATE"] and not app.config["UPDATE_TOKEN"]:
        raise ValueError("updates need a token (UPDATE_TOKEN)")
    store = app.config.get("STORE")
    if store is None:
        location = app.config["STORE_LOCATION"]
        read_only = location not in (None, ":memory:") and not app.config["ALLOW_UPDATE"]
        store = open_store(location, read_only=read_only)
    app.extensions["goaltrace"] = Context(store, query_limits(app.config), app.config.get("VALIDATION_CACHE"))
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    register_filters(app.jinja_env)

    from . import api, graph_store, pages, questions, sparql, tables

    # the stylesheet the pages share with the standalone report
    app.register_blueprint(Blueprint("style", __name__, static_folder=str(STATIC), static_url_path="/style"))

    app.register_blueprint(pages.blueprint)
    app.register_blueprint(tables.blueprint)
    app.register_blueprint(questions.blueprint)
    app.register_blueprint(api.blueprint)
    app.register_blueprint(sparql.blueprint)
    app.register_blueprint(graph_store.blueprint)

    app.after_request(security_headers)
    app.wsgi_app = PlainQueries(app.wsgi_app, app.extensions["goaltrace"].sparql_workers)

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        response = app.make_response(_error(error.code or 500, error.description or error.name))
        allowed = getattr(error, "valid_methods", None)
        if allowed:  # a 405 says which methods the resource takes (RFC 9110 §15.5.6)
            response.headers["Allow"] = ", ".join(allowed)
        return response

    @app.errorhandler(QueryLimitExceeded)
    def over_limit(error: QueryLimitExceeded):  # a page's query stopped, as /sparql stops one
        return _error(error.status, str(error))

    @app.errorhandler(EndpointError)
    def store_unavailable(error: EndpointError):  # the remote SPARQL store failed: a bad gateway
        app.logger.warning("%s", error)
        return _error(502, str(error))

    @app.errorhandler(Exception)
    def unexpected(error: Exception):  # never a traceback to the client
        app.logger.exception("unexpected error")
        return _error(500, "internal error: the request could not be answered")

    return app


def security_headers(response):
    """Headers every response carries (and, for a page, a content security policy)."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html":
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
            "object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'self'",
        )
        response.headers.setdefault("X-Frame-Options", "DENY")
    return response


class PlainQueries:
    """WSGI middleware: ``GET /sparql?query=…`` alone answered by `sparql.plain_query`, past
    Flask's request machinery, with the headers every answer carries; any other request goes
    on to the app."""

    def __init__(self, app, workers):
        self.app, self.workers = app, workers

    def __call__(self, environ, start_response):
        try:
            response = plain_query(environ, self.workers)
        except Exception:  # noqa: BLE001 - the app answers it, and reports what fails
            response = None
        if response is None:
            return self.app(environ, start_response)
        return security_headers(response)(environ, start_response)


def query_limits(config) -> QueryLimits:
    workers, pages = config["QUERY_WORKERS"], config["PAGE_WORKERS"]
    return QueryLimits(sparql_workers=workers, page_workers=pages, timeout=config["QUERY_TIMEOUT"],
                       row_limit=config["ROW_LIMIT"], memory=config["QUERY_MEMORY"] or default_memory(workers + pages),
                       sparql_requests=config["SPARQL_REQUESTS"] or 2 * workers, result_cache=config["RESULT_CACHE"])


def _error(status: int, message: str):
    wants_html = request.accept_mimetypes.best == "text/html" and not request.path.startswith(("/api", "/sparql"))
    if request.path.startswith("/graph-store"):
        return message + "\n", status, {"Content-Type": "text/plain; charset=utf-8"}
    if wants_html:
        return render_template("error.html", status=status, message=message), status
    if request.path.startswith("/sparql"):
        return message + "\n", status, {"Content-Type": "text/plain; charset=utf-8"}
    return jsonify({"error": message, "status": status}), status
