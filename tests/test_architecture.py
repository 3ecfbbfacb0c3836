"""The package's layers point one way: no import cycle, counting imports inside functions, and
no core module reaching up into the web app. Read from the source, so that a new module is
held to it the day it is written."""

import ast
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


def _imports(name: str) -> set[str]:
    """Every goaltrace module `name` imports, at its top or inside a function."""
    path = MODULES[name]
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
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
    assert "goaltrace.graph.store" in GRAPH["goaltrace.importing"]
    assert "goaltrace.forms.errors" in GRAPH["goaltrace.forms"]


def test_no_module_imports_itself_back_through_others():
    assert _cycles() == []


def test_the_store_knows_quads_and_sparql_only():
    below = {name for name in GRAPH["goaltrace.graph.store"]}
    assert not {n for n in below if n.startswith(("goaltrace.importing", "goaltrace.forms.parser", "goaltrace.web"))}


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
