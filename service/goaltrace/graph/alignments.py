"""Curated alignments: Turtle files of reviewed links, each imported as its own named graph.

A file holds exactly one ``gt:Alignment``; its IRI names the graph, so re-importing the file
replaces its links as one step and leaves the forms' graphs alone.

An alignment adds links and nothing else. It may hold:

- its own description: ``a gt:Alignment``, labels, comments, the declaration it aligns
  (``gt:alignsDeclaration``, exactly one), attribution and time;
- qualified links: a project's ``gt:qualifiedContribution`` to a ``gt:GoalContribution``, a
  project indicator's ``gt:qualifiedDelivery`` to a ``gt:IndicatorDelivery``, each with its
  target, the curated basis, a justification in Chinese and its attribution;
- the agents links are attributed to, with their labels.

Anything else, a second label on a project or a bare ``gt:supportsGoal`` with no basis, is
refused with the file and line of the triple: a curated link is a judgement from outside the
forms and can never change what a form declares. The shortcut properties are derived here
from the qualified links, never taken from a file.
"""

import re
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..forms.errors import FormError, file_bytes
from .namespaces import GT, GTF, ID, RDF, RDFS

PROV = "http://www.w3.org/ns/prov#"
_TYPE, _LABEL, _COMMENT = f"{RDF}type", f"{RDFS}label", f"{RDFS}comment"
_ATTRIBUTED, _GENERATED = f"{PROV}wasAttributedTo", f"{PROV}generatedAtTime"
_AGENTS = {f"{PROV}Agent", f"{PROV}Person", f"{PROV}Organization", f"{PROV}SoftwareAgent"}
# link kind → (the property that holds it, its class, the property naming what it links to, the shortcut)
LINKS = {
    "contribution": (f"{GT}qualifiedContribution", f"{GT}GoalContribution", f"{GT}goal", f"{GT}supportsGoal"),
    "delivery": (f"{GT}qualifiedDelivery", f"{GT}IndicatorDelivery", f"{GT}departmentIndicator", f"{GT}deliversIndicator"),
}
SHORTCUTS = {shortcut for *_, shortcut in LINKS.values()}
_ABOUT_ALIGNMENT = {_TYPE, _LABEL, _COMMENT, f"{GT}alignsDeclaration", _ATTRIBUTED, _GENERATED}
_ABOUT_AGENT = {_TYPE, _LABEL, _COMMENT}
_ABOUT_LINK = {_TYPE, f"{GT}basis", f"{GT}justification", _ATTRIBUTED, _GENERATED, _COMMENT}
CURATED = f"{GTF}basis-curated"


@dataclass(frozen=True)
class MappedAlignment:
    iri: str
    declaration: str  # the declaration it aligns
    quads: list[ox.Quad]
    entities: tuple[tuple[str, int], ...] = ()  # (entity of the declaration it links, line): each must exist
    nodes: tuple[tuple[str, int], ...] = ()  # (IRI of a link, line): none may be an entity of the declaration

    @property
    def graphs(self) -> dict[str, list[ox.Quad]]:
        return {self.iri: self.quads}


def read_alignment(path: str | Path) -> MappedAlignment:
    shown = str(path)
    data = file_bytes(path, "Turtle file")
    try:
        triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    except SyntaxError as error:
        line = error.lineno or 1
        message = str(error.args[0]).split(": ", 1)[-1] if error.args else str(error)
        raise FormError(shown, line, f"expected valid Turtle, found a syntax error: {message}") from None
    except ValueError as error:
        raise FormError(shown, 1, f"expected valid Turtle, found {error}") from None
    alignments = {
        t.subject.value for t in triples
        if t.predicate.value == _TYPE and isinstance(t.object, ox.NamedNode) and t.object.value == f"{GT}Alignment"
        and isinstance(t.subject, ox.NamedNode)
    }
    if len(alignments) != 1:
        raise FormError(shown, 1, f"expected exactly one gt:Alignment (it names the graph), found {len(alignments)}")
    iri = alignments.pop()
    checked = _Checker(shown, data.decode("utf-8", "replace"), iri, triples)
    graph = ox.NamedNode(iri)
    derived = checked.shortcuts()
    return MappedAlignment(iri, checked.declaration, [ox.Quad(t.subject, t.predicate, t.object, graph) for t in (*triples, *derived)],
                           tuple(checked.entities.items()), tuple(checked.nodes.items()))


