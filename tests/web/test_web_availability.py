"""The server keeps answering whatever clients do: a query past its memory limit is stopped and
its worker replaced; slow queries on /sparql never hold up pages; connections idle, half-sent
or trickling are closed; bodies past the limit are refused as they arrive; a request framed by
both Content-Length and Transfer-Encoding is refused and its connection closed.

Every check runs against `goaltrace serve` on loopback, spoken to through raw sockets where
the HTTP has to be malformed. No assertion depends on the machine's speed: the bounds are the
configured limits with wide margins."""

import select
import socket
import threading
import time
import urllib.parse

import pytest

from conftest import Server

IDLE = 2  # seconds: --idle-timeout of the guarded server
CONNECTIONS = 12  # --connection-limit of the guarded server
CARTESIAN_SORTED = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?c ?f ?a ?d"  # sorts every pair of triples
CARTESIAN_COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"  # runs, in little memory, for ever


def q(query: str) -> str:
    return "/sparql?query=" + urllib.parse.quote(query)


@pytest.fixture(scope="module")
def guarded():
    """One query worker for /sparql and one for pages, each query allowed 64 MiB, connections
    closed after 2 s idle, at most 12 of them."""
    server = Server("--query-workers", "1", "--page-workers", "1", "--query-memory", "64", "--query-timeout", "60",
                    "--idle-timeout", str(IDLE), "--connection-limit", str(CONNECTIONS))
    yield server
    server.stop()


def connect(server: Server, timeout: float = 30) -> socket.socket:
    return socket.create_connection(("127.0.0.1", server.port), timeout=timeout)


def read_to_end(connection: socket.socket) -> tuple[bytes, bool]:
    """What the server sends until it closes the connection, and whether it did (False: it
    was still open when the socket's timeout passed)."""
    data = b""
    try:
        while True:
            chunk = connection.recv(65536)
            if not chunk:
                return data, True
            data += chunk
    except ConnectionResetError:
        return data, True
    except TimeoutError:
        return data, False


def test_a_query_past_the_memory_limit_is_stopped_and_the_server_keeps_answering(guarded):
    status, _, body = guarded.get(q(CARTESIAN_SORTED))
    assert status == 503
    assert b"more memory than the 64 MiB a query may use" in body and b"stopped" in body
    for _ in range(2):  # the one /sparql worker was replaced: the next queries are answered
        status, _, body = guarded.get(q("ASK { ?g gt:goalNumber 3 }"))
        assert status == 200 and b"true" in body
    assert guarded.get("/api/goals")[0] == 200


def test_a_request_with_both_content_length_and_transfer_encoding_is_refused_and_closed(guarded):
    smuggled = b"GET /api/goals HTTP/1.1\r\nHost: x\r\n\r\n"
    with connect(guarded) as connection:
        connection.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                           b"Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n" + smuggled)
        answer, closed = read_to_end(connection)
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"both Content-Length and Transfer-Encoding" in answer
    assert closed and answer.count(b"HTTP/1.1 ") == 1  # the request behind it was never answered


def test_a_body_declared_past_the_limit_is_refused_before_it_is_sent(guarded):
    with connect(guarded) as connection:
        connection.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                           b"Content-Length: 314572800\r\n\r\n")  # 300 MiB announced, not a byte of it sent
        answer, closed = read_to_end(connection)
    assert answer.startswith(b"HTTP/1.1 413 ") and b"at most 1048576 bytes" in answer and closed


def test_a_chunked_body_is_refused_once_past_the_limit_not_read_whole(guarded):
    """300 MiB offered in 64 KiB chunks: the server answers 413 and closes while the client is
    still sending, within a few MiB (what the sockets' buffers hold) of the 1 MiB limit."""
    offered, sent = 300 << 20, 0
    chunk = b"10000\r\n" + b"x" * 0x10000 + b"\r\n"
    with connect(guarded) as connection:
        connection.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                           b"Transfer-Encoding: chunked\r\n\r\n")
        while sent < offered:
            readable, _, _ = select.select([connection], [], [], 0)
            if readable:
                break
            try:
                connection.sendall(chunk)
            except OSError:  # closed by the server
                break
            sent += len(chunk)
        answer, closed = read_to_end(connection)
    assert sent < 32 << 20, f"{sent >> 20} MiB were taken before the server refused the body"
    assert answer.startswith(b"HTTP/1.1 413 ") and b"at most 1048576 bytes" in answer and closed


