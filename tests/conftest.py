import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "data" / "forms" / "xiushan-justice-bureau-2023.txt"
# the commands' caches go to a directory of the test run, never the user's own
os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="goaltrace-test-cache-")
# The suite starts hundreds of goaltrace processes (commands, servers, reading and query
# workers): each compiles goaltrace's modules anew unless Python may keep their bytecode, which
# an environment with PYTHONDONTWRITEBYTECODE forbids. Let this run and the processes it starts
# keep it (in __pycache__, ignored by git).
os.environ.pop("PYTHONDONTWRITEBYTECODE", None)
sys.dont_write_bytecode = False
GOALTRACE = str(Path(sys.executable).parent / "goaltrace")
OXIGRAPH = str(Path(sys.executable).parent / "oxigraph")
BUNDLED = [str(SEED), str(ROOT / "data" / "alignments")]


@pytest.fixture(scope="session")
def seed_path() -> Path:
    return SEED


@pytest.fixture(scope="session")
def seed_text() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def vocabulary():
    """The ontology's files (goaltrace.ttl, framework.ttl, indicator-concepts.ttl) parsed by
    rdflib, apart from goaltrace's own reading of them."""
    import rdflib

    from goaltrace import resources

    g = rdflib.Graph()
    for f in resources.ontology_files():
        g.parse(data=f.read_text(encoding="utf-8"), format="turtle")
    return g


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
                urllib.request.urlopen(self.base + "/api/openapi.json", timeout=2).read()
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


class OxigraphServer:
    """`oxigraph serve` on a free loopback port, as a remote SPARQL 1.1 store: queries at
    /query, updates at /update."""

    def __init__(self, location: Path):
        import time
        import urllib.request

        port = free_port()
        self.url = f"http://127.0.0.1:{port}/query"
        self.process = subprocess.Popen([OXIGRAPH, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                                         "--timeout-s", "30"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"oxigraph serve exited: {self.process.stderr.read().decode()}")
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/query?query=ASK%7B%7D", timeout=2).read()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError("oxigraph serve did not answer within 30 s")

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)


VIRTUOSO = shutil.which("virtuoso-t")
VIRTUOSO_INI = """[Database]
DatabaseFile = {dir}/virtuoso.db
ErrorLogFile = {dir}/virtuoso.log
LockFile = {dir}/virtuoso.lck
TransactionFile = {dir}/virtuoso.trx
xa_persistent_file = {dir}/virtuoso.pxa
[TempDatabase]
DatabaseFile = {dir}/virtuoso-temp.db
TransactionFile = {dir}/virtuoso-temp.trx
[Parameters]
ServerPort = 127.0.0.1:{sql_port}
DisableUnixSocket = 1
CheckpointInterval = 0
NumberOfBuffers = 20000
MaxDirtyBuffers = 15000
ThreadsPerQuery = 1
DirsAllowed = .
[HTTPServer]
ServerPort = 127.0.0.1:{http_port}
ServerRoot = {dir}
ServerThreads = 4
[SPARQL]
ResultSetMaxRows = {max_rows}
MaxQueryCostEstimationTime = 400
MaxQueryExecutionTime = 60
"""


