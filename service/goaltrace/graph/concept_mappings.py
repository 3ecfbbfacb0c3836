"""Curated concept mappings: CSV files in which a person names the concept of indicator names,
each file imported as its own named graph that overrules the rules' links.

A mapping file is a CSV file (UTF-8, or GB18030 as Excel saves it) whose header names at least
``indicator``, ``concept`` and ``curator``, and may add ``note``:

    indicator,concept,curator,note
    受援人满意度,service-recipient-satisfaction,张三,法律援助受援人即服务对象
    法律顾问团工作经费,none,张三,一笔经费，不是指标

``indicator`` is a name as forms write it (compared without spaces and with full-width forms
folded, as `gt:normalizedName` holds it); ``concept`` is a concept's slug (or ``gtc:slug``, or
its IRI), or ``none`` to rule every concept out. Each row becomes a `gt:ConceptCuration` with
the curated basis and who made it; it applies to every indicator of that name in the store,
whenever its forms are imported, so it survives re-imports. Importing the file again replaces
its graph. A name may be curated once in a file and in one file only.
"""

import csv
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..domain.concepts import scheme
from ..forms.errors import FormError, file_bytes, shown
from ..forms.text import fold, key
from . import iris
from .namespaces import GT, GTC, GTF, ID, PROV, RDF, RDFS, XSD

REQUIRED = ("indicator", "concept", "curator")
COLUMNS = (*REQUIRED, "note")
MAX_BYTES = 16 << 20
NONE = f"{GTC}none"


@dataclass(frozen=True)
class MappedConcepts:
    iri: str
    name: str  # the file's name: it names the graph
    quads: list[ox.Quad]
    names: tuple[str, ...]  # the normalised names it curates

    @property
    def graphs(self) -> dict[str, list[ox.Quad]]:
        return {self.iri: self.quads}


def _names(cells: list[str]) -> list[str]:
    return [fold(name).strip().strip('"').lower() for name in cells]


def is_mapping_file(path: str | Path) -> bool:
    """Whether a CSV file opens with a mapping file's header (read from its first bytes only)."""
    try:
        with open(path, "rb") as f:
            head = f.read(4096).decode("utf-8-sig", errors="replace")
    except OSError:
        return False
    return set(REQUIRED) <= set(_names(next(csv.reader(io.StringIO(head.split("\n", 1)[0])), [])))


def _text(path: str, data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise FormError(path, 1, f"expected a mapping file of at most {MAX_BYTES >> 20} MiB, found {len(data) >> 20} MiB")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("gb18030")
        except UnicodeDecodeError:
            raise FormError(path, 1, "expected a mapping file in UTF-8 (or GB18030, as Excel saves CSV), "
                                     "found bytes that are neither") from None


def _concept(path: str, line: int, cell: str) -> str:
    slug = cell.strip().removeprefix(GTC).removeprefix("gtc:")
    if slug.lower() == "none":
        return NONE
    if slug not in scheme():
        raise FormError(path, line, f"expected a concept of ontology/indicator-concepts.ttl (a slug such as "
                                    f"service-recipient-satisfaction) or none, found {shown(cell)}")
    return f"{GTC}{slug}"


def read_mapping(path: str | Path) -> MappedConcepts:
    """A mapping file read, checked and mapped to its graph; FormError at the first bad row."""
    shown_path = str(path)
    data = file_bytes(path, "mapping file")
    table = list(csv.reader(io.StringIO(_text(shown_path, data), newline="")))
    header = _names(table[0]) if table else []
    unknown = [name for name in header if name not in COLUMNS]
    missing = [name for name in REQUIRED if name not in header]
    if unknown or missing or len(set(header)) != len(header):
        what = (f"the unknown column {shown(unknown[0])}" if unknown else f"no column {missing[0]}" if missing
                else "a column twice")
        raise FormError(shown_path, 1, f"expected the columns of a mapping file ({', '.join(COLUMNS)}), found {what}")
    name = Path(path).name
    graph_iri = f"{ID}concept-mappings/{iris.segment(name)}"
    graph = ox.NamedNode(graph_iri)
    quads = []

    def add(subject: str, predicate: str, obj):
        quads.append(ox.Quad(ox.NamedNode(subject), ox.NamedNode(predicate), obj, graph))

    add(graph_iri, f"{RDF}type", ox.NamedNode(f"{GT}ConceptMapping"))
    add(graph_iri, f"{RDFS}label", ox.Literal(name))
    add(graph_iri, f"{GT}sha256", ox.Literal(hashlib.sha256(data).hexdigest()))
    seen: dict[str, int] = {}
    for line, cells in enumerate(table[1:], 2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(header):
            raise FormError(shown_path, line, f"expected {len(header)} cells as in the header, found {len(cells)}")
        row = dict(zip(header, (cell.strip() for cell in cells)))
        curated = key(row["indicator"])
        if not curated:
            raise FormError(shown_path, line, "expected an indicator name in indicator, found none")
        if not row["curator"]:
            raise FormError(shown_path, line, "expected the curator's name in curator, found none")
        if curated in seen:
            raise FormError(shown_path, line, f"expected each indicator name once, found {shown(row['indicator'])} "
                                              f"again after line {seen[curated]}")
        seen[curated] = line
        node, agent = f"{graph_iri}/line/{line}", f"{ID}agent/{iris.segment(row['curator'])}"
        add(node, f"{RDF}type", ox.NamedNode(f"{GT}ConceptCuration"))
        add(node, f"{GT}curatedName", ox.Literal(curated))
        add(node, f"{RDFS}label", ox.Literal(row["indicator"], language="zh"))
        add(node, f"{GT}concept", ox.NamedNode(_concept(shown_path, line, row["concept"])))
        add(node, f"{GT}basis", ox.NamedNode(f"{GTF}basis-curated"))
        add(node, f"{PROV}wasAttributedTo", ox.NamedNode(agent))
        add(node, f"{GT}sourceLine", ox.Literal(str(line), datatype=ox.NamedNode(f"{XSD}integer")))
        if row.get("note"):
            add(node, f"{GT}justification", ox.Literal(row["note"], language="zh"))
        add(agent, f"{RDF}type", ox.NamedNode(f"{PROV}Agent"))
        add(agent, f"{RDFS}label", ox.Literal(row["curator"]))
    return MappedConcepts(graph_iri, name, quads, tuple(seen))
