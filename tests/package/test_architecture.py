"""The package's layers point one way: no import cycle, counting imports inside functions, and
no core module reaching up into the web app. Read from the source, so that a new module is
held to it the day it is written."""

import ast
import functools
from pathlib import Path

import goaltrace

PACKAGE = Path(goaltrace.__file__).parent


def _modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = ["goaltrace", *path.relative_to(PACKAGE).with_suffix("").parts]
        found[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    return found


MODULES = _modules()


@functools.cache
def _nodes(name: str) -> tuple[ast.AST, ...]:
    """Every node of module `name`'s syntax tree, parsed once for all the tests here."""
    return tuple(ast.walk(ast.parse(MODULES[name].read_text(encoding="utf-8"))))


def _imports(name: str) -> set[str]:
    """Every goaltrace module `name` imports, at its top or inside a function."""
    path = MODULES[name]
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in _nodes(name):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name in MODULES}
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[:len(package) - node.level + 1] + ([node.module] if node.module else [])) \
                if node.level else node.module
            for alias in node.names:
                whole = f"{base}.{alias.name}"
                found.add(whole if whole in MODULES else base)
    return {module for module in found if module in MODULES and module != name}


GRAPH = {name: _imports(name) for name in MODULES}


def _cycles() -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index, low, stack, on, groups = {}, {}, [], set(), []

    def visit(v):
        index[v] = low[v] = len(index)
        stack.append(v)
        on.add(v)
        for w in sorted(GRAPH[v]):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while not group or group[-1] != v:
                group.append(stack.pop())
                on.discard(group[-1])
            if len(group) > 1:
                groups.append(sorted(group))

    for name in sorted(GRAPH):
        if name not in index:
            visit(name)
    return groups


def test_the_import_graph_reads_the_package():
    assert "goaltrace.graph.store" in GRAPH["goaltrace.ingest.importing"]
    assert "goaltrace.forms.errors" in GRAPH["goaltrace.forms"]


def test_no_module_imports_itself_back_through_others():
    assert _cycles() == []


def test_the_store_knows_quads_and_sparql_only():
    below = {name for name in GRAPH["goaltrace.graph.store"]}
    assert not {n for n in below if n.startswith(("goaltrace.ingest.importing", "goaltrace.forms.parser", "goaltrace.web"))}


def test_no_core_module_imports_the_web_app():
    core = [name for name in GRAPH if not name.startswith(("goaltrace.web", "goaltrace.cli"))]
    assert {name: sorted(m for m in GRAPH[name] if m.startswith("goaltrace.web")) for name in core
            if any(m.startswith("goaltrace.web") for m in GRAPH[name])} == {}