class VirtuosoServer:
    """Debian's Virtuoso (``virtuoso-t``) in a folder of its own, on free loopback ports, with
    SPARQL Update granted to its endpoint (as its manual says to): queries and updates at
    /sparql. ``max_rows`` is its row cap (ResultSetMaxRows), low to show cuts on little data."""

    def __init__(self, folder: Path, max_rows: int = 10_000):
        folder.mkdir(parents=True, exist_ok=True)
        self.folder, self.sql_port, http_port = folder, free_port(), free_port()
        (folder / "virtuoso.ini").write_text(VIRTUOSO_INI.format(dir=folder, sql_port=self.sql_port, http_port=http_port,
                                                                 max_rows=max_rows))
        self.url = f"http://127.0.0.1:{http_port}/sparql"
        self.start()
        grant = 'grant SPARQL_UPDATE to "SPARQL";'
        subprocess.run(["isql-vt", f"127.0.0.1:{self.sql_port}", "dba", "dba", f"exec={grant}"], check=True,
                       capture_output=True, timeout=30)

    def start(self):
        """Start the server (again, after `kill`: it replays its transaction log)."""
        import time
        import urllib.request

        self.process = subprocess.Popen([VIRTUOSO, "-f", "-c", str(self.folder / "virtuoso.ini")], cwd=self.folder,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                log = (self.folder / "virtuoso.log").read_text(errors="replace")[-2000:]
                raise AssertionError(f"virtuoso-t exited: {log}")
            try:
                urllib.request.urlopen(self.url + "?query=ASK%7B%7D", timeout=2).read()
                return
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise AssertionError("Virtuoso did not answer within 60 s")

    def kill(self):
        """As a crash would end it: SIGKILL, nothing flushed."""
        self.process.kill()
        self.process.wait()

    def stop(self):
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def virtuoso_or_skip():
    """Skip where Virtuoso is not installed, but fail in CI (CI=true), where it must be."""
    if VIRTUOSO is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Virtuoso is not installed (apt-get install virtuoso-opensource)")
        pytest.skip("Virtuoso is not installed here (Debian: apt-get install virtuoso-opensource)")


@pytest.fixture(scope="session")
def bundled_store(tmp_path_factory) -> str:
    """The bundled data, imported by goaltrace into an Oxigraph store on disk: what the command
    line holds in memory with no --store, without reading the forms again for every command."""
    store = tmp_path_factory.mktemp("bundled") / "store"
    run_goaltrace("import", "--store", str(store), *BUNDLED, check=True)
    return str(store)


@pytest.fixture(scope="session")
def remote_store(tmp_path_factory):
    """The bundled data, imported by goaltrace into an Oxigraph server: its query URL."""
    oxigraph = OxigraphServer(tmp_path_factory.mktemp("oxigraph"))
    run_goaltrace("import", "--store", oxigraph.url, *BUNDLED, check=True)
    yield oxigraph.url
    oxigraph.stop()


def pytest_collection_modifyitems(config, items):
    """A browser test checks what the page and its script do, which is the same whichever store
    the server reads: it runs on the embedded store only. The remote store's answers are
    compared below the pages (every other test of the server, test_remote_store.py,
    test_virtuoso.py)."""
    twice = [item for item in items if item.get_closest_marker("browser")
             and getattr(getattr(item, "callspec", None), "params", {}).get("server") == "remote"]
    if twice:
        config.hook.pytest_deselected(items=twice)
        items[:] = [item for item in items if item not in twice]
    _long_first(items)


@pytest.fixture(scope="session", params=["embedded", "remote"])
def server(request):
    """`goaltrace serve` on the bundled data: held in memory, and kept in a remote SPARQL store.
    Every test of the server runs against both."""
    store = ("--store", request.getfixturevalue("remote_store")) if request.param == "remote" else ()
    running = Server("--query-timeout", "3", "--row-limit", "1000", *store)
    running.store = request.param
    yield running
    running.stop()


def wait_for_years(server: "Server", years: list[int], seconds: float = 180) -> tuple[list[int], dict]:
    """Ask /api/declarations until it lists declarations of these years; every answer meanwhile
    must be a whole state: the years before, or these. The server looks for a change every second
    and then reopens the store, which on a loaded machine can take long: the wait returns as soon
    as the years show, and gives up only after `seconds` (a server that never notices)."""
    import json
    import time

    deadline, seen, headers = time.monotonic() + seconds, [], {}
    while time.monotonic() < deadline:
        _, headers, body = server.get("/api/declarations")
        seen = [d["year"] for d in json.loads(body)]
        if seen == years:
            break
        assert set(seen) < set(years), seen  # never half an import
        time.sleep(0.2)
    return seen, headers


def import_while_serving(server: "Server", store: str, seed_text: str, folder: Path) -> tuple[str, list[int], dict]:
    """With the server showing the 2023 seed, import a 2024 copy of it into `store` from another
    process; return when the store last changed before, and the years and headers the server
    shows once it has noticed."""
    import json

    _, headers, body = server.get("/api/declarations")
    assert [d["year"] for d in json.loads(body)] == [2023]
    before = headers["X-Goaltrace-Store-Changed"]
    other = folder / "2024.txt"
    other.write_text(seed_text.replace("预算年度:2023", "预算年度:2024"), encoding="utf-8")
    run_goaltrace("import", "--store", store, str(other), check=True)
    years, headers = wait_for_years(server, [2023, 2024])
    return before, years, headers


# ---- a real browser ------------------------------------------------------------------------------
# Debian's Chromium, driven by Playwright. Locally the browser tests skip when Chromium is missing;
# in CI (CI=true) a missing browser fails. Every request the pages make is checked: nothing may
# leave 127.0.0.1.
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# Where screenshots go: a temporary folder, or the folder GOALTRACE_SCREENSHOTS names
# (the README's images: GOALTRACE_SCREENSHOTS=docs/screenshots .venv/bin/pytest -m browser).
SCREENSHOTS = Path(os.environ["GOALTRACE_SCREENSHOTS"]) if os.environ.get("GOALTRACE_SCREENSHOTS") else None
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-quic"]

# Draws characters one by one on a canvas in the given font and tells whether they look different.
# A character no installed font has is drawn as the same empty box (tofu), or not at all, so
# Chinese without a CJK font draws three identical images where real glyphs draw three different ones.
_GLYPHS_DIFFER = """(font) => {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 64;
  const context = canvas.getContext("2d");
  const drawn = Array.from("预算绩").map((character) => {
    context.clearRect(0, 0, 64, 64);
    context.font = font;
    context.textBaseline = "top";
    context.fillText(character, 4, 4);
    return context.getImageData(0, 0, 64, 64).data.join(",");
  });
  return new Set(drawn).size === drawn.length;
}"""

NO_CJK_FONT = ("Chinese text renders without a CJK font here (every character draws the same box): "
               "install one, e.g. apt-get install fonts-noto-cjk")


def cjk_font_problem(browser, font: str = '48px "Noto Sans CJK SC", sans-serif') -> str | None:
    """None when Chinese characters draw as distinct glyphs in this browser; else what to install."""
    page = browser.new_page()
    try:
        return None if page.evaluate(_GLYPHS_DIFFER, font) else NO_CJK_FONT
    finally:
        page.close()


@pytest.fixture(scope="session")
def playwright_driver():
    if CHROMIUM is None:
        if os.environ.get("CI") == "true":
            pytest.fail("CI=true but Chromium is not installed (apt-get install chromium)")
        pytest.skip("Chromium is not installed here (Debian: apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_driver):
    """Chromium, once it has shown that it draws Chinese: without a CJK font every page would
    pass its tests while showing boxes, so every browser test fails instead."""
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    problem = cjk_font_problem(browser)
    if problem:
        browser.close()
        pytest.fail(problem)
    yield browser
    browser.close()


@pytest.fixture
def page(browser, server):
    """A fresh page (its own context: no cookies or storage from another test) whose console
    errors, page errors and requests leaving the server fail the test."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN")
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type == "error" and page.problems.append(f"console: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"page error: {e}"))

    def guard(route):
        if route.request.url.startswith(server.base):
            route.continue_()
        else:
            page.problems.append(f"request left the server: {route.request.url}")
            route.abort()

    page.route("**/*", guard)
    yield page
    context.close()
    assert page.problems == []


@pytest.fixture
def shots(tmp_path) -> Path:
    folder = SCREENSHOTS or tmp_path
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def pytest_xdist_auto_num_workers(config):
    """`-n auto`: one worker more than half again the cores. Many tests spend their time waiting
    for a process they started (a command, a server, a browser, Virtuoso), so a core per worker
    leaves the cores idle part of the run. Measured on two cores, 2026-12-08: three workers
    401 s for 639 s of CPU; four workers were slower (559 s, before pytest was held below 9.2)."""
    return max(2, (os.cpu_count() or 1) * 3 // 2)


# Modules whose tests run longest or build a long module-wide fixture, started first so that
# no worker is left with one of them at the end of the run (xdist hands tests out in order).
LONG_FIRST = ("test_shapes_standalone", "test_virtuoso", "test_generated_corpus", "test_inference",
              "test_web_corpus", "test_linked_data", "test_reviewer_checks", "test_crash_safety",
              "test_query_layer", "test_import_record", "test_documents")


def _long_first(items):
    def rank(item):
        module = Path(str(item.fspath)).stem
        return LONG_FIRST.index(module) if module in LONG_FIRST else len(LONG_FIRST)
    items.sort(key=rank)  # stable: each module's own order is kept
