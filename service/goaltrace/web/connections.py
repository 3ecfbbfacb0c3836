"""What waitress holds each connection to, beyond its own rules (waitress 3.0).

waitress already closes a connection that has been silent for ``channel_timeout`` seconds,
stops accepting past ``connection_limit`` connections, and refuses a body whose declared
Content-Length reaches ``max_request_body_size``, or a chunked body once that many bytes have
arrived. What it leaves open is closed here:

- a request that carries both Content-Length and Transfer-Encoding gets a 400 and its
  connection is closed (waitress reads such a body by its chunks and keeps the connection
  open, which a proxy in front that trusts Content-Length reads otherwise: request smuggling;
  RFC 9112 §6.1 says to close it);
- a request must arrive whole within ``channel_timeout`` seconds of its first byte: a client
  that sends one byte now and then is never silent for long, and would otherwise hold its
  connection for as long as it likes;
- a body over the limit gets a 413 that says the limit in bytes, and the client reads it: a
  connection refused while the client may still be sending is half-closed after the answer,
  and what arrives for a few seconds more is read and dropped before it is closed (as nginx
  does); closed at once, the unread bytes would make the system reset the connection and the
  client would see a broken pipe instead of the answer.
"""

import socket
import time

from waitress.channel import HTTPChannel
from waitress.parser import HTTPRequestParser, ParsingError
from waitress.utilities import RequestEntityTooLarge


class RequestParser(HTTPRequestParser):
    def __init__(self, adj):
        super().__init__(adj)
        self.begun = time.monotonic()  # made when the request's first bytes arrive

    def parse_header(self, header_plus):
        super().parse_header(header_plus)  # for HTTP/1.1 this takes Transfer-Encoding out of the headers
        framed_twice = self.chunked or "TRANSFER_ENCODING" in self.headers
        if framed_twice and "CONTENT_LENGTH" in self.headers:
            raise ParsingError("a request may not carry both Content-Length and Transfer-Encoding")

    def received(self, data):
        consumed = super().received(data)
        if isinstance(self.error, RequestEntityTooLarge) and not getattr(self.error, "said", False):
            self.error = RequestEntityTooLarge(f"a request body may hold at most {self.adj.max_request_body_size - 1} bytes")
            self.error.said = True
        return consumed


LINGER = 2.0  # seconds a refused connection is read and dropped from before it is closed


class Channel(HTTPChannel):
    parser_class = RequestParser
    refused = False  # a request on it got an error answer from waitress (400, 413, 431, 501)
    lingering_until: float | None = None

    def readable(self):
        # asyncore asks every channel this at least once a second, in the thread that reads
        # requests: the place to notice a request that is taking too long to arrive
        if self.lingering_until is not None:
            if time.monotonic() > self.lingering_until:
                super().handle_close()
                return False
            return True
        arriving = self.request
        if arriving is not None and not arriving.completed and time.monotonic() - arriving.begun > self.adj.channel_timeout:
            self.will_close = True  # handle_write closes the connection
            return False
        return super().readable()

    def writable(self):
        return False if self.lingering_until is not None else super().writable()

    def received(self, data):
        if self.lingering_until is not None:
            return False  # dropped
        return super().received(data)

    def service(self):  # in a request thread
        if self.requests and self.requests[0].error:
            self.refused = True
        super().service()

    def handle_close(self):
        if self.refused and self.lingering_until is None and self.connected:
            try:
                self.socket.shutdown(socket.SHUT_WR)  # the answer is out: say there is no more
            except OSError:
                super().handle_close()
                return
            self.lingering_until = time.monotonic() + LINGER
            return
        super().handle_close()  # an idle connection, a normal close, the client gone, or the lingering over
