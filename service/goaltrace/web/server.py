"""Serve the app on waitress, a production WSGI server."""

import socket
import sys

import click
from waitress import serve

from ..graph.store import StoreError
from .app import create_app


def run(host: str, port: int, threads: int, store_location: str | None):
    try:
        app = create_app({"STORE_LOCATION": store_location})
    except StoreError as error:
        click.echo(f"goaltrace: {error}", err=True)
        sys.exit(1)
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            click.echo(f"goaltrace: cannot listen on {host}:{port}: {error.strerror}", err=True)
            sys.exit(1)
    where = store_location or "the bundled Xiushan 2023 data"
    click.echo(f"goaltrace serving {where} on http://{host}:{port}/ (Ctrl-C to stop)")
    serve(app, host=host, port=port, threads=threads, ident="goaltrace")
