"""Serve the app on waitress, a production WSGI server, held to limits that keep it answering:
connections idle or half-sent time out, their number is bounded, request bodies past the app's
limit are refused as they arrive, and ``/sparql`` never holds every request thread."""

import logging
import socket
import sys

import click
from waitress.server import BaseWSGIServer, create_server

from ..graph.store import StoreError
from .app import create_app
from .connections import Channel
from .query_workers import describe_memory

PAGE_THREADS = 2  # request threads /sparql never takes: pages and the API always have these


def default_threads(query_workers: int) -> int:
    """Request threads when none are given: enough for /sparql's workers and as many requests
    again waiting for them, and some for pages."""
    return 2 * query_workers + 2 * PAGE_THREADS


def run(host: str, port: int, threads: int | None, store_location: str | None, config: dict | None = None,
        idle_timeout: int = 30, connection_limit: int = 1000):
    with socket.socket() as probe:  # say so at once if the port is taken, before any work
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind((host, port))
        except OSError as error:
            click.echo(f"goaltrace: cannot listen on {host}:{port}: {error.strerror}", err=True)
            sys.exit(1)
    config = dict(config or {})
    workers = config.get("QUERY_WORKERS", 4)
    threads = threads or default_threads(workers)
    # /sparql holds at most twice its workers' requests, and never the last request threads
    config["SPARQL_REQUESTS"] = max(1, min(2 * workers, threads - PAGE_THREADS))
    connection_limit = _allow_descriptors(connection_limit)
    try:
        app = create_app({"STORE_LOCATION": store_location, **config})
    except StoreError as error:
        click.echo(f"goaltrace: {error}", err=True)
        sys.exit(1)
    # Nothing is validated or counted at start: the server answers at once whatever the store's
    # size, and each declaration is validated when first asked about (remembered by content).
    where = store_location or "the bundled Xiushan 2023 data"
    mode = "read-write (token required)" if app.config["ALLOW_UPDATE"] else "read-only"
    limits = app.extensions["goaltrace"].limits
    click.echo(f"goaltrace serving {where}, {mode}, on http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    click.echo(f"goaltrace: query workers: {limits.sparql_workers} for /sparql (holding at most {limits.sparql_requests} "
               f"requests), {limits.page_workers} for pages; each query stopped at {limits.timeout:g} s or "
               f"{describe_memory(limits.memory)}; {threads} request threads, at most {connection_limit} connections, "
               f"closed after {idle_timeout} s idle", err=True)
    logging.basicConfig(level=logging.INFO, format="goaltrace: %(message)s")  # e.g. when an import is picked up
    server = listen(app, host, port, threads, idle_timeout, connection_limit, app.config["MAX_CONTENT_LENGTH"])
    server.run()


def listen(app, host: str, port: int, threads: int, idle_timeout: int, connection_limit: int, max_body: int):
    """A waitress server for `app`, not yet running, whose connections follow `connections`."""
    listeners: dict = {}
    server = create_server(
        app, map=listeners, host=host, port=port, threads=threads, ident="goaltrace",
        channel_timeout=idle_timeout,  # a connection silent this long is closed …
        cleanup_interval=max(1, idle_timeout // 3),  # … looked for this often
        connection_limit=connection_limit,
        max_request_body_size=max_body + 1,  # waitress refuses a body of this many bytes or more
    )
    for listener in list(listeners.values()):
        if isinstance(listener, BaseWSGIServer):
            listener.channel_class = Channel
    return server


def _allow_descriptors(connections: int) -> int:
    """Raise this process's limit of open files to hold `connections` and the files, pipes and
    listeners the server needs besides; where the system's hard limit is lower, the connection
    limit is lowered to fit, and said so."""
    spare = 200
    try:
        import resource

        soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
        wanted = connections + spare
        if soft != resource.RLIM_INFINITY and soft < wanted:
            soft = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
            resource.setrlimit(resource.RLIMIT_NOFILE, (soft, hard))
        if soft != resource.RLIM_INFINITY and soft < wanted:
            fitted = max(1, soft - spare)
            click.echo(f"goaltrace: at most {fitted} connections, not {connections}: this system lets the "
                       f"server open {soft} files", err=True)
            return fitted
    except (ImportError, ValueError, OSError):
        pass
    return connections