class _Checker:
    """Every triple of an alignment file given a role, or the file refused at that triple."""

    def __init__(self, path: str, text: str, alignment: str, triples: list[ox.Triple]):
        self.path, self.text, self.alignment, self.triples = path, text, alignment, triples
        self.types: dict[str, set[str]] = {}
        for t in triples:
            if t.predicate.value == _TYPE and isinstance(t.object, ox.NamedNode):
                self.types.setdefault(_key(t.subject), set()).add(t.object.value)
        aligned = [t.object for t in triples if _key(t.subject) == alignment and t.predicate.value == f"{GT}alignsDeclaration"]
        if len(aligned) != 1 or not isinstance(aligned[0], ox.NamedNode):
            raise FormError(path, self.line_of(alignment, f"{GT}alignsDeclaration"),
                            f"expected the alignment to name exactly one declaration (gt:alignsDeclaration), found {len(aligned)}")
        self.declaration = aligned[0].value
        self.entities: dict[str, int] = {}
        self.nodes: dict[str, int] = {}
        self.links: list[tuple[str, str, str]] = []  # (holder, kind, target)
        for t in triples:
            self._check(t)
        self._check_links()

    def _check(self, t: ox.Triple):
        subject, predicate = _key(t.subject), t.predicate.value
        kinds = self.types.get(subject, set())
        if predicate in SHORTCUTS:
            self._refuse(t, f"{_short(predicate)} is derived by goaltrace from the qualified link; give the link "
                            "(gt:qualifiedContribution or gt:qualifiedDelivery with basis, justification and attribution) instead")
        if subject == self.alignment:
            if predicate not in _ABOUT_ALIGNMENT:
                self._refuse(t, f"the alignment's own description may not use {_short(predicate)}")
            return
        if kinds & _AGENTS:
            if predicate not in _ABOUT_AGENT or (subject.startswith(ID) and not subject.startswith(f"{ID}agent/")):
                self._refuse(t, "an agent is described by its type and label only, and named outside the declarations "
                                f"(for example {ID}agent/…)")
            return
        for kind, (holder, cls, target, _) in LINKS.items():
            if predicate == holder:
                if cls not in self.types.get(_key(t.object), set()):
                    self._refuse(t, f"the {kind} link must be typed {_short(cls)} in the same file")
                self._inside(t, subject)
                return
            if cls in kinds:
                if isinstance(t.subject, ox.NamedNode) and subject not in self.nodes:
                    self.nodes[subject] = self.line_of(subject, predicate)
                if predicate == target:
                    self._inside(t, _key(t.object))
                    self.links.append((subject, kind, t.object.value))
                elif predicate not in _ABOUT_LINK or (predicate == _TYPE and t.object.value != cls):
                    self._refuse(t, f"a {_short(cls)} may state its {_short(target)}, basis, justification and "
                                    f"attribution only, not {_short(predicate)}")
                elif predicate == f"{GT}basis" and t.object.value != CURATED:
                    self._refuse(t, "a link from an alignment has the curated basis (gtf:basis-curated): the forms' own links are read from the forms")
                return
        self._refuse(t, "an alignment adds qualified links and nothing else; this triple would change what the "
                        "forms say or add a fact without its basis")

    def _inside(self, t: ox.Triple, entity: str):
        if not entity.startswith(self.declaration + "/"):
            self._refuse(t, f"{entity} is not part of the aligned declaration {self.declaration}")
        self.entities.setdefault(entity, self.line_of(_key(t.subject), t.predicate.value))

    def _check_links(self):
        said: dict[str, dict[str, list]] = {}  # subject → predicate → objects
        held: set[tuple[str, str]] = set()  # (predicate, object) of every triple
        for t in self.triples:
            said.setdefault(_key(t.subject), {}).setdefault(t.predicate.value, []).append(t.object)
            held.add((t.predicate.value, _key(t.object)))
        for kind, (holder, cls, target, _) in LINKS.items():
            for link, kinds in self.types.items():
                if cls not in kinds:
                    continue
                about = said.get(link, {})
                missing = [name for name, predicate in (("its target", target), ("a basis", f"{GT}basis"),
                                                         ("a justification", f"{GT}justification"),
                                                         ("an attribution (prov:wasAttributedTo)", _ATTRIBUTED))
                           if not about.get(predicate)]
                if not any(getattr(j, "language", None) == "zh" for j in about.get(f"{GT}justification", [])):
                    missing.append("a justification in Chinese (@zh)")
                if len(about.get(target, [])) > 1:
                    missing.append(f"exactly one {_short(target)}")
                if (holder, link) not in held:
                    missing.append(f"the {_short(holder)} that holds it")
                if missing:
                    raise FormError(self.path, self.line_of(link, _TYPE), f"the {kind} link {link} lacks " + ", ".join(missing))

    def shortcuts(self) -> list[ox.Triple]:
        """gt:supportsGoal and gt:deliversIndicator, derived from the qualified links."""
        derived = []
        for holder_triple in self.triples:
            for kind, (holder, _, _, shortcut) in LINKS.items():
                if holder_triple.predicate.value != holder:
                    continue
                for link, link_kind, target in self.links:
                    if link == _key(holder_triple.object) and link_kind == kind:
                        derived.append(ox.Triple(holder_triple.subject, ox.NamedNode(shortcut), ox.NamedNode(target)))
        return derived

    def _refuse(self, t: ox.Triple, reason: str):
        raise FormError(self.path, self.line_of(_key(t.subject), t.predicate.value),
                        f"{reason} — found <{_key(t.subject)}> {_short(t.predicate.value)} {_shown(t.object)}")

    def line_of(self, subject: str, predicate: str) -> int:
        """The line stating a triple, as near as the text allows: the first line naming the
        predicate at or after the first line naming the subject."""
        lines = self.text.splitlines()
        subject_marks = _spellings(subject)
        predicate_marks = _spellings(predicate) + (["a "] if predicate == _TYPE else [])
        start = next((n for n, line in enumerate(lines) if any(m in line for m in subject_marks)), 0)
        for n in range(start, len(lines)):
            if any(m in lines[n] for m in predicate_marks):
                return n + 1
        return start + 1


def _key(term) -> str:
    return term.value if isinstance(term, ox.NamedNode) else str(term)


def _short(iri: str) -> str:
    for prefix, name in ((GT, "gt:"), (GTF, "gtf:"), (PROV, "prov:"), (RDFS, "rdfs:"), (RDF, "rdf:")):
        if iri.startswith(prefix):
            return name + iri[len(prefix):]
    return f"<{iri}>"


def _shown(term) -> str:
    return _short(term.value) if isinstance(term, ox.NamedNode) else str(term)


def _spellings(iri: str) -> list[str]:
    """How a Turtle file may write an IRI: in full, by its last segments, or prefixed."""
    marks = [f"<{iri}>"]
    parts = re.split(r"(?<=[/#])", iri)
    for n in range(1, min(len(parts), 8)):
        tail = "".join(parts[-n:])
        if tail:
            marks.append(f"<{tail}>")  # relative to the file's @base
    short = _short(iri)
    if not short.startswith("<"):
        marks.append(short)
    return marks