def test_ruff_finds_nothing():
    """The code is held to the project's lint rules ([tool.ruff] in pyproject.toml) on every run
    of the suite, in CI too."""
    import shutil
    import subprocess
    import sys

    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    root = PACKAGE.parents[1]
    result = subprocess.run([ruff, "check", "--no-cache", "service", "tests", "bench"], cwd=root,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout[-3000:]


def test_the_readme_layout_names_every_module():
    readme = (PACKAGE.parents[1] / "README.md").read_text(encoding="utf-8")
    layout = readme[readme.index("## Layout"):]
    named = {line.split()[0] for line in layout.splitlines() if line and not line.startswith((" ", "#", "`"))}
    modules = {str(path.relative_to(PACKAGE)).removesuffix("__init__.py") for path in PACKAGE.rglob("*.py")
               if path != PACKAGE / "__init__.py" and "__pycache__" not in path.parts}
    assert sorted(modules - named) == []


# -- one query path: named queries through a Reader ----------------------------------------------
# The store layer and the query layer may read a store's statements directly; everything else asks
# a `goaltrace.query.named.Reader` (the store itself in the command line, the query workers in the web
# app), or a store method named for what it reads whole (`graph_quads`, `mentions`).
_QUERY_LAYER = ("goaltrace.graph", "goaltrace.query.named", "goaltrace.query.run", "goaltrace.query.paging",
                "goaltrace.web.query_workers")  # the web app's reader runs the engine in its workers
_RAW_READS = {"quads", "query", "select", "quads_for_pattern"}
# What a web request may do with the store without the reader: know where it is, write to it
# through the context, and answer the Graph Store protocol's whole-graph reads and its metadata.
_WEB_STORE_READERS = {"goaltrace.web.context", "goaltrace.web.query_workers", "goaltrace.web.graph_store"}
_STATEMENT_READS = _RAW_READS | {"run", "graph_quads", "mentions", "engine"}


def _store_uses(name: str, attributes: set[str]) -> list[str]:
    """Where module `name` uses one of `attributes` of something called a store (`store`,
    `self.store`, `context.store`, `current().store`)."""
    found = []
    for node in _nodes(name):
        if isinstance(node, ast.Attribute) and node.attr in attributes:
            owner = ast.unparse(node.value)
            if owner == "store" or owner.endswith(".store"):
                found.append(f"{name}:{node.lineno}: {owner}.{node.attr}")
    return found


def test_only_the_store_and_query_layers_read_statements_raw():
    outside = [name for name in MODULES if not name.startswith(_QUERY_LAYER)]
    assert [use for name in outside for use in _store_uses(name, _RAW_READS)] == []


def test_web_requests_read_the_store_only_through_the_reader():
    web = [name for name in MODULES if name.startswith("goaltrace.web.") and name not in _WEB_STORE_READERS]
    assert [use for name in web for use in _store_uses(name, _STATEMENT_READS)] == []


def test_nothing_sniffs_which_reader_it_was_given():
    """A function given a Reader uses its protocol (`run`, `row_limit`), never asks which it is."""
    sniffing = []
    for name in MODULES:
        for node in _nodes(name):
            if not isinstance(node, ast.Call) or ast.unparse(node.func) not in ("getattr", "hasattr", "isinstance"):
                continue
            if any(part in ast.unparse(node) for part in ("'workers'", '"workers"', "LimitedReader")):
                sniffing.append(f"{name}:{node.lineno}: {ast.unparse(node)}")
    assert sniffing == []


# -- rendering in one home --------------------------------------------------------------------
# Answers become text, CSV, xlsx, JSON or Turtle in `goaltrace.rendering`, chosen through its one
# registry of output formats; the commands and the API choose a format there and write nothing
# themselves.
_WRITER_LIBRARIES = {"csv", "json", "openpyxl", "xlwt"}
_CHOOSERS = ("goaltrace.validation.validate", "goaltrace.answers.exporting", "goaltrace.cli", "goaltrace.web.api")


def _libraries(name: str) -> set[str]:
    """The top-level names of every library module `name` imports, anywhere in it."""
    found = set()
    for node in _nodes(name):
        if isinstance(node, ast.Import):
            found |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_commands_and_the_api_leave_writing_to_rendering():
    assert {name: sorted(_libraries(name) & _WRITER_LIBRARIES) for name in _CHOOSERS
            if _libraries(name) & _WRITER_LIBRARIES} == {}
    joined = [f"{name}:{node.lineno}" for name in _CHOOSERS for node in _nodes(name)
              if isinstance(node, ast.Call) and ast.unparse(node.func) in ("'\\t'.join", "'\\n'.join")]
    assert joined == []


def test_every_output_format_says_what_it_is():
    from goaltrace.rendering import formats

    kinds = {"table", "validation", "goal", "links", "outcome-links", "history", "report", "query-list", "results"}
    assert kinds <= {kind for kind, _ in formats._REGISTRY}
    for kind in kinds:
        for name in formats.names(kind):
            written = formats.get(kind, name)
            assert "/" in written.media_type and written.extension and written.extension.isalnum()
    assert formats.get("table", "xlsx").render(formats.Rows("indicators", ["value"], [{"value": "800"}]))[:2] == b"PK"


def test_the_architecture_page_draws_every_stage():
    """docs/architecture.md follows the data through every package of goaltrace; a new stage is
    drawn there the day it is made."""
    page = (PACKAGE.parents[1] / "docs" / "architecture.md").read_text(encoding="utf-8")
    stages = sorted(path.parent.name + "/" for path in PACKAGE.glob("*/__init__.py"))
    assert [stage for stage in stages if stage not in page] == []


def test_the_version_is_written_once():
    """`goaltrace.__version__` is the version: the package's metadata is built from it, the API
    description is served with it, and the ontology states the same."""
    import re
    import tomllib
    from importlib import metadata

    root = PACKAGE.parents[1]
    project = tomllib.loads((root / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and project["project"]["dynamic"] == ["version"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "goaltrace.__version__"}
    assert metadata.version("goaltrace") == goaltrace.__version__
    assert "version" not in (PACKAGE / "web" / "static" / "openapi.json").read_text(encoding="utf-8").split('"paths"')[0]
    stated = re.findall(r'owl:versionInfo "([^"]+)"', (root / "ontology" / "goaltrace.ttl").read_text(encoding="utf-8"))
    assert stated == [goaltrace.__version__]


def test_no_function_is_longer_than_80_lines():
    """A function does one job a reader can hold at once; a longer one is split into named steps."""
    long = [f"{name}:{node.lineno} {node.name} ({node.end_lineno - node.lineno + 1} lines)"
            for name in MODULES for node in _nodes(name)
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.end_lineno - node.lineno + 1 > 80]
    assert long == []


def test_tests_live_in_the_folder_of_their_stage():
    """Each test module sits in tests/<stage>/, a stage being a package of goaltrace (forms,
    ingest, graph, query, answers, validation, web) or `package` for the package as a whole."""
    tests = Path(__file__).resolve().parents[1]
    stages = {path.parent.name for path in PACKAGE.glob("*/__init__.py")} | {"package"}
    misplaced = sorted(str(path.relative_to(tests)) for path in tests.rglob("test_*.py")
                       if path.parent == tests or path.relative_to(tests).parts[0] not in stages)
    assert misplaced == []
