import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "forms" / "xiushan-justice-bureau-2023.txt"
GOALTRACE = str(Path(sys.executable).parent / "goaltrace")


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


def run_goaltrace(*args: str, check: bool = False, input: bytes | None = None, cwd=None) -> subprocess.CompletedProcess:
    """Run the installed ``goaltrace`` command as a user would, in its own process."""
    env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
    result = subprocess.run([GOALTRACE, *args], capture_output=True, input=input, env=env, cwd=cwd, timeout=120)
    result.stdout_text = result.stdout.decode("utf-8")
    result.stderr_text = result.stderr.decode("utf-8")
    if check and result.returncode != 0:
        raise AssertionError(f"goaltrace {' '.join(args)} exited {result.returncode}: {result.stderr_text}")
    return result


@pytest.fixture
def goaltrace():
    return run_goaltrace


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`goaltrace serve` in its own process on a free loopback port, as a user starts it."""

    def __init__(self, *args: str, env: dict | None = None):
        import time
        import urllib.request

        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen([GOALTRACE, "serve", "--port", str(self.port), *args], env=env,
                                        stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"goaltrace serve exited: {self.process.stderr.read().decode()}")
            try:
                urllib.request.urlopen(self.base + "/api/declarations", timeout=2).read()
                return
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise AssertionError("goaltrace serve did not answer within 60 s")

    def get(self, path: str, accept: str | None = None, method: str = "GET", data: bytes | None = None,
            content_type: str | None = None, headers: dict | None = None):
        """(status, headers, body) of one raw HTTP request: exactly the headers given, no others
        added (urllib would add a form content type to every POST)."""
        import http.client
        import urllib.parse

        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        sent = dict(headers or {})
        if accept:
            sent["Accept"] = accept
        if content_type:
            sent["Content-Type"] = content_type
        if data is not None:
            sent["Content-Length"] = str(len(data))
        try:
            connection.request(method, urllib.parse.quote(path, safe="/?&=%:+,;@"), body=data, headers=sent)
            response = connection.getresponse()
            return response.status, response.headers, response.read()
        finally:
            connection.close()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()


@pytest.fixture(scope="session")
def server():
    running = Server("--query-timeout", "3", "--row-limit", "1000")
    yield running
    running.stop()
