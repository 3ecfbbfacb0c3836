"""Serve the app on waitress, a production WSGI server."""

import logging
import socket
import sys

import click
from waitress import serve

from ..graph.store import StoreError
from .app import create_app


def run(host: str, port: int, threads: int, store_location: str | None, config: dict | None = None):
    with socket.socket() as probe:  # say so at once if the port is taken, before any work
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            click.echo(f"goaltrace: cannot listen on {host}:{port}: {error.strerror}", err=True)
            sys.exit(1)
    try:
        app = create_app({"STORE_LOCATION": store_location, **(config or {})})
    except StoreError as error:
        click.echo(f"goaltrace: {error}", err=True)
        sys.exit(1)
    # Nothing is validated or counted at start: the server answers at once whatever the store's
    # size, and each declaration is validated when first asked about (remembered by content).
    where = store_location or "the bundled Xiushan 2023 data"
    mode = "read-write (token required)" if app.config["ALLOW_UPDATE"] else "read-only"
    click.echo(f"goaltrace serving {where}, {mode}, on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    logging.basicConfig(level=logging.INFO, format="goaltrace: %(message)s")  # e.g. when an import is picked up
    serve(app, host=host, port=port, threads=threads, ident="goaltrace")
