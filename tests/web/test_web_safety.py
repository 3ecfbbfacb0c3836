"""Names from forms are data: hostile text is escaped on every page; no path leaves the app;
the write token never appears in what the server prints."""

import os

import pytest

from conftest import SEED, Server, run_goaltrace

HOSTILE = '<script>alert("x")</script>\u202e\'"&'
PROJECT = '<img src=x onerror=alert(1)>'


@pytest.fixture(scope="module")
def hostile_server(tmp_path_factory):
    text = SEED.read_text(encoding="utf-8")
    text = text.replace("法律援助办结案件数量", HOSTILE).replace("项目名称\t人民调解", f"项目名称\t{PROJECT}")
    folder = tmp_path_factory.mktemp("hostile")
    form = folder / "hostile.txt"
    form.write_text(text, encoding="utf-8")
    run_goaltrace("import", "--store", str(folder / "store"), str(form), check=True)
    server = Server("--store", str(folder / "store"))
    yield server, folder / "store"
    server.stop()


def test_hostile_names_are_escaped_on_every_page(hostile_server):
    server, _ = hostile_server
    project = server.get("/api/projects")[2].decode()
    assert PROJECT in project  # JSON carries the name as data
    import json

    projects = {p["name"]: p["iri"] for p in json.loads(project)}
    pages = ["/", "/report", "/validation", "/query", "/goals/2",
             projects[PROJECT].replace("https://w3id.org/goaltrace/id/", "/id/"),
             projects["法律援助"].replace("https://w3id.org/goaltrace/id/", "/id/") + "/indicator/1"]
    seen_escaped = 0
    for path in pages:
        status, headers, body = server.get(path, accept="text/html")
        if status == 303:
            status, headers, body = server.get(headers["Location"].replace(server.base, ""), accept="text/html")
        assert status == 200, path
        html = body.decode()
        assert "<script>alert" not in html and "<img src=x" not in html, path
        seen_escaped += html.count("&lt;script&gt;") + html.count("&lt;img src=x")
        assert "script-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Content-Type-Options"] == "nosniff"
    assert seen_escaped >= 4


def test_standalone_report_escapes_too(hostile_server):
    _, store = hostile_server
    html = run_goaltrace("report", "--store", str(store), check=True).stdout_text
    assert "<script>alert" not in html and "<img src=x" not in html and "&lt;img src=x" in html


@pytest.mark.parametrize("path", ["/static/../../../../etc/passwd", "/static/%2e%2e/%2e%2e/etc/passwd",
                                  "/id/../../etc/passwd", "/id/%2e%2e/%2e%2e/etc/passwd", "/static/..%2f..%2fpyproject.toml"])
def test_no_path_traversal(server, path):
    status, _, body = server.get(path)
    assert status in (400, 404) and b"root:" not in body and b"[project]" not in body


def test_the_token_is_never_printed(tmp_path, seed_path):
    token = "s3cret-token-never-printed"
    run_goaltrace("import", "--store", str(tmp_path / "store"), str(seed_path), check=True)
    server = Server("--store", str(tmp_path / "store"), "--allow-update", env={**os.environ, "GOALTRACE_TOKEN": token})
    try:
        for given in (token, "wrong"):
            server.get("/sparql", method="POST", data=b"CLEAR GRAPH <urn:none>", content_type="application/sparql-update",
                       headers={"Authorization": f"Bearer {given}"})
        server.get("/sparql?query=" + token)
    finally:
        server.stop()
    printed = server.process.stdout.read() + server.process.stderr.read()
    assert token.encode() not in printed


@pytest.mark.parametrize("path", ["/id/x%3E%20%7D%20%3Cy", "/id/%ED%A0%80", "/id/a%0Db", "/api/projects/a%0D%22b%5C",
                                  "/api/projects/%ED%97%9F", "/api/goals/1/projects?year=%0D"])
def test_odd_paths_get_a_4xx_not_a_500(server, path):
    status, _, _ = server.get(path)
    assert 400 <= status < 500
