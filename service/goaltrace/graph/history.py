"""Imports on record: each `goaltrace import` is a `gt:Import` (a `prov:Activity`) in the
history graph, with the files it read and their SHA-256 digests, its start and end, the
version of goaltrace, and the declarations and alignments it added or replaced. It is written
in the same transaction as the import's last step, so the record and the data agree."""

import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime

import pyoxigraph as ox

from .. import __version__
from .iris import HISTORY
from .namespaces import GT, ID, RDF

PROV = "http://www.w3.org/ns/prov#"
_XSD_DATETIME = ox.NamedNode("http://www.w3.org/2001/XMLSchema#dateTime")


@dataclass
class ImportRecord:
    started: datetime = field(default_factory=lambda: datetime.now(UTC))
    files: list[tuple[str, str]] = field(default_factory=list)  # (name as given, sha256)
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    alignments: list[str] = field(default_factory=list)
    evaluations: list[str] = field(default_factory=list)
    corrections: list[str] = field(default_factory=list)
    mappings: list[str] = field(default_factory=list)

    def quads(self, ended: datetime | None = None) -> list[ox.Quad]:
        ended = ended or datetime.now(UTC)
        activity = ox.NamedNode(f"{ID}import/{self.started:%Y%m%dT%H%M%S}-{uuid.uuid4().hex[:8]}")
        graph = ox.NamedNode(HISTORY)

        def quad(s, p: str, o) -> ox.Quad:
            return ox.Quad(s, ox.NamedNode(p), o, graph)

        out = [
            quad(activity, f"{RDF}type", ox.NamedNode(f"{GT}Import")),
            quad(activity, f"{RDF}type", ox.NamedNode(f"{PROV}Activity")),
            quad(activity, f"{PROV}startedAtTime", ox.Literal(self.started.isoformat(), datatype=_XSD_DATETIME)),
            quad(activity, f"{PROV}endedAtTime", ox.Literal(ended.isoformat(), datatype=_XSD_DATETIME)),
            quad(activity, f"{GT}goaltraceVersion", ox.Literal(__version__)),
        ]
        for n, (name, digest) in enumerate(self.files, 1):  # the file as this import read it
            source = ox.NamedNode(f"{activity.value}/file/{n}")
            out += [quad(activity, f"{PROV}used", source), quad(source, f"{RDF}type", ox.NamedNode(f"{GT}SourceFile")),
                    quad(source, f"{GT}sha256", ox.Literal(digest)), quad(source, f"{GT}fileName", ox.Literal(name))]
        for predicate, items in (("addedDeclaration", self.added), ("replacedDeclaration", self.replaced),
                                 ("importedAlignment", self.alignments), ("importedSelfEvaluation", self.evaluations),
                                 ("importedCorrections", self.corrections),
                                 ("importedConceptMapping", self.mappings)):
            out += [quad(activity, f"{GT}{predicate}", ox.NamedNode(iri)) for iri in items]
        return out


def imports(store) -> list[dict]:
    """Every import on record, newest first, each with its files and declarations."""
    found: dict[str, dict] = {}
    for row in store.run("import-history"):
        item = found.setdefault(row["import"].value, {
            "import": row["import"].value, "started": row["started"].value, "ended": row["ended"].value,
            "version": row["version"].value, "files": {}, "added": set(), "replaced": set(), "alignments": set(),
            "corrections": set()})
        if "sha256" in row:
            item["files"].setdefault(row["sha256"].value, set()).add(row["file"].value)
        for key in ("added", "replaced", "alignments", "corrections"):
            if key in row:
                item[key].add(row[key].value)
    return [{**item, "files": [{"sha256": digest, "names": sorted(names)} for digest, names in sorted(item["files"].items())],
             **{key: sorted(item[key]) for key in ("added", "replaced", "alignments", "corrections")}}
            for item in sorted(found.values(), key=lambda i: i["ended"], reverse=True)]