def test_a_client_that_sends_its_whole_body_anyway_still_reads_the_413(guarded):
    """A client that writes its 4 MiB body before reading (as most HTTP libraries do) is not
    cut off with a broken pipe: the server reads and drops the rest, then closes."""
    body = b"ASK {} #" + b"x" * (4 << 20)
    with connect(guarded) as connection:
        connection.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: application/sparql-query\r\n"
                           b"Content-Length: %d\r\n\r\n" % len(body) + body)
        answer, closed = read_to_end(connection)
    assert answer.startswith(b"HTTP/1.1 413 ") and b"at most 1048576 bytes" in answer and closed


def test_half_sent_connections_are_closed_and_others_answered(guarded):
    """As many half-sent requests as the server takes connections: each is closed after the
    idle timeout, and a client who came meanwhile is answered."""
    stalled = [connect(guarded) for _ in range(CONNECTIONS)]
    try:
        for connection in stalled:
            connection.sendall(b"GET /api/goals HTTP/1.1\r\nHost: x\r\n")  # the blank line never comes
        started = time.monotonic()
        status, _, _ = guarded.get("/api/goals")  # waits for a free connection
        assert status == 200
        for connection in stalled:
            answer, closed = read_to_end(connection)
            assert closed and answer == b""
        assert time.monotonic() - started < 30  # the limit is 2 s: closed long before 30
    finally:
        for connection in stalled:
            connection.close()


def test_a_request_trickled_a_byte_at_a_time_is_closed(guarded):
    """Never silent for long, but never finished: closed once the request has taken longer
    than the idle timeout to arrive."""
    request = b"GET /api/goals HTTP/1.1\r\nHost: x\r\nX-Padding: " + b"a" * 1000
    started = time.monotonic()
    with connect(guarded) as connection:
        for byte in request:
            try:
                connection.sendall(bytes([byte]))
            except OSError:
                break
            readable, _, _ = select.select([connection], [], [], 0.25)
            if readable:
                break
            if time.monotonic() - started > 60:
                break
        answer, closed = read_to_end(connection)
    assert closed and answer == b""
    assert time.monotonic() - started < 30  # the limit is 2 s from the first byte


def test_pages_answer_while_sparql_is_saturated_and_connections_are_held():
    """The attack of issue 24: 150 half-sent connections and /sparql full of queries that run
    for minutes. With the defaults for connections, a page and the JSON API still answer while
    the slow queries still run, and a query past what /sparql holds is turned away at once."""
    server = Server("--query-workers", "1", "--page-workers", "1", "--query-timeout", "300")
    stalled, outcomes = [], []

    def slow():
        try:
            outcomes.append(server.get(q(CARTESIAN_COUNT)))
        except OSError as error:  # the server stopped at the end of the test
            outcomes.append(error)

    try:
        for _ in range(150):
            connection = connect(server)
            connection.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")
            stalled.append(connection)
        # with one worker /sparql holds two requests (one running, one waiting): of three, one is turned away
        slow_ones = [threading.Thread(target=slow, daemon=True) for _ in range(3)]
        for thread in slow_ones:
            thread.start()
        deadline = time.monotonic() + 60
        while not outcomes and time.monotonic() < deadline:
            time.sleep(0.1)
        status, headers, body = outcomes[0]
        assert status == 503 and b"try again shortly" in body and headers["Retry-After"] == "1"
        status, headers, body = server.get(q("ASK {}"))  # still full
        assert status == 503 and b"try again shortly" in body
        assert server.get("/", accept="text/html")[0] == 200
        assert server.get("/api/goals")[0] == 200
        assert len(outcomes) == 1 and sum(thread.is_alive() for thread in slow_ones) == 2  # the slow ones still run
    finally:
        for connection in stalled:
            connection.close()
        server.stop()  # its query workers end with it
