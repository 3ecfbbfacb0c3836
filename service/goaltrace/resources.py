"""Files that ship with goaltrace: ontology, shapes, bundled forms, alignments, named queries,
the cookbook's questions.

They live at the top of the source tree (``ontology/``, ``shapes/``, ``data/``) and inside the
wheel as the packages ``goaltrace.ontology``, ``goaltrace.shapes`` and ``goaltrace.data``.
"""

from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

# In a source checkout (an editable install) the folders sit at the top of the tree.
_CHECKOUT = Path(__file__).resolve().parents[2]


def _folder(package: str, *parts: str) -> Traversable:
    try:
        folder = files(package)
    except ModuleNotFoundError:
        folder = _CHECKOUT / package.rpartition(".")[2]
    for part in parts:
        folder = folder / part
    return folder


def ontology_files() -> list[Traversable]:
    """goaltrace.ttl (classes, properties), framework.ttl (SKOS concept schemes) and
    indicator-concepts.ttl (the shared concepts of level-3 indicators)."""
    folder = _folder("goaltrace.ontology")
    return [folder / "goaltrace.ttl", folder / "framework.ttl", folder / "indicator-concepts.ttl"]


def shapes_file(name: str) -> Traversable:
    return _folder("goaltrace.shapes") / name


def bundled_forms() -> list[Traversable]:
    folder = _folder("goaltrace.data", "forms")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".txt")), key=lambda f: f.name)


def alignment_files() -> list[Traversable]:
    folder = _folder("goaltrace.data", "alignments")
    if not folder.is_dir():
        return []
    return sorted((f for f in folder.iterdir() if f.name.endswith(".ttl")), key=lambda f: f.name)


def cookbook_files() -> list[Traversable]:
    """The cookbook's questions (docs/cookbook/*.rq; the package goaltrace.cookbook in a wheel)."""
    try:
        folder = files("goaltrace.cookbook")
    except ModuleNotFoundError:
        folder = _CHECKOUT / "docs" / "cookbook"
    return sorted((f for f in folder.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)


def query_files() -> list[Traversable]:
    folder = _folder("goaltrace.data", "queries")
    return sorted((f for f in folder.iterdir() if f.name.endswith(".rq")), key=lambda f: f.name)
